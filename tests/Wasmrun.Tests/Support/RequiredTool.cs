// A program a test needs on PATH (a compiler, make): its path, or a skip (a failure under WASMRUN_REQUIRE_TOOLS=1,
// as ./build.sh test sets it, since CI installs every toolchain).
namespace Wasmrun.Tests.Support;

internal static class RequiredTool
{
    public static string Program(string program, string install)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(folder => Path.Join(folder, program))
            .FirstOrDefault(File.Exists);
        if (found is not null)
        {
            return found;
        }
        Missing($"{program} is not on PATH (install: {install})");
        return null!;
    }

    /// <summary>Skips the test for something it needs that is not installed (fails it under WASMRUN_REQUIRE_TOOLS=1).</summary>
    public static void Missing(string message)
    {
        if (Environment.GetEnvironmentVariable("WASMRUN_REQUIRE_TOOLS") == "1")
        {
            throw new InvalidOperationException($"WASMRUN_REQUIRE_TOOLS=1 but {message}");
        }
        Skip.Test(message);
    }
}
