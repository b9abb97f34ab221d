// Translates one validated function body from the Wasm stack machine into register-style IR (ENGINE.md):
// operands live in 64-bit slots of one frame ([params][locals][if-params backup][operand temporaries]); the
// translator keeps a virtual operand stack of temporaries, locals and constants, so local.get and constants emit
// nothing; a following local.set is fused into the producing instruction's destination; constants become
// immediate variants; compares feeding br_if/if become compare-and-branch; branch targets are resolved to relative
// offsets. Every operand stack position has a fixed slot, so block results, branch values and call arguments are
// already where the consumer expects them in the common case, and calls pass arguments without copying: the callee's
// frame starts at its first argument. Instructions are written through the builders generated from their
// declarations (Emit.TableInit(operands, table, segment), Emit.Binary(op, dst, a, b): IrBuilder.g.cs; only br_table's
// label words are appended raw), and each opcode-table row lowered by hand has its own Visit method, which the
// generated Visit() dispatches to.
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Runtime;

namespace Wasmrun.Engine.Translate;

internal sealed unsafe partial class FunctionTranslator(Module module, IrArena arena)
{
    /// <summary>Whether the module has a 64-bit memory or table (3.0): only then are instructions checked for one.</summary>
    private readonly bool wideAddresses = module.Memories.Any(memory => memory.Limits.Is64) || module.Tables.Any(table => table.Limits.Is64);

    /// <summary>An implementation limit: a frame of more slots than this (8 MiB) is refused at translation.</summary>
    public const int MaxFrameSlots = 1 << 20;

    private readonly Module module = module;

    private readonly IrArena arena = arena;

    /// <summary>The IR being written, in the arena, with room for <see cref="room"/> words; <see cref="capacity"/>
    /// is what both it and <see cref="offsets"/> have room for.</summary>
    private Inst* code;
    private int room;
    private int capacity;
    private int[] offsets = new int[256];
    private int count;
    private int currentOffset;

    private Operand[] stack = new Operand[64];
    private int depth;
    private int height;
    private int maxHeight;

    private ControlFrame[] frames = new ControlFrame[16];

    /// <summary>The frames a br_table's labels name, reused from one br_table to the next.</summary>
    private ControlFrame[] branchTargets = new ControlFrame[16];
    private int frameCount;
    private int serials;
    private int skippedBlocks;

    private int[] localSlots = [];
    private ValType[] localTypes = [];
    private int nextHidden;

    /// <summary>The exception handlers of the function being translated, innermost first (each is added when its
    /// block's body ends, and inner bodies end first).</summary>
    private readonly List<ExceptionHandler> handlers = [];

    /// <summary>Set by an if whose parameters have no backup room (Translate counted none): translation starts
    /// over.</summary>
    private bool hiddenShort;

    /// <summary>The last value-producing instruction (its destination is field A) while nothing came after it and no
    /// label was bound since: a local.set of its result can retarget it instead of copying.</summary>
    private int lastProducer = -1;

    /// <summary>The last instruction when it is a Const32 (of a local.set, a materialised operand, ...), else -1.</summary>
    private int lastConstant = -1;

    /// <summary>The index of the last i64.extend_i32 emitted (an instruction's first word, never a data word).</summary>
    private int lastExtend = -1;

    /// <summary>The last instruction when it is a single Copy, Const32 or Const64, which the next move may pair with
    /// (PairMoves), else -1.</summary>
    private int lastMove = -1;

    /// <summary>The first word of the last pair PairMoves made, while its second move is the last word.</summary>
    private int lastPair = -1;

    /// <summary>The last instruction when it is a plain i32.load or i64.load, which the next may pair with, else
    /// -1.</summary>
    private int lastLoad = -1;

    /// <summary>The last instruction when a local.tee retargeted it to its local, else -1.</summary>
    private int lastTee = -1;

    /// <summary>The last instruction index a branch can land on (a bound block end, a loop start): instructions before
    /// it may not be merged with those after.</summary>
    private int lastLabel = -1;

    /// <summary>The first operand temporary's slot: below it are parameters, locals and if-parameter backups.</summary>
    private int operandBase;

    private InstructionReader reader = null!;
    private Instruction instruction;

    private enum Kind : byte
    {
        Temp,
        Local,
        Const,
    }

    /// <summary>An entry of the virtual operand stack: a temporary (its value is in slot Position), a local (still
    /// in its own slot, Slot) or a constant (Low/High) not yet written anywhere.</summary>
    private struct Operand
    {
        public Kind Kind;
        public ValType Type;
        public int Position;
        public int Slot;
        public ulong Low;
        public ulong High;

        /// <summary>A temporary an opcode-table instruction wrote as an i32: its slot's upper half is zero, so an
        /// i64.extend_i32_u of it needs no instruction (Go turns every compare into an i64 this way).</summary>
        public bool ZeroExtended;
    }

    private sealed class ControlFrame
    {
        public Opcode Kind;
        public ImmutableArray<ValType> Params;
        public ImmutableArray<ValType> Results;

        /// <summary>Operand count and slot height below the block's parameters.</summary>
        public int Depth;
        public int Base;

        /// <summary>For a loop: the index of its first instruction (its label).</summary>
        public int Start;

        /// <summary>Branches to the end of this block: (instruction whose A to patch, instruction A is relative to).</summary>
        public List<(int At, int From)> Patches = [];

        /// <summary>For an if: the branch to the else (or the end) still to patch; -1 once bound.</summary>
        public int ElsePatch = -1;

        /// <summary>For an if with parameters: the first slot of their backup copy, which the else starts from.</summary>
        public int Hidden = -1;

        public bool Unreachable;
        public bool IsFunction;

        /// <summary>Counts PushFrame calls. Frames are pooled by depth, so a frame is still open when its depth is
        /// below frameCount and its Serial has not changed.</summary>
        public int Serial;

        /// <summary>Its index in `frames`.</summary>
        public int Level;

        /// <summary>For a loop that starts with a br_table on a local: the table, which a branch to the loop right
        /// after that local was set to a constant skips (VisitBranch).</summary>
        public LoopDispatch? Dispatch;

        /// <summary>For a try_table: each catch clause's landing pad and payload slot, made into handlers over the
        /// body at its end.</summary>
        public List<(int Pad, int PayloadSlot, CatchClause Clause)> Catches = [];

        /// <summary>For a legacy try: where its body's IR starts and ends (its catches start after), and the hidden
        /// slot that keeps the caught exception for rethrow.</summary>
        public int BodyStart;
        public int BodyEnd;
        public int ExceptionSlot;

        public ImmutableArray<ValType> LabelTypes => Kind == Opcode.Loop ? Params : Results;
    }

    /// <summary>A br_table at a loop's start: the local it reads, its index, and its targets (frame and Serial).</summary>
    private sealed record LoopDispatch(int Slot, int Table, (ControlFrame Frame, int Serial)[] Targets);

    /// <summary>Translates a function. The backups of if-parameters need their room known before the first operand
    /// slot, which takes a pass over the body to count; code without an if that has parameters (all compiled code
    /// seen so far) needs none, so the first try assumes none and starts over with the count when one turns
    /// up.</summary>
    public FrameLayout Translate(uint functionIndex) => Translate(functionIndex, countHidden: false);

    /// <summary>The IR of the last translation, committed to the arena.</summary>
    public Inst* Start => code;

    public int Length => count;

    /// <summary>The exception handlers of the last translation.</summary>
    public ExceptionHandler[] Handlers => handlers.Count == 0 ? [] : [.. handlers];

    /// <summary>For each IR word of the last translation, the module byte offset of the instruction it came from.</summary>
    public ReadOnlySpan<int> Offsets => offsets.AsSpan(0, count);

    private FrameLayout Translate(uint functionIndex, bool countHidden)
    {
        var type = module.FunctionType(functionIndex)!;
        var body = module.Bodies[(int)functionIndex - module.ImportedFunctionCount];
        count = depth = frameCount = skippedBlocks = 0;
        handlers.Clear();
        lastProducer = lastLabel = lastConstant = lastExtend = lastMove = lastPair = lastLoad = lastTee = -1;

        var paramSlots = type.ParameterSlots;
        var declared = body.Locals.Aggregate(0UL, (sum, run) => sum + run.Count * (ulong)run.Type.Slots());
        var hidden = countHidden ? HiddenSlots(body) : 0;
        hiddenShort = false;
        if ((ulong)paramSlots + declared + (ulong)hidden > MaxFrameSlots)
        {
            throw new EngineLimitException(EngineLimit.FrameSize,
                $"function {functionIndex} declares {(ulong)type.Parameters.Length + body.LocalCount} locals: more than this engine executes ({MaxFrameSlots} slots)");
        }
        LayOutLocals(type.Parameters, body, paramSlots + (int)declared);
        nextHidden = paramSlots + (int)declared;
        height = maxHeight = operandBase = nextHidden + hidden;

        PushFrame(Opcode.Block, [], type.Results).IsFunction = true;
        code = arena.Begin(out room);
        capacity = Math.Min(room, offsets.Length);
        reader = new InstructionReader(WasmReader.Over(module, body.CodeStart, body.End));
        while (frameCount > 0)
        {
            if (hiddenShort)
            {
                // an if with parameters and no room for their backup: again, with the room counted first
                return Translate(functionIndex, countHidden: true);
            }
            reader.Read(ref instruction);
            currentOffset = instruction.Offset;
            if (frames[frameCount - 1].Unreachable)
            {
                SkipUnreachable();
            }
            else if (wideAddresses)
            {
                VisitWithAddresses();
            }
            else if (instruction.Memory != 0)
            {
                VisitOnMemory();
            }
            else
            {
                Visit();
            }
        }
        if (maxHeight > MaxFrameSlots)
        {
            throw new EngineLimitException(EngineLimit.FrameSize, $"function {functionIndex} needs {maxHeight} slots: more than this engine executes ({MaxFrameSlots})");
        }
        arena.Commit(code, count);
        return new FrameLayout(paramSlots, (int)declared, maxHeight);
    }

