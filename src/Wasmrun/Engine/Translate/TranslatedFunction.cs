// A translated function: its IR in its module's arena (unmanaged memory: the interpreter walks it with a raw pointer;
// no pinned GC objects, no GC heap growth on startup), the frame layout, and on request, for each instruction the
// module byte offset it came from (for backtraces).

namespace Wasmrun.Engine.Translate;

internal sealed unsafe class TranslatedFunction(TranslatedModule owner, uint index, Inst* start, int length, FrameLayout layout)
{
    private int[]? offsets;

    /// <summary>The IR, in the owner's arena.</summary>
    public Inst* Start { get; } = start;

    public int Length { get; } = length;

    public ReadOnlySpan<Inst> Code => new(Start, Length);

    /// <summary>For each IR word the module byte offset of the instruction it came from: only backtraces and listings
    /// ask, so it is made again on the first request rather than kept for every function.</summary>
    public int[] Offsets => offsets ??= owner.OffsetsOf(index);

    public int ParamSlots => layout.ParamSlots;

    /// <summary>Slots of the declared locals after the parameters: zeroed at every call.</summary>
    public int LocalSlots => layout.LocalSlots;

    /// <summary>Every slot the frame may use: parameters, locals, scratch and operand temporaries.</summary>
    public int FrameSlots => layout.FrameSlots;

    /// <summary>The module byte offset of the instruction at <paramref name="ip"/> (an address inside Code).</summary>
    public int OffsetOf(Inst* ip)
    {
        var at = (int)(ip - Start);
        return at >= 0 && at < Length ? Offsets[at] : -1;
    }
}

/// <summary>A translated function's frame: parameter slots, declared-local slots after them, and all slots it uses.</summary>
internal readonly record struct FrameLayout(int ParamSlots, int LocalSlots, int FrameSlots);
