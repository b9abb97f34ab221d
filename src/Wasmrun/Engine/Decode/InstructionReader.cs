// Decodes instructions one at a time from a function body or constant expression. The generated opcode table
// (OpcodeInfo.KindOf) says whether an encoding exists and which immediates follow it.
using System.Runtime.CompilerServices;

namespace Wasmrun.Engine.Decode;

/// <summary>Reads instructions as <paramref name="features"/> encode them: with multiple memories (3.0) a memory
/// instruction's memory is an index where 2.0 has a zero byte. Code that was validated reads the same either way.</summary>
internal sealed partial class InstructionReader(WasmReader reader, WasmFeatures features = WasmFeatures.Wasm30)
{
    private readonly bool multiMemory = features.HasFlag(WasmFeatures.MultiMemory);
    private readonly bool memory64 = features.HasFlag(WasmFeatures.Memory64);
    private readonly bool relaxedSimd = features.HasFlag(WasmFeatures.RelaxedSimd);
    private readonly bool gc = features.HasFlag(WasmFeatures.Gc);

    private uint[] labels = new uint[16];
    private int labelCount;

    public WasmReader Reader { get; } = ReadingTypes(reader, features);

    /// <summary>The reader, told to read the types in instructions (block types, select, ref.null) as the features say.</summary>
    private static WasmReader ReadingTypes(WasmReader reader, WasmFeatures features)
    {
        reader.TypedReferences = features.HasFlag(WasmFeatures.TypedReferences);
        return reader;
    }

    private CatchClause[] catches = new CatchClause[4];
    private int catchCount;

    /// <summary>The labels of the last br_table read (its default label is in <see cref="Instruction.Index"/>).</summary>
    public ReadOnlySpan<uint> BrTableLabels => labels.AsSpan(0, labelCount);

    /// <summary>The catch clauses of the last try_table read.</summary>
    public ReadOnlySpan<CatchClause> Catches => catches.AsSpan(0, catchCount);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Read(ref Instruction instruction)
    {
        instruction.Offset = Reader.Position;
        instruction.Memory = 0;
        var first = Reader.ReadByte();
        ImmediateKind kind;
        if (first is 0xFC or 0xFD || (first == 0xFB && gc))
        {
            var sub = Reader.ReadU32();
            kind = OpcodeInfo.KindOf(first, sub);
            // Relaxed SIMD's sub-opcodes (0x100 and up) do not exist in 2.0.
            if (kind == ImmediateKind.Undefined || (sub > 0xFF && !relaxedSimd))
            {
                throw ModuleFormatException.Malformed($"illegal opcode {first:x2} {sub}", instruction.Offset);
            }
            instruction.Opcode = (Opcode)((first << 16) | (int)sub);
        }
        else
        {
            kind = OpcodeInfo.KindOf(0, first);
            if (kind == ImmediateKind.Undefined)
            {
                throw ModuleFormatException.Malformed($"illegal opcode {first:x2}", instruction.Offset);
            }
            instruction.Opcode = (Opcode)first;
        }
        ReadImmediates(kind, ref instruction);
    }

    private void ReadImmediates(ImmediateKind kind, ref Instruction instruction)
    {
        switch (kind)
        {
            case ImmediateKind.None:
                break;
            case ImmediateKind.Block:
                ReadBlock(ref instruction);
                break;
            case ImmediateKind.BrOnCast:
                {
                    var at = Reader.Position;
                    var flags = Reader.ReadByte();
                    if (flags > 3)
                    {
                        throw ModuleFormatException.Malformed("malformed br_on_cast flags", at);
                    }
                    instruction.Index = Reader.ReadU32();
                    instruction.Type = Reader.ReadHeapType(nullable: (flags & 1) != 0);
                    instruction.Type2 = Reader.ReadHeapType(nullable: (flags & 2) != 0);
                    break;
                }
            case ImmediateKind.Label or ImmediateKind.Function or ImmediateKind.Local or ImmediateKind.Global
                or ImmediateKind.Table or ImmediateKind.Data or ImmediateKind.Elem or ImmediateKind.Tag or ImmediateKind.Type:
                instruction.Index = Reader.ReadU32();
                break;
            case ImmediateKind.BrTable:
                ReadBrTable(ref instruction);
                break;
            case ImmediateKind.TryTable:
                ReadBlock(ref instruction);
                ReadCatches(ref instruction);
                break;
            case ImmediateKind.CallIndirect or ImmediateKind.ElemTable or ImmediateKind.TableTable:
                instruction.Index = Reader.ReadU32();
                instruction.Index2 = Reader.ReadU32();
                break;
            case ImmediateKind.MemArg:
                ReadMemArg(ref instruction);
                break;
            case ImmediateKind.MemArgLane:
                ReadMemArg(ref instruction);
                instruction.Index2 = Reader.ReadByte();
                break;
            case ImmediateKind.Lane:
                instruction.Index2 = Reader.ReadByte();
                break;
            case ImmediateKind.Shuffle or ImmediateKind.V128:
                instruction.Vector = Reader.ReadV128();
                break;
            case ImmediateKind.Memory:
                instruction.Memory = ReadMemoryIndex();
                break;
            case ImmediateKind.MemoryMemory:
                instruction.Memory = ReadMemoryIndex();
                instruction.Index2 = ReadMemoryIndex();
                break;
            case ImmediateKind.DataMemory:
                instruction.Index = Reader.ReadU32();
                instruction.Memory = ReadMemoryIndex();
                break;
            case ImmediateKind.I32:
                instruction.Bits = (uint)Reader.ReadS32();
                break;
            case ImmediateKind.I64:
                instruction.Bits = (ulong)Reader.ReadS64();
                break;
            case ImmediateKind.F32:
                instruction.Bits = Reader.ReadFixedU32();
                break;
            case ImmediateKind.F64:
                instruction.Bits = Reader.ReadFixedU64();
                break;
            case ImmediateKind.RefType:
                instruction.Type = Reader.ReadHeapType(nullable: true);
                break;
            case ImmediateKind.SelectTypes:
                ReadSelectTypes(ref instruction);
                break;
            default:
                throw new InvalidOperationException($"no reader for immediates of kind {kind}");
        }
    }

