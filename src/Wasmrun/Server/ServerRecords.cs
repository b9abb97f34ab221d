// The running dev servers, one file each in ~/.wasmrun/run/PID.json (pid, URL, project and a random control token),
// written when a server is listening and deleted when it stops. `wasmrun stop` reads them and asks each server to
// shut down through its control endpoint with the token: plain HTTP on loopback, so it works the same everywhere.
// Only the owner can read a record (mode 600): the token is what lets a caller stop the server.
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Wasmrun.Config;

namespace Wasmrun.Server;

internal sealed class ServerRecords(ConfigPaths paths)
{
    public const string TokenHeader = "X-Wasmrun-Token";

    public string Folder { get; } = Path.Join(paths.Home, "run");

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>Writes this process's record; returns its path, to delete it on the way out.</summary>
    public string Write(ServerRecordData record)
    {
        Directory.CreateDirectory(Folder);
        var file = Path.Join(Folder, $"{record.Pid}.json");
        var temporary = file + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, record, ServerJsonContext.Default.ServerRecordData);
        }
        File.Move(temporary, file, overwrite: true);
        return file;
    }

    /// <summary>The records of servers whose process still exists; the records of the others are deleted.</summary>
    public List<(string File, ServerRecordData Record)> Running()
    {
        var running = new List<(string, ServerRecordData)>();
        if (!Directory.Exists(Folder))
        {
            return running;
        }
        foreach (var file in Directory.EnumerateFiles(Folder, "*.json"))
        {
            var record = Read(file);
            if (record is not null && IsAlive(record.Pid))
            {
                running.Add((file, record));
            }
            else
            {
                Delete(file);
            }
        }
        running.Sort((a, b) => a.Item2.Port.CompareTo(b.Item2.Port));
        return running;
    }

    public static void Delete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another `wasmrun stop` got there first, or the folder is read-only: the record is stale either way.
        }
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static ServerRecordData? Read(string file)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(file), ServerJsonContext.Default.ServerRecordData);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}
