// Constant expressions of WebAssembly 3.0 against 2.0 (issue 16): integer arithmetic (extended constant expressions)
// and the module's own immutable globals, valid with WasmFeatures.Wasm30 and invalid with Wasm20, evaluated in order.
using Wasmrun.Engine;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Validate;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Engine;

public sealed class ConstantExpressionTests
{
    private static string? Problem(string text, WasmFeatures features)
    {
        try
        {
            ModuleValidator.Validate(TextModule.Decode(text), features);
            return null;
        }
        catch (ModuleFormatException error)
        {
            return error.Reason;
        }
    }

    [Test]
    [Arguments("(global i64 (i64.mul (i64.const 3) (i64.sub (i64.const 10) (i64.const 3))))", "constant expression required: i64.sub is not constant")]
    [Arguments("(global i32 (i32.const 1)) (global i32 (i32.add (global.get 0) (i32.const 1)))", "unknown global 0")]
    [Arguments("(memory 1) (global i32 (i32.const 8)) (data (global.get 0) \"x\")", "unknown global 0")]
    public async Task What_3_0_accepts_2_0_rejects(string fields, string reason20)
    {
        await Assert.That(Problem(fields, WasmFeatures.Wasm30)).IsNull();
        await Assert.That(Problem(fields, WasmFeatures.Wasm20)).IsEqualTo(reason20);
    }

    [Test]
    [Arguments("(global i32 (global.get 1)) (global i32 (i32.const 0))", "unknown global 1")]
    [Arguments("(global (mut i32) (i32.const 0)) (global i32 (global.get 0))", "constant expression required: global 0 is mutable")]
    [Arguments("(global i32 (i32.div_s (i32.const 1) (i32.const 1)))", "constant expression required: i32.div_s is not constant")]
    [Arguments("(global i32 (i32.add (i32.const 1) (i64.const 1)))", "type mismatch")]
    public async Task What_both_reject(string fields, string reason)
    {
        await Assert.That(Problem(fields, WasmFeatures.Wasm30)).StartsWith(reason);
    }

    [Test]
    public async Task Extended_expressions_are_evaluated_in_order_with_wrapping()
    {
        var module = TextModule.Decode("""
            (global $base i32 (i32.const 0x7fff_fff0))
            (global $next (export "next") i32 (i32.add (global.get $base) (i32.const 0x20)))
            (global (export "product") i64 (i64.mul (i64.const 0x1_0000_0001) (i64.sub (i64.const 10) (i64.const 3))))
            (memory 1)
            (data (i32.mul (i32.const 4) (i32.const 5)) "\2a")
            (func (export "byte") (result i32) (i32.load8_u (i32.const 20)))
            """);
        ModuleValidator.Validate(module);
        using var store = new Store(new EngineOptions());
        var instance = store.Instantiate(module, new Linker());
        await Assert.That((uint)instance.Exports["next"].Global.Get().Bits).IsEqualTo(0x80000010u);
        await Assert.That(instance.Exports["product"].Global.Get().AsI64()).IsEqualTo(0x7_0000_0007L);
        await Assert.That(store.Invoke(instance.ExportedFunction("byte")!, [])[0].AsI32()).IsEqualTo(42);
    }
}
