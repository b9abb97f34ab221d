// `wasmrun run` and `wasmrun [PATH]` end to end: the first build, the server, the watcher under --watch, and the
// lifetime both servers share (ServerLifetime: the record for `wasmrun stop`, --open, a graceful stop).
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
    public static async Task RunAsync(RunSettings settings, CancellationToken interrupted)
    {
        var session = Session(settings, ConfigFile.Current);
        session.Start();
        await using var server = await DevServer.StartAsync(session, settings.Server, ServerLifetime.PortMoved).ConfigureAwait(false);
        using var watcher = settings.Watch ? Watcher(session) : null;
        session.Changed += Report;
        try
        {
            await ServerLifetime.ServeAsync(server.Host, ServerKind.Run, session.File ?? session.WatchRoot, settings.Open,
                () => Announce(session, server.Host, settings), interrupted).ConfigureAwait(false);
        }
        finally
        {
            session.Changed -= Report;
        }
    }

    private static DevSession Session(RunSettings settings, ConfigFile config)
    {
        var path = System.IO.Path.GetFullPath(settings.Build.Project);
        if (File.Exists(path) && (path.EndsWith(".wasm", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".wat", StringComparison.OrdinalIgnoreCase)))
        {
            return DevSession.ForFile(path, settings.Watch, config);
        }
        if (File.Exists(path))
        {
            throw new WasmrunException($"{settings.Build.Project}: not a .wasm or .wat file or a project folder")
            {
                Hint = "give a module (FILE.wasm, or FILE.wat text) or the folder of a project to build",
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

    private static void Announce(DevSession session, WebHost server, RunSettings settings)
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
        lock (ServerLifetime.ErrorOutput)
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
}
