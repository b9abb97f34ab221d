// Translates one validated function body from the Wasm stack machine into register-style IR (ENGINE.md):
// operands live in 64-bit slots of one frame ([params][locals][if-params backup][operand temporaries]); the
// translator keeps a virtual operand stack of temporaries, locals and constants, so local.get and constants emit
// nothing; a following local.set is fused into the producing instruction's destination; constants become
// immediate variants; compares feeding br_if/if become compare-and-branch; branch targets are resolved to relative
// offsets. Every operand stack position has a fixed slot, so block results, branch values and call arguments are
// already where the consumer expects them in the common case, and calls pass arguments without copying: the callee's
// frame starts at its first argument.
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Wasmrun.Engine.Decode;

namespace Wasmrun.Engine.Translate;

internal sealed class FunctionTranslator(Module module)
{
    /// <summary>An implementation limit: a frame of more slots than this (8 MiB) is refused at translation.</summary>
    public const int MaxFrameSlots = 1 << 20;

    private readonly Module module = module;

    private Inst[] code = new Inst[256];
    private int[] offsets = new int[256];
    private int count;
    private int currentOffset;

    private Operand[] stack = new Operand[64];
    private int depth;
    private int height;
    private int maxHeight;

    private ControlFrame[] frames = new ControlFrame[16];
    private int frameCount;
    private int skippedBlocks;

    private int[] localSlots = [];
    private ValType[] localTypes = [];
    private int nextHidden;

    /// <summary>The last value-producing instruction (its destination is field A) while nothing came after it and no
    /// label was bound since: a local.set of its result can retarget it instead of copying.</summary>
    private int lastProducer = -1;

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

