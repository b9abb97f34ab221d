// `wasmrun run` and `wasmrun [PATH]` end to end: the first build, the server, its record for `wasmrun stop`, the
// watcher under --watch, the browser under --open, and a graceful stop (Ctrl+C, SIGTERM or `wasmrun stop`).
using System.Diagnostics;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Plugins;

namespace Wasmrun.Server;

/// <param name="Path">A project folder or a .wasm file.</param>
/// <param name="Server">Where and how to listen.</param>
/// <param name="Watch">Rebuild (or reload the file) on every change.</param>
/// <param name="Open">Open the page in the default browser.</param>
/// <param name="Language">Build with this language's plugin instead of detecting one.</param>
/// <param name="Target">The target; null for the plugin's build.serve.</param>
/// <param name="Optimization">debug, release or size; null for release.</param>
/// <param name="Output">The output folder; null for PATH/dist.</param>
/// <param name="Verbose">Show the plugin's debug messages.</param>
internal sealed record RunSettings(
    string Path, ServerOptions Server, bool Watch, bool Open, string? Language, string? Target, string? Optimization, string? Output, bool Verbose);

internal static class DevServerRun
{
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
        var path = System.IO.Path.GetFullPath(settings.Path);
        if (File.Exists(path) && path.EndsWith(".wasm", StringComparison.OrdinalIgnoreCase))
        {
            return DevSession.ForFile(path, settings.Watch, config);
        }
        if (File.Exists(path))
        {
            throw new WasmrunException($"{settings.Path}: not a .wasm file or a project folder")
            {
                Hint = "give a module (FILE.wasm) or the folder of a project to build",
            };
        }
        var options = new BuildOptions(path, settings.Output, settings.Target, settings.Optimization, settings.Language, UseCache: true);
        return DevSession.ForProject(options, settings.Watch, config, new PluginOutput(settings.Verbose));
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
        var what = state.Build is { Status: "built" } build
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
        var err = Terminal.Error;
        switch (message.Type)
        {
            case "building":
                err.WriteLine($"{err.Cyan("↻")} {string.Join(", ", message.Files!.Take(3))}{(message.Files!.Length > 3 ? $" and {message.Files.Length - 3} more" : "")} changed: rebuilding");
                break;
            case "built" when message.State!.Build is { } build:
                err.WriteLine($"{err.Green("rebuilt")} in {build.Seconds:0.00} s{(build.FromCache ? " (from the build cache)" : "")}");
                break;
            case "built":
                err.WriteLine($"{err.Green("reloaded")} {message.State!.Module!.File}");
                break;
            case "failed":
                err.WriteLine($"{err.Red(err.Bold("error:"))} {message.State!.Build!.Message}");
                err.WriteLine($"  {err.Cyan("hint:")} the page shows the errors and keeps the last good build; fix and save to rebuild");
                break;
        }
        err.Writer.Flush();
    }

    /// <summary>Opens the page in the default browser; a failure is a note, the server runs on.</summary>
    private static void OpenBrowser(string url)
    {
        var (program, arguments) = OperatingSystem.IsWindows() ? ("cmd", new[] { "/c", "start", "", url })
            : OperatingSystem.IsMacOS() ? ("open", new[] { url })
            : ("xdg-open", new[] { url });
        try
        {
            var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            var err = Terminal.Error;
            err.WriteLine($"{err.Yellow("note:")} could not open a browser ({program} is not installed): open {url} yourself");
            err.Writer.Flush();
        }
    }
}
