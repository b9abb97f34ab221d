// Differential test (issue 14): random modules from binaryen's fuzzer (`wasm-opt -ttf`) run in our interpreter and in
// binaryen's own (`--fuzz-exec-before`), and every export call must agree: its logged values, its results and whether
// (and, where binaryen's message says, why) it traps. Any NaN matches any NaN; a mismatch that vanishes under
// binaryen's --denan is a NaN difference that reached other bits, counted but not failed. Seeds 1..200 in CI;
// WASMRUN_DIFFERENTIAL_MODULES=N (and WASMRUN_DIFFERENTIAL_FIRST_SEED) for the long mode. Counts go to
// TestResults/differential-summary.txt; see docs/differential-testing.md.
//
// Our side runs in-process through the engine API `wasmrun exec` uses (decode, validate, Store.Instantiate,
// Store.Invoke): binaryen calls every exported function in export order on one instance (memory, globals and the
// fuzzer's hang-limit global carry from call to call) and provides the `fuzzing-support` log imports, neither of
// which `exec --invoke` (one export per process, WASI only) can mirror.
//
// Features: sign-ext, mutable-globals, nontrapping-float-to-int, bulk-memory, multivalue and simd. Reference types
// are left out: binaryen 108's predate the standard (externref is its anyref, a supertype of funcref, and ref.func
// values get typed-reference types, 0x6B), so its modules are not WebAssembly 2.0 and our validator rightly rejects
// them; the spec suite covers reference types. Threads, exception handling, tail calls, GC, memory64, relaxed SIMD
// and the rest are off: our engine does not implement them.
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using TUnit.Core.Interfaces;
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Text;
using Wasmrun.Engine.Validate;
using Wasmrun.Tests.Support;
using static Wasmrun.Tests.Support.Wasm;

namespace Wasmrun.Tests.Engine;

/// <summary>What one module compared: counts for the summary, and the first difference (the state after it would only
/// differ further).</summary>
internal sealed class DifferentialResult(int seed)
{
    public int Seed { get; } = seed;

    public int Calls;
    public int Results;
    public int Traps;
    public int Logs;
    public int NanDifferences;
    public bool HostLimit;
    public bool InstantiationTrap;

    public string? Mismatch { get; set; }

    /// <summary>The mismatch vanishes when binaryen's --denan pass turns every scalar NaN into 0: a NaN's sign or
    /// payload differed (both allowed) and flowed into other bits.</summary>
    public bool NanPropagation { get; set; }

    public bool Listed { get; set; }
}

public sealed class DifferentialTests
{
    public const string ModulesVariable = "WASMRUN_DIFFERENTIAL_MODULES";
    public const string FirstSeedVariable = "WASMRUN_DIFFERENTIAL_FIRST_SEED";

    /// <summary>The CI set: 10-20 s on a 2-core machine (two wasm-opt runs a module dominate).</summary>
    private const int CiModules = 200;

    /// <summary>The binaryen whose output format FuzzExecOutput reads (Debian bookworm's package).</summary>
    private const string BinaryenVersion = "108";

    /// <summary>binaryen's interpreter traps with "stack limit" past 250 nested calls (ModuleRunner::maxDepth, the
    /// export's own frame at depth 0): 251 frames, as our MaxCallDepth counts them.</summary>
    private const int BinaryenCallDepth = 251;

    /// <summary>The fuzzer's hang limit bounds every loop and call chain; this only catches an engine that hangs.</summary>
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(20);

    internal static readonly string[] Features =
    [
        "--mvp-features", "--enable-sign-ext", "--enable-mutable-globals", "--enable-nontrapping-float-to-int",
        "--enable-bulk-memory", "--enable-multivalue", "--enable-simd",
    ];

    /// <summary>Where a mismatching module and binaryen's output are kept (the test's own folder is deleted).</summary>
    internal static string KeptDirectory => Path.Combine(Path.GetTempPath(), "wasmrun-differential");

