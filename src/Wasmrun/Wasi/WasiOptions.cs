// What a WASI program gets from its host: arguments, environment, and the directories it may reach.
namespace Wasmrun.Wasi;

/// <summary>A host directory the guest sees as GuestPath; read-only ones lose every right that writes.</summary>
internal sealed record Preopen(string HostPath, string GuestPath, bool ReadOnly);

/// <summary>The host fds a program's stdin, stdout and stderr are: the host process's own by default, a pipe for an OS
/// mode process. The program never closes them: their owner does.</summary>
internal sealed record StdioFds(int In, int Out, int Err)
{
    public static readonly StdioFds Inherited = new(0, 1, 2);

    /// <summary>When set, what the guest writes to its stdout and stderr goes here, on its own thread and in the order
    /// written (two pipes read by two threads would lose the order between the streams); Out and Err then only give
    /// the fds' type and state.</summary>
    public StdioCapture? Capture { get; init; }
}

/// <summary>Receives one write of the guest to its stdout (error: false) or stderr (error: true).</summary>
internal delegate void StdioCapture(bool error, ReadOnlySpan<byte> bytes);

internal sealed record WasiOptions(IReadOnlyList<string> Arguments, IReadOnlyList<KeyValuePair<string, string>> Environment, IReadOnlyList<Preopen> Preopens)
{
    public StdioFds Stdio { get; init; } = StdioFds.Inherited;

    /// <summary>The most fds the program may hold at once (stdio and preopens included); one more open is EMFILE.</summary>
    public int MaxOpenFiles { get; init; } = 1024;
}
