// The kernel's structured trail: boot, spawn, exit (status, CPU time), kill, limits, errors; each entry timestamped,
// with its pid. Kept in memory for the page (the last ones), appended as JSON lines to a file under the Wasmrun home
// that rotates at a size cap, and handed to whoever listens (the page's socket, `os run --debug`).
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Wasmrun.Cli;

namespace Wasmrun.Os;

[JsonConverter(typeof(LowercaseEnum<KernelEventKind>))]
internal enum KernelEventKind
{
    Boot,
    Spawn,
    Exit,
    Kill,
    Limit,
    Error,
    Input,
    Shutdown,
}

internal sealed record KernelLogEntry(long Sequence, DateTimeOffset Time, KernelEventKind Kind, int? Pid, string Message)
{
    /// <summary>The entry as one terminal line, the same for `os run --debug` and the OS server's terminal.</summary>
    public string TerminalLine() => $"[os] {Time:HH:mm:ss.fff} {LowercaseEnum.Name(Kind),-8} {(Pid is { } pid ? $"pid {pid}: " : "")}{Message}";
}

internal sealed class KernelLog : IDisposable
{
    /// <summary>The file rotates to FILE.1 beyond this size, so a long-lived kernel keeps at most twice it.</summary>
    public const long FileCap = 1 << 20;

    private const int Kept = 2000;

    private readonly Lock writing = new();
    private readonly Queue<KernelLogEntry> recent = new();
    private readonly string? file;
    private FileStream? stream;
    private long sequence;

    /// <param name="file">The JSON-lines file, or null to keep the log in memory only.</param>
    public KernelLog(string? file)
    {
        this.file = file;
        if (file is not null)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                stream = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // The log on disk is a convenience: a read-only home must not stop the kernel.
                stream = null;
            }
        }
    }

    public string? File => file;

    public event Action<KernelLogEntry>? Written;

    /// <summary>The last entries, oldest first.</summary>
    public IReadOnlyList<KernelLogEntry> Recent
    {
        get
        {
            lock (writing)
            {
                return [.. recent];
            }
        }
    }

    public void Write(KernelEventKind kind, int? pid, string message)
    {
        KernelLogEntry entry;
        lock (writing)
        {
            entry = new KernelLogEntry(++sequence, DateTimeOffset.UtcNow, kind, pid, message);
            recent.Enqueue(entry);
            if (recent.Count > Kept)
            {
                recent.Dequeue();
            }
            Append(entry);
        }
        Written?.Invoke(entry);
    }

    public void Dispose()
    {
        lock (writing)
        {
            stream?.Dispose();
            stream = null;
        }
    }

    /// <summary>One JSON object per line: {"time":..., "kind":..., "pid":..., "message":...}.</summary>
    public static string Json(KernelLogEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", entry.Time);
            json.WriteString("kind", LowercaseEnum.Name(entry.Kind));
            if (entry.Pid is { } pid)
            {
                json.WriteNumber("pid", pid);
            }
            json.WriteString("message", entry.Message);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private void Append(KernelLogEntry entry)
    {
        if (stream is null || file is null)
        {
            return;
        }
        try
        {
            if (stream.Length >= FileCap)
            {
                stream.Dispose();
                System.IO.File.Move(file, file + ".1", overwrite: true);
                stream = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            }
            stream.Write(Encoding.UTF8.GetBytes(Json(entry) + "\n"));
            stream.Flush();
        }
        catch (IOException)
        {
            stream = null;
        }
    }
}
