// Debug and trace logging through ZLogger to stderr, switched on by --debug; silent otherwise.
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ZLogger;

namespace Wasmrun.Cli;

internal static class Log
{
    /// <summary>Null until --debug: building a LoggerFactory (dependency injection and all) costs a short command several
    /// milliseconds of startup.</summary>
    private static ILoggerFactory? factory;

    public static bool DebugEnabled { get; private set; }

    public static void EnableDebug()
    {
        factory?.Dispose();
        factory = LoggerFactory.Create(builder =>
        {
            builder.ClearProviders();
            builder.SetMinimumLevel(LogLevel.Trace);
            builder.AddZLoggerConsole(options =>
            {
                options.LogToStandardErrorThreshold = LogLevel.Trace;
                options.UsePlainTextFormatter(formatter => formatter.SetPrefixFormatter(
                    $"[{0}] ", (in MessageTemplate template, in LogInfo info) => template.Format(LevelName(info.LogLevel))));
            });
        });
        DebugEnabled = true;
    }

    public static ILogger For(string category) => factory?.CreateLogger(category) ?? NullLogger.Instance;

    /// <summary>Logs how long a phase took when disposed (debug builds of the output only).</summary>
    public static PhaseTimer Phase(ILogger logger, string phase) => new(logger, phase, Stopwatch.GetTimestamp());

    /// <summary>ZLogger writes on a background thread: disposing the factory flushes it before the process exits.</summary>
    public static void Shutdown() => factory?.Dispose();

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        _ => "error",
    };

    internal readonly struct PhaseTimer(ILogger logger, string phase, long start) : IDisposable
    {
        public void Dispose()
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            logger.ZLogDebug($"{phase}: {elapsed.TotalMilliseconds:F2} ms");
        }
    }
}
