// `wasmrun os run [PATH] [-- ARGS]`: OS mode without the page. The kernel starts the project's main process (a
// JavaScript or Python program in the embedded runtimes, or a WASI module) with the terminal's stdin, stdout and
// stderr, and Wasmrun exits with its status; a limit or a kill ends it with a one-line reason.
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Os;
using Wasmrun.Plugins;

namespace Wasmrun.Commands;

internal sealed class OsCommand
{
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
        var project = OsProject.Open(new OsProjectOptions(path, language, entry, readOnly, Limits(maxMemory, timeout, fuel, maxFiles), [.. RepeatedOption.Variables(context)]));
        using var kernel = new Kernel(new KernelOptions(PipedStdio: false, LogFile: KernelLogFile));
        if (Log.DebugEnabled)
        {
            var err = Terminal.Error;
            kernel.Log.Written += e => err.WriteLine(err.Dim($"[os] {e.Time:HH:mm:ss.fff} {LowercaseEnum.Name(e.Kind),-8} {(e.Pid is { } pid ? $"pid {pid}: " : "")}{e.Message}"));
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

    internal static ProcessLimits Limits(string? maxMemory, string? timeout, long? fuel, int? maxFiles) => new()
    {
        MaxMemoryBytes = maxMemory is null ? 2UL << 30 : Units.Bytes(maxMemory, "--max-memory"),
        WallTime = timeout is null ? null : Units.Duration(timeout, "--timeout"),
        Fuel = fuel is < 0 ? throw new WasmrunException($"--fuel: {fuel} is negative", ExitCode.Usage) : fuel,
        MaxOpenFiles = maxFiles switch
        {
            null => 1024,
            < 4 => throw new WasmrunException($"--max-files: {maxFiles} leaves no room beside stdin, stdout and stderr", ExitCode.Usage),
            _ => maxFiles.Value,
        },
    };
}
