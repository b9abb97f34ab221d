// Reads the primitive encodings of the binary format (spec 5.2): bytes, LEB128 integers, floats, names.
// Errors carry the spec's wording and the absolute offset; LEB128 follows the reference decoder bit for bit
// ("integer representation too long" for too many bytes, "integer too large" for unused bits that are set).
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace Wasmrun.Engine.Decode;

internal sealed class WasmReader(byte[] bytes, int start, int end, string endMessage = WasmReader.UnexpectedEnd)
{
    public const string UnexpectedEnd = "unexpected end of section or function";

    private readonly byte[] bytes = bytes;

    public WasmReader(byte[] bytes)
        : this(bytes, 0, bytes.Length)
    {
    }

    /// <summary>A reader of a range of a decoded module's bytes (a body or a constant expression).</summary>
    public static WasmReader Over(Module module, int rangeStart, int rangeEnd) => new(ArrayOf(module), rangeStart, rangeEnd);

    /// <summary>The module's bytes as an array whose offsets are the module's (its own array when it has one).</summary>
    public static byte[] ArrayOf(Module module) =>
        MemoryMarshal.TryGetArray(module.Bytes, out var segment) && segment.Offset == 0 ? segment.Array! : module.Bytes.ToArray();

    public int Position { get; set; } = start;

    /// <summary>Where reading stops with the end message. The module decoder narrows it to the section while it reads
    /// a constant expression.</summary>
    public int End { get; set; } = end;

    public bool AtEnd => Position >= End;

    public byte[] Bytes => bytes;

