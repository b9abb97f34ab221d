// Numeric literals of the text format (spec 6.3.1-6.3.2): integers in decimal or hex with `_` between digits, floats
// in decimal or hex (rounded to nearest, ties to even, as the spec requires), inf, nan and nan:0xPAYLOAD. Every
// parser returns a NumberProblem instead of throwing, so callers word the error for where the literal stood.
using System.Globalization;
using System.Numerics;

namespace Wasmrun.Engine.Text;

internal enum NumberProblem : byte
{
    None,

    /// <summary>Not a literal of the kind at all (the spec's lexer makes it a reserved token: "unknown operator").</summary>
    Malformed,

    /// <summary>A literal whose value does not fit the type: "constant out of range".</summary>
    OutOfRange,
}

/// <summary>The spec lexer's classes of numeric tokens (spec 6.3.1): `nat`, `int` (signed), `float`; and the rest.</summary>
internal enum LiteralClass : byte
{
    Natural,
    Integer,
    Float,
    Other,
}

internal static class TextNumbers
{
    /// <summary>A v128 shape keyword (`i8x16` ... `f64x2`): its lane count, lane width and whether lanes are floats;
    /// null for another word.</summary>
    public static (int Lanes, int Bits, bool IsFloat)? VectorShape(ReadOnlySpan<char> shape) => shape switch
    {
        "i8x16" => (16, 8, false),
        "i16x8" => (8, 16, false),
        "i32x4" => (4, 32, false),
        "i64x2" => (2, 64, false),
        "f32x4" => (4, 32, true),
        "f64x2" => (2, 64, true),
        _ => null,
    };

    /// <summary>A v128 from its lanes of <paramref name="bits"/> bits each, lane 0 lowest (little-endian).</summary>
    public static V128 PackLanes(ReadOnlySpan<ulong> lanes, int bits)
    {
        var mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        ulong low = 0, high = 0;
        for (var lane = 0; lane < lanes.Length; lane++)
        {
            var shift = lane * bits;
            if (shift < 64)
            {
                low |= (lanes[lane] & mask) << shift;
            }
            else
            {
                high |= (lanes[lane] & mask) << (shift - 64);
            }
        }
        return new V128(low, high);
    }

    /// <summary>An integer of <paramref name="bits"/> bits written signed or unsigned (iN): -2^(N-1) .. 2^N - 1.</summary>
    public static NumberProblem Integer(ReadOnlySpan<char> text, int bits, out ulong value)
    {
        value = 0;
        var negative = text.Length > 0 && text[0] == '-';
        var body = text.Length > 0 && text[0] is '-' or '+' ? text[1..] : text;
        if (!Unsigned(body, out var magnitude, out var overflow))
        {
            return NumberProblem.Malformed;
        }
        var mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        if (overflow || (negative ? magnitude > 1UL << (bits - 1) : magnitude > mask))
        {
            return NumberProblem.OutOfRange;
        }
        value = (negative ? (ulong)-(long)magnitude : magnitude) & mask;
        return NumberProblem.None;
    }

    /// <summary>An unsigned integer without sign (indices, alignments, offsets, limits): u32 or u64.</summary>
    public static NumberProblem Natural(ReadOnlySpan<char> text, int bits, out ulong value)
    {
        value = 0;
        if (text.Length == 0 || !char.IsAsciiDigit(text[0]) || !Unsigned(text, out value, out var overflow))
        {
            return NumberProblem.Malformed;
        }
        return overflow || (bits < 64 && value >> bits != 0) ? NumberProblem.OutOfRange : NumberProblem.None;
    }

    /// <summary>The token class the spec's lexer gives an atom: what a grammar rule accepts is decided by it, so a
    /// float where an integer belongs is "unexpected token", while a number that is badly written is not a number.</summary>
    public static LiteralClass Classify(ReadOnlySpan<char> text)
    {
        var body = text.Length > 0 && text[0] is '+' or '-' ? text[1..] : text;
        if (body is "inf" or "nan" || body.StartsWith("nan:"))
        {
            return LiteralClass.Float;
        }
        if (body.Length == 0 || !char.IsAsciiDigit(body[0]))
        {
            return LiteralClass.Other;
        }
        var hex = body.StartsWith("0x");
        foreach (var c in body)
        {
            if (c == '.' || (hex ? c is 'p' or 'P' : c is 'e' or 'E'))
            {
                return LiteralClass.Float;
            }
        }
        return body.Length == text.Length ? LiteralClass.Natural : LiteralClass.Integer;
    }

