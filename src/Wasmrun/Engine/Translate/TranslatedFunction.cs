// A translated function: its IR in its module's arena (unmanaged memory: the interpreter walks it with a raw pointer;
// no pinned GC objects, no GC heap growth on startup), the frame layout, and on request, for each instruction the
// module byte offset it came from (for backtraces).

namespace Wasmrun.Engine.Translate;

internal sealed unsafe class TranslatedFunction(TranslatedModule owner, uint index, Inst* start, int length, FrameLayout layout,
    ExceptionHandler[] handlers)
{
    private int[]? offsets;

    /// <summary>The exception handlers of its try_table and try blocks, innermost first (empty for most code).</summary>
    public ExceptionHandler[] Handlers { get; } = handlers;

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

/// <summary>What an exception handler does when it catches (the catch clause kinds, and delegate).</summary>
internal enum HandlerKind : byte
{
    Catch,
    CatchRef,
    CatchAll,
    CatchAllRef,

    /// <summary>A legacy try's delegate: the search goes on with the handlers of its label's block and the blocks
    /// around it only (those of nesting level at most <see cref="ExceptionHandler.Level"/>'s target, in
    /// <see cref="ExceptionHandler.Pad"/>).</summary>
    Delegate,
}

/// <summary>An exception handler over the IR of [Start, End), of the try or try_table at nesting
/// <paramref name="Level"/> (its control frame's depth): for a matching exception the unwinder writes the tag's
/// arguments (then the exnref, for the _ref kinds) from <paramref name="PayloadSlot"/> and jumps to
/// <paramref name="Pad"/>, translated code that branches to the catch's label. A legacy catch also has the machine
/// keep the exception by the address of <paramref name="ExceptionSlot"/> (-1 when none), for rethrow. A delegate's Pad is the level of its label's
/// block: handlers nested deeper than that no longer apply.</summary>
internal readonly record struct ExceptionHandler(int Start, int End, HandlerKind Kind, uint Tag, int Pad, int PayloadSlot, int ExceptionSlot, int Level)
{
    public bool Covers(int at) => at >= Start && at < End;
}

/// <summary>A translated function's frame: parameter slots, declared-local slots after them, and all slots it uses.</summary>
internal readonly record struct FrameLayout(int ParamSlots, int LocalSlots, int FrameSlots);
