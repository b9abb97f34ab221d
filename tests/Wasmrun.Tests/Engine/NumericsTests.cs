// Numerics checked against independent references (the spec's case analysis, BigInteger truncation, rounding by
// hand) on seeded random inputs, against the spec suite's scalar float scripts, and on known double-rounding traps.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Wasmrun.Engine.Execute;
using Wasmrun.Tests.Spec;

namespace Wasmrun.Tests.Engine;

public sealed class NumericsTests
{
    /// <summary>Every public method of Numerics; each must be exercised by at least one case.</summary>
    private static readonly string[] ExpectedMethods =
    [
        "F32Min", "F32Max", "F64Min", "F64Max", "F32Nearest", "F64Nearest", "F32Copysign", "F64Copysign", "F32Abs",
        "F32Neg", "F64Abs", "F64Neg", "I32TruncSatF32S", "I32TruncSatF32U", "I32TruncSatF64S", "I32TruncSatF64U",
        "I64TruncSatF32S", "I64TruncSatF32U", "I64TruncSatF64S", "I64TruncSatF64U", "I32TruncF32SInRange",
        "I32TruncF32UInRange", "I32TruncF64SInRange", "I32TruncF64UInRange", "I64TruncF32SInRange",
        "I64TruncF32UInRange", "I64TruncF64SInRange", "I64TruncF64UInRange", "I32TruncF32U", "I32TruncF64U",
        "I64TruncF32U", "I64TruncF64U", "F32ConvertI32U", "F32ConvertI64U", "F64ConvertI32U", "F64ConvertI64U",
        "F32ConvertI64S", "F32DemoteF64", "F64PromoteF32",
    ];

    /// <summary>The scripts with single-instruction scalar float functions (f32.wast's "min", conversions.wast's "i32.trunc_f32_u", ...).</summary>
    private static readonly string[] Scripts = ["f32", "f64", "f32_bitwise", "f64_bitwise", "conversions", "float_misc", "float_exprs", "traps"];

    public static IEnumerable<string> Mnemonics() => ScalarCases.All.Select(c => c.Mnemonic);

    [Test]
    public async Task Every_method_is_exercised_by_a_case()
    {
        var covered = ScalarCases.All.SelectMany(c => c.Methods).Distinct().ToList();
        await Assert.That(ExpectedMethods.Except(covered).ToList()).IsEmpty();
        await Assert.That(covered.Except(ExpectedMethods).ToList()).IsEmpty();
    }

    [Test]
    [MethodDataSource(nameof(Mnemonics))]
    public async Task Matches_the_reference(string mnemonic)
    {
        await Assert.That(ScalarCases.ByMnemonic[mnemonic].Run(3_000)).IsEmpty();
    }

    [Test]
    public async Task Matches_the_spec_suite_on_its_single_instruction_functions()
    {
        if (SpecSuite.ScriptDirectory is null)
        {
            Skip.Test(SpecSuite.MissingMessage);
        }
        var outcome = SpecVectors.Run(
            Scripts.Select(name => Path.Combine(SpecSuite.ScriptDirectory!, name + ".wast")),
            mnemonic => ScalarCases.ByMnemonic.TryGetValue(mnemonic, out var found) ? (args, _) => found.Actual(args) : null);
        await Assert.That(outcome.Failures).IsEmpty();
        // Measured: 2,883 assertions (min/max/nearest/copysign/abs/neg of f32/f64.wast, conversions.wast, ...); a
        // collapse means the reader stopped recognising the functions, not that the library got better.
        await Assert.That(outcome.Checked).IsGreaterThan(2_800);
    }

    [Test]
    [Arguments(0x0020_0000_2000_0001L, 0x5A00_0001u)] // 2^53 + 2^29 + 1: through f64 it would round to 2^53
    [Arguments(-0x0020_0000_2000_0001L, 0xDA00_0001u)]
    [Arguments(0x7FFF_FF40_0000_0001L, 0x5EFF_FFFFu)]
    [Arguments(unchecked((long)0x8000_0040_0000_0001UL), 0xDEFF_FFFFu)]
    [Arguments(16777217L, 0x4B80_0000u)] // a tie: to even
    [Arguments(long.MinValue, 0xDF00_0000u)]
    public async Task Int64_to_float32_rounds_once(long value, uint bits)
    {
        await Assert.That(BitConverter.SingleToUInt32Bits(Numerics.F32ConvertI64S(value))).IsEqualTo(bits);
    }

