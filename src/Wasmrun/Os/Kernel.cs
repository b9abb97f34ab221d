// The OS-mode microkernel: a process table (pids from 1, states, restart), a temp folder that is the processes'
// /tmp, the kernel log, and one stream of events (process changes, output, log entries) for the page. Processes
// are module instances on their own threads (OsProcess); a kernel ends them all when it is disposed.
using Wasmrun.Cli;
using Wasmrun.Wasi;

namespace Wasmrun.Os;

internal abstract record KernelEvent
{
    public sealed record ProcessChanged(ProcessInfo Process) : KernelEvent;

    public sealed record Output(int Pid, OutputStream Stream, string Text) : KernelEvent;

    public sealed record Logged(KernelLogEntry Entry) : KernelEvent;
}

/// <param name="Booted">When the kernel started.</param>
/// <param name="Uptime">Since boot.</param>
/// <param name="Running">Processes running now.</param>
/// <param name="Total">Processes started since boot.</param>
/// <param name="MemoryBytes">The linear memory of the running processes together.</param>
/// <param name="TempFolder">The host folder that is every process's /tmp.</param>
internal sealed record KernelStatus(DateTimeOffset Booted, TimeSpan Uptime, int Running, int Total, ulong MemoryBytes, string TempFolder);

/// <param name="PipedStdio">Pipes for every process (the page); false: processes share the terminal's stdio.</param>
/// <param name="LogFile">The kernel log's JSON-lines file, or null for memory only.</param>
internal sealed record KernelOptions(bool PipedStdio, string? LogFile);

internal sealed class Kernel : IDisposable
{
    /// <summary>Output kept per process for a page that connects later: the newest this many characters.</summary>
    private const int TranscriptChars = 1 << 20;

    private readonly KernelOptions options;
    private readonly Lock table = new();
    private readonly SortedDictionary<int, OsProcess> processes = [];
    private readonly Dictionary<int, Transcript> transcripts = [];
    private int lastPid;
    private bool disposed;

    public Kernel(KernelOptions options)
    {
        this.options = options;
        Booted = DateTimeOffset.UtcNow;
        TempFolder = Directory.CreateTempSubdirectory("wasmrun-os-").FullName;
        TempMount = new Preopen(TempFolder, "/tmp", ReadOnly: false);
        Log = new KernelLog(options.LogFile);
        Log.Written += entry => Events?.Invoke(new KernelEvent.Logged(entry));
        Log.Write(KernelEventKind.Boot, null, $"kernel booted (wasmrun {AppVersion.Text}); /tmp is {TempFolder}");
    }

    public DateTimeOffset Booted { get; }

    /// <summary>A host folder of the kernel's own, mounted as every process's /tmp and removed with the kernel.</summary>
    public string TempFolder { get; }

    /// <summary>TempFolder as every process mounts it (Spawn adds it), and as the page's file browser shows it.</summary>
    public Preopen TempMount { get; }

    public KernelLog Log { get; }

    /// <summary>Every change, from the threads that cause them: subscribers must not block.</summary>
    public event Action<KernelEvent>? Events;

    public IReadOnlyList<ProcessInfo> Processes
    {
        get
        {
            lock (table)
            {
                return [.. processes.Values.Select(p => p.Info)];
            }
        }
    }

    public KernelStatus Status
    {
        get
        {
            var all = Processes;
            var running = all.Where(p => p.State == ProcessState.Running).ToList();
            return new KernelStatus(Booted, DateTimeOffset.UtcNow - Booted, running.Count, all.Count, (ulong)running.Sum(p => (long)p.MemoryBytes), TempFolder);
        }
    }

    public OsProcess? Find(int pid)
    {
        lock (table)
        {
            return processes.GetValueOrDefault(pid);
        }
    }

    /// <summary>The output a process has written so far (the newest part, when there was much), in order.</summary>
    public IReadOnlyList<KernelEvent.Output> OutputOf(int pid)
    {
        lock (table)
        {
            return transcripts.TryGetValue(pid, out var transcript) ? transcript.Chunks : [];
        }
    }