    private void LayOutLocals(ImmutableArray<ValType> parameters, FunctionBody body, int slots)
    {
        var localCount = parameters.Length + (int)body.LocalCount;
        if (localSlots.Length < localCount)
        {
            localSlots = new int[Math.Max(localCount, 64)];
            localTypes = new ValType[localSlots.Length];
        }
        int index = 0, slot = 0;
        foreach (var type in parameters)
        {
            localTypes[index] = type;
            localSlots[index++] = slot;
            slot += type.Slots();
        }
        foreach (var run in body.Locals)
        {
            for (var i = 0u; i < run.Count; i++)
            {
                localTypes[index] = run.Type;
                localSlots[index++] = slot;
                slot += run.Type.Slots();
            }
        }
    }

    /// <summary>Slots for backups of if-parameters (the then-branch may overwrite the parameter slots, and the else
    /// must start from the same values) and for the exception a legacy try's catch may rethrow: rare outside
    /// hand-written code and old exception handling, so one pass to count them is cheap.</summary>
    private int HiddenSlots(FunctionBody body)
    {
        var scan = new InstructionReader(WasmReader.Over(module, body.CodeStart, body.End));
        var item = new Instruction();
        var slots = 0;
        while (!scan.Reader.AtEnd)
        {
            scan.Read(ref item);
            if (item.Opcode == Opcode.If && item.Block.IsTypeIndex)
            {
                slots += module.Types[(int)item.Block.TypeIndex].ParameterSlots;
            }
            else if (item.Opcode == Opcode.Try)
            {
                slots++;
            }
        }
        return slots;
    }

    private void SkipUnreachable()
    {
        switch (instruction.Opcode)
        {
            case Opcode.Block or Opcode.Loop or Opcode.If or Opcode.TryTable or Opcode.Try:
                skippedBlocks++;
                break;
            case Opcode.Else when skippedBlocks == 0:
                VisitElse();
                break;
            case Opcode.Catch or Opcode.CatchAll when skippedBlocks == 0:
                VisitCatchClause();
                break;
            case Opcode.Delegate when skippedBlocks == 0:
                VisitDelegate();
                break;
            case Opcode.Delegate:
                skippedBlocks--;
                break;
            case Opcode.End when skippedBlocks > 0:
                skippedBlocks--;
                break;
            case Opcode.End:
                VisitEnd();
                break;
        }
    }

    // --- One Visit per instruction the opcode table lowers by hand (exec `-`); the generated Visit() dispatches to
    // them and sends the other rows to VisitTableInstruction. A row without its method is build error WRG005. ---

    private void VisitUnreachable()
    {
        Emit.Unreachable();
        SetUnreachable();
    }

    private static void VisitNop()
    {
    }

    private void VisitBlock()
    {
        var (parameters, results) = Signature(instruction.Block);
        MaterializeAll();
        var frame = PushFrame(instruction.Opcode, parameters, results);
        frame.Start = lastLabel = count;
        lastProducer = -1;
    }

    private void VisitLoop() => VisitBlock();

    private void VisitBr()
    {
        VisitBranch(Label(instruction.Index));
        SetUnreachable();
    }

    private void VisitBrIf() => VisitBranchIf(Label(instruction.Index));

    private void VisitReturn()
    {
        EmitReturn();
        SetUnreachable();
    }

    // --- Exception handling (3.0): the unwinder (Machine.Unwind) finds a handler over the throwing instruction's IR
    // position, writes the exception's arguments into the frame and jumps to a landing pad that branches to the
    // catch's label as a `br` would. ---

    private void VisitThrow()
    {
        var tag = module.Types[(int)module.Tags[(int)instruction.Index]];
        Emit.Throw(PopOperands(tag.Parameters.Length), tag: instruction.Index);
        SetUnreachable();
    }

    private void VisitThrowRef()
    {
        var exception = Pop();
        Emit.ThrowRef(SlotOf(ref exception));
        SetUnreachable();
    }

    /// <summary>try_table: first a branch over the landing pads, one per catch clause, each translated as the
    /// branch to its label with the caught values where the try_table's operands began (labels count from outside
    /// the try_table, as the pads sit outside its body); then the body, whose end makes the handlers.</summary>
    private void VisitTryTable()
    {
        var (parameters, results) = Signature(instruction.Block);
        MaterializeAll();
        var clauses = reader.Catches;
        var pads = new List<(int, int, CatchClause)>(clauses.Length);
        var skip = Emit.Br();
        int savedDepth = depth, savedHeight = height;
        var baseDepth = depth - parameters.Length;
        var baseHeight = parameters.Length > 0 ? stack[baseDepth].Position : height;
        foreach (var clause in clauses)
        {
            depth = baseDepth;
            height = baseHeight;
            var pad = count;
            lastLabel = count;
            lastProducer = -1;
            PushCaught(clause.IsAll ? null : clause.Tag, clause.PassesReference);
            VisitBranch(Label(clause.Label));
            pads.Add((pad, baseHeight, clause));
        }
        depth = savedDepth;
        height = savedHeight;
        Bind(skip, skip);
        var frame = PushFrame(Opcode.TryTable, parameters, results);
        frame.Start = lastLabel = count;
        frame.Catches.AddRange(pads);
        lastProducer = -1;
    }

    /// <summary>The values a catch gives its code, as temporaries from the current height: the tag's arguments, then
    /// the exnref when asked.</summary>
    private void PushCaught(uint? tag, bool reference)
    {
        if (tag is { } index)
        {
            foreach (var type in module.Types[(int)module.Tags[(int)index]].Parameters)
            {
                PushTemp(type);
            }
        }
        if (reference)
        {
            PushTemp(ValType.ExnRef);
        }
    }

    /// <summary>A legacy try: a block whose body the catch clauses (or a delegate) end. Its catches keep the
    /// exception in a hidden slot for rethrow.</summary>
    private void VisitTry()
    {
        var (parameters, results) = Signature(instruction.Block);
        if (nextHidden + 1 > operandBase)
        {
            hiddenShort = true;
            return;
        }
        MaterializeAll();
        var frame = PushFrame(Opcode.Try, parameters, results);
        frame.Start = frame.BodyStart = lastLabel = count;
        frame.ExceptionSlot = nextHidden++;
        lastProducer = -1;
    }

    private void VisitCatch() => VisitCatchClause();

    private void VisitCatchAll() => VisitCatchClause();

    /// <summary>A legacy catch or catch_all: the code before it (the body or the previous clause) branches to the
    /// try's end, and the clause's code is the landing pad of a handler over the body.</summary>
    private void VisitCatchClause()
    {
        var frame = frames[frameCount - 1];
        if (!frame.Unreachable)
        {
            MaterializeTop(frame.Results.Length);
            frame.Patches.Add((Emit.Br(), count - 1));
        }
        if (frame.Kind == Opcode.Try)
        {
            frame.BodyEnd = count;
        }
        depth = frame.Depth;
        height = frame.Base;
        var all = instruction.Opcode == Opcode.CatchAll;
        handlers.Add(new ExceptionHandler(frame.BodyStart, frame.BodyEnd, all ? HandlerKind.CatchAll : HandlerKind.Catch,
            instruction.Index, count, frame.Base, frame.ExceptionSlot, frame.Level));
        PushCaught(all ? null : instruction.Index, reference: false);
        lastLabel = count;
        frame.Kind = instruction.Opcode;
        frame.Unreachable = false;
        lastProducer = -1;
    }

    /// <summary>A legacy try ended by delegate: a handler over its body that sends the exception on to the handlers
    /// of the label's block and those around it (the function's label: the caller's).</summary>
    private void VisitDelegate()
    {
        var frame = frames[frameCount - 1];
        var target = Label(instruction.Index + 1);
        handlers.Add(new ExceptionHandler(frame.BodyStart, count, HandlerKind.Delegate, 0, target.Level, 0, -1, frame.Level));
        VisitEnd();
    }

