// `wasmrun os [PATH] [-- ARGS]`: OS mode with its page. The kernel starts the project's main process (a JavaScript
// or Python program in the embedded runtimes, or a WASI module) with pipes for stdio, and the OS server shows the
// processes, their consoles, their files and the kernel log in the browser (OsServerRun). `wasmrun os run` is OS
// mode without the page: the process has the terminal's stdin, stdout and stderr, and Wasmrun exits with its status;
// a limit or a kill ends it with a one-line reason. Both read the project's options the same way (Project).
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Os;
using Wasmrun.Plugins;
using Wasmrun.Server;
using Wasmrun.Templates;

namespace Wasmrun.Commands;

internal sealed class OsCommand
{
    /// <summary>Run a JavaScript, Python or Go project (or a WASI module) in Wasmrun's OS kernel and serve its page: processes, consoles with stdin, files and the kernel log in the browser.</summary>
    /// <param name="context">The main process's arguments: the words after `--`.</param>
    /// <param name="path">The project folder or its entry file (default: the current folder).</param>
    /// <param name="port">-p, The port (default 8430; the next free one when it is taken; 0 for any free port).</param>
    /// <param name="host">The address to listen on (default 127.0.0.1; 0.0.0.0 lets other machines in, and the page starts processes).</param>
    /// <param name="open">-s, Open the page in the default browser.</param>
    /// <param name="strictPort">Fail when the port is taken instead of taking the next free one.</param>
    /// <param name="language">javascript, python, wasm, or a plugin's language (go, c, rust, assemblyscript) instead of detecting it.</param>
    /// <param name="entry">FILE: the file that runs, relative to the project (default: package.json's main, index.js, main.py, ...).</param>
    /// <param name="readOnly">Mount the project read-only (it is /app, writable, by default).</param>
    /// <param name="env">VAR[=VALUE]: set a variable for every process (VAR alone passes the host's value); repeatable.</param>
    /// <param name="maxMemory">SIZE: the most linear memory a process may use (default 2GiB).</param>
    /// <param name="timeout">DURATION: end a process after this long (500ms, 10s, 2m).</param>
    /// <param name="fuel">N: end a process after about this many instructions (a CPU limit).</param>
    /// <param name="maxFiles">N: the most files a process may hold open at once (default 1024).</param>
    /// <param name="licenses">Print the licences of the language runtimes embedded in this wasmrun, and exit.</param>
    /// <param name="verbose">-v, Also show the build's tools and messages (Go, C, Rust projects).</param>
    /// <param name="cancellationToken">Ctrl+C or SIGTERM: stop the server and its processes.</param>
    [Command("")]
    public async Task Serve(
        ConsoleAppContext context, [Argument] string? path = null, int port = 8430, string host = "127.0.0.1", bool open = false, bool strictPort = false,
        string? language = null, string? entry = null, bool readOnly = false, string? env = null, string? maxMemory = null, string? timeout = null,
        long? fuel = null, int? maxFiles = null, bool licenses = false, bool verbose = false, CancellationToken cancellationToken = default)
    {
        _ = env;
        if (licenses)
        {
            PrintLicenses();
            return;
        }
        var server = ServerOptions.Parse(host, port, strictPort, crossOriginIsolate: false);
        var project = Project(context, path, language, entry, readOnly, maxMemory, timeout, fuel, maxFiles);
        await OsServerRun.RunAsync(new OsSettings(server, open, project, [.. context.EscapedArguments], verbose), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Run a JavaScript, Python or Go project (or a WASI module) as a process of Wasmrun's OS kernel, in the terminal.</summary>
    /// <param name="context">The program's arguments: the words after `--`.</param>
    /// <param name="path">The project folder or its entry file (default: the current folder).</param>
    /// <param name="language">javascript, python, wasm, or a plugin's language (go, c, rust, assemblyscript) instead of detecting it.</param>
    /// <param name="entry">FILE: the file that runs, relative to the project (default: package.json's main, index.js, main.py, ...).</param>
    /// <param name="readOnly">Mount the project read-only (it is /app, writable, by default).</param>
    /// <param name="env">VAR[=VALUE]: set a variable for the process (VAR alone passes the host's value); repeatable.</param>
    /// <param name="maxMemory">SIZE: the most linear memory the process may use (default 2GiB).</param>
    /// <param name="timeout">DURATION: end the process after this long (500ms, 10s, 2m); exit code 124.</param>
    /// <param name="fuel">N: end the process after about this many instructions (a CPU limit).</param>
    /// <param name="maxFiles">N: the most files the process may hold open at once (default 1024).</param>
    /// <param name="verbose">-v, Also show the build's tools and messages (Go, C, Rust projects).</param>
    /// <param name="cancellationToken">Ctrl+C or SIGTERM: kill the process.</param>
    [Command("run")]
    public async Task Run(
        ConsoleAppContext context, [Argument] string? path = null, string? language = null, string? entry = null, bool readOnly = false,
        string? env = null, string? maxMemory = null, string? timeout = null, long? fuel = null, int? maxFiles = null, bool verbose = false,
        CancellationToken cancellationToken = default)
    {
        _ = env;
        var project = OsProject.Open(Project(context, path, language, entry, readOnly, maxMemory, timeout, fuel, maxFiles));
        using var kernel = new Kernel(new KernelOptions(PipedStdio: false, LogFile: KernelLogFile));
        project.Log = kernel.Log;
        if (Log.DebugEnabled)
        {
            var err = Terminal.Error;
            kernel.Log.Written += entry => err.WriteLine(err.Dim(entry.TerminalLine()));
        }
        var spec = project.Main([.. context.EscapedArguments], new PluginOutput(verbose));
        // The process writes to our stdout directly: what we printed before must come first.
        Terminal.Flush();
        var process = kernel.Spawn(spec);
        await using (cancellationToken.Register(process.Kill))
        {
            await process.Ended.ConfigureAwait(false);
        }
        var info = process.Info;
        Terminal.Flush();
        switch (info.Cause)
        {
            case EndCause.Exit or EndCause.MemoryLimit when info.ExitStatus is { } status:
                if (info.Cause == EndCause.MemoryLimit)
                {
                    Terminal.Error.WriteLine($"{Terminal.Error.Yellow("note:")} `{info.Command}`: {info.Reason}; raise it with --max-memory");
                }
                Environment.ExitCode = status;
                break;
            case EndCause.Killed when cancellationToken.IsCancellationRequested:
                Environment.ExitCode = (int)ExitCode.Interrupted;
                break;
            case EndCause.Killed:
                throw new WasmrunException($"`{info.Command}` (pid {info.Pid}) was killed", ExitCode.Killed);
            case EndCause.TimeLimit:
                throw new WasmrunException($"`{info.Command}`: {info.Reason}", ExitCode.TimeLimit) { Hint = "raise it with --timeout, or leave --timeout out" };
            case EndCause.CpuLimit:
                throw new AdvisedException(process.Failure!, $"the budget was --fuel {fuel}", $"`{info.Command}`: ");
            default:
                throw new AdvisedException(process.Failure!, null, $"`{info.Command}`: ");
        }
    }

    /// <summary>The kernel log's file: JSON lines under the Wasmrun home, capped (KernelLog.FileCap).</summary>
    internal static string KernelLogFile => Path.Join(ConfigPaths.FromEnvironment().Home, "os", "kernel.log");

    /// <summary>The project's options as `os` and `os run` take them.</summary>
    internal static OsProjectOptions Project(
        ConsoleAppContext context, string? path, string? language, string? entry, bool readOnly, string? maxMemory, string? timeout, long? fuel, int? maxFiles) =>
        new(path, language, entry, readOnly, Limits(maxMemory, timeout, fuel, maxFiles), [.. RepeatedOption.Variables(context)]);

    internal static ProcessLimits Limits(string? maxMemory, string? timeout, long? fuel, int? maxFiles) => new()
    {
        MaxMemoryBytes = maxMemory is null ? 2UL << 30 : Units.Bytes(maxMemory, "--max-memory"),
        WallTime = timeout is null ? null : Units.Duration(timeout, "--timeout"),
        Fuel = Units.Fuel(fuel),
        MaxOpenFiles = maxFiles switch
        {
            null => 1024,
            < 4 => throw new WasmrunException($"--max-files: {maxFiles} leaves no room beside stdin, stdout and stderr", ExitCode.Usage),
            _ => maxFiles.Value,
        },
    };

    /// <summary>--licenses: each embedded runtime's name and version, then its licence files as they are.</summary>
    private static void PrintLicenses()
    {
        var output = Terminal.Out;
        var printed = 0;
        foreach (var runtime in Enum.GetValues<RuntimeName>().Where(RuntimeFiles.Embedded))
        {
            var licences = new EmbeddedFolder($"os/licenses/{RuntimeFiles.Lower(runtime)}/");
            var names = licences.List("").Where(n => !n.Contains('/', StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            if (names.Count == 0)
            {
                continue;
            }
            output.WriteLine(output.Bold($"{RuntimeFiles.Version(runtime) ?? RuntimeFiles.Display(runtime)}, the {RuntimeFiles.Display(runtime)} runtime"));
            foreach (var name in names)
            {
                output.WriteLine($"--- {name}");
                output.WriteLine(System.Text.Encoding.UTF8.GetString(licences.Read(name)!).TrimEnd());
            }
            output.WriteLine("");
            printed++;
        }
        if (printed == 0)
        {
            output.WriteLine("this wasmrun embeds no language runtimes, so no licences of theirs (./build.sh build embeds QuickJS and CPython)");
        }
    }
}
