// binaryen's `wasm-opt --fuzz-exec-before` output (version 108) read back: the exports its interpreter called, in
// order, what each logged through the fuzzing-support imports and how each call ended; and its value text read by
// the type our engine knows (binaryen prints numbers without their type). Formats from binaryen's
// src/tools/execution-results.h, src/shell-interface.h and Literal's operator<< in src/wasm/literal.cpp.
using System.Globalization;
using Wasmrun.Engine;
using Wasmrun.Engine.Runtime;

namespace Wasmrun.Tests.Engine;

/// <summary>One export call: its logs (the text after "logging"), then a result, a trap or a host limit, or nothing
/// (a function without results that returned).</summary>
internal sealed class FuzzExecCall(string export)
{
    public string Export { get; } = export;

    public List<string> Logs { get; } = [];

    /// <summary>The text after "NAME => "; null when the function returned no value or did not return.</summary>
    public string? Result { get; set; }

    /// <summary>The trap's message, as in "[trap final > memory: 65536 > 1024]".</summary>
    public string? Trap { get; set; }

    /// <summary>binaryen gave up (its "[host limit ...]"): it compares nothing of this run itself, nor do we.</summary>
    public string? HostLimit { get; set; }
}

/// <summary>A module's run: a trap while instantiating (then nothing was called), or the calls in order.</summary>
internal sealed record FuzzExecRun(string? InstantiationTrap, IReadOnlyList<FuzzExecCall> Calls)
{
    private const string Calling = "[fuzz-exec] calling ";
    private const string Note = "[fuzz-exec] note result: ";
    private const string Logging = "[LoggingExternalInterface logging";

    public static FuzzExecRun Parse(string output)
    {
        string? instantiationTrap = null;
        var calls = new List<FuzzExecCall>();
        FuzzExecCall? current = null;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith(Calling, StringComparison.Ordinal))
            {
                current = new FuzzExecCall(line[Calling.Length..]);
                calls.Add(current);
            }
            else if (line.StartsWith(Logging, StringComparison.Ordinal) && line.EndsWith(']') && current is not null)
            {
                current.Logs.Add(line[Logging.Length..^1].Trim());
            }
            else if (line.StartsWith(Note, StringComparison.Ordinal) && current is not null
                && line[Note.Length..].StartsWith(current.Export + " => ", StringComparison.Ordinal))
            {
                current.Result = line[(Note.Length + current.Export.Length + 4)..];
            }
            else if (line.StartsWith("[trap ", StringComparison.Ordinal) && line.EndsWith(']'))
            {
                var message = line["[trap ".Length..^1];
                if (current is null)
                {
                    instantiationTrap = message;
                }
                else
                {
                    current.Trap = message;
                }
            }
            else if (line.StartsWith("[host limit ", StringComparison.Ordinal) && current is not null)
            {
                current.HostLimit = line["[host limit ".Length..^1];
            }
            else
            {
                // An exception (EH is not enabled), an unknown import, another binaryen version's format: never guess.
                throw new FormatException($"unexpected line in binaryen's --fuzz-exec output: {line}");
            }
        }
        return new FuzzExecRun(instantiationTrap, calls);
    }
}

/// <summary>binaryen's text of one value, compared with ours by our value's type.</summary>
internal static class BinaryenText
{
    /// <summary>Null when binaryen's text means our value. Any NaN matches any NaN (an arithmetic NaN's sign and
    /// payload are nondeterministic, spec 4.3.3: binaryen 108 makes them canonical, we pass the input NaN through),
    /// and so does a v128 word that differs only as two NaNs of an f32 lane or of the f64 lane around it;
    /// <paramref name="nanDifferences"/> counts these.</summary>
    public static string? Compare(string text, Value ours, ref int nanDifferences)
    {
        switch (ours.Type.Kind)
        {
            case ValKind.I32:
                return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i32)
                    ? (uint)i32 == (uint)ours.Bits ? null : Differ(text, ours)
                    : Unreadable(text, ours);
            case ValKind.I64:
                // A logged i64 is two i32 halves, low then high (binaryen's LoggingExternalInterface); a result is one i64.
                var halves = text.Split(' ');
                if (halves.Length == 2 && int.TryParse(halves[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var low)
                    && int.TryParse(halves[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var high))
                {
                    return ((ulong)(uint)high << 32 | (uint)low) == ours.Bits ? null : Differ(text, ours);
                }
                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i64)
                    ? (ulong)i64 == ours.Bits ? null : Differ(text, ours)
                    : Unreadable(text, ours);
            case ValKind.F32:
            case ValKind.F64:
                if (ReadFloat(text, ours.Type) is not { } bits)
                {
                    return Unreadable(text, ours);
                }
                if (bits == ours.Bits)
                {
                    return null;
                }
                if (IsNaN(bits, ours.Type) && IsNaN(ours.Bits, ours.Type))
                {
                    nanDifferences++;
                    return null;
                }
                return Differ(text, ours);
            case ValKind.V128:
                return ReadV128(text) is { } vector ? CompareV128(vector, ours, ref nanDifferences) ? null : Differ(text, ours) : Unreadable(text, ours);
            default:
                // DifferentialTests leaves reference types out (binaryen 108's are not WebAssembly 2.0's).
                return Unreadable(text, ours);
        }
    }

