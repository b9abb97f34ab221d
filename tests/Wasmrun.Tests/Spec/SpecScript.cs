// Runs one script of the official spec suite from its .wast source through the engine's WastRunner (the runner
// `wasmrun wast` uses) and counts every command's outcome by kind, applying the one list of expected failures.
using Wasmrun.Wast;

namespace Wasmrun.Tests.Spec;

internal sealed class SpecScriptResult(string script)
{
    public string Script { get; } = script;

    public Dictionary<WastCommandKind, int> Passed { get; } = [];

    public Dictionary<WastCommandKind, int> Total { get; } = [];

    public List<WastOutcome> Failures { get; } = [];

    /// <summary>Listed in ExpectedFailures and still failing.</summary>
    public List<WastOutcome> ExpectedFailures { get; } = [];

    public int PassedOf(WastCommandKind kind) => Passed.GetValueOrDefault(kind);

    public int TotalOf(WastCommandKind kind) => Total.GetValueOrDefault(kind);

    private void Count(WastCommandKind kind, bool passed)
    {
        Total[kind] = TotalOf(kind) + 1;
        if (passed)
        {
            Passed[kind] = PassedOf(kind) + 1;
        }
    }

    public static SpecScriptResult Run(string path)
    {
        var script = Path.GetFileNameWithoutExtension(path);
        var result = new SpecScriptResult(script);
        foreach (var outcome in WastRunner.Run(File.ReadAllText(path), script))
        {
            result.Record(outcome);
        }
        return result;
    }

    private void Record(WastOutcome outcome)
    {
        var listed = Spec.ExpectedFailures.Reasons.ContainsKey(outcome.Key);
        if (outcome.Passed && listed)
        {
            Failures.Add(outcome with { Failure = "passes but is listed in ExpectedFailures: remove it from the list" });
            Count(outcome.Kind, true);
            return;
        }
        Count(outcome.Kind, outcome.Passed);
        if (!outcome.Passed)
        {
            (listed ? ExpectedFailures : Failures).Add(outcome);
        }
    }
}
