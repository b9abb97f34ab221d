// The one error type for failures the user can act on: what went wrong, where, what to do, and the exit code.
namespace Wasmrun;

internal class WasmrunException(string message, ExitCode exitCode = ExitCode.InvalidInput, Exception? inner = null)
    : Exception(message, inner)
{
    public ExitCode ExitCode { get; } = exitCode;

    /// <summary>What the user can do about it, printed as "  hint: ..." under the error line.</summary>
    public string? Hint { get; set; }

    /// <summary>The one-line description printed after "error: " (subclasses add the location).</summary>
    public virtual string Describe() => Message;
}