    [Test]
    [Arguments(0x0020_0000_2000_0001UL, 0x5A00_0001u)]
    [Arguments(0x8000_0080_0000_0001UL, 0x5F00_0001u)]
    [Arguments(0xFFFF_FE80_0000_0001UL, 0x5F7F_FFFFu)]
    [Arguments(0xFFFF_FFFF_FFFF_FFFFUL, 0x5F80_0000u)]
    [Arguments(0x7FFF_FFBF_FFFF_FFFFUL, 0x5EFF_FFFFu)]
    public async Task Uint64_to_float32_rounds_once(ulong value, uint bits)
    {
        await Assert.That(BitConverter.SingleToUInt32Bits(Numerics.F32ConvertI64U((long)value))).IsEqualTo(bits);
        await Assert.That(BitConverter.SingleToUInt32Bits(Numerics.F32ConvertI32U(-1))).IsEqualTo(0x4F80_0000u);
    }

    [Test]
    [Arguments(0xFFFF_FFFF_FFFF_FFFFUL, 0x43F0_0000_0000_0000UL)]
    [Arguments(0x8000_0000_0000_0401UL, 0x43E0_0000_0000_0001UL)] // above the tie: rounds up
    [Arguments(0x8000_0000_0000_0400UL, 0x43E0_0000_0000_0000UL)] // the tie: to even
    [Arguments(0x0020_0000_0000_0001UL, 0x4340_0000_0000_0000UL)]
    public async Task Uint64_to_float64_rounds_once(ulong value, ulong bits)
    {
        await Assert.That(BitConverter.DoubleToUInt64Bits(Numerics.F64ConvertI64U((long)value))).IsEqualTo(bits);
    }

    [Test]
    public async Task Truncation_range_checks_sit_exactly_at_the_spec_bounds()
    {
        await Assert.That(Numerics.I32TruncF64SInRange(-2147483648.9)).IsTrue();
        await Assert.That(Numerics.I32TruncF64SInRange(-2147483649.0)).IsFalse();
        await Assert.That(Numerics.I32TruncF64SInRange(2147483647.9)).IsTrue();
        await Assert.That(Numerics.I32TruncF64SInRange(2147483648.0)).IsFalse();
        await Assert.That(Numerics.I32TruncF32SInRange(-2147483648f)).IsTrue();
        await Assert.That(Numerics.I32TruncF32UInRange(-0.99999994f)).IsTrue();
        await Assert.That(Numerics.I32TruncF32UInRange(-1f)).IsFalse();
        await Assert.That(Numerics.I32TruncF64UInRange(4294967295.9)).IsTrue();
        await Assert.That(Numerics.I64TruncF64SInRange(-9223372036854775808.0)).IsTrue();
        await Assert.That(Numerics.I64TruncF64SInRange(9223372036854775808.0)).IsFalse();
        await Assert.That(Numerics.I64TruncF64UInRange(18446744073709549568.0)).IsTrue();
        await Assert.That(Numerics.I64TruncF64UInRange(double.NaN)).IsFalse();
        await Assert.That(Numerics.I64TruncF64U(18446744073709549568.0)).IsEqualTo(unchecked((long)18446744073709549568UL));
        await Assert.That(Numerics.I32TruncF64U(4294967295.9)).IsEqualTo(-1);
        await Assert.That(Numerics.I64TruncSatF32U(float.PositiveInfinity)).IsEqualTo(-1L);
        await Assert.That(Numerics.I64TruncSatF64S(double.NegativeInfinity)).IsEqualTo(long.MinValue);
        await Assert.That(Numerics.I32TruncSatF32S(float.NaN)).IsEqualTo(0);
    }

