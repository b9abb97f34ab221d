// A translated function: its IR in unmanaged memory (the interpreter walks it with a raw pointer; no pinned GC
// objects, no GC heap growth on startup), the frame layout, and for each instruction the module byte offset it came
// from (for backtraces).
using System.Runtime.InteropServices;

namespace Wasmrun.Engine.Translate;

internal sealed unsafe class TranslatedFunction
{
    public TranslatedFunction(ReadOnlySpan<Inst> code, int[] offsets, int paramSlots, int localSlots, int frameSlots)
    {
        Start = (Inst*)NativeMemory.Alloc((nuint)code.Length, (nuint)sizeof(Inst));
        code.CopyTo(new Span<Inst>(Start, code.Length));
        Length = code.Length;
        Offsets = offsets;
        ParamSlots = paramSlots;
        LocalSlots = localSlots;
        FrameSlots = frameSlots;
    }

    ~TranslatedFunction() => NativeMemory.Free(Start);

    public Inst* Start { get; }

    public int Length { get; }

    public ReadOnlySpan<Inst> Code => new(Start, Length);

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
