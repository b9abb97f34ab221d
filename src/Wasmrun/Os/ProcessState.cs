// The life of an OS-mode process, and the snapshot of one that the page, the log and `os run` read.
using System.Text.Json.Serialization;
using Wasmrun.Cli;

namespace Wasmrun.Os;

[JsonConverter(typeof(LowercaseEnum<ProcessState>))]
internal enum ProcessState
{
    Running,
    Exited,
    Killed,
    Failed,
}

/// <summary>Why a process ended other than by exiting: the kernel's word for the table and the log.</summary>
[JsonConverter(typeof(LowercaseEnum<EndCause>))]
internal enum EndCause
{
    None,
    Exit,
    Killed,
    MemoryLimit,
    CpuLimit,
    TimeLimit,
    Trap,
    Error,
}

/// <param name="Pid">Unique within the kernel, from 1.</param>
/// <param name="ParentPid">0: started by the kernel (WASI preview 1 processes cannot spawn).</param>
/// <param name="Command">The command line as the table shows it.</param>
/// <param name="State">Running, or how it ended.</param>
/// <param name="Started">When it was spawned.</param>
/// <param name="Ended">When it ended, or null.</param>
/// <param name="CpuTime">CPU time of the process's thread so far.</param>
/// <param name="MemoryBytes">The size of its linear memory.</param>
/// <param name="Cause">Why it ended (None while it runs).</param>
/// <param name="ExitStatus">The status it exited with; for a process that did not exit, the one `os run` reports.</param>
/// <param name="Reason">How it ended, in words, or null while it runs.</param>
internal sealed record ProcessInfo(
    int Pid, int ParentPid, string Command, ProcessState State, DateTimeOffset Started, DateTimeOffset? Ended,
    TimeSpan CpuTime, ulong MemoryBytes, int? ExitStatus, EndCause Cause, string? Reason);
