// What a host function sees: its argument slots (results are written over them) and the calling instance.
namespace Wasmrun.Engine.Runtime;

internal readonly unsafe ref struct HostCall(ulong* slots, int slotCount, Instance? caller)
{
    public Span<ulong> Slots { get; } = new(slots, slotCount);

    /// <summary>The instance whose code made the call (its memory is the one WASI functions read and write).</summary>
    public Instance? Caller { get; } = caller;

    public int I32(int slot) => (int)Slots[slot];

    public long I64(int slot) => (long)Slots[slot];
}
