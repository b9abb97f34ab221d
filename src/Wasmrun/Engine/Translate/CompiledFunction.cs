// A translated function: its IR in a pinned array (the interpreter walks it with a raw pointer), the frame layout,
// and for each instruction the module byte offset it came from (for backtraces).
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Wasmrun.Engine.Translate;

internal sealed unsafe class CompiledFunction
{
    public CompiledFunction(Inst[] code, int[] offsets, int paramSlots, int localSlots, int frameSlots)
    {
        var pinned = GC.AllocateUninitializedArray<Inst>(code.Length, pinned: true);
        code.CopyTo(pinned, 0);
        Code = pinned;
        Start = (Inst*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
        Offsets = offsets;
        ParamSlots = paramSlots;
        LocalSlots = localSlots;
        FrameSlots = frameSlots;
    }

    /// <summary>Kept referenced so the pinned block lives as long as this function.</summary>
    public Inst[] Code { get; }

    public Inst* Start { get; }

    public int[] Offsets { get; }

    public int ParamSlots { get; }

    /// <summary>Slots of the declared locals after the parameters: zeroed at every call.</summary>
    public int LocalSlots { get; }

    /// <summary>Every slot the frame may use: parameters, locals, scratch and operand temporaries.</summary>
    public int FrameSlots { get; }

    /// <summary>The module byte offset of the instruction at <paramref name="ip"/> (an address inside Code).</summary>
    public int OffsetOf(Inst* ip)
    {
        var index = (int)(ip - Start);
        return index >= 0 && index < Offsets.Length ? Offsets[index] : -1;
    }
}
