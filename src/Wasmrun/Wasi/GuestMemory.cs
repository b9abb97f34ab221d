// The guest's linear memory as WASI sees it: little-endian reads and writes at guest addresses, every access
// bounds-checked (a bad pointer is EFAULT to the guest, never a host crash).
using System.Buffers.Binary;
using Wasmrun.Engine.Runtime;

namespace Wasmrun.Wasi;

/// <summary>Thrown for a guest pointer outside memory; the host function returns EFAULT.</summary>
internal sealed class GuestFault : Exception;

internal readonly unsafe struct GuestMemory(Memory? memory)
{
    public Span<byte> Bytes(uint address, uint length)
    {
        Check(address, length);
        if (length > int.MaxValue)
        {
            throw new GuestFault();
        }
        return new Span<byte>(memory!.Base + address, (int)length);
    }

    /// <summary>Faults unless [address, address + length) is inside the memory (any length, 2 GiB and more too).</summary>
    public void Check(uint address, uint length)
    {
        if (memory is null || (ulong)address + length > memory.Length)
        {
            throw new GuestFault();
        }
    }

    public byte U8(uint address) => Bytes(address, 1)[0];

    public ushort U16(uint address) => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(address, 2));

    public uint U32(uint address) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(address, 4));

    public ulong U64(uint address) => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(address, 8));

    public void SetU8(uint address, byte value) => Bytes(address, 1)[0] = value;

    public void SetU16(uint address, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Bytes(address, 2), value);

    public void SetU32(uint address, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Bytes(address, 4), value);

    public void SetU64(uint address, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Bytes(address, 8), value);

    /// <summary>A guest string (not NUL-terminated): path arguments must be valid UTF-8 (EILSEQ otherwise).</summary>
    public string? Utf8(uint address, uint length)
    {
        var bytes = Bytes(address, length);
        return System.Text.Unicode.Utf8.IsValid(bytes) ? System.Text.Encoding.UTF8.GetString(bytes) : null;
    }
}
