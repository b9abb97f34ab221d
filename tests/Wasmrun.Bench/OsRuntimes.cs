// OS mode's benchmark: start-up of `wasmrun os run` for a JavaScript and a Python hello (targets: 60 ms and 250 ms
// wall), of `wasmrun exec` of the runtimes with the translation it included (targets: 200 ms, 50 MB/s), and each
// runtime's CPU benchmark from ../shared/osmode/engine-check (QuickJS bench.js, pystone, a Go program) under `wasmrun
// os run`, against the same program native (QuickJS built with gcc from the runtime's own npm sources, Debian's
// python3.11, Go built for linux) and under node's WASI with the same module, with the peak resident memory of ours
// and node's (GNU time).
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Wasmrun.Bench;

internal static partial class OsRuntimes
{
    public static IEnumerable<string> Run(string binary, string? baseline, string root, string outputDirectory)
    {
        var engineCheck = Path.Combine(root, "..", "shared", "osmode", "engine-check");
        if (UnpackRuntimes(root, outputDirectory) is { } problem)
        {
            yield return "OS mode skipped: " + problem;
            yield break;
        }

        var helloJs = Directory.CreateDirectory(Path.Combine(outputDirectory, "hello-js")).FullName;
        File.WriteAllText(Path.Combine(helloJs, "index.js"), "console.log('hello', 1 + 1);\n");
        var helloPy = Directory.CreateDirectory(Path.Combine(outputDirectory, "hello-py")).FullName;
        File.WriteAllText(Path.Combine(helloPy, "main.py"), "print('hello', 1 + 1)\n");
        yield return "OS mode start-up (`wasmrun os run` of a hello, whole process, 21 runs):";
        foreach (var (name, project, target) in new[] { ("JavaScript", helloJs, 60.0), ("Python", helloPy, 250.0) })
        {
            Runner.Tool(binary, ["os", "run", project]);
            var times = Enumerable.Range(0, 21).Select(_ => Time([binary, "os", "run", project])).Order().ToList();
            yield return $"  {name,-10} median {times[10]:F1} ms  min {times[0]:F1} ms  (target {target:F0} ms)";
        }
        foreach (var line in ExecStartup(binary, outputDirectory, helloJs))
        {
            yield return line;
        }

        if (!Directory.Exists(engineCheck))
        {
            yield return $"OS mode runtime benchmarks skipped: {engineCheck} not found";
            yield break;
        }
        using var pinned = Runner.OnOneCpu();
        yield return "OS mode runtime benchmarks: one whole-process run each (seconds, every process on CPU 0 only); ratio = time / native";
        yield return $"  {"program",-16} {"native",9} {"wasmrun",9} {"ratio",7} {"node-wasi",10} {"ratio",7} {"peak RSS",10} {"node's",10}" +
            (baseline is null ? "" : $" {"baseline",10} {"ratio",7} {"vs base",8}");
        var programs = RealPrograms(root, outputDirectory, out var missing);
        foreach (var program in programs)
        {
            yield return Row(program, binary, baseline);
        }
        if (missing is not null)
        {
            yield return missing;
        }
    }

    /// <summary>Unpacks the runtimes the build embeds into outputDirectory/runtimes; null, or why it cannot.</summary>
    public static string? UnpackRuntimes(string root, string outputDirectory)
    {
        var runtimes = Path.Combine(root, "artifacts", "runtimes");
        if (!File.Exists(Path.Combine(runtimes, "javascript.tar.br")) || !File.Exists(Path.Combine(runtimes, "python.tar.br")))
        {
            return $"no runtimes in {runtimes} (./build.sh build makes them)";
        }
        foreach (var name in new[] { "javascript", "python" })
        {
            var folder = Directory.CreateDirectory(Path.Combine(outputDirectory, "runtimes", name)).FullName;
            Runner.Tool("sh", ["-c", $"brotli -d -c '{Path.Combine(runtimes, name + ".tar.br")}' | tar -x -C '{folder}'"]);
        }
        return null;
    }

    /// <summary>One of the three real programs: its command natively, its arguments to `wasmrun os run` and to
    /// `wasmrun exec` (the same module and files: for the instruction profile), and its command under node's WASI.</summary>
    public sealed record RealProgram(string Name, string[]? Native, string[] OsRun, string[] Exec, string[]? NodeWasi);