    /// <summary>rethrow: the exception its catch clause caught, which the machine keeps by the try's hidden slot.</summary>
    private void VisitRethrow()
    {
        Emit.Rethrow(caught: (uint)Label(instruction.Index).ExceptionSlot);
        SetUnreachable();
    }

    private void VisitCall()
    {
        var type = module.FunctionType(instruction.Index)!;
        Emit.Call(instruction.Index, first: PopOperands(type.Parameters.Length));
        PushResults(type);
    }

    /// <summary>The table index operand follows the arguments (call_ref's reference, in its place).</summary>
    private void VisitCallIndirect()
    {
        var type = module.Types[(int)instruction.Index];
        var (typeIndex, first, table) = IndirectCall(type);
        Emit.CallIndirect(typeIndex, first, table);
        PushResults(type);
    }

    private void VisitCallRef() => VisitCallIndirect();

    /// <summary>The type, first slot and table of the CallIndirect or ReturnCallIndirect that makes the call: the
    /// instruction's own for call_indirect of a final type. A call_ref (3.0), or a call_indirect of an open type whose
    /// callee may be of a subtype that the hot handler's id equality would refuse, first takes a cold step
    /// (CallReference, CallIndirectOpen) that puts the callee in the instance's hidden table and its type id in the
    /// type's hidden entry (TranslatedModule.ParamSlots, Instance.TypeIds).</summary>
    private (uint Type, int First, uint Table) IndirectCall(FuncType type)
    {
        var first = PopOperands(type.Parameters.Length + 1);
        var operand = first + type.ParameterSlots;
        if (instruction.Opcode is Opcode.CallRef or Opcode.ReturnCallRef)
        {
            Emit.CallReference(operand, instruction.Index);
        }
        else if (module.Declarations[(int)instruction.Index].Final)
        {
            return (instruction.Index, first, instruction.Index2);
        }
        else
        {
            Emit.CallIndirectOpen(operand, instruction.Index, instruction.Index2);
        }
        return ((uint)module.Types.Length + instruction.Index, first, (uint)module.Tables.Length);
    }

    /// <summary>A tail call (3.0): the arguments as for a call, then nothing after it runs in this function.</summary>
    private void VisitReturnCall()
    {
        var type = module.FunctionType(instruction.Index)!;
        Emit.ReturnCall(instruction.Index, first: PopOperands(type.Parameters.Length));
        SetUnreachable();
    }

    private void VisitReturnCallIndirect()
    {
        var type = module.Types[(int)instruction.Index];
        var (typeIndex, first, table) = IndirectCall(type);
        Emit.ReturnCallIndirect(typeIndex, first, table);
        SetUnreachable();
    }

    private void VisitReturnCallRef() => VisitReturnCallIndirect();

    private void VisitDrop() => Pop();

    private void VisitSelectTyped() => VisitSelect();

    private void VisitLocalGet() =>
        Push(Kind.Local, localTypes[instruction.Index], localSlots[instruction.Index]);

    private void VisitLocalSet() => SetLocal(instruction.Index, tee: false);

    private void VisitLocalTee() => SetLocal(instruction.Index, tee: true);

    private void VisitGlobalGet()
    {
        var type = module.Globals[(int)instruction.Index].Type;
        _ = type == ValType.V128 ? Emit.GlobalGetV128(height, instruction.Index) : Emit.GlobalGet(height, instruction.Index);
        PushTemp(type);
    }

    private void VisitGlobalSet()
    {
        var value = Pop();
        if (value.Type == ValType.V128)
        {
            Emit.GlobalSetV128(SlotOf(ref value), instruction.Index);
            return;
        }
        if (value.Kind == Kind.Local && IsLast(lastTee) && lastLabel != count && code[lastTee].A == value.Slot
            && code[lastTee].Op is IrOp.I32Add_SI or IrOp.I32Sub_SI)
        {
            var add = code[--count];
            Emit.I32AddTeeGlobal(add.A, add.B, AddendOf(add)!.Value, instruction.Index);
            return;
        }
        var (slot, addend) = TakeAddend(value) ?? (SlotOf(ref value), 0);
        Emit.GlobalSet(slot, instruction.Index, addend);
    }

    /// <summary>When an add or sub of a constant computed `value` (a temporary) just before, removes it and returns
    /// its operand and the constant to add (wrapping: the low 32 bits of the i64 sum are the i32 one). An i64 sub of
    /// int.MinValue stays: its negation is no 32-bit immediate.</summary>
    private (int Slot, int Addend)? TakeAddend(Operand value)
    {
        if (value.Kind != Kind.Temp || !IsLast(lastProducer) || code[lastProducer].A != value.Position)
        {
            return null;
        }
        var producer = code[lastProducer];
        if (AddendOf(producer) is not { } addend)
        {
            return null;
        }
        count--;
        lastProducer = -1;
        return (producer.B, addend);
    }

    /// <summary>An i32.store of `load(p + offset) + k` back to `p + offset`, the load and the add emitted right before
    /// it with no label between and `p` a local: the three become one <c>I32AddToMemory</c> (CPython's reference
    /// counts). The add's destination keeps the sum, for a local.tee that named it.</summary>
    private bool TakeAddToMemory(Operand address, Operand value)
    {
        if (address.Kind != Kind.Local || count < 2 || lastLabel >= count - 1)
        {
            return false;
        }
        var add = code[count - 1];
        var sumSlot = value.Kind switch
        {
            Kind.Temp when IsLast(lastProducer) => value.Position,
            Kind.Local when IsLast(lastTee) => value.Slot,
            _ => -1,
        };
        var load = code[count - 2];
        if (add.A != sumSlot || add.Op is not (IrOp.I32Add_SI or IrOp.I32Sub_SI) || add.A == address.Slot
            || load.Op != IrOp.I32Load || load.A != add.B || load.A < operandBase || load.B != address.Slot
            || (uint)load.C != instruction.MemOffset)
        {
            return false;
        }
        var (at, loadOffset) = Rewind(2);
        Emit.I32AddToMemory(add.A, address.Slot, instruction.MemOffset, AddendOf(add)!.Value);
        offsets[at] = loadOffset;
        return true;
    }

    /// <summary>An i64.store of the i64.load emitted right before it (its result a temporary, no label between, the
    /// store's address already in a slot): the two become one <c>I64Copy</c>, each word keeping its own byte offset
    /// for a trap.</summary>
    private bool TakeCopy(Operand address, Operand value)
    {
        if (value.Kind != Kind.Temp || address.Kind is not (Kind.Temp or Kind.Local) || !IsLast(lastProducer) || lastLabel == count)
        {
            return false;
        }
        var load = code[count - 1];
        if (load.Op != IrOp.I64Load || load.A != value.Position)
        {
            return false;
        }
        var (at, loadOffset) = Rewind(1);
        Emit.I64Copy(address.Kind == Kind.Temp ? address.Position : address.Slot, load.B, (uint)load.C, instruction.MemOffset);
        offsets[at] = loadOffset;
        return true;
    }

    /// <summary>Takes back the last <paramref name="words"/> words for a fused instruction that starts where they did;
    /// returns that index and the byte offset it had, which the caller puts back on the fused instruction's first word
    /// once emitted: a trap there is the first taken-back instruction's (the next word keeps the current
    /// instruction's, for a trap in the fused instruction's later part).</summary>
    private (int At, int Offset) Rewind(int words)
    {
        count -= words;
        return (count, offsets[count]);
    }

    /// <summary>The constant an add or sub of an immediate adds to its operand B (a sub's negated), else null.</summary>
    private static int? AddendOf(Inst producer) => producer.Op switch
    {
        IrOp.I32Add_SI or IrOp.I64Add_SI => producer.C,
        IrOp.I32Sub_SI => unchecked(-producer.C),
        IrOp.I64Sub_SI when producer.C != int.MinValue => -producer.C,
        _ => null,
    };

    private void VisitI32Const() => PushConst(ValType.I32, instruction.Bits);

    private void VisitI64Const() => PushConst(ValType.I64, instruction.Bits);

    private void VisitF32Const() => PushConst(ValType.F32, instruction.Bits);

    private void VisitF64Const() => PushConst(ValType.F64, instruction.Bits);

    private void VisitV128Const() => PushConst(ValType.V128, instruction.Vector.Low, instruction.Vector.High);

    private void VisitRefNull() => PushConst(instruction.Type, 0);

