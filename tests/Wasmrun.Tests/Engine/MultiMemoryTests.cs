// Multiple memories (3.0, issue 16): every memory instruction addresses the memory its immediate names, the
// interpreter's fusions never mix two memories, memory.copy crosses between them, the printer and parser agree on the
// indices, and WebAssembly 2.0 still rejects a second memory.
using Wasmrun.Engine;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Text;
using Wasmrun.Engine.Validate;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Engine;

public sealed class MultiMemoryTests
{
    private const string TwoMemories = """
        (memory $a 1)
        (memory $b 1 2)
        (data (memory $a) (i32.const 0) "\01\02\03\04\05\06\07\08")
        (data (memory $b) (i32.const 0) "\10\20\30\40\50\60\70\80")
        (func (export "load-both") (param i32) (result i32)
          ;; two plain loads in a row pair into one dispatch when they read the same memory, never here
          (i32.add (i32.load $a (local.get 0)) (i32.load $b (local.get 0))))
        (func (export "add-to-b") (param i32 i32)
          ;; load, add and store back to the same address fuse for memory 0, not for $b
          (i32.store $b (local.get 0) (i32.add (i32.load $b (local.get 0)) (local.get 1))))
        (func (export "copy-b-to-a") (param i32 i32 i32) (memory.copy $a $b (local.get 0) (local.get 1) (local.get 2)))
        (func (export "grow-b") (param i32) (result i32) (memory.grow $b (local.get 0)))
        (func (export "sizes") (result i32 i32) (memory.size $a) (memory.size $b))
        (func (export "byte-a") (param i32) (result i32) (i32.load8_u $a (local.get 0)))
        (func (export "byte-b") (param i32) (result i32) (i32.load8_u $b offset=1 (local.get 0)))
        (func (export "fill-b") (param i32 i32 i32) (memory.fill $b (local.get 0) (local.get 1) (local.get 2)))
        """;

    [Test]
    public async Task Each_instruction_reads_and_writes_the_memory_it_names()
    {
        using var store = new Store(new EngineOptions());
        var instance = store.Instantiate(TextModule.Valid(TwoMemories), new Linker());
        Value[] Call(string name, params Value[] arguments) => store.Invoke(instance.ExportedFunction(name)!, arguments);

        await Assert.That(Call("load-both", Value.I32(0))[0].AsI32()).IsEqualTo(0x04030201 + 0x40302010);
        Call("add-to-b", Value.I32(4), Value.I32(1));
        await Assert.That(Call("byte-b", Value.I32(3))[0].AsI32()).IsEqualTo(0x51);
        await Assert.That(Call("byte-a", Value.I32(4))[0].AsI32()).IsEqualTo(0x05);

        Call("fill-b", Value.I32(100), Value.I32(0xEE), Value.I32(3));
        Call("copy-b-to-a", Value.I32(200), Value.I32(99), Value.I32(5));
        int[] copied = [.. Enumerable.Range(199, 7).Select(at => Call("byte-a", Value.I32(at))[0].AsI32())];
        await Assert.That(copied).IsEquivalentTo([0, 0, 0xEE, 0xEE, 0xEE, 0, 0]);
    }

    [Test]
    public async Task Growing_one_memory_leaves_the_other_and_bounds_follow_each()
    {
        using var store = new Store(new EngineOptions());
        var instance = store.Instantiate(TextModule.Valid(TwoMemories), new Linker());
        Value[] Call(string name, params Value[] arguments) => store.Invoke(instance.ExportedFunction(name)!, arguments);

        await Assert.That(Call("grow-b", Value.I32(1))[0].AsI32()).IsEqualTo(1);
        await Assert.That(Call("grow-b", Value.I32(1))[0].AsI32()).IsEqualTo(-1);
        var sizes = Call("sizes");
        await Assert.That((sizes[0].AsI32(), sizes[1].AsI32())).IsEqualTo((1, 2));
        // $b's second page is there, $a's is not: each access is checked against its own memory.
        await Assert.That(Call("byte-b", Value.I32(65536))[0].AsI32()).IsEqualTo(0);
        var beyond = Assert.Throws<TrapException>(() => Call("byte-a", Value.I32(65536)));
        await Assert.That(beyond.Code).IsEqualTo(TrapCode.MemoryOutOfBounds);
        // After the trap in $a, memory 0 is the view again: $a's first page still reads.
        await Assert.That(Call("byte-a", Value.I32(7))[0].AsI32()).IsEqualTo(8);
        var copy = Assert.Throws<TrapException>(() => Call("copy-b-to-a", Value.I32(65535), Value.I32(0), Value.I32(2)));
        await Assert.That(copy.Code).IsEqualTo(TrapCode.MemoryOutOfBounds);
    }

    [Test]
    public async Task Printed_text_names_the_memories_and_parses_back_to_the_same_binary()
    {
        var binary = TextModuleParser.ParseFile(TwoMemories);
        var printed = TextModule.Printed(TwoMemories);
        await Assert.That(printed).Contains("i32.load 1");
        await Assert.That(printed).Contains("memory.copy 0 1");
        await Assert.That(printed).Contains("memory.grow 1");
        await Assert.That(printed).Contains("i32.load8_u 1 offset=1");
        await Assert.That(TextModuleParser.ParseFile(printed)).IsEquivalentTo(binary);
    }

    [Test]
    public async Task A_lane_index_alone_is_not_a_memory_index()
    {
        var module = TextModule.Valid("""
            (memory 1) (memory $m 1)
            (func (param v128) (result v128)
              (drop (v128.load8_lane 1 (i32.const 0) (local.get 0)))
              (v128.load8_lane $m offset=2 3 (i32.const 0) (local.get 0)))
            """);
        var printed = TextPrinter.Print(module);
        await Assert.That(printed).Contains("v128.load8_lane 1\n");
        await Assert.That(printed).Contains("v128.load8_lane 1 offset=2 3");
    }

    [Test]
    public async Task WebAssembly_2_0_allows_one_memory_and_a_zero_byte_index()
    {
        var module = TextModule.Decode("(memory 1) (memory 1) (func (drop (memory.size 1)))");
        var two = Assert.Throws<ModuleFormatException>(() => ModuleValidator.Validate(module, WasmFeatures.Wasm20));
        await Assert.That((two.Kind, two.Reason)).IsEqualTo((ModuleErrorKind.Malformed, "zero byte expected"));
        var unknown = Assert.Throws<ModuleFormatException>(() => TextModule.Valid("(memory 1) (func (drop (i32.load 1 (i32.const 0))))"));
        await Assert.That(unknown.Reason).IsEqualTo("unknown memory 1");
        var offset = Assert.Throws<ModuleFormatException>(() => TextModule.Valid("(memory 1) (func (drop (i32.load offset=0x1_0000_0000 (i32.const 0))))"));
        await Assert.That(offset.Reason).StartsWith("offset out of range");
    }
}