    /// <summary>The programs of ../shared/osmode/engine-check, built the way OS mode builds them (UnpackRuntimes must
    /// have run); `missing` says why one is left out.</summary>
    public static List<RealProgram> RealPrograms(string root, string outputDirectory, out string? missing)
    {
        var app = Path.Combine(root, "..", "shared", "osmode", "engine-check", "app");
        var unpacked = Path.Combine(outputDirectory, "runtimes");
        var node = Runner.Which("node");
        var nodeWasi = Path.Combine(root, "tests", "Wasmrun.Bench", "node-wasi.mjs");
        var programs = new List<RealProgram>();

        var qjsNative = NativeQuickJs(outputDirectory);
        var qjs = Path.Combine(unpacked, "javascript", "qjs.wasm");
        programs.Add(new("QuickJS bench.js",
            qjsNative is null ? null : [qjsNative, Path.Combine(app, "js", "bench.js"), "1"],
            ["os", "run", "--entry", "js/bench.js", app, "--", "1"],
            ["exec", "--dir", $"{app}::/app", qjs, "/app/js/bench.js", "1"],
            node is null ? null : [node, nodeWasi, "--dir", $"/app={app}", qjs, "/app/js/bench.js", "1"]));

        var python = Path.Combine(unpacked, "python");
        programs.Add(new("pystone 100k",
            File.Exists("/usr/bin/python3.11") ? ["/usr/bin/python3.11", Path.Combine(app, "py", "pystone.py"), "100000"] : null,
            ["os", "run", "--entry", "py/pystone.py", app, "--", "100000"],
            ["exec", "--dir", $"{app}::/app", "--dir", $"{python}::/usr/local", "--env", "PYTHONHOME=/usr/local",
                Path.Combine(python, "python.wasm"), "/app/py/pystone.py", "100000"],
            node is null ? null : [node, nodeWasi, "--dir", $"/app={app}", "--dir", $"/usr/local={python}", "--env", "PYTHONHOME=/usr/local",
                Path.Combine(python, "python.wasm"), "/app/py/pystone.py", "100000"]));

        missing = null;
        var go = GoWithWasip1();
        if (go is null)
        {
            missing = "  Go bench         skipped: no Go 1.21 or later (./build.sh setup installs golang-1.23 from bookworm-backports)";
            return programs;
        }
        var goBench = Path.Combine(root, "..", "shared", "osmode", "engine-check", "go", "bench");
        var goWasm = Path.Combine(outputDirectory, "go-bench.wasm");
        var goNative = Path.Combine(outputDirectory, "go-bench.native");
        GoBuild(go, goBench, goWasm, wasip1: true);
        GoBuild(go, goBench, goNative, wasip1: false);
        programs.Add(new("Go bench", [goNative], ["os", "run", goWasm], ["exec", goWasm], node is null ? null : [node, nodeWasi, goWasm]));
        return programs;
    }

    private static string Row(RealProgram program, string binary, string? baseline)
    {
        var (nativeSeconds, expected) = program.Native is null ? (double.NaN, null) : Runner.Best(program.Native, null, 1);
        var (oursSeconds, oursPeak) = Measured([binary, .. program.OsRun], expected, anyExit: false);
        // node's WASI ends the Go program with SIGSEGV after its (correct, compared) output: its time still counts.
        var (peer, peerPeak) = program.NodeWasi is null ? (double.NaN, double.NaN) : Measured(program.NodeWasi, expected, anyExit: true);
        var row = $"  {program.Name,-16} {nativeSeconds,8:F2}s {oursSeconds,8:F2}s {oursSeconds / nativeSeconds,6:F1}x {peer,9:F2}s {peer / nativeSeconds,6:F1}x" +
            $" {oursPeak,7:F0} MB {peerPeak,7:F0} MB";
        if (baseline is not null)
        {
            var theirs = Runner.Best([baseline, .. program.OsRun], expected, 1).Seconds;
            row += $" {theirs,9:F2}s {theirs / nativeSeconds,6:F1}x {oursSeconds / theirs,7:F2}x";
        }
        return row;
    }

    /// <summary>One run's wall time and peak resident memory (GNU time's maximum RSS; NaN without /usr/bin/time).</summary>
    private static (double Seconds, double PeakMegabytes) Measured(string[] command, string? expected, bool anyExit)
    {
        if (!File.Exists("/usr/bin/time"))
        {
            return (Runner.Best(command, expected, 1, anyExit).Seconds, double.NaN);
        }
        var report = Path.GetTempFileName();
        try
        {
            var seconds = Runner.Best(["/usr/bin/time", "-q", "-f", "%M", "-o", report, .. command], expected, 1, anyExit).Seconds;
            return (seconds, long.Parse(File.ReadAllText(report).Trim()) / 1024.0);
        }
        finally
        {
            File.Delete(report);
        }
    }

