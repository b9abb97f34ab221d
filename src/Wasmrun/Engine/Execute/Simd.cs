// WebAssembly 2.0 SIMD semantics (spec 4.3.2, 4.4.3): one method per 0xFD instruction for the interpreter's dispatch;
// v128 is Vector128<byte> in little-endian lane order, and memory instructions get the bytes the interpreter read.
using System.Runtime.Intrinsics;

namespace Wasmrun.Engine.Execute;

internal static class Simd
{
    private const uint F32SignBit = 0x8000_0000;
    private const ulong F64SignBit = 0x8000_0000_0000_0000;

    // --- vector memory: the interpreter reads or writes memory; these shape the bytes (spec 4.4.7) ---

    public static Vector128<byte> V128Load8x8S(ulong eightBytes) => Vector128.WidenLower(Vector128.CreateScalar(eightBytes).AsSByte()).AsByte();

    public static Vector128<byte> V128Load8x8U(ulong eightBytes) => Vector128.WidenLower(Vector128.CreateScalar(eightBytes).AsByte()).AsByte();

    public static Vector128<byte> V128Load16x4S(ulong eightBytes) => Vector128.WidenLower(Vector128.CreateScalar(eightBytes).AsInt16()).AsByte();

    public static Vector128<byte> V128Load16x4U(ulong eightBytes) => Vector128.WidenLower(Vector128.CreateScalar(eightBytes).AsUInt16()).AsByte();

    public static Vector128<byte> V128Load32x2S(ulong eightBytes) => Vector128.WidenLower(Vector128.CreateScalar(eightBytes).AsInt32()).AsByte();

    public static Vector128<byte> V128Load32x2U(ulong eightBytes) => Vector128.WidenLower(Vector128.CreateScalar(eightBytes).AsUInt32()).AsByte();

    public static Vector128<byte> V128Load8Splat(byte value) => Vector128.Create(value);

    public static Vector128<byte> V128Load16Splat(ushort value) => Vector128.Create(value).AsByte();

    public static Vector128<byte> V128Load32Splat(uint value) => Vector128.Create(value).AsByte();

    public static Vector128<byte> V128Load64Splat(ulong value) => Vector128.Create(value).AsByte();

    public static Vector128<byte> V128Load32Zero(uint value) => Vector128.CreateScalar(value).AsByte();

    public static Vector128<byte> V128Load64Zero(ulong value) => Vector128.CreateScalar(value).AsByte();

    public static Vector128<byte> V128Load8Lane(Vector128<byte> v, int lane, byte value) => v.WithElement(lane, value);

    public static Vector128<byte> V128Load16Lane(Vector128<byte> v, int lane, ushort value) => v.AsUInt16().WithElement(lane, value).AsByte();

    public static Vector128<byte> V128Load32Lane(Vector128<byte> v, int lane, uint value) => v.AsUInt32().WithElement(lane, value).AsByte();

    public static Vector128<byte> V128Load64Lane(Vector128<byte> v, int lane, ulong value) => v.AsUInt64().WithElement(lane, value).AsByte();

    public static byte V128Store8Lane(Vector128<byte> v, int lane) => v.GetElement(lane);

    public static ushort V128Store16Lane(Vector128<byte> v, int lane) => v.AsUInt16().GetElement(lane);

    public static uint V128Store32Lane(Vector128<byte> v, int lane) => v.AsUInt32().GetElement(lane);

    public static ulong V128Store64Lane(Vector128<byte> v, int lane) => v.AsUInt64().GetElement(lane);

    // --- shuffles, splats and lanes (spec 4.4.3.3-4.4.3.8) ---

    /// <summary>Indices 0-15 pick from <paramref name="a"/>, 16-31 from <paramref name="b"/>.</summary>
    public static Vector128<byte> I8x16Shuffle(Vector128<byte> a, Vector128<byte> b, Vector128<byte> lanes) =>
        // Vector128.Shuffle zeroes lanes whose index is 16 or more, so each half contributes only its own lanes
        // (lanes - 16 wraps indices below 16 to 240 and up).
        Vector128.Shuffle(a, lanes) | Vector128.Shuffle(b, lanes - Vector128.Create((byte)16));

    /// <summary>Vector128.Shuffle's out-of-range rule (the lane becomes 0) is exactly swizzle's.</summary>
    public static Vector128<byte> I8x16Swizzle(Vector128<byte> a, Vector128<byte> b) => Vector128.Shuffle(a, b);

    public static Vector128<byte> I8x16Splat(int value) => Vector128.Create((byte)value);

    public static Vector128<byte> I16x8Splat(int value) => Vector128.Create((ushort)value).AsByte();

    public static Vector128<byte> I32x4Splat(int value) => Vector128.Create(value).AsByte();

    public static Vector128<byte> I64x2Splat(long value) => Vector128.Create(value).AsByte();

    public static Vector128<byte> F32x4Splat(float value) => Vector128.Create(value).AsByte();

    public static Vector128<byte> F64x2Splat(double value) => Vector128.Create(value).AsByte();

    public static int I8x16ExtractLaneS(Vector128<byte> a, int lane) => a.AsSByte().GetElement(lane);

    public static int I8x16ExtractLaneU(Vector128<byte> a, int lane) => a.GetElement(lane);

    public static Vector128<byte> I8x16ReplaceLane(Vector128<byte> a, int lane, int value) => a.WithElement(lane, (byte)value);

    public static int I16x8ExtractLaneS(Vector128<byte> a, int lane) => a.AsInt16().GetElement(lane);

    public static int I16x8ExtractLaneU(Vector128<byte> a, int lane) => a.AsUInt16().GetElement(lane);

