// The next steps `wasmrun init` prints, as a user pastes them: the `wasmrun ...` lines after "next:", so a test can
// run them in the new project and find that they build and run what they name.
namespace Wasmrun.Tests.Support;

internal static class NextSteps
{
    /// <summary>The arguments of each `wasmrun` step (the `cd` is the test's working folder; `#` starts a comment).</summary>
    public static List<string[]> Of(string initStdout) =>
        [.. initStdout.Split('\n')
            .SkipWhile(line => line != "next:")
            .Select(line => line.Split('#')[0].Trim())
            .Where(line => line.StartsWith("wasmrun ", StringComparison.Ordinal))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..])];
}
