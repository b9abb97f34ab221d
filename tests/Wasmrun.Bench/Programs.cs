// The WASI benchmark: the shared C programs (read from ../shared/programs beside the repository) with their default
// workloads, built with clang-14 --target=wasm32-wasi and natively (gcc -O2, clang-14 -O2), run as whole processes;
// plus the start-up cost of a small WASI program (hello.c: printf, environ, a file in a preopen, stdin) and its peak
// memory.
using System.Diagnostics;
using System.Globalization;

namespace Wasmrun.Bench;

internal static class Programs
{
    private static readonly string[] Kernels = ["fib", "sieve", "matmul", "sha256"];

    private const int Runs = 3;

    public static IEnumerable<string> Run(string binary, string? baseline, string programsDirectory, string outputDirectory)
    {
        var sources = Path.Combine(programsDirectory, "src");
        if (!Directory.Exists(sources))
        {
            yield return $"WASI programs skipped: {sources} not found";
            yield break;
        }
        if (Runner.Which("clang-14") is null || Runner.Which("gcc") is null)
        {
            yield return "WASI programs skipped: clang-14 (with wasi-libc) or gcc not found (./build.sh setup installs them)";
            yield break;
        }
        yield return $"WASI programs, default workloads: best of {Runs} whole-process runs; ratio = time / fastest native build";
        var baseColumns = baseline is null ? "" : $" {"baseline",10} {"ratio",7} {"vs base",8}";
        yield return $"  {"program",-8} {"native",10} {"wasmrun",10} {"ratio",7}{baseColumns}";
        var ratios = new List<double>();
        var baseRatios = new List<double>();
        foreach (var name in Kernels)
        {
            var source = Path.Combine(sources, name + ".c");
            var wasm = Path.Combine(outputDirectory, name + ".wasi.wasm");
            var gcc = Path.Combine(outputDirectory, name + ".gcc");
            var clang = Path.Combine(outputDirectory, name + ".clang");
            Build("clang-14", "--target=wasm32-wasi", "-O2", "-Wl,--strip-debug", source, "-o", wasm, "-lm");
            Build("gcc", "-O2", source, "-o", gcc, "-lm");
            Build("clang-14", "-O2", source, "-o", clang, "-lm");
            var (native, output) = Runner.Best([gcc], null, Runs);
            native = Math.Min(native, Runner.Best([clang], output, Runs).Seconds);
            var ours = Runner.Best([binary, "exec", wasm], output, Runs).Seconds;
            ratios.Add(ours / native);
            var baseCells = Runner.BaselineCells(baseline, ["exec", wasm], output, Runs, ours, native, baseRatios);
            yield return $"  {name,-8} {native,9:F3}s {ours,9:F3}s {ours / native,6:F1}x{baseCells}";
        }
        yield return $"  {"geomean",-8} {"",10} {"",10} {Runner.Geomean(ratios),6:F1}x{Runner.BaselineGeomean(baseline, ratios, baseRatios)}";

        var hello = Path.Combine(outputDirectory, "hello.wasm");
        Build("clang-14", "--target=wasm32-wasi", "-O2", "-Wl,--strip-debug", Path.Combine(sources, "hello.c"), "-o", hello, "-lm");
        var preopen = Directory.CreateTempSubdirectory("wasmrun-bench-").FullName;
        try
        {
            string[] command = [binary, "exec", "--dir", $"{preopen}::/", "--env", "GREETING=bench", hello, "/"];
            var times = Enumerable.Range(0, 31).Select(_ => Time(command)).Order().ToList();
            var version = Enumerable.Range(0, 31).Select(_ => Time([binary, "--version"])).Order().ToList();
            yield return $"hello.wasm: wasmrun exec median {times[15] * 1000:F1} ms (min {times[0] * 1000:F1}); wasmrun --version median {version[15] * 1000:F1} ms (31 runs)";
            if (File.Exists("/usr/bin/time"))
            {
                var rss = Runner.Tool("/usr/bin/time", ["-f", "%M", .. command], stderr: true).Trim().Split('\n')[^1];
                yield return $"hello.wasm: peak RSS {long.Parse(rss, CultureInfo.InvariantCulture) / 1024.0:F1} MiB";
            }
        }
        finally
        {
            Directory.Delete(preopen, recursive: true);
        }
    }

    private static double Time(string[] command)
    {
        var clock = Stopwatch.StartNew();
        Runner.Tool(command[0], command[1..]);
        return clock.Elapsed.TotalSeconds;
    }

    private static void Build(string program, params string[] arguments) => Runner.Tool(program, arguments);
}
