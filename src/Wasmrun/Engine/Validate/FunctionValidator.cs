// Type-checks function bodies and constant expressions with the spec's algorithm (spec appendix A.3): an operand
// stack of value types with an Unknown bottom type, and a stack of control frames. Instructions with a fixed
// signature are typed by the generated half (FunctionValidator.g.cs); the rest, below, by hand.
using System.Collections.Immutable;
using Wasmrun.Engine.Decode;

namespace Wasmrun.Engine.Validate;

internal sealed partial class FunctionValidator(Module module, ModuleContext context)
{
    /// <summary>Locals up to this count get a flat type array; beyond it the compressed runs are searched.</summary>
    private const int FlatLocalLimit = 1 << 16;

    private readonly Module module = module;
    private readonly ModuleContext context = context;
    private InstructionReader reader = null!;
    private Instruction instruction;

    private ValType[] operands = new ValType[64];
    private int operandCount;
    private ControlFrame[] frames = new ControlFrame[16];
    private int frameCount;

    private ValType[] flatLocals = new ValType[16];
    private int flatLocalCount;
    private ImmutableArray<LocalRun> localRuns = [];
    private ulong[] runEnds = [];
    private ulong localCount;

    // The non-defaultable locals (3.0) set so far, and the order they were set in: a block's end forgets its own.
    private readonly HashSet<uint> initialized = [];
    private uint parameterCount;
    private readonly List<uint> initializations = [];
    private ImmutableArray<ValType> returnTypes = [];

    /// <summary>In a constant expression every instruction must be constant, and only some globals are visible.</summary>
    private bool constantOnly;

    /// <summary>In a constant expression, the globals it may read: those with a lower index.</summary>
    private int constantGlobals;

    private struct ControlFrame
    {
        public Opcode Kind;
        public ImmutableArray<ValType> StartTypes;
        public ImmutableArray<ValType> EndTypes;
        public int Height;
        public bool Unreachable;

        /// <summary>How many non-defaultable locals were set when the block began.</summary>
        public int Initialized;
    }

    public void ValidateFunction(uint functionIndex, FuncType type, FunctionBody body)
    {
        constantOnly = false;
        SetLocals(type.Parameters, body);
        returnTypes = type.Results;
        reader = new InstructionReader(WasmReader.Over(module, body.CodeStart, body.End), context.Features);
        Run(type.Results);
        if (reader.Reader.Position != body.End)
        {
            throw ModuleFormatException.Malformed("section size mismatch", body.Offset);
        }
    }

    /// <summary>Checks that a constant expression is constant and leaves exactly one value of the expected type. The
    /// globals it may read: the imported ones (2.0); in 3.0 every global, or for the initialiser of global
    /// <paramref name="initialising"/> the globals before it.</summary>
    public void ValidateConstExpr(ConstExpr expr, ValType expected, int? initialising = null)
    {
        constantGlobals = !context.Features.HasFlag(WasmFeatures.DefinedGlobalsInConstants) ? module.ImportedGlobalCount
            : initialising ?? module.Globals.Length;
        if (expr.IsFunctionIndex)
        {
            _ = module.FunctionType(expr.Index) ?? throw ModuleFormatException.Invalid($"unknown function {expr.Index}", expr.Start);
            return;
        }
        constantOnly = true;
        SetLocals([], null);
        returnTypes = [];
        reader = new InstructionReader(WasmReader.Over(module, expr.Start, expr.End));
        Run(ValTypes.Single(expected));
    }

    private void Run(ImmutableArray<ValType> results)
    {
        operandCount = 0;
        frameCount = 0;
        PushFrame(Opcode.Block, [], results);
        while (frameCount > 0)
        {
            reader.Read(ref instruction);
            if (constantOnly)
            {
                CheckConstant();
            }
            if (!ValidateFromTable(instruction))
            {
                ValidateSpecial();
            }
        }
    }

