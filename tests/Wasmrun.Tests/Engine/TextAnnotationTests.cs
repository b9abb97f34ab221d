// Custom annotations in text (3.0 appendix): @custom sections land where they are placed, @name names the module and
// its functions in the name section, and a branch hint is written for the if or br_if it precedes, at that
// instruction's offset in its function's body (folded or flat); misplaced ones are errors at their place.
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Text;

namespace Wasmrun.Tests.Engine;

public sealed class TextAnnotationTests
{
    private static byte[] Section(Module module, string name)
    {
        var section = module.CustomSections.Single(s => s.Name == name);
        return module.Span(section.ContentStart, section.ContentLength).ToArray();
    }

    [Test]
    public async Task Custom_sections_are_placed_before_or_after_the_sections_their_annotations_name()
    {
        var module = ModuleDecoder.Decode(TextModuleParser.ParseFile("""
            (module
              (@custom "at-end" "z")
              (@custom "start" (before first) "a" "b")
              (func)
              (@custom "after-types" (after type) "c")
              (@custom "before-code" (before code) ""))
            """));
        var order = module.Sections.Select(s => s.Id == SectionId.Custom ? s.CustomName! : s.Id.ToString()).ToList();
        await Assert.That(order).IsEquivalentTo(["start", "Type", "after-types", "Function", "before-code", "Code", "at-end"]);
        await Assert.That(Section(module, "start")).IsEquivalentTo("ab"u8.ToArray());
        await Assert.That(Section(module, "before-code")).IsEmpty();
    }

    [Test]
    public async Task Name_annotations_name_the_module_and_functions_over_their_ids()
    {
        var module = ModuleDecoder.Decode(TextModuleParser.ParseFile("""(module $m (@name "Modül") (func $f (@name "λ")) (func $g))"""));
        await Assert.That(module.Names.ModuleName).IsEqualTo("Modül");
        await Assert.That(module.Names.FunctionName(0)).IsEqualTo("λ");
        await Assert.That(module.Names.FunctionName(1)).IsEqualTo("g");
    }

    [Test]
    public async Task Branch_hints_give_the_offset_of_their_instruction_in_the_function_body()
    {
        var module = ModuleDecoder.Decode(TextModuleParser.ParseFile("""
            (module
              (func (param i32) (result i32)
                (@metadata.code.branch_hint "\01")
                (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2))))
              (func (param i32)
                (block local.get 0 (@metadata.code.branch_hint "\00") br_if 0)))
            """));
        // Two functions; function 0's `if` follows the local count (0x00) and local.get 0 (0x20 0x00): offset 3;
        // function 1's br_if follows the local count, `block` 0x40 and local.get 0: offset 5.
        await Assert.That(Section(module, "metadata.code.branch_hint")).IsEquivalentTo(new byte[] { 2, 0, 1, 3, 1, 1, 1, 1, 5, 1, 0 });
        // The offsets land on the opcodes: if (0x04) and br_if (0x0D), counted from the start of each body.
        await Assert.That(module.Span(module.Bodies[0].Offset + 3, 1)[0]).IsEqualTo((byte)0x04);
        await Assert.That(module.Span(module.Bodies[1].Offset + 5, 1)[0]).IsEqualTo((byte)0x0D);
    }

    [Test]
    [Arguments("(func (@custom \"x\"))", "misplaced @custom annotation")]
    [Arguments("(@custom \"x\" (before types))", "@custom annotation: malformed section kind")]
    [Arguments("(@custom \"x\" here)", "@custom annotation: unexpected token")]
    [Arguments("(func) (@name \"late\")", "misplaced @name annotation")]
    [Arguments("(@metadata.code.branch_hint \"\\01\") (func)", "@metadata.code.branch_hint annotation: not in a function")]
    [Arguments("(func (@metadata.code.branch_hint \"\\01\") nop)", "@metadata.code.branch_hint annotation: invalid target")]
    public async Task Misplaced_or_malformed_annotations_are_errors(string text, string reason)
    {
        var error = Assert.Throws<TextFormatException>(() => TextModuleParser.ParseFile(text));
        await Assert.That(error.Reason).StartsWith(reason);
    }
}
