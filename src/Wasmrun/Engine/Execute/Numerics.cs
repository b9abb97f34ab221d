// Scalar float semantics that C# operators do not give bit-exactly (spec 4.3.3, 4.3.4): min/max, nearest, sign ops,
// saturating and range-checked truncation, correctly rounded integer-to-float conversion, demote/promote NaNs.
namespace Wasmrun.Engine.Execute;

internal static class Numerics
{
    private const uint F32SignBit = 0x8000_0000;
    private const uint F32QuietBit = 0x0040_0000;
    private const ulong F64SignBit = 0x8000_0000_0000_0000;
    private const ulong F64QuietBit = 0x0008_0000_0000_0000;

    // Powers of two at the edges of the integer ranges; each is exact in both float and double.
    private const double TwoPow31 = 2147483648.0;
    private const double TwoPow32 = 4294967296.0;
    private const double TwoPow63 = 9223372036854775808.0;
    private const double TwoPow64 = 18446744073709551616.0;

    // --- min, max (spec 4.3.3 fmin, fmax) ---
    // Math.Min also propagates NaN and orders -0 < +0, but does not promise which NaN or that it is quiet.

    public static float F32Min(float a, float b)
    {
        if (float.IsNaN(a) || float.IsNaN(b))
        {
            return QuietNaN(float.IsNaN(a) ? a : b);
        }
        // Equal operands differ at most in the sign of zero; OR-ing the bits makes -0 win.
        return a == b ? Bits(F32Bits(a) | F32Bits(b)) : a < b ? a : b;
    }

    public static float F32Max(float a, float b)
    {
        if (float.IsNaN(a) || float.IsNaN(b))
        {
            return QuietNaN(float.IsNaN(a) ? a : b);
        }
        // AND-ing the bits of equal operands makes +0 win.
        return a == b ? Bits(F32Bits(a) & F32Bits(b)) : a > b ? a : b;
    }

    public static double F64Min(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
        {
            return QuietNaN(double.IsNaN(a) ? a : b);
        }
        return a == b ? Bits(F64Bits(a) | F64Bits(b)) : a < b ? a : b;
    }

    public static double F64Max(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
        {
            return QuietNaN(double.IsNaN(a) ? a : b);
        }
        return a == b ? Bits(F64Bits(a) & F64Bits(b)) : a > b ? a : b;
    }

    // --- nearest, copysign, abs, neg (spec 4.3.3 fnearest, fcopysign, fabs, fneg) ---

    /// <summary>Round half to even; the result keeps the input's sign, so nearest(-0.4) is -0.</summary>
    public static float F32Nearest(float x) =>
        float.IsNaN(x) ? QuietNaN(x) : float.CopySign(MathF.Round(x, MidpointRounding.ToEven), x);

    public static double F64Nearest(double x) =>
        double.IsNaN(x) ? QuietNaN(x) : double.CopySign(Math.Round(x, MidpointRounding.ToEven), x);

    // The sign operations are pure bit operations: NaN payloads, signalling or not, pass through unchanged
    // (float.CopySign and the unary minus are not promised to keep a signalling NaN's bits).
    public static float F32Copysign(float magnitude, float sign) =>
        Bits((F32Bits(magnitude) & ~F32SignBit) | (F32Bits(sign) & F32SignBit));

    public static double F64Copysign(double magnitude, double sign) =>
        Bits((F64Bits(magnitude) & ~F64SignBit) | (F64Bits(sign) & F64SignBit));

    public static float F32Abs(float x) => Bits(F32Bits(x) & ~F32SignBit);

    public static float F32Neg(float x) => Bits(F32Bits(x) ^ F32SignBit);

    public static double F64Abs(double x) => Bits(F64Bits(x) & ~F64SignBit);

    public static double F64Neg(double x) => Bits(F64Bits(x) ^ F64SignBit);

    // --- saturating truncation (spec 4.3.4 trunc_sat) ---
    // Written out rather than trusting the casts: .NET only made float-to-int casts saturating in .NET 9, and the
    // unsigned and NaN cases are exactly where platforms used to differ.

    public static int I32TruncSatF32S(float x) => I32TruncSatF64S(x);

    public static int I32TruncSatF32U(float x) => I32TruncSatF64U(x);

    // Widening f32 to f64 is exact, so the f32 versions share the f64 bounds.
    public static int I32TruncSatF64S(double x) =>
        double.IsNaN(x) ? 0 : x <= -TwoPow31 ? int.MinValue : x >= TwoPow31 ? int.MaxValue : (int)x;

    public static int I32TruncSatF64U(double x) =>
        !(x > 0) ? 0 : x >= TwoPow32 ? -1 : (int)(uint)(long)x;

    public static long I64TruncSatF32S(float x) => I64TruncSatF64S(x);

    public static long I64TruncSatF32U(float x) => I64TruncSatF64U(x);

    public static long I64TruncSatF64S(double x) =>
        double.IsNaN(x) ? 0 : x <= -TwoPow63 ? long.MinValue : x >= TwoPow63 ? long.MaxValue : (long)x;

    public static long I64TruncSatF64U(double x) =>
        !(x > 0) ? 0 : x >= TwoPow64 ? -1 : (long)ToU64(x);