    internal static readonly ConcurrentBag<DifferentialResult> Outcomes = [];

    private static readonly Lazy<Task<string>> Version = new(async () =>
    {
        var result = await ExternalProcess.RunAsync(RequiredTool.Program("wasm-opt", "Debian package binaryen: ./build.sh setup"), ["--version"], Path.GetTempPath());
        return result.Stdout.Trim();
    });

    /// <summary>The seeds of the run, and the listed ones always (so CI sees a listed module that starts agreeing).</summary>
    public static IEnumerable<int> Seeds() =>
        Enumerable.Range(Number(FirstSeedVariable, 1), Number(ModulesVariable, CiModules)).Union(DifferentialExpectedMismatches.Reasons.Keys);

    [Test]
    [MethodDataSource(nameof(Seeds))]
    [ParallelLimiter<OnePerCore>]
    public async Task Random_module_runs_as_in_binaryen(int seed)
    {
        var wasmOpt = RequiredTool.Program("wasm-opt", "Debian package binaryen: ./build.sh setup");
        var version = await Version.Value;
        if (version != $"wasm-opt version {BinaryenVersion}")
        {
            RequiredTool.Missing($"{version} found, but this test reads the --fuzz-exec output of wasm-opt version {BinaryenVersion} (Debian bookworm's binaryen)");
        }
        using var work = new TempDirectory();
        var input = work.File("input.bin", SeedBytes(seed));
        var modulePath = Path.Combine(work.Path, "module.wasm");
        await Binaryen(wasmOpt, ["-ttf", input, .. Features, "-o", modulePath], work.Path);
        // binaryen runs the module as written, so both interpreters run the same bytes.
        var output = await Binaryen(wasmOpt, [modulePath, .. Features, "--fuzz-exec-before"], work.Path);

        var outcome = new DifferentialResult(seed);
        await Assert.That(TextDrift(File.ReadAllBytes(modulePath))).IsNull().Because($"seed {seed}: the module's text does not survive parse and print");
        outcome.Mismatch = Compare(File.ReadAllBytes(modulePath), FuzzExecRun.Parse(output), outcome);
        outcome.Listed = DifferentialExpectedMismatches.Reasons.TryGetValue(seed, out var reason);
        Outcomes.Add(outcome);

        if (outcome.Listed)
        {
            await Assert.That(outcome.Mismatch).IsNotNull()
                .Because($"seed {seed} agrees but DifferentialExpectedMismatches lists it ({reason}): remove it from the list");
            return;
        }
        if (outcome.Mismatch is not null)
        {
            // A NaN's sign and payload may differ (spec 4.3.3 nans) and then reach other bits: copysign, a reinterpret,
            // a store and a load of another type. binaryen's --denan makes every scalar NaN the module computes 0 (it
            // does not reach v128 lanes); a mismatch that then vanishes was such a difference.
            var denan = Path.Combine(work.Path, "denan.wasm");
            await Binaryen(wasmOpt, [modulePath, .. Features, "--denan", "-o", denan], work.Path);
            var denanOutput = await Binaryen(wasmOpt, [denan, .. Features, "--fuzz-exec-before"], work.Path);
            outcome.NanPropagation = Compare(File.ReadAllBytes(denan), FuzzExecRun.Parse(denanOutput), new DifferentialResult(seed)) is null;
        }
        if (outcome.Mismatch is not null && !outcome.NanPropagation)
        {
            Directory.CreateDirectory(KeptDirectory);
            var kept = Path.Combine(KeptDirectory, $"seed-{seed}.wasm");
            File.Copy(modulePath, kept, overwrite: true);
            File.WriteAllText(Path.ChangeExtension(kept, ".fuzz-exec.txt"), output);
            var features = string.Join(' ', Features);
            await Assert.That(outcome.Mismatch).IsNull().Because(
                $"seed {seed}: {outcome.Mismatch}\nmodule kept at {kept}; binaryen's run: wasm-opt {kept} {features} --fuzz-exec-before; its text: wasm-opt {kept} {features} --print");
        }
    }