    /// <summary>i32.wrap_i64 emits nothing: an i32 is read from the low 4 bytes of its slot, so the i64's slot
    /// already holds the result (an i32 slot's upper half is unspecified). When an i64 add, sub, mul or bitwise op
    /// computed the operand just before, it becomes the i32 op (same low 32 bits), which lets an i64.extend_i32 that
    /// fed it go: Go computes every address as wrap(add(extend(x), k)).</summary>
    private void VisitI32WrapI64()
    {
        ref var value = ref stack[depth - 1];
        value.Type = ValType.I32;
        if (value.Kind == Kind.Const)
        {
            value.Low = (uint)value.Low;
        }
        else if (value.Kind == Kind.Temp && IsLast(lastProducer) && code[lastProducer].A == value.Position
            && Narrowed(code[lastProducer].Op) is (not IrOp.None and var narrow, var immediate))
        {
            code[lastProducer].Op = narrow;
            DropExtendFeeding(lastProducer, immediate);
        }
    }

    /// <summary>The i32 op with the same low 32 bits, and whether its field C is an immediate (_SI) rather than a slot.</summary>
    private static (IrOp Op, bool Immediate) Narrowed(IrOp op) => op switch
    {
        IrOp.I64Add_SS => (IrOp.I32Add_SS, false),
        IrOp.I64Add_SI => (IrOp.I32Add_SI, true),
        IrOp.I64Sub_SS => (IrOp.I32Sub_SS, false),
        IrOp.I64Sub_SI => (IrOp.I32Sub_SI, true),
        IrOp.I64Mul_SS => (IrOp.I32Mul_SS, false),
        IrOp.I64Mul_SI => (IrOp.I32Mul_SI, true),
        IrOp.I64And_SS => (IrOp.I32And_SS, false),
        IrOp.I64And_SI => (IrOp.I32And_SI, true),
        IrOp.I64Or_SS => (IrOp.I32Or_SS, false),
        IrOp.I64Or_SI => (IrOp.I32Or_SI, true),
        IrOp.I64Xor_SS => (IrOp.I32Xor_SS, false),
        IrOp.I64Xor_SI => (IrOp.I32Xor_SI, true),
        _ => (IrOp.None, false),
    };

    /// <summary>An i32 op at `at` (the last instruction) whose operand an i64.extend_i32 right before it wrote to a
    /// temporary reads the extend's source instead, and the extend is removed: only the low 32 bits are used.</summary>
    private void DropExtendFeeding(int at, bool immediate)
    {
        if (lastExtend != at - 1 || lastLabel == at)
        {
            return;
        }
        var extend = code[at - 1];
        if (extend.Op is not (IrOp.I64ExtendI32U or IrOp.I64ExtendI32S) || extend.A < operandBase)
        {
            return;
        }
        ref var op = ref code[at];
        if (op.B == extend.A)
        {
            op.B = extend.B;
        }
        else if (op.C == extend.A && !immediate)
        {
            op.C = extend.B;
        }
        else
        {
            return;
        }
        code[at - 1] = op;
        count--;
        lastProducer = count - 1;
        lastExtend = -1;
    }

    private void VisitRefIsNull()
    {
        var value = Pop();
        var slot = SlotOf(ref value);
        Emit.RefIsNull(value.Position, slot);
        PushTemp(ValType.I32);
    }

    // --- GC (3.0): cold handlers; references of the any hierarchy as AnyReferences lays them out ---

    private void VisitRefEq()
    {
        var b = Pop();
        var a = Pop();
        var bSlot = SlotOf(ref b);
        Emit.RefEq(a.Position, SlotOf(ref a), bSlot);
        PushTemp(ValType.I32);
    }

    private void VisitRefI31()
    {
        var value = Pop();
        Emit.RefI31(value.Position, SlotOf(ref value));
        PushTemp(ValType.Ref(HeapKind.I31, nullable: false));
    }

    private void VisitI31GetS() => I31Get(signed: true);

    private void VisitI31GetU() => I31Get(signed: false);

    private void I31Get(bool signed)
    {
        var reference = Pop();
        Emit.I31Get(reference.Position, SlotOf(ref reference), signed ? 1u : 0u);
        PushTemp(ValType.I32);
    }

    private void VisitAnyConvertExtern()
    {
        var reference = Pop();
        Emit.AnyConvertExtern(reference.Position, SlotOf(ref reference));
        PushTemp(ValType.Ref(HeapKind.Any, nullable: true));
    }

    private void VisitExternConvertAny()
    {
        var reference = Pop();
        Emit.ExternConvertAny(reference.Position, SlotOf(ref reference));
        PushTemp(ValType.ExternRef);
    }

    private void VisitRefTest() => RefTest(nullable: false);

    private void VisitRefTestNull() => RefTest(nullable: true);

    private void RefTest(bool nullable)
    {
        var reference = Pop();
        Emit.RefTest(reference.Position, SlotOf(ref reference), CastTarget.Pack(instruction.Type.AsNullable(nullable)));
        PushTemp(ValType.I32);
    }

    private void VisitRefCast() => RefCast(nullable: false);

    private void VisitRefCastNull() => RefCast(nullable: true);

    private void RefCast(bool nullable)
    {
        ref var reference = ref stack[depth - 1];
        Emit.RefCast(SlotOf(ref reference), CastTarget.Pack(instruction.Type.AsNullable(nullable)));
        lastProducer = -1;
    }

    /// <summary>br_on_cast and br_on_cast_fail (3.0 GC): the reference is tested into a temporary above it and stays
    /// where it is for the branch (its label's last value) and for the code after it.</summary>
    private void VisitBrOnCast() => BranchOnCast(whenOf: true);

    private void VisitBrOnCastFail() => BranchOnCast(whenOf: false);

    private void BranchOnCast(bool whenOf)
    {
        var target = CastTarget.Pack(instruction.Type2);
        BranchOnTop((test, reference) => Emit.RefTest(test, reference, target), whenZero: !whenOf);
    }

    /// <summary>Tests the reference on top of the stack into a temporary above it, which stays where it is, and
    /// branches on the test as br_if would (when it is zero, or non-zero).</summary>
    private void BranchOnTop(Func<int, int, int> test, bool whenZero)
    {
        var reference = SlotOf(ref stack[depth - 1]);
        maxHeight = Math.Max(maxHeight, height + 1);
        test(height, reference);
        BranchOnSlot(Label(instruction.Index), height, whenZero);
    }

    private void VisitRefAsNonNull()
    {
        ref var reference = ref stack[depth - 1];
        Emit.RefAsNonNull(SlotOf(ref reference));
        lastProducer = -1;
    }

    /// <summary>br_on_null (3.0): the reference is tested into a temporary above it, which stays in its slot for the
    /// code after the branch; the branch takes the values below it.</summary>
    private void VisitBrOnNull()
    {
        var reference = Pop();
        var slot = SlotOf(ref reference);
        var test = reference.Position + 1;
        maxHeight = Math.Max(maxHeight, test + 1);
        Emit.RefIsNull(test, slot);
        BranchOnSlot(Label(instruction.Index), test, whenZero: false);
        stack[depth++] = reference;
        height = reference.Position + 1;
    }

    /// <summary>br_on_non_null (3.0): the branch takes the reference with the values below it; else it is dropped.</summary>
    private void VisitBrOnNonNull()
    {
        BranchOnTop(Emit.RefIsNull, whenZero: true);
        Pop();
    }

    /// <summary>A branch taken when the i32 in `condition` is non-zero (or zero), as br_if's.</summary>
    private void BranchOnSlot(ControlFrame target, int condition, bool whenZero)
    {
        lastProducer = -1;
        if (target.IsFunction || NeedsBranchValues(target))
        {
            var skip = whenZero ? Emit.BrIfNz(condition) : Emit.BrIfZ(condition);
            VisitBranch(target);
            Bind(skip, skip);
            lastProducer = -1;
            return;
        }
        var branch = whenZero ? Emit.BrIfZ(condition) : Emit.BrIfNz(condition);
        Target(branch, branch, target);
    }

    private void VisitRefFunc()
    {
        Emit.RefFunc(height, instruction.Index);
        PushTemp(ValType.FuncRef);
    }

    private void VisitMemorySize()
    {
        Emit.MemorySize(height);
        PushTemp(ValType.I32);
    }

    // memory.grow, table.get and table.grow read their operands from the slot they write (`slots`, not `result`):
    // not fusable producers.
    private void VisitMemoryGrow()
    {
        Emit.MemoryGrow(PopOperands(1));
        PushTemp(ValType.I32);
    }

    private void VisitMemoryFill() => Emit.MemoryFill(PopOperands(3));

    private void VisitMemoryCopy()
    {
        if (instruction.Memory == 0 && instruction.Index2 == 0)
        {
            Emit.MemoryCopy(PopOperands(3));
        }
        else
        {
            Emit.MemoryCopyAcross(PopOperands(3), destination: instruction.Memory, source: instruction.Index2);
        }
    }

