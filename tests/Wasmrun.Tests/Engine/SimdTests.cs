// Simd checked against an independent lane-by-lane reference on seeded random inputs rich in edge values, against
// the spec suite's expectations for every single-instruction function of simd_*.wast, and against the opcode table.
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Text;
using Wasmrun.Engine;
using Wasmrun.Engine.Execute;
using Wasmrun.Engine.Text;
using Wasmrun.Tests.Spec;
using Wasmrun.Wast;

namespace Wasmrun.Tests.Engine;

public sealed class SimdTests
{
    /// <summary>Every 0xFD row of Opcodes.txt except v128.load, v128.store and v128.const, as its method name, in table order.</summary>
    private static readonly string[] ExpectedMethods =
    [
        "V128Load8x8S", "V128Load8x8U", "V128Load16x4S", "V128Load16x4U", "V128Load32x2S", "V128Load32x2U",
        "V128Load8Splat", "V128Load16Splat", "V128Load32Splat", "V128Load64Splat", "I8x16Shuffle", "I8x16Swizzle",
        "I8x16Splat", "I16x8Splat", "I32x4Splat", "I64x2Splat", "F32x4Splat", "F64x2Splat", "I8x16ExtractLaneS",
        "I8x16ExtractLaneU", "I8x16ReplaceLane", "I16x8ExtractLaneS", "I16x8ExtractLaneU", "I16x8ReplaceLane",
        "I32x4ExtractLane", "I32x4ReplaceLane", "I64x2ExtractLane", "I64x2ReplaceLane", "F32x4ExtractLane",
        "F32x4ReplaceLane", "F64x2ExtractLane", "F64x2ReplaceLane", "I8x16Eq", "I8x16Ne", "I8x16LtS", "I8x16LtU",
        "I8x16GtS", "I8x16GtU", "I8x16LeS", "I8x16LeU", "I8x16GeS", "I8x16GeU", "I16x8Eq", "I16x8Ne", "I16x8LtS",
        "I16x8LtU", "I16x8GtS", "I16x8GtU", "I16x8LeS", "I16x8LeU", "I16x8GeS", "I16x8GeU", "I32x4Eq", "I32x4Ne",
        "I32x4LtS", "I32x4LtU", "I32x4GtS", "I32x4GtU", "I32x4LeS", "I32x4LeU", "I32x4GeS", "I32x4GeU", "F32x4Eq",
        "F32x4Ne", "F32x4Lt", "F32x4Gt", "F32x4Le", "F32x4Ge", "F64x2Eq", "F64x2Ne", "F64x2Lt", "F64x2Gt", "F64x2Le",
        "F64x2Ge", "V128Not", "V128And", "V128Andnot", "V128Or", "V128Xor", "V128Bitselect", "V128AnyTrue",
        "V128Load8Lane", "V128Load16Lane", "V128Load32Lane", "V128Load64Lane", "V128Store8Lane", "V128Store16Lane",
        "V128Store32Lane", "V128Store64Lane", "V128Load32Zero", "V128Load64Zero", "F32x4DemoteF64x2Zero",
        "F64x2PromoteLowF32x4", "I8x16Abs", "I8x16Neg", "I8x16Popcnt", "I8x16AllTrue", "I8x16Bitmask",
        "I8x16NarrowI16x8S", "I8x16NarrowI16x8U", "F32x4Ceil", "F32x4Floor", "F32x4Trunc", "F32x4Nearest", "I8x16Shl",
        "I8x16ShrS", "I8x16ShrU", "I8x16Add", "I8x16AddSatS", "I8x16AddSatU", "I8x16Sub", "I8x16SubSatS",
        "I8x16SubSatU", "F64x2Ceil", "F64x2Floor", "I8x16MinS", "I8x16MinU", "I8x16MaxS", "I8x16MaxU", "F64x2Trunc",
        "I8x16AvgrU", "I16x8ExtaddPairwiseI8x16S", "I16x8ExtaddPairwiseI8x16U", "I32x4ExtaddPairwiseI16x8S",
        "I32x4ExtaddPairwiseI16x8U", "I16x8Abs", "I16x8Neg", "I16x8Q15mulrSatS", "I16x8AllTrue", "I16x8Bitmask",
        "I16x8NarrowI32x4S", "I16x8NarrowI32x4U", "I16x8ExtendLowI8x16S", "I16x8ExtendHighI8x16S",
        "I16x8ExtendLowI8x16U", "I16x8ExtendHighI8x16U", "I16x8Shl", "I16x8ShrS", "I16x8ShrU", "I16x8Add",
        "I16x8AddSatS", "I16x8AddSatU", "I16x8Sub", "I16x8SubSatS", "I16x8SubSatU", "F64x2Nearest", "I16x8Mul",
        "I16x8MinS", "I16x8MinU", "I16x8MaxS", "I16x8MaxU", "I16x8AvgrU", "I16x8ExtmulLowI8x16S",
        "I16x8ExtmulHighI8x16S", "I16x8ExtmulLowI8x16U", "I16x8ExtmulHighI8x16U", "I32x4Abs", "I32x4Neg",
        "I32x4AllTrue", "I32x4Bitmask", "I32x4ExtendLowI16x8S", "I32x4ExtendHighI16x8S", "I32x4ExtendLowI16x8U",
        "I32x4ExtendHighI16x8U", "I32x4Shl", "I32x4ShrS", "I32x4ShrU", "I32x4Add", "I32x4Sub", "I32x4Mul", "I32x4MinS",
        "I32x4MinU", "I32x4MaxS", "I32x4MaxU", "I32x4DotI16x8S", "I32x4ExtmulLowI16x8S", "I32x4ExtmulHighI16x8S",
        "I32x4ExtmulLowI16x8U", "I32x4ExtmulHighI16x8U", "I64x2Abs", "I64x2Neg", "I64x2AllTrue", "I64x2Bitmask",
        "I64x2ExtendLowI32x4S", "I64x2ExtendHighI32x4S", "I64x2ExtendLowI32x4U", "I64x2ExtendHighI32x4U", "I64x2Shl",
        "I64x2ShrS", "I64x2ShrU", "I64x2Add", "I64x2Sub", "I64x2Mul", "I64x2Eq", "I64x2Ne", "I64x2LtS", "I64x2GtS",
        "I64x2LeS", "I64x2GeS", "I64x2ExtmulLowI32x4S", "I64x2ExtmulHighI32x4S", "I64x2ExtmulLowI32x4U",
        "I64x2ExtmulHighI32x4U", "F32x4Abs", "F32x4Neg", "F32x4Sqrt", "F32x4Add", "F32x4Sub", "F32x4Mul", "F32x4Div",
        "F32x4Min", "F32x4Max", "F32x4Pmin", "F32x4Pmax", "F64x2Abs", "F64x2Neg", "F64x2Sqrt", "F64x2Add", "F64x2Sub",
        "F64x2Mul", "F64x2Div", "F64x2Min", "F64x2Max", "F64x2Pmin", "F64x2Pmax", "I32x4TruncSatF32x4S",
        "I32x4TruncSatF32x4U", "F32x4ConvertI32x4S", "F32x4ConvertI32x4U", "I32x4TruncSatF64x2SZero",
        "I32x4TruncSatF64x2UZero", "F64x2ConvertLowI32x4S", "F64x2ConvertLowI32x4U",
        // relaxed SIMD's own methods; its other rows call the strict ones (their exec is a Simd.X expression)
        "I16x8RelaxedDotI8x16I7x16S", "I32x4RelaxedDotI8x16I7x16AddS",
    ];

    public static IEnumerable<string> Methods() => SimdCases.All.Select(c => c.Method);

    [Test]
    public async Task Every_simd_row_of_the_opcode_table_has_one_method_and_a_reference()
    {
        var fromTable = OpcodeRows.Load()
            .Where(row => row.Encoding.StartsWith("0xFD ", StringComparison.Ordinal) && row.Mnemonic is not ("v128.load" or "v128.store" or "v128.const")
                && !row.Exec.StartsWith("Simd.", StringComparison.Ordinal))
            .Select(row => OpcodeRows.MethodName(row.Mnemonic))
            .ToList();
        await Assert.That(string.Join(" ", fromTable)).IsEqualTo(string.Join(" ", ExpectedMethods));

        // Each case names its method with nameof(Simd.X), so the compiler has checked that every method exists.
        var tested = SimdCases.All.Select(c => c.Method).ToList();
        await Assert.That(tested.Except(ExpectedMethods).ToList()).IsEmpty();
        await Assert.That(ExpectedMethods.Except(tested).ToList()).IsEmpty();
        await Assert.That(tested.Distinct().Count()).IsEqualTo(tested.Count);
    }

    [Test]
    [MethodDataSource(nameof(Methods))]
    public async Task Matches_the_lane_by_lane_reference(string method)
    {
        await Assert.That(SimdCases.ByMethod[method].Run(1000)).IsEmpty();
    }

    [Test]
    public async Task Matches_the_spec_suite_on_its_single_instruction_functions()
    {
        if (SpecSuite.ScriptDirectory is null)
        {
            Skip.Test(SpecSuite.MissingMessage);
        }
        var scripts = Directory.EnumerateFiles(SpecSuite.ScriptDirectory!, "simd_*.wast").Order(StringComparer.Ordinal);
        var outcome = SpecVectors.Run(scripts, mnemonic =>
            SimdCases.ByMethod.TryGetValue(OpcodeRows.MethodName(mnemonic), out var found) ? (args, imm) => found.Actual(args, imm) : null);
        await Assert.That(outcome.Failures).IsEmpty();
        // Measured: 22,798 of the 24,327 assertions of simd_*.json call a single instruction (the rest go through
        // memory or several instructions); a collapse means the reader stopped recognising them.
        await Assert.That(outcome.Checked).IsGreaterThan(22_500);
    }

    [Test]
    public async Task Shuffle_and_swizzle_pick_lanes_and_zero_out_of_range_indices()
    {
        var a = Bytes(Enumerable.Range(0, 16).Select(i => (byte)(0x10 + i)));
        var b = Bytes(Enumerable.Range(0, 16).Select(i => (byte)(0x20 + i)));
        var reversed = Bytes(Enumerable.Range(0, 16).Select(i => (byte)(31 - i)));
        await Assert.That(Hex(Simd.I8x16Shuffle(a, b, reversed))).IsEqualTo("2f2e2d2c2b2a29282726252423222120");
        var mixed = Bytes([0, 16, 1, 17, 15, 31, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22]);
        await Assert.That(Hex(Simd.I8x16Shuffle(a, b, mixed))).IsEqualTo("102011211f2f12221323142415251626");
        var indices = Bytes([0, 15, 16, 17, 31, 32, 127, 128, 255, 1, 2, 3, 4, 5, 6, 7]);
        await Assert.That(Hex(Simd.I8x16Swizzle(a, indices))).IsEqualTo("101f0000000000000011121314151617");
    }

    [Test]
    public async Task Saturating_and_rounding_integer_lanes_follow_the_spec_tests()
    {
        // simd_i16x8_q15mulr_sat_s.wast: -32768 * -32768 saturates; 16384 * 16384 rounds to 8192.
        var q15 = Simd.I16x8Q15mulrSatS(I16(-32768, 16384, -16385, 1, 32767, -1, 16383, 0), I16(-32768, 16384, 16384, 1, 32767, -1, 16384, 5));
        await Assert.That(Lanes16(q15)).IsEqualTo("32767 8192 -8192 0 32766 0 8192 0");
        // simd_i16x8_sat_arith.wast and simd_i8x16_arith2.wast
        await Assert.That(Lanes16(Simd.I16x8AddSatS(I16(32767, -32768, 1, -1, 0, 0, 0, 0), I16(1, -1, 32767, -32768, 0, 0, 0, 0))))
            .IsEqualTo("32767 -32768 32767 -32768 0 0 0 0");
        await Assert.That(Hex(Simd.I8x16AvgrU(Vector128.Create((byte)255), Vector128.Create((byte)254)))).IsEqualTo(string.Concat(Enumerable.Repeat("ff", 16)));
        await Assert.That(Hex(Simd.I8x16Popcnt(Bytes([0, 1, 0x80, 0xFF, 0x55, 0xAA, 0x0F, 0xF0, 7, 0, 0, 0, 0, 0, 0, 0]))))
            .IsEqualTo("00010108040404040300000000000000");
        await Assert.That(Hex(Simd.I8x16NarrowI16x8U(I16(-1, 256, 255, 128, -32768, 32767, 0, 1), I16(0, 0, 0, 0, 0, 0, 0, 0))))
            .IsEqualTo("00ffff8000ff00010000000000000000");
        // All four products -32768 * -32768 sum to 2^31, which wraps.
        await Assert.That(Simd.I32x4DotI16x8S(I16(-32768, -32768, 0, 0, 0, 0, 0, 0), I16(-32768, -32768, 0, 0, 0, 0, 0, 0)).AsInt32().GetElement(0))
            .IsEqualTo(int.MinValue);
        await Assert.That(Simd.I8x16Bitmask(Bytes([0x80, 0, 0xFF, 0x7F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x81]))).IsEqualTo(0x8005);
        await Assert.That(Lanes16(Simd.I16x8Shl(I16(1, -1, 0, 0, 0, 0, 0, 0), 17))).IsEqualTo("2 -2 0 0 0 0 0 0");
    }

