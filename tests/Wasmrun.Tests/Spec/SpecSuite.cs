// Finds the official spec test suite (never copied into the repo): WASMRUN_TESTSUITE_DIR, else
// ../shared/wasm-testsuite beside the repository: the folder of .wast scripts, or a folder holding it as wast/.
namespace Wasmrun.Tests.Spec;

internal static class SpecSuite
{
    public const string Variable = "WASMRUN_TESTSUITE_DIR";

    /// <summary>The folder of the .wast scripts, or null when the suite is absent.</summary>
    public static string? ScriptDirectory { get; } = Locate();

    /// <summary>The suite's wast2json conversion (core/: *.json + *.wasm), which the numeric and SIMD vector tests and
    /// the mutation seeds read; null when absent.</summary>
    public static string? CoreDirectory { get; } = ScriptDirectory is null ? null : LocateConverted();

    public static string MissingMessage =>
        $"SPEC SUITE NOT FOUND: set {Variable} to the wasm-testsuite folder (default: ../shared/wasm-testsuite beside the repository); conformance was NOT checked";

    public static IEnumerable<string> ScriptNames() =>
        ScriptDirectory is null
            ? ["(suite missing)"]
            : Directory.EnumerateFiles(ScriptDirectory, "*.wast").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    private static string? LocateConverted()
    {
        var core = Path.Combine(ScriptDirectory!, "..", "core");
        return Directory.Exists(core) && Directory.EnumerateFiles(core, "*.json").Any() ? Path.GetFullPath(core) : null;
    }

    private static string? Locate()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        var root = !string.IsNullOrEmpty(configured)
            ? configured
            : Path.Combine(RepositoryRoot.Path, "..", "shared", "wasm-testsuite");
        foreach (var candidate in new[] { Path.Combine(root, "wast"), root })
        {
            if (Directory.Exists(candidate) && Directory.EnumerateFiles(candidate, "*.wast").Any())
            {
                return Path.GetFullPath(candidate);
            }
        }
        return null;
    }
}
