// Wraps every command: switches on --debug logging, loads and applies config.toml, times the command, and turns
// every failure into one "error: ..." line (plus "  hint: ...") and the exit code UserError gives its kind. Stack
// traces only with --debug.
using System.Diagnostics;
using ConsoleAppFramework;
using Wasmrun.Config;
using ZLogger;

namespace Wasmrun.Cli;

internal sealed class CommandFilter(ConsoleAppFilter next) : ConsoleAppFilter(next)
{
    public override async Task InvokeAsync(ConsoleAppContext context, CancellationToken cancellationToken)
    {
        var debug = context.GlobalOptions is GlobalOptions { Debug: true };
        if (debug)
        {
            Log.EnableDebug();
        }
        var logger = Log.For("wasmrun");
        logger.ZLogDebug($"wasmrun {AppVersion.Text}: {string.Join(' ', context.Arguments)}");
        var start = Stopwatch.GetTimestamp();
        try
        {
            // --help must work even with a broken config.toml: it is how the user finds out what to do next
            if (!context.CommandArguments.Contains("--help") && !context.CommandArguments.Contains("-h"))
            {
                ConfigFile.LoadAndApply(defaultsWhenBroken: context.CommandName is "exec" or "verify" or "inspect" or "stop");
            }
            await Next.InvokeAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Environment.ExitCode = (int)Report(ex, debug);
        }
        finally
        {
            logger.ZLogDebug($"{context.CommandName}: {Stopwatch.GetElapsedTime(start).TotalMilliseconds:F2} ms, exit code {Environment.ExitCode}");
        }
    }

    /// <summary>Prints the error and returns the exit code for it.</summary>
    internal static ExitCode Report(Exception ex, bool debug)
    {
        var err = Terminal.Error;
        var error = UserError.Of(ex, debug);
        var (code, text, hint) = error;
        err.WriteLine(error.Location is null ? $"{err.Red(err.Bold("error:"))} {text}" : $"{error.Location}: {err.Red(err.Bold("error:"))} {text}");
        // A hint of several lines (one per missing tool, say) prints as several hints.
        foreach (var line in hint?.Split('\n') ?? [])
        {
            err.WriteLine($"  {err.Cyan("hint:")} {line}");
        }
        if (debug)
        {
            err.WriteLine(err.Dim(ex.ToString()));
        }
        return code;
    }
}