    // --- trapping truncation (spec 4.3.4 trunc): range checks, then the conversion ---
    // In range means the truncated value fits; NaN compares false everywhere, so it is out of range too.
    // The lower bounds are exclusive at -(2^31 + 1) etc. for the signed f64 case (-2147483648.9 truncates to
    // -2^31), but inclusive at -2^31 for f32, whose next value below -2^31 is -2^31 - 256.

    public static bool I32TruncF32SInRange(float x) => x >= -2147483648f && x < 2147483648f;

    public static bool I32TruncF32UInRange(float x) => x > -1f && x < 4294967296f;

    public static bool I32TruncF64SInRange(double x) => x > -2147483649.0 && x < TwoPow31;

    public static bool I32TruncF64UInRange(double x) => x > -1.0 && x < TwoPow32;

    public static bool I64TruncF32SInRange(float x) => x >= -9223372036854775808f && x < 9223372036854775808f;

    public static bool I64TruncF32UInRange(float x) => x > -1f && x < 18446744073709551616f;

    // -2^63 - 1 is not a double: the first double below -2^63 is -2^63 - 2048, so the bound is inclusive.
    public static bool I64TruncF64SInRange(double x) => x >= -TwoPow63 && x < TwoPow63;

    public static bool I64TruncF64UInRange(double x) => x > -1.0 && x < TwoPow64;

    /// <summary>Precondition: <see cref="I32TruncF32UInRange"/>. Returns the u32 bits.</summary>
    public static int I32TruncF32U(float x) => (int)(uint)(long)x;

    /// <summary>Precondition: <see cref="I32TruncF64UInRange"/>. Returns the u32 bits.</summary>
    public static int I32TruncF64U(double x) => (int)(uint)(long)x;

    /// <summary>Precondition: <see cref="I64TruncF32UInRange"/>. Returns the u64 bits.</summary>
    public static long I64TruncF32U(float x) => (long)ToU64(x);

    /// <summary>Precondition: <see cref="I64TruncF64UInRange"/>. Returns the u64 bits.</summary>
    public static long I64TruncF64U(double x) => (long)ToU64(x);

    // --- integer to float (spec 4.3.4 convert), round to nearest, ties to even ---

    // u32 -> f64 is exact, and the one rounding f64 -> f32 is then the only one.
    public static float F32ConvertI32U(int x) => (float)(double)(uint)x;

    public static double F64ConvertI32U(int x) => (uint)x;

    public static float F32ConvertI64U(long x) => U64ToF32((ulong)x);

    /// <summary>Rounds the magnitude and then negates, which is exact: ties to even is symmetric.</summary>
    public static float F32ConvertI64S(long x) => x < 0 ? -U64ToF32(0 - (ulong)x) : U64ToF32((ulong)x);

    // Both halves are exact in f64 and the sum rounds once; no reliance on how the platform converts u64.
    public static double F64ConvertI64U(long x) => (uint)((ulong)x >> 32) * TwoPow32 + (uint)x;

    // --- demote, promote (spec 4.3.4 demote, promote) ---
    // A NaN keeps its sign and the high bits of its payload, with the quiet bit set: a canonical NaN stays
    // canonical and any other NaN becomes an arithmetic NaN, whatever the hardware conversion would do.

    public static float F32DemoteF64(double x)
    {
        if (double.IsNaN(x))
        {
            var bits = F64Bits(x);
            return Bits(((uint)(bits >> 32) & F32SignBit) | 0x7F80_0000 | F32QuietBit | (uint)((bits & 0x000F_FFFF_FFFF_FFFF) >> 29));
        }
        return (float)x;
    }

    public static double F64PromoteF32(float x)
    {
        if (float.IsNaN(x))
        {
            var bits = F32Bits(x);
            return Bits(((ulong)(bits & F32SignBit) << 32) | 0x7FF0_0000_0000_0000 | F64QuietBit | ((ulong)(bits & 0x007F_FFFF) << 29));
        }
        return x;
    }

    // --- helpers ---

    private static uint F32Bits(float x) => BitConverter.SingleToUInt32Bits(x);

    private static ulong F64Bits(double x) => BitConverter.DoubleToUInt64Bits(x);

    private static float Bits(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    private static double Bits(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    private static float QuietNaN(float nan) => Bits(F32Bits(nan) | F32QuietBit);

    private static double QuietNaN(double nan) => Bits(F64Bits(nan) | F64QuietBit);

    /// <summary>Truncates 0 &lt;= x &lt; 2^64 through the signed conversion, which every platform does the same way.</summary>
    private static ulong ToU64(double x) =>
        x < TwoPow63 ? (ulong)(long)x : (ulong)(long)(x - TwoPow63) | 0x8000_0000_0000_0000;

    /// <summary>
    /// u64 -> f32 with one rounding. Going through f64 rounds twice when more than 53 bits are significant, so the
    /// bits below bit 11 are first folded into one sticky bit: the value then fits f64 exactly, and f32's round bit
    /// (bit 29 or higher for such values) and the "anything below it" information are both kept.
    /// </summary>
    private static float U64ToF32(ulong x)
    {
        if (x >= 1UL << 53)
        {
            x = (x & ~0x7FFUL) | ((x & 0x7FF) != 0 ? 0x800UL : 0);
        }
        // The two halves are exact and their sum is representable, so this f64 equals x exactly.
        var exact = (uint)(x >> 32) * TwoPow32 + (uint)x;
        return (float)exact;
    }
}
