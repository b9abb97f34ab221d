// The values of spec scripts: constants passed to invocations (`(i32.const 1)`, `(v128.const f32x4 ...)`,
// `(ref.null func)`, `(ref.extern 7)`) and the patterns results are checked against, which add `nan:canonical`,
// `nan:arithmetic`, `(ref.func)`, `(ref.extern)` and `(either ...)`.
using Wasmrun.Engine;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Text;

namespace Wasmrun.Wast;

internal static class WastValues
{
    private static bool IsOf(Value value, HeapKind top) => value.Type.IsReference && TypeRegistry.TopOf(value.Type) == top;

    public static Value Argument(TokenReader reader)
    {
        var pattern = Result(reader);
        return pattern.Value ?? throw new TextFormatException("unexpected token", reader.Text, reader.Tokens[reader.Position - 1].Start);
    }

    /// <summary>One `( ... )` result pattern.</summary>
    public static ResultPattern Result(TokenReader reader)
    {
        var at = reader.Current.Start;
        var keyword = reader.OpenKeyword().ToString();
        reader.Expect(TokenKind.LeftParen);
        reader.Position++;
        ResultPattern pattern;
        switch (keyword)
        {
            case "i32.const":
                pattern = Scalar(reader, ValType.I32);
                break;
            case "i64.const":
                pattern = Scalar(reader, ValType.I64);
                break;
            case "f32.const":
                pattern = Scalar(reader, ValType.F32);
                break;
            case "f64.const":
                pattern = Scalar(reader, ValType.F64);
                break;
            case "v128.const":
                pattern = Vector(reader);
                break;
            case "ref.null":
                {
                    if (reader.Kind != TokenKind.Atom)
                    {
                        // `(ref.null)` (3.0): a null reference of any type.
                        pattern = new ResultPattern("(ref.null)", ValType.FuncRef, null, value => value.IsNull);
                        break;
                    }
                    // Any null of the heap type's hierarchy matches (3.0: (ref.null any) for a null (ref null $t) of GC).
                    var heap = ValTypes.AbstractHeap(reader.Atom());
                    var type = heap is { } known ? ValType.Ref(known, nullable: true)
                        : throw new TextFormatException("unexpected token", reader.Text, reader.Tokens[reader.Position - 1].Start);
                    pattern = new ResultPattern($"(ref.null {ValTypes.HeapName(type)})", type, Value.Null(type),
                        value => value.IsNull && TypeRegistry.TopOf(value.Type) == TypeRegistry.TopOf(type));
                    break;
                }
            case "ref.extern":
                pattern = reader.Kind == TokenKind.Atom
                    ? ResultPattern.Of(Value.ExternRef(reader.U32()))
                    : new ResultPattern("(ref.extern)", ValType.ExternRef, null, value => IsOf(value, HeapKind.Extern) && !value.IsNull);
                break;
            case "ref.i31":
                // Any i31 (3.0 GC).
                pattern = new ResultPattern("(ref.i31)", ValType.Ref(HeapKind.I31, nullable: false), null,
                    value => IsOf(value, HeapKind.Any) && AnyReferences.IsI31(value.Bits));
                break;
            case "ref.func":
                pattern = new ResultPattern("(ref.func)", ValType.FuncRef, null, value => IsOf(value, HeapKind.Func) && !value.IsNull);
                if (reader.Kind == TokenKind.Atom)
                {
                    reader.Position++;
                }
                break;
            case "either":
                // Choices are plain patterns: an `either` inside one would only nest the same choice (and unbounded
                // nesting would be unbounded recursion here).
                var choices = new List<ResultPattern>();
                while (reader.Kind == TokenKind.LeftParen)
                {
                    if (reader.IsOpen("either"))
                    {
                        throw new TextFormatException("unexpected token", reader.Text, reader.Current.Start);
                    }
                    choices.Add(Result(reader));
                }
                pattern = choices.Count == 0
                    ? throw new TextFormatException("unexpected token", reader.Text, reader.Current.Start)
                    : new ResultPattern($"(either {string.Join(" ", choices)})", choices[0].Type, null, value => choices.Any(choice => choice.Matches(value)));
                break;
            default:
                throw new TextFormatException("unexpected token", reader.Text, at);
        }
        reader.Expect(TokenKind.RightParen);
        return pattern;
    }

