// A growable byte buffer that writes the binary format's primitives (spec 5.2): bytes, LEB128 integers, names and
// vectors. The text encoder builds each section in one and joins them at the end.
using System.Buffers.Binary;

namespace Wasmrun.Engine.Text;

internal sealed class WasmWriter(int capacity = 256)
{
    private byte[] buffer = new byte[Math.Max(capacity, 16)];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => buffer.AsSpan(0, Length);

    public void Byte(byte value)
    {
        Reserve(1);
        buffer[Length++] = value;
    }

    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    public void U32(uint value) => U64(value);

    /// <summary>A value type: its byte, the short byte of a nullable abstract reference, or 0x63/0x64 (ref null / ref)
    /// and the heap type (an abstract one's byte, or a type index as s33).</summary>
    public void Type(ValType type)
    {
        if (!type.IsReference)
        {
            Byte((byte)type.Kind);
            return;
        }
        var indexed = type.Heap is HeapKind.TypeIndex;
        if (!type.Nullable || indexed)
        {
            Byte(type.Nullable ? (byte)0x63 : (byte)0x64);
        }
        HeapType(type);
    }

    /// <summary>The heap type of a reference type alone (ref.null's immediate).</summary>
    public void HeapType(ValType type)
    {
        if (type.Heap is HeapKind.TypeIndex)
        {
            S64(type.TypeIndex);
        }
        else
        {
            Byte((byte)type.Heap);
        }
    }

    public void U64(ulong value)
    {
        Reserve(10);
        do
        {
            var low = (byte)(value & 0x7F);
            value >>= 7;
            buffer[Length++] = value == 0 ? low : (byte)(low | 0x80);
        }
        while (value != 0);
    }

    public void S32(int value) => S64(value);

    public void S64(long value)
    {
        Reserve(10);
        while (true)
        {
            var low = (byte)(value & 0x7F);
            value >>= 7;
            if ((value == 0 && (low & 0x40) == 0) || (value == -1 && (low & 0x40) != 0))
            {
                buffer[Length++] = low;
                return;
            }
            buffer[Length++] = (byte)(low | 0x80);
        }
    }

    public void F32(uint bits)
    {
        Reserve(4);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(Length), bits);
        Length += 4;
    }

    public void F64(ulong bits)
    {
        Reserve(8);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(Length), bits);
        Length += 8;
    }

    /// <summary>A length-prefixed byte vector: names, data strings, custom section contents.</summary>
    public void Vector(ReadOnlySpan<byte> bytes)
    {
        U32((uint)bytes.Length);
        Bytes(bytes);
    }

    /// <summary>A section: its id, then the content's size and the content (empty sections are left out).</summary>
    public void Section(SectionId id, WasmWriter content, uint count)
    {
        if (count == 0)
        {
            return;
        }
        var countBytes = new WasmWriter(8);
        countBytes.U32(count);
        Byte((byte)id);
        U32((uint)(countBytes.Length + content.Length));
        Bytes(countBytes.Written);
        Bytes(content.Written);
    }

    /// <summary>A custom section: id 0, then its name and contents.</summary>
    public void CustomSection(ReadOnlySpan<byte> name, ReadOnlySpan<byte> content)
    {
        var nameBytes = new WasmWriter(name.Length + 5);
        nameBytes.Vector(name);
        Byte((byte)SectionId.Custom);
        U32((uint)(nameBytes.Length + content.Length));
        Bytes(nameBytes.Written);
        Bytes(content);
    }

    /// <summary>A section holding one index (start: the function; data count: the count).</summary>
    public void IndexSection(SectionId id, uint value)
    {
        var content = new WasmWriter(8);
        content.U32(value);
        Byte((byte)id);
        Vector(content.Written);
    }

    /// <summary>A v128 constant's 16 bytes, low half first.</summary>
    public void V128(V128 value)
    {
        F64(value.Low);
        F64(value.High);
    }

    /// <summary>Forgets everything written after <paramref name="length"/> (the parser's pending-instruction stack).</summary>
    public void Truncate(int length) => Length = length;

    public byte[] ToArray() => Written.ToArray();

    private void Reserve(int count)
    {
        if (Length + count > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, Length + count));
        }
    }
}