    /// <summary>An instruction on a memory other than 0 (3.0): the interpreter keeps memory 0 in its loop's locals, so
    /// the instruction is translated as for memory 0 between two SelectMemory, to its memory and back. Nothing fuses
    /// across them: every fusion looks at the instructions just before, and the last one is now a SelectMemory.
    /// memory.copy names its memories itself.</summary>
    private void VisitOnMemory()
    {
        if (instruction.Memory == 0 || instruction.Opcode == Opcode.MemoryCopy)
        {
            Visit();
            return;
        }
        Emit.SelectMemory(index: instruction.Memory);
        Visit();
        Emit.SelectMemory(index: 0);
    }

    /// <summary>In a module with a 64-bit memory or table (3.0): an instruction on one has its i64 addresses, indices
    /// and lengths narrowed to the i32 the handlers read, is translated as on a 32-bit one, and gives its size
    /// back as an i64. A value that does not fit 32 bits is out of bounds (Narrow64 traps): this engine keeps such
    /// memories and tables below 2^32 bytes and entries (Memory.Create, Table.EngineLimit).</summary>
    private void VisitWithAddresses()
    {
        var (wide, wideSource, trap) = AddressWidths();
        var widenResult = false;
        switch (instruction.Opcode)
        {
            case Opcode.CallIndirect or Opcode.ReturnCallIndirect when wide:
                Narrow(1, TrapCode.UndefinedElement);
                break;
            case Opcode.TableGet when wide:
                Narrow(1, trap);
                break;
            case Opcode.TableSet when wide:
                Narrow(2, trap);
                break;
            case Opcode.TableFill or Opcode.MemoryFill when wide:
                Narrow(3, trap);
                Narrow(1, trap);
                break;
            case Opcode.TableInit or Opcode.MemoryInit when wide:
                Narrow(3, trap);
                break;
            case Opcode.TableCopy or Opcode.MemoryCopy:
                // Each side's address by its own width; the length is 64-bit only when both are.
                if (wide)
                {
                    Narrow(3, trap);
                }
                if (wideSource)
                {
                    Narrow(2, trap);
                }
                if (wide && wideSource)
                {
                    Narrow(1, trap);
                }
                break;
            case Opcode.TableGrow or Opcode.MemoryGrow when wide:
                Narrow(1, trap: null);
                widenResult = true;
                break;
            case Opcode.TableSize or Opcode.MemorySize:
                widenResult = wide;
                break;
            default:
                if (OpcodeInfo.Immediates(instruction.Opcode) is ImmediateKind.MemArg or ImmediateKind.MemArgLane && wide)
                {
                    Narrow(IrLowering.For(instruction.Opcode).Shape == IrShape.Load ? 1 : 2, trap);
                    if (instruction.Bits > uint.MaxValue)
                    {
                        // An offset past 4 GiB is past the end of any memory here.
                        Emit.Trap(code: (uint)trap);
                    }
                }
                break;
        }
        VisitOnMemory();
        if (widenResult)
        {
            ref var result = ref stack[depth - 1];
            if (instruction.Opcode is Opcode.MemoryGrow or Opcode.TableGrow)
            {
                // -1 (the grow failed) stays -1; an old size is below 2^31.
                Emit.Unary(IrOp.I64ExtendI32S, result.Position, result.Position);
            }
            result.Type = ValType.I64;
            result.ZeroExtended = false;
        }
    }

    /// <summary>Whether the current instruction's table or memory is 64-bit (a copy's destination), whether a copy's
    /// source is, and the trap of an address out of range.</summary>
    private (bool Wide, bool WideSource, TrapCode Trap) AddressWidths()
    {
        var (kind, index, source) = Addressed.By(instruction);
        if (kind == AddressedKind.None)
        {
            return (false, false, TrapCode.None);
        }
        return (IsWide(kind, index), source is { } from && IsWide(kind, from),
            kind == AddressedKind.Table ? TrapCode.TableOutOfBounds : TrapCode.MemoryOutOfBounds);
    }

    private bool IsWide(AddressedKind kind, uint index) =>
        (kind == AddressedKind.Table ? module.Tables[(int)index].Limits : module.Memories[(int)index].Limits).Is64;

    /// <summary>The i64 operand <paramref name="fromTop"/> places down becomes an i32 temporary: at run time a value
    /// past 32 bits traps with <paramref name="trap"/>, or with none (a grow's delta) becomes 2^32-1, which fails as
    /// it would. A constant is just retyped (and clamped).</summary>
    private void Narrow(int fromTop, TrapCode? trap)
    {
        ref var operand = ref stack[depth - fromTop];
        if (operand.Kind == Kind.Const && (trap is null || operand.Low <= uint.MaxValue))
        {
            operand.Low = Math.Min(operand.Low, uint.MaxValue);
            operand.Type = ValType.I32;
            return;
        }
        var slot = SlotOf(ref operand);
        if (trap is { } code)
        {
            Emit.Narrow64(operand.Position, slot, code: (uint)code);
        }
        else
        {
            Emit.Saturate64(operand.Position, slot);
        }
        operand.Kind = Kind.Temp;
        operand.Type = ValType.I32;
        operand.ZeroExtended = false;
    }

    private void VisitMemoryInit() => Emit.MemoryInit(PopOperands(3), segment: instruction.Index);

    private void VisitDataDrop() => Emit.DataDrop(segment: instruction.Index);

    private void VisitTableGet()
    {
        Emit.TableGet(PopOperands(1), table: instruction.Index);
        PushTemp(module.Tables[(int)instruction.Index].ElementType);
    }

    private void VisitTableSet() => Emit.TableSet(PopOperands(2), table: instruction.Index);

    private void VisitTableSize()
    {
        Emit.TableSize(height, table: instruction.Index);
        PushTemp(ValType.I32);
    }

    private void VisitTableGrow()
    {
        Emit.TableGrow(PopOperands(2), table: instruction.Index);
        PushTemp(ValType.I32);
    }

    private void VisitTableFill() => Emit.TableFill(PopOperands(3), table: instruction.Index);

    private void VisitTableCopy() => Emit.TableCopy(PopOperands(3), destination: instruction.Index, source: instruction.Index2);

    /// <summary>table.init's immediates come element segment first, then table.</summary>
    private void VisitTableInit() => Emit.TableInit(PopOperands(3), table: instruction.Index2, segment: instruction.Index);

    private void VisitElemDrop() => Emit.ElemDrop(segment: instruction.Index);