    private void ValidateSpecial()
    {
        switch (instruction.Opcode)
        {
            case Opcode.Unreachable:
                SetUnreachable();
                break;
            case Opcode.Block or Opcode.Loop:
                {
                    var (parameters, results) = BlockSignature(instruction.Block);
                    PopOperands(parameters);
                    PushFrame(instruction.Opcode, parameters, results);
                    break;
                }
            case Opcode.If:
                {
                    var (parameters, results) = BlockSignature(instruction.Block);
                    PopOperand(ValType.I32);
                    PopOperands(parameters);
                    PushFrame(Opcode.If, parameters, results);
                    break;
                }
            case Opcode.Else:
                {
                    // Syntax, not typing (the reference decoder's error): the decoder leaves bodies to this one pass.
                    if (frames[frameCount - 1].Kind != Opcode.If)
                    {
                        throw ModuleFormatException.Malformed("END opcode expected", instruction.Offset);
                    }
                    var frame = PopFrame();
                    PushFrame(Opcode.Else, frame.StartTypes, frame.EndTypes);
                    break;
                }
            case Opcode.End:
                {
                    var frame = PopFrame();
                    if (frame.Kind == Opcode.If && !AllMatch(frame.StartTypes, frame.EndTypes))
                    {
                        throw Invalid($"type mismatch: an if without else must leave its parameters {Types(frame.StartTypes)}, but its type says {Types(frame.EndTypes)}");
                    }
                    PushOperands(frame.EndTypes);
                    break;
                }
            case Opcode.Br:
                PopOperands(LabelTypes(ref Label(instruction.Index)));
                SetUnreachable();
                break;
            case Opcode.Throw:
                RequireFeature(WasmFeatures.Exceptions);
                PopOperands(Tag(instruction.Index).Parameters);
                SetUnreachable();
                break;
            case Opcode.ThrowRef:
                RequireFeature(WasmFeatures.Exceptions);
                PopOperand(ValType.ExnRef);
                SetUnreachable();
                break;
            case Opcode.TryTable:
                {
                    RequireFeature(WasmFeatures.Exceptions);
                    var (parameters, results) = BlockSignature(instruction.Block);
                    foreach (var clause in reader.Catches)
                    {
                        CheckCatch(clause);
                    }
                    PopOperands(parameters);
                    PushFrame(Opcode.TryTable, parameters, results);
                    break;
                }
            case Opcode.Try:
                {
                    RequireFeature(WasmFeatures.Exceptions);
                    var (parameters, results) = BlockSignature(instruction.Block);
                    PopOperands(parameters);
                    PushFrame(Opcode.Try, parameters, results);
                    break;
                }
            case Opcode.Catch or Opcode.CatchAll:
                {
                    RequireFeature(WasmFeatures.Exceptions);
                    // Syntax, as for else: a catch only follows a try or an earlier catch (catch_all ends the clauses).
                    if (frames[frameCount - 1].Kind is not (Opcode.Try or Opcode.Catch))
                    {
                        throw ModuleFormatException.Malformed("END opcode expected", instruction.Offset);
                    }
                    var frame = PopFrame();
                    PushFrame(instruction.Opcode, [], frame.EndTypes);
                    if (instruction.Opcode == Opcode.Catch)
                    {
                        PushOperands(Tag(instruction.Index).Parameters);
                    }
                    break;
                }
            case Opcode.Delegate:
                {
                    RequireFeature(WasmFeatures.Exceptions);
                    if (frames[frameCount - 1].Kind != Opcode.Try)
                    {
                        throw ModuleFormatException.Malformed("END opcode expected", instruction.Offset);
                    }
                    var frame = PopFrame();
                    Label(instruction.Index);
                    PushOperands(frame.EndTypes);
                    break;
                }
            case Opcode.Rethrow:
                RequireFeature(WasmFeatures.Exceptions);
                if (Label(instruction.Index).Kind is not (Opcode.Catch or Opcode.CatchAll))
                {
                    throw Invalid($"invalid rethrow label: label {instruction.Index} is not a catch clause");
                }
                SetUnreachable();
                break;
            case Opcode.BrIf:
                {
                    var types = LabelTypes(ref Label(instruction.Index));
                    PopOperand(ValType.I32);
                    PopOperands(types);
                    PushOperands(types);
                    break;
                }
            case Opcode.BrTable:
                ValidateBrTable();
                break;
            case Opcode.Return:
                PopOperands(returnTypes);
                SetUnreachable();
                break;
            case Opcode.Call:
                {
                    var type = Function(instruction.Index);
                    PopOperands(type.Parameters);
                    PushOperands(type.Results);
                    break;
                }
            case Opcode.CallIndirect:
                {
                    var table = Table(instruction.Index2);
                    var type = Type(instruction.Index);
                    if (!module.Matches(table.ElementType, ValType.FuncRef))
                    {
                        throw Invalid($"type mismatch: call_indirect needs a funcref table, table {instruction.Index2} holds {table.ElementType.Name()}");
                    }
                    PopOperand(table.Limits.AddressType);
                    PopOperands(type.Parameters);
                    PushOperands(type.Results);
                    break;
                }
            case Opcode.ReturnCall:
                {
                    RequireFeature(WasmFeatures.TailCalls);
                    var type = Function(instruction.Index);
                    CheckTailCallResults(type);
                    PopOperands(type.Parameters);
                    SetUnreachable();
                    break;
                }
            case Opcode.ReturnCallIndirect:
                {
                    RequireFeature(WasmFeatures.TailCalls);
                    var table = Table(instruction.Index2);
                    var type = Type(instruction.Index);
                    if (!module.Matches(table.ElementType, ValType.FuncRef))
                    {
                        throw Invalid($"type mismatch: return_call_indirect needs a funcref table, table {instruction.Index2} holds {table.ElementType.Name()}");
                    }
                    CheckTailCallResults(type);
                    PopOperand(table.Limits.AddressType);
                    PopOperands(type.Parameters);
                    SetUnreachable();
                    break;
                }
            case Opcode.Drop:
                PopOperand();
                break;
            case Opcode.Select:
                ValidateSelect();
                break;
            case Opcode.SelectTyped:
                if (instruction.Index2 != 1)
                {
                    throw Invalid($"invalid result arity: a typed select names exactly one type, not {instruction.Index2}");
                }
                CheckType(instruction.Type);
                PopOperand(ValType.I32);
                PopOperand(instruction.Type);
                PopOperand(instruction.Type);
                PushOperand(instruction.Type);
                break;
            case Opcode.LocalGet:
                {
                    var type = Local(instruction.Index);
                    if (!type.IsDefaultable && instruction.Index >= parameterCount && !initialized.Contains(instruction.Index))
                    {
                        throw Invalid($"uninitialized local: local {instruction.Index} of type {type.Name()} is read before it is set");
                    }
                    PushOperand(type);
                    break;
                }
            case Opcode.LocalSet:
                PopOperand(Initialize(instruction.Index));
                break;
            case Opcode.LocalTee:
                {
                    var type = Initialize(instruction.Index);
                    PopOperand(type);
                    PushOperand(type);
                    break;
                }
            case Opcode.GlobalGet:
                PushOperand(Global(instruction.Index).Type);
                break;
            case Opcode.GlobalSet:
                {
                    var global = Global(instruction.Index);
                    if (!global.Mutable)
                    {
                        // The reference interpreter's 3.0 wording; 2.0's was "global is immutable".
                        var wording = context.Features.HasFlag(WasmFeatures.TypedReferences) ? "immutable global" : "global is immutable";
                        throw Invalid($"{wording}: global {instruction.Index} cannot be set");
                    }
                    PopOperand(global.Type);
                    break;
                }
            case Opcode.TableGet:
                {
                    var table = Table(instruction.Index);
                    PopOperand(table.Limits.AddressType);
                    PushOperand(table.ElementType);
                    break;
                }
            case Opcode.TableSet:
                {
                    var table = Table(instruction.Index);
                    PopOperand(table.ElementType);
                    PopOperand(table.Limits.AddressType);
                    break;
                }
            case Opcode.TableGrow:
                {
                    var table = Table(instruction.Index);
                    PopOperand(table.Limits.AddressType);
                    PopOperand(table.ElementType);
                    PushOperand(table.Limits.AddressType);
                    break;
                }
            case Opcode.TableFill:
                {
                    var table = Table(instruction.Index);
                    PopOperand(table.Limits.AddressType);
                    PopOperand(table.ElementType);
                    PopOperand(table.Limits.AddressType);
                    break;
                }
            case Opcode.RefNull:
                CheckType(instruction.Type);
                PushOperand(instruction.Type);
                break;
            case Opcode.RefFunc:
                CheckFunction(instruction);
                PushOperand(context.Features.HasFlag(WasmFeatures.TypedReferences)
                    ? ValType.Ref(HeapKind.TypeIndex, module.FunctionTypeIndices[(int)instruction.Index], nullable: false)
                    : ValType.FuncRef);
                break;
            case Opcode.RefEq:
                RequireFeature(WasmFeatures.Gc);
                PopOperand(ValType.Ref(HeapKind.Eq, nullable: true));
                PopOperand(ValType.Ref(HeapKind.Eq, nullable: true));
                PushOperand(ValType.I32);
                break;
            case Opcode.RefI31:
                RequireFeature(WasmFeatures.Gc);
                PopOperand(ValType.I32);
                PushOperand(ValType.Ref(HeapKind.I31, nullable: false));
                break;
            case Opcode.I31GetS or Opcode.I31GetU:
                RequireFeature(WasmFeatures.Gc);
                PopOperand(ValType.Ref(HeapKind.I31, nullable: true));
                PushOperand(ValType.I32);
                break;
            case Opcode.AnyConvertExtern or Opcode.ExternConvertAny:
                {
                    RequireFeature(WasmFeatures.Gc);
                    var (from, to) = instruction.Opcode == Opcode.AnyConvertExtern ? (HeapKind.Extern, HeapKind.Any) : (HeapKind.Any, HeapKind.Extern);
                    var converted = PopOperand(ValType.Ref(from, nullable: true));
                    PushOperand(ValType.Ref(to, nullable: converted.Kind == ValKind.Unknown || converted.Nullable));
                    break;
                }
            case Opcode.RefTest or Opcode.RefTestNull or Opcode.RefCast or Opcode.RefCastNull:
                {
                    RequireFeature(WasmFeatures.Gc);
                    CheckType(instruction.Type);
                    var target = instruction.Type.AsNullable(instruction.Opcode is Opcode.RefTestNull or Opcode.RefCastNull);
                    // The operand may be any reference of the target's hierarchy.
                    PopOperand(ValType.Ref(TypeRegistry.TopOf(module.Canonical(target)), nullable: true));
                    PushOperand(instruction.Opcode is Opcode.RefTest or Opcode.RefTestNull ? ValType.I32 : target);
                    break;
                }
            case Opcode.BrOnCast or Opcode.BrOnCastFail:
                {
                    RequireFeature(WasmFeatures.Gc);
                    CheckType(instruction.Type);
                    CheckType(instruction.Type2);
                    var (from, to) = (instruction.Type, instruction.Type2);
                    if (!module.Matches(to, from))
                    {
                        throw Invalid($"type mismatch: {OpcodeInfo.Name(instruction.Opcode)} casts {from.Name()} to {to.Name()}, which is not a subtype of it");
                    }
                    var types = LabelTypes(ref Label(instruction.Index));
                    if (types.Length == 0 || !(types[^1].IsReference || types[^1].Kind == ValKind.Unknown))
                    {
                        throw Invalid($"type mismatch: {OpcodeInfo.Name(instruction.Opcode)}'s label must take a reference last, it takes {Types(types)}");
                    }
                    // What is left of the operand's type when the cast fails: non-null when null casts.
                    var rest = to.Nullable ? from.AsNullable(false) : from;
                    var (branched, kept) = instruction.Opcode == Opcode.BrOnCast ? (to, rest) : (rest, to);
                    PopOperand(from);
                    PushOperand(branched);
                    PopOperands(types);
                    PushOperands(types.RemoveAt(types.Length - 1));
                    PushOperand(kept);
                    break;
                }
            case Opcode.RefAsNonNull:
                RequireFeature(WasmFeatures.TypedReferences);
                PushOperand(PopReference().AsNullable(false));
                break;
            case Opcode.BrOnNull:
                {
                    RequireFeature(WasmFeatures.TypedReferences);
                    var reference = PopReference();
                    var types = LabelTypes(ref Label(instruction.Index));
                    PopOperands(types);
                    PushOperands(types);
                    PushOperand(reference.AsNullable(false));
                    break;
                }
            case Opcode.BrOnNonNull:
                {
                    RequireFeature(WasmFeatures.TypedReferences);
                    var types = LabelTypes(ref Label(instruction.Index));
                    if (types.Length == 0 || !(types[^1].IsReference || types[^1].Kind == ValKind.Unknown))
                    {
                        throw Invalid($"type mismatch: br_on_non_null's label must take a reference last, it takes {Types(types)}");
                    }
                    PushOperand(PopReference().AsNullable(false));
                    PopOperands(types);
                    PushOperands(types.RemoveAt(types.Length - 1));
                    break;
                }
            case Opcode.CallRef:
                {
                    RequireFeature(WasmFeatures.TypedReferences);
                    var type = Type(instruction.Index);
                    PopOperand(ValType.Ref(HeapKind.TypeIndex, instruction.Index, nullable: true));
                    PopOperands(type.Parameters);
                    PushOperands(type.Results);
                    break;
                }
            case Opcode.ReturnCallRef:
                {
                    RequireFeature(WasmFeatures.TypedReferences);
                    var type = Type(instruction.Index);
                    CheckTailCallResults(type);
                    PopOperand(ValType.Ref(HeapKind.TypeIndex, instruction.Index, nullable: true));
                    PopOperands(type.Parameters);
                    SetUnreachable();
                    break;
                }
            case Opcode.RefIsNull:
                {
                    var type = PopOperand();
                    if (type != ValType.Unknown && !type.IsReference())
                    {
                        throw Invalid($"type mismatch: ref.is_null expects a reference, found {type.Name()}");
                    }
                    PushOperand(ValType.I32);
                    break;
                }
            default:
                throw new InvalidOperationException($"no validation rule for {OpcodeInfo.Name(instruction.Opcode)}");
        }
    }

