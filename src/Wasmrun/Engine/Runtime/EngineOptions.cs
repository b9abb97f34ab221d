// Limits of execution: memory, call depth, value stack, fuel. The host chooses them (the CLI from exec's options).
namespace Wasmrun.Engine.Runtime;

internal sealed record EngineOptions
{
    /// <summary>The most bytes one linear memory may have (WebAssembly 2.0 allows 4 GiB).</summary>
    public ulong MaxMemoryBytes { get; init; } = 4UL << 30;

    /// <summary>The deepest MaxCallDepth may be: the frame stack (24 bytes a frame) then stays under 100 MB, whatever
    /// the options say, since a frame may take no value stack slots at all.</summary>
    public const int MaxCallDepthCeiling = 4_000_000;

    /// <summary>Nested Wasm calls before "call stack exhausted" (capped at MaxCallDepthCeiling).</summary>
    public int MaxCallDepth { get; init; } = 100_000;

    /// <summary>64-bit slots of the value stack shared by all frames (reserved lazily by the OS).</summary>
    public int StackSlots { get; init; } = 8 << 20;

    /// <summary>Fuel units (about one per instruction, charged at loop back-edges and calls); null is unlimited.</summary>
    public long? Fuel { get; init; }
}
