// The kernel in process, with piped stdio as the OS page uses it (programs/proc.c built with clang-14): output
// arrives as events and in each process's transcript, stdin lines reach the process, kill and restart change the
// table, and the log records boot, spawn, kill and exit as JSON lines in its file.
using System.Collections.Concurrent;
using System.Text.Json;
using Wasmrun.Host;
using Wasmrun.Os;
using Wasmrun.Tests.Support;
using Wasmrun.Tests.Wasi;
using Wasmrun.Wasi;

namespace Wasmrun.Tests.Os;

public sealed class KernelTests
{
    private static readonly string Source = Path.Combine(RepositoryRoot.Path, "tests", "Wasmrun.Tests", "Os", "programs", "proc.c");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static async Task<ProcessSpec> Spec(string project, params string[] arguments)
    {
        var module = ModuleFile.Load(await WasiTools.BuildCAsync(Source));
        return new ProcessSpec(module, $"proc {string.Join(' ', arguments)}", ["proc", .. arguments], [new("PWD", "/app")],
            [new Preopen(project, "/app", ReadOnly: false)], new ProcessLimits());
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the kernel did not get there in time");
            }
            await Task.Delay(10);
        }
    }

    private static string Text(IEnumerable<KernelEvent.Output> chunks, OutputStream stream) =>
        string.Concat(chunks.Where(c => c.Stream == stream).Select(c => c.Text));

    [Test]
    public async Task Output_arrives_as_events_and_in_the_transcript_before_the_exit()
    {
        using var project = new TempDirectory();
        using var log = new TempDirectory();
        using var kernel = new Kernel(new KernelOptions(PipedStdio: true, LogFile: Path.Combine(log.Path, "kernel.log")));
        var events = new ConcurrentQueue<KernelEvent>();
        kernel.Events += events.Enqueue;
        var process = kernel.Spawn(await Spec(project.Path, "hello", "x", "5"));
        await process.Ended.WaitAsync(Patience);

        var info = process.Info;
        await Assert.That(info.State).IsEqualTo(ProcessState.Exited);
        await Assert.That(info.ExitStatus).IsEqualTo(0);
        await Assert.That(info.Pid).IsEqualTo(1);
        await Assert.That(Text(kernel.OutputOf(1), OutputStream.Stdout)).IsEqualTo("argv: proc hello x 5\nPWD=/app HOME=(null)\n");
        await Assert.That(Text(kernel.OutputOf(1), OutputStream.Stderr)).IsEqualTo("to stderr\n");
        // Every output event comes before the event of the exit.
        var ordered = events.ToList();
        var exit = ordered.FindIndex(e => e is KernelEvent.ProcessChanged { Process.State: ProcessState.Exited });
        await Assert.That(exit).IsGreaterThan(0);
        await Assert.That(ordered.FindLastIndex(e => e is KernelEvent.Output)).IsLessThan(exit);
        await Assert.That(ordered.OfType<KernelEvent.Logged>().Select(l => l.Entry.Kind)).Contains(KernelEventKind.Exit);
    }

    [Test]
    public async Task Stdout_and_stderr_keep_the_order_the_process_wrote_them_in()
    {
        using var project = new TempDirectory();
        using var kernel = new Kernel(new KernelOptions(PipedStdio: true, LogFile: null));
        var process = kernel.Spawn(await Spec(project.Path, "interleave"));
        await process.Ended.WaitAsync(Patience);

        var chunks = kernel.OutputOf(process.Pid);
        var expected = string.Concat(Enumerable.Range(0, 100).Select(i => $"out {i}\nerr {i}\n")) + "é\n";
        await Assert.That(string.Concat(chunks.Select(c => c.Text))).IsEqualTo(expected);
        await Assert.That(chunks.All(c => c.Stream == (c.Text.StartsWith("err", StringComparison.Ordinal) ? OutputStream.Stderr : OutputStream.Stdout))).IsTrue();
    }

    [Test]
    public async Task Stdin_lines_reach_the_process_and_closing_stdin_ends_it()
    {
        using var project = new TempDirectory();
        using var kernel = new Kernel(new KernelOptions(PipedStdio: true, LogFile: null));
        var process = kernel.Spawn(await Spec(project.Path, "echo"));
        await Until(() => Text(kernel.OutputOf(process.Pid), OutputStream.Stdout) == "ready\n");
        await Assert.That(kernel.WriteInput(process.Pid, "first\n")).IsTrue();
        await Until(() => Text(kernel.OutputOf(process.Pid), OutputStream.Stdout).EndsWith("got: first\n", StringComparison.Ordinal));
        await Assert.That(kernel.CloseInput(process.Pid)).IsTrue();
        await process.Ended.WaitAsync(Patience);
        await Assert.That(Text(kernel.OutputOf(process.Pid), OutputStream.Stdout)).IsEqualTo("ready\ngot: first\neof\n");
        await Assert.That(kernel.WriteInput(process.Pid, "late\n")).IsFalse();
    }

    [Test]
    public async Task Kill_ends_a_running_process_and_restart_starts_its_command_again()
    {
        using var project = new TempDirectory();
        using var log = new TempDirectory();
        var logFile = Path.Combine(log.Path, "kernel.log");
        using (var kernel = new Kernel(new KernelOptions(PipedStdio: true, LogFile: logFile)))
        {
            var spinning = kernel.Spawn(await Spec(project.Path, "spin"));
            await Until(() => Text(kernel.OutputOf(spinning.Pid), OutputStream.Stdout) == "spinning\n");
            await Assert.That(kernel.Status.Running).IsEqualTo(1);
            await Assert.That(kernel.Kill(spinning.Pid)).IsTrue();
            await spinning.Ended.WaitAsync(Patience);
            await Assert.That(spinning.Info.State).IsEqualTo(ProcessState.Killed);
            await Assert.That(spinning.Info.Reason).IsEqualTo("killed");
            await Assert.That(spinning.Info.CpuTime).IsGreaterThan(TimeSpan.Zero);
            await Assert.That(kernel.Kill(spinning.Pid)).IsFalse();

            var again = kernel.Restart(spinning.Pid)!;
            await Assert.That(again.Pid).IsEqualTo(2);
            await Assert.That(again.Info.Command).IsEqualTo("proc spin");
            await Until(() => Text(kernel.OutputOf(again.Pid), OutputStream.Stdout) == "spinning\n");
            await Assert.That(kernel.Processes.Select(p => p.State)).IsEquivalentTo([ProcessState.Killed, ProcessState.Running]);
            // Disposing the kernel ends what still runs.
        }
        var kinds = File.ReadAllLines(logFile).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("kind").GetString()!).ToList();
        await Assert.That(kinds).IsEquivalentTo(["boot", "spawn", "kill", "exit", "spawn", "kill", "exit", "shutdown"]);
    }

    [Test]
    public async Task The_kernel_tmp_is_shared_by_its_processes_and_removed_with_it()
    {
        using var project = new TempDirectory();
        string temp;
        using (var kernel = new Kernel(new KernelOptions(PipedStdio: true, LogFile: null)))
        {
            temp = kernel.TempFolder;
            var writer = kernel.Spawn(await Spec(project.Path, "write"));
            await writer.Ended.WaitAsync(Patience);
            await Assert.That(File.ReadAllText(Path.Combine(temp, "written.txt"))).IsEqualTo("hello 1\n");
        }
        await Assert.That(Directory.Exists(temp)).IsFalse();
    }
}
