// What `wasmrun run` and `wasmrun os` do alike around their server: say when the asked port was taken, write the
// server's record for `wasmrun stop`, open the page under --open, serve until Ctrl+C, SIGTERM or `wasmrun stop`, then
// delete the record and say why the server stops.
using System.Diagnostics;
using Wasmrun.Cli;
using Wasmrun.Config;

namespace Wasmrun.Server;

internal static class ServerLifetime
{
    // Rebuilds and process events are reported from other threads and a failed --open from the thread pool; the
    // writer is not thread-safe.
    public static readonly Lock ErrorOutput = new();

    // An opener that finds no browser fails at once (xdg-open on a machine without one exits with 3). One still
    // running past this may be the browser itself in the foreground, whose exit code says nothing about the page.
    private static readonly TimeSpan OpenerVerdict = TimeSpan.FromSeconds(10);

    /// <summary>For WebHost.StartAsync: one line when the asked port was taken.</summary>
    public static void PortMoved(int asked, int used)
    {
        lock (ErrorOutput)
        {
            var err = Terminal.Error;
            err.WriteLine($"{err.Yellow("note:")} port {asked} is in use; serving on {used} instead (--strict-port fails instead)");
            err.Writer.Flush();
        }
    }

    /// <summary>Writes the server's record, calls `serving` (which announces the server), opens the page when asked,
    /// and returns when the server was interrupted or asked to stop; the record is gone then.</summary>
    public static async Task ServeAsync(WebHost host, ServerKind kind, string project, bool open, Action serving, CancellationToken interrupted)
    {
        var records = new ServerRecords(ConfigFile.Current.Paths);
        records.Running();
        var record = records.Write(new ServerRecordData(Environment.ProcessId, host.Url, host.Port, project, host.Token, DateTimeOffset.UtcNow) { Kind = kind });
        try
        {
            serving();
            if (open)
            {
                OpenBrowser(host.Url);
            }
            using var either = CancellationTokenSource.CreateLinkedTokenSource(interrupted, host.StopRequested);
            try
            {
                await Task.Delay(Timeout.Infinite, either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Asked to stop: below.
            }
        }
        finally
        {
            ServerRecords.Delete(record);
        }
        lock (ErrorOutput)
        {
            Terminal.Error.WriteLine(interrupted.IsCancellationRequested ? "stopping (interrupted)" : "stopping (asked by wasmrun stop)");
        }
        if (interrupted.IsCancellationRequested)
        {
            Environment.ExitCode = (int)ExitCode.Interrupted;
        }
    }

    /// <summary>Opens the page in the default browser. When none opens, one line says why and which URL to open;
    /// the server runs on.</summary>
    private static void OpenBrowser(string url)
    {
        var (program, arguments) = OperatingSystem.IsWindows() ? ("cmd", new[] { "/c", "start", "", url })
            : OperatingSystem.IsMacOS() ? ("open", new[] { url })
            : ("xdg-open", new[] { url });
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process opener;
        try
        {
            opener = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            NoBrowser($"{program} is not installed", url);
            return;
        }
        _ = WatchOpenerAsync(opener, program, url);
    }

    private static async Task WatchOpenerAsync(Process opener, string program, string url)
    {
        using (opener)
        {
            var clock = Stopwatch.StartNew();
            // What the opener or a browser it starts prints is not ours to show; read so that a full pipe never blocks it.
            var output = Task.WhenAll(opener.StandardOutput.ReadToEndAsync(), opener.StandardError.ReadToEndAsync());
            await opener.WaitForExitAsync().ConfigureAwait(false);
            await output.ConfigureAwait(false);
            if (opener.ExitCode != 0 && clock.Elapsed < OpenerVerdict)
            {
                NoBrowser($"{program} exited with code {opener.ExitCode}", url);
            }
        }
    }

    private static void NoBrowser(string why, string url)
    {
        lock (ErrorOutput)
        {
            var err = Terminal.Error;
            err.WriteLine($"{err.Yellow("note:")} no browser opened ({why}): open {url} in a browser");
            err.Writer.Flush();
        }
    }
}