    [Test]
    public async Task Sign_rounding_and_nan_rules()
    {
        await Assert.That(BitConverter.DoubleToUInt64Bits(Numerics.F64Nearest(-0.4))).IsEqualTo(0x8000_0000_0000_0000UL);
        await Assert.That(Numerics.F64Nearest(2.5)).IsEqualTo(2.0);
        await Assert.That(Numerics.F32Nearest(-3.5f)).IsEqualTo(-4f);
        await Assert.That(Numerics.F32Nearest(8388609f)).IsEqualTo(8388609f);
        await Assert.That(BitConverter.SingleToUInt32Bits(Numerics.F32Min(0f, -0f))).IsEqualTo(0x8000_0000u);
        await Assert.That(BitConverter.DoubleToUInt64Bits(Numerics.F64Max(-0.0, 0.0))).IsEqualTo(0UL);
        await Assert.That(BitConverter.SingleToUInt32Bits(Numerics.F32Max(1f, Bits32(0x7F80_0001)))).IsEqualTo(0x7FC0_0001u);
        await Assert.That(BitConverter.SingleToUInt32Bits(Numerics.F32Copysign(Bits32(0x7F80_0001), -1f))).IsEqualTo(0xFF80_0001u);
        await Assert.That(BitConverter.SingleToUInt32Bits(Numerics.F32Neg(Bits32(0xFFA0_0000)))).IsEqualTo(0x7FA0_0000u);
        await Assert.That(BitConverter.DoubleToUInt64Bits(Numerics.F64Abs(Bits64(0xFFF0_0000_0000_0001)))).IsEqualTo(0x7FF0_0000_0000_0001UL);
        await Assert.That(BitConverter.SingleToUInt32Bits(Numerics.F32DemoteF64(Bits64(0x7FF8_0000_0000_0000)))).IsEqualTo(0x7FC0_0000u);
        await Assert.That(BitConverter.SingleToUInt32Bits(Numerics.F32DemoteF64(Bits64(0xFFF0_0000_2000_0000)))).IsEqualTo(0xFFC0_0001u);
        await Assert.That(BitConverter.DoubleToUInt64Bits(Numerics.F64PromoteF32(Bits32(0x7F80_0001)))).IsEqualTo(0x7FF8_0000_2000_0000UL);
        await Assert.That(BitConverter.SingleToUInt32Bits(Numerics.F32DemoteF64(Bits64(0x47EF_FFFF_F000_0000)))).IsEqualTo(0x7F80_0000u);
    }

    // Not inlined, so the JIT cannot fold the value: an optimised build keeps float constants as doubles, which turns
    // a signalling NaN constant into a quiet one before the method under test sees it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Bits32(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Bits64(ulong bits) => BitConverter.UInt64BitsToDouble(bits);
}

/// <summary>One Numerics operation under its spec mnemonic: the methods it covers, operands, call and reference.</summary>
internal sealed record ScalarCase(
    string Mnemonic,
    string[] Methods,
    Arg[] Args,
    Shape Result,
    Func<Vector128<byte>[], Vector128<byte>?> Actual,
    Func<byte[][], byte[]?> Reference)
{
    public List<string> Run(int iterations)
    {
        var failures = new List<string>();
        var rng = new Rng(LaneData.Seed(Mnemonic));
        for (var i = 0; i < iterations && failures.Count < 5; i++)
        {
            var args = new byte[Args.Length][];
            var vectors = new Vector128<byte>[Args.Length];
            for (var a = 0; a < args.Length; a++)
            {
                args[a] = ScalarCases.Operand(rng, Args[a]);
                vectors[a] = LaneData.ToVector(args[a]);
            }
            var expected = Reference(args);
            var actual = Actual(vectors);
            string Inputs() => string.Join(", ", args.Select(a => Convert.ToHexStringLower(a.AsSpan(0, 8))));
            if (expected is null || actual is null)
            {
                if (expected is not null || actual is not null)
                {
                    failures.Add($"{Mnemonic}({Inputs()}): expected {(expected is null ? "a trap" : Convert.ToHexStringLower(expected))}, got {(actual is { } value ? Convert.ToHexStringLower(LaneData.ToBytes(value)) : "a trap")}");
                }
                continue;
            }
            var (modes, laneBytes) = LaneData.Modes(expected, Result);
            var bytes = LaneData.ToBytes(actual.Value);
            if (LaneData.Compare(expected, bytes, modes, laneBytes) is { } problem)
            {
                failures.Add($"{Mnemonic}({Inputs()}) = {Convert.ToHexStringLower(bytes)}, expected {Convert.ToHexStringLower(expected)}: {problem}");
            }
        }
        return failures;
    }
}

