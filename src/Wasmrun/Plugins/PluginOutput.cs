// What a plugin run shows on stderr while it works: its steps, the output of the programs it runs (live, line by
// line, from two pipes at once), its log lines, and a "still running" line when a program is quiet for long.
// Stdout stays for results.
using System.Diagnostics;
using Wasmrun.Cli;

namespace Wasmrun.Plugins;

/// <param name="verbose">Show Detail lines too.</param>
/// <param name="terminal">Where the lines go (default: stderr).</param>
/// <param name="quietInterval">How long a program may print nothing before a line says it is still running (default 10 s).</param>
internal sealed class PluginOutput(bool verbose, Terminal? terminal = null, TimeSpan? quietInterval = null)
{
    private readonly Lock gate = new();
    private readonly Terminal terminal = terminal ?? Terminal.Error;
    private readonly TimeSpan quietInterval = quietInterval ?? TimeSpan.FromSeconds(10);
    private long lastWrite = Stopwatch.GetTimestamp();

    public bool Verbose => verbose;

    /// <summary>A step the plugin starts: a program it runs, or its own progress message.</summary>
    public void Step(string text) => Write($"{terminal.Cyan("→")} {text}");

    /// <summary>A line a program printed, indented under its step.</summary>
    public void ProgramLine(string line) => Write($"    {line}");

    public void Info(string text) => Write(text);

    public void Warn(string text) => Write($"{terminal.Yellow("warning:")} {text}");

    /// <summary>A failed build's compiler errors in one uniform form (Diagnostic.Format), after a blank line.</summary>
    public void Errors(IReadOnlyList<Diagnostic> errors)
    {
        if (errors.Count == 0)
        {
            return;
        }
        Write("");
        foreach (var error in errors)
        {
            Write(error.Format());
        }
    }

    /// <summary>Shown with --verbose only.</summary>
    public void Detail(string text)
    {
        if (verbose)
        {
            Write(terminal.Dim(text));
        }
    }

    /// <summary>
    /// While the returned object lives, a program is running: each time nothing has been written for the quiet
    /// interval, a line says so with the time so far, so a long silent step (cargo fetching, a large link) never
    /// looks like a hang.
    /// </summary>
    public IDisposable Running(string program)
    {
        var started = Stopwatch.GetTimestamp();
        return new Timer(_ =>
        {
            if (Stopwatch.GetElapsedTime(Volatile.Read(ref lastWrite)) >= quietInterval)
            {
                Write(terminal.Dim($"    … {program} still running ({Stopwatch.GetElapsedTime(started).TotalSeconds:0} s)"));
            }
        }, null, quietInterval, quietInterval);
    }

    private void Write(string line)
    {
        lock (gate)
        {
            terminal.WriteLine(line);
            // Live: a build can run for minutes, and its output must show as it comes.
            terminal.Writer.Flush();
            Volatile.Write(ref lastWrite, Stopwatch.GetTimestamp());
        }
    }
}
