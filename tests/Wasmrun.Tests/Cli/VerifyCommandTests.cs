// `wasmrun verify` through the binary: the summary of a valid module, the spec's reason for an invalid one, JSON.
using System.Text.Json;
using Wasmrun.Tests.Support;
using static Wasmrun.Tests.Support.Wasm;

namespace Wasmrun.Tests.Cli;

public sealed class VerifyCommandTests
{
    [Test]
    public async Task A_valid_module_gets_a_summary()
    {
        var result = await WasmrunBinary.RunAsync(["verify", "examples/math.wasm"]);
        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Stdout).StartsWith("examples/math.wasm: valid WebAssembly module (");
        await Assert.That(result.Stdout).Contains("  functions  6\n");
        await Assert.That(result.Stdout).Contains("  exports    8\n");
        await Assert.That(result.Stdout).Contains("  entry      library: ");
        await Assert.That(result.Stderr).IsEmpty();
    }

    [Test]
    public async Task An_invalid_module_gets_the_reason_the_place_and_exit_code_1()
    {
        using var dir = new TempDirectory();
        var bytes = Module(
            Section(1, Vector(FuncType([], [0x7F]))),
            Section(3, Vector(U32(0))),
            Section(10, Vector(Body([0x42, 0x00, 0x0B]))));
        var file = dir.File("bad.wasm", bytes);
        var result = await WasmrunBinary.RunAsync(["verify", file]);
        await Assert.That(result.ExitCode).IsEqualTo(1);
        await Assert.That(result.Stdout).IsEmpty();
        await Assert.That(result.Stderr).StartsWith($"error: {file}: type mismatch: ");
        await Assert.That(result.Stderr).Contains("the function's result expects i32, found i64 at offset 0x1a (code section, function 0)\n  hint: ");
    }

    [Test]
    public async Task A_malformed_module_gets_the_spec_wording()
    {
        using var dir = new TempDirectory();
        var file = dir.File("truncated.wasm", [.. Header, 0x01, 0x04, 0x01, 0x60, 0x00]);
        var result = await WasmrunBinary.RunAsync(["verify", file]);
        await Assert.That(result.ExitCode).IsEqualTo(1);
        await Assert.That(result.Stderr).StartsWith($"error: {file}: unexpected end of section or function at offset 0xd (type section)");
    }

    [Test]
    public async Task Json_describes_valid_and_invalid_modules()
    {
        var valid = await WasmrunBinary.RunAsync(["verify", "examples/math.wasm", "--json"]);
        await Assert.That(valid.ExitCode).IsEqualTo(0);
        using (var json = JsonDocument.Parse(valid.Stdout))
        {
            await Assert.That(json.RootElement.GetProperty("valid").GetBoolean()).IsTrue();
            await Assert.That(json.RootElement.GetProperty("counts").GetProperty("functions").GetInt32()).IsEqualTo(6);
            await Assert.That(json.RootElement.GetProperty("entry").GetProperty("kind").GetString()).IsEqualTo("library");
        }

        using var dir = new TempDirectory();
        var file = dir.File("bad.wasm", Module(Section(7, Vector([.. Name("f"), 0x00, 0x05]))));
        var invalid = await WasmrunBinary.RunAsync(["verify", file, "--json"]);
        await Assert.That(invalid.ExitCode).IsEqualTo(1);
        using var error = JsonDocument.Parse(invalid.Stdout);
        var detail = error.RootElement.GetProperty("error");
        await Assert.That(error.RootElement.GetProperty("valid").GetBoolean()).IsFalse();
        await Assert.That(detail.GetProperty("kind").GetString()).IsEqualTo("invalid");
        await Assert.That(detail.GetProperty("message").GetString()).IsEqualTo("unknown function 5");
        await Assert.That(detail.GetProperty("section").GetString()).IsEqualTo("export");
        await Assert.That(detail.GetProperty("offset").GetInt32()).IsEqualTo(11);
    }
}