    /// <summary>QuickJS built natively with gcc from the same npm sources as the runtime (qjsc@0.3.0), once.</summary>
    private static string? NativeQuickJs(string outputDirectory)
    {
        var folder = Directory.CreateDirectory(Path.Combine(outputDirectory, "qjs-native")).FullName;
        var qjs = Path.Combine(folder, "quickjs", "qjs");
        if (File.Exists(qjs))
        {
            return qjs;
        }
        try
        {
            Runner.Tool("npm", ["pack", "--silent", "qjsc@0.3.0"], folder);
            Runner.Tool("sh", ["-c", "tar -xzf qjsc-0.3.0.tgz && rm -rf quickjs && cp -r package/deps/quickjs_2021_03_27 quickjs && make -C quickjs -j2 qjs >/dev/null"], folder);
            return qjs;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string? GoWithWasip1()
    {
        foreach (var candidate in Directory.Exists("/usr/lib") ? Directory.EnumerateDirectories("/usr/lib", "go-1.*").Order().Reverse() : [])
        {
            var go = Path.Combine(candidate, "bin", "go");
            if (File.Exists(go) && Version.TryParse(Path.GetFileName(candidate)["go-".Length..], out var version) && version >= new Version(1, 21))
            {
                return go;
            }
        }
        return null;
    }

    private static void GoBuild(string go, string project, string output, bool wasip1)
    {
        var start = new ProcessStartInfo(go) { WorkingDirectory = project, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "build", "-o", output, "." })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["GOTOOLCHAIN"] = "local";
        start.Environment["GOPROXY"] = "off";
        start.Environment["GOFLAGS"] = "-mod=mod";
        if (wasip1)
        {
            start.Environment["GOOS"] = "wasip1";
            start.Environment["GOARCH"] = "wasm";
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"go build in {project} failed: {error.Result}");
        }
    }

    /// <summary>`wasmrun exec` of the runtimes themselves, without OS mode: CPython's `-c pass` (target 200 ms wall)
    /// and QuickJS running a hello, with what translation (on first call, inside the run) cost in each, from the
    /// line `exec --debug` logs (target 50 MB/s of Wasm code).</summary>
    private static IEnumerable<string> ExecStartup(string binary, string outputDirectory, string helloJs)
    {
        var python = Path.Combine(outputDirectory, "runtimes", "python");
        var programs = new (string Name, string[] Arguments)[]
        {
            ("python -c pass", ["exec", "--dir", $"{python}::/usr/local", "--env", "PYTHONHOME=/usr/local", Path.Combine(python, "python.wasm"), "-c", "pass"]),
            ("QuickJS hello", ["exec", "--dir", $"{helloJs}::/app", Path.Combine(outputDirectory, "runtimes", "javascript", "qjs.wasm"), "/app/index.js"]),
        };
        yield return "`wasmrun exec` start-up of the runtimes (21 runs) and the translation inside it (`exec --debug`, median):";
        foreach (var (name, arguments) in programs)
        {
            Runner.Tool(binary, arguments);
            var times = Enumerable.Range(0, 21).Select(_ => Time([binary, .. arguments])).Order().ToList();
            var translations = Enumerable.Range(0, 11).Select(_ => TranslateLine().Match(Runner.Tool(binary, ["--debug", .. arguments], stderr: true)))
                .Where(m => m.Success).OrderBy(m => double.Parse(m.Groups["rate"].Value, CultureInfo.InvariantCulture)).ToList();
            var translation = translations.Count == 0 ? "no translate line in --debug output" : translations[translations.Count / 2].Groups["cost"].Value;
            yield return $"  {name,-15} median {times[10]:F1} ms  min {times[0]:F1} ms{(name.StartsWith("python", StringComparison.Ordinal) ? " (target 200 ms)" : "")}  translation {translation}";
        }
    }

    [GeneratedRegex(@"translate \(within run\): (?<cost>.*\((?<rate>[0-9.]+) MB/s\))")]
    private static partial Regex TranslateLine();

    private static double Time(string[] command)
    {
        var clock = Stopwatch.StartNew();
        Runner.Tool(command[0], command[1..]);
        return clock.Elapsed.TotalMilliseconds;
    }
}
