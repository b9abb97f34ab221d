// Formats the spec-suite counts: one line per script, then totals per command kind.
using System.Text;

namespace Wasmrun.Tests.Spec;

internal static class SpecSummary
{
    private static readonly (SpecKind Kind, string Label)[] Columns =
    [
        (SpecKind.Malformed, "malformed"),
        (SpecKind.Invalid, "invalid"),
        (SpecKind.Module, "module"),
        (SpecKind.ValidModuleOfLinkAssertion, "link-modules"),
    ];

    public static string Format(IReadOnlyList<SpecScriptResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine($"spec suite: {SpecSuite.CoreDirectory}");
        text.AppendLine($"{"script",-32} {string.Join(" ", Columns.Select(column => $"{column.Label,14}"))}  pending");
        foreach (var result in results)
        {
            text.Append($"{result.Script,-32}");
            foreach (var (kind, _) in Columns)
            {
                text.Append($" {$"{result.PassedOf(kind)}/{result.TotalOf(kind)}",14}");
            }
            text.AppendLine($"  {result.TotalOf(SpecKind.Execution) + result.TotalOf(SpecKind.TextModule)}");
        }
        text.AppendLine();
        foreach (var (kind, label) in Columns)
        {
            text.AppendLine($"{label,-14} {results.Sum(result => result.PassedOf(kind)),6} passed of {results.Sum(result => result.TotalOf(kind)),6}");
        }
        text.AppendLine($"{"text modules",-14} {results.Sum(result => result.TotalOf(SpecKind.TextModule)),6} not run (assert_malformed of .wat text: needs a text-format parser)");
        text.AppendLine($"{"execution",-14} {results.Sum(result => result.TotalOf(SpecKind.Execution)),6} not run yet (assert_return, assert_trap, ...: need the interpreter)");
        var expected = results.SelectMany(result => result.ExpectedFailures).ToList();
        text.AppendLine($"{"expected fail",-14} {expected.Count,6} (listed in ExpectedFailures with reasons)");
        foreach (var failure in expected)
        {
            text.AppendLine($"  {failure}  -- {ExpectedFailures.Reasons[failure.Key]}");
        }
        return text.ToString();
    }
}
