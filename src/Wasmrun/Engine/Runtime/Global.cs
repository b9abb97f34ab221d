// A global variable (spec 4.2.9): its value as untyped bits (two words for v128), shared by reference when imported.
namespace Wasmrun.Engine.Runtime;

internal sealed class Global(GlobalType type, ulong value, ulong high = 0)
{
    public GlobalType Type { get; } = type;

    public ulong Value = value;

    /// <summary>The upper 64 bits of a v128 global.</summary>
    public ulong High = high;

    /// <summary>The value as a typed value.</summary>
    public Wasmrun.Engine.Value Get() => Wasmrun.Engine.Value.FromBits(Type.Type, Value, High);
}