    [Test]
    public async Task Float_lanes_follow_the_spec_rules_for_zeros_ties_and_nans()
    {
        var nan = BitConverter.UInt32BitsToSingle(0x7FC0_0000);
        var nearest = Simd.F32x4Nearest(F32(0.5f, 1.5f, 2.5f, -0.5f)).AsUInt32();
        await Assert.That(nearest.ToString()).IsEqualTo(Vector128.Create(0u, 0x4000_0000, 0x4000_0000, 0x8000_0000).ToString());
        var min = Simd.F32x4Min(F32(0f, -0f, 1f, nan), F32(-0f, 0f, float.NegativeInfinity, 1f)).AsUInt32();
        await Assert.That(min.GetElement(0)).IsEqualTo(0x8000_0000u);
        await Assert.That(min.GetElement(1)).IsEqualTo(0x8000_0000u);
        await Assert.That(min.GetElement(2)).IsEqualTo(0xFF80_0000u);
        await Assert.That(min.GetElement(3) & 0x7FFF_FFFF).IsEqualTo(0x7FC0_0000u);
        // The signalling NaN is built as integer lanes: an optimised build would quieten a folded double constant.
        var max = Simd.F64x2Max(F64(-0.0, 2.0), Vector128.Create(0UL, 0x7FF0_0000_0000_0001UL).AsByte()).AsUInt64();
        await Assert.That(max.GetElement(0)).IsEqualTo(0UL);
        await Assert.That(max.GetElement(1)).IsEqualTo(0x7FF8_0000_0000_0001UL); // the signalling NaN comes out quieted
        // 0/0 and sqrt(-1) have no NaN operand, so they must give the canonical NaN.
        var quotient = Simd.F32x4Div(F32(0f, 1f, -1f, 0f), F32(0f, 0f, 0f, 2f)).AsUInt32();
        await Assert.That(quotient.GetElement(0) & 0x7FFF_FFFF).IsEqualTo(0x7FC0_0000u);
        await Assert.That(quotient.GetElement(1)).IsEqualTo(0x7F80_0000u);
        await Assert.That(Simd.F64x2Sqrt(F64(-1.0, 4.0)).AsUInt64().GetElement(0) & 0x7FFF_FFFF_FFFF_FFFF).IsEqualTo(0x7FF8_0000_0000_0000UL);
        // pmin is b < a ? b : a exactly: a NaN or an equal zero in b never wins.
        var pmin = Simd.F32x4Pmin(F32(nan, 0f, 2f, 1f), F32(1f, -0f, nan, -1f)).AsUInt32();
        await Assert.That(pmin.ToString()).IsEqualTo(Vector128.Create(0x7FC0_0000, 0u, 0x4000_0000, 0xBF80_0000).ToString());
        // abs and neg touch the sign bit only, even of a signalling NaN.
        await Assert.That(Simd.F32x4Neg(Vector128.Create(0x7F80_0001u).AsByte()).AsUInt32().GetElement(0)).IsEqualTo(0xFF80_0001u);
    }

    [Test]
    public async Task Conversions_saturate_round_once_and_keep_nan_payloads()
    {
        var nan = BitConverter.UInt32BitsToSingle(0x7FC0_0000);
        var truncU = Simd.I32x4TruncSatF32x4U(F32(-1f, -nan, 4294967296f, 4294967040f)).AsUInt32();
        await Assert.That(truncU.ToString()).IsEqualTo(Vector128.Create(0u, 0u, uint.MaxValue, 4294967040u).ToString());
        var truncS = Simd.I32x4TruncSatF64x2SZero(F64(-2147483648.9, 1e10)).AsInt32();
        await Assert.That(truncS.ToString()).IsEqualTo(Vector128.Create(int.MinValue, int.MaxValue, 0, 0).ToString());
        // 0xFFFFFFFF rounds up to 2^32; 0x01000001 = 2^24 + 1 is a tie that rounds to even (2^24).
        var convert = Simd.F32x4ConvertI32x4U(Vector128.Create(uint.MaxValue, 0x0100_0001u, 0x0100_0003u, 0x8000_0080u).AsByte()).AsSingle();
        await Assert.That(convert.ToString()).IsEqualTo(Vector128.Create(4294967296f, 16777216f, 16777220f, 2147483648f).ToString());
        var demoted = Simd.F32x4DemoteF64x2Zero(Vector128.Create(0x7FF4_0000_0000_0000UL, BitConverter.DoubleToUInt64Bits(1e300)).AsByte()).AsUInt32();
        await Assert.That(demoted.ToString()).IsEqualTo(Vector128.Create(0x7FE0_0000u, 0x7F80_0000u, 0u, 0u).ToString());
        var promoted = Simd.F64x2PromoteLowF32x4(Vector128.Create(0xFFA0_0000u, 0x7FC0_0000u, 0x3F80_0000u, 0u).AsByte()).AsUInt64();
        await Assert.That(promoted.GetElement(0)).IsEqualTo(0xFFFC_0000_0000_0000UL);
        await Assert.That(promoted.GetElement(1)).IsEqualTo(0x7FF8_0000_0000_0000UL);
    }

    private static Vector128<byte> Bytes(IEnumerable<byte> bytes) => Vector128.Create(bytes.ToArray());

    private static Vector128<byte> I16(params short[] lanes) => Vector128.Create(lanes).AsByte();

    private static Vector128<byte> F32(float a, float b, float c, float d) => Vector128.Create(a, b, c, d).AsByte();

    private static Vector128<byte> F64(double a, double b) => Vector128.Create(a, b).AsByte();

    private static string Lanes16(Vector128<byte> v) => string.Join(" ", Enumerable.Range(0, 8).Select(i => v.AsInt16().GetElement(i)));

    private static string Hex(Vector128<byte> v) => Convert.ToHexStringLower(LaneData.ToBytes(v));
}

/// <summary>The lane layout a reference reads or writes: width, signedness, and which random values suit it.</summary>
internal sealed record Lanes(int Bytes, bool Signed, Flavor Flavor)
{
    public int Count => 16 / Bytes;

    public int Bits => Bytes * 8;

    // Saturation bounds, used for lanes of at most 32 bits (no instruction saturates 64-bit lanes).
    public long Min => Signed ? -(1L << (Bits - 1)) : 0;

    public long Max => Signed ? (1L << (Bits - 1)) - 1 : (1L << Bits) - 1;
}

/// <summary>What random lanes to favour for an operation's inputs.</summary>
internal enum Flavor
{
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
    Index,
}

/// <summary>The kinds of operands an operation takes; scalars travel in the low bytes of a 16-byte value.</summary>
internal enum Arg
{
    V128,
    Indices,
    I32,
    I64,
    F32,
    F64,
    Count,
    U8,
    U16,
    U32,
    U64,
}

/// <summary>How a result is compared: bit for bit, or with the NaN-class rules on f32 or f64 lanes.</summary>
internal enum Shape
{
    Exact,
    F32,
    F64,
}

internal enum LaneMode
{
    Exact,
    CanonicalNaN,
    ArithmeticNaN,
}

/// <summary>One Simd method: how to call it, its operand kinds, and its independent reference on plain byte arrays.</summary>
internal sealed record SimdCase(
    string Method,
    Arg[] Args,
    int Immediate,
    Flavor Flavor,
    Shape Result,
    Func<Vector128<byte>[], byte[], Vector128<byte>> Actual,
    Func<byte[][], byte[], byte[]> Reference)
{
    /// <summary>Immediate value meaning "16 shuffle lane indices" rather than one lane index below N.</summary>
    public const int Shuffle = -1;

    public List<string> Run(int iterations)
    {
        var failures = new List<string>();
        var rng = new Rng(LaneData.Seed(Method));
        for (var i = 0; i < iterations && failures.Count < 5; i++)
        {
            var args = new byte[Args.Length][];
            var vectors = new Vector128<byte>[Args.Length];
            for (var a = 0; a < args.Length; a++)
            {
                args[a] = LaneData.Operand(rng, Args[a], Flavor);
            }
            if (Args.Length >= 2 && Args[0] == Arg.V128 && Args[1] == Arg.V128 && rng.Chance(50))
            {
                LaneData.Correlate(rng, args[0], args[1], Flavor);
            }
            byte[] immediate = Immediate switch
            {
                0 => [],
                Shuffle => Enumerable.Range(0, 16).Select(_ => (byte)rng.Below(32)).ToArray(),
                _ => [(byte)rng.Below(Immediate)],
            };
            for (var a = 0; a < args.Length; a++)
            {
                vectors[a] = LaneData.ToVector(args[a]);
            }
            var expected = Reference(args, immediate);
            var actual = LaneData.ToBytes(Actual(vectors, immediate));
            var (modes, laneBytes) = LaneData.Modes(expected, Result);
            var problem = LaneData.Compare(expected, actual, modes, laneBytes);
            if (problem is not null)
            {
                var inputs = string.Join(", ", args.Select(Convert.ToHexStringLower));
                failures.Add($"{Method}({inputs}{(immediate.Length > 0 ? " imm " + Convert.ToHexStringLower(immediate) : "")}) = {Convert.ToHexStringLower(actual)}, expected {Convert.ToHexStringLower(expected)}: {problem}");
            }
        }
        return failures;
    }
}

/// <summary>
/// The reference: each case recomputes its instruction from the spec's definition, lane by lane on byte arrays with
/// BinaryPrimitives, in long/double/BigInteger arithmetic, never through Vector128.
/// </summary>
internal static class SimdCases
{
    private static readonly Lanes S8 = new(1, true, Flavor.I8);
    private static readonly Lanes U8 = new(1, false, Flavor.I8);
    private static readonly Lanes S16 = new(2, true, Flavor.I16);
    private static readonly Lanes U16 = new(2, false, Flavor.I16);
    private static readonly Lanes S32 = new(4, true, Flavor.I32);
    private static readonly Lanes U32 = new(4, false, Flavor.I32);
    private static readonly Lanes S64 = new(8, true, Flavor.I64);
    private static readonly Lanes U64 = new(8, false, Flavor.I64);

    // Float lanes read as integers (for bit operations) but fed float-flavoured inputs.
    private static readonly Lanes F32Bits = new(4, false, Flavor.F32);
    private static readonly Lanes F64Bits = new(8, true, Flavor.F64);