    private static ResultPattern Scalar(TokenReader reader, ValType type)
    {
        var bits = type.Kind is ValKind.I32 or ValKind.F32 ? 32 : 64;
        var isFloat = type.Kind is ValKind.F32 or ValKind.F64;
        if (isFloat && reader.Kind == TokenKind.Atom && NanClass(reader.CurrentSpan) is { } nan)
        {
            reader.Position++;
            return new ResultPattern($"({type.Name()}.const {nan})", type, null, value => value.Type == type && MatchesNan(nan, value.Bits, bits));
        }
        return ResultPattern.Of(Value.FromBits(type, reader.Number(bits, isFloat)));
    }

    private static ResultPattern Vector(TokenReader reader)
    {
        var at = reader.Current.Start;
        var (lanes, bits, isFloat) = TextNumbers.VectorShape(reader.Atom()) ?? throw new TextFormatException("unexpected token", reader.Text, at);
        var exact = new ulong[lanes];
        var nans = new string?[lanes];
        for (var lane = 0; lane < lanes; lane++)
        {
            if (isFloat && reader.Kind == TokenKind.Atom && NanClass(reader.CurrentSpan) is { } nan)
            {
                reader.Position++;
                nans[lane] = nan;
                continue;
            }
            exact[lane] = reader.Number(bits, isFloat);
        }
        var vector = Value.V128(TextNumbers.PackLanes(exact, bits));
        if (nans.All(nan => nan is null))
        {
            return ResultPattern.Of(vector);
        }
        var mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        return new ResultPattern($"(v128.const {(bits == 32 ? "f32x4" : "f64x2")} {string.Join(" ", Enumerable.Range(0, lanes).Select(i => nans[i] ?? $"0x{exact[i]:x}"))})", ValType.V128, null, value =>
        {
            if (value.Type != ValType.V128)
            {
                return false;
            }
            for (var lane = 0; lane < lanes; lane++)
            {
                var shift = lane * bits;
                var actual = ((shift < 64 ? value.Bits : value.High) >> (shift % 64)) & mask;
                if (nans[lane] is { } laneNan ? !MatchesNan(laneNan, actual, bits) : actual != exact[lane])
                {
                    return false;
                }
            }
            return true;
        });
    }

    private static string? NanClass(ReadOnlySpan<char> text) => text switch
    {
        "nan:canonical" => "nan:canonical",
        "nan:arithmetic" => "nan:arithmetic",
        _ => null,
    };

    // spec 4.3.3: a canonical NaN has only the quiet bit of its payload set (either sign); an arithmetic NaN has it set.
    private static bool MatchesNan(string nan, ulong bits, int width)
    {
        var (quiet, signless) = width == 32 ? (0x7FC00000UL, 0x7FFFFFFFUL) : (0x7FF8000000000000UL, 0x7FFFFFFFFFFFFFFFUL);
        return nan == "nan:canonical" ? (bits & signless) == quiet : (bits & quiet) == quiet;
    }
}

/// <summary>What a result must be: an exact value (<see cref="Value"/>, also usable as an argument) or a class, of
/// a value type.</summary>
internal sealed class ResultPattern(string text, ValType type, Value? value, Func<Value, bool> matches)
{
    public ValType Type { get; } = type;

    public Value? Value { get; } = value;

    public static ResultPattern Of(Value value) => new($"{value.Type.Name()} {value}", value.Type, value, actual => SameBits(value, actual));

    public bool Matches(Value actual) => matches(actual);

    public override string ToString() => text;

    // A reference's type is its hierarchy's: the harness's values are externref and funcref, a function's results
    // may be any reference type of theirs.
    private static bool SameBits(Value expected, Value actual) =>
        (expected.Type.IsReference ? actual.Type.IsReference && TypeRegistry.TopOf(expected.Type) == TypeRegistry.TopOf(actual.Type) : expected.Type == actual.Type)
        && expected.Bits == actual.Bits && expected.High == actual.High;
}
