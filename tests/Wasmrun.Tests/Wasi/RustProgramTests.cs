// Our own Rust WASI command (programs/rust/main.rs, built with Debian's rustc for wasm32-wasi during the run) under
// `wasmrun exec`: std's args, env, read_dir/read_to_string/write/metadata in a preopen, stdin and process::exit.
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Wasi;

public sealed class RustProgramTests
{
    private static Task<string> Build() => WasiTools.BuildRustAsync(Path.Combine(WasiTools.OwnPrograms, "rust", "main.rs"), "tally");

    private static TempDirectory Numbers()
    {
        var data = new TempDirectory();
        File.WriteAllText(Path.Combine(data.Path, "a.txt"), "1\n2\n3\n");
        File.WriteAllText(Path.Combine(data.Path, "b.txt"), "10\nnot a number\n20\n");
        File.WriteAllText(Path.Combine(data.Path, "ignored.dat"), "1000\n");
        return data;
    }

    [Test]
    public async Task Tally_sums_a_preopened_folder_stdin_and_arguments()
    {
        var module = await Build();
        using var data = Numbers();
        var result = await WasiExec.RunAsync(
            module,
            ["--dir", $"{data.Path}::/work", "--env", "TALLY_LABEL", "--env", "TALLY_LIMIT=1000"],
            ["/work", "5", "-1"],
            stdin: "100\n200\n",
            environment: new Dictionary<string, string?> { ["TALLY_LABEL"] = "sum" });

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stdout).IsEqualTo(
            "argv: tally.wasm | /work | 5 | -1\na.txt: 6\nb.txt: 30\nstdin: 300\nargs: 4\nsum = 340\nsummary.out: 8 bytes\n");
        await Assert.That(await File.ReadAllTextAsync(Path.Combine(data.Path, "summary.out"))).IsEqualTo("sum 340\n");
    }

    [Test]
    public async Task Tally_over_its_limit_exits_4()
    {
        var module = await Build();
        using var data = Numbers();
        var result = await WasiExec.RunAsync(module, ["--dir", $"{data.Path}::/work", "--env", "TALLY_LIMIT=30"], ["/work"]);

        await Assert.That(result.ExitCode).IsEqualTo(4).Because(result.ToString());
        await Assert.That(result.Stdout).EndsWith("total = 36\nsummary.out: 9 bytes\n");
        await Assert.That(result.Stderr).IsEqualTo("over the limit: 36 > 30\n");
    }

    [Test]
    public async Task Without_a_preopen_the_folder_cannot_be_listed()
    {
        var module = await Build();
        var result = await WasiExec.RunAsync(module, args: ["/work"]);

        await Assert.That(result.ExitCode).IsEqualTo(3).Because(result.ToString());
        await Assert.That(result.Stderr).StartsWith("cannot list /work: ");
    }
}
