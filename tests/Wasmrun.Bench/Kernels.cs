// The execution benchmark: the shared C kernels built to wasm (no WASI) and natively (gcc -O2 and clang -O2), timed
// in one run as whole processes: `wasmrun exec --invoke run K.wasm N` against the faster native build, and node
// (V8's JIT) as a peer. Every run's checksum must equal the native one.
namespace Wasmrun.Bench;

internal static class Kernels
{
    private sealed record Kernel(string Name, int Workload);

    private static readonly Kernel[] All = [new("fib", 40), new("sieve", 6), new("matmul", 8), new("sha256", 4)];

    private const int Runs = 3;

    private static readonly string[] Tools = ["clang-14", "gcc", "wasm-ld-14"];

    public static IEnumerable<string> Run(string binary, string? baseline, string sourceDirectory, string outputDirectory)
    {
        var missing = Tools.Where(tool => Runner.Which(tool) is null).ToList();
        if (missing.Count > 0)
        {
            yield return $"kernels skipped: {string.Join(", ", missing)} not found (apt-get install clang-14 lld-14 gcc)";
            yield break;
        }
        var node = Runner.Which("node");
        yield return $"kernels: best of {Runs} whole-process runs; ratio = time / fastest native (gcc -O2 or clang -O2)";
        var baseColumns = baseline is null ? "" : $" {"baseline",10} {"ratio",7} {"vs base",8}";
        yield return $"  {"kernel",-8} {"workload",9} {"native",10} {"wasmrun",10} {"ratio",7}{baseColumns} {"node",10} {"ratio",7}";
        var ratios = new List<double>();
        var baseRatios = new List<double>();
        var nodeRatios = new List<double>();
        foreach (var kernel in All)
        {
            var source = Path.Combine(sourceDirectory, kernel.Name + ".c");
            var wasm = Path.Combine(outputDirectory, kernel.Name + ".wasm");
            var gcc = Path.Combine(outputDirectory, kernel.Name + ".gcc");
            var clang = Path.Combine(outputDirectory, kernel.Name + ".clang");
            var driver = Path.Combine(sourceDirectory, "native.c");
            Runner.Tool("clang-14", ["--target=wasm32", "-O2", "-nostdlib", "-mbulk-memory", $"-DWORKLOAD={kernel.Workload}",
                "-Wl,--no-entry", "-Wl,--strip-debug", "-o", wasm, source]);
            Runner.Tool("gcc", ["-O2", "-o", gcc, source, driver]);
            Runner.Tool("clang-14", ["-O2", "-o", clang, source, driver]);
            var argument = kernel.Workload.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var (native, checksum) = Runner.Best([gcc, argument], null, Runs);
            native = Math.Min(native, Runner.Best([clang, argument], checksum, Runs).Seconds);
            string[] exec = ["exec", "--invoke", "run", wasm, argument];
            var ours = Runner.Best([binary, .. exec], checksum, Runs).Seconds;
            ratios.Add(ours / native);
            var baseCells = Runner.BaselineCells(baseline, exec, checksum, Runs, ours, native, baseRatios);
            var peer = "-";
            var peerRatio = "-";
            if (node is not null)
            {
                var script = $"WebAssembly.instantiate(require('fs').readFileSync('{wasm}')).then(r => console.log(r.instance.exports.run({argument})))";
                var nodeTime = Runner.Best([node, "--no-experimental-fetch", "-e", script], checksum, Runs).Seconds;
                nodeRatios.Add(nodeTime / native);
                peer = $"{nodeTime:F3}s";
                peerRatio = $"{nodeTime / native:F1}x";
            }
            yield return $"  {kernel.Name,-8} {argument,9} {native,9:F3}s {ours,9:F3}s {ours / native,6:F1}x{baseCells} {peer,10} {peerRatio,7}";
        }
        var geomean = Runner.Geomean(ratios);
        var baseGeomean = Runner.BaselineGeomean(baseline, ratios, baseRatios);
        var nodeGeomean = nodeRatios.Count > 0 ? $"{Runner.Geomean(nodeRatios):F1}x" : "-";
        yield return $"  {"geomean",-8} {"",9} {"",10} {"",10} {geomean,6:F1}x{baseGeomean} {"",10} {nodeGeomean,7}";
    }
}
