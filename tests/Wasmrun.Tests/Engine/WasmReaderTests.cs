// LEB128, names and bounds of the binary reader, against the spec's rules for malformed encodings.
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;

namespace Wasmrun.Tests.Engine;

public sealed class WasmReaderTests
{
    [Test]
    [Arguments(new byte[] { 0x00 }, 0u)]
    [Arguments(new byte[] { 0x7F }, 127u)]
    [Arguments(new byte[] { 0x80, 0x01 }, 128u)]
    [Arguments(new byte[] { 0x83, 0x80, 0x80, 0x80, 0x00 }, 3u)]
    [Arguments(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, uint.MaxValue)]
    public async Task U32_decodes_minimal_and_padded_forms(byte[] bytes, uint expected)
    {
        var reader = new WasmReader(bytes);
        await Assert.That(reader.ReadU32()).IsEqualTo(expected);
        await Assert.That(reader.AtEnd).IsTrue();
    }

    [Test]
    [Arguments(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x1F }, "integer too large")]
    [Arguments(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x70 }, "integer too large")]
    [Arguments(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, "integer representation too long")]
    [Arguments(new byte[] { 0x80, 0x80 }, "unexpected end")]
    public async Task U32_rejects_what_the_spec_calls_malformed(byte[] bytes, string reason)
    {
        var error = Assert.Throws<ModuleFormatException>(() => new WasmReader(bytes).ReadU32());
        await Assert.That(error.Reason).StartsWith(reason);
        await Assert.That(error.Kind).IsEqualTo(ModuleErrorKind.Malformed);
    }

    [Test]
    [Arguments(new byte[] { 0x7F }, -1)]
    [Arguments(new byte[] { 0x3F }, 63)]
    [Arguments(new byte[] { 0x40 }, -64)]
    [Arguments(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, -1)]
    [Arguments(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x78 }, int.MinValue)]
    [Arguments(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x07 }, int.MaxValue)]
    public async Task S32_sign_extends(byte[] bytes, int expected) =>
        await Assert.That(new WasmReader(bytes).ReadS32()).IsEqualTo(expected);

    [Test]
    [Arguments(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    [Arguments(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x70 })]
    public async Task S32_unused_bits_must_match_the_sign(byte[] bytes)
    {
        var error = Assert.Throws<ModuleFormatException>(() => new WasmReader(bytes).ReadS32());
        await Assert.That(error.Reason).IsEqualTo("integer too large");
    }

    [Test]
    public async Task S64_reads_the_extremes()
    {
        await Assert.That(new WasmReader([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F]).ReadS64()).IsEqualTo(long.MinValue);
        await Assert.That(new WasmReader([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00]).ReadS64()).IsEqualTo(long.MaxValue);
        var error = Assert.Throws<ModuleFormatException>(() => new WasmReader([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]).ReadS64());
        await Assert.That(error.Reason).IsEqualTo("integer too large");
    }

    [Test]
    public async Task A_length_past_the_input_is_rejected_before_anything_is_read()
    {
        var error = Assert.Throws<ModuleFormatException>(() => new WasmReader([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00]).ReadLength());
        await Assert.That(error.Reason).IsEqualTo("length out of bounds");
        await Assert.That(error.Offset).IsEqualTo(0);
    }

    [Test]
    [Arguments(new byte[] { 0x02, 0xC0, 0x80 })]
    [Arguments(new byte[] { 0x03, 0xED, 0xA0, 0x80 })]
    [Arguments(new byte[] { 0x04, 0xF4, 0x90, 0x80, 0x80 })]
    [Arguments(new byte[] { 0x01, 0xFF })]
    public async Task Names_must_be_strict_utf8(byte[] bytes)
    {
        var error = Assert.Throws<ModuleFormatException>(() => new WasmReader(bytes).ReadName());
        await Assert.That(error.Reason).IsEqualTo("malformed UTF-8 encoding");
    }

    [Test]
    public async Task Names_decode_multibyte_text() =>
        await Assert.That(new WasmReader(Support.Wasm.Name("π≈3.14 🦀")).ReadName()).IsEqualTo("π≈3.14 🦀");
}