    public static Vector128<byte> I16x8ReplaceLane(Vector128<byte> a, int lane, int value) => a.AsUInt16().WithElement(lane, (ushort)value).AsByte();

    public static int I32x4ExtractLane(Vector128<byte> a, int lane) => a.AsInt32().GetElement(lane);

    public static Vector128<byte> I32x4ReplaceLane(Vector128<byte> a, int lane, int value) => a.AsInt32().WithElement(lane, value).AsByte();

    public static long I64x2ExtractLane(Vector128<byte> a, int lane) => a.AsInt64().GetElement(lane);

    public static Vector128<byte> I64x2ReplaceLane(Vector128<byte> a, int lane, long value) => a.AsInt64().WithElement(lane, value).AsByte();

    public static float F32x4ExtractLane(Vector128<byte> a, int lane) => a.AsSingle().GetElement(lane);

    public static Vector128<byte> F32x4ReplaceLane(Vector128<byte> a, int lane, float value) => a.AsSingle().WithElement(lane, value).AsByte();

    public static double F64x2ExtractLane(Vector128<byte> a, int lane) => a.AsDouble().GetElement(lane);

    public static Vector128<byte> F64x2ReplaceLane(Vector128<byte> a, int lane, double value) => a.AsDouble().WithElement(lane, value).AsByte();

    // --- comparisons: all-ones lanes for true, zero for false (spec 4.4.3.14) ---

    public static Vector128<byte> I8x16Eq(Vector128<byte> a, Vector128<byte> b) => Vector128.Equals(a, b);

    public static Vector128<byte> I8x16Ne(Vector128<byte> a, Vector128<byte> b) => ~Vector128.Equals(a, b);