internal static class ScalarCases
{
    private static readonly BigInteger I32Min = int.MinValue;
    private static readonly BigInteger I32Max = int.MaxValue;
    private static readonly BigInteger U32Max = uint.MaxValue;
    private static readonly BigInteger I64Min = long.MinValue;
    private static readonly BigInteger I64Max = long.MaxValue;
    private static readonly BigInteger U64Max = ulong.MaxValue;

    public static readonly ScalarCase[] All =
    [
        // --- min, max, nearest: the spec's case analysis on doubles (f32 widens exactly) ---
        FloatBinary("f32.min", nameof(Numerics.F32Min), 4, (x, y) => LaneData.Scalar(Numerics.F32Min(LaneData.F32(x), LaneData.F32(y))), SimdCases.SpecMin),
        FloatBinary("f32.max", nameof(Numerics.F32Max), 4, (x, y) => LaneData.Scalar(Numerics.F32Max(LaneData.F32(x), LaneData.F32(y))), SimdCases.SpecMax),
        FloatBinary("f64.min", nameof(Numerics.F64Min), 8, (x, y) => LaneData.Scalar(Numerics.F64Min(LaneData.F64(x), LaneData.F64(y))), SimdCases.SpecMin),
        FloatBinary("f64.max", nameof(Numerics.F64Max), 8, (x, y) => LaneData.Scalar(Numerics.F64Max(LaneData.F64(x), LaneData.F64(y))), SimdCases.SpecMax),
        new("f32.nearest", [nameof(Numerics.F32Nearest)], [Arg.F32], Shape.F32,
            a => LaneData.Scalar(Numerics.F32Nearest(LaneData.F32(a[0]))),
            a => FloatResult(4, a, SimdCases.SpecNearest(LaneData.F32Lane(a[0], 0)))),
        new("f64.nearest", [nameof(Numerics.F64Nearest)], [Arg.F64], Shape.F64,
            a => LaneData.Scalar(Numerics.F64Nearest(LaneData.F64(a[0]))),
            a => FloatResult(8, a, SimdCases.SpecNearest(LaneData.F64Lane(a[0], 0)))),

        // --- sign operations: pure bit operations, NaN payloads included ---
        new("f32.copysign", [nameof(Numerics.F32Copysign)], [Arg.F32, Arg.F32], Shape.Exact,
            a => LaneData.Scalar(Numerics.F32Copysign(LaneData.F32(a[0]), LaneData.F32(a[1]))),
            a => Bits(4, (Raw(a[0], 4) & 0x7FFF_FFFF) | (Raw(a[1], 4) & 0x8000_0000))),
        new("f64.copysign", [nameof(Numerics.F64Copysign)], [Arg.F64, Arg.F64], Shape.Exact,
            a => LaneData.Scalar(Numerics.F64Copysign(LaneData.F64(a[0]), LaneData.F64(a[1]))),
            a => Bits(8, (Raw(a[0], 8) & 0x7FFF_FFFF_FFFF_FFFF) | (Raw(a[1], 8) & 0x8000_0000_0000_0000))),
        new("f32.abs", [nameof(Numerics.F32Abs)], [Arg.F32], Shape.Exact,
            a => LaneData.Scalar(Numerics.F32Abs(LaneData.F32(a[0]))), a => Bits(4, Raw(a[0], 4) & 0x7FFF_FFFF)),
        new("f32.neg", [nameof(Numerics.F32Neg)], [Arg.F32], Shape.Exact,
            a => LaneData.Scalar(Numerics.F32Neg(LaneData.F32(a[0]))), a => Bits(4, Raw(a[0], 4) ^ 0x8000_0000)),
        new("f64.abs", [nameof(Numerics.F64Abs)], [Arg.F64], Shape.Exact,
            a => LaneData.Scalar(Numerics.F64Abs(LaneData.F64(a[0]))), a => Bits(8, Raw(a[0], 8) & 0x7FFF_FFFF_FFFF_FFFF)),
        new("f64.neg", [nameof(Numerics.F64Neg)], [Arg.F64], Shape.Exact,
            a => LaneData.Scalar(Numerics.F64Neg(LaneData.F64(a[0]))), a => Bits(8, Raw(a[0], 8) ^ 0x8000_0000_0000_0000)),

        // --- saturating truncation: BigInteger truncation clamped to the range, NaN to 0 ---
        TruncSat("i32.trunc_sat_f32_s", nameof(Numerics.I32TruncSatF32S), Arg.F32, 4, I32Min, I32Max, x => LaneData.Scalar(Numerics.I32TruncSatF32S(LaneData.F32(x)))),
        TruncSat("i32.trunc_sat_f32_u", nameof(Numerics.I32TruncSatF32U), Arg.F32, 4, 0, U32Max, x => LaneData.Scalar(Numerics.I32TruncSatF32U(LaneData.F32(x)))),
        TruncSat("i32.trunc_sat_f64_s", nameof(Numerics.I32TruncSatF64S), Arg.F64, 4, I32Min, I32Max, x => LaneData.Scalar(Numerics.I32TruncSatF64S(LaneData.F64(x)))),
        TruncSat("i32.trunc_sat_f64_u", nameof(Numerics.I32TruncSatF64U), Arg.F64, 4, 0, U32Max, x => LaneData.Scalar(Numerics.I32TruncSatF64U(LaneData.F64(x)))),
        TruncSat("i64.trunc_sat_f32_s", nameof(Numerics.I64TruncSatF32S), Arg.F32, 8, I64Min, I64Max, x => LaneData.Scalar(Numerics.I64TruncSatF32S(LaneData.F32(x)))),
        TruncSat("i64.trunc_sat_f32_u", nameof(Numerics.I64TruncSatF32U), Arg.F32, 8, 0, U64Max, x => LaneData.Scalar(Numerics.I64TruncSatF32U(LaneData.F32(x)))),
        TruncSat("i64.trunc_sat_f64_s", nameof(Numerics.I64TruncSatF64S), Arg.F64, 8, I64Min, I64Max, x => LaneData.Scalar(Numerics.I64TruncSatF64S(LaneData.F64(x)))),
        TruncSat("i64.trunc_sat_f64_u", nameof(Numerics.I64TruncSatF64U), Arg.F64, 8, 0, U64Max, x => LaneData.Scalar(Numerics.I64TruncSatF64U(LaneData.F64(x)))),

        // --- trapping truncation: the range check, then the signed cast or the unsigned conversion ---
        Trunc("i32.trunc_f32_s", [nameof(Numerics.I32TruncF32SInRange)], Arg.F32, 4, I32Min, I32Max,
            x => Numerics.I32TruncF32SInRange(LaneData.F32(x)) ? LaneData.Scalar((int)LaneData.F32(x)) : null),
        Trunc("i32.trunc_f32_u", [nameof(Numerics.I32TruncF32UInRange), nameof(Numerics.I32TruncF32U)], Arg.F32, 4, 0, U32Max,
            x => Numerics.I32TruncF32UInRange(LaneData.F32(x)) ? LaneData.Scalar(Numerics.I32TruncF32U(LaneData.F32(x))) : null),
        Trunc("i32.trunc_f64_s", [nameof(Numerics.I32TruncF64SInRange)], Arg.F64, 4, I32Min, I32Max,
            x => Numerics.I32TruncF64SInRange(LaneData.F64(x)) ? LaneData.Scalar((int)LaneData.F64(x)) : null),
        Trunc("i32.trunc_f64_u", [nameof(Numerics.I32TruncF64UInRange), nameof(Numerics.I32TruncF64U)], Arg.F64, 4, 0, U32Max,
            x => Numerics.I32TruncF64UInRange(LaneData.F64(x)) ? LaneData.Scalar(Numerics.I32TruncF64U(LaneData.F64(x))) : null),
        Trunc("i64.trunc_f32_s", [nameof(Numerics.I64TruncF32SInRange)], Arg.F32, 8, I64Min, I64Max,
            x => Numerics.I64TruncF32SInRange(LaneData.F32(x)) ? LaneData.Scalar((long)LaneData.F32(x)) : null),
        Trunc("i64.trunc_f32_u", [nameof(Numerics.I64TruncF32UInRange), nameof(Numerics.I64TruncF32U)], Arg.F32, 8, 0, U64Max,
            x => Numerics.I64TruncF32UInRange(LaneData.F32(x)) ? LaneData.Scalar(Numerics.I64TruncF32U(LaneData.F32(x))) : null),
        Trunc("i64.trunc_f64_s", [nameof(Numerics.I64TruncF64SInRange)], Arg.F64, 8, I64Min, I64Max,
            x => Numerics.I64TruncF64SInRange(LaneData.F64(x)) ? LaneData.Scalar((long)LaneData.F64(x)) : null),
        Trunc("i64.trunc_f64_u", [nameof(Numerics.I64TruncF64UInRange), nameof(Numerics.I64TruncF64U)], Arg.F64, 8, 0, U64Max,
            x => Numerics.I64TruncF64UInRange(LaneData.F64(x)) ? LaneData.Scalar(Numerics.I64TruncF64U(LaneData.F64(x))) : null),

        // --- integer to float: rounded by hand to 24 or 53 bits, ties to even ---
        new("f32.convert_i32_u", [nameof(Numerics.F32ConvertI32U)], [Arg.I32], Shape.Exact,
            a => LaneData.Scalar(Numerics.F32ConvertI32U(LaneData.I32(a[0]))),
            a => Bits(4, BitConverter.SingleToUInt32Bits(LaneData.RoundToF32((uint)LaneData.I32(a[0]))))),
        new("f32.convert_i64_u", [nameof(Numerics.F32ConvertI64U)], [Arg.I64], Shape.Exact,
            a => LaneData.Scalar(Numerics.F32ConvertI64U(LaneData.I64(a[0]))),
            a => Bits(4, BitConverter.SingleToUInt32Bits(LaneData.RoundToF32((ulong)LaneData.I64(a[0]))))),
        new("f32.convert_i64_s", [nameof(Numerics.F32ConvertI64S)], [Arg.I64], Shape.Exact,
            a => LaneData.Scalar(Numerics.F32ConvertI64S(LaneData.I64(a[0]))),
            a => Bits(4, BitConverter.SingleToUInt32Bits(LaneData.RoundToF32(LaneData.I64(a[0]))))),
        new("f64.convert_i32_u", [nameof(Numerics.F64ConvertI32U)], [Arg.I32], Shape.Exact,
            a => LaneData.Scalar(Numerics.F64ConvertI32U(LaneData.I32(a[0]))),
            a => Bits(8, BitConverter.DoubleToUInt64Bits(LaneData.RoundToF64((uint)LaneData.I32(a[0]))))),
        new("f64.convert_i64_u", [nameof(Numerics.F64ConvertI64U)], [Arg.I64], Shape.Exact,
            a => LaneData.Scalar(Numerics.F64ConvertI64U(LaneData.I64(a[0]))),
            a => Bits(8, BitConverter.DoubleToUInt64Bits(LaneData.RoundToF64((ulong)LaneData.I64(a[0]))))),

        // --- demote, promote: a NaN result only has to be of the right class ---
        new("f32.demote_f64", [nameof(Numerics.F32DemoteF64)], [Arg.F64], Shape.F32,
            a => LaneData.Scalar(Numerics.F32DemoteF64(LaneData.F64(a[0]))),
            a => LaneData.IsNaN(Raw(a[0], 8), 8)
                ? Bits(4, LaneData.NaNMarker(4, LaneData.IsCanonicalNaN(Raw(a[0], 8), 8)))
                : Bits(4, BitConverter.SingleToUInt32Bits((float)LaneData.F64Lane(a[0], 0)))),
        new("f64.promote_f32", [nameof(Numerics.F64PromoteF32)], [Arg.F32], Shape.F64,
            a => LaneData.Scalar(Numerics.F64PromoteF32(LaneData.F32(a[0]))),
            a => LaneData.IsNaN(Raw(a[0], 4), 4)
                ? Bits(8, LaneData.NaNMarker(8, LaneData.IsCanonicalNaN(Raw(a[0], 4), 4)))
                : Bits(8, BitConverter.DoubleToUInt64Bits(LaneData.F32Lane(a[0], 0)))),
    ];

