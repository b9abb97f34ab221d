// One OS-mode process: a module instance in its own store, on its own thread, with its own WASI view (arguments,
// environment, mounts, stdio). It ends by exiting, by a kill (the store's interrupt), by a limit or by a trap, and
// records which; CPU time is its thread's.
using Wasmrun.Cli;
using Wasmrun.Engine;
using Wasmrun.Engine.Runtime;
using Wasmrun.Wasi;
using Wasmrun.Wasi.Posix;

namespace Wasmrun.Os;

internal sealed class OsProcess
{
    /// <summary>What `os run` exits with when a process was killed or ran out of time (as a shell reports SIGKILL
    /// and timeout(1) does).</summary>
    public const int KilledStatus = 137, TimeLimitStatus = 124;

    private readonly ProcessStdio stdio;
    private readonly Action<OsProcess> changed;
    private readonly TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock state = new();
    private Store? store;
    private Memory? memory;
    private bool killRequested, timedOut;
    private int tid;
    private TimeSpan finalCpu;
    private ulong finalMemory;
    private ProcessInfo info;

    public OsProcess(int pid, int parentPid, ProcessSpec spec, ProcessStdio stdio, Action<OsProcess> changed)
    {
        Pid = pid;
        Spec = spec;
        this.stdio = stdio;
        this.changed = changed;
        info = new ProcessInfo(pid, parentPid, spec.Command, ProcessState.Running, DateTimeOffset.UtcNow, null, TimeSpan.Zero, 0, null, EndCause.None, null);
    }

    public int Pid { get; }

    public ProcessSpec Spec { get; }

    public ProcessStdio Stdio => stdio;

    /// <summary>The engine or WASI error a failed process ended with (traps included), for `os run` to report.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Completes when the process has ended and its output has been delivered.</summary>
    public Task Ended => ended.Task;

    public ProcessInfo Info
    {
        get
        {
            lock (state)
            {
                return info.State == ProcessState.Running
                    ? info with { CpuTime = tid == 0 ? TimeSpan.Zero : LibC.ThreadCpuTime(tid) ?? finalCpu, MemoryBytes = memory?.Length ?? finalMemory }
                    : info;
            }
        }
    }

    public void Start()
    {
        // Interpreted code keeps its frames off the thread's stack, but host calls and the translator use it.
        var thread = new Thread(Run, 16 << 20) { IsBackground = true, Name = $"os-process-{Pid}" };
        thread.Start();
    }

    /// <summary>Ends the process at its next instruction boundary or blocking call; its state becomes Killed.</summary>
    public void Kill()
    {
        Store? running;
        lock (state)
        {
            if (info.State != ProcessState.Running)
            {
                return;
            }
            killRequested = true;
            running = store;
        }
        running?.Interrupt();
    }

    private void Run()
    {
        tid = LibC.GetTid();
        var limits = Spec.Limits;
        ProcessInfo outcome;
        try
        {
            using var engine = new Store(new EngineOptions { MaxMemoryBytes = limits.MaxMemoryBytes, Fuel = limits.Fuel });
            lock (state)
            {
                store = engine;
                if (killRequested)
                {
                    engine.Interrupt();
                }
            }
            var linker = new Linker();
            var options = new WasiOptions(Spec.Arguments, Spec.Environment, Spec.Mounts) { Stdio = stdio.Fds, MaxOpenFiles = limits.MaxOpenFiles };
            using var wasi = Spec.Module.ImportsWasi ? Preview1.Define(engine, linker, options) : null;
            using var timer = limits.WallTime is { } wall ? new Timer(_ => Interrupt(ref timedOut), null, wall, Timeout.InfiniteTimeSpan) : null;
            outcome = Execute(engine, linker);
            lock (state)
            {
                // The memory goes with the store: its size is kept for the table.
                finalMemory = memory?.Length ?? 0;
                memory = null;
            }
        }
        catch (Exception error) when (error is EngineException or WasmrunException)
        {
            Failure = error;
            outcome = info with { State = ProcessState.Failed, Cause = EndCause.Error, Reason = error.Message };
        }
        finalCpu = LibC.ThreadCpuTime(tid) ?? TimeSpan.Zero;
        // Output is delivered as it is written, so whoever sees the exit has seen everything the process wrote.
        stdio.ProcessEnded();
        lock (state)
        {
            info = outcome with { Ended = DateTimeOffset.UtcNow, CpuTime = finalCpu, MemoryBytes = finalMemory };
            store = null;
        }
        changed(this);
        ended.SetResult();
    }

    private void Interrupt(ref bool flag)
    {
        lock (state)
        {
            flag = true;
            store?.Interrupt();
        }
    }

    private ProcessInfo Execute(Store engine, Linker linker)
    {
        try
        {
            var instance = engine.Instantiate(Spec.Module, linker);
            lock (state)
            {
                memory = instance.Memory0;
            }
            if (instance.ExportedFunction("_start") is { } start)
            {
                engine.Invoke(start, []);
            }
            else if (Spec.Module.StartFunction is null)
            {
                throw new WasmrunException($"{Spec.Command}: nothing to run: the module has no _start export and no start function");
            }
            return Exited(0);
        }
        catch (WasiExit exit)
        {
            return Exited(exit.Status);
        }
        catch (TrapException trap)
        {
            lock (state)
            {
                if (killRequested)
                {
                    return info with { State = ProcessState.Killed, Cause = EndCause.Killed, ExitStatus = KilledStatus, Reason = "killed" };
                }
                if (timedOut)
                {
                    return info with { State = ProcessState.Failed, Cause = EndCause.TimeLimit, ExitStatus = TimeLimitStatus, Reason = $"time limit of {Units.Duration(Spec.Limits.WallTime!.Value)} reached" };
                }
            }
            Failure = trap;
            return trap.Code == TrapCode.OutOfFuel
                ? info with { State = ProcessState.Failed, Cause = EndCause.CpuLimit, Reason = $"CPU limit of {Spec.Limits.Fuel} fuel reached" }
                : info with { State = ProcessState.Failed, Cause = EndCause.Trap, Reason = $"trap: {trap.Message}" };
        }
    }

    /// <summary>An exit; a failing one after a refused memory.grow is the memory limit at work (runtimes report
    /// running out of memory and exit), and says so.</summary>
    private ProcessInfo Exited(int status) =>
        status != 0 && memory is { GrowthRefused: true }
            ? info with { State = ProcessState.Failed, Cause = EndCause.MemoryLimit, ExitStatus = status, Reason = $"memory limit of {Units.Size((long)Spec.Limits.MaxMemoryBytes)} reached (exit status {status})" }
            : info with { State = ProcessState.Exited, Cause = EndCause.Exit, ExitStatus = status, Reason = $"exit status {status}" };
}
