// Runs the binary and collects wall times, or the phase timings it logs with --debug.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;

namespace Wasmrun.Bench;

internal static partial class Runner
{
    public sealed record Timing(double Median, double Min);

    /// <summary>Runs the processes started until disposal on CPU 0 only (they inherit the bench's affinity), where
    /// the system allows it: the two vCPUs of these machines differ in speed from minute to minute (the same
    /// matmul took 3.98 s on one and 5.07-6.11 s on the other), so ratios of CPU-bound runs are only comparable
    /// on one. Start-up and the dev server keep every core.</summary>
    public static IDisposable OnOneCpu()
    {
        var self = Process.GetCurrentProcess();
        if (!OperatingSystem.IsLinux() || Environment.ProcessorCount < 2)
        {
            return self;
        }
        var all = self.ProcessorAffinity;
        self.ProcessorAffinity = 1;
        return new Pinned(self, all);
    }

    [SupportedOSPlatform("linux")]
    private sealed class Pinned(Process self, nint all) : IDisposable
    {
        public void Dispose()
        {
            self.ProcessorAffinity = all;
            self.Dispose();
        }
    }

    /// <summary>Runs a program to its end (stdin closed); its stdout (or stderr), or an exception with its error
    /// output when it fails (unless `anyExit`: a peer that crashes after printing the right output still has a time).</summary>
    public static string Tool(string program, IReadOnlyList<string> arguments, string? workingDirectory = null, bool stderr = false, bool anyExit = false)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 && !anyExit)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {output}{error.Result}");
        }
        return stderr ? error.Result : output;
    }

    /// <summary>The best wall time of a few whole-process runs, and the run's stdout, which must equal `expected`
    /// (the native build's output) when one is given.</summary>
    public static (double Seconds, string Output) Best(string[] command, string? expected, int runs, bool anyExit = false)
    {
        var best = double.MaxValue;
        var output = "";
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            output = Tool(command[0], command[1..], anyExit: anyExit);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            if (expected is not null && output.Trim() != expected.Trim())
            {
                throw new InvalidOperationException($"{string.Join(' ', command)} printed '{output}', native printed '{expected}'");
            }
        }
        return (best, output);
    }

    public static double Geomean(IReadOnlyCollection<double> ratios) => Math.Exp(ratios.Average(Math.Log));

    /// <summary>--baseline's cells beside ours: the other binary's time on the same arguments, its ratio to native
    /// (added to `ratios`) and ours over its; "" without a baseline.</summary>
    public static string BaselineCells(string? baseline, string[] arguments, string expected, int runs, double ours, double native, List<double> ratios)
    {
        if (baseline is null)
        {
            return "";
        }
        var theirs = Best([baseline, .. arguments], expected, runs).Seconds;
        ratios.Add(theirs / native);
        return $" {theirs,9:F3}s {theirs / native,6:F1}x {ours / theirs,7:F2}x";
    }

    /// <summary>The geomean row's baseline cells: its geomean ratio and ours over its; "" without a baseline.</summary>
    public static string BaselineGeomean(string? baseline, List<double> ours, List<double> theirs) =>
        baseline is null ? "" : $" {"",10} {Geomean(theirs),6:F1}x {Geomean(ours) / Geomean(theirs),7:F2}x";

    /// <summary>The program's path on PATH, or null.</summary>
    public static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    public sealed record PhaseTiming(double Decode, double Validate, double Wall);

    public static Timing Time(string binary, string[] arguments, int runs)
    {
        Run(binary, arguments);
        var times = Enumerable.Range(0, runs).Select(_ => Run(binary, arguments).Milliseconds).Order().ToList();
        return new Timing(times[times.Count / 2], times[0]);
    }

    public static PhaseTiming Phases(string binary, string module, int runs)
    {
        Run(binary, ["verify", module]);
        var samples = Enumerable.Range(0, runs).Select(_ =>
        {
            var (wall, stderr, exitCode) = Run(binary, ["verify", module, "--debug"]);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"wasmrun verify {module} failed:\n{stderr}");
            }
            return (Decode: Phase(stderr, "decode"), Validate: Phase(stderr, "validate"), Wall: wall);
        }).ToList();
        static double Median(IEnumerable<double> values) => values.Order().ElementAt(values.Count() / 2);
        return new PhaseTiming(Median(samples.Select(s => s.Decode)), Median(samples.Select(s => s.Validate)), Median(samples.Select(s => s.Wall)));
    }

    private static double Phase(string log, string phase)
    {
        var match = PhaseLine().Matches(log).FirstOrDefault(m => m.Groups[1].Value == phase)
            ?? throw new InvalidOperationException($"no '{phase}' timing in:\n{log}");
        return double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
    }

    private static (double Milliseconds, string Stderr, int ExitCode) Run(string binary, string[] arguments)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.Result;
        return (clock.Elapsed.TotalMilliseconds, stderr, process.ExitCode);
    }

    [GeneratedRegex(@"\[debug\] (\w+): ([0-9.]+) ms")]
    private static partial Regex PhaseLine();
}