    public static readonly Dictionary<string, ScalarCase> ByMnemonic = All.ToDictionary(c => c.Mnemonic, StringComparer.Ordinal);

    /// <summary>
    /// Integer operands favour the values where rounding to 24 or 53 bits is decided: exact ties and their
    /// neighbours, at every magnitude (a uniformly random 64-bit value is almost never a tie).
    /// </summary>
    public static byte[] Operand(Rng rng, Arg arg)
    {
        if (arg is not (Arg.I32 or Arg.I64) || rng.Chance(40))
        {
            return LaneData.Operand(rng, arg, arg == Arg.I32 ? Flavor.I32 : Flavor.I64);
        }
        var width = arg == Arg.I32 ? 32 : 64;
        var top = rng.Below(width);
        var value = (rng.Next() >> (63 - top)) | (1UL << top);
        var round = top - (rng.Chance(50) ? 24 : 53);
        if (round >= 0)
        {
            value = (value & ~((2UL << round) - 1)) | (1UL << round);
            value += (ulong)(rng.Below(3) - 1);
        }
        if (rng.Chance(50))
        {
            value = 0 - value;
        }
        return LaneData.ScalarBytes((long)value, width / 8);
    }

    private static ulong Raw(byte[] value, int bytes) => LaneData.Raw(value, bytes, 0);

