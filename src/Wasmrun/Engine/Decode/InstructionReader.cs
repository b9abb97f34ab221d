// Decodes instructions one at a time from a function body or constant expression; the generated half
// (InstructionReader.g.cs) dispatches each opcode to the reader of its immediate kind.
using System.Runtime.CompilerServices;

namespace Wasmrun.Engine.Decode;

internal sealed partial class InstructionReader(WasmReader reader)
{
    private uint[] labels = new uint[16];
    private int labelCount;

    public WasmReader Reader { get; } = reader;

    /// <summary>The labels of the last br_table read (its default label is in <see cref="Instruction.Index"/>).</summary>
    public ReadOnlySpan<uint> BrTableLabels => labels.AsSpan(0, labelCount);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Read(ref Instruction instruction)
    {
        instruction.Offset = Reader.Position;
        var first = Reader.ReadByte();
        if (first is 0xFC or 0xFD)
        {
            var sub = Reader.ReadU32();
            var defined = first == 0xFC ? OpcodeInfo.IsPrefixFC(sub) : OpcodeInfo.IsPrefixFD(sub);
            if (!defined)
            {
                throw ModuleFormatException.Malformed($"illegal opcode 0x{first:x2} {sub}", instruction.Offset);
            }
            instruction.Opcode = (Opcode)((first << 8) | (int)sub);
        }
        else
        {
            if (!OpcodeInfo.IsSingleByte(first))
            {
                throw ModuleFormatException.Malformed($"illegal opcode 0x{first:x2}", instruction.Offset);
            }
            instruction.Opcode = (Opcode)first;
        }
        ReadImmediates(ref instruction);
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

    private void ReadLabel(ref Instruction instruction) => instruction.Index = Reader.ReadU32();

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

    private void ReadFunction(ref Instruction instruction) => instruction.Index = Reader.ReadU32();

    private void ReadCallIndirect(ref Instruction instruction)
    {
        instruction.Index = Reader.ReadU32();
        instruction.Index2 = Reader.ReadU32();
    }

    private void ReadLocal(ref Instruction instruction) => instruction.Index = Reader.ReadU32();

    private void ReadGlobal(ref Instruction instruction) => instruction.Index = Reader.ReadU32();

    private void ReadTable(ref Instruction instruction) => instruction.Index = Reader.ReadU32();

    private void ReadData(ref Instruction instruction) => instruction.Index = Reader.ReadU32();

    private void ReadElem(ref Instruction instruction) => instruction.Index = Reader.ReadU32();

    private void ReadMemArg(ref Instruction instruction)
    {
        instruction.Index = Reader.ReadU32();
        instruction.Bits = Reader.ReadU32();
    }

    private void ReadMemArgLane(ref Instruction instruction)
    {
        ReadMemArg(ref instruction);
        instruction.Index2 = Reader.ReadByte();
    }

    private void ReadLane(ref Instruction instruction) => instruction.Index2 = Reader.ReadByte();

    private void ReadShuffle(ref Instruction instruction) => instruction.Vector = Reader.ReadV128();

    private void ReadMemory(ref Instruction instruction) => ReadZeroByte();

    private void ReadMemoryMemory(ref Instruction instruction)
    {
        ReadZeroByte();
        ReadZeroByte();
    }

    private void ReadDataMemory(ref Instruction instruction)
    {
        instruction.Index = Reader.ReadU32();
        ReadZeroByte();
    }

    private void ReadElemTable(ref Instruction instruction)
    {
        instruction.Index = Reader.ReadU32();
        instruction.Index2 = Reader.ReadU32();
    }

    private void ReadTableTable(ref Instruction instruction)
    {
        instruction.Index = Reader.ReadU32();
        instruction.Index2 = Reader.ReadU32();
    }

    private void ReadI32(ref Instruction instruction) => instruction.Bits = (uint)Reader.ReadS32();

    private void ReadI64(ref Instruction instruction) => instruction.Bits = (ulong)Reader.ReadS64();

    private void ReadF32(ref Instruction instruction) => instruction.Bits = Reader.ReadFixedU32();

    private void ReadF64(ref Instruction instruction) => instruction.Bits = Reader.ReadFixedU64();

    private void ReadV128(ref Instruction instruction) => instruction.Vector = Reader.ReadV128();

    private void ReadRefType(ref Instruction instruction) => instruction.Type = Reader.ReadRefType();

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