    [Test]
    public async Task Binaryen_output_is_read_call_by_call()
    {
        var run = FuzzExecRun.Parse("""
            [fuzz-exec] calling hashMemory
            [fuzz-exec] note result: hashMemory => -1110737147
            [fuzz-exec] calling func_1
            [LoggingExternalInterface logging -8192]
            [LoggingExternalInterface logging 1 -2]
            [LoggingExternalInterface logging i32x4 0x00000001 0x00000000 0xffffffff 0x7fc00000]
            [trap final > memory: 4294967295 > 1048576]
            [fuzz-exec] calling func_2
            [fuzz-exec] note result: func_2 => (4294967296, -nan:0x7fff8e, i32x4 0x00000000 0xc08ff800 0xf1eb851f 0xc15fffff)
            [fuzz-exec] calling hangLimitInitializer
            """);

        await Assert.That(run.InstantiationTrap).IsNull();
        await Assert.That(run.Calls.Select(call => call.Export)).IsEquivalentTo(["hashMemory", "func_1", "func_2", "hangLimitInitializer"]);
        await Assert.That(run.Calls[0].Result).IsEqualTo("-1110737147");
        await Assert.That(run.Calls[1].Logs).IsEquivalentTo(["-8192", "1 -2", "i32x4 0x00000001 0x00000000 0xffffffff 0x7fc00000"]);
        await Assert.That(run.Calls[1].Trap).IsEqualTo("final > memory: 4294967295 > 1048576");
        await Assert.That(BinaryenText.TrapOf(run.Calls[1].Trap!)).IsEqualTo(TrapCode.MemoryOutOfBounds);
        await Assert.That(BinaryenText.Parts(run.Calls[2].Result!, 3)).IsEquivalentTo(["4294967296", "-nan:0x7fff8e", "i32x4 0x00000000 0xc08ff800 0xf1eb851f 0xc15fffff"]);
        await Assert.That(run.Calls[3].Result).IsNull();
        await Assert.That(run.Calls[3].Trap).IsNull();
    }

    [Test]
    [Arguments("f32", "-3402823466385288598117041e14", 0xFF7FFFFFUL)]
    [Arguments("f32", "1.1754943508222875e-38", 0x00800000UL)]
    [Arguments("f32", "0.6290000081062317", 0x3F210625UL)]
    [Arguments("f32", "-0", 0x80000000UL)]
    [Arguments("f32", "-nan:0x7fffff", 0xFFFFFFFFUL)]
    [Arguments("f32", "inf", 0x7F800000UL)]
    [Arguments("f64", "-1797693134862315708145274e284", 0xFFEFFFFFFFFFFFFFUL)]
    [Arguments("f64", "nan", 0x7FF8000000000000UL)]
    [Arguments("f64", "-8388606.815", 0xC15FFFFFB428F5C3UL)]
    [Arguments("f64", "5e-324", 0x1UL)]
    [Arguments("f64", "1.e+21", 0x444B1AE4D6E2EF50UL)]
    [Arguments("f64", "-nan:0xfffffffffc464", 0xFFFFFFFFFFFFC464UL)]
    public async Task Binaryen_floats_are_read_bit_exactly(string type, string text, ulong bits)
    {
        var valType = type == "f32" ? ValType.F32 : ValType.F64;
        await Assert.That(BinaryenText.ReadFloat(text, valType)).IsEqualTo(bits);
    }