    /// <summary>binaryen's trap message as our TrapCode, or null when the message names no one kind.</summary>
    public static TrapCode? TrapOf(string message) => message switch
    {
        "unreachable" => TrapCode.Unreachable,
        "stack limit" => TrapCode.CallStackExhausted,
        "callTable overflow" => TrapCode.UndefinedElement,
        "uninitialized table element" => TrapCode.UninitializedElement,
        "out of bounds table access" => TrapCode.TableOutOfBounds,
        _ when message.StartsWith("callIndirect: ", StringComparison.Ordinal) => TrapCode.IndirectCallTypeMismatch,
        _ when message.EndsWith(" by 0", StringComparison.Ordinal) => TrapCode.IntegerDivideByZero,
        _ when message.EndsWith("div_s overflow", StringComparison.Ordinal) => TrapCode.IntegerOverflow,
        _ when message.EndsWith("Float of nan", StringComparison.Ordinal) => TrapCode.InvalidConversionToInteger,
        _ when message.EndsWith("Float overflow", StringComparison.Ordinal) => TrapCode.IntegerOverflow,
        // Loads and stores ("final > memory: A > B"), and memory.fill/copy/init: binaryen says "segment access" for
        // a copy's or an init's range of linear memory too, and the spec's trap is the same for both.
        _ when message.Contains(" > memory", StringComparison.Ordinal)
            || message.StartsWith("out of bounds memory access in ", StringComparison.Ordinal)
            || message.StartsWith("out of bounds segment access in memory.", StringComparison.Ordinal) => TrapCode.MemoryOutOfBounds,
        _ => null,
    };

    /// <summary>A multi-value result "(a, b, c)" as its parts; a single value as itself. A v128 part ("i32x4 0x...
    /// 0x...") has spaces but no comma.</summary>
    public static string[] Parts(string text, int count) =>
        count == 1 ? [text]
        : text.Length >= 2 && text[0] == '(' && text[^1] == ')' ? text[1..^1].Split(", ")
        : [text];

    public static ulong? ReadFloat(string text, ValType type)
    {
        var f32 = type == ValType.F32;
        var magnitude = text.StartsWith('-') ? text[1..] : text;
        if (magnitude == "inf" || magnitude.StartsWith("nan", StringComparison.Ordinal))
        {
            // The text format's spelling ("nan:0xPAYLOAD", the fraction bits), which the engine reads already.
            return ValueText.TryParse(type, text, out var special) is null ? special.Bits : null;
        }
        // cashew's numToString: the shortest decimal that reads back exactly, "12345e3" for trailing zeros, "%e" forms
        // with their trailing zeros cut ("1.e+21"); an f32 is printed as the double it widens to, so exactly too.
        if (!double.TryParse(text.Replace(".e", "e", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }
        if (!f32)
        {
            return BitConverter.DoubleToUInt64Bits(value);
        }
        var single = (float)value;
        return (double)single == value ? BitConverter.SingleToUInt32Bits(single) : null;
    }

    public static bool IsNaN(ulong bits, ValType type) =>
        type == ValType.F32 ? float.IsNaN(BitConverter.UInt32BitsToSingle((uint)bits)) : double.IsNaN(BitConverter.UInt64BitsToDouble(bits));

    /// <summary>"i32x4 0x00000001 0x00000002 0x00000003 0x00000004": four little-endian lanes, lane 0 first.</summary>
    public static V128? ReadV128(string text)
    {
        var words = text.Split(' ');
        if (words.Length != 5 || words[0] != "i32x4")
        {
            return null;
        }
        var lanes = new ulong[4];
        for (var i = 0; i < 4; i++)
        {
            if (!words[i + 1].StartsWith("0x", StringComparison.Ordinal)
                || !uint.TryParse(words[i + 1].AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var lane))
            {
                return null;
            }
            lanes[i] = lane;
        }
        return new V128(lanes[0] | lanes[1] << 32, lanes[2] | lanes[3] << 32);
    }

    private static bool CompareV128(V128 theirs, Value ours, ref int nanDifferences)
    {
        if (theirs.Low == ours.Bits && theirs.High == ours.High)
        {
            return true;
        }
        // binaryen prints no lane type: a differing lane is a NaN-payload difference when both sides hold a NaN of
        // the f32 lane there, or of the f64 lane around it.
        ulong[] expected = [theirs.Low, theirs.High], actual = [ours.Bits, ours.High];
        for (var half = 0; half < 2; half++)
        {
            if (expected[half] == actual[half]
                || (IsNaN(expected[half], ValType.F64) && IsNaN(actual[half], ValType.F64)))
            {
                continue;
            }
            for (var shift = 0; shift < 64; shift += 32)
            {
                var (a, b) = ((expected[half] >> shift) & 0xFFFFFFFF, (actual[half] >> shift) & 0xFFFFFFFF);
                if (a != b && !(IsNaN(a, ValType.F32) && IsNaN(b, ValType.F32)))
                {
                    return false;
                }
            }
        }
        nanDifferences++;
        return true;
    }

    private static string Differ(string text, Value ours) => $"binaryen {text}, wasmrun {Show(ours)}";

    private static string Unreadable(string text, Value ours) => $"binaryen printed \"{text}\", which is no {ours.Type.Name()} (wasmrun {Show(ours)})";

    /// <summary>Our value as binaryen would print it where that differs from the text format (v128 as i32x4 lanes).</summary>
    public static string Show(Value value) => value.Type == ValType.V128
        ? $"i32x4 0x{(uint)value.Bits:x8} 0x{(uint)(value.Bits >> 32):x8} 0x{(uint)value.High:x8} 0x{(uint)(value.High >> 32):x8}"
        : $"{ValueText.Format(value)} ({value.Type.Name()} 0x{value.Bits:x})";
}