    /// <summary>A reader of the same bytes limited to [start, end) and never past this reader's end: custom sections
    /// and the name section use one (a length may claim more bytes than remain, see <see cref="ReadLength"/>).</summary>
    public WasmReader Slice(int sliceStart, int sliceEnd, string sliceEndMessage) => new(bytes, sliceStart, Math.Min(sliceEnd, End), sliceEndMessage);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        if (Position >= End)
        {
            ThrowEnd();
        }
        return bytes[Position++];
    }

    public byte PeekByte()
    {
        if (Position >= End)
        {
            ThrowEnd();
        }
        return bytes[Position];
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > End - Position)
        {
            Position = End;
            ThrowEnd();
        }
        var span = bytes.AsSpan(Position, count);
        Position += count;
        return span;
    }

    public uint ReadFixedU32() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));

    public ulong ReadFixedU64() => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8));

    public V128 ReadV128()
    {
        var span = ReadBytes(16);
        return new V128(BinaryPrimitives.ReadUInt64LittleEndian(span), BinaryPrimitives.ReadUInt64LittleEndian(span[8..]));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadU32()
    {
        if (Position < End && bytes[Position] < 0x80)
        {
            return bytes[Position++];
        }
        return (uint)ReadUnsigned(32);
    }

    /// <summary>A u64 (3.0's memarg offsets and limits): one byte, as most offsets are, without the loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadU64()
    {
        if (Position < End && bytes[Position] < 0x80)
        {
            return bytes[Position++];
        }
        return ReadUnsigned(64);
    }

    /// <summary>A one-bit flag, encoded as an unsigned LEB128 like the limits flag of the 2.0 format.</summary>
    public bool ReadFlag() => ReadUnsigned(1) == 1;

    public int ReadS32() => (int)ReadSigned(32);

    public long ReadS33() => ReadSigned(33);

    public long ReadS64() => ReadSigned(64);

    /// <summary>A u32 length, checked against the bytes that remain (counted from the length itself, as the
    /// reference decoder does): "length out of bounds". Nothing is allocated from an unchecked length.</summary>
    public int ReadLength()
    {
        var at = Position;
        var length = ReadU32();
        if (length > (uint)(End - at))
        {
            throw ModuleFormatException.Malformed("length out of bounds", at);
        }
        return (int)length;
    }

    /// <summary>A name: a length-prefixed string of strict UTF-8 (no overlongs, surrogates or values past U+10FFFF).</summary>
    public string ReadName()
    {
        var at = Position;
        var span = ReadBytes(ReadLength());
        if (!Utf8.IsValid(span))
        {
            throw ModuleFormatException.Malformed("malformed UTF-8 encoding", at);
        }
        return Encoding.UTF8.GetString(span);
    }

    /// <summary>A type constructor byte (value type, reference type, function type tag). The reference decoder reads
    /// these as 7-bit signed LEB128, so a continuation bit is "integer representation too long".</summary>
    public byte ReadTypeCode()
    {
        var code = ReadByte();
        if (code >= 0x80)
        {
            throw ModuleFormatException.Malformed("integer representation too long", Position);
        }
        return code;
    }

    /// <summary>Whether 3.0's reference types may be read: (ref null? ht) and the GC proposal's abstract ones.</summary>
    public bool TypedReferences { get; set; } = true;

    public ValType ReadValType()
    {
        var at = Position;
        var code = ReadTypeCode();
        return code switch
        {
            0x7F or 0x7E or 0x7D or 0x7C or 0x7B => ValType.Of((ValKind)code),
            0x70 or 0x6F or 0x69 => ValType.Ref((HeapKind)code, nullable: true),
            _ when TypedReferences && IsAbstractHeap(code) => ValType.Ref((HeapKind)code, nullable: true),
            0x63 or 0x64 when TypedReferences => ReadHeapType(nullable: code == 0x63),
            _ => throw ModuleFormatException.Malformed("malformed value type", at),
        };
    }

    public ValType ReadRefType()
    {
        var at = Position;
        var code = PeekByte();
        var allowed = code is 0x63 or 0x64 ? TypedReferences : IsAbstractHeap(code) && (TypedReferences || code is 0x70 or 0x6F or 0x69);
        return allowed ? ReadValType() : throw ModuleFormatException.Malformed("malformed reference type", at);
    }

    /// <summary>A heap type (ref.null's immediate, the heap type of a reference type): an abstract one, or a type index
    /// as a non-negative s33; the result is its nullable or non-nullable reference type.</summary>
    public ValType ReadHeapType(bool nullable)
    {
        var at = Position;
        var first = PeekByte();
        if (IsAbstractHeap(first) && (TypedReferences || first is 0x70 or 0x6F or 0x69))
        {
            Position++;
            return ValType.Ref((HeapKind)first, nullable);
        }
        if (!TypedReferences || (first & 0x40) != 0)
        {
            throw ModuleFormatException.Malformed(TypedReferences ? "malformed heap type" : "malformed reference type", at);
        }
        var index = ReadS33();
        return ValType.Ref(HeapKind.TypeIndex, index <= uint.MaxValue ? (uint)index : uint.MaxValue, nullable);
    }

    private static bool IsAbstractHeap(byte code) => code is >= 0x69 and <= 0x74;

    private ulong ReadUnsigned(int bits)
    {
        ulong result = 0;
        var shift = 0;
        for (var remaining = bits; ; remaining -= 7)
        {
            if (remaining <= 0)
            {
                throw ModuleFormatException.Malformed("integer representation too long", Position);
            }
            var at = Position;
            var b = ReadByte();
            if (remaining < 7 && (b & 0x7F) >= 1 << remaining)
            {
                throw ModuleFormatException.Malformed("integer too large", at);
            }
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
            shift += 7;
        }
    }

    private long ReadSigned(int bits)
    {
        long result = 0;
        var shift = 0;
        for (var remaining = bits; ; remaining -= 7)
        {
            if (remaining <= 0)
            {
                throw ModuleFormatException.Malformed("integer representation too long", Position);
            }
            var at = Position;
            var b = ReadByte();
            if (remaining < 7)
            {
                // The unused high bits of the last byte must all equal the sign bit.
                var mask = (-1 << (remaining - 1)) & 0x7F;
                if ((b & mask) != 0 && (b & mask) != mask)
                {
                    throw ModuleFormatException.Malformed("integer too large", at);
                }
            }
            result |= (long)(b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0)
            {
                if (shift < 64 && (b & 0x40) != 0)
                {
                    result |= -1L << shift;
                }
                return result;
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowEnd() => throw ModuleFormatException.Malformed(endMessage, End);
}
