// 64-bit memories and tables (3.0, issue 16): i64 addresses, indices, sizes and lengths; an address, offset or index
// past 32 bits is out of bounds (this engine keeps such memories below 4 GiB); grow answers -1 as an i64; imports
// match only the same address type; the text forms round-trip; WebAssembly 2.0 rejects the 64-bit limits flag.
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Text;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Engine;

public sealed class Memory64Tests
{
    private const string Wide = """
        (memory $wide i64 1 3)
        (memory $narrow 1)
        (table $calls i64 2 funcref)
        (elem (table $calls) (i64.const 1) func $seven)
        (func $seven (result i32) (i32.const 7))
        (func (export "store") (param i64 i32) (i32.store $wide (local.get 0) (local.get 1)))
        (func (export "load") (param i64) (result i32) (i32.load $wide (local.get 0)))
        (func (export "load-far") (param i64) (result i32) (i32.load $wide offset=0x1_0000_0000 (local.get 0)))
        (func (export "size") (result i64) (memory.size $wide))
        (func (export "grow") (param i64) (result i64) (memory.grow $wide (local.get 0)))
        (func (export "fill") (param i64 i32 i64) (memory.fill $wide (local.get 0) (local.get 1) (local.get 2)))
        (func (export "to-narrow") (param i32 i64 i32) (memory.copy $narrow $wide (local.get 0) (local.get 1) (local.get 2)))
        (func (export "narrow-byte") (param i32) (result i32) (i32.load8_u $narrow (local.get 0)))
        (func (export "call") (param i64) (result i32) (call_indirect $calls (result i32) (local.get 0)))
        (func (export "entry") (param i64) (result funcref) (table.get $calls (local.get 0)))
        (func (export "table-grow") (param i64) (result i64) (table.grow $calls (ref.null func) (local.get 0)))
        (func (export "table-size") (result i64) (table.size $calls))
        """;

    private static Func<string, Value[], Value[]> Instantiate(Store store)
    {
        var instance = store.Instantiate(TextModule.Valid(Wide), new Linker());
        return (name, arguments) => store.Invoke(instance.ExportedFunction(name)!, arguments);
    }

    [Test]
    public async Task Addresses_are_i64_and_past_32_bits_are_out_of_bounds()
    {
        using var store = new Store(new EngineOptions());
        var call = Instantiate(store);
        call("store", [Value.I64(65532), Value.I32(0x11223344)]);
        await Assert.That(call("load", [Value.I64(65532)])[0].AsI32()).IsEqualTo(0x11223344);
        foreach (var (name, address) in new[] { ("load", 65533L), ("load", 1L << 32), ("load", -1L), ("load-far", 0L) })
        {
            var trap = Assert.Throws<TrapException>(() => call(name, [Value.I64(address)]));
            await Assert.That(trap.Code).IsEqualTo(TrapCode.MemoryOutOfBounds);
        }
    }

    [Test]
    public async Task Sizes_and_grow_are_i64_and_a_huge_delta_fails_with_minus_one()
    {
        using var store = new Store(new EngineOptions());
        var call = Instantiate(store);
        await Assert.That(call("size", [])[0].AsI64()).IsEqualTo(1L);
        await Assert.That(call("grow", [Value.I64(1L << 32)])[0].AsI64()).IsEqualTo(-1L);
        await Assert.That(call("grow", [Value.I64(2)])[0].AsI64()).IsEqualTo(1L);
        await Assert.That(call("grow", [Value.I64(1)])[0].AsI64()).IsEqualTo(-1L);
        await Assert.That(call("size", [])[0].AsI64()).IsEqualTo(3L);
        await Assert.That(call("table-size", [])[0].AsI64()).IsEqualTo(2L);
        await Assert.That(call("table-grow", [Value.I64(-1)])[0].AsI64()).IsEqualTo(-1L);
        await Assert.That(call("table-grow", [Value.I64(3)])[0].AsI64()).IsEqualTo(2L);
    }

    [Test]
    public async Task Bulk_instructions_take_i64_lengths_and_copy_into_a_32_bit_memory()
    {
        using var store = new Store(new EngineOptions());
        var call = Instantiate(store);
        call("fill", [Value.I64(10), Value.I32(0xAB), Value.I64(4)]);
        call("to-narrow", [Value.I32(100), Value.I64(9), Value.I32(6)]);
        int[] bytes = [.. Enumerable.Range(100, 6).Select(at => call("narrow-byte", [Value.I32(at)])[0].AsI32())];
        await Assert.That(bytes).IsEquivalentTo([0, 0xAB, 0xAB, 0xAB, 0xAB, 0]);
        var fill = Assert.Throws<TrapException>(() => call("fill", [Value.I64(0), Value.I32(0), Value.I64(1L << 32)]));
        await Assert.That(fill.Code).IsEqualTo(TrapCode.MemoryOutOfBounds);
    }

    [Test]
    public async Task Table_indices_are_i64_and_past_32_bits_are_out_of_bounds()
    {
        using var store = new Store(new EngineOptions());
        var call = Instantiate(store);
        await Assert.That(call("call", [Value.I64(1)])[0].AsI32()).IsEqualTo(7);
        var undefined = Assert.Throws<TrapException>(() => call("call", [Value.I64((1L << 32) + 1)]));
        await Assert.That(undefined.Code).IsEqualTo(TrapCode.UndefinedElement);
        var beyond = Assert.Throws<TrapException>(() => call("entry", [Value.I64(1L << 32)]));
        await Assert.That(beyond.Code).IsEqualTo(TrapCode.TableOutOfBounds);
    }

    [Test]
    public async Task A_64_bit_memory_does_not_satisfy_a_32_bit_import()
    {
        using var store = new Store(new EngineOptions());
        var linker = new Linker();
        var exporter = store.Instantiate(TextModule.Valid("(memory (export \"m\") i64 1)"), linker);
        linker.Register("host", exporter);
        var error = Assert.Throws<LinkException>(() => store.Instantiate(TextModule.Valid("(import \"host\" \"m\" (memory 1))"), linker));
        await Assert.That(error.Message).Contains("it is a memory of i64 1.. pages");
        await Assert.That(store.Instantiate(TextModule.Valid("(import \"host\" \"m\" (memory i64 1))"), linker)).IsNotNull();
    }

    [Test]
    public async Task Text_round_trips_and_2_0_rejects_the_64_bit_flag()
    {
        var printed = TextModule.Printed(Wide);
        await Assert.That(printed).Contains("(memory (;0;) i64 1 3)");
        await Assert.That(printed).Contains("(table (;0;) i64 2 funcref)");
        await Assert.That(printed).Contains("i32.load offset=4294967296");
        await Assert.That(TextModuleParser.ParseFile(printed)).IsEquivalentTo(TextModuleParser.ParseFile(Wide));
        var bytes = TextModuleParser.ParseFile("(memory i64 1)");
        var old = Assert.Throws<ModuleFormatException>(() => ModuleDecoder.Decode(bytes, WasmFeatures.Wasm20));
        await Assert.That(old.Reason).IsEqualTo("integer too large");
    }
}
