// The one list of spec commands known to fail, each with its reason. A listed command that passes fails the run,
// so the list only shrinks. Keys are "<script>:<line>" (the .wast line of the command).
namespace Wasmrun.Tests.Spec;

internal static class ExpectedFailures
{
    public static readonly IReadOnlyDictionary<string, string> Reasons = new Dictionary<string, string>
    {
        // Empty since the suite is read from its .wast sources (issue 15): wast2json's three encodings that could not
        // carry what the text said (select:324, memory_init:190 and :227) are gone with it.
    };
}