    // num or 0x hexnum, `_` only between two digits; overflow is reported apart from malformed.
    private static bool Unsigned(ReadOnlySpan<char> text, out ulong value, out bool overflow)
    {
        value = 0;
        overflow = false;
        var hex = text.Length > 2 && text[0] == '0' && text[1] == 'x';
        var digits = hex ? text[2..] : text;
        if (digits.Length == 0)
        {
            return false;
        }
        var radix = hex ? 16UL : 10UL;
        for (var i = 0; i < digits.Length; i++)
        {
            var c = digits[i];
            if (c == '_')
            {
                if (i == 0 || i == digits.Length - 1 || digits[i - 1] == '_')
                {
                    return false;
                }
                continue;
            }
            int digit;
            if (char.IsAsciiDigit(c))
            {
                digit = c - '0';
            }
            else if (hex && char.IsAsciiHexDigit(c))
            {
                digit = TextLexer.HexValue(c);
            }
            else
            {
                return false;
            }
            var next = value * radix + (ulong)digit;
            if (value > (ulong.MaxValue - (ulong)digit) / radix)
            {
                overflow = true;
            }
            value = next;
        }
        return true;
    }

    /// <summary>An f32 or f64 literal as its bit pattern.</summary>
    public static NumberProblem Float(ReadOnlySpan<char> text, int bits, out ulong value)
    {
        value = 0;
        var negative = text.Length > 0 && text[0] == '-';
        var body = text.Length > 0 && text[0] is '-' or '+' ? text[1..] : text;
        var format = bits == 32 ? FloatFormat.Single : FloatFormat.Double;
        var sign = negative ? 1UL << (bits - 1) : 0;
        if (body is "inf")
        {
            value = sign | format.ExponentMask;
            return NumberProblem.None;
        }
        if (body is "nan")
        {
            value = sign | format.ExponentMask | format.QuietBit;
            return NumberProblem.None;
        }
        if (body.StartsWith("nan:0x"))
        {
            if (!Unsigned(body[4..], out var payload, out var overflow))
            {
                return NumberProblem.Malformed;
            }
            if (overflow || payload == 0 || payload > format.PayloadMask)
            {
                return NumberProblem.OutOfRange;
            }
            value = sign | format.ExponentMask | payload;
            return NumberProblem.None;
        }
        var problem = body.Length > 2 && body[0] == '0' && body[1] == 'x'
            ? HexFloat(body[2..], format, out var magnitude)
            : DecimalFloat(body, format, out magnitude);
        value = sign | magnitude;
        return problem;
    }

    private readonly record struct FloatFormat(int Bits, int MantissaBits, int MinExponent, int MaxExponent)
    {
        public static readonly FloatFormat Single = new(32, 23, -126, 127);
        public static readonly FloatFormat Double = new(64, 52, -1022, 1023);

        public ulong ExponentMask => ((1UL << (Bits - 1 - MantissaBits)) - 1) << MantissaBits;

        public ulong QuietBit => 1UL << (MantissaBits - 1);

        public ulong PayloadMask => (1UL << MantissaBits) - 1;
    }

