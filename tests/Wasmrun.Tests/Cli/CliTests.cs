// The published binary as users run it: help, version, exit codes, and the one-line error format.
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Cli;

public sealed class CliTests
{
    [Test]
    public async Task Help_lists_the_commands()
    {
        var result = await WasmrunBinary.RunAsync(["--help"]);
        await Assert.That(result.ExitCode).IsEqualTo(0);
        foreach (var command in new[] { "verify", "inspect", "config" })
        {
            await Assert.That(result.Stdout).Contains($"  {command}");
        }
        var verify = await WasmrunBinary.RunAsync(["verify", "--help"]);
        await Assert.That(verify.Stdout).Contains("--debug");
        await Assert.That(verify.Stdout).Contains("--json");
    }

    [Test]
    [Arguments("--version")]
    [Arguments("-V")]
    public async Task Version_prints_name_and_version(string flag)
    {
        var result = await WasmrunBinary.RunAsync([flag]);
        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Stdout).Matches(@"^wasmrun \d+\.\d+\.\d+(\+[0-9a-f]{7})?\n$");
    }

    [Test]
    public async Task An_unknown_command_is_a_usage_error()
    {
        var result = await WasmrunBinary.RunAsync(["frobnicate"]);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).StartsWith("error: unknown command or path 'frobnicate'\n  hint: ");
        await Assert.That(result.Stdout).IsEmpty();
    }

    [Test]
    public async Task An_unknown_option_is_a_usage_error()
    {
        var result = await WasmrunBinary.RunAsync(["verify", "examples/math.wasm", "--frobnicate"]);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).IsEqualTo("error: unknown option '--frobnicate' for `wasmrun verify`\n  hint: usage: wasmrun verify [OPTIONS] <FILE> (`wasmrun verify --help` says more)\n");
    }

    [Test]
    public async Task Errors_are_one_line_without_a_stack_trace_unless_debug()
    {
        var plain = await WasmrunBinary.RunAsync(["verify", "no/such/file.wasm"]);
        await Assert.That(plain.ExitCode).IsEqualTo(1);
        await Assert.That(plain.Stderr).IsEqualTo("error: no/such/file.wasm: no such file\n  hint: check the path; it is relative to the current directory\n");

        var debug = await WasmrunBinary.RunAsync(["--debug", "verify", "no/such/file.wasm"]);
        await Assert.That(debug.ExitCode).IsEqualTo(1);
        await Assert.That(debug.Stderr).Contains("[debug] wasmrun ");
        await Assert.That(debug.Stderr).Contains("at Wasmrun.Host.ModuleFile.ReadFile");
    }

    [Test]
    public async Task Debug_logs_time_each_phase()
    {
        var result = await WasmrunBinary.RunAsync(["verify", "examples/math.wasm", "--debug"]);
        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Stderr).Matches(@"\[debug\] decode: \d+\.\d+ ms");
        await Assert.That(result.Stderr).Matches(@"\[debug\] validate: \d+\.\d+ ms");
        await Assert.That(result.Stderr).Matches(@"\[debug\] verify: \d+\.\d+ ms, exit code 0");
    }

    [Test]
    public async Task Output_has_no_colour_codes_when_piped_or_with_NO_COLOR()
    {
        var piped = await WasmrunBinary.RunAsync(["inspect", "examples/math.wasm"]);
        var noColor = await WasmrunBinary.RunAsync(["inspect", "examples/math.wasm"], new Dictionary<string, string?> { ["NO_COLOR"] = "1" });
        await Assert.That(piped.Stdout).DoesNotContain("\u001b[");
        await Assert.That(noColor.Stdout).DoesNotContain("\u001b[");
    }

    [Test]
    public async Task The_config_color_setting_forces_colour_even_into_a_pipe()
    {
        using var home = new TempDirectory();
        home.File("config.toml", "color = \"always\"\n"u8.ToArray());
        var result = await WasmrunBinary.RunAsync(["verify", "examples/math.wasm"], new Dictionary<string, string?> { ["WASMRUN_HOME"] = home.Path });
        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Stdout).Contains("\u001b[32mvalid\u001b[0m");
    }

    [Test]
    public async Task A_malformed_config_file_stops_a_command_that_uses_settings_with_its_line_and_column()
    {
        using var home = new TempDirectory();
        var original = "color = \"auto\"\ncolour = \"never\"\n"u8.ToArray();
        var path = home.File("config.toml", original);
        var result = await WasmrunBinary.RunAsync(["plugin", "list"], new Dictionary<string, string?> { ["WASMRUN_HOME"] = home.Path });
        await Assert.That(result.ExitCode).IsEqualTo(1);
        await Assert.That(result.Stderr).StartsWith($"error: {path}:2:1: unknown key 'colour'");
        await Assert.That(File.ReadAllBytes(path)).IsEquivalentTo(original);
    }
}