    public static Vector128<byte> I8x16LtS(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThan(a.AsSByte(), b.AsSByte()).AsByte();

    public static Vector128<byte> I8x16LtU(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThan(a, b);

    public static Vector128<byte> I8x16GtS(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsSByte(), b.AsSByte()).AsByte();

    public static Vector128<byte> I8x16GtU(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a, b);

    public static Vector128<byte> I8x16LeS(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThanOrEqual(a.AsSByte(), b.AsSByte()).AsByte();

    public static Vector128<byte> I8x16LeU(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThanOrEqual(a, b);

    public static Vector128<byte> I8x16GeS(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThanOrEqual(a.AsSByte(), b.AsSByte()).AsByte();

    public static Vector128<byte> I8x16GeU(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThanOrEqual(a, b);

    public static Vector128<byte> I16x8Eq(Vector128<byte> a, Vector128<byte> b) => Vector128.Equals(a.AsUInt16(), b.AsUInt16()).AsByte();

    public static Vector128<byte> I16x8Ne(Vector128<byte> a, Vector128<byte> b) => (~Vector128.Equals(a.AsUInt16(), b.AsUInt16())).AsByte();

    public static Vector128<byte> I16x8LtS(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThan(a.AsInt16(), b.AsInt16()).AsByte();

    public static Vector128<byte> I16x8LtU(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThan(a.AsUInt16(), b.AsUInt16()).AsByte();

    public static Vector128<byte> I16x8GtS(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsInt16(), b.AsInt16()).AsByte();

    public static Vector128<byte> I16x8GtU(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsUInt16(), b.AsUInt16()).AsByte();

    public static Vector128<byte> I16x8LeS(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThanOrEqual(a.AsInt16(), b.AsInt16()).AsByte();

    public static Vector128<byte> I16x8LeU(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThanOrEqual(a.AsUInt16(), b.AsUInt16()).AsByte();

    public static Vector128<byte> I16x8GeS(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThanOrEqual(a.AsInt16(), b.AsInt16()).AsByte();

    public static Vector128<byte> I16x8GeU(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThanOrEqual(a.AsUInt16(), b.AsUInt16()).AsByte();

    public static Vector128<byte> I32x4Eq(Vector128<byte> a, Vector128<byte> b) => Vector128.Equals(a.AsUInt32(), b.AsUInt32()).AsByte();

    public static Vector128<byte> I32x4Ne(Vector128<byte> a, Vector128<byte> b) => (~Vector128.Equals(a.AsUInt32(), b.AsUInt32())).AsByte();

    public static Vector128<byte> I32x4LtS(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThan(a.AsInt32(), b.AsInt32()).AsByte();

    public static Vector128<byte> I32x4LtU(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThan(a.AsUInt32(), b.AsUInt32()).AsByte();

    public static Vector128<byte> I32x4GtS(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsInt32(), b.AsInt32()).AsByte();

    public static Vector128<byte> I32x4GtU(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsUInt32(), b.AsUInt32()).AsByte();

    public static Vector128<byte> I32x4LeS(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThanOrEqual(a.AsInt32(), b.AsInt32()).AsByte();

    public static Vector128<byte> I32x4LeU(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThanOrEqual(a.AsUInt32(), b.AsUInt32()).AsByte();

    public static Vector128<byte> I32x4GeS(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThanOrEqual(a.AsInt32(), b.AsInt32()).AsByte();

    public static Vector128<byte> I32x4GeU(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThanOrEqual(a.AsUInt32(), b.AsUInt32()).AsByte();

    public static Vector128<byte> I64x2Eq(Vector128<byte> a, Vector128<byte> b) => Vector128.Equals(a.AsInt64(), b.AsInt64()).AsByte();

    public static Vector128<byte> I64x2Ne(Vector128<byte> a, Vector128<byte> b) => (~Vector128.Equals(a.AsInt64(), b.AsInt64())).AsByte();

    public static Vector128<byte> I64x2LtS(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThan(a.AsInt64(), b.AsInt64()).AsByte();

    public static Vector128<byte> I64x2GtS(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsInt64(), b.AsInt64()).AsByte();

    public static Vector128<byte> I64x2LeS(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThanOrEqual(a.AsInt64(), b.AsInt64()).AsByte();

    public static Vector128<byte> I64x2GeS(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThanOrEqual(a.AsInt64(), b.AsInt64()).AsByte();

    // Float comparisons are ordered (false when either lane is NaN) except ne, which is true then; the
    // Vector128 comparisons are the IEEE predicates, so ne is the complement of eq.

    public static Vector128<byte> F32x4Eq(Vector128<byte> a, Vector128<byte> b) => Vector128.Equals(a.AsSingle(), b.AsSingle()).AsByte();

    public static Vector128<byte> F32x4Ne(Vector128<byte> a, Vector128<byte> b) => (~Vector128.Equals(a.AsSingle(), b.AsSingle())).AsByte();

    public static Vector128<byte> F32x4Lt(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThan(a.AsSingle(), b.AsSingle()).AsByte();

    public static Vector128<byte> F32x4Gt(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsSingle(), b.AsSingle()).AsByte();

    public static Vector128<byte> F32x4Le(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThanOrEqual(a.AsSingle(), b.AsSingle()).AsByte();

    public static Vector128<byte> F32x4Ge(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThanOrEqual(a.AsSingle(), b.AsSingle()).AsByte();

    public static Vector128<byte> F64x2Eq(Vector128<byte> a, Vector128<byte> b) => Vector128.Equals(a.AsDouble(), b.AsDouble()).AsByte();

    public static Vector128<byte> F64x2Ne(Vector128<byte> a, Vector128<byte> b) => (~Vector128.Equals(a.AsDouble(), b.AsDouble())).AsByte();

    public static Vector128<byte> F64x2Lt(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThan(a.AsDouble(), b.AsDouble()).AsByte();

    public static Vector128<byte> F64x2Gt(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsDouble(), b.AsDouble()).AsByte();

    public static Vector128<byte> F64x2Le(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThanOrEqual(a.AsDouble(), b.AsDouble()).AsByte();

    public static Vector128<byte> F64x2Ge(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThanOrEqual(a.AsDouble(), b.AsDouble()).AsByte();

    // --- bitwise (spec 4.4.3.1-4.4.3.2) ---

    public static Vector128<byte> V128Not(Vector128<byte> a) => ~a;

    public static Vector128<byte> V128And(Vector128<byte> a, Vector128<byte> b) => a & b;

    /// <summary>a AND NOT b (Vector128.AndNot complements its second operand, as Wasm does).</summary>
    public static Vector128<byte> V128Andnot(Vector128<byte> a, Vector128<byte> b) => Vector128.AndNot(a, b);

    public static Vector128<byte> V128Or(Vector128<byte> a, Vector128<byte> b) => a | b;

    public static Vector128<byte> V128Xor(Vector128<byte> a, Vector128<byte> b) => a ^ b;

    public static Vector128<byte> V128Bitselect(Vector128<byte> a, Vector128<byte> b, Vector128<byte> mask) => Vector128.ConditionalSelect(mask, a, b);

    public static int V128AnyTrue(Vector128<byte> a) => a != Vector128<byte>.Zero ? 1 : 0;

    // --- i8x16 arithmetic (spec 4.4.3.9-4.4.3.13) ---

    /// <summary>Wrapping: abs(-128) is -128, as pabsb and Vector128.Abs's fallback both give.</summary>
    public static Vector128<byte> I8x16Abs(Vector128<byte> a) => Vector128.Abs(a.AsSByte()).AsByte();

    public static Vector128<byte> I8x16Neg(Vector128<byte> a) => Vector128<byte>.Zero - a;

    /// <summary>The classic SWAR bit count within each byte: pairs, then nibbles, then the byte.</summary>
    public static Vector128<byte> I8x16Popcnt(Vector128<byte> a)
    {
        var pairs = a - (Vector128.ShiftRightLogical(a, 1) & Vector128.Create((byte)0x55));
        var nibbles = (pairs & Vector128.Create((byte)0x33)) + (Vector128.ShiftRightLogical(pairs, 2) & Vector128.Create((byte)0x33));
        return (nibbles + Vector128.ShiftRightLogical(nibbles, 4)) & Vector128.Create((byte)0x0F);
    }

    public static int I8x16AllTrue(Vector128<byte> a) => Vector128.EqualsAny(a, Vector128<byte>.Zero) ? 0 : 1;

    public static int I8x16Bitmask(Vector128<byte> a) => (int)a.ExtractMostSignificantBits();

    public static Vector128<byte> I8x16NarrowI16x8S(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.NarrowWithSaturation(a.AsInt16(), b.AsInt16()).AsByte();

    /// <summary>Signed input, unsigned saturation: negative lanes clamp to 0 first, then the unsigned narrow caps at 255.</summary>
    public static Vector128<byte> I8x16NarrowI16x8U(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.NarrowWithSaturation(
            Vector128.Max(a.AsInt16(), Vector128<short>.Zero).AsUInt16(),
            Vector128.Max(b.AsInt16(), Vector128<short>.Zero).AsUInt16());

    // Shift counts are taken modulo the lane width here, not left to the Vector128 operators' own rule.

    public static Vector128<byte> I8x16Shl(Vector128<byte> a, int count) => Vector128.ShiftLeft(a, count & 7);

    public static Vector128<byte> I8x16ShrS(Vector128<byte> a, int count) => Vector128.ShiftRightArithmetic(a.AsSByte(), count & 7).AsByte();

    public static Vector128<byte> I8x16ShrU(Vector128<byte> a, int count) => Vector128.ShiftRightLogical(a, count & 7);

    public static Vector128<byte> I8x16Add(Vector128<byte> a, Vector128<byte> b) => a + b;

    public static Vector128<byte> I8x16AddSatS(Vector128<byte> a, Vector128<byte> b) => Vector128.AddSaturate(a.AsSByte(), b.AsSByte()).AsByte();

    public static Vector128<byte> I8x16AddSatU(Vector128<byte> a, Vector128<byte> b) => Vector128.AddSaturate(a, b);

    public static Vector128<byte> I8x16Sub(Vector128<byte> a, Vector128<byte> b) => a - b;

    public static Vector128<byte> I8x16SubSatS(Vector128<byte> a, Vector128<byte> b) => Vector128.SubtractSaturate(a.AsSByte(), b.AsSByte()).AsByte();

    public static Vector128<byte> I8x16SubSatU(Vector128<byte> a, Vector128<byte> b) => Vector128.SubtractSaturate(a, b);

    public static Vector128<byte> I8x16MinS(Vector128<byte> a, Vector128<byte> b) => Vector128.Min(a.AsSByte(), b.AsSByte()).AsByte();

    public static Vector128<byte> I8x16MinU(Vector128<byte> a, Vector128<byte> b) => Vector128.Min(a, b);

    public static Vector128<byte> I8x16MaxS(Vector128<byte> a, Vector128<byte> b) => Vector128.Max(a.AsSByte(), b.AsSByte()).AsByte();

    public static Vector128<byte> I8x16MaxU(Vector128<byte> a, Vector128<byte> b) => Vector128.Max(a, b);

    /// <summary>(a + b + 1) / 2 without a wider type: a | b minus half of a ^ b.</summary>
    public static Vector128<byte> I8x16AvgrU(Vector128<byte> a, Vector128<byte> b) => (a | b) - Vector128.ShiftRightLogical(a ^ b, 1);

    // --- i16x8 arithmetic ---

    /// <summary>Adjacent byte pairs: in each 16-bit lane the low byte is lane 2i and the high byte lane 2i+1.</summary>
    public static Vector128<byte> I16x8ExtaddPairwiseI8x16S(Vector128<byte> a)
    {
        var w = a.AsInt16();
        var even = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(w, 8), 8);
        return (even + Vector128.ShiftRightArithmetic(w, 8)).AsByte();
    }

    public static Vector128<byte> I16x8ExtaddPairwiseI8x16U(Vector128<byte> a)
    {
        var w = a.AsUInt16();
        return ((w & Vector128.Create((ushort)0xFF)) + Vector128.ShiftRightLogical(w, 8)).AsByte();
    }

    public static Vector128<byte> I16x8Abs(Vector128<byte> a) => Vector128.Abs(a.AsInt16()).AsByte();

    public static Vector128<byte> I16x8Neg(Vector128<byte> a) => (Vector128<ushort>.Zero - a.AsUInt16()).AsByte();

    /// <summary>(a * b + 2^14) >> 15 per lane; only -32768 * -32768 overflows, and saturates to 32767.</summary>
    public static Vector128<byte> I16x8Q15mulrSatS(Vector128<byte> a, Vector128<byte> b)
    {
        var round = Vector128.Create(0x4000);
        var low = Vector128.WidenLower(a.AsInt16()) * Vector128.WidenLower(b.AsInt16());
        var high = Vector128.WidenUpper(a.AsInt16()) * Vector128.WidenUpper(b.AsInt16());
        return Vector128.NarrowWithSaturation(
            Vector128.ShiftRightArithmetic(low + round, 15),
            Vector128.ShiftRightArithmetic(high + round, 15)).AsByte();
    }

    public static int I16x8AllTrue(Vector128<byte> a) => Vector128.EqualsAny(a.AsUInt16(), Vector128<ushort>.Zero) ? 0 : 1;

    public static int I16x8Bitmask(Vector128<byte> a) => (int)a.AsInt16().ExtractMostSignificantBits();

    public static Vector128<byte> I16x8NarrowI32x4S(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.NarrowWithSaturation(a.AsInt32(), b.AsInt32()).AsByte();

    public static Vector128<byte> I16x8NarrowI32x4U(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.NarrowWithSaturation(
            Vector128.Max(a.AsInt32(), Vector128<int>.Zero).AsUInt32(),
            Vector128.Max(b.AsInt32(), Vector128<int>.Zero).AsUInt32()).AsByte();

    public static Vector128<byte> I16x8ExtendLowI8x16S(Vector128<byte> a) => Vector128.WidenLower(a.AsSByte()).AsByte();

    public static Vector128<byte> I16x8ExtendHighI8x16S(Vector128<byte> a) => Vector128.WidenUpper(a.AsSByte()).AsByte();

    public static Vector128<byte> I16x8ExtendLowI8x16U(Vector128<byte> a) => Vector128.WidenLower(a).AsByte();

    public static Vector128<byte> I16x8ExtendHighI8x16U(Vector128<byte> a) => Vector128.WidenUpper(a).AsByte();

    public static Vector128<byte> I16x8Shl(Vector128<byte> a, int count) => Vector128.ShiftLeft(a.AsUInt16(), count & 15).AsByte();

    public static Vector128<byte> I16x8ShrS(Vector128<byte> a, int count) => Vector128.ShiftRightArithmetic(a.AsInt16(), count & 15).AsByte();

    public static Vector128<byte> I16x8ShrU(Vector128<byte> a, int count) => Vector128.ShiftRightLogical(a.AsUInt16(), count & 15).AsByte();

    public static Vector128<byte> I16x8Add(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt16() + b.AsUInt16()).AsByte();

    public static Vector128<byte> I16x8AddSatS(Vector128<byte> a, Vector128<byte> b) => Vector128.AddSaturate(a.AsInt16(), b.AsInt16()).AsByte();

    public static Vector128<byte> I16x8AddSatU(Vector128<byte> a, Vector128<byte> b) => Vector128.AddSaturate(a.AsUInt16(), b.AsUInt16()).AsByte();

    public static Vector128<byte> I16x8Sub(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt16() - b.AsUInt16()).AsByte();

    public static Vector128<byte> I16x8SubSatS(Vector128<byte> a, Vector128<byte> b) => Vector128.SubtractSaturate(a.AsInt16(), b.AsInt16()).AsByte();

    public static Vector128<byte> I16x8SubSatU(Vector128<byte> a, Vector128<byte> b) => Vector128.SubtractSaturate(a.AsUInt16(), b.AsUInt16()).AsByte();

    public static Vector128<byte> I16x8Mul(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt16() * b.AsUInt16()).AsByte();

    public static Vector128<byte> I16x8MinS(Vector128<byte> a, Vector128<byte> b) => Vector128.Min(a.AsInt16(), b.AsInt16()).AsByte();

    public static Vector128<byte> I16x8MinU(Vector128<byte> a, Vector128<byte> b) => Vector128.Min(a.AsUInt16(), b.AsUInt16()).AsByte();

    public static Vector128<byte> I16x8MaxS(Vector128<byte> a, Vector128<byte> b) => Vector128.Max(a.AsInt16(), b.AsInt16()).AsByte();

    public static Vector128<byte> I16x8MaxU(Vector128<byte> a, Vector128<byte> b) => Vector128.Max(a.AsUInt16(), b.AsUInt16()).AsByte();

    public static Vector128<byte> I16x8AvgrU(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsUInt16();
        var y = b.AsUInt16();
        return ((x | y) - Vector128.ShiftRightLogical(x ^ y, 1)).AsByte();
    }

    // Extended products always fit the wide lane (at most 2^30 signed, 65535^2 < 2^32 unsigned, and so on up).

    public static Vector128<byte> I16x8ExtmulLowI8x16S(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenLower(a.AsSByte()) * Vector128.WidenLower(b.AsSByte())).AsByte();

    public static Vector128<byte> I16x8ExtmulHighI8x16S(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenUpper(a.AsSByte()) * Vector128.WidenUpper(b.AsSByte())).AsByte();

    public static Vector128<byte> I16x8ExtmulLowI8x16U(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenLower(a) * Vector128.WidenLower(b)).AsByte();

    public static Vector128<byte> I16x8ExtmulHighI8x16U(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenUpper(a) * Vector128.WidenUpper(b)).AsByte();

    // --- i32x4 arithmetic ---

    public static Vector128<byte> I32x4ExtaddPairwiseI16x8S(Vector128<byte> a)
    {
        var w = a.AsInt32();
        var even = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(w, 16), 16);
        return (even + Vector128.ShiftRightArithmetic(w, 16)).AsByte();
    }

    public static Vector128<byte> I32x4ExtaddPairwiseI16x8U(Vector128<byte> a)
    {
        var w = a.AsUInt32();
        return ((w & Vector128.Create(0xFFFFu)) + Vector128.ShiftRightLogical(w, 16)).AsByte();
    }

    public static Vector128<byte> I32x4Abs(Vector128<byte> a) => Vector128.Abs(a.AsInt32()).AsByte();

    public static Vector128<byte> I32x4Neg(Vector128<byte> a) => (Vector128<uint>.Zero - a.AsUInt32()).AsByte();

    public static int I32x4AllTrue(Vector128<byte> a) => Vector128.EqualsAny(a.AsUInt32(), Vector128<uint>.Zero) ? 0 : 1;

    public static int I32x4Bitmask(Vector128<byte> a) => (int)a.AsInt32().ExtractMostSignificantBits();

    public static Vector128<byte> I32x4ExtendLowI16x8S(Vector128<byte> a) => Vector128.WidenLower(a.AsInt16()).AsByte();

    public static Vector128<byte> I32x4ExtendHighI16x8S(Vector128<byte> a) => Vector128.WidenUpper(a.AsInt16()).AsByte();

    public static Vector128<byte> I32x4ExtendLowI16x8U(Vector128<byte> a) => Vector128.WidenLower(a.AsUInt16()).AsByte();

    public static Vector128<byte> I32x4ExtendHighI16x8U(Vector128<byte> a) => Vector128.WidenUpper(a.AsUInt16()).AsByte();

    public static Vector128<byte> I32x4Shl(Vector128<byte> a, int count) => Vector128.ShiftLeft(a.AsUInt32(), count & 31).AsByte();

    public static Vector128<byte> I32x4ShrS(Vector128<byte> a, int count) => Vector128.ShiftRightArithmetic(a.AsInt32(), count & 31).AsByte();

    public static Vector128<byte> I32x4ShrU(Vector128<byte> a, int count) => Vector128.ShiftRightLogical(a.AsUInt32(), count & 31).AsByte();

    public static Vector128<byte> I32x4Add(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt32() + b.AsUInt32()).AsByte();

    public static Vector128<byte> I32x4Sub(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt32() - b.AsUInt32()).AsByte();

    public static Vector128<byte> I32x4Mul(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt32() * b.AsUInt32()).AsByte();

    public static Vector128<byte> I32x4MinS(Vector128<byte> a, Vector128<byte> b) => Vector128.Min(a.AsInt32(), b.AsInt32()).AsByte();

    public static Vector128<byte> I32x4MinU(Vector128<byte> a, Vector128<byte> b) => Vector128.Min(a.AsUInt32(), b.AsUInt32()).AsByte();

    public static Vector128<byte> I32x4MaxS(Vector128<byte> a, Vector128<byte> b) => Vector128.Max(a.AsInt32(), b.AsInt32()).AsByte();

    public static Vector128<byte> I32x4MaxU(Vector128<byte> a, Vector128<byte> b) => Vector128.Max(a.AsUInt32(), b.AsUInt32()).AsByte();

    /// <summary>
    /// Products of adjacent signed 16-bit pairs, summed into 32 bits. The sum wraps in exactly one case
    /// (all four inputs -32768: 2^31 becomes -2^31), which the spec also defines as wrapping.
    /// </summary>
    /// <summary>Relaxed SIMD's dot product of bytes: b's bytes read as signed (the spec lets a 7-bit b be read
    /// either way), each pair of products summed into an i16 lane, wrapping.</summary>
    public static Vector128<byte> I16x8RelaxedDotI8x16I7x16S(Vector128<byte> a, Vector128<byte> b)
    {
        var (aLow, aHigh) = Vector128.Widen(a.AsSByte());
        var (bLow, bHigh) = Vector128.Widen(b.AsSByte());
        var low = aLow * bLow;
        var high = aHigh * bHigh;
        // Adjacent lanes: the even ones of each half plus the odd ones.
        var sums = Vector128.Create(
            (short)(low[0] + low[1]), (short)(low[2] + low[3]), (short)(low[4] + low[5]), (short)(low[6] + low[7]),
            (short)(high[0] + high[1]), (short)(high[2] + high[3]), (short)(high[4] + high[5]), (short)(high[6] + high[7]));
        return sums.AsByte();
    }

    /// <summary>The i32 form: each four byte products (b signed) summed, plus c's lane, wrapping.</summary>
    public static Vector128<byte> I32x4RelaxedDotI8x16I7x16AddS(Vector128<byte> a, Vector128<byte> b, Vector128<byte> c)
    {
        var pairs = I16x8RelaxedDotI8x16I7x16S(a, b).AsInt16();
        var (low, high) = Vector128.Widen(pairs);
        var sums = Vector128.Create(low[0] + low[1], low[2] + low[3], high[0] + high[1], high[2] + high[3]);
        return (sums + c.AsInt32()).AsByte();
    }

    public static Vector128<byte> I32x4DotI16x8S(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsInt32();
        var y = b.AsInt32();
        var evenX = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(x, 16), 16);
        var evenY = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(y, 16), 16);
        var oddX = Vector128.ShiftRightArithmetic(x, 16);
        var oddY = Vector128.ShiftRightArithmetic(y, 16);
        return ((evenX * evenY) + (oddX * oddY)).AsByte();
    }

    public static Vector128<byte> I32x4ExtmulLowI16x8S(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenLower(a.AsInt16()) * Vector128.WidenLower(b.AsInt16())).AsByte();

    public static Vector128<byte> I32x4ExtmulHighI16x8S(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenUpper(a.AsInt16()) * Vector128.WidenUpper(b.AsInt16())).AsByte();

    public static Vector128<byte> I32x4ExtmulLowI16x8U(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenLower(a.AsUInt16()) * Vector128.WidenLower(b.AsUInt16())).AsByte();

    public static Vector128<byte> I32x4ExtmulHighI16x8U(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenUpper(a.AsUInt16()) * Vector128.WidenUpper(b.AsUInt16())).AsByte();

    // --- i64x2 arithmetic ---

    public static Vector128<byte> I64x2Abs(Vector128<byte> a) => Vector128.Abs(a.AsInt64()).AsByte();

    public static Vector128<byte> I64x2Neg(Vector128<byte> a) => (Vector128<ulong>.Zero - a.AsUInt64()).AsByte();

    public static int I64x2AllTrue(Vector128<byte> a) => Vector128.EqualsAny(a.AsUInt64(), Vector128<ulong>.Zero) ? 0 : 1;

    public static int I64x2Bitmask(Vector128<byte> a) => (int)a.AsInt64().ExtractMostSignificantBits();

    public static Vector128<byte> I64x2ExtendLowI32x4S(Vector128<byte> a) => Vector128.WidenLower(a.AsInt32()).AsByte();

    public static Vector128<byte> I64x2ExtendHighI32x4S(Vector128<byte> a) => Vector128.WidenUpper(a.AsInt32()).AsByte();

    public static Vector128<byte> I64x2ExtendLowI32x4U(Vector128<byte> a) => Vector128.WidenLower(a.AsUInt32()).AsByte();

    public static Vector128<byte> I64x2ExtendHighI32x4U(Vector128<byte> a) => Vector128.WidenUpper(a.AsUInt32()).AsByte();

    public static Vector128<byte> I64x2Shl(Vector128<byte> a, int count) => Vector128.ShiftLeft(a.AsUInt64(), count & 63).AsByte();

    public static Vector128<byte> I64x2ShrS(Vector128<byte> a, int count) => Vector128.ShiftRightArithmetic(a.AsInt64(), count & 63).AsByte();

    public static Vector128<byte> I64x2ShrU(Vector128<byte> a, int count) => Vector128.ShiftRightLogical(a.AsUInt64(), count & 63).AsByte();

    public static Vector128<byte> I64x2Add(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt64() + b.AsUInt64()).AsByte();

    public static Vector128<byte> I64x2Sub(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt64() - b.AsUInt64()).AsByte();

    public static Vector128<byte> I64x2Mul(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt64() * b.AsUInt64()).AsByte();

    public static Vector128<byte> I64x2ExtmulLowI32x4S(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenLower(a.AsInt32()) * Vector128.WidenLower(b.AsInt32())).AsByte();

    public static Vector128<byte> I64x2ExtmulHighI32x4S(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenUpper(a.AsInt32()) * Vector128.WidenUpper(b.AsInt32())).AsByte();

    public static Vector128<byte> I64x2ExtmulLowI32x4U(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenLower(a.AsUInt32()) * Vector128.WidenLower(b.AsUInt32())).AsByte();

    public static Vector128<byte> I64x2ExtmulHighI32x4U(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenUpper(a.AsUInt32()) * Vector128.WidenUpper(b.AsUInt32())).AsByte();

    // --- f32x4 arithmetic (spec 4.3.3, lane-wise) ---
    // add/sub/mul/div/sqrt are the IEEE operations in hardware: a NaN input comes out quieted (an arithmetic
    // NaN) and an invalid operation on non-NaNs gives the default NaN, which is canonical (sign either way).
    // abs and neg are bit operations that keep NaN payloads; min and max handle NaN and ±0 lanes explicitly.

    public static Vector128<byte> F32x4Abs(Vector128<byte> a) => Vector128.AndNot(a.AsUInt32(), Vector128.Create(F32SignBit)).AsByte();

    public static Vector128<byte> F32x4Neg(Vector128<byte> a) => (a.AsUInt32() ^ Vector128.Create(F32SignBit)).AsByte();

    public static Vector128<byte> F32x4Sqrt(Vector128<byte> a) => Vector128.Sqrt(a.AsSingle()).AsByte();

    public static Vector128<byte> F32x4Add(Vector128<byte> a, Vector128<byte> b) => (a.AsSingle() + b.AsSingle()).AsByte();

    public static Vector128<byte> F32x4Sub(Vector128<byte> a, Vector128<byte> b) => (a.AsSingle() - b.AsSingle()).AsByte();

    public static Vector128<byte> F32x4Mul(Vector128<byte> a, Vector128<byte> b) => (a.AsSingle() * b.AsSingle()).AsByte();

    public static Vector128<byte> F32x4Div(Vector128<byte> a, Vector128<byte> b) => (a.AsSingle() / b.AsSingle()).AsByte();

    /// <summary>
    /// NaN if either lane is NaN, and -0 &lt; +0. Not x86 minps (which returns the second operand for NaN and for
    /// ±0), nor Vector128.Min (it matches only on AVX-512: SimdTests fail with it under DOTNET_EnableAVX512=0).
    /// Equal lanes are OR-ed so -0 wins, and NaN lanes take a + b, which propagates a NaN operand, quieted.
    /// </summary>
    public static Vector128<byte> F32x4Min(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsSingle();
        var y = b.AsSingle();
        var min = Vector128.ConditionalSelect(Vector128.Equals(x, y), x | y, Vector128.ConditionalSelect(Vector128.LessThan(x, y), x, y));
        return Vector128.ConditionalSelect(Ordered(x, y), min, x + y).AsByte();
    }

    /// <summary>Like <see cref="F32x4Min"/>, with equal lanes AND-ed so +0 wins.</summary>
    public static Vector128<byte> F32x4Max(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsSingle();
        var y = b.AsSingle();
        var max = Vector128.ConditionalSelect(Vector128.Equals(x, y), x & y, Vector128.ConditionalSelect(Vector128.GreaterThan(x, y), x, y));
        return Vector128.ConditionalSelect(Ordered(x, y), max, x + y).AsByte();
    }

    /// <summary>b &lt; a ? b : a, taken literally: a NaN in either lane gives a, and ±0 gives a.</summary>
    public static Vector128<byte> F32x4Pmin(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.ConditionalSelect(Vector128.LessThan(b.AsSingle(), a.AsSingle()).AsByte(), b, a);

    /// <summary>a &lt; b ? b : a, taken literally.</summary>
    public static Vector128<byte> F32x4Pmax(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.ConditionalSelect(Vector128.LessThan(a.AsSingle(), b.AsSingle()).AsByte(), b, a);

    // roundps/frint*: the sign survives (ceil(-0.5) = -0) and a NaN comes out quieted, as the spec requires; the
    // software fallback (MathF per lane) does the same (SimdTests pass with DOTNET_EnableHWIntrinsic=0).

    public static Vector128<byte> F32x4Ceil(Vector128<byte> a) => Vector128.Ceiling(a.AsSingle()).AsByte();

    public static Vector128<byte> F32x4Floor(Vector128<byte> a) => Vector128.Floor(a.AsSingle()).AsByte();

    public static Vector128<byte> F32x4Trunc(Vector128<byte> a) => Vector128.Truncate(a.AsSingle()).AsByte();

    /// <summary>Vector128.Round rounds half to even (roundps mode 0 on x86).</summary>
    public static Vector128<byte> F32x4Nearest(Vector128<byte> a) => Vector128.Round(a.AsSingle()).AsByte();

    // --- f64x2 arithmetic ---

    public static Vector128<byte> F64x2Abs(Vector128<byte> a) => Vector128.AndNot(a.AsUInt64(), Vector128.Create(F64SignBit)).AsByte();

    public static Vector128<byte> F64x2Neg(Vector128<byte> a) => (a.AsUInt64() ^ Vector128.Create(F64SignBit)).AsByte();

    public static Vector128<byte> F64x2Sqrt(Vector128<byte> a) => Vector128.Sqrt(a.AsDouble()).AsByte();

    public static Vector128<byte> F64x2Add(Vector128<byte> a, Vector128<byte> b) => (a.AsDouble() + b.AsDouble()).AsByte();

    public static Vector128<byte> F64x2Sub(Vector128<byte> a, Vector128<byte> b) => (a.AsDouble() - b.AsDouble()).AsByte();

    public static Vector128<byte> F64x2Mul(Vector128<byte> a, Vector128<byte> b) => (a.AsDouble() * b.AsDouble()).AsByte();

    public static Vector128<byte> F64x2Div(Vector128<byte> a, Vector128<byte> b) => (a.AsDouble() / b.AsDouble()).AsByte();

    public static Vector128<byte> F64x2Min(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsDouble();
        var y = b.AsDouble();
        var min = Vector128.ConditionalSelect(Vector128.Equals(x, y), x | y, Vector128.ConditionalSelect(Vector128.LessThan(x, y), x, y));
        return Vector128.ConditionalSelect(Ordered(x, y), min, x + y).AsByte();
    }

    public static Vector128<byte> F64x2Max(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsDouble();
        var y = b.AsDouble();
        var max = Vector128.ConditionalSelect(Vector128.Equals(x, y), x & y, Vector128.ConditionalSelect(Vector128.GreaterThan(x, y), x, y));
        return Vector128.ConditionalSelect(Ordered(x, y), max, x + y).AsByte();
    }

    public static Vector128<byte> F64x2Pmin(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.ConditionalSelect(Vector128.LessThan(b.AsDouble(), a.AsDouble()).AsByte(), b, a);

    public static Vector128<byte> F64x2Pmax(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.ConditionalSelect(Vector128.LessThan(a.AsDouble(), b.AsDouble()).AsByte(), b, a);

    public static Vector128<byte> F64x2Ceil(Vector128<byte> a) => Vector128.Ceiling(a.AsDouble()).AsByte();

    public static Vector128<byte> F64x2Floor(Vector128<byte> a) => Vector128.Floor(a.AsDouble()).AsByte();

    public static Vector128<byte> F64x2Trunc(Vector128<byte> a) => Vector128.Truncate(a.AsDouble()).AsByte();

    public static Vector128<byte> F64x2Nearest(Vector128<byte> a) => Vector128.Round(a.AsDouble()).AsByte();

    // --- conversions (spec 4.3.4, lane-wise) ---

    // Since .NET 9 Vector128.ConvertToInt32/ConvertToUInt32 saturate and map NaN to 0 on every platform (the
    // platform-specific behaviour moved to ConvertTo*Native), which is trunc_sat exactly; u32 -> f32 rounds once
    // also where it is emulated (no AVX-512). SimdTests pass on this machine's AVX-512 path and with
    // DOTNET_EnableAVX512=0, DOTNET_EnableAVX=0 (the SSE4.2 path) and DOTNET_EnableHWIntrinsic=0.

    public static Vector128<byte> I32x4TruncSatF32x4S(Vector128<byte> a) => Vector128.ConvertToInt32(a.AsSingle()).AsByte();

    public static Vector128<byte> I32x4TruncSatF32x4U(Vector128<byte> a) => Vector128.ConvertToUInt32(a.AsSingle()).AsByte();

    public static Vector128<byte> F32x4ConvertI32x4S(Vector128<byte> a) => Vector128.ConvertToSingle(a.AsInt32()).AsByte();

    public static Vector128<byte> F32x4ConvertI32x4U(Vector128<byte> a) => Vector128.ConvertToSingle(a.AsUInt32()).AsByte();

    public static Vector128<byte> I32x4TruncSatF64x2SZero(Vector128<byte> a)
    {
        var d = a.AsDouble();
        return Vector128.Create(Numerics.I32TruncSatF64S(d.GetElement(0)), Numerics.I32TruncSatF64S(d.GetElement(1)), 0, 0).AsByte();
    }

    public static Vector128<byte> I32x4TruncSatF64x2UZero(Vector128<byte> a)
    {
        var d = a.AsDouble();
        return Vector128.Create(Numerics.I32TruncSatF64U(d.GetElement(0)), Numerics.I32TruncSatF64U(d.GetElement(1)), 0, 0).AsByte();
    }

    /// <summary>Every i32 and u32 is exact in f64.</summary>
    public static Vector128<byte> F64x2ConvertLowI32x4S(Vector128<byte> a)
    {
        var i = a.AsInt32();
        return Vector128.Create((double)i.GetElement(0), i.GetElement(1)).AsByte();
    }

    public static Vector128<byte> F64x2ConvertLowI32x4U(Vector128<byte> a)
    {
        var u = a.AsUInt32();
        return Vector128.Create((double)u.GetElement(0), u.GetElement(1)).AsByte();
    }

    public static Vector128<byte> F32x4DemoteF64x2Zero(Vector128<byte> a)
    {
        var d = a.AsDouble();
        return Vector128.Create(Numerics.F32DemoteF64(d.GetElement(0)), Numerics.F32DemoteF64(d.GetElement(1)), 0f, 0f).AsByte();
    }

    public static Vector128<byte> F64x2PromoteLowF32x4(Vector128<byte> a)
    {
        var f = a.AsSingle();
        return Vector128.Create(Numerics.F64PromoteF32(f.GetElement(0)), Numerics.F64PromoteF32(f.GetElement(1))).AsByte();
    }

    // --- helpers ---

    /// <summary>All-ones lanes where neither operand is NaN.</summary>
    private static Vector128<float> Ordered(Vector128<float> x, Vector128<float> y) => Vector128.Equals(x, x) & Vector128.Equals(y, y);

    private static Vector128<double> Ordered(Vector128<double> x, Vector128<double> y) => Vector128.Equals(x, x) & Vector128.Equals(y, y);
}