    /// <summary>A reference operand; the bottom type's is a reference to the bottom heap type.</summary>
    private ValType PopReference()
    {
        var type = PopOperand();
        if (type.Kind == ValKind.Unknown)
        {
            return ValType.Ref(HeapKind.Bottom, nullable: true);
        }
        return type.IsReference ? type : throw Invalid($"type mismatch: {OpcodeInfo.Name(instruction.Opcode)} expects a reference, found {type.Name()}");
    }

    /// <summary>A type in an instruction or a local declaration must name one of the module's types.</summary>
    private void CheckType(ValType type) => ModuleValidator.CheckValueType(module, type, instruction.Offset);

    private bool AllMatch(ImmutableArray<ValType> actual, ImmutableArray<ValType> expected)
    {
        if (actual.Length != expected.Length)
        {
            return false;
        }
        for (var i = 0; i < actual.Length; i++)
        {
            if (!module.Matches(actual[i], expected[i]))
            {
                return false;
            }
        }
        return true;
    }

    // spec appendix A.3: br_table checks every label against the default label's arity.
    private void ValidateBrTable()
    {
        PopOperand(ValType.I32);
        var labels = reader.BrTableLabels;
        var defaultTypes = LabelTypes(ref Label(instruction.Index));
        foreach (var label in labels)
        {
            var types = LabelTypes(ref Label(label));
            if (types.Length != defaultTypes.Length)
            {
                throw Invalid($"type mismatch: br_table label {label} takes {types.Length} values, the default label {defaultTypes.Length}");
            }
            var height = operandCount;
            PopOperands(types);
            // Push back what was popped (their actual types, Unknown included), as the spec's algorithm does.
            operandCount = height;
        }
        PopOperands(defaultTypes);
        SetUnreachable();
    }

