// The text format through the binary: `wasmrun wast` on scripts that pass and fail, .wat files given to exec and
// verify, syntax errors as FILE:LINE:COL, and `wat2wasm` / `wasm2wat` converting both ways without touching the input.
using System.Text;
using System.Text.Json;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Cli;

public sealed class TextCommandTests
{
    private const string Adder = """
        (module
          (func (export "add") (param $a i32) (param $b i32) (result i32)
            (i32.add (local.get $a) (local.get $b)))
          (func (export "div") (param i32 i32) (result i32)
            (i32.div_s (local.get 0) (local.get 1))))
        """;

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Test]
    public async Task Wast_reports_every_failing_command_with_its_line_and_exits_1()
    {
        using var dir = new TempDirectory();
        var passing = dir.File("pass.wast", Utf8(Adder + """

            (assert_return (invoke "add" (i32.const 2) (i32.const 3)) (i32.const 5))
            (assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
            (assert_malformed (module quote "(func (i32.const 0x))") "unknown operator")
            (assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
            """));
        var result = await WasmrunBinary.RunAsync(["wast", passing]);
        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Stdout).IsEqualTo($"{passing}: 5/5 commands passed\n");

        var failing = dir.File("fail.wast", Utf8(Adder + """

            (assert_return (invoke "add" (i32.const 2) (i32.const 3)) (i32.const 6))
            (assert_return (invoke "add" (i32.const 1) (i32.const 1)) (i32.const 2))
            """));
        result = await WasmrunBinary.RunAsync(["wast", dir.Path]);
        await Assert.That(result.ExitCode).IsEqualTo(1);
        await Assert.That(result.Stdout).Contains($"{failing}:6: Return: result 0: expected i32 6, got i32 5\n{failing}: 2/3 commands passed\n");
        await Assert.That(result.Stdout).EndsWith("all 2 scripts: 7/8 commands passed\n");

        result = await WasmrunBinary.RunAsync(["wast", "--json", failing]);
        using var json = JsonDocument.Parse(result.Stdout);
        var failure = json.RootElement.GetProperty("scripts")[0].GetProperty("failures")[0];
        await Assert.That(failure.GetProperty("line").GetInt32()).IsEqualTo(6);
        await Assert.That(failure.GetProperty("kind").GetString()).IsEqualTo("Return");
    }

    [Test]
    public async Task Wast_checks_against_3_0_unless_told_2_0()
    {
        using var dir = new TempDirectory();
        var script = dir.File("const.wast", Utf8("""(assert_invalid (module (global i32 (i32.add (i32.const 1) (i32.const 2)))) "constant expression required")"""));
        var result = await WasmrunBinary.RunAsync(["wast", "--spec", "2.0", script]);
        await Assert.That(result.ExitCode).IsEqualTo(0);
        result = await WasmrunBinary.RunAsync(["wast", script]);
        await Assert.That(result.ExitCode).IsEqualTo(1);
        await Assert.That(result.Stdout).Contains("but the module was accepted");
        result = await WasmrunBinary.RunAsync(["wast", "--spec", "1.0", script]);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).StartsWith("error: --spec 1.0: not a specification version Wasmrun checks");
    }

    [Test]
    public async Task Wast_refuses_a_script_that_is_not_utf8_at_its_place()
    {
        using var dir = new TempDirectory();
        var script = dir.File("latin1.wast", [.. "(module)\n;; caf"u8, 0xE9, .. "\n"u8]);
        var result = await WasmrunBinary.RunAsync(["wast", script]);
        await Assert.That(result.ExitCode).IsEqualTo(1);
        await Assert.That(result.Stderr).IsEqualTo($"{script}:2:7: error: malformed UTF-8 encoding\n");
    }

    [Test]
    public async Task Wast_without_scripts_is_a_usage_error()
    {
        var result = await WasmrunBinary.RunAsync(["wast"]);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        result = await WasmrunBinary.RunAsync(["wast", "no-such.wast"]);
        await Assert.That(result.ExitCode).IsEqualTo(1);
        await Assert.That(result.Stderr).StartsWith("error: no-such.wast: no such file or folder");
    }

    [Test]
    public async Task Exec_and_verify_read_text_modules_and_place_syntax_errors()
    {
        using var dir = new TempDirectory();
        var module = dir.File("adder.wat", Utf8(Adder));
        var result = await WasmrunBinary.RunAsync(["exec", "--invoke", "add", module, "40", "2"]);
        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Stdout).IsEqualTo("42\n");

        var broken = dir.File("broken.wat", Utf8("(module\n  (func (result i32)\n    (i32.const 1_)))\n"));
        result = await WasmrunBinary.RunAsync(["verify", broken]);
        await Assert.That(result.ExitCode).IsEqualTo(1);
        await Assert.That(result.Stderr).IsEqualTo($"{broken}:3:16: error: unknown operator\n");

        // A text file without the .wat name is still recognised by its first characters.
        var unnamed = dir.File("adder.txt", Utf8(";; an adder\n" + Adder));
        result = await WasmrunBinary.RunAsync(["verify", unnamed]);
        await Assert.That(result.ExitCode).IsEqualTo(0);
    }

    [Test]
    public async Task Wat2wasm_and_wasm2wat_convert_both_ways_and_never_overwrite_the_input()
    {
        using var dir = new TempDirectory();
        var text = dir.File("adder.wat", Utf8(Adder));
        var result = await WasmrunBinary.RunAsync(["wat2wasm", text]);
        await Assert.That(result.ExitCode).IsEqualTo(0);
        var binary = Path.Combine(dir.Path, "adder.wasm");
        var bytes = await File.ReadAllBytesAsync(binary);
        await Assert.That(bytes.AsSpan(0, 4).SequenceEqual("\0asm"u8)).IsTrue();

        result = await WasmrunBinary.RunAsync(["wasm2wat", binary]);
        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Stdout).Contains("i32.div_s");
        var printed = dir.File("printed.wat", Utf8(result.Stdout));
        result = await WasmrunBinary.RunAsync(["wat2wasm", printed, "-o", Path.Combine(dir.Path, "again.wasm")]);
        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(await File.ReadAllBytesAsync(Path.Combine(dir.Path, "again.wasm"))).IsEquivalentTo(bytes);

        result = await WasmrunBinary.RunAsync(["wat2wasm", text, "-o", text]);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(await File.ReadAllTextAsync(text)).IsEqualTo(Adder);

        // An invalid module is not written.
        var invalid = dir.File("invalid.wat", Utf8("(module (func (result i32) (i64.const 0)))"));
        result = await WasmrunBinary.RunAsync(["wat2wasm", invalid]);
        await Assert.That(result.ExitCode).IsEqualTo(1);
        await Assert.That(result.Stderr).Contains("type mismatch");
        await Assert.That(File.Exists(Path.Combine(dir.Path, "invalid.wasm"))).IsFalse();
    }
}