    /// <summary>Starts a process (with the kernel's /tmp added to its mounts); it runs until it exits, is killed, or
    /// hits a limit.</summary>
    public OsProcess Spawn(ProcessSpec spec, int parentPid = 0)
    {
        if (!spec.Mounts.Contains(TempMount))
        {
            spec = spec with { Mounts = [.. spec.Mounts, TempMount] };
        }
        int pid;
        lock (table)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            pid = ++lastPid;
            transcripts[pid] = new Transcript();
        }
        ProcessStdio stdio = options.PipedStdio
            ? new ProcessStdio.Piped((stream, text) => Written(pid, stream, text))
            : new ProcessStdio.Inherited();
        var process = new OsProcess(pid, parentPid, spec, stdio, Ended);
        lock (table)
        {
            processes[pid] = process;
        }
        Log.Write(KernelEventKind.Spawn, pid, $"spawned `{spec.Command}`" + Limits(spec.Limits));
        // Announced before it runs: a process that ends at once must not have its end overtaken by its start.
        Events?.Invoke(new KernelEvent.ProcessChanged(process.Info));
        process.Start();
        return process;
    }

    /// <summary>Starts the process's command again, as a new process.</summary>
    public OsProcess? Restart(int pid)
    {
        if (Find(pid) is not { } old)
        {
            return null;
        }
        Kill(pid);
        return Spawn(old.Spec, old.Info.ParentPid);
    }

    /// <summary>Kills a running process; false when there is no such process or it has already ended.</summary>
    public bool Kill(int pid)
    {
        if (Find(pid) is not { } process || process.Info.State != ProcessState.Running)
        {
            return false;
        }
        Log.Write(KernelEventKind.Kill, pid, $"kill requested for `{process.Spec.Command}`");
        process.Kill();
        return true;
    }

    /// <summary>Writes a line (or any text) to a process's stdin; false when it cannot take it.</summary>
    public bool WriteInput(int pid, string text) =>
        Find(pid) is { Stdio: ProcessStdio.Piped piped } process && process.Info.State == ProcessState.Running && piped.Write(text);

    /// <summary>Closes a process's stdin (end of file).</summary>
    public bool CloseInput(int pid)
    {
        if (Find(pid) is not { Stdio: ProcessStdio.Piped piped })
        {
            return false;
        }
        piped.CloseInput();
        return true;
    }

    public void Dispose()
    {
        List<OsProcess> running;
        lock (table)
        {
            if (disposed)
            {
                return;
            }
            disposed = true;
            running = [.. processes.Values.Where(p => p.Info.State == ProcessState.Running)];
        }
        foreach (var process in running)
        {
            Kill(process.Pid);
        }
        // A process ends at its next instruction boundary or blocking call: this is quick unless a host call hangs.
        Task.WaitAll([.. running.Select(p => p.Ended)], TimeSpan.FromSeconds(5));
        Log.Write(KernelEventKind.Shutdown, null, $"kernel stopped after {Units.Duration(DateTimeOffset.UtcNow - Booted)}");
        Log.Dispose();
        try
        {
            Directory.Delete(TempFolder, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A file a process still holds open: the system's temp cleaner takes the rest.
        }
    }

    private void Written(int pid, OutputStream stream, string text)
    {
        var chunk = new KernelEvent.Output(pid, stream, text);
        lock (table)
        {
            transcripts[pid].Add(chunk);
        }
        Events?.Invoke(chunk);
    }

    private void Ended(OsProcess process)
    {
        var info = process.Info;
        var kind = info.Cause switch
        {
            EndCause.MemoryLimit or EndCause.CpuLimit or EndCause.TimeLimit => KernelEventKind.Limit,
            EndCause.Trap or EndCause.Error => KernelEventKind.Error,
            _ => KernelEventKind.Exit,
        };
        Log.Write(kind, info.Pid, $"`{info.Command}` ended: {info.Reason}; CPU {info.CpuTime.TotalMilliseconds:0} ms, memory {Units.Size((long)info.MemoryBytes)}");
        Events?.Invoke(new KernelEvent.ProcessChanged(info));
    }

    private static string Limits(ProcessLimits limits)
    {
        var parts = new List<string> { $"memory ≤ {Units.Size((long)limits.MaxMemoryBytes)}" };
        if (limits.Fuel is { } fuel)
        {
            parts.Add($"fuel ≤ {fuel}");
        }
        if (limits.WallTime is { } wall)
        {
            parts.Add($"time ≤ {Units.Duration(wall)}");
        }
        return $" ({string.Join(", ", parts)})";
    }

    /// <summary>A process's output, trimmed from the front past TranscriptChars.</summary>
    private sealed class Transcript
    {
        private readonly LinkedList<KernelEvent.Output> chunks = new();
        private int chars;

        public IReadOnlyList<KernelEvent.Output> Chunks => [.. chunks];

        public void Add(KernelEvent.Output chunk)
        {
            chunks.AddLast(chunk);
            chars += chunk.Text.Length;
            while (chars > TranscriptChars && chunks.First is { } first)
            {
                chars -= first.Value.Text.Length;
                chunks.RemoveFirst();
            }
        }
    }
}
