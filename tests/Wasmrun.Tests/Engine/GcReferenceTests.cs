// The GC instructions that need no heap objects (3.0, issue 16): i31 references keep 31 bits and compare by value,
// any.convert_extern and extern.convert_any give back exactly what they were given, ref.test/ref.cast tell an i31
// from an extern converted to `any` and from null (a failed cast traps), and br_on_cast/br_on_cast_fail branch on the
// same test with the reference as their label's value (a nullable target takes null too).
using Wasmrun.Engine;
using Wasmrun.Engine.Runtime;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Engine;

public sealed class GcReferenceTests
{
    private static (Store Store, Instance Instance) Instantiate(string text)
    {
        var store = new Store(new EngineOptions());
        return (store, store.Instantiate(TextModule.Valid(text), new Linker()));
    }

    [Test]
    [Arguments(5, 5, 5)]
    [Arguments(-1, -1, 0x7FFF_FFFF)]
    [Arguments(0x4000_0000, -0x4000_0000, 0x4000_0000)]
    [Arguments(unchecked((int)0x8000_0001), 1, 1)]
    public async Task An_i31_keeps_the_low_31_bits_signed_or_unsigned(int value, int extended, int zeroExtended)
    {
        var (store, instance) = Instantiate("""
            (func (export "s") (param i32) (result i32) (i31.get_s (ref.i31 (local.get 0))))
            (func (export "u") (param i32) (result i32) (i31.get_u (ref.i31 (local.get 0))))
            (func (export "eq") (param i32 i32) (result i32) (ref.eq (ref.i31 (local.get 0)) (ref.i31 (local.get 1))))
            """);
        using var _ = store;
        await Assert.That(store.Invoke(instance.ExportedFunction("s")!, [Value.I32(value)])[0].AsI32()).IsEqualTo(extended);
        await Assert.That(store.Invoke(instance.ExportedFunction("u")!, [Value.I32(value)])[0].AsI32()).IsEqualTo(zeroExtended);
        // Values equal in their low 31 bits are one i31.
        await Assert.That(store.Invoke(instance.ExportedFunction("eq")!, [Value.I32(value), Value.I32(value ^ int.MinValue)])[0].AsI32()).IsEqualTo(1);
    }

    [Test]
    public async Task Conversions_round_trip_and_casts_tell_the_kinds_apart()
    {
        var (store, instance) = Instantiate("""
            (func (export "round") (param externref) (result externref) (extern.convert_any (any.convert_extern (local.get 0))))
            (func (export "i31-back") (param i32) (result i32)
              (i31.get_s (ref.cast i31ref (any.convert_extern (extern.convert_any (ref.i31 (local.get 0)))))))
            (func (export "is-i31") (param externref) (result i32) (ref.test i31ref (any.convert_extern (local.get 0))))
            (func (export "is-eq") (param externref) (result i32) (ref.test (ref null eq) (any.convert_extern (local.get 0))))
            (func (export "cast") (param externref) (result i32) (drop (ref.cast i31ref (any.convert_extern (local.get 0)))) (i32.const 1))
            """);
        using var _ = store;
        var host = Value.ExternRef(41);
        var back = store.Invoke(instance.ExportedFunction("round")!, [host])[0];
        await Assert.That(back.Bits).IsEqualTo(host.Bits);
        await Assert.That(store.Invoke(instance.ExportedFunction("i31-back")!, [Value.I32(-7)])[0].AsI32()).IsEqualTo(-7);
        await Assert.That(store.Invoke(instance.ExportedFunction("is-i31")!, [host])[0].AsI32()).IsEqualTo(0);
        await Assert.That(store.Invoke(instance.ExportedFunction("is-eq")!, [host])[0].AsI32()).IsEqualTo(0);
        await Assert.That(store.Invoke(instance.ExportedFunction("is-eq")!, [Value.Null(ValType.ExternRef)])[0].AsI32()).IsEqualTo(1);
        var trap = Assert.Throws<TrapException>(() => store.Invoke(instance.ExportedFunction("cast")!, [host]));
        await Assert.That(trap.Code).IsEqualTo(TrapCode.CastFailure);
    }

    [Test]
    public async Task Br_on_cast_and_br_on_cast_fail_branch_with_the_reference()
    {
        var outcomes = Wasmrun.Wast.WastRunner.Run("""
            (module
              (func $kind (export "kind") (param externref) (result i32)
                (block $is (result (ref i31))
                  (br_on_cast $is anyref (ref i31) (any.convert_extern (local.get 0)))
                  (drop)
                  (return (i32.const -1)))
                (i31.get_s))
              (func $nullable (export "nullable") (param externref) (result i32)
                (block $is (result i31ref)
                  (br_on_cast $is anyref i31ref (any.convert_extern (local.get 0)))
                  (drop)
                  (return (i32.const -1)))
                (ref.is_null))
              (func $fail (export "fail") (param externref) (result i32)
                (block $not (result anyref)
                  (br_on_cast_fail $not anyref (ref i31) (any.convert_extern (local.get 0)))
                  (return (i31.get_u)))
                (drop)
                (i32.const -2))
              (func $i31 (param i32) (result externref) (extern.convert_any (ref.i31 (local.get 0))))
              (func (export "kind-of-i31") (param i32) (result i32) (call $kind (call $i31 (local.get 0))))
              (func (export "fail-of-i31") (param i32) (result i32) (call $fail (call $i31 (local.get 0)))))
            (assert_return (invoke "kind" (ref.null extern)) (i32.const -1))
            (assert_return (invoke "kind" (ref.extern 3)) (i32.const -1))
            (assert_return (invoke "kind-of-i31" (i32.const -9)) (i32.const -9))
            (assert_return (invoke "nullable" (ref.null extern)) (i32.const 1))
            (assert_return (invoke "fail" (ref.null extern)) (i32.const -2))
            (assert_return (invoke "fail" (ref.extern 3)) (i32.const -2))
            (assert_return (invoke "fail-of-i31" (i32.const 9)) (i32.const 9))
            (assert_invalid
              (module (func (param anyref) (block $l (result i31ref) (br_on_cast $l i31ref anyref (local.get 0)) (unreachable))))
              "type mismatch")
            """, "br_on_cast");
        await Assert.That(outcomes.Where(outcome => !outcome.Passed).Select(outcome => $"{outcome.Line}: {outcome.Failure}")).IsEmpty();
        await Assert.That(outcomes.Count).IsEqualTo(9);
    }
}
