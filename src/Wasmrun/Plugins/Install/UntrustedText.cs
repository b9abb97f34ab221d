// Text that comes from packages and registries (names, descriptions, tags) is shown on a terminal only with its
// control characters replaced: a description must not be able to send escape sequences to the user's terminal.
namespace Wasmrun.Plugins.Install;

internal static class UntrustedText
{
    public static string Printable(string text) =>
        text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) ? '?' : c)) : text;
}
