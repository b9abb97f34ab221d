// Our own AssemblyScript WASI command (programs/asc, asc + @assemblyscript/wasi-shim from npm, built during the run)
// under `wasmrun exec`: argv, environ, clock, path_open/fd_read/fd_write in a preopen found by fd_prestat_*, proc_exit.
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Wasi;

public sealed class AssemblyScriptProgramTests
{
    private static Task<string> Build() => WasiTools.BuildAssemblyScriptAsync(Path.Combine(WasiTools.OwnPrograms, "asc"), "wc");

    [Test]
    public async Task Wc_counts_a_preopened_file_writes_the_counts_and_exits_with_the_line_count()
    {
        var module = await Build();
        using var data = new TempDirectory();
        File.WriteAllText(Path.Combine(data.Path, "input.txt"), "one two three\nfour five\n\nsix\n");
        var result = await WasiExec.RunAsync(module, ["--dir", $"{data.Path}::/data", "--env", "GREETING=hej"], ["/data", "input.txt", "alpha", "beta gamma"]);

        await Assert.That(result.ExitCode).IsEqualTo(4).Because(result.ToString());
        await Assert.That(result.Stdout).IsEqualTo(
            "argc=5 argv[0]=wc.wasm\nnotes: alpha|beta gamma\nGREETING=hej\nclock ok=true\ncounts 4 6 29\nwrote input.txt.count\n");
        await Assert.That(await File.ReadAllTextAsync(Path.Combine(data.Path, "input.txt.count"))).IsEqualTo("4 6 29\n");
    }

    [Test]
    public async Task Wc_reports_a_missing_file_and_exits_2()
    {
        var module = await Build();
        using var data = new TempDirectory();
        var result = await WasiExec.RunAsync(module, ["--dir", $"{data.Path}::/data", "--env", "GREETING=hej"], ["/data", "missing.txt"]);

        await Assert.That(result.ExitCode).IsEqualTo(2).Because(result.ToString());
        await Assert.That(result.Stderr).IsEqualTo("cannot open missing.txt: NOENT\n");
        await Assert.That(Directory.EnumerateFileSystemEntries(data.Path).ToList()).IsEmpty();
    }

    [Test]
    public async Task Wc_without_its_preopen_says_so()
    {
        var module = await Build();
        var result = await WasiExec.RunAsync(module, ["--env", "GREETING=hej"], ["/data", "input.txt"]);

        await Assert.That(result.ExitCode).IsEqualTo(2).Because(result.ToString());
        await Assert.That(result.Stderr).IsEqualTo("no preopened directory named /data\n");
    }
}
