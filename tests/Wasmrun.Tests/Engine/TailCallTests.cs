// Tail calls (3.0, issue 16): return_call and return_call_indirect reuse the caller's frame (a million-deep chain runs
// under a call depth of 100), return a host function's results, switch instances, trap as call_indirect does, and are
// "illegal opcode" to WebAssembly 2.0.
using Wasmrun.Engine;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Validate;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Engine;

public sealed class TailCallTests
{
    [Test]
    public async Task A_million_deep_chain_of_tail_calls_runs_in_one_frame()
    {
        using var store = new Store(new EngineOptions { MaxCallDepth = 100 });
        var instance = store.Instantiate(TextModule.Valid("""
            (func $even (export "even") (param i64) (result i32)
              (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
                (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
            (func $odd (param i64) (result i32)
              (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
                (else (return_call_indirect (type $parity) (i64.sub (local.get 0) (i64.const 1)) (i32.const 0)))))
            (type $parity (func (param i64) (result i32)))
            (table funcref (elem $even))
            """), new Linker());
        var even = instance.ExportedFunction("even")!;
        await Assert.That(store.Invoke(even, [Value.I64(1_000_000)])[0].AsI32()).IsEqualTo(1);
        await Assert.That(store.Invoke(even, [Value.I64(999_999)])[0].AsI32()).IsEqualTo(0);
    }

    [Test]
    public async Task A_tail_call_to_the_host_or_another_instance_returns_its_results()
    {
        using var store = new Store(new EngineOptions());
        var linker = new Linker();
        linker.Define("host", "twice", Extern.Of(FunctionInstance.FromHost(store, new FuncType([ValType.I32], [ValType.I32]), "twice",
            call => call.Slots[0] = (uint)((int)call.Slots[0] * 2))));
        var other = store.Instantiate(TextModule.Valid("""
            (memory (data "\07"))
            (func (export "peek") (param i32) (result i32) (i32.add (local.get 0) (i32.load8_u (i32.const 0))))
            """), linker);
        linker.Register("other", other);
        var instance = store.Instantiate(TextModule.Valid("""
            (import "host" "twice" (func $twice (param i32) (result i32)))
            (import "other" "peek" (func $peek (param i32) (result i32)))
            (memory (data "\63"))
            (func (export "to-host") (param i32) (result i32) (return_call $twice (i32.add (local.get 0) (i32.const 1))))
            (func (export "to-other") (result i32) (return_call $peek (i32.load8_u (i32.const 0))))
            """), linker);
        await Assert.That(store.Invoke(instance.ExportedFunction("to-host")!, [Value.I32(20)])[0].AsI32()).IsEqualTo(42);
        // 0x63 from this instance's memory, plus 7 read from the other instance's own memory.
        await Assert.That(store.Invoke(instance.ExportedFunction("to-other")!, [])[0].AsI32()).IsEqualTo(106);
    }

    [Test]
    public async Task An_indirect_tail_call_checks_the_type_as_call_indirect_does()
    {
        using var store = new Store(new EngineOptions());
        var instance = store.Instantiate(TextModule.Valid("""
            (type $unary (func (param i32) (result i32)))
            (func $nullary (result i32) (i32.const 1))
            (table funcref (elem $nullary))
            (func (export "wrong") (result i32) (return_call_indirect (type $unary) (i32.const 5) (i32.const 0)))
            (func (export "beyond") (result i32) (return_call_indirect (type $unary) (i32.const 5) (i32.const 1)))
            """), new Linker());
        var wrong = Assert.Throws<TrapException>(() => store.Invoke(instance.ExportedFunction("wrong")!, []));
        await Assert.That(wrong.Code).IsEqualTo(TrapCode.IndirectCallTypeMismatch);
        var beyond = Assert.Throws<TrapException>(() => store.Invoke(instance.ExportedFunction("beyond")!, []));
        await Assert.That(beyond.Code).IsEqualTo(TrapCode.UndefinedElement);
    }

    [Test]
    public async Task Results_must_match_and_2_0_has_no_tail_calls()
    {
        var mismatch = Assert.Throws<ModuleFormatException>(() =>
            TextModule.Valid("(func $f (result i64) (i64.const 1)) (func (result i32) (return_call $f))"));
        await Assert.That(mismatch.Reason).StartsWith("type mismatch: the tail call returns [i64], the function [i32]");
        var module = TextModule.Decode("(func $f) (func (return_call $f))");
        var old = Assert.Throws<ModuleFormatException>(() => ModuleValidator.Validate(module, WasmFeatures.Wasm20));
        await Assert.That((old.Kind, old.Reason)).IsEqualTo((ModuleErrorKind.Malformed, "illegal opcode 12"));
    }
}
