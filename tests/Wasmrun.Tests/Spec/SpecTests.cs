// One test per script of the official spec suite; the per-script counts and the suite totals are written to
// TestResults/spec-summary.txt (build.sh prints it after the run).
using System.Collections.Concurrent;

namespace Wasmrun.Tests.Spec;

public sealed class SpecTests
{
    internal static readonly ConcurrentBag<SpecScriptResult> Results = [];

    public static IEnumerable<string> Scripts() => SpecSuite.ScriptNames();

    public static IEnumerable<string> Scripts30() => SpecSuite.ScriptNames30();

    [Test]
    [MethodDataSource(nameof(Scripts))]
    public async Task Script(string name)
    {
        if (SpecSuite.ScriptDirectory is null)
        {
            Skip.Test(SpecSuite.MissingMessage);
        }
        var result = SpecScriptResult.Run(Path.Combine(SpecSuite.ScriptDirectory!, name + ".wast"));
        Results.Add(result);
        await Assert.That(result.Failures.Select(failure => failure.ToString()).ToList()).IsEmpty();
    }

    [Test]
    [MethodDataSource(nameof(Scripts30))]
    public async Task Script30(string name)
    {
        if (SpecSuite.Suite30Directory is null)
        {
            Skip.Test(SpecSuite.Missing30Message);
        }
        var result = SpecScriptResult.Run30(SpecSuite.Suite30Directory!, name);
        Results.Add(result);
        await Assert.That(result.Failures.Select(failure => failure.ToString()).ToList()).IsEmpty();
    }
}

public static class SpecSummaryHook
{
    [After(HookType.TestSession)]
    public static void WriteSummary()
    {
        var path = Path.Combine(RepositoryRoot.Path, "TestResults", "spec-summary.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (SpecSuite.ScriptDirectory is null)
        {
            File.WriteAllText(path, SpecSuite.MissingMessage + "\n");
            return;
        }
        if (SpecTests.Results.IsEmpty)
        {
            return;
        }
        File.WriteAllText(path, SpecSummary.Format([.. SpecTests.Results.OrderBy(result => result.Script, StringComparer.Ordinal)]));
    }
}
