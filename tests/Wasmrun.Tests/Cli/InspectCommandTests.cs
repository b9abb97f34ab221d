// `wasmrun inspect` through the binary: the structure tables, the disassembly and the JSON form.
using System.Text.Json;
using Wasmrun.Tests.Support;
using static Wasmrun.Tests.Support.Wasm;

namespace Wasmrun.Tests.Cli;

public sealed class InspectCommandTests
{
    [Test]
    public async Task Inspect_shows_sections_functions_and_exports()
    {
        var result = await WasmrunBinary.RunAsync(["inspect", "examples/math.wasm"]);
        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Stdout).Contains("binary version 1, valid");
        await Assert.That(result.Stdout).Contains("sections (10)");
        await Assert.That(result.Stdout).Matches(@"\n  1      fib             \(i32\) -> i32 +1 +0x[0-9a-f]+ +\d+ +\d+\n");
        await Assert.That(result.Stdout).Contains("  factorial       func    2      factorial\n");
        await Assert.That(result.Stdout).Contains("  0      active  0       i32.const 1024  23\n");
        await Assert.That(result.Stdout).Contains("custom sections (2)");
    }

    [Test]
    [Arguments("fib")]
    [Arguments("1")]
    public async Task Naming_a_function_disassembles_it(string function)
    {
        var result = await WasmrunBinary.RunAsync(["inspect", "examples/math.wasm", function]);
        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Stdout).StartsWith("\nfunc[1] fib (i32) -> i32  ; body at 0x");
        await Assert.That(result.Stdout).Contains("i32.load offset=1048\n");
        await Assert.That(result.Stdout).Contains("call 1 <fib>\n");
        await Assert.That(result.Stdout).DoesNotContain("sections (");
    }

    [Test]
    public async Task Disasm_prints_every_body_with_nesting()
    {
        var result = await WasmrunBinary.RunAsync(["inspect", "examples/math.wasm", "--disasm"]);
        await Assert.That(result.ExitCode).IsEqualTo(0);
        foreach (var function in new[] { "add", "fib", "factorial", "hypotenuse", "message", "message_length" })
        {
            await Assert.That(result.Stdout).Contains($"] {function} (");
        }
        await Assert.That(result.Stdout).Matches(@"\n +0x[0-9a-f]+      loop\n");
        await Assert.That(result.Stdout).Contains("f64.sqrt\n");
    }

    [Test]
    public async Task An_unknown_function_is_a_usage_error()
    {
        var result = await WasmrunBinary.RunAsync(["inspect", "examples/math.wasm", "nope"]);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).StartsWith("error: examples/math.wasm: no function 'nope' (the module has functions 0..5)");
    }

    [Test]
    public async Task Json_has_every_index_space_and_the_disassembly()
    {
        var result = await WasmrunBinary.RunAsync(["inspect", "examples/math.wasm", "add", "--json"]);
        await Assert.That(result.ExitCode).IsEqualTo(0);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        await Assert.That(root.GetProperty("functions").GetArrayLength()).IsEqualTo(6);
        await Assert.That(root.GetProperty("types")[0].GetProperty("signature").GetString()).IsEqualTo("(i32, i32) -> i32");
        await Assert.That(root.GetProperty("memories")[0].GetProperty("min").GetUInt32()).IsEqualTo(2u);
        var add = root.GetProperty("disassembly")[0];
        await Assert.That(add.GetProperty("name").GetString()).IsEqualTo("add");
        var texts = add.GetProperty("instructions").EnumerateArray().Select(i => i.GetProperty("text").GetString()).ToList();
        await Assert.That(texts).Contains("i32.add");
        await Assert.That(texts[^1]).IsEqualTo("end");
    }

    [Test]
    public async Task An_invalid_module_is_still_shown_and_marked_invalid()
    {
        using var dir = new TempDirectory();
        var file = dir.File("invalid.wasm", Functions(FuncType([], []), Body([0x41, 0x01, 0x0B])));
        var result = await WasmrunBinary.RunAsync(["inspect", file]);
        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Stdout).Contains("INVALID: type mismatch");
        await Assert.That(result.Stdout).Contains("functions (1)");
    }

    [Test]
    public async Task Wat_prints_the_module_as_text()
    {
        var result = await WasmrunBinary.RunAsync(["inspect", "examples/math.wasm", "--wat"]);
        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Stdout).StartsWith(";; 1 custom section not shown (the 2.0 text format has no form for them): \"producers\"\n(module\n");
        await Assert.That(result.Stdout).Contains("  (func $fib (;1;) (type 1) (param i32) (result i32)\n    (local i32 i32 i32)\n");
        await Assert.That(result.Stdout).Contains("    i32.load offset=1048\n");
        await Assert.That(result.Stdout).Contains("  (export \"fib\" (func $fib))\n");
        await Assert.That(result.Stdout).EndsWith("\n)\n");
    }

    [Test]
    public async Task Wat_shows_the_whole_module_only()
    {
        var result = await WasmrunBinary.RunAsync(["inspect", "examples/math.wasm", "fib", "--wat"]);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).StartsWith("error: --wat prints the whole module");
    }

    [Test]
    public async Task Wat_refuses_an_invalid_module()
    {
        using var dir = new TempDirectory();
        var file = dir.File("invalid.wasm", Functions(FuncType([], []), Body([0x41, 0x01, 0x0B])));
        var result = await WasmrunBinary.RunAsync(["inspect", file, "--wat"]);
        await Assert.That(result.ExitCode).IsEqualTo(1);
        await Assert.That(result.Stderr).Contains("type mismatch");
        await Assert.That(result.Stdout).IsEmpty();
    }
}
