// The text-format parser on its own: abbreviations against their expanded forms, numeric literals to the bit,
// errors with their place, hostile input (deep nesting, huge literals, invalid UTF-8) answered with an error, and the
// whole 2.0 corpus round-tripping wat -> wasm -> wat -> wasm to identical bytes.
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Text;
using Wasmrun.Engine.Validate;
using Wasmrun.Tests.Spec;

using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Engine;

public sealed class TextFormatTests
{
    private static Value[] Call(string text, string export, params Value[] arguments)
    {
        using var store = new Store(new EngineOptions());
        var instance = store.Instantiate(TextModule.Valid(text), new Linker());
        return store.Invoke(instance.ExportedFunction(export)!, arguments);
    }

    private static TextFormatException Error(string text) => Assert.Throws<TextFormatException>(() => TextModuleParser.ParseFile(text));

    [Test]
    public async Task Abbreviations_encode_exactly_as_their_expanded_forms()
    {
        var pairs = new (string Short, string Long)[]
        {
            ("(func (export \"f\") (param i32) (result i32) local.get 0)",
             "(type (func (param i32) (result i32))) (func (type 0) (param i32) (result i32) local.get 0) (export \"f\" (func 0))"),
            ("(func (import \"m\" \"f\") (param i64))", "(type (func (param i64))) (import \"m\" \"f\" (func (type 0)))"),
            ("(memory (data \"ab\" \"c\"))", "(memory 1 1) (data (i32.const 0) \"abc\")"),
            ("(table funcref (elem $f)) (func $f)", "(type (func)) (table 1 1 funcref) (elem (i32.const 0) func $f) (func $f (type 0))"),
            ("(func (result i32) (i32.add (i32.const 1) (i32.const 2)))", "(func (result i32) i32.const 1 i32.const 2 i32.add)"),
            ("(func (if (i32.const 1) (then nop) (else nop)))", "(func i32.const 1 if nop else nop end)"),
            ("(global (mut i32) (i32.const 7))", "(global (mut i32) i32.const 7)"),
            ("(func $f) (start $f)", "(func $f) (start 0)"),
        };
        foreach (var (brief, expanded) in pairs)
        {
            await Assert.That(TextModuleParser.ParseFile(brief)).IsEquivalentTo(TextModuleParser.ParseFile(expanded));
        }
    }

    [Test]
    public async Task Implicit_types_follow_the_explicit_ones_in_the_order_they_are_used()
    {
        var module = TextModule.Valid("""
            (func (param f64))
            (type $t (func (param i32)))
            (func (type $t) (param i32))
            (func (result i64) (block (result i32 i32) (i32.const 1) (i32.const 2)) (drop) (drop) (i64.const 0))
            (func (param i32))
            """);
        await Assert.That(string.Join(" | ", module.Types)).IsEqualTo("(i32) -> () | (f64) -> () | () -> i64 | () -> (i32, i32)");
        await Assert.That(string.Join(",", module.FunctionTypeIndices)).IsEqualTo("1,0,2,0");
    }

    [Test]
    public async Task Ids_become_the_name_section_and_print_back_as_ids()
    {
        var bytes = TextModuleParser.ParseFile("""
            (module $calc
              (func $inner (param $x i32) (param i32) (result i32) (local $y i64) (local i32) (local.get $x))
              (func (export "f") (result i32) (call $inner (i32.const 7) (i32.const 0))))
            """);
        var module = ModuleDecoder.Decode(bytes);
        await Assert.That(module.Names.ModuleName).IsEqualTo("calc");
        await Assert.That(module.Names.FunctionName(0)).IsEqualTo("inner");
        await Assert.That(module.Names.FunctionName(1)).IsNull();
        await Assert.That(string.Join(",", module.Names.Locals[0].OrderBy(local => local.Key).Select(local => $"{local.Key}={local.Value}"))).IsEqualTo("0=x,2=y");
        var printed = TextPrinter.Print(module);
        await Assert.That(printed).Contains("(func $inner (;0;) (type 0) (param $x i32) (param i32) (result i32)\n    (local $y i64) (local i32)\n");
        await Assert.That(printed).StartsWith("(module $calc\n");
        await Assert.That(printed).Contains("    call $inner\n");
        await Assert.That(TextModuleParser.ParseFile(printed)).IsEquivalentTo(bytes);
    }

    [Test]
    public async Task Names_resolve_forward_and_labels_by_depth()
    {
        var result = Call("""
            (func (export "f") (param $n i32) (result i32) (local $sum i32)
              (block $done
                (loop $next
                  (br_if $done (i32.eqz (local.get $n)))
                  (local.set $sum (i32.add (local.get $sum) (call $double (local.get $n))))
                  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                  (br $next)))
              (local.get $sum))
            (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
            """, "f", Value.I32(4));
        await Assert.That(result[0].AsI32()).IsEqualTo(20);
    }