    [Test]
    public async Task A_difference_names_the_export_and_both_values_and_a_nan_payload_is_none()
    {
        const byte I32 = 0x7F, F32 = 0x7D;
        var module = Module(
            Section(1, Vector(FuncType([I32], []), FuncType([], [I32]), FuncType([], [F32]))),
            Section(2, Vector([.. Name("fuzzing-support"), .. Name("log-i32"), 0x00, 0x00])),
            Section(3, Vector(U32(1), U32(2))),
            Section(7, Vector([.. Name("answer"), 0x00, 0x01], [.. Name("nan"), 0x00, 0x02])),
            Section(10, Vector(
                Body([0x41, 7, 0x10, 0x00, 0x41, 42, 0x0B]), // log-i32(7); 42
                Body([0x43, 0x01, 0x00, 0x80, 0x7F, 0x0B])))); // f32 nan:0x1
        string Output(int answer) => $"""
            [fuzz-exec] calling answer
            [LoggingExternalInterface logging 7]
            [fuzz-exec] note result: answer => {answer}
            [fuzz-exec] calling nan
            [fuzz-exec] note result: nan => -nan:0x400000
            """;

        var differing = new DifferentialResult(1);
        var agreeing = new DifferentialResult(2);

        await Assert.That(Compare(module, FuzzExecRun.Parse(Output(41)), differing))
            .IsEqualTo("export answer (call 1 of 2): result: binaryen 41, wasmrun 42 (i32 0x2a)");
        await Assert.That(Compare(module, FuzzExecRun.Parse(Output(42)), agreeing)).IsNull();
        await Assert.That((agreeing.Calls, agreeing.Results, agreeing.Logs, agreeing.NanDifferences)).IsEqualTo((2, 2, 1, 1));
    }