    private void VisitTableInstruction(IrInfo info)
    {
        if (info.Op == IrOp.I64ExtendI32U && stack[depth - 1] is { Kind: Kind.Temp, ZeroExtended: true })
        {
            stack[depth - 1].Type = ValType.I64;
            stack[depth - 1].ZeroExtended = false;
            return;
        }
        switch (info.Shape)
        {
            case IrShape.Unary:
                {
                    var a = Pop();
                    var slot = SlotOf(ref a);
                    Emit.Unary(info.Op, a.Position, slot);
                    if (info.Op is IrOp.I64ExtendI32U or IrOp.I64ExtendI32S)
                    {
                        lastExtend = count - 1;
                    }
                    break;
                }
            case IrShape.Binary:
                {
                    var b = Pop();
                    var a = Pop();
                    if (info.Immediate == IrOp.I32Shl_SI && FitsImmediate(b) && count > 0 && lastLabel != count
                        && code[count - 1].Op == IrOp.I32Load8U && a.Kind is Kind.Temp or Kind.Local
                        && code[count - 1].A == (a.Kind == Kind.Temp ? a.Position : a.Slot))
                    {
                        // The byte still goes where the load put it (a local.set may have named a local).
                        var load = code[count - 1];
                        var (at, loadOffset) = Rewind(1);
                        Emit.I32Load8UShl(a.Position, load.B, (uint)load.C, (int)b.Low & 31, load.A);
                        offsets[at] = loadOffset;
                    }
                    else if (info.Immediate != IrOp.None && FitsImmediate(b))
                    {
                        var slot = SlotOf(ref a);
                        Emit.BinaryImmediate(info.Immediate, a.Position, slot, (int)b.Low);
                    }
                    else if (info.Immediate != IrOp.None && info.Commutative && FitsImmediate(a))
                    {
                        var slot = SlotOf(ref b);
                        Emit.BinaryImmediate(info.Immediate, a.Position, slot, (int)a.Low);
                    }
                    else
                    {
                        var left = SlotOf(ref a);
                        var right = SlotOf(ref b);
                        Emit.Binary(info.Op, a.Position, left, right);
                    }
                    break;
                }
            case IrShape.Ternary:
                {
                    var c = Pop();
                    var b = Pop();
                    var a = Pop();
                    int first = SlotOf(ref a), second = SlotOf(ref b), third = SlotOf(ref c);
                    Emit.Ternary(info.Op, a.Position, first, second, third);
                    break;
                }
            case IrShape.Load:
                {
                    var address = Pop();
                    if (info.Immediate != IrOp.None && TakeAddressAdd(address) is { } add)
                    {
                        Emit.LoadImmediate(info.Immediate, address.Position, add.Slot, add.Addend);
                        break;
                    }
                    var previous = lastLoad;
                    var slot = SlotOf(ref address);
                    Emit.Load(info.Op, address.Position, slot, instruction.MemOffset);
                    PairLoads(previous);
                    break;
                }
            case IrShape.Store:
                {
                    var value = Pop();
                    var address = Pop();
                    if (info.Op == IrOp.I32Store && TakeAddToMemory(address, value))
                    {
                        break;
                    }
                    if (info.Op == IrOp.I64Store && TakeCopy(address, value))
                    {
                        break;
                    }
                    if (info.Immediate != IrOp.None && TakeAddressAdd(address) is { } add)
                    {
                        Emit.StoreImmediate(info.Immediate, add.Slot, SlotOf(ref value), add.Addend);
                        break;
                    }
                    if (info.Constant != IrOp.None && FitsImmediate(value))
                    {
                        Emit.StoreConstant(info.Constant, SlotOf(ref address), (int)value.Low, instruction.MemOffset);
                        break;
                    }
                    int valueSlot = SlotOf(ref value), addressSlot = SlotOf(ref address);
                    Emit.Store(info.Op, addressSlot, valueSlot, instruction.MemOffset);
                    break;
                }
            case IrShape.LoadLane:
                {
                    var vector = Pop();
                    var address = Pop();
                    int vectorSlot = SlotOf(ref vector), addressSlot = SlotOf(ref address);
                    Emit.LoadLane(info.Op, address.Position, addressSlot, instruction.MemOffset, vectorSlot, instruction.Lane);
                    break;
                }
            case IrShape.StoreLane:
                {
                    var vector = Pop();
                    var address = Pop();
                    int vectorSlot = SlotOf(ref vector), addressSlot = SlotOf(ref address);
                    Emit.StoreLane(info.Op, addressSlot, vectorSlot, instruction.MemOffset, instruction.Lane);
                    break;
                }
            case IrShape.LaneExtract:
                {
                    var a = Pop();
                    var slot = SlotOf(ref a);
                    Emit.LaneExtract(info.Op, a.Position, slot, instruction.Lane);
                    break;
                }
            case IrShape.LaneReplace:
                {
                    var value = Pop();
                    var vector = Pop();
                    int vectorSlot = SlotOf(ref vector), valueSlot = SlotOf(ref value);
                    Emit.LaneReplace(info.Op, vector.Position, vectorSlot, valueSlot, instruction.Lane);
                    break;
                }
            case IrShape.Shuffle:
                {
                    var b = Pop();
                    var a = Pop();
                    int left = SlotOf(ref a), right = SlotOf(ref b);
                    Emit.Shuffle(info.Op, a.Position, left, right, instruction.Vector);
                    break;
                }
        }
        if (info.Result != ValType.Unknown)
        {
            Push(Kind.Temp, info.Result, zeroExtended: info.Result == ValType.I32);
        }
    }

    /// <summary>For an access without a memarg offset whose address an add (or sub) of a constant computed just
    /// before (C's `p[-1]`, Go's wrap(add(extend(sp), k))): removes it and returns its slot and constant for the _AI
    /// form, which adds them itself, wrapping as the add did. A memarg offset would need a fourth field.</summary>
    private (int Slot, int Addend)? TakeAddressAdd(Operand address) =>
        instruction.MemOffset == 0 ? TakeAddend(address) : null;

    /// <summary>Whether a tracked instruction index (lastProducer, lastTee, ...; -1 when none) is the last one
    /// emitted.</summary>
    private bool IsLast(int index) => index >= 0 && index == count - 1;

    private static bool FitsImmediate(Operand operand) =>
        operand.Kind == Kind.Const && (operand.Type == ValType.I32 || (long)operand.Low == (int)operand.Low);

    // --- Control flow ---

    private void VisitIf()
    {
        var (parameters, results) = Signature(instruction.Block);
        var condition = Pop();
        MaterializeAll();
        var hidden = -1;
        if (parameters.Length > 0 && nextHidden + parameters.Slots() > operandBase)
        {
            hiddenShort = true;
            return;
        }
        if (parameters.Length > 0)
        {
            hidden = nextHidden;
            for (var i = depth - parameters.Length; i < depth; i++)
            {
                EmitCopy(nextHidden, stack[i].Position, stack[i].Type);
                nextHidden += stack[i].Type.Slots();
            }
        }
        var elseBranch = EmitConditionalBranch(condition, whenFalse: true);
        var frame = PushFrame(Opcode.If, parameters, results);
        frame.ElsePatch = elseBranch;
        frame.Hidden = hidden;
        lastProducer = -1;
    }

    private void VisitElse()
    {
        var frame = frames[frameCount - 1];
        if (!frame.Unreachable)
        {
            MaterializeTop(frame.Results.Length);
            frame.Patches.Add((Emit.Br(), count - 1));
        }
        Bind(frame.ElsePatch, frame.ElsePatch);
        frame.ElsePatch = -1;
        depth = frame.Depth;
        height = frame.Base;
        var slot = frame.Hidden;
        foreach (var type in frame.Params)
        {
            Push(Kind.Local, type, slot);
            slot += type.Slots();
        }
        frame.Kind = Opcode.Else;
        frame.Unreachable = false;
        lastProducer = -1;
    }

    private void VisitEnd()
    {
        var frame = frames[frameCount - 1];
        if (frame.IsFunction)
        {
            if (!frame.Unreachable)
            {
                EmitReturn();
            }
            frameCount--;
            return;
        }
        if (!frame.Unreachable)
        {
            MaterializeTop(frame.Results.Length);
        }
        foreach (var (pad, payloadSlot, clause) in frame.Catches)
        {
            handlers.Add(new ExceptionHandler(frame.Start, count, (HandlerKind)clause.Kind, clause.Tag, pad, payloadSlot, -1, frame.Level));
        }
        var reachable = !frame.Unreachable || frame.Patches.Count > 0 || frame.ElsePatch >= 0;
        if (frame.ElsePatch >= 0)
        {
            Bind(frame.ElsePatch, frame.ElsePatch);
        }
        foreach (var (at, from) in frame.Patches)
        {
            Bind(at, from);
        }
        lastProducer = -1;
        frameCount--;
        depth = frame.Depth;
        height = frame.Base;
        foreach (var type in frame.Results)
        {
            PushTemp(type);
        }
        if (!reachable)
        {
            SetUnreachable();
        }
    }

    private void VisitBranch(ControlFrame target)
    {
        if (target.IsFunction)
        {
            EmitReturn();
            return;
        }
        EmitBranchValues(target);
        if (target.Dispatch is { } dispatch && IsLast(lastConstant) && lastLabel != count
            && code[lastConstant].A == dispatch.Slot)
        {
            BranchPastDispatch(dispatch, RemoveLastConstant());
            return;
        }
        if (IsLast(lastMove) && lastLabel != count && code[lastMove].Op == IrOp.Copy)
        {
            // the copy right before (a branch value, a loop-carried local) goes with the jump: QuickJS's `Copy -> Br`
            var copy = code[--count];
            var fused = Emit.CopyBr(copy.A, copy.B);
            Target(fused, fused, target);
            return;
        }
        var branch = Emit.Br();
        Target(branch, branch, target);
    }

    /// <summary>Go's code moves between basic blocks by setting a local and branching to its function's loop, whose
    /// first instruction is a br_table on that local: with the constant known, the branch goes to the label the table
    /// would pick, and the constant's store and the jump become one instruction (three dispatches become one).</summary>
    private void BranchPastDispatch(LoopDispatch dispatch, int bits)
    {
        var entry = dispatch.Table + 1 + (int)Math.Min((uint)bits, (uint)dispatch.Targets.Length - 1);
        var (frame, serial) = dispatch.Targets[entry - dispatch.Table - 1];
        var branch = Emit.Const32Br(dispatch.Slot, bits);
        if (frame.Level < frameCount && frame.Serial == serial)
        {
            Target(branch, branch, frame);
        }
        else
        {
            // That block has ended, so the table's entry already holds its end.
            code[branch].A = dispatch.Table + code[entry].A - branch;
        }
    }

    private void VisitBranchIf(ControlFrame target)
    {
        var condition = Pop();
        if (target.IsFunction || NeedsBranchValues(target))
        {
            var skip = EmitConditionalBranch(condition, whenFalse: true);
            VisitBranch(target);
            Bind(skip, skip);
            lastProducer = -1;
            return;
        }
        var branch = EmitConditionalBranch(condition, whenFalse: false);
        Target(branch, branch, target);
    }