    [Test]
    [Arguments("i32", "0x7fff_ffff", 0x7FFFFFFFUL)]
    [Arguments("i32", "-2147483648", 0x80000000UL)]
    [Arguments("i32", "4294967295", 0xFFFFFFFFUL)]
    [Arguments("i64", "-0x8000000000000000", 0x8000000000000000UL)]
    [Arguments("f32", "0x1.fffffep127", 0x7F7FFFFFUL)]
    [Arguments("f32", "0x1p-149", 0x00000001UL)]
    [Arguments("f32", "0x1.000001p0", 0x3F800000UL)]
    [Arguments("f32", "0x1.000003p0", 0x3F800002UL)]
    [Arguments("f32", "1.00000017881393432617187499", 0x3F800001UL)]
    [Arguments("f32", "-nan:0x200000", 0xFFA00000UL)]
    [Arguments("f32", "-0", 0x80000000UL)]
    [Arguments("f64", "0x1.fffffffffffffp1023", 0x7FEFFFFFFFFFFFFFUL)]
    [Arguments("f64", "4.9406564584124654e-324", 0x0000000000000001UL)]
    [Arguments("f64", "1_000.5e-2", 0x4024028F5C28F5C3UL)]
    [Arguments("f64", "inf", 0x7FF0000000000000UL)]
    public async Task Constants_parse_to_the_exact_bits(string type, string literal, ulong bits)
    {
        var result = Call($"(func (export \"c\") (result {type}) ({type}.const {literal}))", "c");
        await Assert.That(result[0].Bits).IsEqualTo(bits);
    }

    [Test]
    [Arguments("(func (i32.const 4294967296) drop)", "constant out of range", 1, 18)]
    [Arguments("(func (f32.const 0x1p128) drop)", "constant out of range", 1, 18)]
    [Arguments("(func (i32.const 1_) drop)", "unknown operator", 1, 18)]
    [Arguments("(func\n  (i32.add_x))", "unknown operator i32.add_x", 2, 4)]
    [Arguments("(func $f) (func $f)", "duplicate func", 1, 17)]
    [Arguments("(func (br $missing))", "unknown label $missing", 1, 11)]
    [Arguments("(func (call $g))", "unknown function $g", 1, 13)]
    [Arguments("(func block $a end $b)", "mismatching label", 1, 20)]
    [Arguments("(func) (import \"m\" \"f\" (func))", "import after function", 1, 8)]
    [Arguments("(func (i32.load align=3 (i32.const 0)) drop)", "alignment must be a power of two", 1, 17)]
    [Arguments("(func \"a\"x)", "unknown operator", 1, 7)]
    [Arguments("(func (block", "unexpected end of input", 1, 13)]
    [Arguments("(func)) (func)", "unexpected token", 1, 7)]
    [Arguments("(type $t (func (param i32))) (func (type $t) (param i64))", "inline function type", 1, 46)]
    public async Task Errors_say_what_and_where(string text, string reason, int line, int column)
    {
        var error = Error(text);
        await Assert.That(error.Reason).IsEqualTo(reason);
        await Assert.That((error.Line, error.Column)).IsEqualTo((line, column));
    }

