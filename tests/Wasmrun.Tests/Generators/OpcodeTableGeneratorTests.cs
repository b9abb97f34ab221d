// The opcode table generator run in-process on small tables: what it derives from rows, and how it rejects bad ones.
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Wasmrun.Generators;

namespace Wasmrun.Tests.Generators;

public sealed class OpcodeTableGeneratorTests
{
    private sealed class TableFile(string text) : AdditionalText
    {
        public override string Path => "/src/Engine/Opcodes.txt";

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private static GeneratorDriverRunResult Run(string table)
    {
        var compilation = CSharpCompilation.Create("tables", [], [], new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var driver = CSharpGeneratorDriver.Create([new OpcodeTableGenerator().AsSourceGenerator()], [new TableFile(table)]);
        return driver.RunGenerators(compilation).GetRunResult();
    }

    private static string Source(GeneratorDriverRunResult result, string hint) =>
        result.GeneratedTrees.Single(tree => tree.FilePath.EndsWith(hint, StringComparison.Ordinal)).ToString();

    [Test]
    public async Task One_row_becomes_an_enum_member_a_name_a_kind_and_a_validation_rule()
    {
        var result = Run("""
            # comment
            0x6A      | i32.add       | -        | i32 i32 -> i32 | Add.
            0xFD 0x15 | i8x16.extract_lane_s | lane:16 | v128 -> i32 | Extract.
            """);
        await Assert.That(result.Diagnostics).IsEmpty();
        await Assert.That(Source(result, "Opcode.g.cs")).Contains("I32Add = 0x6A,");
        await Assert.That(Source(result, "Opcode.g.cs")).Contains("I8x16ExtractLaneS = 0xFD15,");
        await Assert.That(Source(result, "OpcodeInfo.g.cs")).Contains("Opcode.I8x16ExtractLaneS => \"i8x16.extract_lane_s\",");
        var validator = Source(result, "FunctionValidator.g.cs");
        await Assert.That(validator).Contains("CheckLane(instruction, 16);");
        await Assert.That(validator).Contains("PopOperand(ValType.I32);\n                PopOperand(ValType.I32);\n                PushOperand(ValType.I32);");
    }

    [Test]
    [Arguments("0x6A | i32.add | - | i32 i32 -> i32", "expected 5 cells")]
    [Arguments("0x6A | i32.add | sideways | i32 i32 -> i32 | Add.", "unknown immediate kind 'sideways'")]
    [Arguments("0x6A | i32.add | - | i32 i33 -> i32 | Add.", "unknown value type 'i33'")]
    [Arguments("0xFE 0x00 | atomic.fence | - | -> | Fence.", "prefix 0xFE is not 0xFC or 0xFD")]
    [Arguments("0x28 | i32.load | memarg | i32 -> i32 | Load.", "immediate kind 'memarg' takes 1 ':' argument(s)")]
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
            0x6A | i32.add | - | i32 i32 -> i32 | Add.
            0x6A | i32.plus | - | i32 i32 -> i32 | Add again.
            0x6B | i32.add | - | i32 i32 -> i32 | Same name.
            """);
        ImmutableArray<Diagnostic> diagnostics = result.Diagnostics;
        await Assert.That(diagnostics.Select(d => d.Id).ToList()).IsEquivalentTo(["WRG002", "WRG002"]);
        await Assert.That(diagnostics[0].Location.GetLineSpan().StartLinePosition.Line).IsEqualTo(1);
        await Assert.That(diagnostics[1].Location.GetLineSpan().StartLinePosition.Line).IsEqualTo(2);
    }
}
