// Hostile and edge-case WASI calls (programs/c/hostile.c, built with clang-14 during the run) on the published binary:
// exit statuses outside 0-255, waits that --timeout must end, writes with a bad or huge iovec list, absurd
// poll_oneoff counts, and Go's read-only open on read-only and writable preopens.
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Wasi;

public sealed class HostileProgramTests
{
    private const int EINVAL = 28;

    private static Task<string> Program() => WasiTools.BuildCAsync(Path.Combine(WasiTools.OwnPrograms, "c", "hostile.c"));

    [Test]
    [Arguments("0", 0)]
    [Arguments("255", 255)]
    public async Task An_exit_status_of_0_to_255_is_the_process_status(string status, int expected)
    {
        var result = await WasiExec.RunAsync(await Program(), args: ["exit", status]);
        await Assert.That(result.ExitCode).IsEqualTo(expected).Because(result.ToString());
        await Assert.That(result.Stderr).IsEmpty();
    }

    [Test]
    [Arguments("256")]
    [Arguments("4294967295")]
    public async Task An_exit_status_a_process_cannot_have_is_a_trap_not_success(string status)
    {
        var result = await WasiExec.RunAsync(await Program(), args: ["exit", status]);
        await Assert.That(result.ExitCode).IsEqualTo(134).Because(result.ToString());
        await Assert.That(result.Stderr).StartsWith($"error: wasm trap: host function failed: proc_exit({status}): an exit status must be 0 to 255");
        await Assert.That(result.Stderr).Contains("_start at offset");
    }

    [Test]
    public async Task A_timeout_ends_a_program_sleeping_in_poll_oneoff()
    {
        var result = await WasiExec.RunAsync(await Program(), ["--timeout", "1s"], ["sleep"]);
        await Assert.That(result.ExitCode).IsEqualTo(134).Because(result.ToString());
        await Assert.That(result.Stdout).IsEqualTo("before\n");
        await Assert.That(result.Stderr).StartsWith("error: wasm trap: interrupted");
        await Assert.That(result.Stderr).Contains("hint: the limit was --timeout 1s");
    }

    [Test]
    public async Task A_timeout_ends_a_program_waiting_for_stdin_that_never_comes()
    {
        var result = await WasiExec.RunAsync(await Program(), ["--timeout", "1s"], ["read"], holdStdin: true);
        await Assert.That(result.ExitCode).IsEqualTo(134).Because(result.ToString());
        await Assert.That(result.Stdout).IsEqualTo("reading\n");
        await Assert.That(result.Stderr).StartsWith("error: wasm trap: interrupted");
    }

    [Test]
    public async Task Stdin_that_arrives_is_read_without_waiting_for_more()
    {
        var result = await WasiExec.RunAsync(await Program(), ["--timeout", "60s"], ["read"], stdin: "abc");
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stdout).IsEqualTo("reading\nread 3\n");
    }

    [Test]
    public async Task A_write_whose_second_buffer_is_bad_reports_the_bytes_of_the_first()
    {
        var result = await WasiExec.RunAsync(await Program(), args: ["write-fault"]);
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stdout).IsEqualTo("hello\n");
        await Assert.That(result.Stderr).IsEqualTo("errno=0 written=6\n");
    }

    [Test]
    public async Task A_write_of_more_than_4_GiB_reports_a_count_that_fits_32_bits()
    {
        var result = await WasiExec.RunAsync(await Program(), ["--dir", "/dev::/dev"], ["write-huge", "null"]);
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        // One call moves at most Linux's MAX_RW_COUNT, as write(2) does; never the total modulo 2^32.
        await Assert.That(result.Stdout).IsEqualTo("errno=0 written=2147479552\n");
    }

    [Test]
    public async Task Poll_oneoff_with_billions_of_subscriptions_is_einval()
    {
        var result = await WasiExec.RunAsync(await Program(), args: ["poll-huge"]);
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stdout).IsEqualTo($"errno={EINVAL} errno={EINVAL}\n");
    }

    [Test]
    public async Task Go_opens_a_file_on_a_read_only_preopen()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "data.txt"), "go data\n");
        var result = await WasiExec.RunAsync(await Program(), ["--dir-ro", $"{dir.Path}::/data"], ["go-open", "data.txt"]);
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stdout).IsEqualTo("read errno=0: go data\n");
    }

    [Test]
    public async Task Go_opens_a_read_only_file_on_a_writable_preopen_without_asking_to_write()
    {
        // root may write any file: a file nobody (uid 65534) cannot write tells a read-write open from a read-only one.
        if (OperatingSystem.IsWindows() || Environment.UserName != "root")
        {
            Skip.Test("needs root on Linux, to run the program as nobody");
            return;
        }
        using var dir = new TempDirectory();
        var module = Path.Combine(dir.Path, "hostile.wasm");
        File.Copy(await Program(), module);
        var data = Path.Combine(dir.Path, "data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "data.txt"), "read-only file\n");
        var readable = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var traversable = readable | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(Path.Combine(data, "data.txt"), readable);
        File.SetUnixFileMode(module, readable);
        File.SetUnixFileMode(data, traversable | UnixFileMode.OtherWrite);
        File.SetUnixFileMode(dir.Path, traversable);

        var result = await WasmrunBinary.RunAsync(["exec", "--dir", $"{data}::/data", module, "go-open", "data.txt"], runAsUser: "65534");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stdout).IsEqualTo("read errno=0: read-only file\n");
    }
}
