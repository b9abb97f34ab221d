// `wasmrun run` and `wasmrun [PATH]` end to end: the first build, the server, its record for `wasmrun stop`, the
// watcher under --watch, the browser under --open, and a graceful stop (Ctrl+C, SIGTERM or `wasmrun stop`).
using System.Diagnostics;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Plugins;

namespace Wasmrun.Server;

/// <param name="Server">Where and how to listen.</param>
/// <param name="Watch">Rebuild (or reload the file) on every change.</param>
/// <param name="Open">Open the page in the default browser.</param>
/// <param name="Build">What to serve (Project: a project folder or a .wasm file) and, for a project, how to build it;
/// a null Target is the plugin's build.serve.</param>
/// <param name="Verbose">Show the plugin's debug messages.</param>
internal sealed record RunSettings(ServerOptions Server, bool Watch, bool Open, BuildOptions Build, bool Verbose);

internal static class DevServerRun
{
    // Rebuilds are reported from the watcher's thread and a failed --open from the thread pool; the writer is not
    // thread-safe.
    private static readonly Lock ErrorOutput = new();

    public static async Task RunAsync(RunSettings settings, CancellationToken interrupted)
    {
        var config = ConfigFile.Current;
        var session = Session(settings, config);
        var err = Terminal.Error;
        session.Start();

        await using var server = await DevServer.StartAsync(session, settings.Server, (asked, used) =>
        {
            err.WriteLine($"{err.Yellow("note:")} port {asked} is in use; serving on {used} instead (--strict-port fails instead)");
            err.Writer.Flush();
        }).ConfigureAwait(false);
        var records = new ServerRecords(config.Paths);
        records.Running();
        var record = records.Write(new ServerRecordData(Environment.ProcessId, server.Url, server.Port, session.File ?? session.WatchRoot, server.Token, DateTimeOffset.UtcNow));
        try
        {
            session.Changed += Report;
            using var watcher = settings.Watch ? Watcher(session) : null;
            Announce(session, server, settings);
            if (settings.Open)
            {
                OpenBrowser(server.Url);
            }
            using var either = CancellationTokenSource.CreateLinkedTokenSource(interrupted, server.StopRequested);
            try
            {
                await Task.Delay(Timeout.Infinite, either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Asked to stop: below.
            }
            session.Changed -= Report;
        }
        finally
        {
            ServerRecords.Delete(record);
        }
        err.WriteLine(interrupted.IsCancellationRequested ? "stopping (interrupted)" : "stopping (asked by wasmrun stop)");
        if (interrupted.IsCancellationRequested)
        {
            Environment.ExitCode = (int)ExitCode.Interrupted;
        }
    }

    private static DevSession Session(RunSettings settings, ConfigFile config)
    {
        var path = System.IO.Path.GetFullPath(settings.Build.Project);
        if (File.Exists(path) && path.EndsWith(".wasm", StringComparison.OrdinalIgnoreCase))
        {
            return DevSession.ForFile(path, settings.Watch, config);
        }
        if (File.Exists(path))
        {
            throw new WasmrunException($"{settings.Build.Project}: not a .wasm file or a project folder")
            {
                Hint = "give a module (FILE.wasm) or the folder of a project to build",
            };
        }
        return DevSession.ForProject(settings.Build with { Project = path }, settings.Watch, config, new PluginOutput(settings.Verbose));
    }

    private static ProjectWatcher Watcher(DevSession session)
    {
        if (session.File is { } file)
        {
            var name = System.IO.Path.GetFileName(file);
            return new ProjectWatcher(session.WatchRoot, relative => relative == name, _ => true, session.Rebuild);
        }
        // Before a build has chosen a plugin (the first one failed), every file but the usual build folders counts.
        static bool Usual(string folder) => folder.StartsWith('.') || folder is "node_modules" or "target" or ProjectBuilder.DefaultOutput;
        return new ProjectWatcher(session.WatchRoot,
            relative => session.Inputs?.IsInput(relative) ?? !relative.Split('/').Any(Usual),
            folder => session.Inputs?.IsSkippedFolder(folder) ?? Usual(folder),
            session.Rebuild);
    }

    private static void Announce(DevSession session, DevServer server, RunSettings settings)
    {
        var output = Terminal.Out;
        var state = session.State();
        var what = state.Build is { Status: BuildStatus.Built } build
            ? $"{session.Description}, {(build.FromCache ? "up to date" : $"built in {build.Seconds:0.00} s")}"
            : state.Build is null ? session.Description : $"{session.Description ?? "the build"} failed; the page shows the errors until a change fixes them";
        output.WriteLine($"{output.Green("serving")} {output.Bold(session.Name)} ({what})");
        output.WriteLine($"  {output.Bold(server.Url)}");
        if (server.IsExposed)
        {
            output.WriteLine($"  {output.Yellow("note:")} bound to {settings.Server.Host}: other machines on your network can reach this server");
        }
        output.WriteLine(settings.Watch
            ? "watching for changes; Ctrl+C or `wasmrun stop` stops the server"
            : "Ctrl+C or `wasmrun stop` stops the server (--watch rebuilds on every change)");
        output.Writer.Flush();
    }

    private static void Report(ServerEvent message)
    {
        lock (ErrorOutput)
        {
            var err = Terminal.Error;
            switch (message.Type)
            {
                case ServerEventType.Building:
                    err.WriteLine($"{err.Cyan("↻")} {string.Join(", ", message.Files!.Take(3))}{(message.Files!.Length > 3 ? $" and {message.Files.Length - 3} more" : "")} changed: rebuilding");
                    break;
                case ServerEventType.Built when message.State!.Build is { } build:
                    err.WriteLine($"{err.Green("rebuilt")} in {build.Seconds:0.00} s{(build.FromCache ? " (from the build cache)" : "")}");
                    break;
                case ServerEventType.Built:
                    err.WriteLine($"{err.Green("reloaded")} {message.State!.Module!.File}");
                    break;
                case ServerEventType.Failed:
                    err.WriteLine($"{err.Red(err.Bold("error:"))} {message.State!.Build!.Message}");
                    err.WriteLine($"  {err.Cyan("hint:")} the page shows the errors and keeps the last good build; fix and save to rebuild");
                    break;
            }
            err.Writer.Flush();
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

    // An opener that finds no browser fails at once (xdg-open on a machine without one exits with 3). One still
    // running past this may be the browser itself in the foreground, whose exit code says nothing about the page.
    private static readonly TimeSpan OpenerVerdict = TimeSpan.FromSeconds(10);

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