    private void ReadBlock(ref Instruction instruction)
    {
        var first = Reader.PeekByte();
        if (first == 0x40)
        {
            Reader.Position++;
            instruction.Block = BlockType.Empty;
        }
        else if ((first & 0xC0) == 0x40)
        {
            instruction.Block = new BlockType(Reader.ReadValType(), 0, false);
        }
        else
        {
            // A negative s33 names no type: keep it as an index no module has, so validation says "unknown type".
            var index = Reader.ReadS33();
            instruction.Block = new BlockType(ValType.Unknown, index is >= 0 and <= uint.MaxValue ? (uint)index : uint.MaxValue, true);
        }
    }

    private void ReadBrTable(ref Instruction instruction)
    {
        var count = Reader.ReadLength();
        if (count > labels.Length)
        {
            labels = new uint[Math.Max(count, labels.Length * 2)];
        }
        for (var i = 0; i < count; i++)
        {
            labels[i] = Reader.ReadU32();
        }
        labelCount = count;
        instruction.Index2 = (uint)count;
        instruction.Index = Reader.ReadU32();
    }

    /// <summary>A try_table's catch clauses (spec 5.4.1): kind, tag (catch and catch_ref), label.</summary>
    private void ReadCatches(ref Instruction instruction)
    {
        var count = Reader.ReadLength();
        if (count > catches.Length)
        {
            catches = new CatchClause[Math.Max(count, catches.Length * 2)];
        }
        for (var i = 0; i < count; i++)
        {
            var at = Reader.Position;
            var kind = Reader.ReadByte();
            if (kind > (byte)CatchKind.CatchAllRef)
            {
                throw ModuleFormatException.Malformed("malformed catch clause", at);
            }
            var tag = kind < (byte)CatchKind.CatchAll ? Reader.ReadU32() : 0;
            catches[i] = new CatchClause((CatchKind)kind, tag, Reader.ReadU32());
        }
        catchCount = count;
        instruction.Index = (uint)count;
    }

    /// <summary>A memarg (spec 5.4.7): alignment flags, then with multiple memories a memory index when bit 6 of the
    /// flags is set (flags of 128 and more are malformed), then the offset, 64-bit with memory64. In 2.0 any u32
    /// alignment (too large is invalid) and a 32-bit offset.</summary>
    private void ReadMemArg(ref Instruction instruction)
    {
        var at = Reader.Position;
        var flags = Reader.ReadU32();
        if (multiMemory)
        {
            if (flags >= 128)
            {
                throw ModuleFormatException.Malformed("malformed memop flags", at);
            }
            instruction.Index = flags & 63;
            instruction.Memory = (flags & 64) != 0 ? Reader.ReadU32() : 0;
        }
        else
        {
            instruction.Index = flags;
        }
        instruction.Bits = memory64 ? Reader.ReadU64() : Reader.ReadU32();
    }

    /// <summary>The memory of memory.size, grow, fill, copy and init: an index in 3.0, a zero byte in 2.0.</summary>
    private uint ReadMemoryIndex()
    {
        if (multiMemory)
        {
            return Reader.ReadU32();
        }
        ReadZeroByte();
        return 0;
    }

    private void ReadSelectTypes(ref Instruction instruction)
    {
        var count = Reader.ReadLength();
        instruction.Index2 = (uint)count;
        instruction.Type = ValType.Unknown;
        for (var i = 0; i < count; i++)
        {
            var type = Reader.ReadValType();
            if (i == 0)
            {
                instruction.Type = type;
            }
        }
    }

    private void ReadZeroByte()
    {
        var at = Reader.Position;
        if (Reader.ReadByte() != 0)
        {
            throw ModuleFormatException.Malformed("zero byte expected", at);
        }
    }
}
