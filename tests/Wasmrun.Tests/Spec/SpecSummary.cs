// Formats the spec-suite counts: one line per script, then totals per command kind.
using System.Text;
using Wasmrun.Wast;

namespace Wasmrun.Tests.Spec;

internal static class SpecSummary
{
    private static readonly (WastCommandKind Kind, string Label)[] Columns =
    [
        (WastCommandKind.Malformed, "malformed"),
        (WastCommandKind.Invalid, "invalid"),
        (WastCommandKind.Module, "module"),
        (WastCommandKind.Return, "return"),
        (WastCommandKind.Trap, "trap"),
        (WastCommandKind.Exhaustion, "exhaustion"),
        (WastCommandKind.Exception, "exception"),
        (WastCommandKind.Unlinkable, "unlinkable"),
        (WastCommandKind.Uninstantiable, "uninstantiable"),
        (WastCommandKind.Action, "action"),
        (WastCommandKind.Register, "register"),
        (WastCommandKind.Unsupported, "unsupported"),
    ];

    public static string Format(IReadOnlyList<SpecScriptResult> results)
    {
        var text = new StringBuilder();
        var suites = new[]
        {
            ("2.0", SpecSuite.ScriptDirectory, results.Where(result => result.Suite == "2.0").ToList()),
            ("3.0", SpecSuite.Suite30Directory, results.Where(result => result.Suite == "3.0").ToList()),
        };
        foreach (var (name, directory, scripts) in suites.Where(suite => suite.Item3.Count > 0))
        {
            text.AppendLine($"spec suite {name}: {directory}");
            text.AppendLine($"{"script",-34}{string.Join("", Columns.Select(column => $"{column.Label,15}"))}");
            foreach (var result in scripts)
            {
                text.Append($"{result.Script,-34}");
                foreach (var (kind, _) in Columns)
                {
                    text.Append($"{$"{result.PassedOf(kind)}/{result.TotalOf(kind)}",15}");
                }
                text.AppendLine();
            }
            text.AppendLine();
        }
        foreach (var (name, _, scripts) in suites.Where(suite => suite.Item3.Count > 0))
        {
            text.AppendLine($"== {name} suite ==");
            foreach (var (kind, label) in Columns)
            {
                text.AppendLine($"{label,-14} {scripts.Sum(result => result.PassedOf(kind)),6} passed of {scripts.Sum(result => result.TotalOf(kind)),6}");
            }
            var assertions = Columns.Where(c => c.Kind != WastCommandKind.Register).Sum(c => scripts.Sum(r => r.TotalOf(c.Kind)));
            var passed = Columns.Where(c => c.Kind != WastCommandKind.Register).Sum(c => scripts.Sum(r => r.PassedOf(c.Kind)));
            text.AppendLine($"{"all commands",-14} {passed,6} passed of {assertions,6} (every command but register, read from the .wast sources)");
            var expected = scripts.SelectMany(result => result.ExpectedFailures).ToList();
            if (name == "2.0")
            {
                text.AppendLine($"{"expected fail",-14} {expected.Count,6} (listed in ExpectedFailures with reasons)");
                foreach (var failure in expected)
                {
                    text.AppendLine($"  {failure}  -- {ExpectedFailures.Reasons[failure.Key]}");
                }
                continue;
            }
            var listed = scripts.Where(result => ExpectedFailures.Scripts30.ContainsKey(result.Script)).ToList();
            text.AppendLine($"{"whole scripts",-14} {scripts.Count - listed.Count,6} of {scripts.Count} pass; {listed.Count} listed in ExpectedFailures.Scripts30 ({expected.Count} failing commands), by proposal:");
            foreach (var group in listed.GroupBy(result => ExpectedFailures.Scripts30[result.Script]).OrderBy(group => group.Key, StringComparer.Ordinal))
            {
                text.AppendLine($"  {group.Key}: {group.Count()} scripts, {group.Sum(result => result.ExpectedFailures.Count)} failing commands");
            }
        }
        return text.ToString();
    }
}