    // num (. num?)? (e sign? num)?: checked for the spec's shape (digits around every `_`), then parsed by .NET,
    // whose float and double parsers round correctly to their own precision (not through double for floats).
    private static NumberProblem DecimalFloat(ReadOnlySpan<char> text, FloatFormat format, out ulong bits)
    {
        bits = 0;
        Span<char> clean = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        var length = 0;
        var state = 0; // 0 integer digits, 1 fraction digits, 2 exponent sign, 3 exponent digits
        var digitsInPart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                digitsInPart++;
                if (state == 2)
                {
                    state = 3;
                }
                clean[length++] = c;
                continue;
            }
            if (c == '_')
            {
                if (i == 0 || !char.IsAsciiDigit(text[i - 1]) || i + 1 >= text.Length || !char.IsAsciiDigit(text[i + 1]))
                {
                    return NumberProblem.Malformed;
                }
                continue;
            }
            if (c == '.' && state == 0 && digitsInPart > 0)
            {
                state = 1;
                digitsInPart = 0;
                clean[length++] = c;
                continue;
            }
            if (c is 'e' or 'E' && state <= 1 && (digitsInPart > 0 || state == 1))
            {
                state = 2;
                digitsInPart = 0;
                clean[length++] = c;
                if (i + 1 < text.Length && text[i + 1] is '+' or '-')
                {
                    clean[length++] = text[++i];
                }
                continue;
            }
            return NumberProblem.Malformed;
        }
        if (length == 0 || !char.IsAsciiDigit(clean[0]) || state == 2 || (state == 3 && digitsInPart == 0))
        {
            return NumberProblem.Malformed;
        }
        if (format.Bits == 32)
        {
            var single = float.Parse(clean[..length], NumberStyles.Float, CultureInfo.InvariantCulture);
            bits = BitConverter.SingleToUInt32Bits(single);
            return float.IsInfinity(single) ? NumberProblem.OutOfRange : NumberProblem.None;
        }
        var number = double.Parse(clean[..length], NumberStyles.Float, CultureInfo.InvariantCulture);
        bits = BitConverter.DoubleToUInt64Bits(number);
        return double.IsInfinity(number) ? NumberProblem.OutOfRange : NumberProblem.None;
    }

    // hexnum (. hexnum?)? (p sign? num)?: the digits are gathered into a 64-bit significand (later non-zero digits
    // only set a sticky bit), then rounded once to the format.
    private static NumberProblem HexFloat(ReadOnlySpan<char> text, FloatFormat format, out ulong bits)
    {
        bits = 0;
        ulong significand = 0;
        var sticky = false;
        long exponent = 0;
        var seenDot = false;
        var digits = 0;
        var i = 0;
        var previousDigit = false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '_')
            {
                if (!previousDigit || i + 1 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]))
                {
                    return NumberProblem.Malformed;
                }
                previousDigit = false;
                continue;
            }
            if (c == '.' && !seenDot && digits > 0)
            {
                seenDot = true;
                previousDigit = false;
                continue;
            }
            if (!char.IsAsciiHexDigit(c))
            {
                break;
            }
            previousDigit = true;
            digits++;
            var digit = (ulong)TextLexer.HexValue(c);
            if (significand >> 60 == 0)
            {
                significand = (significand << 4) | digit;
                if (seenDot)
                {
                    exponent -= 4;
                }
            }
            else
            {
                sticky |= digit != 0;
                if (!seenDot)
                {
                    exponent += 4;
                }
            }
        }
        if (digits == 0)
        {
            return NumberProblem.Malformed;
        }
        if (i < text.Length)
        {
            if (text[i] is not ('p' or 'P') || i + 1 >= text.Length)
            {
                return NumberProblem.Malformed;
            }
            var exponentText = text[(i + 1)..];
            var negative = exponentText[0] == '-';
            if (exponentText[0] is '-' or '+')
            {
                exponentText = exponentText[1..];
            }
            if (!Unsigned(exponentText, out var written, out var overflow) || exponentText.StartsWith("0x"))
            {
                return NumberProblem.Malformed;
            }
            // A huge exponent saturates far beyond anything the digits (at most 4 bits each) can make up for.
            var magnitude = overflow || written > 1UL << 40 ? 1L << 40 : (long)written;
            exponent += negative ? -magnitude : magnitude;
        }
        if (significand == 0)
        {
            return NumberProblem.None;
        }
        return Round(significand, sticky, exponent, format, out bits);
    }

    // significand * 2^exponent (plus a sticky fraction below it), to nearest, ties to even.
    private static NumberProblem Round(ulong significand, bool sticky, long exponent, FloatFormat format, out ulong bits)
    {
        bits = 0;
        var top = 63 - BitOperations.LeadingZeroCount(significand);
        var unbiased = top + exponent;
        var precision = format.MantissaBits + 1;
        // Below the smallest normal exponent the value is subnormal: fewer significand bits remain.
        var keep = unbiased >= format.MinExponent ? precision : precision - (format.MinExponent - unbiased);
        var drop = top + 1 - keep;
        ulong kept;
        if (drop <= 0)
        {
            kept = significand << (int)-drop;
        }
        else if (drop > 64)
        {
            kept = 0;
        }
        else
        {
            kept = drop == 64 ? 0 : significand >> (int)drop;
            var remainder = drop == 64 ? significand : significand & ((1UL << (int)drop) - 1);
            var half = 1UL << (int)(drop - 1);
            if (remainder > half || (remainder == half && (sticky || (kept & 1) != 0)))
            {
                kept++;
            }
        }
        if (kept == 0)
        {
            return NumberProblem.None;
        }
        // Rounding may carry into a new top bit; subnormals that round up to the smallest normal land here too.
        var keptTop = 63 - BitOperations.LeadingZeroCount(kept);
        var valueExponent = keptTop + exponent + drop;
        if (valueExponent > format.MaxExponent)
        {
            return NumberProblem.OutOfRange;
        }
        if (valueExponent < format.MinExponent)
        {
            bits = kept;
            return NumberProblem.None;
        }
        var fraction = (keptTop > format.MantissaBits ? kept >> 1 : kept) & format.PayloadMask;
        bits = ((ulong)(valueExponent - format.MinExponent + 1) << format.MantissaBits) | fraction;
        return NumberProblem.None;
    }
}
