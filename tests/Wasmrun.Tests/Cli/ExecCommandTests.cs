// `wasmrun exec` through the binary: typed --invoke arguments and results, traps with backtraces and exit code 134,
// the fuel, time, stack and memory limits, and the errors for bad arguments and unsatisfied imports.
using Wasmrun.Tests.Support;
using static Wasmrun.Tests.Support.Wasm;

namespace Wasmrun.Tests.Cli;

public sealed class ExecCommandTests
{
    private const byte I32 = 0x7F, I64 = 0x7E, F32 = 0x7D, F64 = 0x7C, V128 = 0x7B;

    /// <summary>add(a, b), div(a, b), spin (loops forever), recurse (forever), grow (until memory.grow fails; returns
    /// the pages), echo(i64, f32, f64, v128) returning them reversed; with function and parameter names.</summary>
    private static byte[] Fixture() => Module(
        Section(1, Vector(
            FuncType([I32, I32], [I32]),
            FuncType([], []),
            FuncType([], [I32]),
            FuncType([I64, F32, F64, V128], [V128, F64, F32, I64]))),
        Section(3, Vector(U32(0), U32(0), U32(1), U32(1), U32(2), U32(3))),
        Section(5, Vector([0x00, 0x01])),
        Section(7, Vector(
            [.. Name("add"), 0x00, 0x00],
            [.. Name("div"), 0x00, 0x01],
            [.. Name("spin"), 0x00, 0x02],
            [.. Name("recurse"), 0x00, 0x03],
            [.. Name("grow"), 0x00, 0x04],
            [.. Name("echo"), 0x00, 0x05])),
        Section(10, Vector(
            Body([0x20, 0x00, 0x20, 0x01, 0x6A, 0x0B]),
            Body([0x20, 0x00, 0x20, 0x01, 0x6D, 0x0B]),
            Body([0x03, 0x40, 0x0C, 0x00, 0x0B, 0x0B]),
            Body([0x10, 0x03, 0x0B]),
            Body([0x03, 0x40, 0x41, 0x01, 0x40, 0x00, 0x41, 0x7F, 0x47, 0x0D, 0x00, 0x0B, 0x3F, 0x00, 0x0B]),
            Body([0x20, 0x03, 0x20, 0x02, 0x20, 0x01, 0x20, 0x00, 0x0B]))),
        Section(0, [.. Name("name"),
            0x01, .. Sized(Vector(
                [.. U32(0), .. Name("add")], [.. U32(1), .. Name("div")], [.. U32(2), .. Name("spin")],
                [.. U32(3), .. Name("recurse")], [.. U32(4), .. Name("grow")], [.. U32(5), .. Name("echo")])),
            0x02, .. Sized(Vector([.. U32(0), .. Vector([.. U32(0), .. Name("a")], [.. U32(1), .. Name("b")])]))]));

    private static byte[] Sized(byte[] content) => [.. U32((uint)content.Length), .. content];

    /// <summary>`wasmrun exec OPTIONS fixture.wasm ARGUMENTS`.</summary>
    private static async Task<ProcessResult> Exec(string[] options, params string[] arguments)
    {
        using var dir = new TempDirectory();
        var file = dir.File("fixture.wasm", Fixture());
        return await WasmrunBinary.RunAsync(["exec", .. options, file, .. arguments]);
    }

    [Test]
    public async Task Invoke_parses_arguments_by_type_and_prints_results()
    {
        var add = await Exec(["--invoke", "add"], "2", "0x10");
        await Assert.That(add.Stdout).IsEqualTo("18\n");
        var negative = await Exec(["-c", "add"], "-7", "4294967295");
        await Assert.That(negative.Stdout).IsEqualTo("-8\n");
        var echo = await Exec(["--invoke", "echo"], "9007199254740993", "-0", "nan:0x200000", "0x000102030405060708090a0b0c0d0e0f");
        await Assert.That(echo.ExitCode).IsEqualTo(0).Because(echo.ToString());
        await Assert.That(echo.Stdout).IsEqualTo("0x000102030405060708090a0b0c0d0e0f\nnan:0x200000\n-0\n9007199254740993\n");
        var infinity = await Exec(["--invoke", "echo"], "-1", "inf", "-inf", "0x1");
        await Assert.That(infinity.Stdout).IsEqualTo("0x00000000000000000000000000000001\n-inf\ninf\n-1\n");
        var nan = await Exec(["--invoke", "echo"], "-1", "-nan", "-nan:0x1", "0x1");
        await Assert.That(nan.Stdout).IsEqualTo("0x00000000000000000000000000000001\n-nan:0x1\n-nan\n-1\n");
        // a `--` right after the module still only marks where the arguments start
        var escaped = await Exec(["--invoke", "add"], "--", "-7", "4294967295");
        await Assert.That(escaped.Stdout).IsEqualTo("-8\n");
    }