    private void ValidateSelect()
    {
        PopOperand(ValType.I32);
        var first = PopOperand();
        var second = PopOperand();
        var bothNumeric = IsNumericOrUnknown(first) && IsNumericOrUnknown(second);
        var bothVector = IsVectorOrUnknown(first) && IsVectorOrUnknown(second);
        if (!(bothNumeric || bothVector) || (first != second && first != ValType.Unknown && second != ValType.Unknown))
        {
            throw Invalid($"type mismatch: select needs two operands of one numeric or vector type, found {second.Name()} and {first.Name()}");
        }
        PushOperand(first == ValType.Unknown ? second : first);
    }

    // An instruction of a 3.0 change the module is not checked with: to 2.0 its opcode does not exist.
    private void RequireFeature(WasmFeatures feature)
    {
        if (!context.Features.HasFlag(feature))
        {
            throw ModuleFormatException.Malformed($"illegal opcode {(int)instruction.Opcode:x2}", instruction.Offset);
        }
    }

    // A catch clause's label takes the tag's parameters, then the exnref for catch_ref and catch_all_ref.
    private void CheckCatch(CatchClause clause)
    {
        var labelTypes = LabelTypes(ref Label(clause.Label));
        var caught = clause.IsAll ? [] : Tag(clause.Tag).Parameters;
        // The exception's reference is never null: (ref exn) (3.0).
        var given = clause.PassesReference ? caught.Add(context.Features.HasFlag(WasmFeatures.TypedReferences) ? ValType.Ref(HeapKind.Exn, nullable: false) : ValType.ExnRef) : caught;
        if (!AllMatch(given, labelTypes))
        {
            throw Invalid($"type mismatch: catch clause gives {Types(given)} to a label of {Types(labelTypes)}");
        }
    }