    public static readonly SimdCase[] All =
    [
        // --- memory: the interpreter passes the loaded bytes ---
        LoadExtend(nameof(Simd.V128Load8x8S), Simd.V128Load8x8S, S8, S16),
        LoadExtend(nameof(Simd.V128Load8x8U), Simd.V128Load8x8U, U8, U16),
        LoadExtend(nameof(Simd.V128Load16x4S), Simd.V128Load16x4S, S16, S32),
        LoadExtend(nameof(Simd.V128Load16x4U), Simd.V128Load16x4U, U16, U32),
        LoadExtend(nameof(Simd.V128Load32x2S), Simd.V128Load32x2S, S32, S64),
        LoadExtend(nameof(Simd.V128Load32x2U), Simd.V128Load32x2U, U32, U64),
        LoadSplat(nameof(Simd.V128Load8Splat), Arg.U8, x => Simd.V128Load8Splat((byte)x), U8),
        LoadSplat(nameof(Simd.V128Load16Splat), Arg.U16, x => Simd.V128Load16Splat((ushort)x), U16),
        LoadSplat(nameof(Simd.V128Load32Splat), Arg.U32, x => Simd.V128Load32Splat((uint)x), U32),
        LoadSplat(nameof(Simd.V128Load64Splat), Arg.U64, Simd.V128Load64Splat, U64),
        LoadZero(nameof(Simd.V128Load32Zero), Arg.U32, x => Simd.V128Load32Zero((uint)x), 4),
        LoadZero(nameof(Simd.V128Load64Zero), Arg.U64, Simd.V128Load64Zero, 8),
        LoadLane(nameof(Simd.V128Load8Lane), Arg.U8, (v, lane, x) => Simd.V128Load8Lane(v, lane, (byte)x), U8),
        LoadLane(nameof(Simd.V128Load16Lane), Arg.U16, (v, lane, x) => Simd.V128Load16Lane(v, lane, (ushort)x), U16),
        LoadLane(nameof(Simd.V128Load32Lane), Arg.U32, (v, lane, x) => Simd.V128Load32Lane(v, lane, (uint)x), U32),
        LoadLane(nameof(Simd.V128Load64Lane), Arg.U64, Simd.V128Load64Lane, U64),
        StoreLane(nameof(Simd.V128Store8Lane), (v, lane) => Simd.V128Store8Lane(v, lane), U8),
        StoreLane(nameof(Simd.V128Store16Lane), (v, lane) => Simd.V128Store16Lane(v, lane), U16),
        StoreLane(nameof(Simd.V128Store32Lane), (v, lane) => Simd.V128Store32Lane(v, lane), U32),
        StoreLane(nameof(Simd.V128Store64Lane), Simd.V128Store64Lane, U64),

        // --- shuffles, splats, lanes ---
        new(nameof(Simd.I8x16Shuffle), [Arg.V128, Arg.V128], SimdCase.Shuffle, Flavor.I8, Shape.Exact,
            (a, imm) => Simd.I8x16Shuffle(a[0], a[1], Vector128.Create(imm)),
            (a, imm) => [.. imm.Select(i => i < 16 ? a[0][i] : a[1][i - 16])]),
        new(nameof(Simd.I8x16Swizzle), [Arg.V128, Arg.Indices], 0, Flavor.I8, Shape.Exact,
            (a, _) => Simd.I8x16Swizzle(a[0], a[1]),
            (a, _) => [.. a[1].Select(i => i < 16 ? a[0][i] : (byte)0)]),
        Splat(nameof(Simd.I8x16Splat), Arg.I32, x => Simd.I8x16Splat(LaneData.I32(x)), U8),
        Splat(nameof(Simd.I16x8Splat), Arg.I32, x => Simd.I16x8Splat(LaneData.I32(x)), U16),
        Splat(nameof(Simd.I32x4Splat), Arg.I32, x => Simd.I32x4Splat(LaneData.I32(x)), U32),
        Splat(nameof(Simd.I64x2Splat), Arg.I64, x => Simd.I64x2Splat(LaneData.I64(x)), U64),
        Splat(nameof(Simd.F32x4Splat), Arg.F32, x => Simd.F32x4Splat(LaneData.F32(x)), F32Bits),
        Splat(nameof(Simd.F64x2Splat), Arg.F64, x => Simd.F64x2Splat(LaneData.F64(x)), F64Bits),
        Extract(nameof(Simd.I8x16ExtractLaneS), (v, lane) => LaneData.Scalar(Simd.I8x16ExtractLaneS(v, lane)), S8, 4),
        Extract(nameof(Simd.I8x16ExtractLaneU), (v, lane) => LaneData.Scalar(Simd.I8x16ExtractLaneU(v, lane)), U8, 4),
        Replace(nameof(Simd.I8x16ReplaceLane), Arg.I32, (v, lane, x) => Simd.I8x16ReplaceLane(v, lane, LaneData.I32(x)), U8),
        Extract(nameof(Simd.I16x8ExtractLaneS), (v, lane) => LaneData.Scalar(Simd.I16x8ExtractLaneS(v, lane)), S16, 4),
        Extract(nameof(Simd.I16x8ExtractLaneU), (v, lane) => LaneData.Scalar(Simd.I16x8ExtractLaneU(v, lane)), U16, 4),
        Replace(nameof(Simd.I16x8ReplaceLane), Arg.I32, (v, lane, x) => Simd.I16x8ReplaceLane(v, lane, LaneData.I32(x)), U16),
        Extract(nameof(Simd.I32x4ExtractLane), (v, lane) => LaneData.Scalar(Simd.I32x4ExtractLane(v, lane)), S32, 4),
        Replace(nameof(Simd.I32x4ReplaceLane), Arg.I32, (v, lane, x) => Simd.I32x4ReplaceLane(v, lane, LaneData.I32(x)), U32),
        Extract(nameof(Simd.I64x2ExtractLane), (v, lane) => LaneData.Scalar(Simd.I64x2ExtractLane(v, lane)), S64, 8),
        Replace(nameof(Simd.I64x2ReplaceLane), Arg.I64, (v, lane, x) => Simd.I64x2ReplaceLane(v, lane, LaneData.I64(x)), U64),
        Extract(nameof(Simd.F32x4ExtractLane), (v, lane) => LaneData.Scalar(Simd.F32x4ExtractLane(v, lane)), F32Bits, 4),
        Replace(nameof(Simd.F32x4ReplaceLane), Arg.F32, (v, lane, x) => Simd.F32x4ReplaceLane(v, lane, LaneData.F32(x)), F32Bits),
        Extract(nameof(Simd.F64x2ExtractLane), (v, lane) => LaneData.Scalar(Simd.F64x2ExtractLane(v, lane)), F64Bits, 8),
        Replace(nameof(Simd.F64x2ReplaceLane), Arg.F64, (v, lane, x) => Simd.F64x2ReplaceLane(v, lane, LaneData.F64(x)), F64Bits),

        // --- integer comparisons ---
        Compare(nameof(Simd.I8x16Eq), Simd.I8x16Eq, U8, (x, y) => x == y),
        Compare(nameof(Simd.I8x16Ne), Simd.I8x16Ne, U8, (x, y) => x != y),
        Compare(nameof(Simd.I8x16LtS), Simd.I8x16LtS, S8, (x, y) => x < y),
        Compare(nameof(Simd.I8x16LtU), Simd.I8x16LtU, U8, (x, y) => x < y),
        Compare(nameof(Simd.I8x16GtS), Simd.I8x16GtS, S8, (x, y) => x > y),
        Compare(nameof(Simd.I8x16GtU), Simd.I8x16GtU, U8, (x, y) => x > y),
        Compare(nameof(Simd.I8x16LeS), Simd.I8x16LeS, S8, (x, y) => x <= y),
        Compare(nameof(Simd.I8x16LeU), Simd.I8x16LeU, U8, (x, y) => x <= y),
        Compare(nameof(Simd.I8x16GeS), Simd.I8x16GeS, S8, (x, y) => x >= y),
        Compare(nameof(Simd.I8x16GeU), Simd.I8x16GeU, U8, (x, y) => x >= y),
        Compare(nameof(Simd.I16x8Eq), Simd.I16x8Eq, U16, (x, y) => x == y),
        Compare(nameof(Simd.I16x8Ne), Simd.I16x8Ne, U16, (x, y) => x != y),
        Compare(nameof(Simd.I16x8LtS), Simd.I16x8LtS, S16, (x, y) => x < y),
        Compare(nameof(Simd.I16x8LtU), Simd.I16x8LtU, U16, (x, y) => x < y),
        Compare(nameof(Simd.I16x8GtS), Simd.I16x8GtS, S16, (x, y) => x > y),
        Compare(nameof(Simd.I16x8GtU), Simd.I16x8GtU, U16, (x, y) => x > y),
        Compare(nameof(Simd.I16x8LeS), Simd.I16x8LeS, S16, (x, y) => x <= y),
        Compare(nameof(Simd.I16x8LeU), Simd.I16x8LeU, U16, (x, y) => x <= y),
        Compare(nameof(Simd.I16x8GeS), Simd.I16x8GeS, S16, (x, y) => x >= y),
        Compare(nameof(Simd.I16x8GeU), Simd.I16x8GeU, U16, (x, y) => x >= y),
        Compare(nameof(Simd.I32x4Eq), Simd.I32x4Eq, U32, (x, y) => x == y),
        Compare(nameof(Simd.I32x4Ne), Simd.I32x4Ne, U32, (x, y) => x != y),
        Compare(nameof(Simd.I32x4LtS), Simd.I32x4LtS, S32, (x, y) => x < y),
        Compare(nameof(Simd.I32x4LtU), Simd.I32x4LtU, U32, (x, y) => x < y),
        Compare(nameof(Simd.I32x4GtS), Simd.I32x4GtS, S32, (x, y) => x > y),
        Compare(nameof(Simd.I32x4GtU), Simd.I32x4GtU, U32, (x, y) => x > y),
        Compare(nameof(Simd.I32x4LeS), Simd.I32x4LeS, S32, (x, y) => x <= y),
        Compare(nameof(Simd.I32x4LeU), Simd.I32x4LeU, U32, (x, y) => x <= y),
        Compare(nameof(Simd.I32x4GeS), Simd.I32x4GeS, S32, (x, y) => x >= y),
        Compare(nameof(Simd.I32x4GeU), Simd.I32x4GeU, U32, (x, y) => x >= y),
        Compare(nameof(Simd.I64x2Eq), Simd.I64x2Eq, S64, (x, y) => x == y),
        Compare(nameof(Simd.I64x2Ne), Simd.I64x2Ne, S64, (x, y) => x != y),
        Compare(nameof(Simd.I64x2LtS), Simd.I64x2LtS, S64, (x, y) => x < y),
        Compare(nameof(Simd.I64x2GtS), Simd.I64x2GtS, S64, (x, y) => x > y),
        Compare(nameof(Simd.I64x2LeS), Simd.I64x2LeS, S64, (x, y) => x <= y),
        Compare(nameof(Simd.I64x2GeS), Simd.I64x2GeS, S64, (x, y) => x >= y),

        // --- float comparisons: C#'s double operators are the IEEE predicates, NaN compares unordered ---
        FloatCompare(nameof(Simd.F32x4Eq), Simd.F32x4Eq, Flavor.F32, (x, y) => x == y),
        FloatCompare(nameof(Simd.F32x4Ne), Simd.F32x4Ne, Flavor.F32, (x, y) => x != y),
        FloatCompare(nameof(Simd.F32x4Lt), Simd.F32x4Lt, Flavor.F32, (x, y) => x < y),
        FloatCompare(nameof(Simd.F32x4Gt), Simd.F32x4Gt, Flavor.F32, (x, y) => x > y),
        FloatCompare(nameof(Simd.F32x4Le), Simd.F32x4Le, Flavor.F32, (x, y) => x <= y),
        FloatCompare(nameof(Simd.F32x4Ge), Simd.F32x4Ge, Flavor.F32, (x, y) => x >= y),
        FloatCompare(nameof(Simd.F64x2Eq), Simd.F64x2Eq, Flavor.F64, (x, y) => x == y),
        FloatCompare(nameof(Simd.F64x2Ne), Simd.F64x2Ne, Flavor.F64, (x, y) => x != y),
        FloatCompare(nameof(Simd.F64x2Lt), Simd.F64x2Lt, Flavor.F64, (x, y) => x < y),
        FloatCompare(nameof(Simd.F64x2Gt), Simd.F64x2Gt, Flavor.F64, (x, y) => x > y),
        FloatCompare(nameof(Simd.F64x2Le), Simd.F64x2Le, Flavor.F64, (x, y) => x <= y),
        FloatCompare(nameof(Simd.F64x2Ge), Simd.F64x2Ge, Flavor.F64, (x, y) => x >= y),

        // --- bitwise ---
        Unary(nameof(Simd.V128Not), Simd.V128Not, S64, x => ~x),
        Binary(nameof(Simd.V128And), Simd.V128And, S64, (x, y) => x & y),
        Binary(nameof(Simd.V128Andnot), Simd.V128Andnot, S64, (x, y) => x & ~y),
        Binary(nameof(Simd.V128Or), Simd.V128Or, S64, (x, y) => x | y),
        Binary(nameof(Simd.V128Xor), Simd.V128Xor, S64, (x, y) => x ^ y),
        new(nameof(Simd.V128Bitselect), [Arg.V128, Arg.V128, Arg.V128], 0, Flavor.I64, Shape.Exact,
            (a, _) => Simd.V128Bitselect(a[0], a[1], a[2]),
            (a, _) => Map(S64, i => (Get(a[0], S64, i) & Get(a[2], S64, i)) | (Get(a[1], S64, i) & ~Get(a[2], S64, i)))),
        Reduce(nameof(Simd.V128AnyTrue), Simd.V128AnyTrue, U8, lanes => lanes.Any(x => x != 0) ? 1 : 0),

        // --- i8x16 ---
        Unary(nameof(Simd.I8x16Abs), Simd.I8x16Abs, S8, Math.Abs),
        Unary(nameof(Simd.I8x16Neg), Simd.I8x16Neg, S8, x => -x),
        Unary(nameof(Simd.I8x16Popcnt), Simd.I8x16Popcnt, U8, x => BitOperations.PopCount((ulong)x)),
        Reduce(nameof(Simd.I8x16AllTrue), Simd.I8x16AllTrue, U8, lanes => lanes.All(x => x != 0) ? 1 : 0),
        Reduce(nameof(Simd.I8x16Bitmask), Simd.I8x16Bitmask, S8, SignBits),
        Narrow(nameof(Simd.I8x16NarrowI16x8S), Simd.I8x16NarrowI16x8S, S16, S8),
        Narrow(nameof(Simd.I8x16NarrowI16x8U), Simd.I8x16NarrowI16x8U, S16, U8),
        Shift(nameof(Simd.I8x16Shl), Simd.I8x16Shl, S8, (x, n) => x << n),
        Shift(nameof(Simd.I8x16ShrS), Simd.I8x16ShrS, S8, (x, n) => x >> n),
        Shift(nameof(Simd.I8x16ShrU), Simd.I8x16ShrU, U8, (x, n) => x >> n),
        Binary(nameof(Simd.I8x16Add), Simd.I8x16Add, U8, (x, y) => x + y),
        Binary(nameof(Simd.I8x16AddSatS), Simd.I8x16AddSatS, S8, (x, y) => Saturate(x + y, S8)),
        Binary(nameof(Simd.I8x16AddSatU), Simd.I8x16AddSatU, U8, (x, y) => Saturate(x + y, U8)),
        Binary(nameof(Simd.I8x16Sub), Simd.I8x16Sub, U8, (x, y) => x - y),
        Binary(nameof(Simd.I8x16SubSatS), Simd.I8x16SubSatS, S8, (x, y) => Saturate(x - y, S8)),
        Binary(nameof(Simd.I8x16SubSatU), Simd.I8x16SubSatU, U8, (x, y) => Saturate(x - y, U8)),
        Binary(nameof(Simd.I8x16MinS), Simd.I8x16MinS, S8, Math.Min),
        Binary(nameof(Simd.I8x16MinU), Simd.I8x16MinU, U8, Math.Min),
        Binary(nameof(Simd.I8x16MaxS), Simd.I8x16MaxS, S8, Math.Max),
        Binary(nameof(Simd.I8x16MaxU), Simd.I8x16MaxU, U8, Math.Max),
        Binary(nameof(Simd.I8x16AvgrU), Simd.I8x16AvgrU, U8, (x, y) => (x + y + 1) / 2),

        // --- i16x8 ---
        Pairwise(nameof(Simd.I16x8ExtaddPairwiseI8x16S), Simd.I16x8ExtaddPairwiseI8x16S, S8, S16),
        Pairwise(nameof(Simd.I16x8ExtaddPairwiseI8x16U), Simd.I16x8ExtaddPairwiseI8x16U, U8, U16),
        Unary(nameof(Simd.I16x8Abs), Simd.I16x8Abs, S16, Math.Abs),
        Unary(nameof(Simd.I16x8Neg), Simd.I16x8Neg, S16, x => -x),
        Binary(nameof(Simd.I16x8Q15mulrSatS), Simd.I16x8Q15mulrSatS, S16, (x, y) => Saturate(((x * y) + 0x4000) >> 15, S16)),
        Reduce(nameof(Simd.I16x8AllTrue), Simd.I16x8AllTrue, U16, lanes => lanes.All(x => x != 0) ? 1 : 0),
        Reduce(nameof(Simd.I16x8Bitmask), Simd.I16x8Bitmask, S16, SignBits),
        Narrow(nameof(Simd.I16x8NarrowI32x4S), Simd.I16x8NarrowI32x4S, S32, S16),
        Narrow(nameof(Simd.I16x8NarrowI32x4U), Simd.I16x8NarrowI32x4U, S32, U16),
        Widen(nameof(Simd.I16x8ExtendLowI8x16S), Simd.I16x8ExtendLowI8x16S, S8, S16, high: false),
        Widen(nameof(Simd.I16x8ExtendHighI8x16S), Simd.I16x8ExtendHighI8x16S, S8, S16, high: true),
        Widen(nameof(Simd.I16x8ExtendLowI8x16U), Simd.I16x8ExtendLowI8x16U, U8, U16, high: false),
        Widen(nameof(Simd.I16x8ExtendHighI8x16U), Simd.I16x8ExtendHighI8x16U, U8, U16, high: true),
        Shift(nameof(Simd.I16x8Shl), Simd.I16x8Shl, S16, (x, n) => x << n),
        Shift(nameof(Simd.I16x8ShrS), Simd.I16x8ShrS, S16, (x, n) => x >> n),
        Shift(nameof(Simd.I16x8ShrU), Simd.I16x8ShrU, U16, (x, n) => x >> n),
        Binary(nameof(Simd.I16x8Add), Simd.I16x8Add, U16, (x, y) => x + y),
        Binary(nameof(Simd.I16x8AddSatS), Simd.I16x8AddSatS, S16, (x, y) => Saturate(x + y, S16)),
        Binary(nameof(Simd.I16x8AddSatU), Simd.I16x8AddSatU, U16, (x, y) => Saturate(x + y, U16)),
        Binary(nameof(Simd.I16x8Sub), Simd.I16x8Sub, U16, (x, y) => x - y),
        Binary(nameof(Simd.I16x8SubSatS), Simd.I16x8SubSatS, S16, (x, y) => Saturate(x - y, S16)),
        Binary(nameof(Simd.I16x8SubSatU), Simd.I16x8SubSatU, U16, (x, y) => Saturate(x - y, U16)),
        Binary(nameof(Simd.I16x8Mul), Simd.I16x8Mul, S16, (x, y) => x * y),
        Binary(nameof(Simd.I16x8MinS), Simd.I16x8MinS, S16, Math.Min),
        Binary(nameof(Simd.I16x8MinU), Simd.I16x8MinU, U16, Math.Min),
        Binary(nameof(Simd.I16x8MaxS), Simd.I16x8MaxS, S16, Math.Max),
        Binary(nameof(Simd.I16x8MaxU), Simd.I16x8MaxU, U16, Math.Max),
        Binary(nameof(Simd.I16x8AvgrU), Simd.I16x8AvgrU, U16, (x, y) => (x + y + 1) / 2),
        WidenMultiply(nameof(Simd.I16x8ExtmulLowI8x16S), Simd.I16x8ExtmulLowI8x16S, S8, S16, high: false),
        WidenMultiply(nameof(Simd.I16x8ExtmulHighI8x16S), Simd.I16x8ExtmulHighI8x16S, S8, S16, high: true),
        WidenMultiply(nameof(Simd.I16x8ExtmulLowI8x16U), Simd.I16x8ExtmulLowI8x16U, U8, U16, high: false),
        WidenMultiply(nameof(Simd.I16x8ExtmulHighI8x16U), Simd.I16x8ExtmulHighI8x16U, U8, U16, high: true),

        // --- i32x4 ---
        Pairwise(nameof(Simd.I32x4ExtaddPairwiseI16x8S), Simd.I32x4ExtaddPairwiseI16x8S, S16, S32),
        Pairwise(nameof(Simd.I32x4ExtaddPairwiseI16x8U), Simd.I32x4ExtaddPairwiseI16x8U, U16, U32),
        Unary(nameof(Simd.I32x4Abs), Simd.I32x4Abs, S32, Math.Abs),
        Unary(nameof(Simd.I32x4Neg), Simd.I32x4Neg, S32, x => -x),
        Reduce(nameof(Simd.I32x4AllTrue), Simd.I32x4AllTrue, U32, lanes => lanes.All(x => x != 0) ? 1 : 0),
        Reduce(nameof(Simd.I32x4Bitmask), Simd.I32x4Bitmask, S32, SignBits),
        Widen(nameof(Simd.I32x4ExtendLowI16x8S), Simd.I32x4ExtendLowI16x8S, S16, S32, high: false),
        Widen(nameof(Simd.I32x4ExtendHighI16x8S), Simd.I32x4ExtendHighI16x8S, S16, S32, high: true),
        Widen(nameof(Simd.I32x4ExtendLowI16x8U), Simd.I32x4ExtendLowI16x8U, U16, U32, high: false),
        Widen(nameof(Simd.I32x4ExtendHighI16x8U), Simd.I32x4ExtendHighI16x8U, U16, U32, high: true),
        Shift(nameof(Simd.I32x4Shl), Simd.I32x4Shl, S32, (x, n) => x << n),
        Shift(nameof(Simd.I32x4ShrS), Simd.I32x4ShrS, S32, (x, n) => x >> n),
        Shift(nameof(Simd.I32x4ShrU), Simd.I32x4ShrU, U32, (x, n) => x >> n),
        Binary(nameof(Simd.I32x4Add), Simd.I32x4Add, S32, (x, y) => x + y),
        Binary(nameof(Simd.I32x4Sub), Simd.I32x4Sub, S32, (x, y) => x - y),
        Binary(nameof(Simd.I32x4Mul), Simd.I32x4Mul, S32, (x, y) => x * y),
        Binary(nameof(Simd.I32x4MinS), Simd.I32x4MinS, S32, Math.Min),
        Binary(nameof(Simd.I32x4MinU), Simd.I32x4MinU, U32, Math.Min),
        Binary(nameof(Simd.I32x4MaxS), Simd.I32x4MaxS, S32, Math.Max),
        Binary(nameof(Simd.I32x4MaxU), Simd.I32x4MaxU, U32, Math.Max),
        new(nameof(Simd.I32x4DotI16x8S), [Arg.V128, Arg.V128], 0, Flavor.I16, Shape.Exact,
            (a, _) => Simd.I32x4DotI16x8S(a[0], a[1]),
            (a, _) => Map(S32, i => (Get(a[0], S16, 2 * i) * Get(a[1], S16, 2 * i)) + (Get(a[0], S16, (2 * i) + 1) * Get(a[1], S16, (2 * i) + 1)))),
        // Relaxed SIMD's dot products, as documented: b's bytes signed, each pair of products summed into an i16 that wraps.
        new(nameof(Simd.I16x8RelaxedDotI8x16I7x16S), [Arg.V128, Arg.V128], 0, Flavor.I8, Shape.Exact,
            (a, _) => Simd.I16x8RelaxedDotI8x16I7x16S(a[0], a[1]),
            (a, _) => Map(S16, i => (Get(a[0], S8, 2 * i) * Get(a[1], S8, 2 * i)) + (Get(a[0], S8, (2 * i) + 1) * Get(a[1], S8, (2 * i) + 1)))),
        new(nameof(Simd.I32x4RelaxedDotI8x16I7x16AddS), [Arg.V128, Arg.V128, Arg.V128], 0, Flavor.I8, Shape.Exact,
            (a, _) => Simd.I32x4RelaxedDotI8x16I7x16AddS(a[0], a[1], a[2]),
            (a, _) => Map(S32, i => (short)((Get(a[0], S8, 4 * i) * Get(a[1], S8, 4 * i)) + (Get(a[0], S8, (4 * i) + 1) * Get(a[1], S8, (4 * i) + 1)))
                + (short)((Get(a[0], S8, (4 * i) + 2) * Get(a[1], S8, (4 * i) + 2)) + (Get(a[0], S8, (4 * i) + 3) * Get(a[1], S8, (4 * i) + 3)))
                + Get(a[2], S32, i))),
        WidenMultiply(nameof(Simd.I32x4ExtmulLowI16x8S), Simd.I32x4ExtmulLowI16x8S, S16, S32, high: false),
        WidenMultiply(nameof(Simd.I32x4ExtmulHighI16x8S), Simd.I32x4ExtmulHighI16x8S, S16, S32, high: true),
        WidenMultiply(nameof(Simd.I32x4ExtmulLowI16x8U), Simd.I32x4ExtmulLowI16x8U, U16, U32, high: false),
        WidenMultiply(nameof(Simd.I32x4ExtmulHighI16x8U), Simd.I32x4ExtmulHighI16x8U, U16, U32, high: true),

        // --- i64x2 (long arithmetic wraps exactly like the 64-bit lanes) ---
        Unary(nameof(Simd.I64x2Abs), Simd.I64x2Abs, S64, x => x < 0 ? unchecked(0 - x) : x),
        Unary(nameof(Simd.I64x2Neg), Simd.I64x2Neg, S64, x => unchecked(0 - x)),
        Reduce(nameof(Simd.I64x2AllTrue), Simd.I64x2AllTrue, S64, lanes => lanes.All(x => x != 0) ? 1 : 0),
        Reduce(nameof(Simd.I64x2Bitmask), Simd.I64x2Bitmask, S64, SignBits),
        Widen(nameof(Simd.I64x2ExtendLowI32x4S), Simd.I64x2ExtendLowI32x4S, S32, S64, high: false),
        Widen(nameof(Simd.I64x2ExtendHighI32x4S), Simd.I64x2ExtendHighI32x4S, S32, S64, high: true),
        Widen(nameof(Simd.I64x2ExtendLowI32x4U), Simd.I64x2ExtendLowI32x4U, U32, S64, high: false),
        Widen(nameof(Simd.I64x2ExtendHighI32x4U), Simd.I64x2ExtendHighI32x4U, U32, S64, high: true),
        Shift(nameof(Simd.I64x2Shl), Simd.I64x2Shl, S64, (x, n) => x << n),
        Shift(nameof(Simd.I64x2ShrS), Simd.I64x2ShrS, S64, (x, n) => x >> n),
        Shift(nameof(Simd.I64x2ShrU), Simd.I64x2ShrU, S64, (x, n) => (long)((ulong)x >> n)),
        Binary(nameof(Simd.I64x2Add), Simd.I64x2Add, S64, (x, y) => unchecked(x + y)),
        Binary(nameof(Simd.I64x2Sub), Simd.I64x2Sub, S64, (x, y) => unchecked(x - y)),
        Binary(nameof(Simd.I64x2Mul), Simd.I64x2Mul, S64, (x, y) => unchecked(x * y)),
        WidenMultiply(nameof(Simd.I64x2ExtmulLowI32x4S), Simd.I64x2ExtmulLowI32x4S, S32, S64, high: false),
        WidenMultiply(nameof(Simd.I64x2ExtmulHighI32x4S), Simd.I64x2ExtmulHighI32x4S, S32, S64, high: true),
        WidenMultiply(nameof(Simd.I64x2ExtmulLowI32x4U), Simd.I64x2ExtmulLowI32x4U, U32, S64, high: false),
        WidenMultiply(nameof(Simd.I64x2ExtmulHighI32x4U), Simd.I64x2ExtmulHighI32x4U, U32, S64, high: true),

        // --- f32x4: sign ops on bits; arithmetic in double, which rounds f32 +-*/sqrt correctly (53 >= 2*24 + 2) ---
        Unary(nameof(Simd.F32x4Abs), Simd.F32x4Abs, F32Bits, x => x & 0x7FFF_FFFF),
        Unary(nameof(Simd.F32x4Neg), Simd.F32x4Neg, F32Bits, x => x ^ 0x8000_0000),
        FloatUnary(nameof(Simd.F32x4Sqrt), Simd.F32x4Sqrt, Flavor.F32, Math.Sqrt),
        FloatBinary(nameof(Simd.F32x4Add), Simd.F32x4Add, Flavor.F32, (x, y) => x + y),
        FloatBinary(nameof(Simd.F32x4Sub), Simd.F32x4Sub, Flavor.F32, (x, y) => x - y),
        FloatBinary(nameof(Simd.F32x4Mul), Simd.F32x4Mul, Flavor.F32, (x, y) => x * y),
        FloatBinary(nameof(Simd.F32x4Div), Simd.F32x4Div, Flavor.F32, (x, y) => x / y),
        FloatBinary(nameof(Simd.F32x4Min), Simd.F32x4Min, Flavor.F32, SpecMin),
        FloatBinary(nameof(Simd.F32x4Max), Simd.F32x4Max, Flavor.F32, SpecMax),
        Pick(nameof(Simd.F32x4Pmin), Simd.F32x4Pmin, Flavor.F32, (x, y) => y < x),
        Pick(nameof(Simd.F32x4Pmax), Simd.F32x4Pmax, Flavor.F32, (x, y) => x < y),
        FloatUnary(nameof(Simd.F32x4Ceil), Simd.F32x4Ceil, Flavor.F32, SpecCeil),
        FloatUnary(nameof(Simd.F32x4Floor), Simd.F32x4Floor, Flavor.F32, SpecFloor),
        FloatUnary(nameof(Simd.F32x4Trunc), Simd.F32x4Trunc, Flavor.F32, SpecTrunc),
        FloatUnary(nameof(Simd.F32x4Nearest), Simd.F32x4Nearest, Flavor.F32, SpecNearest),

        // --- f64x2 ---
        Unary(nameof(Simd.F64x2Abs), Simd.F64x2Abs, F64Bits, x => x & long.MaxValue),
        Unary(nameof(Simd.F64x2Neg), Simd.F64x2Neg, F64Bits, x => x ^ long.MinValue),
        FloatUnary(nameof(Simd.F64x2Sqrt), Simd.F64x2Sqrt, Flavor.F64, Math.Sqrt),
        FloatBinary(nameof(Simd.F64x2Add), Simd.F64x2Add, Flavor.F64, (x, y) => x + y),
        FloatBinary(nameof(Simd.F64x2Sub), Simd.F64x2Sub, Flavor.F64, (x, y) => x - y),
        FloatBinary(nameof(Simd.F64x2Mul), Simd.F64x2Mul, Flavor.F64, (x, y) => x * y),
        FloatBinary(nameof(Simd.F64x2Div), Simd.F64x2Div, Flavor.F64, (x, y) => x / y),
        FloatBinary(nameof(Simd.F64x2Min), Simd.F64x2Min, Flavor.F64, SpecMin),
        FloatBinary(nameof(Simd.F64x2Max), Simd.F64x2Max, Flavor.F64, SpecMax),
        Pick(nameof(Simd.F64x2Pmin), Simd.F64x2Pmin, Flavor.F64, (x, y) => y < x),
        Pick(nameof(Simd.F64x2Pmax), Simd.F64x2Pmax, Flavor.F64, (x, y) => x < y),
        FloatUnary(nameof(Simd.F64x2Ceil), Simd.F64x2Ceil, Flavor.F64, SpecCeil),
        FloatUnary(nameof(Simd.F64x2Floor), Simd.F64x2Floor, Flavor.F64, SpecFloor),
        FloatUnary(nameof(Simd.F64x2Trunc), Simd.F64x2Trunc, Flavor.F64, SpecTrunc),
        FloatUnary(nameof(Simd.F64x2Nearest), Simd.F64x2Nearest, Flavor.F64, SpecNearest),

        // --- conversions ---
        Conversion(nameof(Simd.I32x4TruncSatF32x4S), Simd.I32x4TruncSatF32x4S, Flavor.F32, 4, Shape.Exact,
            (a, i) => LaneData.U32Bits(LaneData.TruncSat(LaneData.F32Lane(a, i), int.MinValue, int.MaxValue))),
        Conversion(nameof(Simd.I32x4TruncSatF32x4U), Simd.I32x4TruncSatF32x4U, Flavor.F32, 4, Shape.Exact,
            (a, i) => LaneData.U32Bits(LaneData.TruncSat(LaneData.F32Lane(a, i), 0, uint.MaxValue))),
        Conversion(nameof(Simd.F32x4ConvertI32x4S), Simd.F32x4ConvertI32x4S, Flavor.I32, 4, Shape.Exact,
            (a, i) => BitConverter.SingleToUInt32Bits(LaneData.RoundToF32(Get(a, S32, i)))),
        Conversion(nameof(Simd.F32x4ConvertI32x4U), Simd.F32x4ConvertI32x4U, Flavor.I32, 4, Shape.Exact,
            (a, i) => BitConverter.SingleToUInt32Bits(LaneData.RoundToF32(Get(a, U32, i)))),
        Conversion(nameof(Simd.I32x4TruncSatF64x2SZero), Simd.I32x4TruncSatF64x2SZero, Flavor.F64, 4, Shape.Exact,
            (a, i) => i < 2 ? LaneData.U32Bits(LaneData.TruncSat(LaneData.F64Lane(a, i), int.MinValue, int.MaxValue)) : 0),
        Conversion(nameof(Simd.I32x4TruncSatF64x2UZero), Simd.I32x4TruncSatF64x2UZero, Flavor.F64, 4, Shape.Exact,
            (a, i) => i < 2 ? LaneData.U32Bits(LaneData.TruncSat(LaneData.F64Lane(a, i), 0, uint.MaxValue)) : 0),
        Conversion(nameof(Simd.F64x2ConvertLowI32x4S), Simd.F64x2ConvertLowI32x4S, Flavor.I32, 8, Shape.Exact,
            (a, i) => BitConverter.DoubleToUInt64Bits(Get(a, S32, i))),
        Conversion(nameof(Simd.F64x2ConvertLowI32x4U), Simd.F64x2ConvertLowI32x4U, Flavor.I32, 8, Shape.Exact,
            (a, i) => BitConverter.DoubleToUInt64Bits(Get(a, U32, i))),
        Conversion(nameof(Simd.F32x4DemoteF64x2Zero), Simd.F32x4DemoteF64x2Zero, Flavor.F64, 4, Shape.F32,
            (a, i) => i >= 2 ? 0 : LaneData.IsNaN(LaneData.Raw(a, 8, i), 8)
                ? LaneData.NaNMarker(4, LaneData.IsCanonicalNaN(LaneData.Raw(a, 8, i), 8))
                : BitConverter.SingleToUInt32Bits((float)LaneData.F64Lane(a, i))),
        Conversion(nameof(Simd.F64x2PromoteLowF32x4), Simd.F64x2PromoteLowF32x4, Flavor.F32, 8, Shape.F64,
            (a, i) => LaneData.IsNaN(LaneData.Raw(a, 4, i), 4)
                ? LaneData.NaNMarker(8, LaneData.IsCanonicalNaN(LaneData.Raw(a, 4, i), 4))
                : BitConverter.DoubleToUInt64Bits(LaneData.F32Lane(a, i))),
    ];