    [Test]
    public async Task Deep_nesting_is_parsed_without_recursion()
    {
        const int depth = 100_000;
        var folded = $"(func (export \"f\") (result i32) {string.Concat(Enumerable.Repeat("(i32.add (i32.const 1) ", depth))}(i32.const 0){new string(')', depth)})";
        await Assert.That(Call(folded, "f")[0].AsI32()).IsEqualTo(depth);
        var blocks = $"(func {string.Concat(Enumerable.Repeat("(block ", depth))}{new string(')', depth)})";
        await Assert.That(TextModule.Valid(blocks).Bodies.Length).IsEqualTo(1);
        await Assert.That(Error($"(func {new string('(', depth)}").Reason).IsEqualTo("unexpected end of input");
    }

    [Test]
    public async Task Hostile_literals_and_bytes_get_errors()
    {
        await Assert.That(Error($"(func (i64.const {new string('9', 1_000_000)}) drop)").Reason).IsEqualTo("constant out of range");
        await Assert.That(Error($"(func (f64.const 1e{new string('9', 100_000)}) drop)").Reason).IsEqualTo("constant out of range");
        // 1,000,000 hex digits and an exponent that takes them back: a finite value, read in linear time.
        var result = Call($"(func (export \"f\") (result f32) (f32.const 0x{new string('1', 1_000_000)}p-3999998))", "f");
        await Assert.That(result[0].AsF32()).IsEqualTo(0.26666668f);
        byte[] bytes = [.. "(module\n  (func "u8, 0xC3, 0x28, .. "))"u8];
        var invalid = Assert.Throws<TextFormatException>(() => TextLexer.DecodeUtf8(bytes));
        await Assert.That((invalid.Reason, invalid.Line, invalid.Column)).IsEqualTo(("malformed UTF-8 encoding", 2, 9));
        await Assert.That(Error("(func (export \"\\ff\"))").Reason).IsEqualTo("malformed UTF-8 encoding");
        await Assert.That(Error("(func \"unterminated").Reason).IsEqualTo("unclosed string");
        await Assert.That(Error("(func (; open comment").Reason).IsEqualTo("unclosed comment");
    }

    [Test]
    public async Task A_script_with_hostile_nesting_fails_that_command_alone()
    {
        var either = string.Concat(Enumerable.Repeat("(either ", 100_000)) + "(i32.const 1)" + new string(')', 100_000);
        var outcomes = Wasmrun.Wast.WastRunner.Run($"""
            (module (func (export "f") (result i32) (i32.const 1)))
            (assert_return (invoke "f") {either})
            (assert_return (invoke "f") (either (i32.const 2) (i32.const 1)))
            (module {new string('(', 100_000)}
            """, "hostile");
        await Assert.That(outcomes.Select(outcome => (outcome.Line, outcome.Passed)).ToArray())
            .IsEquivalentTo(new[] { (1, true), (2, false), (3, true), (4, false), (4, false) });
        await Assert.That(outcomes[1].Failure).IsEqualTo("the script does not parse here: unexpected token (line 2, column 37)");
        // An unbalanced module fails, and so does the script's end, where its parentheses are still open.
        await Assert.That(outcomes[4].Failure).IsEqualTo("the script does not parse: unexpected end of input");
    }

    [Test]
    public async Task Annotations_and_string_ids_are_read()
    {
        // An annotation the encoder does not act on may hold anything between balanced parentheses.
        var module = TextModule.Valid("(@other \"x\" (any (thing))) (func $\"a b\" (export \"f\") (call $\"a b\")) (@a ,;[]{})");
        await Assert.That(module.Bodies.Length).IsEqualTo(1);
    }

    [Test]
    public async Task The_2_0_corpus_round_trips_through_the_printer_to_identical_bytes()
    {
        if (SpecSuite.ScriptDirectory is null)
        {
            Skip.Test(SpecSuite.MissingMessage);
        }
        var (compared, mismatches) = (0, new List<string>());
        foreach (var path in Directory.EnumerateFiles(SpecSuite.ScriptDirectory!, "*.wast").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(path);
            foreach (var (line, bytes) in TextModules(text))
            {
                try
                {
                    ModuleValidator.Validate(ModuleDecoder.Decode(bytes));
                }
                catch (ModuleFormatException)
                {
                    continue;
                }
                var printed = TextPrinter.Print(ModuleDecoder.Decode(bytes));
                var again = TextModuleParser.ParseFile(printed);
                compared++;
                if (!again.AsSpan().SequenceEqual(bytes))
                {
                    mismatches.Add($"{Path.GetFileName(path)}:{line}");
                }
            }
        }
        await Assert.That(mismatches).IsEmpty();
        // Measured: 1,547 valid text modules in the 2.0 scripts; a collapse means the walk stopped finding them.
        await Assert.That(compared).IsGreaterThan(1_500);
    }

    // Every `(module ...)` written as text in a script (not `binary` or `quote`), with its line, as our parser encodes it.
    private static IEnumerable<(int Line, byte[] Bytes)> TextModules(string text)
    {
        var reader = new TokenReader(text, TextLexer.Tokenize(text));
        for (var i = 0; i < reader.Tokens.Length - 2; i++)
        {
            reader.Position = i;
            if (!reader.IsOpen("module"))
            {
                continue;
            }
            reader.Position += 2;
            reader.OptionalId();
            if (reader.IsAtom("binary") || reader.IsAtom("quote") || reader.IsAtom("definition") || reader.IsAtom("instance"))
            {
                continue;
            }
            byte[]? bytes;
            try
            {
                bytes = TextModuleParser.ParseFields(reader);
            }
            catch (TextFormatException)
            {
                bytes = null;
            }
            if (bytes is not null)
            {
                yield return (1 + text.AsSpan(0, reader.Tokens[i].Start).Count('\n'), bytes);
            }
        }
    }
}
