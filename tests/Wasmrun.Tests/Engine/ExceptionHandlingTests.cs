// Exception handling (3.0, issue 16): exceptions carry their arguments through frames to the innermost matching
// handler, catch_ref and throw_ref pass them on, tags are identities (per instance, shared by import), delegate skips
// the handlers between, an uncaught exception (also one leaving a host call) reaches the host as a trap, and 2.0 has
// none of the opcodes. The text forms round-trip.
using Wasmrun.Engine;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Text;
using Wasmrun.Engine.Validate;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Engine;

public sealed class ExceptionHandlingTests
{
    private const string Thrower = """
        (tag $pair (export "pair") (param i32 f64))
        (tag $other (param i32 f64))
        (func $deep (param i32)
          (if (i32.eqz (local.get 0)) (then (throw $pair (i32.const 7) (f64.const 2.5))))
          (call $deep (i32.sub (local.get 0) (i32.const 1))))
        (func (export "catch") (param i32) (result f64) (local $f f64)
          (block $caught (result i32 f64)
            (try_table (catch $other $caught) (catch $pair $caught)
              (call $deep (local.get 0)))
            (return (f64.const -1)))
          (local.set $f)
          (f64.add (f64.convert_i32_s) (local.get $f)))
        (func (export "rethrow") (result i32)
          (block $outer (result i32 f64)
            (try_table (catch $pair $outer)
              (block $inner (result exnref)
                (try_table (catch_all_ref $inner) (call $deep (i32.const 3)))
                (unreachable))
              (throw_ref))
            (unreachable))
          (drop))
        (func (export "null") (throw_ref (ref.null exn)))
        (func (export "escape") (call $deep (i32.const 2)))
        (func (export "delegate") (result i32)
          (try (result i32)
            (do
              (try (result i32)
                (do (try (result i32) (do (call $deep (i32.const 1)) (i32.const 0)) (delegate 1)))
                (catch_all (i32.const 1))))
            (catch_all (i32.const 2))))
        """;

    [Test]
    public async Task An_exception_reaches_the_innermost_matching_handler_with_its_arguments()
    {
        using var store = new Store(new EngineOptions { MaxCallDepth = 500 });
        var instance = store.Instantiate(TextModule.Valid(Thrower), new Linker());
        var call = instance.ExportedFunction("catch")!;
        await Assert.That(store.Invoke(call, [Value.I32(0)])[0].AsF64()).IsEqualTo(9.5);
        // 400 frames deep, and then again: each catch leaves the frame stack where the try_table's function was.
        for (var i = 0; i < 3; i++)
        {
            await Assert.That(store.Invoke(call, [Value.I32(400)])[0].AsF64()).IsEqualTo(9.5);
        }
        await Assert.That(store.Invoke(instance.ExportedFunction("rethrow")!, [])[0].AsI32()).IsEqualTo(7);
        // delegate 1 skips the middle try's catch_all: the outer one catches.
        await Assert.That(store.Invoke(instance.ExportedFunction("delegate")!, [])[0].AsI32()).IsEqualTo(2);
    }

    [Test]
    public async Task Uncaught_exceptions_and_null_references_trap()
    {
        using var store = new Store(new EngineOptions());
        var instance = store.Instantiate(TextModule.Valid(Thrower), new Linker());
        var escape = Assert.Throws<TrapException>(() => store.Invoke(instance.ExportedFunction("escape")!, []));
        await Assert.That(escape.Code).IsEqualTo(TrapCode.UncaughtException);
        await Assert.That(escape.Message).StartsWith("uncaught exception");
        var nullReference = Assert.Throws<TrapException>(() => store.Invoke(instance.ExportedFunction("null")!, []));
        await Assert.That(nullReference.Code).IsEqualTo(TrapCode.NullExceptionReference);
    }