    public static readonly Dictionary<string, SimdCase> ByMethod = All.ToDictionary(c => c.Method, StringComparer.Ordinal);

    // --- the spec's float definitions (spec 4.3.3), on doubles; f32 lanes widen exactly ---

    public static double SpecMin(double x, double y) =>
        double.IsNaN(x) || double.IsNaN(y) ? double.NaN
        : x == 0 && y == 0 ? (double.IsNegative(x) || double.IsNegative(y) ? -0.0 : 0.0)
        : x < y ? x : y;

    public static double SpecMax(double x, double y) =>
        double.IsNaN(x) || double.IsNaN(y) ? double.NaN
        : x == 0 && y == 0 ? (double.IsNegative(x) && double.IsNegative(y) ? -0.0 : 0.0)
        : x > y ? x : y;

    private static double SpecCeil(double x) => x is < 0 and > -1 ? -0.0 : double.IsFinite(x) && x != 0 ? Math.Ceiling(x) : x;

    private static double SpecFloor(double x) => x is > 0 and < 1 ? 0.0 : double.IsFinite(x) && x != 0 ? Math.Floor(x) : x;

    private static double SpecTrunc(double x) => x is > 0 and < 1 ? 0.0 : x is < 0 and > -1 ? -0.0 : double.IsFinite(x) && x != 0 ? Math.Floor(Math.Abs(x)) * Math.Sign(x) : x;

