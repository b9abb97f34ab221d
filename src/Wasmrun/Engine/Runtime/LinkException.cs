// A module that cannot be linked: an import nobody provides, or one whose type does not match (spec 4.5.4).
namespace Wasmrun.Engine.Runtime;

internal sealed class LinkException(string reason) : WasmrunException(reason, ExitCode.InvalidInput)
{
    /// <summary>The spec tests' wording: "unknown import" or "incompatible import type", then details.</summary>
    public string Reason { get; } = reason;
}