    [Test]
    public async Task An_exception_leaving_a_host_call_is_a_trap_no_handler_catches()
    {
        using var store = new Store(new EngineOptions());
        var linker = new Linker();
        var thrower = store.Instantiate(TextModule.Valid(Thrower), linker);
        linker.Define("host", "call-back", Extern.Of(FunctionInstance.FromHost(store, FuncType.Empty, "call-back",
            _ => store.Invoke(thrower.ExportedFunction("escape")!, []))));
        var instance = store.Instantiate(TextModule.Valid("""
            (import "host" "call-back" (func $back))
            (func (export "run") (result i32)
              (block $caught (try_table (catch_all $caught) (call $back)) (return (i32.const 0)))
              (i32.const 1))
            """), linker);
        var trap = Assert.Throws<TrapException>(() => store.Invoke(instance.ExportedFunction("run")!, []));
        await Assert.That(trap.Code).IsEqualTo(TrapCode.UncaughtException);
    }

    [Test]
    public async Task Tags_are_identities_per_instance_and_shared_by_import()
    {
        const string Module = """
            (tag $e (export "e"))
            (func (export "throw") (throw $e))
            """;
        using var store = new Store(new EngineOptions());
        var linker = new Linker();
        var first = store.Instantiate(TextModule.Valid(Module), linker);
        var second = store.Instantiate(TextModule.Valid(Module), linker);
        linker.Register("first", first);
        linker.Define("second", "throw", Extern.Of(second.ExportedFunction("throw")!));
        linker.Define("first", "throw-it", Extern.Of(first.ExportedFunction("throw")!));
        var catcher = store.Instantiate(TextModule.Valid("""
            (tag $e (import "first" "e"))
            (func $first (import "first" "throw-it"))
            (func $second (import "second" "throw"))
            (func (export "catch-first") (result i32)
              (block $caught (try_table (catch $e $caught) (call $first)) (return (i32.const 0)))
              (i32.const 1))
            (func (export "catch-second") (result i32)
              (block $caught (try_table (catch $e $caught) (call $second)) (return (i32.const 0)))
              (i32.const 1))
            """), linker);
        await Assert.That(store.Invoke(catcher.ExportedFunction("catch-first")!, [])[0].AsI32()).IsEqualTo(1);
        // The same module's tag in another instance is another tag: the catch does not match it.
        var other = Assert.Throws<TrapException>(() => store.Invoke(catcher.ExportedFunction("catch-second")!, []));
        await Assert.That(other.Code).IsEqualTo(TrapCode.UncaughtException);
    }

    [Test]
    public async Task Twenty_thousand_nested_try_tables_parse_validate_and_catch_at_the_outermost_label()
    {
        const int Depth = 20_000;
        var text = $"(tag $e) (func (export \"f\") (result i32) (block $out {string.Concat(Enumerable.Repeat("(try_table (catch $e $out) ", Depth))}"
            + $"(throw $e){new string(')', Depth)} (return (i32.const 0))) (i32.const 7))";
        using var store = new Store(new EngineOptions());
        var instance = store.Instantiate(TextModule.Valid(text), new Linker());
        await Assert.That(store.Invoke(instance.ExportedFunction("f")!, [])[0].AsI32()).IsEqualTo(7);
    }

    [Test]
    public async Task Text_round_trips_and_2_0_has_no_exception_opcodes()
    {
        var binary = TextModuleParser.ParseFile(Thrower);
        var printed = TextModule.Printed(Thrower);
        await Assert.That(printed).Contains("try_table (catch 1 0) (catch 0 0)");
        await Assert.That(printed).Contains("delegate 1");
        await Assert.That(TextModuleParser.ParseFile(printed)).IsEquivalentTo(binary);
        var module = TextModule.Decode("(func (try_table))");
        var old = Assert.Throws<ModuleFormatException>(() => ModuleValidator.Validate(module, WasmFeatures.Wasm20));
        await Assert.That((old.Kind, old.Reason)).IsEqualTo((ModuleErrorKind.Malformed, "illegal opcode 1f"));
    }
}