    /// <summary>Ties to even, written with floor so it shares nothing with Math.Round or roundps.</summary>
    public static double SpecNearest(double x)
    {
        if (x is > 0 and <= 0.5)
        {
            return 0.0;
        }
        if (x is < 0 and >= -0.5)
        {
            return -0.0;
        }
        if (!double.IsFinite(x) || x == 0)
        {
            return x;
        }
        var below = Math.Floor(x);
        var fraction = x - below;
        return fraction < 0.5 ? below : fraction > 0.5 ? below + 1 : below % 2 == 0 ? below : below + 1;
    }

    private static int SignBits(long[] lanes) => lanes.Select((x, i) => x < 0 ? 1 << i : 0).Sum();

    private static long Saturate(long x, Lanes s) => Math.Clamp(x, s.Min, s.Max);

    // --- case builders ---

    private static long Get(byte[] v, Lanes s, int i) => LaneData.Get(v, s, i);

    private static byte[] Map(Lanes s, Func<int, long> lane)
    {
        var result = new byte[16];
        for (var i = 0; i < s.Count; i++)
        {
            LaneData.Set(result, s.Bytes, i, lane(i));
        }
        return result;
    }

    private static SimdCase Unary(string method, Func<Vector128<byte>, Vector128<byte>> op, Lanes s, Func<long, long> f) =>
        new(method, [Arg.V128], 0, s.Flavor, Shape.Exact, (a, _) => op(a[0]), (a, _) => Map(s, i => f(Get(a[0], s, i))));

    private static SimdCase Binary(string method, Func<Vector128<byte>, Vector128<byte>, Vector128<byte>> op, Lanes s, Func<long, long, long> f) =>
        new(method, [Arg.V128, Arg.V128], 0, s.Flavor, Shape.Exact, (a, _) => op(a[0], a[1]), (a, _) => Map(s, i => f(Get(a[0], s, i), Get(a[1], s, i))));

    private static SimdCase Compare(string method, Func<Vector128<byte>, Vector128<byte>, Vector128<byte>> op, Lanes s, Func<long, long, bool> f) =>
        Binary(method, op, s, (x, y) => f(x, y) ? -1 : 0);

