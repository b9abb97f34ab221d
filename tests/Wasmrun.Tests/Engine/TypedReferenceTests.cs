// Typed function references (3.0, issue 16) beyond the spec scripts: recursive type groups are equivalent across
// modules exactly when their structure and place match (canonical ids), call_indirect of an open type accepts a
// function of a declared subtype and still refuses others, call_ref traps on null, and non-nullable locals must be
// set before they are read.
using Wasmrun.Engine;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Validate;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Engine;

public sealed class TypedReferenceTests
{
    [Test]
    public async Task Recursive_groups_of_two_modules_are_one_type_when_they_match_and_two_when_they_do_not()
    {
        var exporter = TextModule.Valid("""
            (rec (type $a (func (param (ref null $b)))) (type $b (func (param (ref null $a)))))
            (func (export "f") (type $a))
            """);
        var same = TextModule.Valid("""
            (rec (type $x (func (param (ref null $y)))) (type $y (func (param (ref null $x)))))
            (import "m" "f" (func (type $x)))
            """);
        // The same group, but the import names its second member: alike in shape, another type by its place.
        var swapped = TextModule.Valid("""
            (rec (type $x (func (param (ref null $y)))) (type $y (func (param (ref null $x)))))
            (import "m" "f" (func (type $y)))
            """);
        await Assert.That(same.TypeIds[0]).IsEqualTo(exporter.TypeIds[0]);
        using var store = new Store(new EngineOptions());
        var linker = new Linker();
        linker.Register("m", store.Instantiate(exporter, linker));
        store.Instantiate(same, linker);
        await Assert.That(swapped.TypeIds[1]).IsNotEqualTo(exporter.TypeIds[0]);
        var error = Assert.Throws<LinkException>(() => store.Instantiate(swapped, linker));
        await Assert.That(error.Message).Contains("incompatible import type");
    }

    [Test]
    public async Task Call_indirect_of_an_open_type_takes_a_subtype_and_refuses_an_unrelated_type()
    {
        using var store = new Store(new EngineOptions());
        var instance = store.Instantiate(TextModule.Valid("""
            (type $base (sub (func (result i32))))
            (type $derived (sub $base (func (result i32))))
            (type $other (func (result i32)))
            (func $sub (type $derived) (i32.const 7))
            (func $unrelated (type $other) (i32.const 8))
            (table funcref (elem $sub $unrelated))
            (func (export "call") (param i32) (result i32) (call_indirect (type $base) (local.get 0)))
            (func (export "tail") (param i32) (result i32) (return_call_indirect (type $base) (local.get 0)))
            """), new Linker());
        await Assert.That(store.Invoke(instance.ExportedFunction("call")!, [Value.I32(0)])[0].AsI32()).IsEqualTo(7);
        await Assert.That(store.Invoke(instance.ExportedFunction("tail")!, [Value.I32(0)])[0].AsI32()).IsEqualTo(7);
        var mismatch = Assert.Throws<TrapException>(() => store.Invoke(instance.ExportedFunction("call")!, [Value.I32(1)]));
        await Assert.That(mismatch.Code).IsEqualTo(TrapCode.IndirectCallTypeMismatch);
        var outside = Assert.Throws<TrapException>(() => store.Invoke(instance.ExportedFunction("call")!, [Value.I32(2)]));
        await Assert.That(outside.Code).IsEqualTo(TrapCode.UndefinedElement);
    }

    [Test]
    public async Task Call_ref_calls_through_a_reference_and_traps_on_null()
    {
        using var store = new Store(new EngineOptions());
        var instance = store.Instantiate(TextModule.Valid("""
            (type $binary (func (param i32 i32) (result i32)))
            (func $add (type $binary) (i32.add (local.get 0) (local.get 1)))
            (elem declare func $add)
            (func (export "add") (param i32 i32) (result i32) (call_ref $binary (local.get 0) (local.get 1) (ref.func $add)))
            (func (export "null") (result i32) (call_ref $binary (i32.const 1) (i32.const 2) (ref.null $binary)))
            """), new Linker());
        await Assert.That(store.Invoke(instance.ExportedFunction("add")!, [Value.I32(40), Value.I32(2)])[0].AsI32()).IsEqualTo(42);
        var trap = Assert.Throws<TrapException>(() => store.Invoke(instance.ExportedFunction("null")!, []));
        await Assert.That(trap.Code).IsEqualTo(TrapCode.NullFunctionReference);
    }

    [Test]
    public async Task A_non_nullable_local_is_read_only_after_it_is_set_in_its_block()
    {
        var module = TextModule.Decode("""
            (type $t (func))
            (func $f)
            (elem declare func $f)
            (func (local $r (ref $t))
              (block (local.set $r (ref.func $f)))
              (drop (local.get $r)))
            """);
        var error = Assert.Throws<ModuleFormatException>(() => ModuleValidator.Validate(module));
        await Assert.That(error.Reason).StartsWith("uninitialized local");
        ModuleValidator.Validate(TextModule.Decode("""
            (type $t (func))
            (func $f)
            (elem declare func $f)
            (func (local $r (ref $t)) (local.set $r (ref.func $f)) (block (drop (local.get $r))))
            """));
    }

    [Test]
    public async Task The_host_passes_a_typed_function_reference_only_of_a_matching_function()
    {
        using var store = new Store(new EngineOptions());
        var instance = store.Instantiate(TextModule.Valid("""
            (type $unary (func (param i32) (result i32)))
            (func (export "double") (type $unary) (i32.mul (local.get 0) (i32.const 2)))
            (func (export "nothing"))
            (func (export "apply") (param (ref $unary)) (result i32) (call_ref $unary (i32.const 21) (local.get 0)))
            """), new Linker());
        var apply = instance.ExportedFunction("apply")!;
        var doubling = Value.FromBits(ValType.FuncRef, instance.ExportedFunction("double")!.Reference);
        await Assert.That(store.Invoke(apply, [doubling])[0].AsI32()).IsEqualTo(42);
        var nothing = Value.FromBits(ValType.FuncRef, instance.ExportedFunction("nothing")!.Reference);
        var wrong = Assert.Throws<ArgumentException>(() => store.Invoke(apply, [nothing]));
        await Assert.That(wrong.Message).Contains("argument 1 of");
        Assert.Throws<ArgumentException>(() => store.Invoke(apply, [Value.Null(ValType.FuncRef)]));
    }
}
