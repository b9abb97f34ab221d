// What the OS server says to its page and what the page asks of it (docs/os.md, "The OS page and server"): records
// serialized by ServerJsonContext, so ui/src/api.g.ts carries them beside the dev server's. The kernel's own records
// go on the wire where they have a JSON form (a log entry, the state and cause enums); a process and the kernel's
// status get views here, with times in seconds and no host paths.
using System.Text.Json.Serialization;
using Wasmrun.Cli;
using Wasmrun.Os;

namespace Wasmrun.Server;

/// <summary>What an OS WebSocket message announces.</summary>
[JsonConverter(typeof(LowercaseEnum<OsEventType>))]
internal enum OsEventType
{
    /// <summary>Sent at once after connecting: everything the page shows, with `snapshot`.</summary>
    Snapshot,

    /// <summary>A process started or ended, with `process`.</summary>
    Process,

    /// <summary>A process wrote to stdout or stderr, with `output`.</summary>
    Output,

    /// <summary>The kernel logged an entry, with `log`.</summary>
    Log,

    /// <summary>Every second: the kernel's status, and the running processes' CPU time and memory in `processes`.</summary>
    Status,

    /// <summary>The answer to a request of the page, with `reply`.</summary>
    Reply,
}

/// <summary>What the page asks of the OS server over its WebSocket.</summary>
[JsonConverter(typeof(LowercaseEnum<OsRequestType>))]
internal enum OsRequestType
{
    /// <summary>Start `command` (`node tool.js`, `python main.py`, a .wasm file of the project) as a new process.</summary>
    Spawn,

    /// <summary>Kill process `pid`.</summary>
    Kill,

    /// <summary>Start process `pid`'s command again as a new process (killing it first if it runs).</summary>
    Restart,

    /// <summary>Write `text` to process `pid`'s stdin.</summary>
    Input,

    /// <summary>Close process `pid`'s stdin: it reads end of file.</summary>
    CloseInput,
}

/// <summary>What a file-browser entry is.</summary>
[JsonConverter(typeof(LowercaseEnum<OsFileKind>))]
internal enum OsFileKind
{
    File,
    Directory,

    /// <summary>Shown, not followed, in a listing.</summary>
    Symlink,

    /// <summary>A device, a pipe or a socket.</summary>
    Other,
}

/// <summary>A process as the page shows it.</summary>
/// <param name="Pid">Unique within the kernel, from 1.</param>
/// <param name="ParentPid">0: started by the kernel or from the page.</param>
/// <param name="Command">The command line.</param>
/// <param name="State">Running, or how it ended.</param>
/// <param name="Started">When it was spawned.</param>
/// <param name="Ended">When it ended; null while it runs.</param>
/// <param name="CpuSeconds">CPU time of its thread so far.</param>
/// <param name="MemoryBytes">The size of its linear memory.</param>
/// <param name="ExitStatus">The status it exited with (137 when killed, 124 at the time limit); null while it runs.</param>
/// <param name="Cause">Why it ended ("none" while it runs).</param>
/// <param name="Reason">How it ended, in words; null while it runs.</param>
internal sealed record OsProcessView(
    int Pid, int ParentPid, string Command, ProcessState State, DateTimeOffset Started, DateTimeOffset? Ended,
    double CpuSeconds, ulong MemoryBytes, int? ExitStatus, EndCause Cause, string? Reason)
{
    public static OsProcessView Of(ProcessInfo info) => new(
        info.Pid, info.ParentPid, info.Command, info.State, info.Started, info.Ended, info.CpuTime.TotalSeconds, info.MemoryBytes,
        info.ExitStatus, info.Cause, info.Reason);
}

/// <summary>The kernel as the page's status bar shows it.</summary>
/// <param name="Booted">When the kernel started.</param>
/// <param name="UptimeSeconds">Since boot.</param>
/// <param name="Running">Processes running now.</param>
/// <param name="Total">Processes started since boot.</param>
/// <param name="MemoryBytes">The linear memory of the running processes together.</param>
internal sealed record OsStatus(DateTimeOffset Booted, double UptimeSeconds, int Running, int Total, ulong MemoryBytes)
{
    public static OsStatus Of(KernelStatus status) => new(status.Booted, status.Uptime.TotalSeconds, status.Running, status.Total, status.MemoryBytes);
}