    /// <summary>The count is taken modulo the lane width (spec 4.4.3.12 ishl etc.), written with % to differ from the masks.</summary>
    private static SimdCase Shift(string method, Func<Vector128<byte>, int, Vector128<byte>> op, Lanes s, Func<long, int, long> f) =>
        new(method, [Arg.V128, Arg.Count], 0, s.Flavor, Shape.Exact,
            (a, _) => op(a[0], LaneData.I32(a[1])),
            (a, _) => Map(s, i => f(Get(a[0], s, i), (int)(((LaneData.I32(a[1]) % (long)s.Bits) + s.Bits) % s.Bits))));

    private static SimdCase Reduce(string method, Func<Vector128<byte>, int> op, Lanes s, Func<long[], int> f) =>
        new(method, [Arg.V128], 0, s.Flavor, Shape.Exact,
            (a, _) => LaneData.Scalar(op(a[0])),
            (a, _) => LaneData.ScalarBytes(f([.. Enumerable.Range(0, s.Count).Select(i => Get(a[0], s, i))]), 4));

    private static SimdCase Narrow(string method, Func<Vector128<byte>, Vector128<byte>, Vector128<byte>> op, Lanes from, Lanes to) =>
        new(method, [Arg.V128, Arg.V128], 0, from.Flavor, Shape.Exact, (a, _) => op(a[0], a[1]),
            (a, _) => Map(to, i => Saturate(i < from.Count ? Get(a[0], from, i) : Get(a[1], from, i - from.Count), to)));

    private static SimdCase Widen(string method, Func<Vector128<byte>, Vector128<byte>> op, Lanes from, Lanes to, bool high) =>
        new(method, [Arg.V128], 0, from.Flavor, Shape.Exact, (a, _) => op(a[0]),
            (a, _) => Map(to, i => Get(a[0], from, i + (high ? to.Count : 0))));

    private static SimdCase WidenMultiply(string method, Func<Vector128<byte>, Vector128<byte>, Vector128<byte>> op, Lanes from, Lanes to, bool high) =>
        new(method, [Arg.V128, Arg.V128], 0, from.Flavor, Shape.Exact, (a, _) => op(a[0], a[1]),
            (a, _) => Map(to, i => unchecked(Get(a[0], from, i + (high ? to.Count : 0)) * Get(a[1], from, i + (high ? to.Count : 0)))));

    private static SimdCase Pairwise(string method, Func<Vector128<byte>, Vector128<byte>> op, Lanes from, Lanes to) =>
        new(method, [Arg.V128], 0, from.Flavor, Shape.Exact, (a, _) => op(a[0]),
            (a, _) => Map(to, i => Get(a[0], from, 2 * i) + Get(a[0], from, (2 * i) + 1)));

    private static SimdCase LoadExtend(string method, Func<ulong, Vector128<byte>> op, Lanes from, Lanes to) =>
        new(method, [Arg.U64], 0, from.Flavor, Shape.Exact, (a, _) => op(LaneData.U64(a[0])),
            (a, _) => Map(to, i => Get(a[0], from, i)));

    private static SimdCase LoadSplat(string method, Arg arg, Func<ulong, Vector128<byte>> op, Lanes s) =>
        new(method, [arg], 0, s.Flavor, Shape.Exact, (a, _) => op(LaneData.U64(a[0])), (a, _) => Map(s, _ => Get(a[0], s, 0)));

    private static SimdCase LoadZero(string method, Arg arg, Func<ulong, Vector128<byte>> op, int bytes) =>
        new(method, [arg], 0, Flavor.I64, Shape.Exact, (a, _) => op(LaneData.U64(a[0])), (a, _) => [.. a[0].Take(bytes), .. new byte[16 - bytes]]);

    private static SimdCase LoadLane(string method, Arg arg, Func<Vector128<byte>, int, ulong, Vector128<byte>> op, Lanes s) =>
        new(method, [Arg.V128, arg], s.Count, s.Flavor, Shape.Exact, (a, imm) => op(a[0], imm[0], LaneData.U64(a[1])),
            (a, imm) => Map(s, i => i == imm[0] ? Get(a[1], s, 0) : Get(a[0], s, i)));

    private static SimdCase StoreLane(string method, Func<Vector128<byte>, int, ulong> op, Lanes s) =>
        new(method, [Arg.V128], s.Count, s.Flavor, Shape.Exact, (a, imm) => Vector128.CreateScalar(op(a[0], imm[0])).AsByte(),
            (a, imm) => LaneData.ScalarBytes(Get(a[0], s, imm[0]), s.Bytes));

    private static SimdCase Splat(string method, Arg arg, Func<Vector128<byte>, Vector128<byte>> op, Lanes s) =>
        new(method, [arg], 0, s.Flavor, Shape.Exact, (a, _) => op(a[0]), (a, _) => Map(s, _ => Get(a[0], s, 0)));

    private static SimdCase Extract(string method, Func<Vector128<byte>, int, Vector128<byte>> op, Lanes s, int resultBytes) =>
        new(method, [Arg.V128], s.Count, s.Flavor, Shape.Exact, (a, imm) => op(a[0], imm[0]),
            (a, imm) => LaneData.ScalarBytes(Get(a[0], s, imm[0]), resultBytes));

    private static SimdCase Replace(string method, Arg arg, Func<Vector128<byte>, int, Vector128<byte>, Vector128<byte>> op, Lanes s) =>
        new(method, [Arg.V128, arg], s.Count, s.Flavor, Shape.Exact, (a, imm) => op(a[0], imm[0], a[1]),
            (a, imm) => Map(s, i => i == imm[0] ? Get(a[1], s, 0) : Get(a[0], s, i)));

    private static SimdCase FloatCompare(string method, Func<Vector128<byte>, Vector128<byte>, Vector128<byte>> op, Flavor flavor, Func<double, double, bool> f)
    {
        var bytes = flavor == Flavor.F32 ? 4 : 8;
        return new(method, [Arg.V128, Arg.V128], 0, flavor, Shape.Exact, (a, _) => op(a[0], a[1]),
            (a, _) => Map(new Lanes(bytes, true, flavor), i => f(LaneData.Float(a[0], bytes, i), LaneData.Float(a[1], bytes, i)) ? -1 : 0));
    }

    /// <summary>pmin/pmax: the chosen operand's bits, NaNs included, exactly.</summary>
    private static SimdCase Pick(string method, Func<Vector128<byte>, Vector128<byte>, Vector128<byte>> op, Flavor flavor, Func<double, double, bool> takeSecond)
    {
        var s = new Lanes(flavor == Flavor.F32 ? 4 : 8, true, flavor);
        return new(method, [Arg.V128, Arg.V128], 0, flavor, Shape.Exact, (a, _) => op(a[0], a[1]),
            (a, _) => Map(s, i => takeSecond(LaneData.Float(a[0], s.Bytes, i), LaneData.Float(a[1], s.Bytes, i)) ? Get(a[1], s, i) : Get(a[0], s, i)));
    }

    private static SimdCase FloatUnary(string method, Func<Vector128<byte>, Vector128<byte>> op, Flavor flavor, Func<double, double> f) =>
        new(method, [Arg.V128], 0, flavor, flavor == Flavor.F32 ? Shape.F32 : Shape.F64, (a, _) => op(a[0]),
            (a, _) => LaneData.FloatLanes(flavor == Flavor.F32 ? 4 : 8, a, i => f(LaneData.Float(a[0], flavor == Flavor.F32 ? 4 : 8, i))));

    private static SimdCase FloatBinary(string method, Func<Vector128<byte>, Vector128<byte>, Vector128<byte>> op, Flavor flavor, Func<double, double, double> f)
    {
        var bytes = flavor == Flavor.F32 ? 4 : 8;
        return new(method, [Arg.V128, Arg.V128], 0, flavor, bytes == 4 ? Shape.F32 : Shape.F64, (a, _) => op(a[0], a[1]),
            (a, _) => LaneData.FloatLanes(bytes, a, i => f(LaneData.Float(a[0], bytes, i), LaneData.Float(a[1], bytes, i))));
    }

    /// <summary>A lane-wise conversion: result lane i (of the given width) from the input bytes.</summary>
    private static SimdCase Conversion(string method, Func<Vector128<byte>, Vector128<byte>> op, Flavor flavor, int resultBytes, Shape shape, Func<byte[], int, ulong> lane) =>
        new(method, [Arg.V128], 0, flavor, shape, (a, _) => op(a[0]),
            (a, _) => Map(new Lanes(resultBytes, false, flavor), i => (long)lane(a[0], i)));
}

/// <summary>Lane access, random operands, exact rounding helpers and NaN-aware comparison shared by the Simd and Numerics tests.</summary>
internal static class LaneData
{
    private static readonly ulong[] Edges8 = [0, 1, 2, 0x3F, 0x40, 0x7E, 0x7F, 0x80, 0x81, 0xFE, 0xFF];

    private static readonly ulong[] Edges16 = [0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x3FFF, 0x4000, 0x4001, 0x7FFE, 0x7FFF, 0x8000, 0x8001, 0xBFFF, 0xC000, 0xFF7F, 0xFF80, 0xFF00, 0xFFFE, 0xFFFF];

    private static readonly ulong[] Edges32 =
    [
        0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000, 0x00FF_FFFF, 0x0100_0000, 0x0100_0001, 0x0100_0003,
        0x7FFF_FF80, 0x7FFF_FFBF, 0x7FFF_FFC0, 0x7FFF_FFFF, 0x8000_0000, 0x8000_0001, 0x8000_0080, 0xFFFF_7FFF, 0xFFFF_8000,
        0xFFFF_FF7F, 0xFFFF_FF80, 0xFFFF_FFFE, 0xFFFF_FFFF,
    ];

    private static readonly ulong[] Edges64 =
    [
        0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000, 0x0020_0000_0000_0000, 0x0020_0000_0000_0001,
        0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0x8000_0000_0000_0001, 0xFFFF_FFFF_0000_0000, 0xFFFF_FFFF_FFFF_FFFF,
        0xFFFF_FFFF_FFFF_FFFE, 0xFFFF_FF80_0000_0000, 0xFFFF_FF7F_FFFF_FFFF, 0x7FFF_FFBF_FFFF_FFFF, 0x7FFF_FFC0_0000_0000,
    ];

    public static readonly uint[] EdgesF32 =
    [
        0x0000_0000, 0x8000_0000, 0x3F80_0000, 0xBF80_0000, 0x3F00_0000, 0xBF00_0000, 0x3FC0_0000, 0x4020_0000, 0xC020_0000,
        0x3EFF_FFFF, 0xBEFF_FFFF, 0x3F7F_FFFF, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0000, 0x7FA0_0000, 0xFFA0_0000,
        0x7FC0_0001, 0xFFFF_FFFF, 0x7F80_0001, 0x7F7F_FFFF, 0xFF7F_FFFF, 0x0000_0001, 0x8000_0001, 0x0080_0000, 0x007F_FFFF,
        0x4B00_0000, 0x4AFF_FFFF, 0x4B00_0001, 0x4EFF_FFFF, 0x4F00_0000, 0xCF00_0000, 0xCF00_0001, 0x4F7F_FFFF, 0x4F80_0000,
        0x5EFF_FFFF, 0x5F00_0000, 0xDF00_0000, 0xDF00_0001, 0x5F7F_FFFF, 0x5F80_0000, 0xBF7F_FFFF, 0x4B7F_FFFF,
    ];

    public static readonly ulong[] EdgesF64 =
    [
        0x0000_0000_0000_0000, 0x8000_0000_0000_0000, 0x3FF0_0000_0000_0000, 0xBFF0_0000_0000_0000, 0x3FE0_0000_0000_0000,
        0xBFE0_0000_0000_0000, 0x3FF8_0000_0000_0000, 0x4004_0000_0000_0000, 0xC004_0000_0000_0000, 0x3FDF_FFFF_FFFF_FFFF,
        0x3FEF_FFFF_FFFF_FFFF, 0xBFEF_FFFF_FFFF_FFFF, 0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000, 0x7FF8_0000_0000_0000,
        0xFFF8_0000_0000_0000, 0x7FF4_0000_0000_0000, 0xFFF4_0000_0000_0000, 0x7FF8_0000_0000_0001, 0x7FF0_0000_0000_0001,
        0xFFFF_FFFF_FFFF_FFFF, 0x7FEF_FFFF_FFFF_FFFF, 0xFFEF_FFFF_FFFF_FFFF, 0x0000_0000_0000_0001, 0x8000_0000_0000_0001,
        0x0010_0000_0000_0000, 0x4330_0000_0000_0000, 0x432F_FFFF_FFFF_FFFF, 0x4340_0000_0000_0000, 0x4330_0000_0000_0001,
        0x41DF_FFFF_FFC0_0000, 0x41DF_FFFF_FFFF_FFFF, 0x41E0_0000_0000_0000, 0xC1E0_0000_0000_0000, 0xC1E0_0000_001F_FFFF,
        0xC1E0_0000_0020_0000, 0x41EF_FFFF_FFFF_FFFF, 0x41F0_0000_0000_0000, 0x43DF_FFFF_FFFF_FFFF, 0x43E0_0000_0000_0000,
        0xC3E0_0000_0000_0000, 0xC3E0_0000_0000_0001, 0x43EF_FFFF_FFFF_FFFF, 0x43F0_0000_0000_0000, 0x47EF_FFFF_E000_0000,
        0x47EF_FFFF_F000_0000, 0x3690_0000_0000_0000, 0x36A0_0000_0000_0000, 0x3810_0000_0000_0000,
    ];