    /// <summary>The module's random input: deterministic per seed (a seeded Random is the same on every .NET).</summary>
    private static byte[] SeedBytes(int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[random.Next(1_000, 20_000)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static async Task<string> Binaryen(string wasmOpt, string[] arguments, string directory)
    {
        var result = await ExternalProcess.RunAsync(wasmOpt, arguments, directory, timeout: TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"wasm-opt {string.Join(' ', arguments)} exited with {result.ExitCode}: {result.Stderr}");
        }
        return result.Stdout;
    }

    /// <summary>The module printed as text, parsed and printed again must give the same text (binaryen writes padded
    /// LEB128 sizes, so its bytes are not ours to compare): null when it does, else the first differing line.</summary>
    private static string? TextDrift(byte[] bytes)
    {
        Module module;
        try
        {
            module = ModuleDecoder.Decode(bytes);
            ModuleValidator.Validate(module);
        }
        catch (ModuleFormatException)
        {
            return null;
        }
        var text = TextModule.Body(TextPrinter.Print(module));
        var printed = text.Split('\n');
        var again = TextModule.Body(TextPrinter.Print(TextModule.Decode(text))).Split('\n');
        var differing = printed.Zip(again).Select((pair, line) => (pair, line)).FirstOrDefault(entry => entry.pair.First != entry.pair.Second);
        return printed.Length == again.Length && differing == default ? null
            : $"line {differing.line + 1}: {differing.pair.First} became {differing.pair.Second} ({printed.Length} and {again.Length} lines)";
    }

    /// <summary>Runs the module as binaryen's ExecutionResults::get does; null when every call agrees.</summary>
    internal static string? Compare(byte[] bytes, FuzzExecRun binaryen, DifferentialResult tally)
    {
        Module module;
        try
        {
            module = ModuleDecoder.Decode(bytes);
            ModuleValidator.Validate(module);
        }
        catch (ModuleFormatException error)
        {
            return $"wasmrun rejects the module binaryen ran: {error.Describe()}";
        }
        using var store = new Store(new EngineOptions { MaxCallDepth = BinaryenCallDepth });
        var logs = new List<Value>();
        var linker = new Linker();
        foreach (var type in (ValType[])[ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.V128])
        {
            var name = "log-" + type.Name();
            linker.Define("fuzzing-support", name, Extern.Of(FunctionInstance.FromHost(store, new FuncType([type], []), name,
                call => logs.Add(Value.FromBits(type, call.Slots[0], type == ValType.V128 ? call.Slots[1] : 0)))));
        }
        using var timer = new Timer(_ => store.Interrupt(), null, TimeLimit, Timeout.InfiniteTimeSpan);

        Instance instance;
        try
        {
            instance = store.Instantiate(module, linker);
        }
        catch (TrapException trap)
        {
            tally.InstantiationTrap = true;
            return binaryen.InstantiationTrap is null ? $"instantiation: binaryen instantiates, wasmrun traps: {trap.Message}" : null;
        }
        catch (LinkException error)
        {
            return $"instantiation: {error.Message}";
        }
        if (binaryen.InstantiationTrap is { } message)
        {
            return $"instantiation: binaryen traps ({message}), wasmrun instantiates";
        }
        var exported = module.Exports.Where(e => e.Kind == ExternalKind.Function).Select(e => e.Name).ToList();
        if (!exported.SequenceEqual(binaryen.Calls.Select(call => call.Export)))
        {
            return $"binaryen called {string.Join(", ", binaryen.Calls.Select(call => call.Export))}; the module exports the functions {string.Join(", ", exported)}";
        }

        // binaryen resets its hang limit before every export it calls (ExecutionResults::run), then passes zeros.
        var hangLimitInitializer = instance.ExportedFunction("hangLimitInitializer");
        for (var i = 0; i < binaryen.Calls.Count; i++)
        {
            var call = binaryen.Calls[i];
            if (call.HostLimit is not null)
            {
                // binaryen ignores the whole run from here; so do we (its state is no longer ours).
                tally.HostLimit = true;
                return null;
            }
            var function = instance.ExportedFunction(call.Export)!;
            logs.Clear();
            Value[]? results = null;
            TrapException? trap = null;
            try
            {
                if (hangLimitInitializer is not null)
                {
                    store.Invoke(hangLimitInitializer, []);
                }
                results = store.Invoke(function, [.. function.Type.Parameters.Select(Zero)]);
            }
            catch (TrapException caught)
            {
                trap = caught;
            }
            var difference = trap?.Code == TrapCode.Interrupted
                ? $"wasmrun still runs after {TimeLimit.TotalSeconds} s"
                : CompareCall(call, logs, results, trap, tally);
            if (difference is not null)
            {
                return $"export {call.Export} (call {i + 1} of {binaryen.Calls.Count}): {difference}";
            }
            tally.Calls++;
        }
        return null;
    }

    private static string? CompareCall(FuzzExecCall call, List<Value> logs, Value[]? results, TrapException? trap, DifferentialResult tally)
    {
        for (var i = 0; i < Math.Min(call.Logs.Count, logs.Count); i++)
        {
            if (BinaryenText.Compare(call.Logs[i], logs[i], ref tally.NanDifferences) is { } difference)
            {
                return $"logged value {i + 1}: {difference}";
            }
        }
        if (call.Logs.Count != logs.Count)
        {
            var extra = call.Logs.Count > logs.Count ? $"binaryen's next: {call.Logs[logs.Count]}" : $"wasmrun's next: {BinaryenText.Show(logs[call.Logs.Count])}";
            return $"binaryen logged {call.Logs.Count} value(s), wasmrun {logs.Count} ({extra})";
        }
        tally.Logs += logs.Count;
        if (call.Trap is { } message)
        {
            if (trap is null)
            {
                return $"binaryen traps ({message}), wasmrun returns {Show(results!)}";
            }
            if (BinaryenText.TrapOf(message) is { } code && code != trap.Code)
            {
                return $"binaryen traps with \"{message}\" ({code.Message()}), wasmrun with \"{trap.Message}\"";
            }
            tally.Traps++;
            return null;
        }
        if (trap is not null)
        {
            return $"binaryen returns {call.Result ?? "nothing"}, wasmrun traps: {trap.Message}";
        }
        if (call.Result is null)
        {
            return results!.Length == 0 ? null : $"binaryen returns nothing, wasmrun {Show(results)}";
        }
        var parts = BinaryenText.Parts(call.Result, results!.Length);
        if (parts.Length != results.Length)
        {
            return $"binaryen returns {call.Result}, wasmrun {Show(results)}";
        }
        for (var i = 0; i < parts.Length; i++)
        {
            if (BinaryenText.Compare(parts[i], results[i], ref tally.NanDifferences) is { } difference)
            {
                return results.Length == 1 ? $"result: {difference}" : $"result {i + 1} of {results.Length}: {difference}";
            }
        }
        tally.Results++;
        return null;
    }

    private static Value Zero(ValType type) => Value.FromBits(type, 0);

    private static string Show(Value[] results) =>
        results.Length == 0 ? "nothing" : string.Join(", ", results.Select(BinaryenText.Show));

    private static int Number(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    /// <summary>Each module runs wasm-opt twice: as many modules at a time as there are cores.</summary>
    internal sealed class OnePerCore : IParallelLimit
    {
        public int Limit { get; } = Environment.ProcessorCount;
    }
}

public static class DifferentialSummaryHook
{
    [After(HookType.TestSession)]
    public static void WriteSummary()
    {
        if (DifferentialTests.Outcomes.IsEmpty)
        {
            return;
        }
        var path = Path.Combine(RepositoryRoot.Path, "TestResults", "differential-summary.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Format([.. DifferentialTests.Outcomes.OrderBy(outcome => outcome.Seed)]));
    }

    internal static string Format(IReadOnlyList<DifferentialResult> outcomes)
    {
        var text = new StringBuilder();
        text.AppendLine($"differential test against binaryen (wasm-opt -ttf, --fuzz-exec-before; {string.Join(' ', DifferentialTests.Features)})");
        text.AppendLine($"modules            {outcomes.Count,7} (seeds {Ranges(outcomes.Select(o => o.Seed))})");
        text.AppendLine($"  instantiation traps {outcomes.Count(o => o.InstantiationTrap),4}");
        text.AppendLine($"  host-limit stops    {outcomes.Count(o => o.HostLimit),4}");
        text.AppendLine($"export calls       {outcomes.Sum(o => o.Calls),7} agreeing ({outcomes.Sum(o => o.Results)} with results, {outcomes.Sum(o => o.Traps)} trapping)");
        text.AppendLine($"logged values      {outcomes.Sum(o => o.Logs),7} agreeing");
        text.AppendLine($"NaN payloads       {outcomes.Sum(o => o.NanDifferences),7} differing (accepted: any NaN matches any NaN)");
        var propagated = outcomes.Where(o => o.NanPropagation && !o.Listed).ToList();
        text.AppendLine($"NaN propagation    {propagated.Count,7} module(s) agreeing once --denan removes scalar NaNs");
        foreach (var outcome in propagated)
        {
            text.AppendLine($"  seed {outcome.Seed}: {outcome.Mismatch}");
        }
        var mismatches = outcomes.Where(o => o.Mismatch is not null && !o.NanPropagation && !o.Listed).ToList();
        text.AppendLine($"mismatches         {mismatches.Count,7}");
        foreach (var outcome in mismatches)
        {
            text.AppendLine($"  seed {outcome.Seed}: {outcome.Mismatch}");
        }
        var listed = outcomes.Where(o => o.Listed).ToList();
        text.AppendLine($"expected mismatches {listed.Count,6}{(listed.Count > 0 ? ": seeds " + string.Join(", ", listed.Select(o => o.Seed)) : "")}");
        return text.ToString();
    }

    /// <summary>Sorted seeds as runs: "1..200, 302".</summary>
    private static string Ranges(IEnumerable<int> seeds)
    {
        var runs = new List<string>();
        foreach (var seed in seeds)
        {
            if (runs.Count > 0 && runs[^1].Split("..")[^1] == (seed - 1).ToString(CultureInfo.InvariantCulture))
            {
                var first = runs[^1].Split("..")[0];
                runs[^1] = $"{first}..{seed}";
            }
            else
            {
                runs.Add(seed.ToString(CultureInfo.InvariantCulture));
            }
        }
        return string.Join(", ", runs);
    }
}
