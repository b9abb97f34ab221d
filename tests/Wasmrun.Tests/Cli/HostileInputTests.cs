// What a hostile or careless command line and module must not do to the published binary: a 4 GiB grow reaching freed
// host memory, a grow costing the RAM it does not touch, a call stack without a memory bound, a huge table, options
// that overflow, a module read from a pipe. Each ends cleanly: a result, a trap or a one-line error.
using Wasmrun.Tests.Spec;
using Wasmrun.Tests.Support;
using static Wasmrun.Tests.Support.Wasm;

namespace Wasmrun.Tests.Cli;

public sealed class HostileInputTests
{
    [Test]
    public async Task The_spec_suites_own_module_grows_by_4_GiB_from_0_pages()
    {
        if (SpecSuite.CoreDirectory is null)
        {
            Skip.Test(SpecSuite.MissingMessage);
        }
        var module = Path.Combine(SpecSuite.CoreDirectory!, "memory_grow.1.wasm");
        var result = await WasmrunBinary.RunAsync(["exec", "--invoke", "grow", module, "65536"]);
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stdout).IsEqualTo("0\n");
    }

    [Test]
    public async Task A_refused_4_GiB_grow_leaves_memory_working()
    {
        using var dir = new TempDirectory();
        var module = dir.File("probe.wasm", MemoryProbe(1));
        // 1 + 65536 pages is more than 4 GiB: -1, and the last byte of the one page is still the guest's to write.
        var result = await WasmrunBinary.RunAsync(["exec", "--invoke", "grow_touch", module, "65536"]);
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stdout).IsEqualTo("1\n");
    }

    [Test]
    public async Task A_1_GiB_grow_that_touches_one_page_peaks_under_64_MB()
    {
        var time = RequiredTool.Program("time", "Debian: time");
        using var dir = new TempDirectory();
        var module = dir.File("probe.wasm", MemoryProbe(0));
        // GNU time reports the child's own peak resident set (getrusage ru_maxrss), in KiB.
        var result = await ExternalProcess.RunAsync(time, ["-f", "peak-kib=%M", WasmrunBinary.RequirePath(), "exec", "--invoke", "grow_touch", module, "16384"], dir.Path);
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stdout).IsEqualTo("16384\n");
        var peak = long.Parse(result.Stderr.Trim().Split('\n')[^1].Replace("peak-kib=", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        await Assert.That(peak).IsLessThanOrEqualTo(64 * 1024).Because($"peak RSS {peak} KiB");
    }

    [Test]
    public async Task Deep_recursion_at_the_deepest_allowed_stack_traps_with_bounded_memory()
    {
        var time = RequiredTool.Program("time", "Debian: time");
        using var dir = new TempDirectory();
        var module = dir.File("recurse.wasm", Module(
            Section(1, Vector(FuncType([], []))),
            Section(3, Vector(U32(0))),
            Section(7, Vector([.. Name("f"), 0x00, .. U32(0)])),
            Section(10, Vector(Body([0x10, 0x00, 0x0B])))));
        var result = await ExternalProcess.RunAsync(time, ["-f", "peak-kib=%M", WasmrunBinary.RequirePath(), "exec", "--max-stack", "4000000", "--invoke", "f", module], dir.Path);
        await Assert.That(result.ExitCode).IsEqualTo(134).Because(result.ToString());
        await Assert.That(result.Stderr).StartsWith("error: wasm trap: call stack exhausted");
        var peak = long.Parse(result.Stderr.Trim().Split('\n')[^1].Replace("peak-kib=", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        await Assert.That(peak).IsLessThanOrEqualTo(512 * 1024).Because($"peak RSS {peak} KiB");
    }

    [Test]
    [Arguments("--max-stack", "2147483647", "--max-stack: 2147483647 is deeper than the 4000000 calls the call stack's memory allows")]
    [Arguments("--max-stack", "100000000", "--max-stack: 100000000 is deeper than the 4000000 calls the call stack's memory allows")]
    [Arguments("--timeout", "99999999999h", "--timeout: '99999999999h' is longer than 49 days, the longest a timer can wait")]
    public async Task Limits_beyond_what_the_host_can_honour_are_usage_errors(string option, string value, string message)
    {
        var result = await WasmrunBinary.RunAsync(["exec", option, value, "--invoke", "fib", Path.Combine(RepositoryRoot.Path, "examples", "math.wasm"), "10"]);
        await Assert.That(result.ExitCode).IsEqualTo(2).Because(result.ToString());
        await Assert.That(result.Stderr).IsEqualTo($"error: {message}\n");
    }

    [Test]
    public async Task A_table_of_4_billion_entries_is_refused_with_one_line()
    {
        using var dir = new TempDirectory();
        var module = dir.File("table.wasm", Module(Section(4, Vector([0x70, 0x00, .. U32(0xFFFF_FFFF)]))));
        var result = await WasmrunBinary.RunAsync(["exec", module]);
        await Assert.That(result.ExitCode).IsEqualTo(1).Because(result.ToString());
        await Assert.That(result.Stderr).IsEqualTo("error: table 0 needs 4294967295 entries: more than the 10000000 a table may have\n");
    }

    [Test]
    public async Task A_module_is_read_from_a_pipe()
    {
        var mkfifo = RequiredTool.Program("mkfifo", "Debian: coreutils");
        using var dir = new TempDirectory();
        var fifo = Path.Combine(dir.Path, "math.fifo");
        await Assert.That((await ExternalProcess.RunAsync(mkfifo, [fifo], dir.Path)).ExitCode).IsEqualTo(0);
        var bytes = File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "examples", "math.wasm"));
        // Opening a FIFO's write end waits for the reader: the binary opens the other end.
        var writer = Task.Run(() => File.WriteAllBytes(fifo, bytes));

        var result = await WasmrunBinary.RunAsync(["exec", "--invoke", "fib", fifo, "10"]);
        await writer.WaitAsync(TimeSpan.FromSeconds(30));

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stdout).IsEqualTo("55\n");
    }
}
