// The time limit of a plugin's script: time spent in the script itself, per call. Time inside host functions (a
// compiler run can take minutes) is not counted; Jint's own TimeoutInterval counts wall time, so it cannot be used.
using System.Diagnostics;
using Jint;

namespace Wasmrun.Plugins;

internal sealed class ScriptTimeLimit(TimeSpan limit) : Constraint
{
    private long started = Stopwatch.GetTimestamp();
    private long hostTicks;

    public TimeSpan Limit => limit;

    public override void Check()
    {
        if (Stopwatch.GetElapsedTime(started) - TimeSpan.FromTicks(hostTicks) > limit)
        {
            throw new PluginLimitExceeded("time", $"its script ran longer than {limit.TotalSeconds:0.###} s");
        }
    }

    public override void Reset()
    {
        started = Stopwatch.GetTimestamp();
        hostTicks = 0;
    }

    /// <summary>Stops the clock while a host function runs.</summary>
    public HostTime EnterHost() => new(this, Stopwatch.GetTimestamp());

    internal readonly struct HostTime(ScriptTimeLimit limit, long start) : IDisposable
    {
        public void Dispose() => limit.hostTicks += Stopwatch.GetElapsedTime(start).Ticks;
    }
}

/// <summary>A sandbox limit the script hit; the sandbox names the plugin and the config key.</summary>
internal sealed class PluginLimitExceeded(string limit, string what) : Exception(what)
{
    public string Limit { get; } = limit;
}
