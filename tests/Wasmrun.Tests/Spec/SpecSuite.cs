// Finds the official spec test suite (never copied into the repo): WASMRUN_TESTSUITE_DIR, else
// ../shared/wasm-testsuite beside the repository; either the suite root or its core/ folder.
namespace Wasmrun.Tests.Spec;

internal static class SpecSuite
{
    public const string Variable = "WASMRUN_TESTSUITE_DIR";

    /// <summary>The folder of wast2json output (*.json + *.wasm), or null when the suite is absent.</summary>
    public static string? CoreDirectory { get; } = Locate();

    public static string MissingMessage =>
        $"SPEC SUITE NOT FOUND: set {Variable} to the wasm-testsuite folder (default: ../shared/wasm-testsuite beside the repository); conformance was NOT checked";

    public static IEnumerable<string> ScriptNames() =>
        CoreDirectory is null
            ? ["(suite missing)"]
            : Directory.EnumerateFiles(CoreDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    private static string? Locate()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        var root = !string.IsNullOrEmpty(configured)
            ? configured
            : Path.Combine(RepositoryRoot.Path, "..", "shared", "wasm-testsuite");
        foreach (var candidate in new[] { Path.Combine(root, "core"), root })
        {
            if (Directory.Exists(candidate) && Directory.EnumerateFiles(candidate, "*.json").Any())
            {
                return Path.GetFullPath(candidate);
            }
        }
        return null;
    }
}
