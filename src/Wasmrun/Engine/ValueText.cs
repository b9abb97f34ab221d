// Values written the way the text format and the spec tests write them: signed integers, floats with nan/inf and
// NaN payloads, v128 as four i32 lanes. One place, so inspect, the disassembler and exec results agree.
using System.Globalization;

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
