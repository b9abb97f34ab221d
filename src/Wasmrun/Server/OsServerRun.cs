// `wasmrun os [PATH]` end to end: the project, a kernel with piped stdio, the OS server, the project's main process,
// and the lifetime both servers share (ServerLifetime: the record for `wasmrun stop`, --open, a graceful stop). The
// server goes first on the way out (the pages hear goodbye), then the kernel (its processes are killed).
using Wasmrun.Cli;
using Wasmrun.Commands;
using Wasmrun.Os;
using Wasmrun.Plugins;

namespace Wasmrun.Server;

/// <param name="Server">Where and how to listen.</param>
/// <param name="Open">Open the page in the default browser.</param>
/// <param name="Project">The project, its language and entry, and every process's limits.</param>
/// <param name="Arguments">The main process's arguments.</param>
/// <param name="Verbose">Show the build's tools and messages (a plugin project).</param>
internal sealed record OsSettings(ServerOptions Server, bool Open, OsProjectOptions Project, IReadOnlyList<string> Arguments, bool Verbose);

internal static class OsServerRun
{
    public static async Task RunAsync(OsSettings settings, CancellationToken interrupted)
    {
        var project = OsProject.Open(settings.Project);
        using var kernel = new Kernel(new KernelOptions(PipedStdio: true, LogFile: OsCommand.KernelLogFile));
        project.Log = kernel.Log;
        var spec = project.Main(settings.Arguments, new PluginOutput(settings.Verbose));
        await using var server = await OsServer.StartAsync(kernel, project, [.. spec.Mounts, kernel.TempMount],
            settings.Server, ServerLifetime.PortMoved).ConfigureAwait(false);
        kernel.Log.Written += Report;
        try
        {
            var main = server.Spawn(spec);
            server.MainPid = main.Pid;
            await ServerLifetime.ServeAsync(server.Host, ServerKind.Os, project.Folder, settings.Open,
                () => Announce(project, main, server.Host, settings), interrupted).ConfigureAwait(false);
        }
        finally
        {
            kernel.Log.Written -= Report;
        }
    }

    private static void Announce(OsProject project, OsProcess main, WebHost server, OsSettings settings)
    {
        lock (ServerLifetime.ErrorOutput)
        {
            var output = Terminal.Out;
            output.WriteLine($"{output.Green("serving")} {output.Bold(project.Name)} (OS mode: `{main.Spec.Command}` is pid {main.Pid})");
            output.WriteLine($"  {output.Bold(server.Url)}");
            if (server.IsExposed)
            {
                output.WriteLine($"  {output.Yellow("note:")} bound to {settings.Server.Host}: other machines on your network can reach this server, and its page starts processes and writes files");
            }
            output.WriteLine("Ctrl+C or `wasmrun stop` stops the server and its processes");
            output.Writer.Flush();
        }
    }

    /// <summary>The kernel's ends and failures in the terminal, as one line each (the page shows everything).</summary>
    private static void Report(KernelLogEntry entry)
    {
        if (entry.Kind is not (KernelEventKind.Spawn or KernelEventKind.Exit or KernelEventKind.Kill or KernelEventKind.Limit or KernelEventKind.Error))
        {
            return;
        }
        lock (ServerLifetime.ErrorOutput)
        {
            var err = Terminal.Error;
            err.WriteLine(err.Dim(entry.TerminalLine()));
            err.Writer.Flush();
        }
    }
}