    // Zeros, infinities and NaNs drawn often, so that pairs like (+0, -0) and (NaN, -NaN) come up in every run.
    private static readonly uint[] SpecialsF32 = [0x0000_0000, 0x8000_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0000, 0x7FA0_0001, 0x3F80_0000];

    private static readonly ulong[] SpecialsF64 =
    [
        0x0000_0000_0000_0000, 0x8000_0000_0000_0000, 0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000, 0x7FF8_0000_0000_0000,
        0xFFF8_0000_0000_0000, 0x7FF4_0000_0000_0001, 0x3FF0_0000_0000_0000,
    ];

    private static readonly int[] Counts = [0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, -1, -8, int.MinValue, int.MaxValue];

    /// <summary>A per-name seed (string.GetHashCode is randomised per process, so FNV-1a instead).</summary>
    public static ulong Seed(string name)
    {
        var hash = 0xCBF2_9CE4_8422_2325UL;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 0x0000_0100_0000_01B3UL;
        }
        return hash;
    }

    public static byte[] ToBytes(Vector128<byte> v)
    {
        var bytes = new byte[16];
        v.CopyTo(bytes);
        return bytes;
    }

    public static Vector128<byte> ToVector(byte[] bytes) => Vector128.Create(bytes);

    public static int I32(Vector128<byte> v) => I32(ToBytes(v));

    public static int I32(byte[] v) => BinaryPrimitives.ReadInt32LittleEndian(v);

    public static long I64(Vector128<byte> v) => I64(ToBytes(v));

    public static long I64(byte[] v) => BinaryPrimitives.ReadInt64LittleEndian(v);

    public static ulong U64(Vector128<byte> v) => BinaryPrimitives.ReadUInt64LittleEndian(ToBytes(v));

    public static float F32(Vector128<byte> v) => BitConverter.UInt32BitsToSingle(BinaryPrimitives.ReadUInt32LittleEndian(ToBytes(v)));

    public static double F64(Vector128<byte> v) => BitConverter.UInt64BitsToDouble(U64(v));

    public static Vector128<byte> Scalar(int x) => ToVector(ScalarBytes(x, 4));

    public static Vector128<byte> Scalar(long x) => ToVector(ScalarBytes(x, 8));

    public static Vector128<byte> Scalar(float x) => ToVector(ScalarBytes(BitConverter.SingleToUInt32Bits(x), 4));

    public static Vector128<byte> Scalar(double x) => ToVector(ScalarBytes((long)BitConverter.DoubleToUInt64Bits(x), 8));

    public static byte[] ScalarBytes(long value, int bytes)
    {
        var result = new byte[16];
        Set(result, bytes, 0, value);
        return result;
    }

    public static long Get(byte[] v, Lanes s, int i)
    {
        var span = v.AsSpan(i * s.Bytes, s.Bytes);
        return s.Bytes switch
        {
            1 => s.Signed ? (sbyte)span[0] : span[0],
            2 => s.Signed ? BinaryPrimitives.ReadInt16LittleEndian(span) : BinaryPrimitives.ReadUInt16LittleEndian(span),
            4 => s.Signed ? BinaryPrimitives.ReadInt32LittleEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span),
            _ => BinaryPrimitives.ReadInt64LittleEndian(span),
        };
    }

    public static ulong Raw(byte[] v, int bytes, int i) => bytes == 4
        ? BinaryPrimitives.ReadUInt32LittleEndian(v.AsSpan(i * 4))
        : BinaryPrimitives.ReadUInt64LittleEndian(v.AsSpan(i * 8));

    /// <summary>Writes the low bytes of value as lane i (little-endian): truncation is the wrapping the lanes need.</summary>
    public static void Set(byte[] v, int bytes, int i, long value)
    {
        for (var b = 0; b < bytes; b++)
        {
            v[(i * bytes) + b] = (byte)(value >> (8 * b));
        }
    }

    public static double Float(byte[] v, int bytes, int i) => bytes == 4 ? F32Lane(v, i) : F64Lane(v, i);

    public static double F32Lane(byte[] v, int i) => BitConverter.UInt32BitsToSingle((uint)Raw(v, 4, i));

    public static double F64Lane(byte[] v, int i) => BitConverter.UInt64BitsToDouble(Raw(v, 8, i));

    public static bool IsNaN(ulong bits, int bytes) => bytes == 4
        ? (bits & 0x7FFF_FFFF) > 0x7F80_0000
        : (bits & 0x7FFF_FFFF_FFFF_FFFF) > 0x7FF0_0000_0000_0000;

    public static bool IsCanonicalNaN(ulong bits, int bytes) => bytes == 4
        ? (bits & 0x7FFF_FFFF) == 0x7FC0_0000
        : (bits & 0x7FFF_FFFF_FFFF_FFFF) == 0x7FF8_0000_0000_0000;

    /// <summary>
    /// What an expected NaN lane stands for: the canonical NaN means "must be canonical", any other NaN means "must
    /// be arithmetic". Spec 4.3.3 nans{z*}: canonical unless some operand is a non-canonical NaN.
    /// </summary>
    public static ulong NaNMarker(int bytes, bool canonical) => bytes == 4
        ? (canonical ? 0x7FC0_0000UL : 0x7FC0_0001UL)
        : (canonical ? 0x7FF8_0000_0000_0000UL : 0x7FF8_0000_0000_0001UL);

    /// <summary>Float lanes from a double per lane (narrowed once for f32); NaN results become markers from the operands' lanes.</summary>
    public static byte[] FloatLanes(int bytes, byte[][] operands, Func<int, double> lane)
    {
        var result = new byte[16];
        for (var i = 0; i < 16 / bytes; i++)
        {
            var value = lane(i);
            var bits = double.IsNaN(value)
                ? NaNMarker(bytes, operands.All(o => !IsNaN(Raw(o, bytes, i), bytes) || IsCanonicalNaN(Raw(o, bytes, i), bytes)))
                : bytes == 4 ? BitConverter.SingleToUInt32Bits((float)value) : BitConverter.DoubleToUInt64Bits(value);
            Set(result, bytes, i, (long)bits);
        }
        return result;
    }

    public static (LaneMode[] Modes, int LaneBytes) Modes(byte[] expected, Shape shape)
    {
        if (shape == Shape.Exact)
        {
            return ([], 0);
        }
        var bytes = shape == Shape.F32 ? 4 : 8;
        LaneMode[] modes = [.. Enumerable.Range(0, 16 / bytes).Select(i => Raw(expected, bytes, i)).Select(bits =>
            !IsNaN(bits, bytes) ? LaneMode.Exact : IsCanonicalNaN(bits, bytes) ? LaneMode.CanonicalNaN : LaneMode.ArithmeticNaN)];
        return (modes, bytes);
    }

    /// <summary>
    /// Null when equal. The first modes.Length lanes of the given width may hold a NaN pattern, which only needs
    /// that class of NaN (either sign); everything else must match bit for bit.
    /// </summary>
    public static string? Compare(byte[] expected, byte[] actual, LaneMode[] modes, int bytes)
    {
        for (var i = 0; i < modes.Length; i++)
        {
            var bits = Raw(actual, bytes, i);
            switch (modes[i])
            {
                case LaneMode.CanonicalNaN when !IsCanonicalNaN(bits, bytes):
                    return $"lane {i} must be a canonical NaN";
                case LaneMode.ArithmeticNaN when !IsNaN(bits, bytes) || (bits & NaNMarker(bytes, true)) != NaNMarker(bytes, true):
                    return $"lane {i} must be an arithmetic NaN (quiet bit set)";
                case LaneMode.Exact when bits != Raw(expected, bytes, i):
                    return $"lane {i} differs";
                default:
                    break;
            }
        }
        var covered = modes.Length * bytes;
        return expected.AsSpan(covered).SequenceEqual(actual.AsSpan(covered)) ? null : "bits differ";
    }

    // --- random operands ---

    public static byte[] Operand(Rng rng, Arg arg, Flavor flavor) => arg switch
    {
        Arg.V128 => Vector(rng, flavor),
        Arg.Indices => Vector(rng, Flavor.Index),
        Arg.I32 => ScalarBytes((long)Lane(rng, rng.Chance(60) ? Flavor.I32 : flavor, 4), 4),
        Arg.I64 => ScalarBytes((long)Lane(rng, Flavor.I64, 8), 8),
        Arg.F32 => ScalarBytes((long)Lane(rng, Flavor.F32, 4), 4),
        Arg.F64 => ScalarBytes((long)Lane(rng, Flavor.F64, 8), 8),
        Arg.Count => ScalarBytes(rng.Chance(70) ? rng.Pick(Counts) : (int)rng.Next(), 4),
        Arg.U8 => ScalarBytes((long)Lane(rng, Flavor.I8, 1), 1),
        Arg.U16 => ScalarBytes((long)Lane(rng, Flavor.I16, 2), 2),
        Arg.U32 => ScalarBytes((long)Lane(rng, Flavor.I32, 4), 4),
        // Eight loaded bytes: a whole vector of the operation's flavour, of which the low eight are used.
        Arg.U64 => Vector(rng, flavor),
        _ => throw new ArgumentOutOfRangeException(nameof(arg)),
    };

    /// <summary>Mostly lanes of the operation's own flavour, sometimes another: 16 random bytes rarely hit 0x80 or a NaN.</summary>
    private static byte[] Vector(Rng rng, Flavor preferred)
    {
        var flavor = rng.Chance(75) ? preferred : (Flavor)rng.Below(7);
        var bytes = flavor switch
        {
            Flavor.I8 or Flavor.Index => 1,
            Flavor.I16 => 2,
            Flavor.I32 or Flavor.F32 => 4,
            _ => 8,
        };
        var result = new byte[16];
        var splat = rng.Chance(5);
        var first = Lane(rng, flavor, bytes);
        for (var i = 0; i < 16 / bytes; i++)
        {
            Set(result, bytes, i, (long)(splat ? first : Lane(rng, flavor, bytes)));
        }
        return result;
    }

    /// <summary>
    /// One lane. A single 64-bit draw decides the category (low byte) and supplies the value or edge index (the other
    /// bits); a second draw only for random 64-bit lanes. Tests run as Debug builds, where every call counts.
    /// </summary>
    private static ulong Lane(Rng rng, Flavor flavor, int bytes)
    {
        var r = rng.Next();
        var category = (int)(r & 0xFF);
        var rest = r >> 8;
        return flavor switch
        {
            Flavor.Index => category < 204 ? rest % 32 : rest % 256,
            Flavor.F32 when bytes == 4 => category switch
            {
                < 51 => EdgesF32[(int)(rest % (ulong)EdgesF32.Length)],
                < 128 => SpecialsF32[(int)(rest % (ulong)SpecialsF32.Length)],
                < 179 => BitConverter.SingleToUInt32Bits(((int)(rest % 161) - 80) * 0.25f),
                < 230 => BitConverter.SingleToUInt32Bits((int)rest * MathF.ScaleB(1, (int)(rest >> 40) % 40 - 20)),
                _ => (uint)rest,
            },
            Flavor.F64 when bytes == 8 => category switch
            {
                < 51 => EdgesF64[(int)(rest % (ulong)EdgesF64.Length)],
                < 128 => SpecialsF64[(int)(rest % (ulong)SpecialsF64.Length)],
                < 179 => BitConverter.DoubleToUInt64Bits(((int)(rest % 161) - 80) * 0.25),
                < 230 => BitConverter.DoubleToUInt64Bits((long)rng.Next() * Math.ScaleB(1, (int)(rest % 80) - 60)),
                _ => rng.Next(),
            },
            _ when category < 102 => bytes switch
            {
                1 => Edges8[(int)(rest % (ulong)Edges8.Length)],
                2 => Edges16[(int)(rest % (ulong)Edges16.Length)],
                4 => Edges32[(int)(rest % (ulong)Edges32.Length)],
                _ => Edges64[(int)(rest % (ulong)Edges64.Length)],
            },
            _ => bytes == 8 ? rng.Next() : rest,
        };
    }

    /// <summary>Makes some lanes of b equal to (or the negation of) a's, so equal and ±0 pairs are common.</summary>
    public static void Correlate(Rng rng, byte[] a, byte[] b, Flavor flavor)
    {
        var bytes = flavor switch
        {
            Flavor.I8 or Flavor.Index => 1,
            Flavor.I16 => 2,
            Flavor.I32 or Flavor.F32 => 4,
            _ => 8,
        };
        for (var i = 0; i < 16 / bytes; i++)
        {
            if (rng.Chance(50))
            {
                a.AsSpan(i * bytes, bytes).CopyTo(b.AsSpan(i * bytes));
                if (rng.Chance(50))
                {
                    b[(i * bytes) + bytes - 1] ^= 0x80;
                }
            }
        }
    }

    // --- exact conversions for the references ---

    /// <summary>Truncates toward zero and clamps, in BigInteger (exact for every double); NaN gives 0.</summary>
    public static BigInteger TruncSat(double x, BigInteger min, BigInteger max) =>
        double.IsNaN(x) ? BigInteger.Zero
        : double.IsPositiveInfinity(x) ? max
        : double.IsNegativeInfinity(x) ? min
        : BigInteger.Clamp(new BigInteger(Math.Truncate(x)), min, max);

    public static ulong U32Bits(BigInteger x) => (ulong)(uint)(x & uint.MaxValue);

    public static ulong U64Bits(BigInteger x) => (ulong)(x & ulong.MaxValue);

    /// <summary>Rounds |x| to 24 significant bits by hand, ties to even; the result is exact in float.</summary>
    public static float RoundToF32(BigInteger x) => (float)RoundToBits(x, 24);

    public static double RoundToF64(BigInteger x) => RoundToBits(x, 53);

    private static double RoundToBits(BigInteger x, int precision)
    {
        var negative = x.Sign < 0;
        var magnitude = BigInteger.Abs(x);
        var length = (int)magnitude.GetBitLength();
        if (length <= precision)
        {
            return negative ? -(double)magnitude : (double)magnitude;
        }
        var shift = length - precision;
        var kept = magnitude >> shift;
        var rest = magnitude - (kept << shift);
        var half = BigInteger.One << (shift - 1);
        if (rest > half || (rest == half && !kept.IsEven))
        {
            kept += 1;
        }
        var value = Math.ScaleB((double)kept, shift);
        return negative ? -value : value;
    }
}

