// `wasmrun run [PATH | FILE.wasm]`, and its short form `wasmrun [PATH]`: builds the project (or takes the module) and
// serves it on loopback with the playground or the project's own page; --watch rebuilds on every change and the open
// pages follow (DevServerRun). The short form has no method of its own: CommandLine hands `wasmrun [PATH] ...` to
// this one, and the catalog gives it these options under its own summary (CommandCatalog.Root).
using ConsoleAppFramework;
using Wasmrun.Plugins;
using Wasmrun.Server;

namespace Wasmrun.Commands;

public sealed class RunCommand
{
    /// <summary>`wasmrun --help`: what Wasmrun is, then the short form's arguments and options (this command's).</summary>
    internal const string ShortFormSummary =
        "Wasmrun, a WebAssembly toolkit. `wasmrun [PATH]` serves a project or module as `wasmrun run` does; run `wasmrun COMMAND --help` for the options of a command.";

    /// <summary>The short form's PATH, as `wasmrun --help` describes it.</summary>
    internal const string ShortFormPath = "A project folder (default: the current folder) or a module file (.wasm, or .wat text) to serve.";

    /// <summary>Serve a project or a module in the browser: the playground, or the project's own page; --watch rebuilds and reloads on every change.</summary>
    /// <param name="path">A project folder (default: the current folder) or a module file (.wasm, or .wat text).</param>
    /// <param name="port">-p, The port (default 8420; the next free one when it is taken; 0 for any free port).</param>
    /// <param name="host">The address to listen on (default 127.0.0.1; 0.0.0.0 lets other machines in).</param>
    /// <param name="watch">-w, Rebuild when a source file changes; the open pages reload.</param>
    /// <param name="open">-s, Open the page in the default browser.</param>
    /// <param name="language">Build with the plugin for this language instead of detecting it.</param>
    /// <param name="target">wasm, wasi or web (default: the plugin's choice for the browser).</param>
    /// <param name="optimization">debug, release or size (default: release).</param>
    /// <param name="output">-o, The output folder (default: PATH/dist).</param>
    /// <param name="strictPort">Fail when the port is taken instead of taking the next free one.</param>
    /// <param name="crossOriginIsolate">Send the COOP/COEP headers that SharedArrayBuffer and threads need.</param>
    /// <param name="verbose">-v, Also show the tools found and the plugin's debug messages.</param>
    /// <param name="cancellationToken">Ctrl+C or SIGTERM: stop the server.</param>
    [Command("run")]
    public Task Run(
        [Argument] string? path = null, int port = 8420, string host = "127.0.0.1", bool watch = false, bool open = false,
        string? language = null, string? target = null, string? optimization = null, string? output = null,
        bool strictPort = false, bool crossOriginIsolate = false, bool verbose = false, CancellationToken cancellationToken = default) =>
        DevServerRun.RunAsync(
            new RunSettings(ServerOptions.Parse(host, port, strictPort, crossOriginIsolate), watch, open,
                new BuildOptions(path ?? ".", output, target, optimization, language, UseCache: true), verbose),
            cancellationToken);
}