    private void VisitBrTable()
    {
        var index = Pop();
        var (indexSlot, bias) = TakeAddend(index) ?? (SlotOf(ref index), 0);
        var labels = reader.BrTableLabels;
        if (branchTargets.Length <= labels.Length)
        {
            branchTargets = new ControlFrame[Math.Max(labels.Length + 1, branchTargets.Length * 2)];
        }
        var targets = branchTargets.AsSpan(0, labels.Length + 1);
        for (var i = 0; i < labels.Length; i++)
        {
            targets[i] = Label(labels[i]);
        }
        targets[^1] = Label(instruction.Index);
        var table = Emit.BrTable(indexSlot, labels.Length, bias);
        if (indexSlot < operandBase && bias == 0 && InnermostLoop() is { } loop && loop.Start == table
            && AllPlainJumps(targets))
        {
            var dispatch = new (ControlFrame Frame, int Serial)[targets.Length];
            for (var i = 0; i < targets.Length; i++)
            {
                dispatch[i] = (targets[i], targets[i].Serial);
            }
            loop.Dispatch = new LoopDispatch(indexSlot, table, dispatch);
        }
        Dictionary<ControlFrame, List<int>>? stubs = null;
        foreach (var target in targets)
        {
            var entry = Append(IrOp.None);
            if (target.IsFunction || NeedsBranchValues(target))
            {
                stubs ??= [];
                if (!stubs.TryGetValue(target, out var entries))
                {
                    stubs[target] = entries = [];
                }
                entries.Add(entry);
            }
            else
            {
                Target(entry, table, target);
            }
        }
        // Targets whose values must move first get a stub after the table: the copies, then the jump.
        foreach (var (target, entries) in stubs ?? [])
        {
            foreach (var entry in entries)
            {
                code[entry].A = count - table;
            }
            VisitBranch(target);
        }
        SetUnreachable();
    }

    private bool AllPlainJumps(ReadOnlySpan<ControlFrame> targets)
    {
        foreach (var target in targets)
        {
            if (target.IsFunction || NeedsBranchValues(target))
            {
                return false;
            }
        }
        return true;
    }

    private ControlFrame? InnermostLoop()
    {
        for (var i = frameCount - 1; i >= 0; i--)
        {
            if (frames[i].Kind == Opcode.Loop)
            {
                return frames[i];
            }
        }
        return null;
    }

    private void PushResults(FuncType type)
    {
        foreach (var result in type.Results)
        {
            PushTemp(result);
        }
    }

    private void VisitSelect()
    {
        var condition = Pop();
        var second = Pop();
        var first = Pop();
        int left = SlotOf(ref first), right = SlotOf(ref second), test = SlotOf(ref condition);
        _ = first.Type == ValType.V128
            ? Emit.SelectV128(first.Position, left, right, test)
            : Emit.Select(first.Position, left, right, test);
        PushTemp(first.Type);
    }

    private void SetLocal(uint local, bool tee)
    {
        var slot = localSlots[local];
        ref var value = ref stack[depth - 1];
        if (value.Kind == Kind.Local && value.Slot == slot)
        {
            if (!tee)
            {
                Pop();
            }
            return;
        }
        var preserved = PreserveLocal(slot);
        var fused = false;
        if (!preserved && value.Kind == Kind.Temp && lastProducer >= 0 && code[lastProducer].A == value.Position)
        {
            code[lastProducer].A = slot;
            fused = true;
            lastTee = tee ? lastProducer : -1;
        }
        else if (value.Kind == Kind.Const)
        {
            EmitConst(slot, value);
        }
        else
        {
            EmitCopy(slot, value.Kind == Kind.Local ? value.Slot : value.Position, value.Type);
        }
        lastProducer = -1;
        if (!tee)
        {
            Pop();
        }
        else if (fused)
        {
            value.Kind = Kind.Local;
            value.Slot = slot;
        }
    }

    /// <summary>Before local `slot` changes, stack entries that still read it get their value copied out.</summary>
    private bool PreserveLocal(int slot)
    {
        var emitted = false;
        for (var i = 0; i < depth - 1; i++)
        {
            if (stack[i].Kind == Kind.Local && stack[i].Slot == slot)
            {
                Materialize(ref stack[i]);
                emitted = true;
            }
        }
        return emitted;
    }

    // --- Branch values and targets ---

    private bool NeedsBranchValues(ControlFrame target)
    {
        var types = target.LabelTypes;
        var position = target.Base;
        for (var i = 0; i < types.Length; i++)
        {
            ref var value = ref stack[depth - types.Length + i];
            if (value.Kind != Kind.Temp || value.Position != position)
            {
                return true;
            }
            position += value.Type.Slots();
        }
        return false;
    }

    /// <summary>Moves the branch values to the target's slots without changing the virtual stack (a br_if falls
    /// through with them). Targets lie below the sources, so copying upwards never overwrites a value still needed.</summary>
    private void EmitBranchValues(ControlFrame target)
    {
        var types = target.LabelTypes;
        var position = target.Base;
        for (var i = 0; i < types.Length; i++)
        {
            var value = stack[depth - types.Length + i];
            EmitValueTo(position, value);
            position += value.Type.Slots();
        }
    }

