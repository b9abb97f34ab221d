// Finds the official spec test suites (never copied into the repo): the 2.0 suite in WASMRUN_TESTSUITE_DIR, else
// ../shared/wasm-testsuite beside the repository (the folder of .wast scripts, or a folder holding it as wast/); the 3.0
// suite in WASMRUN_TESTSUITE3_DIR, else ../shared/wasm-testsuite-3.0 (its scripts, in subfolders too).
namespace Wasmrun.Tests.Spec;

internal static class SpecSuite
{
    public const string Variable = "WASMRUN_TESTSUITE_DIR", Variable30 = "WASMRUN_TESTSUITE3_DIR";

    /// <summary>The folder of the 2.0 .wast scripts, or null when the suite is absent.</summary>
    public static string? ScriptDirectory { get; } = Locate(Variable, "wasm-testsuite", "wast");

    /// <summary>The folder of the 3.0 suite, or null when it is absent.</summary>
    public static string? Suite30Directory { get; } = Locate(Variable30, "wasm-testsuite-3.0", ".");

    /// <summary>The suite's wast2json conversion (core/: *.wasm written by wabt), a corpus of binaries for the mutation
    /// seeds, a hostile-input test and the printer's round trip through wabt; null when absent.</summary>
    public static string? CoreDirectory { get; } = ScriptDirectory is null ? null : LocateConverted();

    public static string MissingMessage =>
        $"SPEC SUITE NOT FOUND: set {Variable} to the wasm-testsuite folder (default: ../shared/wasm-testsuite beside the repository); conformance was NOT checked";

    public static string Missing30Message =>
        $"3.0 SPEC SUITE NOT FOUND: set {Variable30} to the wasm-testsuite-3.0 folder (default: ../shared/wasm-testsuite-3.0 beside the repository); 3.0 conformance was NOT checked";

    /// <summary>The 3.0 scripts by their path under the suite without .wast ("legacy/throw").</summary>
    public static IEnumerable<string> ScriptNames30() =>
        Suite30Directory is null
            ? ["(suite missing)"]
            : Directory.EnumerateFiles(Suite30Directory, "*.wast", SearchOption.AllDirectories)
                .Select(path => Path.ChangeExtension(Path.GetRelativePath(Suite30Directory, path), null).Replace('\\', '/'))
                .Order(StringComparer.Ordinal);

    public static IEnumerable<string> ScriptNames() =>
        ScriptDirectory is null
            ? ["(suite missing)"]
            : Directory.EnumerateFiles(ScriptDirectory, "*.wast").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    private static string? LocateConverted()
    {
        var core = Path.Combine(ScriptDirectory!, "..", "core");
        return Directory.Exists(core) && Directory.EnumerateFiles(core, "*.json").Any() ? Path.GetFullPath(core) : null;
    }

    private static string? Locate(string variable, string sharedFolder, string scriptsFolder)
    {
        var configured = Environment.GetEnvironmentVariable(variable);
        var root = !string.IsNullOrEmpty(configured)
            ? configured
            : Path.Combine(RepositoryRoot.Path, "..", "shared", sharedFolder);
        foreach (var candidate in new[] { Path.Combine(root, scriptsFolder), root })
        {
            if (Directory.Exists(candidate) && Directory.EnumerateFiles(candidate, "*.wast").Any())
            {
                return Path.GetFullPath(candidate);
            }
        }
        return null;
    }
}
