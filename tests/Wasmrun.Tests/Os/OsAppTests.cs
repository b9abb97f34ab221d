// The fixture apps of apps/ under `wasmrun os run` with the embedded runtimes: a Node-style JavaScript app with a
// node_modules dependency, an ES-module app, JavaScript errors; a Python app on the standard library and files; a Lua
// app with files, caught errors (Wasm exceptions) and stdin; a Go app with goroutines (built by the wasmgo plugin with
// Go 1.21+). Each app's expected.json gives its arguments, stdin, exact stdout, stderr (or a regex) and exit status,
// checked against node 20, CPython 3.11 and Go natively (the Lua app's against the Lua 5.4 manual's semantics).
using System.Text.Json;
using System.Text.RegularExpressions;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Os;

public sealed class OsAppTests
{
    private static readonly string Apps = Path.Combine(RepositoryRoot.Path, "tests", "Wasmrun.Tests", "Os", "apps");

    private static readonly string[] Interpreted = ["js", "py", "lua"];

    public static IEnumerable<string> InterpretedApps() =>
        [.. Interpreted.SelectMany(language => Directory.EnumerateDirectories(Path.Combine(Apps, language)))
            .Select(d => Path.GetRelativePath(Apps, d).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    [Test]
    [MethodDataSource(nameof(InterpretedApps))]
    public async Task An_app_runs_with_its_exact_output_and_status(string app) => await Check(app, environment: null, builds: false);

    [Test]
    public async Task A_go_app_with_goroutines_is_built_for_wasip1_and_runs()
    {
        using var home = new TempDirectory();
        var environment = new Dictionary<string, string?> { ["WASMRUN_HOME"] = home.Path };
        // The bundled plugin, installed offline into a home of the test's own.
        var install = await WasmrunBinary.RunAsync(["plugin", "install", "wasmgo"], environment);
        await Assert.That(install.ExitCode).IsEqualTo(0).Because(install.ToString());
        await Check("go/workers", environment, builds: true);
    }

    [Test]
    public async Task A_broken_runtime_cache_is_unpacked_again()
    {
        using var home = new TempDirectory();
        var environment = new Dictionary<string, string?> { ["WASMRUN_HOME"] = home.Path };
        using var project = new TempDirectory();
        File.WriteAllText(Path.Combine(project.Path, "main.py"), "print('fine')\n");
        var first = await WasmrunBinary.RunAsync(["os", "run", project.Path], environment);
        await Assert.That(first.Stdout).IsEqualTo("fine\n").Because(first.ToString());
        // A truncated module in the unpacked runtime: the next start notices and unpacks it again.
        var python = Directory.EnumerateFiles(Path.Combine(home.Path, "cache", "runtimes"), "python.wasm", SearchOption.AllDirectories).Single();
        File.WriteAllBytes(python, File.ReadAllBytes(python)[..1000]);
        var second = await WasmrunBinary.RunAsync(["--debug", "os", "run", project.Path], environment);
        await Assert.That(second.ExitCode).IsEqualTo(0).Because(second.ToString());
        await Assert.That(second.Stdout).IsEqualTo("fine\n");
        await Assert.That(second.Stderr).Contains("does not match its manifest: unpacking it again");
    }

    [Test]
    public async Task An_unwritable_runtime_cache_is_one_clear_error()
    {
        using var home = new TempDirectory();
        // The cache folder is a file: nothing can be unpacked under it.
        File.WriteAllText(Path.Combine(home.Path, "cache"), "not a folder");
        using var project = new TempDirectory();
        File.WriteAllText(Path.Combine(project.Path, "index.js"), "console.log('x')\n");
        var result = await WasmrunBinary.RunAsync(["os", "run", project.Path], new Dictionary<string, string?> { ["WASMRUN_HOME"] = home.Path });
        await Assert.That(result.ExitCode).IsEqualTo(1).Because(result.ToString());
        await Assert.That(result.Stderr).StartsWith("error: cannot unpack the JavaScript runtime into ");
        await Assert.That(result.Stderr).Contains("hint: make ");
        await Assert.That(result.Stderr).DoesNotContain("   at ");
    }

    /// <param name="app">The app's folder under apps/.</param>
    /// <param name="environment">Variables for wasmrun (a home of the test's own).</param>
    /// <param name="builds">The project is built first: the plugin's lines come before the program's stderr (as cargo
    /// run's do).</param>
    private static async Task Check(string app, IDictionary<string, string?>? environment, bool builds)
    {
        var source = Path.Combine(Apps, app);
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(source, "expected.json")));
        var root = expected.RootElement;
        using var project = new TempDirectory();
        CopyFolder(source, project.Path);
        string[] entry = root.TryGetProperty("entry", out var named) ? ["--entry", named.GetString()!] : [];
        string[] arguments = root.TryGetProperty("args", out var args) ? [.. args.EnumerateArray().Select(a => a.GetString()!)] : [];
        var stdin = root.TryGetProperty("stdin", out var input) ? input.GetString() : null;
        var result = await WasmrunBinary.RunAsync(["os", "run", .. entry, project.Path, "--", .. arguments], environment, stdin: stdin);
        await Assert.That(result.Stdout).IsEqualTo(root.GetProperty("stdout").GetString()).Because(result.ToString());
        if (root.TryGetProperty("stderrRegex", out var pattern))
        {
            await Assert.That(Regex.IsMatch(result.Stderr, pattern.GetString()!)).IsTrue().Because(result.Stderr);
        }
        else if (builds)
        {
            await Assert.That(result.Stderr).StartsWith("building ");
            await Assert.That(result.Stderr).EndsWith("\n" + root.GetProperty("stderr").GetString());
        }
        else
        {
            await Assert.That(result.Stderr).IsEqualTo(root.GetProperty("stderr").GetString());
        }
        await Assert.That(result.ExitCode).IsEqualTo(root.GetProperty("exit").GetInt32());
    }

    /// <summary>The app's files, node_modules included, into a project of the test's own (apps write into it).</summary>
    private static void CopyFolder(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "expected.json"))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
