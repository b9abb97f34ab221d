// Builds binary modules byte by byte for decoder and validator tests: sections, vectors, LEB128, names.
using System.Text;

namespace Wasmrun.Tests.Support;

internal static class Wasm
{
    public static readonly byte[] Header = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];

    public static byte[] Module(params byte[][] sections) => [.. Header, .. sections.SelectMany(s => s)];

    public static byte[] Section(byte id, params byte[][] content)
    {
        var body = Concat(content);
        return [id, .. U32((uint)body.Length), .. body];
    }

    public static byte[] Vector(params byte[][] items) => [.. U32((uint)items.Length), .. Concat(items)];

    public static byte[] Name(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return [.. U32((uint)bytes.Length), .. bytes];
    }

    public static byte[] U32(uint value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
        return [.. bytes];
    }

    public static byte[] S32(int value) => S64(value);

    public static byte[] S64(long value)
    {
        var bytes = new List<byte>();
        while (true)
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            var done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
            bytes.Add(done ? b : (byte)(b | 0x80));
            if (done)
            {
                return [.. bytes];
            }
        }
    }

    /// <summary>A type section entry: 0x60, parameters, results (value type bytes).</summary>
    public static byte[] FuncType(byte[] parameters, byte[] results) =>
        [0x60, .. U32((uint)parameters.Length), .. parameters, .. U32((uint)results.Length), .. results];

    /// <summary>A code section entry: size, local runs (count, type), instructions (which must end with 0x0B).</summary>
    public static byte[] Body(byte[] code, params (uint Count, byte Type)[] locals)
    {
        byte[] content = [.. Vector([.. locals.Select(l => (byte[])[.. U32(l.Count), l.Type])]), .. code];
        return [.. U32((uint)content.Length), .. content];
    }

    /// <summary>A module with one type () -> () (or the given one) and the given function bodies.</summary>
    public static byte[] Functions(byte[] type, params byte[][] bodies) => Module(
        Section(1, Vector(type)),
        Section(3, Vector([.. bodies.Select(_ => U32(0))])),
        Section(10, Vector(bodies)));

    /// <summary>A module with one memory of <paramref name="minPages"/> (no maximum) and the exports `grow(pages)`,
    /// `size()`, `load(address)` (a byte, zero-extended), `store(address, byte)`, `fill(address, byte, length)` and
    /// `grow_touch(pages)` (grows, then writes the last byte; returns the new size).</summary>
    public static byte[] MemoryProbe(uint minPages)
    {
        const byte I32 = 0x7F;
        string[] names = ["grow", "size", "load", "store", "fill", "grow_touch"];
        return Module(
            Section(1, Vector(FuncType([I32], [I32]), FuncType([], [I32]), FuncType([I32, I32], []), FuncType([I32, I32, I32], []))),
            Section(3, Vector(U32(0), U32(1), U32(0), U32(2), U32(3), U32(0))),
            Section(5, Vector([0x00, .. U32(minPages)])),
            Section(7, Vector([.. names.Select((name, i) => (byte[])[.. Name(name), 0x00, .. U32((uint)i)])])),
            Section(10, Vector(
                Body([0x20, 0x00, 0x40, 0x00, 0x0B]),
                Body([0x3F, 0x00, 0x0B]),
                Body([0x20, 0x00, 0x2D, 0x00, 0x00, 0x0B]),
                Body([0x20, 0x00, 0x20, 0x01, 0x3A, 0x00, 0x00, 0x0B]),
                Body([0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xFC, 0x0B, 0x00, 0x0B]),
                Body([
                    0x20, 0x00, 0x40, 0x00, 0x1A, // memory.grow (local 0), drop
                    0x3F, 0x00, 0x41, 0x10, 0x74, 0x41, 0x01, 0x6B, // memory.size << 16 - 1: the last address
                    0x41, 0x01, 0x3A, 0x00, 0x00, // i32.store8 1
                    0x3F, 0x00, 0x0B]))));
    }

    private static byte[] Concat(byte[][] parts) => [.. parts.SelectMany(p => p)];
}
