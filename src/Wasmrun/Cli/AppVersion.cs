// The version printed by --version/-V and recorded in JSON output.
using System.Reflection;

namespace Wasmrun.Cli;

internal static class AppVersion
{
    /// <summary>"0.1.0+abc1234" when built from a git checkout (the SDK appends the commit), else "0.1.0".</summary>
    public static string Text { get; } = Shorten(
        typeof(AppVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0");

    private static string Shorten(string version)
    {
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 && version.Length > plus + 8 ? version[..(plus + 8)] : version;
    }
}