    private static byte[] Bits(int bytes, ulong bits) => LaneData.ScalarBytes((long)bits, bytes);

    /// <summary>A float result, or a NaN marker (canonical unless an operand is a non-canonical NaN).</summary>
    private static byte[] FloatResult(int bytes, byte[][] operands, double value) =>
        Bits(bytes, !double.IsNaN(value)
            ? bytes == 4 ? BitConverter.SingleToUInt32Bits((float)value) : BitConverter.DoubleToUInt64Bits(value)
            : LaneData.NaNMarker(bytes, operands.All(o => !LaneData.IsNaN(Raw(o, bytes), bytes) || LaneData.IsCanonicalNaN(Raw(o, bytes), bytes))));

    private static ScalarCase FloatBinary(string mnemonic, string method, int bytes, Func<Vector128<byte>, Vector128<byte>, Vector128<byte>> op, Func<double, double, double> f) =>
        new(mnemonic, [method], bytes == 4 ? [Arg.F32, Arg.F32] : [Arg.F64, Arg.F64], bytes == 4 ? Shape.F32 : Shape.F64,
            a => op(a[0], a[1]),
            a => FloatResult(bytes, a, f(LaneData.Float(a[0], bytes, 0), LaneData.Float(a[1], bytes, 0))));

    private static ScalarCase TruncSat(string mnemonic, string method, Arg arg, int resultBytes, BigInteger min, BigInteger max, Func<Vector128<byte>, Vector128<byte>> op) =>
        new(mnemonic, [method], [arg], Shape.Exact, a => op(a[0]),
            a => Bits(resultBytes, LaneData.U64Bits(LaneData.TruncSat(LaneData.Float(a[0], arg == Arg.F32 ? 4 : 8, 0), min, max))));

    private static ScalarCase Trunc(string mnemonic, string[] methods, Arg arg, int resultBytes, BigInteger min, BigInteger max, Func<Vector128<byte>, Vector128<byte>?> op) =>
        new(mnemonic, methods, [arg], Shape.Exact, a => op(a[0]), a =>
        {
            var x = LaneData.Float(a[0], arg == Arg.F32 ? 4 : 8, 0);
            if (!double.IsFinite(x))
            {
                return null;
            }
            var truncated = new BigInteger(Math.Truncate(x));
            return truncated >= min && truncated <= max ? Bits(resultBytes, LaneData.U64Bits(truncated)) : null;
        });
}
