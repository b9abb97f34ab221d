// The translation cache (TranslatedModule, IrArena): IR written in place into the module's arena, a function larger
// than the arena's first chunk moved while it is written, backtrace offsets recomputed on demand by translating again,
// and the cost accounting that `exec --debug` prints.
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Translate;
using Wasmrun.Engine.Validate;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Engine;

public sealed class TranslationCacheTests
{
    private const byte I32 = 0x7F;

    [Test]
    public async Task A_trap_backtrace_names_the_byte_offsets_of_the_trapping_instruction_and_the_call()
    {
        byte[] outer = [0x20, 0x00, 0x10, 0x01, 0x0B]; // local.get 0; call 1
        byte[] divide = [0x41, 0x01, 0x20, 0x00, 0x6D, 0x0B]; // i32.const 1; local.get 0; i32.div_s
        var bytes = Module(Wasm.Body(outer), Wasm.Body(divide));
        var (store, instance, module) = Instantiate(bytes);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var trap = Assert.Throws<TrapException>(() => store.Invoke(instance.ExportedFunction("run")!, [Value.I32(0)]));
            await Assert.That(trap!.Code).IsEqualTo(TrapCode.IntegerDivideByZero);
            await Assert.That(trap.Backtrace.Select(f => (f.FunctionIndex, f.Offset)))
                .IsEquivalentTo([(1u, IndexOf(bytes, divide) + 4), (0u, IndexOf(bytes, outer) + 2)]);
        }
        var cost = TranslatedModule.For(module).Cost;
        await Assert.That(cost.Functions).IsEqualTo(2);
        await Assert.That(cost.CodeBytes).IsEqualTo(outer.Length + divide.Length);
    }

    [Test]
    public async Task A_function_larger_than_the_first_arena_chunk_keeps_every_instruction()
    {
        // 20,000 x (local.get 0; i32.const 3; i32.add; local.set 0): one IR word each, more than the 16,384 words
        // of the arena's first chunk, so the translation moves to a bigger chunk part-way through.
        const int Adds = 20_000;
        byte[] add = [0x20, 0x00, 0x41, 0x03, 0x6A, 0x21, 0x00];
        byte[] large = [.. Enumerable.Repeat(add, Adds).SelectMany(a => a), 0x20, 0x00, 0x0B];
        byte[] small = [0x20, 0x00, 0x41, 0x07, 0x6A, 0x0B];
        var (store, instance, module) = Instantiate(Module(Wasm.Body(small), Wasm.Body(large), true));

        await Assert.That(store.Invoke(instance.ExportedFunction("run")!, [Value.I32(5)])[0].AsI32()).IsEqualTo(5 + 7);
        await Assert.That(store.Invoke(instance.ExportedFunction("large")!, [Value.I32(5)])[0].AsI32()).IsEqualTo(5 + (3 * Adds));
        await Assert.That(store.Invoke(instance.ExportedFunction("run")!, [Value.I32(1)])[0].AsI32()).IsEqualTo(1 + 7);
        await Assert.That(TranslatedModule.For(module).Function(1).Length).IsGreaterThan(16_384);
    }

    /// <summary>Functions of type (i32) -> i32; "run" exports the first, "large" the second when asked.</summary>
    private static byte[] Module(byte[] first, byte[] second, bool exportSecond = false) => Wasm.Module(
        Wasm.Section(1, Wasm.Vector(Wasm.FuncType([I32], [I32]))),
        Wasm.Section(3, Wasm.Vector(Wasm.U32(0), Wasm.U32(0))),
        Wasm.Section(7, exportSecond
            ? Wasm.Vector([.. Wasm.Name("run"), 0x00, .. Wasm.U32(0)], [.. Wasm.Name("large"), 0x00, .. Wasm.U32(1)])
            : Wasm.Vector([.. Wasm.Name("run"), 0x00, .. Wasm.U32(0)])),
        Wasm.Section(10, Wasm.Vector(first, second)));

    private static (Store Store, Instance Instance, Module Module) Instantiate(byte[] bytes)
    {
        var module = ModuleDecoder.Decode(bytes);
        ModuleValidator.Validate(module);
        var store = new Store(new EngineOptions());
        return (store, store.Instantiate(module, new Linker()), module);
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
