// The one list of wasi-testsuite tests known to fail, each with its reason. A listed test that passes fails the run,
// so the list only shrinks. Keys are "<language>/<test>" as the test names show them (e.g. "c/sock_shutdown-invalid_fd").
namespace Wasmrun.Tests.Wasi;

internal static class WasiExpectedFailures
{
    public static readonly IReadOnlyDictionary<string, string> Reasons = new Dictionary<string, string>
    {
        // Empty: the goal is 72/72. Add an entry only with the reason the test cannot pass, e.g.
        // ["c/example"] = "why Wasmrun cannot (or must not) do what the test expects",
    };
}
