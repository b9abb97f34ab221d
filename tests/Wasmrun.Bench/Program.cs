// `./build.sh bench`: measures the published binary, never the tests: startup (--version); decode and validate
// throughput (the binary's own --debug phase timings) on the largest spec module and a large generated one;
// translation throughput and instantiation (in-process); the text format against wabt (TextFormatBench); the C kernels against native code and node; the shared
// WASI programs with their default workloads against native code, and a small WASI program's start-up and memory;
// OS mode's start-up and runtime benchmarks (OsRuntimes); the dev server's reload latency and load (DevServerBench).
// `./build.sh bench server` runs the dev server's part only, `./build.sh bench os` OS mode's, `./build.sh bench text`
// the text format's, `./build.sh bench profile`
// the interpreter's instruction profile of the real programs (InstructionProfile);
// `./build.sh bench --baseline OLD` also times the kernels and programs on another build of wasmrun in the same run.
using Wasmrun.Bench;

// --baseline OTHER: the kernels and programs run on another wasmrun binary too (an older build), side by side.
var baselineAt = Array.IndexOf(args, "--baseline");
var baseline = baselineAt >= 0 && baselineAt + 1 < args.Length ? Path.GetFullPath(args[baselineAt + 1]) : null;
if (args.Length < 1 || !File.Exists(args[0]) || (baselineAt >= 0 && !File.Exists(baseline)))
{
    Console.Error.WriteLine("usage: Wasmrun.Bench <path to the wasmrun binary> [server|os|profile] [--baseline <another wasmrun binary>] (./build.sh bench passes the first)");
    return 2;
}
var binary = Path.GetFullPath(args[0]);
var root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(binary)!, "..", ".."));
var output = Directory.CreateDirectory(Path.Combine(root, "artifacts", "bench")).FullName;
var report = new List<string>();
void Say(string line)
{
    report.Add(line);
    Console.WriteLine(line);
}

Say($"wasmrun bench, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
Say($"binary: {new FileInfo(binary).Length:N0} bytes");
if (baseline is not null)
{
    Say($"baseline: {baseline} ({new FileInfo(baseline).Length:N0} bytes); 'vs base' = wasmrun time / baseline time");
}
// `server`, `os` or `profile`: only that part (after start-up), reported in results-PART.txt.
var part = args.Skip(1).FirstOrDefault(a => a is "server" or "os" or "profile" or "text");
var osOutput = Directory.CreateDirectory(Path.Combine(output, "os")).FullName;
var startup = Runner.Time(binary, ["--version"], runs: 30);
Say($"startup: wasmrun --version  median {startup.Median:F1} ms  min {startup.Min:F1} ms  (30 runs)");

if (part is not null)
{
    var lines = part switch
    {
        "server" => DevServerBench.Run(binary, root, output),
        "profile" => InstructionProfile.Run(root, osOutput),
        "text" => TextFormatBench.Run(binary, TextScripts(root), output),
        _ => OsRuntimes.Run(binary, baseline, root, osOutput),
    };
    foreach (var line in lines)
    {
        Say(line);
    }
    File.WriteAllLines(Path.Combine(output, $"results-{part}.txt"), report);
    return 0;
}

var suite = Suite(root);
var core = Directory.Exists(Path.Combine(suite, "core")) ? Path.Combine(suite, "core") : suite;
var modules = new List<string>();
if (Directory.Exists(core))
{
    modules.Add(Directory.EnumerateFiles(core, "*.wasm").MaxBy(f => new FileInfo(f).Length)!);
}
else
{
    Say($"spec suite not found at {suite}: skipping the corpus module");
}
var generated = Path.Combine(output, "generated.wasm");
ModuleGenerator.Write(generated, targetBytes: 32 << 20);
modules.Add(generated);

Say("decode + validate (phase timings of `wasmrun verify --debug`, median of 5 runs):");
foreach (var module in modules)
{
    var phases = Runner.Phases(binary, module, runs: 5);
    var megabytes = new FileInfo(module).Length / 1e6;
    Say($"  {Path.GetFileName(module),-24} {megabytes,8:F2} MB  decode {phases.Decode,8:F2} ms ({megabytes / phases.Decode * 1000,7:F0} MB/s)" +
        $"  validate {phases.Validate,8:F2} ms ({megabytes / phases.Validate * 1000,7:F0} MB/s)" +
        $"  both {megabytes / (phases.Decode + phases.Validate) * 1000,7:F0} MB/s  wall {phases.Wall,8:F1} ms");
}

foreach (var line in EngineTimings.Translation(generated))
{
    Say(line);
}
foreach (var line in TextFormatBench.Run(binary, TextScripts(root), output))
{
    Say(line);
}
var kernelOutput = Directory.CreateDirectory(Path.Combine(output, "kernels")).FullName;
var pinned = Runner.OnOneCpu();
Say("kernels and programs: every process on CPU 0 only (Runner.OnOneCpu)");
foreach (var line in Kernels.Run(binary, baseline, Path.Combine(root, "tests", "Wasmrun.Bench", "kernels"), kernelOutput))
{
    Say(line);
}
foreach (var line in EngineTimings.Instantiation(Directory.EnumerateFiles(kernelOutput, "*.wasm").Order()))
{
    Say(line);
}
var programsOutput = Directory.CreateDirectory(Path.Combine(output, "programs")).FullName;
foreach (var line in Programs.Run(binary, baseline, Path.Combine(root, "..", "shared", "programs"), programsOutput))
{
    Say(line);
}
pinned.Dispose();
foreach (var line in OsRuntimes.Run(binary, baseline, root, osOutput))
{
    Say(line);
}
foreach (var line in DevServerBench.Run(binary, root, output))
{
    Say(line);
}
File.WriteAllLines(Path.Combine(output, "results.txt"), report);
return 0;

static string Suite(string root) => Environment.GetEnvironmentVariable("WASMRUN_TESTSUITE_DIR") is { Length: > 0 } configured
    ? configured
    : Path.Combine(root, "..", "shared", "wasm-testsuite");

static string? TextScripts(string root) => Directory.Exists(Path.Combine(Suite(root), "wast")) ? Path.Combine(Suite(root), "wast") : null;