/// <summary>SplitMix64: a fixed, documented sequence for any seed, unlike System.Random across .NET versions.</summary>
internal sealed class Rng(ulong seed)
{
    private ulong state = seed;

    public ulong Next()
    {
        state += 0x9E37_79B9_7F4A_7C15;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform below n by multiply-high (Lemire), much cheaper than a 64-bit division.</summary>
    public int Below(int n) => (int)Math.BigMul(Next(), (ulong)n, out _);

    public bool Chance(int percent) => Below(100) < percent;

    public T Pick<T>(T[] items) => items[Below(items.Length)];
}

/// <summary>The rows of src/Wasmrun/Engine/Opcodes.txt, read the way its header describes.</summary>
internal static class OpcodeRows
{
    public sealed record Row(string Encoding, string Mnemonic, string Immediates, string Exec);

    public static IReadOnlyList<Row> Load() => Rows.Value;

    private static readonly Lazy<List<Row>> Rows = new(() =>
        [.. File.ReadLines(Path.Combine(RepositoryRoot.Path, "src", "Wasmrun", "Engine", "Opcodes.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('|').Select(part => part.Trim()).ToArray())
            .Select(parts => new Row(parts[0], parts[1].Split(' ')[0], parts[2], parts[4]))]);

    /// <summary>`i8x16.add_sat_s` becomes `I8x16AddSatS`: split on '.' and '_', capitalise each part.</summary>
    public static string MethodName(string mnemonic) =>
        string.Concat(mnemonic.Split('.', '_').Select(part => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));
}

/// <summary>
/// Runs the spec suite's assert_return/assert_trap commands of functions whose whole body is one instruction applied
/// to the parameters in order (`local.get 0 .. local.get n-1; op; end`), read from the suite's .wasm files.
/// </summary>
internal static class SpecVectors
{
    /// <summary>Calls one instruction: operands in the low bytes of 16-byte values, lane/shuffle immediates; null means it traps.</summary>
    public delegate Vector128<byte>? Instruction(Vector128<byte>[] args, byte[] immediates);

    public sealed record Outcome(int Checked, List<string> Failures);

    private sealed record Function(string Mnemonic, byte[] Immediates, Instruction Call);

    /// <summary>Checks every assert_return and assert_trap of the .wast scripts that invokes a single-instruction
    /// function the lookup knows, against the library alone (no interpreter in between).</summary>
    public static Outcome Run(IEnumerable<string> scripts, Func<string, Instruction?> lookup)
    {
        var byEncoding = OpcodeRows.Load().ToDictionary(row => row.Encoding, StringComparer.Ordinal);
        var instructions = new Dictionary<string, Instruction?>(StringComparer.Ordinal);
        Instruction? Find(string mnemonic) =>
            instructions.TryGetValue(mnemonic, out var known) ? known : instructions[mnemonic] = lookup(mnemonic);
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var script in scripts)
        {
            var name = Path.GetFileNameWithoutExtension(script);
            var text = File.ReadAllText(script);
            var reader = new TokenReader(text, TextLexer.Tokenize(text));
            var current = new Dictionary<string, Function>(StringComparer.Ordinal);
            var named = new Dictionary<string, Dictionary<string, Function>>(StringComparer.Ordinal);
            while (reader.Kind == TokenKind.LeftParen)
            {
                var open = reader.Position;
                var keyword = reader.OpenKeyword().ToString();
                reader.Position += 2;
                if (keyword == "module" && reader.OptionalId() is var moduleId && !reader.IsAtom("binary") && !reader.IsAtom("quote"))
                {
                    current = ReadModule(TextModuleParser.ParseFields(reader), byEncoding, Find);
                    if (moduleId is not null)
                    {
                        named[moduleId] = current;
                    }
                }
                else if (keyword is "assert_return" or "assert_trap" && reader.IsOpen("invoke"))
                {
                    reader.Position += 2;
                    var target = reader.OptionalId();
                    var field = Encoding.UTF8.GetString(reader.Name());
                    var args = new List<Value>();
                    while (reader.Kind == TokenKind.LeftParen)
                    {
                        args.Add(WastValues.Argument(reader));
                    }
                    reader.Expect(TokenKind.RightParen);
                    var functions = target is null ? current : named[target];
                    if (functions.TryGetValue(field, out var function))
                    {
                        checkedCount++;
                        var problem = keyword == "assert_trap" ? ExpectTrap(function, args) : Expect(function, args, WastValues.Result(reader));
                        if (problem is not null)
                        {
                            // The line is counted only for a failure: counting it for 22,000 passing assertions would
                            // scan the script once for each.
                            var line = 1 + text.AsSpan(0, reader.Tokens[open].Start).Count('\n');
                            failures.Add($"{name}.wast:{line} {function.Mnemonic}({string.Join(", ", args)}) {problem}");
                        }
                    }
                }
                reader.SkipTo(open);
            }
        }
        return new Outcome(checkedCount, failures);
    }

    private static Vector128<byte>? Call(Function function, List<Value> args) =>
        function.Call([.. args.Select(arg => LaneData.ToVector(Bytes(arg)))], function.Immediates);

    private static string? ExpectTrap(Function function, List<Value> args) =>
        Call(function, args) is { } value ? $"= {Convert.ToHexStringLower(LaneData.ToBytes(value))}, expected a trap" : null;

    private static string? Expect(Function function, List<Value> args, ResultPattern expected)
    {
        if (Call(function, args) is not { } result)
        {
            return $"trapped, expected {expected}";
        }
        var bytes = LaneData.ToBytes(result);
        var actual = Value.FromBits(expected.Type, BinaryPrimitives.ReadUInt64LittleEndian(bytes), expected.Type == ValType.V128 ? BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)) : 0);
        return expected.Matches(actual) ? null : $"= {Convert.ToHexStringLower(bytes)}, expected {expected}";
    }

    // A value as the 16 bytes the library's instructions take (a scalar in the low bytes).
    private static byte[] Bytes(Value value)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value.Bits);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), value.Type == ValType.V128 ? value.High : 0);
        return bytes;
    }

    /// <summary>The exported functions of a module that are one instruction the lookup knows.</summary>
    private static Dictionary<string, Function> ReadModule(byte[] wasm, Dictionary<string, OpcodeRows.Row> byEncoding, Func<string, Instruction?> lookup)
    {
        var reader = new Reader(wasm, 8);
        var paramCounts = new List<int>();
        var functionTypes = new List<int>();
        var exports = new List<(string Name, int Index)>();
        var bodies = new List<(int Start, int End)>();
        var imported = 0;
        while (reader.Position < wasm.Length)
        {
            var id = reader.Byte();
            var size = (int)reader.U32();
            var end = reader.Position + size;
            switch (id)
            {
                case 1:
                    for (var n = reader.U32(); n > 0; n--)
                    {
                        reader.Byte(); // 0x60
                        var parameters = (int)reader.U32();
                        reader.Position += parameters;
                        var results = (int)reader.U32();
                        reader.Position += results;
                        paramCounts.Add(parameters);
                    }
                    break;
                case 2:
                    for (var n = reader.U32(); n > 0; n--)
                    {
                        reader.Name();
                        reader.Name();
                        var kind = reader.Byte();
                        if (kind == 0)
                        {
                            reader.U32();
                            imported++;
                        }
                        else if (kind == 3)
                        {
                            reader.Position += 2;
                        }
                        else
                        {
                            if (kind == 1)
                            {
                                reader.Byte();
                            }
                            var flags = reader.Byte();
                            reader.U32();
                            if ((flags & 1) != 0)
                            {
                                reader.U32();
                            }
                        }
                    }
                    break;
                case 3:
                    for (var n = reader.U32(); n > 0; n--)
                    {
                        functionTypes.Add((int)reader.U32());
                    }
                    break;
                case 7:
                    for (var n = reader.U32(); n > 0; n--)
                    {
                        var exportName = reader.Name();
                        var kind = reader.Byte();
                        var index = (int)reader.U32();
                        if (kind == 0)
                        {
                            exports.Add((exportName, index));
                        }
                    }
                    break;
                case 10:
                    for (var n = reader.U32(); n > 0; n--)
                    {
                        var bodySize = (int)reader.U32();
                        bodies.Add((reader.Position, reader.Position + bodySize));
                        reader.Position += bodySize;
                    }
                    break;
                default:
                    break;
            }
            reader.Position = end;
        }
        var functions = new Dictionary<string, Function>(StringComparer.Ordinal);
        foreach (var (exportName, index) in exports)
        {
            var defined = index - imported;
            if (defined >= 0 && defined < bodies.Count && SingleInstruction(wasm, bodies[defined], paramCounts[functionTypes[defined]], byEncoding, lookup) is { } function)
            {
                functions[exportName] = function;
            }
        }
        return functions;
    }

    private static Function? SingleInstruction(byte[] wasm, (int Start, int End) body, int parameters, Dictionary<string, OpcodeRows.Row> byEncoding, Func<string, Instruction?> lookup)
    {
        var reader = new Reader(wasm, body.Start);
        if (reader.U32() != 0)
        {
            return null; // declares locals
        }
        for (var i = 0; i < parameters; i++)
        {
            if (reader.Byte() != 0x20 || reader.U32() != i)
            {
                return null;
            }
        }
        var first = reader.Byte();
        var encoding = first is 0xFC or 0xFD ? $"0x{first:X2} 0x{reader.U32():X2}" : $"0x{first:X2}";
        if (!byEncoding.TryGetValue(encoding, out var row))
        {
            return null;
        }
        var immediateBytes = row.Immediates switch
        {
            "-" => 0,
            "shuffle" => 16,
            _ when row.Immediates.StartsWith("lane:", StringComparison.Ordinal) => 1,
            _ => -1,
        };
        if (immediateBytes < 0 || reader.Position + immediateBytes + 1 != body.End || wasm[body.End - 1] != 0x0B || lookup(row.Mnemonic) is not { } call)
        {
            return null;
        }
        return new Function(row.Mnemonic, wasm[reader.Position..(reader.Position + immediateBytes)], call);
    }

    private sealed class Reader(byte[] bytes, int position)
    {
        public int Position { get; set; } = position;

        public byte Byte() => bytes[Position++];

        public uint U32()
        {
            uint result = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = Byte();
                result |= (uint)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return result;
                }
            }
        }

        public string Name()
        {
            var length = (int)U32();
            Position += length;
            return Encoding.UTF8.GetString(bytes, Position - length, length);
        }
    }
}
