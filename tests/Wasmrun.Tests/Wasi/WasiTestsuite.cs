// Finds the official WASI preview-1 test suite (never copied into the repo): WASMRUN_WASI_TESTSUITE_DIR, else
// ../shared/wasi-testsuite beside the repository; reads each test's optional <name>.json (root, args, env, exit_code, stdout).
using System.Text.Json;

namespace Wasmrun.Tests.Wasi;

/// <summary>One test: the module, the folder to copy and preopen as "/" (or null), the arguments after argv[0], the
/// environment, the expected exit status and the expected stdout (exact; null when the test does not say).</summary>
internal sealed record WasiTestCase(string Name, string Module, string? Root, IReadOnlyList<string> Args,
    IReadOnlyList<KeyValuePair<string, string>> Env, int ExitCode, string? Stdout);

internal static class WasiTestsuite
{
    public const string Variable = "WASMRUN_WASI_TESTSUITE_DIR";
    private const string Target = "wasm32-wasip1";

    /// <summary>The suite folder (holding c/, rust/, assemblyscript/), or null when it is absent.</summary>
    public static string? Directory { get; } = Locate();

    public static string MissingMessage =>
        $"WASI TEST SUITE NOT FOUND: set {Variable} to the wasi-testsuite folder (default: ../shared/wasi-testsuite beside the repository); WASI conformance was NOT checked";

    /// <summary>"language/name" for every prebuilt test, e.g. "rust/fd_readdir".</summary>
    public static IEnumerable<string> TestNames() =>
        Directory is null
            ? ["(suite missing)"]
            : System.IO.Directory.EnumerateDirectories(Directory)
                .Select(language => Path.Combine(language, Target))
                .Where(System.IO.Directory.Exists)
                .SelectMany(folder => System.IO.Directory.EnumerateFiles(folder, "*.wasm")
                    .Select(module => $"{Path.GetFileName(Path.GetDirectoryName(folder))}/{Path.GetFileNameWithoutExtension(module)}"))
                .Order(StringComparer.Ordinal);

    public static string Language(string name) => name[..name.IndexOf('/', StringComparison.Ordinal)];

    public static WasiTestCase Read(string name)
    {
        var folder = Path.Combine(Directory!, Language(name), Target);
        var test = name[(name.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var module = Path.Combine(folder, test + ".wasm");
        var spec = Path.Combine(folder, test + ".json");
        if (!File.Exists(spec))
        {
            return new WasiTestCase(name, module, null, [], [], 0, null);
        }
        using var json = JsonDocument.Parse(File.ReadAllText(spec));
        var root = json.RootElement;
        string? Text(string key) => root.TryGetProperty(key, out var value) ? value.GetString() : null;
        var args = root.TryGetProperty("args", out var list) ? list.EnumerateArray().Select(arg => arg.GetString()!).ToList() : [];
        var env = root.TryGetProperty("env", out var map)
            ? map.EnumerateObject().Select(pair => KeyValuePair.Create(pair.Name, pair.Value.GetString()!)).ToList()
            : [];
        var exitCode = root.TryGetProperty("exit_code", out var code) ? code.GetInt32() : 0;
        var rootFolder = Text("root") is { } relative ? Path.GetFullPath(Path.Combine(folder, relative)) : null;
        return new WasiTestCase(name, module, rootFolder, args, env, exitCode, Text("stdout"));
    }

    private static string? Locate()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        var root = !string.IsNullOrEmpty(configured)
            ? configured
            : Path.Combine(RepositoryRoot.Path, "..", "shared", "wasi-testsuite");
        return System.IO.Directory.Exists(root)
            && System.IO.Directory.EnumerateDirectories(root).Any(language => System.IO.Directory.Exists(Path.Combine(language, Target))
                && System.IO.Directory.EnumerateFiles(Path.Combine(language, Target), "*.wasm").Any())
            ? Path.GetFullPath(root)
            : null;
    }
}