    // A tail call's results become this function's (spec 3.3.8.12): they must be the same types.
    private void CheckTailCallResults(FuncType callee)
    {
        if (!AllMatch(callee.Results, returnTypes))
        {
            throw Invalid($"type mismatch: the tail call returns {Types(callee.Results)}, the function {Types(returnTypes)}");
        }
    }

    private static bool IsNumericOrUnknown(ValType type) => type.Kind is ValKind.Unknown or ValKind.I32 or ValKind.I64 or ValKind.F32 or ValKind.F64;

    private static bool IsVectorOrUnknown(ValType type) => type.Kind is ValKind.Unknown or ValKind.V128;

    private void CheckConstant()
    {
        switch (instruction.Opcode)
        {
            case Opcode.I32Const or Opcode.I64Const or Opcode.F32Const or Opcode.F64Const or Opcode.V128Const
                or Opcode.RefNull or Opcode.RefFunc or Opcode.End:
                return;
            case Opcode.RefI31 or Opcode.AnyConvertExtern or Opcode.ExternConvertAny when context.Features.HasFlag(WasmFeatures.Gc):
                return;
            case Opcode.GlobalGet:
                if (Global(instruction.Index).Mutable)
                {
                    throw Invalid($"constant expression required: global {instruction.Index} is mutable");
                }
                return;
            case Opcode.I32Add or Opcode.I32Sub or Opcode.I32Mul or Opcode.I64Add or Opcode.I64Sub or Opcode.I64Mul
                when context.Features.HasFlag(WasmFeatures.ExtendedConst):
                return;
            default:
                throw Invalid($"constant expression required: {OpcodeInfo.Name(instruction.Opcode)} is not constant");
        }
    }

