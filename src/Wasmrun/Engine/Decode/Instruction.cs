// One decoded instruction: its opcode and immediates in fixed fields; which fields are set depends on the
// opcode's ImmediateKind. A value type, reused by the reader for every instruction, so decoding allocates nothing.
namespace Wasmrun.Engine.Decode;

internal struct Instruction
{
    public Opcode Opcode;

    /// <summary>Byte offset of the opcode in the module.</summary>
    public int Offset;

    /// <summary>The first index: label depth, function, type (call_indirect), local, global, table, element
    /// (table.init, elem.drop), data (memory.init, data.drop), destination table (table.copy), tag; the default
    /// label of br_table; the alignment exponent of a memarg; the catch clause count of try_table.</summary>
    public uint Index;

    /// <summary>The second index: the table of call_indirect and table.init, the source table of table.copy, the
    /// source memory of memory.copy, the lane of a lane instruction, the label count of br_table, the type count of a
    /// typed select.</summary>
    public uint Index2;

    /// <summary>The memory a memory instruction addresses (its memarg's, memory.size/grow/fill's, memory.init's,
    /// memory.copy's destination): 0 unless the module has several (3.0).</summary>
    public uint Memory;

    /// <summary>i32.const (zero-extended) and i64.const values, f32/f64 constant bits, the memarg offset (64-bit in
    /// 3.0; the validator checks that a 32-bit memory's fits 32 bits).</summary>
    public ulong Bits;

    /// <summary>v128.const bits and the 16 lane indices of i8x16.shuffle.</summary>
    public V128 Vector;

    public BlockType Block;

    /// <summary>The reference type of ref.null, the (first) type of a typed select.</summary>
    public ValType Type;

    /// <summary>br_on_cast and br_on_cast_fail (3.0 GC): the type cast to (Type is the operand's).</summary>
    public ValType Type2;

    public readonly uint MemAlign => Index;

    public readonly uint MemOffset => (uint)Bits;

    public readonly byte Lane => (byte)Index2;
}

/// <summary>How instructions nest, for printing them indented: the ones that open a block's part and the ones that
/// close one (else, catch and catch_all do both).</summary>
internal static class Nesting
{
    public static bool Opens(Opcode opcode) =>
        opcode is Opcode.Block or Opcode.Loop or Opcode.If or Opcode.Else or Opcode.TryTable or Opcode.Try or Opcode.Catch or Opcode.CatchAll;

    public static bool Closes(Opcode opcode) =>
        opcode is Opcode.End or Opcode.Else or Opcode.Catch or Opcode.CatchAll or Opcode.Delegate;
}

/// <summary>The memory or table an instruction addresses, by the immediates that name it: what types its address,
/// index and length operands (i64 for a 64-bit one, 3.0). A copy has a source too. None for other instructions.</summary>
internal readonly record struct Addressed(AddressedKind Kind, uint Index, uint? Source)
{
    public static Addressed By(in Instruction instruction) => OpcodeInfo.Immediates(instruction.Opcode) switch
    {
        ImmediateKind.Table => new(AddressedKind.Table, instruction.Index, null),
        ImmediateKind.TableTable => new(AddressedKind.Table, instruction.Index, instruction.Index2),
        ImmediateKind.ElemTable or ImmediateKind.CallIndirect => new(AddressedKind.Table, instruction.Index2, null),
        ImmediateKind.MemoryMemory => new(AddressedKind.Memory, instruction.Memory, instruction.Index2),
        ImmediateKind.MemArg or ImmediateKind.MemArgLane or ImmediateKind.Memory or ImmediateKind.DataMemory =>
            new(AddressedKind.Memory, instruction.Memory, null),
        _ => default,
    };
}

internal enum AddressedKind : byte
{
    None,
    Memory,
    Table,
}

/// <summary>What a try_table's catch clause catches and whether it also passes the exception on as an exnref; the
/// value is the binary encoding (spec 5.4.1).</summary>
internal enum CatchKind : byte
{
    Catch = 0,
    CatchRef = 1,
    CatchAll = 2,
    CatchAllRef = 3,
}

/// <summary>A try_table's catch clause: its kind, the tag (for catch and catch_ref) and the label it branches to.</summary>
internal readonly record struct CatchClause(CatchKind Kind, uint Tag, uint Label)
{
    public bool IsAll => Kind is CatchKind.CatchAll or CatchKind.CatchAllRef;

    public bool PassesReference => Kind is CatchKind.CatchRef or CatchKind.CatchAllRef;
}

/// <summary>The type of a block, loop or if: empty, one value type, or a function type by index (spec 5.4.1).</summary>
internal readonly record struct BlockType(ValType Value, uint TypeIndex, bool IsTypeIndex)
{
    public static readonly BlockType Empty = new(ValType.Unknown, 0, false);

    public bool IsEmpty => !IsTypeIndex && Value == ValType.Unknown;
}
