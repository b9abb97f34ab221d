// The reference type a cast tests (ref.test, ref.cast, br_on_cast; 3.0 GC), packed into one IR operand by the
// translator and read back by the machine (Machine.IsOf): the heap kind in bits 0-7, nullable in bit 8, a type
// index above.
namespace Wasmrun.Engine.Translate;

internal readonly record struct CastTarget(uint Packed)
{
    public static uint Pack(ValType type) =>
        (uint)type.Heap | (type.Nullable ? 0x100u : 0) | (type.Heap == HeapKind.TypeIndex ? type.TypeIndex << 9 : 0);

    public HeapKind Heap => (HeapKind)(byte)Packed;

    public bool Nullable => (Packed & 0x100) != 0;

    /// <summary>For a defined type: its index in the module.</summary>
    public int TypeIndex => (int)(Packed >> 9);
}