    // --- Checks of immediates, called by the generated table rules ---

    private void CheckMemArg(in Instruction memoryInstruction, int maxAlignment)
    {
        var memory = Memory(memoryInstruction.Memory);
        if (memoryInstruction.MemAlign > (uint)maxAlignment)
        {
            throw Invalid($"alignment must not be larger than natural: {OpcodeInfo.Name(memoryInstruction.Opcode)} has alignment 2^{memoryInstruction.MemAlign}, at most 2^{maxAlignment}");
        }
        if (memoryInstruction.Bits > uint.MaxValue && !memory.Limits.Is64)
        {
            throw Invalid($"offset out of range: {OpcodeInfo.Name(memoryInstruction.Opcode)} has offset {memoryInstruction.Bits}, a 32-bit memory's is at most 2^32-1");
        }
    }

    private void CheckLane(in Instruction laneInstruction, int laneCount)
    {
        if (laneInstruction.Lane >= laneCount)
        {
            throw Invalid($"invalid lane index: {laneInstruction.Lane}, the vector has {laneCount} lanes");
        }
    }

    private void CheckShuffle(in Instruction shuffle)
    {
        for (var i = 0; i < 16; i++)
        {
            var lane = (byte)((i < 8 ? shuffle.Vector.Low : shuffle.Vector.High) >> (8 * (i % 8)));
            if (lane >= 32)
            {
                throw Invalid($"invalid lane index: shuffle lane {lane}, at most 31");
            }
        }
    }

    private void CheckMemory(in Instruction memoryInstruction) => Memory(memoryInstruction.Memory);

    private void CheckMemoryMemory(in Instruction copy)
    {
        Memory(copy.Memory);
        Memory(copy.Index2);
    }

    private void CheckDataMemory(in Instruction init)
    {
        Memory(init.Memory);
        DataSegment(init.Index);
    }

    private void CheckData(in Instruction drop) => DataSegment(drop.Index);

    private void CheckFunction(in Instruction reference)
    {
        Function(reference.Index);
        if (!constantOnly && !context.DeclaredReferences.Contains(reference.Index))
        {
            throw Invalid($"undeclared function reference: function {reference.Index} is not declared in an element segment, export or global");
        }
    }

    private void CheckTable(in Instruction tableInstruction) => Table(tableInstruction.Index);

    private void CheckElem(in Instruction drop) => ElementSegment(drop.Index);

    private void CheckElemTable(in Instruction init)
    {
        var table = Table(init.Index2);
        var segment = ElementSegment(init.Index);
        if (!module.Matches(segment, table.ElementType))
        {
            throw Invalid($"type mismatch: table.init copies {segment.Name()} into a table of {table.ElementType.Name()}");
        }
    }

    private void CheckTableTable(in Instruction copy)
    {
        var destination = Table(copy.Index);
        var source = Table(copy.Index2);
        if (!module.Matches(source.ElementType, destination.ElementType))
        {
            throw Invalid($"type mismatch: table.copy from {source.ElementType.Name()} to {destination.ElementType.Name()}");
        }
    }