    [Test]
    public async Task Every_word_after_the_module_is_an_argument_of_the_invoked_function()
    {
        var result = await Exec(["--invoke", "add"], "1", "2", "--fuel", "1000");
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).StartsWith("error: add(a: i32, b: i32) takes 2 argument(s), 4 given");
        var flagLike = await Exec(["--invoke", "add"], "-inf", "2");
        await Assert.That(flagLike.Stderr).StartsWith("error: argument 1 of add(a: i32, b: i32), a: '-inf' is not an i32");
        var late = await Exec([], "--invoke", "add", "1", "2");
        await Assert.That(late.ExitCode).IsEqualTo(2);
        await Assert.That(late.Stderr).Contains("hint: Wasmrun's options go before the module: wasmrun exec --invoke NAME ");
    }

    [Test]
    public async Task Options_after_the_module_belong_to_the_program()
    {
        var examples = Path.Combine(RepositoryRoot.Path, "examples");
        var result = await WasmrunBinary.RunAsync(
            ["exec", "--dir", $"{examples}::/src", Path.Combine(examples, "lines.wasm"), "/src/lines.c", "--env", "NAME=late", "--timeout", "1s"]);
        // NAME was not set, and the program itself was asked to open "--env" (not granted anything by it)
        await Assert.That(result.Stdout).IsEqualTo("hello, stranger\n/src/lines.c: 24 lines\n");
        await Assert.That(result.Stderr).StartsWith("--env: ");
        await Assert.That(result.ExitCode).IsEqualTo(1);
    }

    [Test]
    public async Task A_reference_argument_other_than_null_is_refused_in_english()
    {
        var module = Module(
            Section(1, Vector(FuncType([0x70], [I32]))),
            Section(3, Vector(U32(0))),
            Section(7, Vector([.. Name("is_null"), 0x00, 0x00])),
            Section(10, Vector(Body([0x20, 0x00, 0xD1, 0x0B]))));
        using var dir = new TempDirectory();
        var file = dir.File("ref.wasm", module);
        var refused = await WasmrunBinary.RunAsync(["exec", "--invoke", "is_null", file, "0"]);
        await Assert.That(refused.ExitCode).IsEqualTo(2);
        await Assert.That(refused.Stderr).StartsWith("error: argument 1 of is_null(p0: funcref), p0: '0' is not a reference: a reference argument can only be null");
        var accepted = await WasmrunBinary.RunAsync(["exec", "--invoke", "is_null", file, "null"]);
        await Assert.That(accepted.Stdout).IsEqualTo("1\n");
    }

    [Test]
    public async Task Wrong_argument_count_or_value_is_a_usage_error_naming_the_parameter()
    {
        var count = await Exec(["--invoke", "add"], "1");
        await Assert.That(count.ExitCode).IsEqualTo(2);
        await Assert.That(count.Stderr).StartsWith("error: add(a: i32, b: i32) takes 2 argument(s), 1 given");
        var value = await Exec(["--invoke", "add"], "1", "one");
        await Assert.That(value.ExitCode).IsEqualTo(2);
        await Assert.That(value.Stderr).StartsWith("error: argument 2 of add(a: i32, b: i32), b: 'one' is not an i32");
        var range = await Exec(["--invoke", "add"], "1", "4294967296");
        await Assert.That(range.ExitCode).IsEqualTo(2);
        var unknown = await Exec(["--invoke", "sub"], "1", "2");
        await Assert.That(unknown.ExitCode).IsEqualTo(2);
        await Assert.That(unknown.Stderr).Contains("hint: exported functions: add, div, spin, recurse, grow, echo");
    }

    [Test]
    public async Task A_trap_prints_the_message_and_a_backtrace_and_exits_134()
    {
        var result = await Exec(["--invoke", "div"], "1", "0");
        await Assert.That(result.ExitCode).IsEqualTo(134);
        await Assert.That(result.Stdout).IsEmpty();
        await Assert.That(result.Stderr).Matches(@"^error: wasm trap: integer divide by zero\n  backtrace:\n    #0 func\[1\] div at offset 0x[0-9a-f]+\n$");
        var overflow = await Exec(["--invoke", "div"], "-2147483648", "-1");
        await Assert.That(overflow.Stderr).StartsWith("error: wasm trap: integer overflow");
    }

    [Test]
    public async Task Fuel_stops_an_endless_loop()
    {
        var result = await Exec(["--invoke", "spin", "--fuel", "100000"]);
        await Assert.That(result.ExitCode).IsEqualTo(134);
        await Assert.That(result.Stderr).StartsWith("error: wasm trap: all fuel consumed\n  backtrace:\n    #0 func[2] spin at offset");
        await Assert.That(result.Stderr).Contains("hint: the budget was --fuel 100000");
    }

    [Test]
    public async Task A_timeout_interrupts_an_endless_loop()
    {
        var result = await Exec(["--invoke", "spin", "--timeout", "300ms"]);
        await Assert.That(result.ExitCode).IsEqualTo(134);
        await Assert.That(result.Stderr).StartsWith("error: wasm trap: interrupted: the time limit was reached");
        await Assert.That(result.Stderr).Contains("hint: the limit was --timeout 300ms");
    }

    [Test]
    public async Task Endless_recursion_exhausts_the_call_stack_at_the_limit()
    {
        var result = await Exec(["--invoke", "recurse", "--max-stack", "500"]);
        await Assert.That(result.ExitCode).IsEqualTo(134);
        await Assert.That(result.Stderr).StartsWith("error: wasm trap: call stack exhausted\n  backtrace:\n    #0 func[3] recurse");
        // 500 callers and the innermost frame: the first 31 are shown.
        await Assert.That(result.Stderr.Split('\n').Count(line => line.Contains("func[3] recurse", StringComparison.Ordinal))).IsEqualTo(31);
        await Assert.That(result.Stderr).Contains("    ... 470 more frames\n");
    }

    [Test]
    public async Task Memory_growth_stops_at_the_memory_limit()
    {
        var limited = await Exec(["--invoke", "grow", "--max-memory", "1MiB"]);
        await Assert.That(limited.Stdout).IsEqualTo("16\n");
        var bad = await Exec(["--invoke", "grow", "--max-memory", "lots"]);
        await Assert.That(bad.ExitCode).IsEqualTo(2);
        await Assert.That(bad.Stderr).StartsWith("error: --max-memory: 'lots' is not a size in bytes");
    }

    [Test]
    public async Task Without_invoke_a_module_without_an_entry_point_is_a_usage_error()
    {
        var result = await Exec([]);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).Contains("nothing to run: no start function and no _start export");
        await Assert.That(result.Stderr).Contains("hint: call an export with --invoke NAME (add, div, spin, recurse, grow, echo)");
    }

    [Test]
    public async Task The_start_function_runs_before_the_invoked_export()
    {
        // global 0 starts at 1; the start function sets it to 42; `get` returns it.
        var module = Module(
            Section(1, Vector(FuncType([], []), FuncType([], [I32]))),
            Section(3, Vector(U32(0), U32(1))),
            Section(6, Vector([I32, 0x01, 0x41, 0x01, 0x0B])),
            Section(7, Vector([.. Name("get"), 0x00, 0x01])),
            Section(8, U32(0)),
            Section(10, Vector(Body([0x41, 0x2A, 0x24, 0x00, 0x0B]), Body([0x23, 0x00, 0x0B]))));
        using var dir = new TempDirectory();
        var result = await WasmrunBinary.RunAsync(["exec", "--invoke", "get", dir.File("start.wasm", module)]);
        await Assert.That(result.Stdout).IsEqualTo("42\n");
    }

    [Test]
    public async Task Unsatisfied_imports_are_listed_all_at_once()
    {
        var module = Module(
            Section(1, Vector(FuncType([I32, I32, I32, I32], [I32]), FuncType([], []))),
            Section(2, Vector(
                [.. Name("wasi_snapshot_preview1"), .. Name("fd_write"), 0x00, 0x00],
                [.. Name("env"), .. Name("log"), 0x00, 0x00],
                [.. Name("env"), .. Name("memory"), 0x02, 0x00, 0x01])),
            Section(3, Vector(U32(1))),
            Section(7, Vector([.. Name("_start"), 0x00, 0x01])),
            Section(10, Vector(Body([0x0B]))));
        using var dir = new TempDirectory();
        var file = dir.File("wasi.wasm", module);
        var result = await WasmrunBinary.RunAsync(["exec", file]);
        await Assert.That(result.ExitCode).IsEqualTo(1);
        // WASI's fd_write is provided; the others are not.
        await Assert.That(result.Stderr).StartsWith(
            $"error: {file}: unknown import: env.log (func (i32, i32, i32, i32) -> i32), env.memory (memory 1..)");
        await Assert.That(result.Stderr).Contains("hint: `wasmrun exec` provides WASI preview 1 (wasi_snapshot_preview1) and nothing else");
    }

    [Test]
    [Arguments("gojs", "runtime.ticks", "Go's js/wasm port (GOOS=js)")]
    [Arguments("env", "emscripten_memcpy_js", "Emscripten for the web")]
    public async Task A_module_built_for_the_web_says_how_to_get_a_runnable_build(string importModule, string importName, string maker)
    {
        var module = Module(
            Section(1, Vector(FuncType([], []))),
            Section(2, Vector([.. Name(importModule), .. Name(importName), 0x00, 0x00])),
            Section(3, Vector(U32(0))),
            Section(7, Vector([.. Name("_start"), 0x00, 0x01])),
            Section(10, Vector(Body([0x0B]))));
        using var dir = new TempDirectory();
        var result = await WasmrunBinary.RunAsync(["exec", dir.File("web.wasm", module)]);
        await Assert.That(result.ExitCode).IsEqualTo(1);
        await Assert.That(result.Stderr).Contains($"hint: this module was built by {maker} and needs its JavaScript glue: rebuild it for WASI (`wasmrun compile --target wasi`) to run it here, or open it in a browser with `wasmrun run`");
    }
}
