// Values written and read the way the text format writes them: signed integers (hex accepted), floats with nan/inf
// and NaN payloads, v128 as hex. One place, so inspect, the disassembler, exec arguments and exec results agree.
using System.Globalization;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Text;

namespace Wasmrun.Engine;

internal static class ValueText
{
    public static string I32(uint bits) => ((int)bits).ToString(CultureInfo.InvariantCulture);

    public static string I64(ulong bits) => ((long)bits).ToString(CultureInfo.InvariantCulture);

    public static string F32(uint bits)
    {
        var value = BitConverter.UInt32BitsToSingle(bits);
        if (float.IsNaN(value))
        {
            var payload = bits & 0x7FFFFF;
            var sign = (bits >> 31) != 0 ? "-" : "";
            return payload == 0x400000 ? $"{sign}nan" : $"{sign}nan:0x{payload:x}";
        }
        return Finite(value.ToString("R", CultureInfo.InvariantCulture), value == 0 && (bits >> 31) != 0);
    }

    public static string F64(ulong bits)
    {
        var value = BitConverter.UInt64BitsToDouble(bits);
        if (double.IsNaN(value))
        {
            var payload = bits & 0xFFFFFFFFFFFFFUL;
            var sign = (bits >> 63) != 0 ? "-" : "";
            return payload == 0x8000000000000UL ? $"{sign}nan" : $"{sign}nan:0x{payload:x}";
        }
        return Finite(value.ToString("R", CultureInfo.InvariantCulture), value == 0 && (bits >> 63) != 0);
    }

    /// <summary>A value of any type as text, the text format's way: what hosts print and accept.</summary>
    public static string Format(Value value) => value.Type.Kind switch
    {
        ValKind.I32 => I32((uint)value.Bits),
        ValKind.I64 => I64(value.Bits),
        ValKind.F32 => F32((uint)value.Bits),
        ValKind.F64 => F64(value.Bits),
        ValKind.V128 => $"0x{value.High:x16}{value.Bits:x16}",
        // A reference prints as its kind and the store's handle: what a host can say of it; an i31 (3.0 GC) as its value.
        _ when value.IsNull => "null",
        _ when TypeRegistry.TopOf(value.Type) == HeapKind.Any && AnyReferences.IsI31(value.Bits) => $"i31 {AnyReferences.I31Value(value.Bits, signed: true)}",
        _ => $"{value.Type.Name()} {value.Bits - 1}",
    };

    /// <summary>Parses an argument of the given type; null when it parses, else what is wrong.</summary>
    public static string? TryParse(ValType type, string text, out Value value)
    {
        var problem = TryParseBits(type, text, out var low, out var high);
        value = problem is null ? Value.FromBits(type, low, high) : default;
        return problem;
    }

    private static string? TryParseBits(ValType type, string text, out ulong low, out ulong high)
    {
        low = high = 0;
        var clean = text.Replace("_", "", StringComparison.Ordinal).Trim();
        switch (type.Kind)
        {
            case ValKind.I32:
                return Integer(clean, 32, out low)
                    ? null
                    : "not an i32 (a decimal or 0x hex integer from -2147483648 to 4294967295)";
            case ValKind.I64:
                return Integer(clean, 64, out low)
                    ? null
                    : "not an i64 (a decimal or 0x hex integer from -9223372036854775808 to 18446744073709551615)";
            case ValKind.F32:
                if (TryFloat(clean, 32, out var bits))
                {
                    low = bits;
                    return null;
                }
                return "not an f32 (a decimal number, inf, -inf, nan or nan:0xPAYLOAD)";
            case ValKind.F64:
                if (TryFloat(clean, 64, out bits))
                {
                    low = bits;
                    return null;
                }
                return "not an f64 (a decimal number, inf, -inf, nan or nan:0xPAYLOAD)";
            case ValKind.V128:
                if (clean.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && clean.Length is > 2 and <= 34
                    && UInt128.TryParse(clean.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var vector))
                {
                    low = (ulong)vector;
                    high = (ulong)(vector >> 64);
                    return null;
                }
                return "not a v128 (0x followed by up to 32 hex digits)";
            default:
                return clean == "null" ? null : "not a reference: a reference argument can only be null";
        }
    }

    // The text format's integers (Text/TextNumbers), with `_` anywhere already removed and 0X taken as 0x, as
    // arguments always were.
    private static bool Integer(string clean, int bits, out ulong value) =>
        TextNumbers.Integer(clean.Replace("0X", "0x", StringComparison.Ordinal), bits, out value) == NumberProblem.None;

    private static bool TryFloat(string text, int width, out ulong bits)
    {
        bits = 0;
        var negative = text.StartsWith('-');
        var body = negative || text.StartsWith('+') ? text[1..] : text;
        var sign = negative ? (width == 32 ? 1UL << 31 : 1UL << 63) : 0;
        var (exponent, quiet) = width == 32 ? (0x7F800000UL, 0x400000UL) : (0x7FF0000000000000UL, 0x8000000000000UL);
        if (body is "inf" or "infinity")
        {
            bits = sign | exponent;
            return true;
        }
        if (body == "nan")
        {
            bits = sign | exponent | quiet;
            return true;
        }
        if (body.StartsWith("nan:0x", StringComparison.Ordinal))
        {
            var payloadMask = width == 32 ? 0x7FFFFFUL : 0xFFFFFFFFFFFFFUL;
            if (!ulong.TryParse(body.AsSpan(6), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var payload)
                || payload == 0 || payload > payloadMask)
            {
                return false;
            }
            bits = sign | exponent | payload;
            return true;
        }
        if (body.Length == 0 || !(char.IsAsciiDigit(body[0]) || body[0] == '.'))
        {
            return false;
        }
        if (width == 32)
        {
            if (!float.TryParse(body, NumberStyles.Float, CultureInfo.InvariantCulture, out var single))
            {
                return false;
            }
            bits = sign | BitConverter.SingleToUInt32Bits(single);
            return true;
        }
        if (!double.TryParse(body, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }
        bits = sign | BitConverter.DoubleToUInt64Bits(value);
        return true;
    }

    public static string V128(V128 value) =>
        $"i32x4 0x{(uint)value.Low:x8} 0x{(uint)(value.Low >> 32):x8} 0x{(uint)value.High:x8} 0x{(uint)(value.High >> 32):x8}";

    private static string Finite(string text, bool negativeZero) => text switch
    {
        "∞" or "Infinity" => "inf",
        "-∞" or "-Infinity" => "-inf",
        _ when negativeZero => "-0",
        _ => text.Replace("E+", "e+", StringComparison.Ordinal).Replace("E-", "e-", StringComparison.Ordinal),
    };
}