    // --- Address types (the opcode table's `at`, `at2` and `len` operands) ---

    /// <summary>The type of an instruction's address or index operand: i32, or i64 for a 64-bit memory or table (3.0).
    /// The memory or table is the instruction's own, the destination of a copy, table.init's table.</summary>
    private ValType AddressType(in Instruction instruction)
    {
        var addressed = Addressed.By(instruction);
        return AddressTypeOf(addressed.Kind, addressed.Index);
    }

    /// <summary>The address type of a copy's source memory or table.</summary>
    private ValType SourceAddressType(in Instruction copy)
    {
        var addressed = Addressed.By(copy);
        return AddressTypeOf(addressed.Kind, addressed.Source!.Value);
    }

    private ValType AddressTypeOf(AddressedKind kind, uint index) =>
        (kind == AddressedKind.Table ? Table(index).Limits : Memory(index).Limits).AddressType;

    /// <summary>A copy's length: i64 only when both sides are 64-bit (it must fit both).</summary>
    private ValType CopyLengthType(in Instruction copy) =>
        AddressType(copy) == ValType.I64 && SourceAddressType(copy) == ValType.I64 ? ValType.I64 : ValType.I32;

    // --- Index spaces ---

    private FuncType Type(uint index) =>
        index < (uint)module.Types.Length ? module.Types[(int)index] : throw Invalid($"unknown type {index}");

    private FuncType Function(uint index) =>
        module.FunctionType(index) ?? throw Invalid($"unknown function {index}");

    private TableType Table(uint index) =>
        index < (uint)module.Tables.Length ? module.Tables[(int)index] : throw Invalid($"unknown table {index}");

    private FuncType Tag(uint index) =>
        index < (uint)module.Tags.Length && module.Tags[(int)index] < (uint)module.Types.Length
            ? module.Types[(int)module.Tags[(int)index]] : throw Invalid($"unknown tag {index}");

    private MemoryType Memory(uint index) =>
        index < (uint)module.Memories.Length ? module.Memories[(int)index] : throw Invalid($"unknown memory {index}");

    private GlobalType Global(uint index)
    {
        var visible = constantOnly ? constantGlobals : module.Globals.Length;
        return index < (uint)visible ? module.Globals[(int)index] : throw Invalid($"unknown global {index}");
    }

    private ValType ElementSegment(uint index) =>
        index < (uint)module.Elements.Length ? module.Elements[(int)index].Type : throw Invalid($"unknown elem segment {index}");

    private void DataSegment(uint index)
    {
        if (module.DataCount is null)
        {
            throw ModuleFormatException.Malformed("data count section required", instruction.Offset);
        }
        if (index >= module.DataCount)
        {
            throw Invalid($"unknown data segment {index}");
        }
    }

    private (ImmutableArray<ValType> Parameters, ImmutableArray<ValType> Results) BlockSignature(BlockType block)
    {
        if (block.IsTypeIndex)
        {
            var type = module.Types.Length > 0 && block.TypeIndex < (uint)module.Types.Length
                ? module.Types[(int)block.TypeIndex]
                : throw Invalid($"unknown type {block.TypeIndex}");
            return (type.Parameters, type.Results);
        }
        CheckType(block.Value);
        return (ImmutableArray<ValType>.Empty, block.IsEmpty ? ImmutableArray<ValType>.Empty : ValTypes.Single(block.Value));
    }

    // --- Locals ---

    private void SetLocals(ImmutableArray<ValType> parameters, FunctionBody? body)
    {
        localRuns = body?.Locals ?? [];
        initialized.Clear();
        initializations.Clear();
        parameterCount = (uint)parameters.Length;
        foreach (var run in localRuns)
        {
            CheckType(run.Type);
        }
        localCount = (ulong)parameters.Length + (body?.LocalCount ?? 0);
        flatLocalCount = (int)Math.Min(localCount, FlatLocalLimit);
        if (flatLocals.Length < flatLocalCount)
        {
            flatLocals = new ValType[Math.Max(flatLocalCount, flatLocals.Length * 2)];
        }
        var next = 0;
        foreach (var type in parameters)
        {
            flatLocals[next++] = type;
        }
        foreach (var run in localRuns)
        {
            for (ulong i = 0; i < run.Count && next < flatLocalCount; i++)
            {
                flatLocals[next++] = run.Type;
            }
        }
        if (localCount > FlatLocalLimit)
        {
            // Cumulative ends of the runs, parameters included, for a binary search past the flat part.
            runEnds = new ulong[localRuns.Length];
            var end = (ulong)parameters.Length;
            for (var i = 0; i < localRuns.Length; i++)
            {
                end += localRuns[i].Count;
                runEnds[i] = end;
            }
        }
    }