/// <summary>Text a process wrote, in order per process and stream.</summary>
/// <param name="Pid">The process.</param>
/// <param name="Stream">stdout or stderr.</param>
/// <param name="Text">As written (UTF-8 decoded; a character split across writes is kept whole).</param>
internal sealed record OsOutput(int Pid, OutputStream Stream, string Text);

/// <summary>A folder of the processes' file system: the same for every process.</summary>
/// <param name="Path">Its guest path: /app (the project), /tmp (the kernel's), a runtime's files.</param>
/// <param name="Writable">False for a runtime's files and for /app under --read-only.</param>
internal sealed record OsMount(string Path, bool Writable);

/// <summary>Everything the page shows, as it is when the page connects.</summary>
/// <param name="Wasmrun">This Wasmrun's version.</param>
/// <param name="Name">The project's name.</param>
/// <param name="Instance">Random per kernel: a page that reconnects to another one (a restart) starts over.</param>
/// <param name="Language">javascript, python, wasm or plugin.</param>
/// <param name="Entry">The file the main process runs, relative to /app.</param>
/// <param name="MainPid">The project's main process.</param>
/// <param name="Status">The kernel's status.</param>
/// <param name="Processes">Every process since boot, by pid.</param>
/// <param name="Output">What each process wrote so far (the newest megabyte of characters per process), in order.</param>
/// <param name="Log">The kernel log's recent entries, oldest first.</param>
/// <param name="Mounts">The processes' file system.</param>
internal sealed record OsSnapshot(
    string Wasmrun, string Name, string Instance, string Language, string Entry, int MainPid, OsStatus Status,
    OsProcessView[] Processes, OsOutput[] Output, KernelLogEntry[] Log, OsMount[] Mounts);

/// <summary>The answer to one request.</summary>
/// <param name="Id">The request's id.</param>
/// <param name="Ok">Whether it was done.</param>
/// <param name="Pid">For spawn and restart: the new process.</param>
/// <param name="Message">Why it was not done, and what to do instead.</param>
internal sealed record OsReply(
    int Id, bool Ok,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Pid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message);

/// <summary>An OS WebSocket message, server to page; the field its type names is there, the others are not.</summary>
/// <param name="Type">What it announces.</param>
/// <param name="Snapshot">With snapshot.</param>
/// <param name="Process">With process.</param>
/// <param name="Output">With output.</param>
/// <param name="Log">With log.</param>
/// <param name="Status">With status.</param>
/// <param name="Processes">With status: the running processes (CPU time and memory change).</param>
/// <param name="Reply">With reply.</param>
internal sealed record OsEvent(
    OsEventType Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] OsSnapshot? Snapshot = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] OsProcessView? Process = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] OsOutput? Output = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] KernelLogEntry? Log = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] OsStatus? Status = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] OsProcessView[]? Processes = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] OsReply? Reply = null);

/// <summary>A WebSocket message, page to server.</summary>
/// <param name="Type">What to do.</param>
/// <param name="Id">Chosen by the page; the reply carries it back.</param>
/// <param name="Command">For spawn: the command line.</param>
/// <param name="Pid">For kill, restart, input and close_input.</param>
/// <param name="Text">For input: what to write (the page sends a line with its "\n").</param>
internal sealed record OsRequest(
    OsRequestType Type, int Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Command,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Pid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text);

/// <summary>An entry of a folder listing.</summary>
/// <param name="Name">Its name in the folder.</param>
/// <param name="Kind">What it is (a symlink is not followed).</param>
/// <param name="Size">In bytes (files).</param>
/// <param name="Modified">When it last changed.</param>
internal sealed record OsFileEntry(string Name, OsFileKind Kind, long Size, DateTimeOffset Modified);

/// <summary>A folder of the processes' file system (GET /_wasmrun/api/files?path=PATH); "/" lists the mounts.</summary>
/// <param name="Path">The guest path listed.</param>
/// <param name="Writable">Uploads into it are taken (its mount is writable).</param>
/// <param name="Entries">Folders first, then by name.</param>
internal sealed record OsDirectory(string Path, bool Writable, OsFileEntry[] Entries);