        public ImmutableArray<ValType> LabelTypes => Kind == Opcode.Loop ? Params : Results;
    }

    private static int Width(ValType type) => type == ValType.V128 ? 2 : 1;

    public TranslatedFunction Translate(uint functionIndex)
    {
        var type = module.FunctionType(functionIndex)!;
        var body = module.Bodies[(int)functionIndex - module.ImportedFunctionCount];
        count = depth = frameCount = skippedBlocks = 0;
        lastProducer = -1;

        var paramSlots = type.Parameters.Sum(Width);
        var declared = body.Locals.Aggregate(0UL, (sum, run) => sum + run.Count * (ulong)Width(run.Type));
        var hidden = HiddenSlots(body);
        if ((ulong)paramSlots + declared + (ulong)hidden > MaxFrameSlots)
        {
            throw new WasmrunException(
                $"function {functionIndex} declares {(ulong)type.Parameters.Length + body.LocalCount} locals: more than this engine executes ({MaxFrameSlots} slots)");
        }
        LayOutLocals(type.Parameters, body, paramSlots + (int)declared);
        nextHidden = paramSlots + (int)declared;
        height = maxHeight = nextHidden + hidden;

        PushFrame(Opcode.Block, [], type.Results).IsFunction = true;
        reader = new InstructionReader(WasmReader.Over(module, body.CodeStart, body.End));
        while (frameCount > 0)
        {
            reader.Read(ref instruction);
            currentOffset = instruction.Offset;
            if (frames[frameCount - 1].Unreachable)
            {
                SkipUnreachable();
            }
            else
            {
                Visit();
            }
        }
        if (maxHeight > MaxFrameSlots)
        {
            throw new WasmrunException($"function {functionIndex} needs {maxHeight} slots: more than this engine executes ({MaxFrameSlots})");
        }
        return new TranslatedFunction(code.AsSpan(0, count), offsets[..count], paramSlots, (int)declared, maxHeight);
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
            slot += Width(type);
        }
        foreach (var run in body.Locals)
        {
            for (var i = 0u; i < run.Count; i++)
            {
                localTypes[index] = run.Type;
                localSlots[index++] = slot;
                slot += Width(run.Type);
            }
        }
    }

    /// <summary>Slots for backups of if-parameters: the then-branch may overwrite the parameter slots, and the else
    /// must start from the same values (rare outside hand-written code, so one pass to count them is cheap).</summary>
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
                slots += module.Types[(int)item.Block.TypeIndex].Parameters.Sum(Width);
            }
        }
        return slots;
    }

    private void SkipUnreachable()
    {
        switch (instruction.Opcode)
        {
            case Opcode.Block or Opcode.Loop or Opcode.If:
                skippedBlocks++;
                break;
            case Opcode.Else when skippedBlocks == 0:
                VisitElse();
                break;
            case Opcode.End when skippedBlocks > 0:
                skippedBlocks--;
                break;
            case Opcode.End:
                VisitEnd();
                break;
        }
    }

    private void Visit()
    {
        var info = IrLowering.For(instruction.Opcode);
        if (info.Shape != IrShape.None)
        {
            VisitTableInstruction(info);
            return;
        }
        switch (instruction.Opcode)
        {
            case Opcode.Unreachable:
                Emit(IrOp.Unreachable);
                SetUnreachable();
                break;
            case Opcode.Nop:
                break;
            case Opcode.Block or Opcode.Loop:
                {
                    var (parameters, results) = Signature(instruction.Block);
                    MaterializeAll();
                    var frame = PushFrame(instruction.Opcode, parameters, results);
                    frame.Start = count;
                    lastProducer = -1;
                    break;
                }
            case Opcode.If:
                VisitIf();
                break;
            case Opcode.Else:
                VisitElse();
                break;
            case Opcode.End:
                VisitEnd();
                break;
            case Opcode.Br:
                VisitBranch(Label(instruction.Index));
                SetUnreachable();
                break;
            case Opcode.BrIf:
                VisitBranchIf(Label(instruction.Index));
                break;
            case Opcode.BrTable:
                VisitBranchTable();
                SetUnreachable();
                break;
            case Opcode.Return:
                EmitReturn();
                SetUnreachable();
                break;
            case Opcode.Call:
                VisitCall(module.FunctionType(instruction.Index)!, IrOp.Call, (int)instruction.Index, 0, 0);
                break;
            case Opcode.CallIndirect:
                VisitCall(module.Types[(int)instruction.Index], IrOp.CallIndirect, (int)instruction.Index, (int)instruction.Index2, 1);
                break;
            case Opcode.Drop:
                Pop();
                break;
            case Opcode.Select or Opcode.SelectTyped:
                VisitSelect();
                break;
            case Opcode.LocalGet:
                Push(new Operand { Kind = Kind.Local, Type = localTypes[instruction.Index], Slot = localSlots[instruction.Index] });
                break;
            case Opcode.LocalSet or Opcode.LocalTee:
                VisitLocalSet(instruction.Index, instruction.Opcode == Opcode.LocalTee);
                break;
            case Opcode.GlobalGet:
                {
                    var type = module.Globals[(int)instruction.Index].Type;
                    EmitProducer(type == ValType.V128 ? IrOp.GlobalGetV128 : IrOp.GlobalGet, height, (int)instruction.Index);
                    PushTemp(type);
                    break;
                }
            case Opcode.GlobalSet:
                {
                    var value = Pop();
                    var slot = SlotOf(ref value);
                    Emit(value.Type == ValType.V128 ? IrOp.GlobalSetV128 : IrOp.GlobalSet, slot, (int)instruction.Index);
                    break;
                }
            case Opcode.I32Const:
                PushConst(ValType.I32, instruction.Bits);
                break;
            case Opcode.I64Const:
                PushConst(ValType.I64, instruction.Bits);
                break;
            case Opcode.F32Const:
                PushConst(ValType.F32, instruction.Bits);
                break;
            case Opcode.F64Const:
                PushConst(ValType.F64, instruction.Bits);
                break;
            case Opcode.V128Const:
                PushConst(ValType.V128, instruction.Vector.Low, instruction.Vector.High);
                break;
            case Opcode.RefNull:
                PushConst(instruction.Type, 0);
                break;
            case Opcode.RefIsNull:
                {
                    var value = Pop();
                    var slot = SlotOf(ref value);
                    EmitProducer(IrOp.RefIsNull, value.Position, slot);
                    PushTemp(ValType.I32);
                    break;
                }
            case Opcode.RefFunc:
                EmitProducer(IrOp.RefFunc, height, (int)instruction.Index);
                PushTemp(ValType.FuncRef);
                break;
            case Opcode.MemorySize:
                EmitProducer(IrOp.MemorySize, height);
                PushTemp(ValType.I32);
                break;
            // memory.grow, table.get and table.grow read their operands from the slot they write: not fusable producers.
            case Opcode.MemoryGrow:
                Emit(IrOp.MemoryGrow, PopOperands(1));
                PushTemp(ValType.I32);
                break;
            case Opcode.MemoryFill:
                Emit(IrOp.MemoryFill, PopOperands(3));
                break;
            case Opcode.MemoryCopy:
                Emit(IrOp.MemoryCopy, PopOperands(3));
                break;
            case Opcode.MemoryInit:
                Emit(IrOp.MemoryInit, PopOperands(3), (int)instruction.Index);
                break;
            case Opcode.DataDrop:
                Emit(IrOp.DataDrop, 0, (int)instruction.Index);
                break;
            case Opcode.TableGet:
                Emit(IrOp.TableGet, PopOperands(1), (int)instruction.Index);
                PushTemp(module.Tables[(int)instruction.Index].ElementType);
                break;
            case Opcode.TableSet:
                Emit(IrOp.TableSet, PopOperands(2), (int)instruction.Index);
                break;
            case Opcode.TableSize:
                EmitProducer(IrOp.TableSize, height, (int)instruction.Index);
                PushTemp(ValType.I32);
                break;
            case Opcode.TableGrow:
                Emit(IrOp.TableGrow, PopOperands(2), (int)instruction.Index);
                PushTemp(ValType.I32);
                break;
            case Opcode.TableFill:
                Emit(IrOp.TableFill, PopOperands(3), (int)instruction.Index);
                break;
            case Opcode.TableCopy:
                Emit(IrOp.TableCopy, PopOperands(3), (int)instruction.Index, (int)instruction.Index2);
                break;
            case Opcode.TableInit:
                Emit(IrOp.TableInit, PopOperands(3), (int)instruction.Index2, (int)instruction.Index);
                break;
            case Opcode.ElemDrop:
                Emit(IrOp.ElemDrop, 0, (int)instruction.Index);
                break;
            default:
                throw new InvalidOperationException($"the translator has no rule for {OpcodeInfo.Name(instruction.Opcode)}");
        }
    }

    private void VisitTableInstruction(IrInfo info)
    {
        switch (info.Shape)
        {
            case IrShape.Unary:
                {
                    var a = Pop();
                    var slot = SlotOf(ref a);
                    EmitProducer(info.Op, a.Position, slot);
                    break;
                }
            case IrShape.Binary:
                {
                    var b = Pop();
                    var a = Pop();
                    if (info.Immediate != IrOp.None && FitsImmediate(b))
                    {
                        var slot = SlotOf(ref a);
                        EmitProducer(info.Immediate, a.Position, slot, (int)b.Low);
                    }
                    else if (info.Immediate != IrOp.None && info.Commutative && FitsImmediate(a))
                    {
                        var slot = SlotOf(ref b);
                        EmitProducer(info.Immediate, a.Position, slot, (int)a.Low);
                    }
                    else
                    {
                        var left = SlotOf(ref a);
                        var right = SlotOf(ref b);
                        EmitProducer(info.Op, a.Position, left, right);
                    }
                    break;
                }
            case IrShape.Ternary:
                {
                    var c = Pop();
                    var b = Pop();
                    var a = Pop();
                    int first = SlotOf(ref a), second = SlotOf(ref b), third = SlotOf(ref c);
                    EmitProducer(info.Op, a.Position, first, second);
                    EmitData(third);
                    break;
                }
            case IrShape.Load:
                {
                    var address = Pop();
                    var slot = SlotOf(ref address);
                    EmitProducer(info.Op, address.Position, slot, (int)instruction.MemOffset);
                    break;
                }
            case IrShape.Store:
                {
                    var value = Pop();
                    var address = Pop();
                    int valueSlot = SlotOf(ref value), addressSlot = SlotOf(ref address);
                    Emit(info.Op, addressSlot, valueSlot, (int)instruction.MemOffset);
                    break;
                }
            case IrShape.LoadLane:
                {
                    var vector = Pop();
                    var address = Pop();
                    int vectorSlot = SlotOf(ref vector), addressSlot = SlotOf(ref address);
                    EmitProducer(info.Op, address.Position, addressSlot, (int)instruction.MemOffset);
                    EmitData(vectorSlot, instruction.Lane);
                    break;
                }
            case IrShape.StoreLane:
                {
                    var vector = Pop();
                    var address = Pop();
                    int vectorSlot = SlotOf(ref vector), addressSlot = SlotOf(ref address);
                    Emit(info.Op, addressSlot, vectorSlot, (int)instruction.MemOffset);
                    EmitData(instruction.Lane);
                    break;
                }
            case IrShape.LaneExtract:
                {
                    var a = Pop();
                    var slot = SlotOf(ref a);
                    EmitProducer(info.Op, a.Position, slot, instruction.Lane);
                    break;
                }
            case IrShape.LaneReplace:
                {
                    var value = Pop();
                    var vector = Pop();
                    int vectorSlot = SlotOf(ref vector), valueSlot = SlotOf(ref value);
                    EmitProducer(info.Op, vector.Position, vectorSlot, valueSlot);
                    EmitData(instruction.Lane);
                    break;
                }
            case IrShape.Shuffle:
                {
                    var b = Pop();
                    var a = Pop();
                    int left = SlotOf(ref a), right = SlotOf(ref b);
                    EmitProducer(info.Op, a.Position, left, right);
                    EmitVector(instruction.Vector);
                    break;
                }
        }
        if (info.Result != ValType.Unknown)
        {
            PushTemp(info.Result);
        }
    }

    private static bool FitsImmediate(Operand operand) =>
        operand.Kind == Kind.Const && (operand.Type == ValType.I32 || (long)operand.Low == (int)operand.Low);

    // --- Control flow ---

    private void VisitIf()
    {
        var (parameters, results) = Signature(instruction.Block);
        var condition = Pop();
        MaterializeAll();
        var hidden = -1;
        if (parameters.Length > 0)
        {
            hidden = nextHidden;
            for (var i = depth - parameters.Length; i < depth; i++)
            {
                EmitCopy(nextHidden, stack[i].Position, stack[i].Type);
                nextHidden += Width(stack[i].Type);
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
            frame.Patches.Add((Emit(IrOp.Br), count - 1));
        }
        Bind(frame.ElsePatch, frame.ElsePatch);
        frame.ElsePatch = -1;
        depth = frame.Depth;
        height = frame.Base;
        var slot = frame.Hidden;
        foreach (var type in frame.Params)
        {
            Push(new Operand { Kind = Kind.Local, Type = type, Slot = slot });
            slot += Width(type);
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
        EmitBranchTo(target, IrOp.Br);
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

    private void VisitBranchTable()
    {
        var index = Pop();
        var indexSlot = SlotOf(ref index);
        var labels = reader.BrTableLabels;
        var targets = new ControlFrame[labels.Length + 1];
        for (var i = 0; i < labels.Length; i++)
        {
            targets[i] = Label(labels[i]);
        }
        targets[^1] = Label(instruction.Index);
        var table = Emit(IrOp.BrTable, indexSlot, labels.Length);
        var stubs = new Dictionary<ControlFrame, List<int>>();
        foreach (var target in targets)
        {
            var entry = EmitData(0);
            if (target.IsFunction || NeedsBranchValues(target))
            {
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
        foreach (var (target, entries) in stubs)
        {
            foreach (var entry in entries)
            {
                code[entry].A = count - table;
            }
            VisitBranch(target);
        }
        lastProducer = -1;
    }

    private void VisitCall(FuncType type, IrOp op, int a, int c, int extra)
    {
        var operands = type.Parameters.Length + extra;
        var firstSlot = PopOperands(operands);
        Emit(op, a, firstSlot, c);
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
        EmitProducer(first.Type == ValType.V128 ? IrOp.SelectV128 : IrOp.Select, first.Position, left, right);
        EmitData(test);
        PushTemp(first.Type);
    }

    private void VisitLocalSet(uint local, bool tee)
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
            position += Width(value.Type);
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
            position += Width(value.Type);
        }
    }

    /// <summary>The function's results go to slots 0.. of the frame. A local that an earlier result would overwrite
    /// is first copied to scratch slots above both the operands and the results. The virtual stack is left as it
    /// is: a br_if or br_table may return on one path and continue on another.</summary>
    private void EmitReturn()
    {
        var results = frames[0].Results;
        var resultSlots = results.Sum(Width);
        var values = stack.AsSpan(depth - results.Length, results.Length).ToArray();
        var scratch = Math.Max(height, resultSlots);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i].Kind == Kind.Local && values[i].Slot < resultSlots)
            {
                EmitCopy(scratch, values[i].Slot, values[i].Type);
                values[i] = values[i] with { Kind = Kind.Temp, Position = scratch };
                scratch += Width(values[i].Type);
            }
        }
        maxHeight = Math.Max(maxHeight, scratch);
        var position = 0;
        foreach (var value in values)
        {
            EmitValueTo(position, value);
            position += Width(value.Type);
        }
        Emit(IrOp.Return);
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

    private void EmitBranchTo(ControlFrame target, IrOp op)
    {
        var branch = Emit(op);
        Target(branch, branch, target);
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

    private void Bind(int at, int from) => code[at].A = count - from;

    /// <summary>A branch on an i32 condition. A compare (or eqz) that produced the condition just before is folded
    /// into a compare-and-branch. Returns the branch's index; its target is set by the caller.</summary>
    private int EmitConditionalBranch(Operand condition, bool whenFalse)
    {
        if (condition.Kind == Kind.Temp && lastProducer == count - 1 && code[lastProducer].A == condition.Position)
        {
            var producer = code[lastProducer];
            var fused = IrLowering.FusedBranch(producer.Op, whenFalse);
            if (fused != IrOp.None || producer.Op == IrOp.I32Eqz)
            {
                count--;
                lastProducer = -1;
                return fused != IrOp.None
                    ? Emit(fused, 0, producer.B, producer.C)
                    : Emit(whenFalse ? IrOp.BrIfNz : IrOp.BrIfZ, 0, producer.B);
            }
        }
        var slot = SlotOf(ref condition);
        lastProducer = -1;
        return Emit(whenFalse ? IrOp.BrIfZ : IrOp.BrIfNz, 0, slot);
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
        frameCount++;
        return frame;
    }

    // --- The virtual operand stack ---

    private void Push(Operand operand)
    {
        if (depth == stack.Length)
        {
            Array.Resize(ref stack, depth * 2);
        }
        operand.Position = height;
        stack[depth++] = operand;
        height += Width(operand.Type);
        maxHeight = Math.Max(maxHeight, height);
    }

    private void PushTemp(ValType type) => Push(new Operand { Kind = Kind.Temp, Type = type });

    private void PushConst(ValType type, ulong low, ulong high = 0) =>
        Push(new Operand { Kind = Kind.Const, Type = type, Low = low, High = high });

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

    // --- Emission ---

    private int Emit(IrOp op, int a = 0, int b = 0, int c = 0)
    {
        if (count == code.Length)
        {
            Array.Resize(ref code, count * 2);
            Array.Resize(ref offsets, count * 2);
        }
        code[count] = new Inst(op, a, b, c);
        offsets[count] = currentOffset;
        lastProducer = -1;
        return count++;
    }

    /// <summary>An instruction whose result goes to slot A: a local.set right after it may retarget A.</summary>
    private void EmitProducer(IrOp op, int a, int b = 0, int c = 0) => lastProducer = Emit(op, a, b, c);

    /// <summary>A data word of a multi-word instruction (which is then no longer a fusable producer).</summary>
    private int EmitData(int a, int b = 0, int c = 0) => Emit(IrOp.None, a, b, c);

    private void EmitVector(V128 value)
    {
        var index = EmitData(0);
        MemoryMarshal.Cast<Inst, V128>(code.AsSpan(index, 1))[0] = value;
    }

    private void EmitCopy(int destination, int source, ValType type)
    {
        if (destination != source)
        {
            EmitProducer(type == ValType.V128 ? IrOp.Copy2 : IrOp.Copy, destination, source);
        }
    }

    private void EmitConst(int destination, Operand value)
    {
        switch (value.Type)
        {
            case ValType.I32 or ValType.F32:
                EmitProducer(IrOp.Const32, destination, 0, (int)value.Low);
                break;
            case ValType.V128:
                EmitProducer(IrOp.ConstV128, destination);
                EmitVector(new V128(value.Low, value.High));
                break;
            default:
                EmitProducer(IrOp.Const64, destination, (int)value.Low, (int)(value.Low >> 32));
                break;
        }
    }
}