    /// <summary>A local's type, after marking a non-defaultable one set (3.0) until the end of the enclosing block.</summary>
    private ValType Initialize(uint index)
    {
        var type = Local(index);
        if (!type.IsDefaultable && index >= parameterCount && initialized.Add(index))
        {
            initializations.Add(index);
        }
        return type;
    }

    private ValType Local(uint index)
    {
        if (index < (uint)flatLocalCount)
        {
            return flatLocals[index];
        }
        if (index >= localCount)
        {
            throw Invalid($"unknown local {index}");
        }
        var run = Array.BinarySearch(runEnds, (ulong)index + 1);
        return localRuns[run >= 0 ? run : ~run].Type;
    }

    // --- Operand and control stacks (spec appendix A.3) ---

    private void PushOperand(ValType type)
    {
        if (operandCount == operands.Length)
        {
            Array.Resize(ref operands, operands.Length * 2);
        }
        operands[operandCount++] = type;
    }

    private void PushOperands(ImmutableArray<ValType> types)
    {
        foreach (var type in types)
        {
            PushOperand(type);
        }
    }

    private ValType PopOperand()
    {
        ref var frame = ref frames[frameCount - 1];
        if (operandCount == frame.Height)
        {
            if (frame.Unreachable)
            {
                return ValType.Unknown;
            }
            throw Invalid($"type mismatch: {OpcodeInfo.Name(instruction.Opcode)} needs an operand, but the stack is empty");
        }
        return operands[--operandCount];
    }

    private ValType PopOperand(ValType expected)
    {
        var actual = PopOperand();
        if (actual != expected && !module.Matches(actual, expected))
        {
            var what = instruction.Opcode != Opcode.End ? OpcodeInfo.Name(instruction.Opcode)
                : frameCount > 1 ? "the block's result" : constantOnly ? "the expression" : "the function's result";
            throw Invalid($"type mismatch: {what} expects {expected.Name()}, found {actual.Name()}");
        }
        return actual;
    }

    private void PopOperands(ImmutableArray<ValType> types)
    {
        for (var i = types.Length - 1; i >= 0; i--)
        {
            PopOperand(types[i]);
        }
    }

    private void PushFrame(Opcode kind, ImmutableArray<ValType> startTypes, ImmutableArray<ValType> endTypes)
    {
        if (frameCount == frames.Length)
        {
            Array.Resize(ref frames, frames.Length * 2);
        }
        frames[frameCount++] = new ControlFrame
        {
            Kind = kind,
            StartTypes = startTypes,
            EndTypes = endTypes,
            Height = operandCount,
            Unreachable = false,
            Initialized = initializations.Count,
        };
        PushOperands(startTypes);
    }

    private ControlFrame PopFrame()
    {
        var frame = frames[frameCount - 1];
        PopOperands(frame.EndTypes);
        if (operandCount != frame.Height)
        {
            throw Invalid($"type mismatch: {(frameCount == 1 ? (constantOnly ? "the expression" : "the function") : "the block")} leaves {operandCount - frame.Height} more value(s) than its type {Types(frame.EndTypes)}");
        }
        frameCount--;
        for (var i = initializations.Count - 1; i >= frame.Initialized; i--)
        {
            initialized.Remove(initializations[i]);
        }
        initializations.RemoveRange(frame.Initialized, initializations.Count - frame.Initialized);
        return frame;
    }

    private ref ControlFrame Label(uint depth)
    {
        if (depth >= (uint)frameCount)
        {
            throw Invalid($"unknown label {depth}: only {frameCount} block(s) enclose this branch");
        }
        return ref frames[frameCount - 1 - (int)depth];
    }

    private static ImmutableArray<ValType> LabelTypes(ref ControlFrame frame) =>
        frame.Kind == Opcode.Loop ? frame.StartTypes : frame.EndTypes;

    private void SetUnreachable()
    {
        ref var frame = ref frames[frameCount - 1];
        operandCount = frame.Height;
        frame.Unreachable = true;
    }

    private static string Types(ImmutableArray<ValType> types) => $"[{string.Join(' ', types.Select(ValTypes.Name))}]";

    private ModuleFormatException Invalid(string reason) => ModuleFormatException.Invalid(reason, instruction.Offset);
}
