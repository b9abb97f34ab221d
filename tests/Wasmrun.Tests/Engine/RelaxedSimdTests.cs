// Relaxed SIMD (3.0, issue 16): each instruction takes one documented choice of those the spec allows, the same on
// every run: madd rounds twice (not fused), the dot products read b's bytes as signed, swizzle and trunc behave as
// their strict twins. WebAssembly 2.0 has none of the opcodes.
using Wasmrun.Engine;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Validate;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Engine;

public sealed class RelaxedSimdTests
{
    private const string Module = """
        (func (export "madd") (param f32 f32 f32) (result f32)
          (f32x4.extract_lane 0 (f32x4.relaxed_madd (f32x4.splat (local.get 0)) (f32x4.splat (local.get 1)) (f32x4.splat (local.get 2)))))
        (func (export "dot") (param i32 i32) (result i32)
          (i16x8.extract_lane_s 0 (i16x8.relaxed_dot_i8x16_i7x16_s (i8x16.splat (local.get 0)) (i8x16.splat (local.get 1)))))
        (func (export "dot-add") (param i32 i32 i32) (result i32)
          (i32x4.extract_lane 3 (i32x4.relaxed_dot_i8x16_i7x16_add_s
            (i8x16.splat (local.get 0)) (i8x16.splat (local.get 1)) (i32x4.splat (local.get 2)))))
        (func (export "swizzle") (param i32) (result i32)
          (i8x16.extract_lane_u 0 (i8x16.relaxed_swizzle (v128.const i8x16 9 8 7 6 5 4 3 2 1 0 1 2 3 4 5 6) (i8x16.splat (local.get 0)))))
        (func (export "trunc") (param f32) (result i32)
          (i32x4.extract_lane 0 (i32x4.relaxed_trunc_f32x4_s (f32x4.splat (local.get 0)))))
        """;

    [Test]
    public async Task Each_instruction_gives_its_documented_choice()
    {
        using var store = new Store(new EngineOptions());
        var instance = store.Instantiate(TextModule.Valid(Module), new Linker());
        Value Call(string name, params Value[] arguments) => store.Invoke(instance.ExportedFunction(name)!, arguments)[0];

        // (1 + 2^-23) * (1 - 2^-23) = 1 - 2^-46: rounded to 1 before the add (fused would keep -2^-46).
        var madd = Call("madd", Value.F32(1 + MathF.Pow(2, -23)), Value.F32(1 - MathF.Pow(2, -23)), Value.F32(-1));
        await Assert.That(madd.AsF32()).IsEqualTo(0f);
        // b = 0x80 read as -128: 2 * (3 * -128).
        await Assert.That(Call("dot", Value.I32(3), Value.I32(0x80)).AsI32()).IsEqualTo(-768);
        await Assert.That(Call("dot-add", Value.I32(-2), Value.I32(0x7F), Value.I32(1000)).AsI32()).IsEqualTo(1000 - 4 * 254);
        await Assert.That(Call("swizzle", Value.I32(2)).AsI32()).IsEqualTo(7);
        await Assert.That(Call("swizzle", Value.I32(200)).AsI32()).IsEqualTo(0);
        await Assert.That(Call("trunc", Value.F32(float.NaN)).AsI32()).IsEqualTo(0);
        await Assert.That(Call("trunc", Value.F32(3e9f)).AsI32()).IsEqualTo(int.MaxValue);
    }

    [Test]
    public async Task WebAssembly_2_0_has_no_relaxed_simd()
    {
        var module = TextModule.Decode(Module);
        var old = Assert.Throws<ModuleFormatException>(() => ModuleValidator.Validate(module, WasmFeatures.Wasm20));
        await Assert.That((old.Kind, old.Reason)).IsEqualTo((ModuleErrorKind.Malformed, "illegal opcode fd 261"));
    }
}
