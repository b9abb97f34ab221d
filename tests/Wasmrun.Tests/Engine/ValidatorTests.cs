// Module validation beyond the spec suite's small modules: a large module's bodies are validated on two threads and
// read once (the decoder only delimits them), yet the error reported is the one the reference interpreter reports.
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Validate;
using static Wasmrun.Tests.Support.Wasm;

namespace Wasmrun.Tests.Engine;

public sealed class ValidatorTests
{
    private const byte Nop = 0x01, Else = 0x05, End = 0x0B, Drop = 0x1A, I32Add = 0x6A;

    /// <summary>Four functions of () -> () whose code is past the two-thread threshold together; each body is its
    /// nops, then the given tail (ending with its `end`).</summary>
    private static Module Large(params byte[][] tails)
    {
        var nops = Enumerable.Repeat(Nop, ModuleValidator.ParallelCodeBytes / 3).ToArray();
        return ModuleDecoder.Decode(Functions(FuncType([], []), [.. tails.Select(tail => Body([.. nops, .. tail]))]));
    }

    private static readonly byte[] Valid = [End];
    private static readonly byte[] StackUnderflow = [I32Add, Drop, End];
    private static readonly byte[] ElseWithoutIf = [Else, End];

    [Test]
    public async Task A_large_valid_module_validates()
    {
        ModuleValidator.Validate(Large(Valid, Valid, Valid, Valid));
        await Assert.That(Large(Valid, Valid, Valid, Valid).Bodies.Length).IsEqualTo(4);
    }

    [Test]
    public async Task Of_two_invalid_bodies_the_first_is_reported_though_the_other_thread_finds_its_one_sooner()
    {
        // Function 0's error is at the end of a long body; function 1's, on the other thread, at the start of its.
        var nops = Enumerable.Repeat(Nop, ModuleValidator.ParallelCodeBytes * 4).ToArray();
        var module = ModuleDecoder.Decode(Functions(FuncType([], []), Body([.. nops, .. StackUnderflow]), Body([.. StackUnderflow[..^1], .. nops, End])));
        var error = Assert.Throws<ModuleFormatException>(() => ModuleValidator.Validate(module));
        await Assert.That(error.Kind).IsEqualTo(ModuleErrorKind.Invalid);
        await Assert.That(error.FunctionIndex).IsEqualTo(0u);
        await Assert.That(error.Reason).StartsWith("type mismatch");
    }

    [Test]
    public async Task An_invalid_body_in_the_second_half_is_reported()
    {
        var error = Assert.Throws<ModuleFormatException>(() => ModuleValidator.Validate(Large(Valid, Valid, Valid, StackUnderflow)));
        await Assert.That(error.FunctionIndex).IsEqualTo(3u);
        await Assert.That(error.Section).IsEqualTo(SectionId.Code);
    }

    [Test]
    public async Task A_malformed_body_is_reported_before_an_earlier_invalid_one_as_the_reference_decoder_does()
    {
        var error = Assert.Throws<ModuleFormatException>(() => ModuleValidator.Validate(Large(StackUnderflow, Valid, Valid, ElseWithoutIf)));
        await Assert.That(error.Kind).IsEqualTo(ModuleErrorKind.Malformed);
        await Assert.That(error.Reason).IsEqualTo("END opcode expected");
        await Assert.That(error.FunctionIndex).IsEqualTo(3u);
    }
}
