// Decoder behaviour the spec suite does not pin down: names, custom sections, error context, bounded allocation.
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Validate;
using static Wasmrun.Tests.Support.Wasm;

namespace Wasmrun.Tests.Engine;

public sealed class DecoderTests
{
    private static readonly byte[] VoidType = FuncType([], []);

    private static byte[] NameSection(params byte[][] subsections) => Section(0, [.. Name("name"), .. subsections.SelectMany(s => s)]);

    private static byte[] Subsection(byte id, byte[] content) => [id, .. U32((uint)content.Length), .. content];

    [Test]
    public async Task The_name_section_gives_module_function_and_local_names()
    {
        var bytes = Module(
            Section(1, Vector(FuncType([0x7F], []))),
            Section(3, Vector(U32(0))),
            Section(10, Vector(Body([0x0B], (1, 0x7E)))),
            NameSection(
                Subsection(0, Name("demo")),
                Subsection(1, Vector([.. U32(0), .. Name("main")])),
                Subsection(2, Vector([.. U32(0), .. Vector([.. U32(0), .. Name("argc")], [.. U32(1), .. Name("total")])]))));
        var module = ModuleDecoder.Decode(bytes);
        ModuleValidator.Validate(module);
        await Assert.That(module.Names.ModuleName).IsEqualTo("demo");
        await Assert.That(module.Names.FunctionName(0)).IsEqualTo("main");
        await Assert.That(module.Names.Locals[0][1]).IsEqualTo("total");
        await Assert.That(module.Names.Problem).IsNull();
        await Assert.That(module.CustomSections.Single().Name).IsEqualTo("name");
    }

    [Test]
    public async Task A_damaged_name_section_is_noted_but_the_module_stays_valid()
    {
        var bytes = Module(
            Section(1, Vector(VoidType)),
            Section(3, Vector(U32(0))),
            Section(10, Vector(Body([0x0B]))),
            NameSection(Subsection(1, Vector([.. U32(0), .. Name("ok")])), [0x01, 0x05, 0x01, 0x00, 0x09]));
        var module = ModuleDecoder.Decode(bytes);
        ModuleValidator.Validate(module);
        await Assert.That(module.Names.FunctionName(0)).IsEqualTo("ok");
        await Assert.That(module.Names.Problem).Contains("name section ignored");
    }

    [Test]
    public async Task A_huge_vector_count_fails_before_allocating()
    {
        var bytes = Module([0x01, 0x06, .. U32(0xFFFF_FFFF), 0x60]);
        var error = Assert.Throws<ModuleFormatException>(() => ModuleDecoder.Decode(bytes));
        await Assert.That(error.Reason).IsEqualTo("length out of bounds");
        await Assert.That(error.Section).IsEqualTo(SectionId.Type);
    }

    [Test]
    public async Task Sections_out_of_order_are_unexpected_content()
    {
        var bytes = Module(Section(3, Vector()), Section(1, Vector()));
        var error = Assert.Throws<ModuleFormatException>(() => ModuleDecoder.Decode(bytes));
        await Assert.That(error.Reason).IsEqualTo("unexpected content after last section");
        await Assert.That(error.Offset).IsEqualTo(11);
    }

    [Test]
    public async Task Billions_of_locals_validate_without_being_expanded()
    {
        // 2^32 - 2 i32 locals then one i64: the binary format allows 2^32 - 1 in all; local.get of the last is an i64.
        byte[] code = [0x20, .. U32(0xFFFF_FFFE), 0x1A, 0x0B];
        var module = ModuleDecoder.Decode(Functions(VoidType, Body(code, (0xFFFF_FFFE, 0x7F), (1, 0x7E))));
        ModuleValidator.Validate(module);
        await Assert.That(module.Bodies[0].LocalCount).IsEqualTo(0xFFFF_FFFFUL);

        byte[] typed = [0x20, .. U32(0xFFFF_FFFE), 0x50, 0x1A, 0x0B];
        ModuleValidator.Validate(ModuleDecoder.Decode(Functions(VoidType, Body(typed, (0xFFFF_FFFE, 0x7F), (1, 0x7E)))));
        byte[] wrong = [0x20, .. U32(0xFFFF_FFFE), 0x45, 0x1A, 0x0B];
        var error = Assert.Throws<ModuleFormatException>(() => ModuleValidator.Validate(ModuleDecoder.Decode(Functions(VoidType, Body(wrong, (0xFFFF_FFFE, 0x7F), (1, 0x7E))))));
        await Assert.That(error.Reason).StartsWith("type mismatch");
    }

    [Test]
    public async Task Deep_nesting_neither_recurses_nor_overflows()
    {
        const int depth = 200_000;
        byte[] code = [.. Enumerable.Repeat(new byte[] { 0x02, 0x40 }, depth).SelectMany(b => b), .. Enumerable.Repeat((byte)0x0B, depth + 1)];
        var module = ModuleDecoder.Decode(Functions(VoidType, Body(code)));
        ModuleValidator.Validate(module);
        await Assert.That(module.Bodies[0].End - module.Bodies[0].CodeStart).IsEqualTo(code.Length);
    }

    [Test]
    public async Task Validation_errors_name_the_section_the_function_and_its_name()
    {
        byte[] code = [0x41, 0x01, 0x0B];
        var bytes = Module(
            Section(1, Vector(VoidType)),
            Section(3, Vector(U32(0), U32(0))),
            Section(10, Vector(Body([0x0B]), Body(code))),
            NameSection(Subsection(1, Vector([.. U32(1), .. Name("leaky")]))));
        var error = Assert.Throws<ModuleFormatException>(() => ModuleValidator.Validate(ModuleDecoder.Decode(bytes)));
        await Assert.That(error.Kind).IsEqualTo(ModuleErrorKind.Invalid);
        await Assert.That(error.Section).IsEqualTo(SectionId.Code);
        await Assert.That(error.FunctionIndex).IsEqualTo(1u);
        await Assert.That(error.Describe()).StartsWith("type mismatch");
        await Assert.That(error.Describe()).EndsWith("(code section, function 1 'leaky')");
    }

    [Test]
    public async Task Constant_expressions_keep_their_value_for_instantiation()
    {
        var bytes = Module(Section(6, Vector([0x7E, 0x00, 0x42, .. S64(-5), 0x0B], [0x7C, 0x01, 0x44, 0, 0, 0, 0, 0, 0, 0xF8, 0x7F, 0x0B])));
        var module = ModuleDecoder.Decode(bytes);
        ModuleValidator.Validate(module);
        await Assert.That(module.GlobalInitializers[0].Opcode).IsEqualTo(Opcode.I64Const);
        await Assert.That((long)module.GlobalInitializers[0].Bits).IsEqualTo(-5L);
        await Assert.That(module.GlobalInitializers[1].Bits).IsEqualTo(0x7FF8_0000_0000_0000UL);
        await Assert.That(module.Globals[1].Mutable).IsTrue();
    }
}
