// Runs one script of the official spec suite from its .wast source through the engine's WastRunner (the runner
// `wasmrun wast` uses) and counts every command's outcome by kind, applying the one list of expected failures.
using Wasmrun.Engine;
using Wasmrun.Wast;

namespace Wasmrun.Tests.Spec;

internal sealed class SpecScriptResult(string suite, string script)
{
    /// <summary>"2.0" or "3.0".</summary>
    public string Suite { get; } = suite;

    public string Script { get; } = script;

    public Dictionary<WastCommandKind, int> Passed { get; } = [];

    public Dictionary<WastCommandKind, int> Total { get; } = [];

    public List<WastOutcome> Failures { get; } = [];

    /// <summary>Listed in ExpectedFailures and still failing.</summary>
    public List<WastOutcome> ExpectedFailures { get; } = [];

    public int PassedOf(WastCommandKind kind) => Passed.GetValueOrDefault(kind);

    public int TotalOf(WastCommandKind kind) => Total.GetValueOrDefault(kind);

    public void Count(WastCommandKind kind, bool passed)
    {
        Total[kind] = TotalOf(kind) + 1;
        if (passed)
        {
            Passed[kind] = PassedOf(kind) + 1;
        }
    }

    /// <summary>A 2.0 script: each failing command must be listed in ExpectedFailures.Commands.</summary>
    public static SpecScriptResult Run(string path)
    {
        var script = Path.GetFileNameWithoutExtension(path);
        var result = new SpecScriptResult("2.0", script);
        foreach (var outcome in WastRunner.Run(File.ReadAllText(path), script, WasmFeatures.Wasm20))
        {
            result.Record(outcome);
        }
        return result;
    }

    /// <summary>A 3.0 script: one listed in ExpectedFailures.Scripts30 (a proposal not implemented yet) must still
    /// fail somewhere; any other must pass whole.</summary>
    public static SpecScriptResult Run30(string directory, string script)
    {
        var result = new SpecScriptResult("3.0", script);
        var listed = Spec.ExpectedFailures.Scripts30.ContainsKey(script);
        var outcomes = WastRunner.Run(File.ReadAllText(Path.Combine(directory, script + ".wast")), script);
        foreach (var outcome in outcomes)
        {
            result.Count(outcome.Kind, outcome.Passed);
            if (!outcome.Passed)
            {
                (listed ? result.ExpectedFailures : result.Failures).Add(outcome);
            }
        }
        if (listed && outcomes.All(outcome => outcome.Passed))
        {
            result.Failures.Add(new WastOutcome(script, 0, WastCommandKind.Module, "passes but is listed in ExpectedFailures.Scripts30: remove it from the list"));
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
