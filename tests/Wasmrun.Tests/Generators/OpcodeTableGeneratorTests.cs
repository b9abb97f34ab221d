// The opcode table generator run in-process on small tables: what it derives from rows, and how it rejects bad ones.
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Wasmrun.Generators;

namespace Wasmrun.Tests.Generators;

public sealed class OpcodeTableGeneratorTests
{
    private sealed class InputFile(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private const string Handlers = """
        section prologue {
            int x = 0;
        }
        section epilogue {
        Trapped:
            return default;
        }
        section cold_prologue {
        }
        snippet branch {
            ip += target;
            continue;
        }
        snippet next {
            ip++;
            continue;
        }
        inst default hot {
            continue;
        }
        // Copies a slot.
        inst Copy(dst: result, src: slot) hot {
            fp[dst] = fp[src];
            @next
        }
        inst TableInit(operands: slots, table: table, segment: elem) cold {
            return 1;
        }
        inst ConstV128(dst: result, value: v128) cold {
            return 2;
        }
        """;

    private static GeneratorDriverRunResult Run(string table, string? handlers = null, string? translator = null) =>
        Drive(table, handlers, translator, out _);

    private static GeneratorDriverRunResult Drive(string table, string? handlers, string? translator, out Compilation output)
    {
        SyntaxTree[] trees = translator is null ? [] : [CSharpSyntaxTree.ParseText(translator)];
        var compilation = CSharpCompilation.Create("tables", trees, [], new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        AdditionalText[] files = handlers is null
            ? [new InputFile("/src/Engine/Opcodes.txt", table)]
            : [new InputFile("/src/Engine/Opcodes.txt", table), new InputFile("/src/Engine/Execute/Handlers.txt", handlers)];
        var driver = CSharpGeneratorDriver.Create([new OpcodeTableGenerator().AsSourceGenerator()], files);
        return driver.RunGeneratorsAndUpdateCompilation(compilation, out output, out _).GetRunResult();
    }

    private static string Source(GeneratorDriverRunResult result, string hint) =>
        result.GeneratedTrees.Single(tree => tree.FilePath.EndsWith(hint, StringComparison.Ordinal)).ToString();

    [Test]
    public async Task One_row_becomes_an_enum_member_a_name_a_kind_and_a_validation_rule()
    {
        var result = Run("""
            # comment
            0x6A      | i32.add       | -        | i32 i32 -> i32 | hot,comm: a + b | Add.
            0xFD 0x15 | i8x16.extract_lane_s | lane:16 | v128 -> i32 | simd | Extract.
            """);
        await Assert.That(result.Diagnostics).IsEmpty();
        await Assert.That(Source(result, "Opcode.g.cs")).Contains("I32Add = 0x6A,");
        await Assert.That(Source(result, "Opcode.g.cs")).Contains("I8x16ExtractLaneS = 0xFD0015,");
        await Assert.That(Source(result, "OpcodeInfo.g.cs")).Contains("Opcode.I8x16ExtractLaneS => \"i8x16.extract_lane_s\",");
        var validator = Source(result, "FunctionValidator.g.cs");
        await Assert.That(validator).Contains("CheckLane(instruction, 16);");
        await Assert.That(validator).Contains("PopOperand(ValType.I32);\n                PopOperand(ValType.I32);\n                PushOperand(ValType.I32);");
    }

    [Test]
    [Arguments("0x6A | i32.add | - | i32 i32 -> i32 | Add.", "expected 6 cells")]
    [Arguments("0x6A | i32.add | sideways | i32 i32 -> i32 | a + b | Add.", "unknown immediate kind 'sideways'")]
    [Arguments("0x6A | i32.add | - | i32 i33 -> i32 | a + b | Add.", "unknown value type 'i33'")]
    [Arguments("0xFE 0x00 | atomic.fence | - | -> | - | Fence.", "prefix 0xFE is not 0xFB, 0xFC or 0xFD")]
    [Arguments("0xFD 0x200 | v128.future | - | -> | - | Future.", "sub-opcode 0x200 is past 0x1FF")]
    [Arguments("0x28 | i32.load | memarg | i32 -> i32 | load int | Load.", "immediate kind 'memarg' takes 1 ':' argument(s)")]
    [Arguments("0x6D | i32.div_s | - | i32 i32 -> i32 | guard b == 0; a / b | Divide.", "guard 'guard b == 0' has no '=> TrapCode'")]
    [Arguments("0x46 | i32.eq | - | i32 i32 -> i32 | br: a == b | Equal.", "a `br` row's expression must be a condition")]
    [Arguments("0x28 | i32.load | memarg:2 | i32 -> i32 | load decimal | Load.", "unknown memory type 'decimal'")]
    public async Task A_malformed_row_is_a_build_error_naming_the_problem(string row, string problem)
    {
        var result = Run(row);
        var diagnostic = result.Diagnostics.Single();
        await Assert.That(diagnostic.Id).IsEqualTo("WRG001");
        await Assert.That(diagnostic.Severity).IsEqualTo(DiagnosticSeverity.Error);
        await Assert.That(diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).Contains(problem);
        await Assert.That(result.GeneratedTrees.IsEmpty).IsTrue();
    }

    [Test]
    public async Task A_duplicate_encoding_or_name_is_a_build_error_on_its_line()
    {
        var result = Run("""
            0x6A | i32.add | - | i32 i32 -> i32 | a + b | Add.
            0x6A | i32.plus | - | i32 i32 -> i32 | a + b | Add again.
            0x6B | i32.add | - | i32 i32 -> i32 | a - b | Same name.
            """);
        ImmutableArray<Diagnostic> diagnostics = result.Diagnostics;
        await Assert.That(diagnostics.Select(d => d.Id).ToList()).IsEquivalentTo(["WRG002", "WRG002"]);
        await Assert.That(diagnostics[0].Location.GetLineSpan().StartLinePosition.Line).IsEqualTo(1);
        await Assert.That(diagnostics[1].Location.GetLineSpan().StartLinePosition.Line).IsEqualTo(2);
    }

    [Test]
    public async Task With_handlers_the_interpreter_inlines_every_row_and_handler()
    {
        var result = Run("""
            0x6A | i32.add   | -        | i32 i32 -> i32 | hot,comm: a + b | Add.
            0x48 | i32.lt_s  | -        | i32 i32 -> i32 | hot,br: a < b ? 1 : 0 | Less.
            0x6D | i32.div_s | -        | i32 i32 -> i32 | guard b == 0 => IntegerDivideByZero; a / b | Divide.
            0x28 | i32.load  | memarg:2 | i32 -> i32     | hot: load int | Load.
            """, Handlers);
        await Assert.That(result.Diagnostics).IsEmpty();
        var ops = Source(result, "IrOp.g.cs");
        foreach (var op in new[] { "Copy,", "I32Add_SS,", "I32Add_SI,", "BrIfI32LtS_SS,", "BrIfNotI32LtS_SI,", "I32DivS_SS,", "I32Load," })
        {
            await Assert.That(ops).Contains(op);
        }
        var interpreter = Source(result, "Interpreter.g.cs");
        await Assert.That(interpreter).Contains("*(ulong*)(fp + ip->A) = (uint)(a + b);");
        await Assert.That(interpreter).Contains("if (ea + 4 > memLen) { goto OutOfBounds; }");
        // div_s is not hot: it lives in Cold, where a trap is a negative return.
        await Assert.That(interpreter).Contains("if (b == 0) { return -(int)TrapCode.IntegerDivideByZero; }");
        await Assert.That(Source(result, "IrLowering.g.cs")).Contains("(IrOp.I32LtS_SI, true) => IrOp.BrIfNotI32LtS_SI,");
    }

    [Test]
    public async Task A_handler_file_without_its_sections_is_a_build_error()
    {
        var result = Run("0x6A | i32.add | - | i32 i32 -> i32 | a + b | Add.", "inst Copy() hot {\n    continue;\n}\n");
        await Assert.That(result.Diagnostics.Single().Id).IsEqualTo("WRG003");
    }

    [Test]
    public async Task An_instruction_declared_once_gives_the_translator_its_builder_and_the_handler_its_locals()
    {
        var result = Run("0x6A | i32.add | - | i32 i32 -> i32 | hot,comm: a + b | Add.", Handlers);
        await Assert.That(result.Diagnostics).IsEmpty();
        var builders = Source(result, "IrBuilder.g.cs");
        // A result in field A makes a fusable producer; an index is taken as the decoder gives it (uint).
        await Assert.That(builders).Contains("public int Copy(int dst, int src)");
        await Assert.That(builders).Contains("return translator.lastProducer = at;");
        await Assert.That(builders).Contains("public int TableInit(int operands, uint table, uint segment)");
        await Assert.That(builders).Contains("translator.Append(IrOp.TableInit, operands, (int)table, (int)segment);");
        // A v128 takes the next word whole; a two-word instruction is no fusable producer.
        await Assert.That(builders).Contains("translator.AppendVector(value);\n            return at;");
        await Assert.That(builders).Contains("public int Binary(IrOp op, int dst, int a, int b)");
        var interpreter = string.Join("\n", Source(result, "Interpreter.g.cs").Split('\n').Where(line => !line.StartsWith("#line", StringComparison.Ordinal)));
        await Assert.That(interpreter).Contains("int dst = ip->A;");
        await Assert.That(interpreter).Contains("int segment = ip->C;");
        await Assert.That(interpreter).Contains("Vector128<byte> value = Unsafe.ReadUnaligned<Vector128<byte>>(ip + 1);");
        // The snippet is spliced where `@next` stood, at its depth.
        await Assert.That(interpreter).Contains("fp[dst] = fp[src];\n                    ip++;\n                    continue;");
        await Assert.That(Source(result, "IrOp.g.cs")).Contains("/// <summary>Copies a slot. A = dst (result), B = src (slot).</summary>");
    }

    [Test]
    [Arguments("inst Copy(dst: slot, src: result) hot {", "'src' is a result, which the translator finds in field A")]
    [Arguments("inst Copy(dst: register) hot {", "unknown kind 'register'")]
    [Arguments("inst Copy(dst: result, dst: slot) hot {", "'dst' is named twice")]
    [Arguments("inst Copy(dst: result) hot {\n    @nowhere", "there is no snippet 'nowhere'")]
    public async Task A_bad_operand_declaration_or_snippet_use_is_a_build_error_on_its_line(string header, string problem)
    {
        var handlers = Handlers.Replace("inst Copy(dst: result, src: slot) hot {", header, StringComparison.Ordinal);
        var result = Run("0x6A | i32.add | - | i32 i32 -> i32 | a + b | Add.", handlers);
        var diagnostic = result.Diagnostics.Single();
        await Assert.That(diagnostic.Id).IsEqualTo("WRG003");
        await Assert.That(diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).Contains(problem);
        var line = handlers.Split('\n').ToList().FindIndex(l => l.Contains(problem.Contains("snippet", StringComparison.Ordinal) ? "@nowhere" : "inst Copy", StringComparison.Ordinal));
        await Assert.That(diagnostic.Location.GetLineSpan().StartLinePosition.Line).IsEqualTo(line);
    }

    [Test]
    public async Task An_error_in_a_table_cell_is_reported_at_the_cell()
    {
        const string row = "0x6A | i32.add | - | i32 i32 -> i32 | hot: a + nosuch | Add.";
        Drive("# the table\n" + row, Handlers, null, out var compilation);
        var error = compilation.GetDiagnostics().First(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("'nosuch'", StringComparison.Ordinal));
        var where = error.Location.GetMappedLineSpan();
        await Assert.That(where.Path).IsEqualTo("/src/Engine/Opcodes.txt");
        await Assert.That(where.StartLinePosition.Line).IsEqualTo(1);
        await Assert.That(where.StartLinePosition.Character).IsEqualTo(row.IndexOf("nosuch", StringComparison.Ordinal));
    }

    [Test]
    public async Task An_error_in_a_handler_body_is_reported_at_its_line()
    {
        var handlers = Handlers.Replace("    fp[dst] = fp[src];", "    fp[dst] = nosuch;", StringComparison.Ordinal);
        Drive("0x6A | i32.add | - | i32 i32 -> i32 | a + b | Add.", handlers, null, out var compilation);
        var error = compilation.GetDiagnostics().First(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("'nosuch'", StringComparison.Ordinal));
        var where = error.Location.GetMappedLineSpan();
        await Assert.That(where.Path).IsEqualTo("/src/Engine/Execute/Handlers.txt");
        await Assert.That(where.StartLinePosition.Line).IsEqualTo(handlers.Split('\n').ToList().FindIndex(l => l.Contains("nosuch", StringComparison.Ordinal)));
    }

    [Test]
    public async Task A_row_lowered_by_hand_without_its_translator_method_is_a_build_error_on_the_row()
    {
        const string translator = "partial class FunctionTranslator { private void VisitNop() { } private void VisitDrop(int unused) { } }";
        var result = Run("""
            0x01 | nop  | - | ->      | - | Do nothing.
            0x1A | drop | - | special | - | Discard.
            0x6A | i32.add | - | i32 i32 -> i32 | a + b | Add.
            """, Handlers, translator);
        var diagnostic = result.Diagnostics.Single();
        await Assert.That(diagnostic.Id).IsEqualTo("WRG005");
        await Assert.That(diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).Contains("'drop'");
        await Assert.That(diagnostic.Location.GetLineSpan().StartLinePosition.Line).IsEqualTo(1);
        var visit = Source(result, "FunctionTranslator.g.cs");
        await Assert.That(visit).Contains("VisitNop();");
        await Assert.That(visit).DoesNotContain("VisitDrop");
    }
}
