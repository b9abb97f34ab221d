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
        (WastCommandKind.Unlinkable, "unlinkable"),
        (WastCommandKind.Uninstantiable, "uninstantiable"),
        (WastCommandKind.Action, "action"),
        (WastCommandKind.Register, "register"),
        (WastCommandKind.Unsupported, "unsupported"),
    ];

    public static string Format(IReadOnlyList<SpecScriptResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine($"spec suite: {SpecSuite.ScriptDirectory}");
        text.AppendLine($"{"script",-26}{string.Join("", Columns.Select(column => $"{column.Label,15}"))}");
        foreach (var result in results)
        {
            text.Append($"{result.Script,-26}");
            foreach (var (kind, _) in Columns)
            {
                text.Append($"{$"{result.PassedOf(kind)}/{result.TotalOf(kind)}",15}");
            }
            text.AppendLine();
        }
        text.AppendLine();
        foreach (var (kind, label) in Columns)
        {
            text.AppendLine($"{label,-14} {results.Sum(result => result.PassedOf(kind)),6} passed of {results.Sum(result => result.TotalOf(kind)),6}");
        }
        var assertions = Columns.Where(c => c.Kind != WastCommandKind.Register).Sum(c => results.Sum(r => r.TotalOf(c.Kind)));
        var passed = Columns.Where(c => c.Kind != WastCommandKind.Register).Sum(c => results.Sum(r => r.PassedOf(c.Kind)));
        text.AppendLine($"{"all commands",-14} {passed,6} passed of {assertions,6} (every command but register, read from the .wast sources)");
        var expected = results.SelectMany(result => result.ExpectedFailures).ToList();
        text.AppendLine($"{"expected fail",-14} {expected.Count,6} (listed in ExpectedFailures with reasons)");
        foreach (var failure in expected)
        {
            text.AppendLine($"  {failure}  -- {ExpectedFailures.Reasons[failure.Key]}");
        }
        return text.ToString();
    }
}