    /// <summary>The function's results go to slots 0.. of the frame. A local that an earlier result would overwrite
    /// is first copied to scratch slots above both the operands and the results. The virtual stack is left as it
    /// is: a br_if or br_table may return on one path and continue on another.</summary>
    private void EmitReturn()
    {
        var results = frames[0].Results;
        var resultSlots = results.Slots();
        if (results is [var only] && only.Slots() == 1)
        {
            EmitReturnOf(stack[depth - 1]);
            return;
        }
        var values = stack.AsSpan(depth - results.Length, results.Length).ToArray();
        var scratch = Math.Max(height, resultSlots);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i].Kind == Kind.Local && values[i].Slot < resultSlots)
            {
                EmitCopy(scratch, values[i].Slot, values[i].Type);
                values[i] = values[i] with { Kind = Kind.Temp, Position = scratch };
                scratch += values[i].Type.Slots();
            }
        }
        maxHeight = Math.Max(maxHeight, scratch);
        var position = 0;
        foreach (var value in values)
        {
            EmitValueTo(position, value);
            position += value.Type.Slots();
        }
        Emit.Return();
    }

    /// <summary>A single one-slot result: the copy (or constant) to slot 0 and the return are one instruction.</summary>
    private void EmitReturnOf(Operand value)
    {
        var slot = value.Kind == Kind.Local ? value.Slot : value.Position;
        if (value.Kind == Kind.Const && FitsImmediate(value))
        {
            Emit.ReturnConst((int)value.Low);
        }
        else if (value.Kind != Kind.Const && slot != 0)
        {
            Emit.ReturnSlot(slot);
        }
        else
        {
            EmitValueTo(0, value);
            Emit.Return();
        }
    }

    private void EmitValueTo(int slot, Operand value)
    {
        switch (value.Kind)
        {
            case Kind.Temp:
                EmitCopy(slot, value.Position, value.Type);
                break;
            case Kind.Local:
                EmitCopy(slot, value.Slot, value.Type);
                break;
            default:
                EmitConst(slot, value);
                break;
        }
    }

    /// <summary>Points instruction `at` (relative to instruction `from`) at the target's label: back to a loop's
    /// start now, or to a block's end when it is bound.</summary>
    private void Target(int at, int from, ControlFrame target)
    {
        if (target.Kind == Opcode.Loop)
        {
            code[at].A = target.Start - from;
        }
        else
        {
            target.Patches.Add((at, from));
        }
    }

    private void Bind(int at, int from)
    {
        code[at].A = count - from;
        lastLabel = count;
    }

    /// <summary>A branch on an i32 condition. A compare (or eqz) that produced the condition just before is folded
    /// into a compare-and-branch. Returns the branch's index; its target is set by the caller.</summary>
    private int EmitConditionalBranch(Operand condition, bool whenFalse)
    {
        if (condition.Kind == Kind.Temp && IsLast(lastProducer) && code[lastProducer].A == condition.Position)
        {
            var producer = code[lastProducer];
            var fused = IrLowering.FusedBranch(producer.Op, whenFalse);
            if (fused != IrOp.None || producer.Op is IrOp.I32Eqz or IrOp.I64Eqz)
            {
                count--;
                lastProducer = -1;
                // The compare's operands carry over: its B and C (fields a and b of Emit.Binary and Emit.Branch).
                return (fused, producer.Op) switch
                {
                    (not IrOp.None, _) => Emit.Branch(fused, producer.B, producer.C),
                    (_, IrOp.I32Eqz) => whenFalse ? Emit.BrIfNz(producer.B) : Emit.BrIfZ(producer.B),
                    _ => whenFalse ? Emit.BrIfI64Nz(producer.B) : Emit.BrIfI64Z(producer.B),
                };
            }
        }
        var slot = SlotOf(ref condition);
        lastProducer = -1;
        return whenFalse ? Emit.BrIfZ(slot) : Emit.BrIfNz(slot);
    }

    private void SetUnreachable()
    {
        frames[frameCount - 1].Unreachable = true;
        lastProducer = -1;
    }

    private ControlFrame Label(uint relativeDepth) => frames[frameCount - 1 - (int)relativeDepth];

    private (ImmutableArray<ValType> Parameters, ImmutableArray<ValType> Results) Signature(BlockType block)
    {
        if (block.IsTypeIndex)
        {
            var type = module.Types[(int)block.TypeIndex];
            return (type.Parameters, type.Results);
        }
        return ([], block.IsEmpty ? [] : ValTypes.Single(block.Value));
    }

    private ControlFrame PushFrame(Opcode kind, ImmutableArray<ValType> parameters, ImmutableArray<ValType> results)
    {
        if (frameCount == frames.Length)
        {
            Array.Resize(ref frames, frameCount * 2);
        }
        var frame = frames[frameCount] ??= new ControlFrame();
        frame.Kind = kind;
        frame.Params = parameters;
        frame.Results = results;
        frame.Depth = depth - parameters.Length;
        frame.Base = parameters.Length > 0 ? stack[depth - parameters.Length].Position : height;
        frame.Start = 0;
        frame.Patches.Clear();
        frame.ElsePatch = -1;
        frame.Hidden = -1;
        frame.Unreachable = false;
        frame.IsFunction = false;
        frame.Serial = ++serials;
        frame.Level = frameCount;
        frame.Dispatch = null;
        frame.Catches.Clear();
        frame.ExceptionSlot = -1;
        frameCount++;
        return frame;
    }

    // --- The virtual operand stack ---

    /// <summary>Pushes an operand, its fields written in place: building an Operand to pass would have the stack
    /// entry copied with wide loads right after the narrow stores that made it (a store-forwarding stall that was 8%
    /// of translation).</summary>
    private void Push(Kind kind, ValType type, int slot = 0, ulong low = 0, ulong high = 0, bool zeroExtended = false)
    {
        if (depth == stack.Length)
        {
            Array.Resize(ref stack, depth * 2);
        }
        ref var operand = ref stack[depth++];
        operand.Kind = kind;
        operand.Type = type;
        operand.Position = height;
        operand.Slot = slot;
        operand.Low = low;
        operand.High = high;
        operand.ZeroExtended = zeroExtended;
        height += type.Slots();
        maxHeight = Math.Max(maxHeight, height);
    }

    private void PushTemp(ValType type) => Push(Kind.Temp, type);

    private void PushConst(ValType type, ulong low, ulong high = 0) => Push(Kind.Const, type, low: low, high: high);

    private Operand Pop()
    {
        var operand = stack[--depth];
        height = operand.Position;
        return operand;
    }

    /// <summary>Pops n operands after writing them to their own slots (consecutive, from the first's): calls and
    /// multi-operand instructions read them there. Returns the first slot.</summary>
    private int PopOperands(int n)
    {
        MaterializeTop(n);
        var first = n > 0 ? stack[depth - n].Position : height;
        for (var i = 0; i < n; i++)
        {
            Pop();
        }
        return first;
    }

    /// <summary>The slot an operand can be read from (constants are written to their own slot first).</summary>
    private int SlotOf(ref Operand operand)
    {
        if (operand.Kind == Kind.Const)
        {
            Materialize(ref operand);
        }
        return operand.Kind == Kind.Local ? operand.Slot : operand.Position;
    }

    private void Materialize(ref Operand operand)
    {
        if (operand.Kind == Kind.Local)
        {
            EmitCopy(operand.Position, operand.Slot, operand.Type);
        }
        else if (operand.Kind == Kind.Const)
        {
            EmitConst(operand.Position, operand);
        }
        operand.Kind = Kind.Temp;
    }

    private void MaterializeTop(int n)
    {
        for (var i = depth - n; i < depth; i++)
        {
            Materialize(ref stack[i]);
        }
    }

    /// <summary>At block boundaries every operand becomes a temporary: code on different paths then agrees on where
    /// each value is, and a local.set inside the block cannot change a value pushed before it.</summary>
    private void MaterializeAll() => MaterializeTop(depth);

    // --- Emission: the builders (Emit.Copy(dst, src), ...) are generated from Handlers.txt (IrBuilder.g.cs) ---

    /// <summary>Appends one instruction word; returns its index. Nothing is a fusable producer after it (the builder
    /// of a one-word instruction with a result marks that one).</summary>
    private int Append(IrOp op, int a = 0, int b = 0, int c = 0)
    {
        if (count == capacity)
        {
            GrowCode();
        }
        code[count] = new Inst(op, a, b, c);
        offsets[count] = currentOffset;
        lastProducer = lastConstant = lastMove = lastPair = lastLoad = lastTee = -1;
        return count++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowCode()
    {
        if (count == room)
        {
            code = arena.Enlarge(code, count, out room);
        }
        if (count == offsets.Length)
        {
            // not zeroed: every offset below count is written before it is read
            var biggerOffsets = GC.AllocateUninitializedArray<int>(count * 2);
            offsets.AsSpan(0, count).CopyTo(biggerOffsets);
            offsets = biggerOffsets;
        }
        capacity = Math.Min(room, offsets.Length);
    }

    /// <summary>Appends a word holding 16 bytes (a v128 operand).</summary>
    private void AppendVector(V128 value)
    {
        var index = Append(IrOp.None);
        *(V128*)(code + index) = value;
    }

    private void EmitCopy(int destination, int source, ValType type)
    {
        if (destination == source)
        {
            return;
        }
        if (type == ValType.V128)
        {
            Emit.Copy2(destination, source);
            return;
        }
        var previous = lastMove;
        Emit.Copy(destination, source);
        PairMoves(previous);
    }

    private void EmitConst(int destination, Operand value)
    {
        var previous = lastMove;
        switch (value.Type.Kind)
        {
            case ValKind.I32 or ValKind.F32:
                Emit.Const32(destination, bits: (int)value.Low);
                lastConstant = count - 1;
                PairMoves(previous);
                break;
            case ValKind.V128:
                Emit.ConstV128(destination, new V128(value.Low, value.High));
                break;
            default:
                Emit.Const64(destination, low: (int)value.Low, high: (int)(value.Low >> 32));
                PairMoves(previous);
                break;
        }
    }

    /// <summary>Whether the instruction just emitted can become the data word of `previous` (a tracker's value before
    /// it was emitted): previous is right before it, and no label lets a branch land between the two.</summary>
    private bool CanPair(int previous) => previous >= 0 && previous == count - 2 && lastLabel != count - 1;

    /// <summary>Two moves in a row (the copies and constants of call arguments, block boundaries, local.sets of
    /// constants) dispatch once: `previous` (lastMove before the second was emitted) becomes CopyCopy, CopyConst,
    /// ConstCopy or ConstConst and the second, just emitted, its data word (its A still the destination, so a
    /// local.set can retarget it as before). A constant takes the 64-bit layout (low in B, high in C) in a
    /// pair.</summary>
    private void PairMoves(int previous)
    {
        var second = count - 1;
        if (!CanPair(previous))
        {
            lastMove = second;
            return;
        }
        ref var first = ref code[second - 1];
        var firstIsCopy = first.Op == IrOp.Copy;
        var secondIsCopy = code[second].Op == IrOp.Copy;
        ToConst64Layout(ref first);
        ToConst64Layout(ref code[second]);
        code[second].Op = IrOp.None;
        first.Op = (firstIsCopy, secondIsCopy) switch
        {
            (true, true) => IrOp.CopyCopy,
            (true, false) => IrOp.CopyConst,
            (false, true) => IrOp.ConstCopy,
            _ => IrOp.ConstConst,
        };
        lastMove = -1;
        lastPair = second - 1;
    }

    /// <summary>Two plain i32.loads or i64.loads in a row dispatch once (I32LoadPair, I64LoadPair): the second, just
    /// emitted, becomes the data word, as PairMoves does with moves.</summary>
    private void PairLoads(int previous)
    {
        var second = count - 1;
        var pair = code[second].Op switch
        {
            IrOp.I32Load => IrOp.I32LoadPair,
            IrOp.I64Load => IrOp.I64LoadPair,
            _ => IrOp.None,
        };
        if (pair == IrOp.None)
        {
            return;
        }
        if (!CanPair(previous) || code[previous].Op != code[second].Op)
        {
            lastLoad = second;
            return;
        }
        code[previous].Op = pair;
        code[second].Op = IrOp.None;
    }

    private static void ToConst64Layout(ref Inst move)
    {
        if (move.Op == IrOp.Const32)
        {
            move = new Inst(IrOp.Const64, move.A, move.C, 0);
        }
    }

    /// <summary>Removes the last instruction, a constant (its bits returned), undoing the pair it may be the second
    /// move of.</summary>
    private int RemoveLastConstant()
    {
        var last = code[--count];
        if (!IsLast(lastPair))
        {
            return last.C;
        }
        ref var first = ref code[lastPair];
        first.Op = first.Op is IrOp.CopyCopy or IrOp.CopyConst ? IrOp.Copy : IrOp.Const64;
        lastPair = -1;
        return last.B;
    }
}
