// The translator's fusions (docs/engine.md, Translator) at the edges where a wrong fusion would still pass most
// programs: Go's loop dispatch with branches to blocks that have ended and blocks still open, address adds that wrap
// past 4 GiB, wraps and extends whose upper halves matter, constant stores and returns, paired moves and loads, adds
// folded into global.set and br_table, copies joined to the branch after them. Each module is written in the
// text format (wabt's wat2wasm), run through the engine's face, and its translation checked for the fused form, so a
// fusion that silently stops applying fails here too.
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Translate;
using Wasmrun.Engine.Validate;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Engine;

public sealed class FusionTests
{
    /// <summary>A state machine laid out the way Go compiles a function: one loop whose first instruction is a
    /// br_table on a local, one block per state. State 0 goes forward to 2 (a block still open when the branch is
    /// translated), 2 goes back to 1 (a block that has ended) or on to 3, 3 goes back to 0 or returns.</summary>
    private const string Dispatch = """
        (module
          (func (export "run") (param $rounds i32) (result i32)
            (local $pc i32) (local $acc i32) (local $prev i32)
            (loop $entry
              (block $s3 (block $s2 (block $s1 (block $s0
                (br_table $s0 $s1 $s2 $s3 $s3 (local.get $pc)))
                ;; state 0
                (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 3)) (i32.const 1)))
                (local.set $pc (i32.const 2))
                (br $entry))
                ;; state 1 (the copy and the constant before the branch pair: the branch must still see the constant)
                (local.set $acc (i32.add (local.get $acc) (i32.const 100)))
                (local.set $prev (local.get $acc))
                (local.set $pc (i32.const 3))
                (br $entry))
                ;; state 2
                (local.set $acc (i32.xor (local.get $acc) (i32.const 7)))
                (if (i32.and (local.get $acc) (i32.const 2))
                  (then (local.set $pc (i32.const 1)) (br $entry)))
                (local.set $pc (i32.const 3))
                (br $entry))
              ;; state 3
              (local.set $rounds (i32.sub (local.get $rounds) (i32.const 1)))
              (if (i32.gt_s (local.get $rounds) (i32.const 0))
                (then (local.set $pc (i32.const 0)) (br $entry))))
            (i32.add (local.get $acc) (local.get $prev))))
        """;

    [Test]
    public async Task A_branch_to_a_dispatching_loop_goes_where_its_table_would()
    {
        var (store, instance, module) = await Load(Dispatch);
        int accumulator = 0, previous = 0;
        for (var round = 0; round < 10; round++)
        {
            accumulator = (accumulator * 3 + 1) ^ 7;
            if ((accumulator & 2) != 0)
            {
                accumulator += 100;
                previous = accumulator;
            }
        }
        await Assert.That(previous).IsNotEqualTo(0).Because("state 1 must run (bit 1 of the accumulator alternates)");
        await Assert.That(Call(store, instance, "run", Value.I32(10))).IsEqualTo(accumulator + previous);
        await Assert.That(Ops(module, 0).Count(op => op == IrOp.Const32Br)).IsEqualTo(5);
    }

    private const string ReferenceCounts = """
        (module
          (memory 1)
          (data (i32.const 8) "\05\00\00\00")
          ;; Py_INCREF: load, add 1, store back
          (func (export "incref") (param $p i32)
            (i32.store offset=4 (local.get $p) (i32.add (i32.load offset=4 (local.get $p)) (i32.const 1))))
          ;; Py_DECREF: the new count also kept in a local and returned
          (func (export "decref") (param $p i32) (result i32) (local $n i32)
            (i32.store offset=4 (local.get $p) (local.tee $n (i32.sub (i32.load offset=4 (local.get $p)) (i32.const 1))))
            (local.get $n))
          ;; another address: not the same place, so no fusion
          (func (export "move") (param $p i32) (param $q i32)
            (i32.store offset=4 (local.get $q) (i32.add (i32.load offset=4 (local.get $p)) (i32.const 1))))
          (func (export "get") (param $p i32) (result i32) (i32.load offset=4 (local.get $p))))
        """;

    [Test]
    public async Task A_load_add_store_to_one_place_is_one_instruction_that_traps_like_the_load()
    {
        var (store, instance, module) = await Load(ReferenceCounts);
        store.Invoke(instance.ExportedFunction("incref")!, [Value.I32(4)]);
        await Assert.That(Call(store, instance, "get", Value.I32(4))).IsEqualTo(6);
        await Assert.That(Call(store, instance, "decref", Value.I32(4))).IsEqualTo(5);
        await Assert.That(Call(store, instance, "decref", Value.I32(4))).IsEqualTo(4);
        store.Invoke(instance.ExportedFunction("move")!, [Value.I32(4), Value.I32(8)]);
        await Assert.That(Call(store, instance, "get", Value.I32(8))).IsEqualTo(5);
        await Assert.That(Call(store, instance, "get", Value.I32(4))).IsEqualTo(4);
        // The last word of the memory: the 4 bytes at 65532 are in bounds, at 65533 they are not.
        store.Invoke(instance.ExportedFunction("incref")!, [Value.I32(65528)]);
        await Assert.That(Call(store, instance, "get", Value.I32(65528))).IsEqualTo(1);
        await Assert.That(Trap(store, instance, "incref", Value.I32(65529))).IsEqualTo(TrapCode.MemoryOutOfBounds);
        await Assert.That(Ops(module, 0)).IsEquivalentTo(new[] { IrOp.I32AddToMemory, IrOp.Return });
        await Assert.That(Ops(module, 1)).Contains(IrOp.I32AddToMemory);
        await Assert.That(Ops(module, 2)).DoesNotContain(IrOp.I32AddToMemory);
    }

    private const string ByteIndexes = """
        (module
          (memory 1)
          (data (i32.const 0) "\03\ff")
          (func (export "index") (param i32) (result i32)
            (i32.shl (i32.load8_u offset=1 (local.get 0)) (i32.const 2)))
          (func (export "wide") (param i32) (result i32)
            (i32.shl (i32.load8_u (local.get 0)) (i32.const 33)))
          ;; the byte kept in a local and used again after the shift
          (func (export "kept") (param i32) (result i32) (local i32)
            (local.set 1 (i32.load8_u offset=1 (local.get 0)))
            (i32.add (i32.shl (local.get 1) (i32.const 4)) (local.get 1))))
        """;

    [Test]
    public async Task A_byte_load_shifted_by_a_constant_is_one_instruction_that_traps_like_the_load()
    {
        var (store, instance, module) = await Load(ByteIndexes);
        await Assert.That(Call(store, instance, "index", Value.I32(0))).IsEqualTo(0xFF << 2);
        // address + offset does not wrap: 0xFFFFFFFF + 1 is past the memory
        await Assert.That(Trap(store, instance, "index", Value.I32(-1))).IsEqualTo(TrapCode.MemoryOutOfBounds);
        // the shift count is taken modulo 32, as i32.shl does
        await Assert.That(Call(store, instance, "wide", Value.I32(0))).IsEqualTo(3 << 1);
        await Assert.That(Call(store, instance, "index", Value.I32(65534))).IsEqualTo(0);
        await Assert.That(Trap(store, instance, "index", Value.I32(65535))).IsEqualTo(TrapCode.MemoryOutOfBounds);
        await Assert.That(Call(store, instance, "kept", Value.I32(0))).IsEqualTo((0xFF << 4) + 0xFF);
        await Assert.That(Ops(module, 0)).IsEquivalentTo(new[] { IrOp.I32Load8UShl, IrOp.ReturnSlot });
        await Assert.That(Ops(module, 2)).Contains(IrOp.I32Load8UShl);
    }

    private const string WordCopies = """
        (module
          (memory 1)
          (data (i32.const 8) "\01\02\03\04\05\06\07\08")
          (func (export "copy") (param $to i32) (param $from i32)
            (i64.store offset=8 (local.get $to) (i64.load offset=8 (local.get $from))))
          (func (export "get") (param i32) (result i64) (i64.load (local.get 0))))
        """;

    [Test]
    public async Task A_load_stored_right_away_is_one_copy_whose_traps_name_the_load_or_the_store()
    {
        var (store, instance, module) = await Load(WordCopies);
        store.Invoke(instance.ExportedFunction("copy")!, [Value.I32(100), Value.I32(0)]);
        await Assert.That(Call64(store, instance, "get", Value.I32(108))).IsEqualTo(0x0807060504030201L);
        var load = Assert.Throws<TrapException>(() => store.Invoke(instance.ExportedFunction("copy")!, [Value.I32(0), Value.I32(65528)]));
        var save = Assert.Throws<TrapException>(() => store.Invoke(instance.ExportedFunction("copy")!, [Value.I32(65528), Value.I32(0)]));
        await Assert.That(load!.Code).IsEqualTo(TrapCode.MemoryOutOfBounds);
        await Assert.That(save!.Code).IsEqualTo(TrapCode.MemoryOutOfBounds);
        // the store's i64.store opcode comes right after the load's memarg (opcode 0x29, align 3, offset 8)
        await Assert.That(save.Backtrace[0].Offset).IsEqualTo(load.Backtrace[0].Offset + 3);
        await Assert.That(Ops(module, 0)).IsEquivalentTo(new[] { IrOp.I64Copy, IrOp.Return });
    }

    private const string Addresses = """
        (module
          (memory 1)
          (data (i32.const 4) "\2a\00\00\00")
          (func (export "load") (param $p i32) (result i32)
            (i32.load (i32.add (local.get $p) (i32.const 8))))
          (func (export "store") (param $p i32) (param $v i32)
            (i32.store (i32.add (local.get $p) (i32.const -8)) (local.get $v)))
          (func (export "go") (param $p i32) (result i64)
            (i64.load (i32.wrap_i64 (i64.add (i64.extend_i32_u (local.get $p)) (i64.const 8)))))
          (func (export "wide") (param $x i64) (result i64)
            (i64.extend_i32_u (i32.wrap_i64 (local.get $x))))
          (func (export "flag") (param $x i64) (result i64)
            (i64.extend_i32_u (i64.eqz (local.get $x))))
          (func (export "constants") (result i64)
            (i64.store (i32.const 16) (i64.const -2))
            (i32.store8 (i32.const 24) (i32.const 0x1ff))
            (i64.add (i64.load (i32.const 16)) (i64.load8_u (i32.const 24)))))
        """;

    [Test]
    public async Task Folded_address_adds_wrap_at_4_GiB_as_the_add_did()
    {
        var (store, instance, module) = await Load(Addresses);
        // 0xFFFFFFFC + 8 wraps to 4 (the data); without the wrap it would be out of bounds.
        await Assert.That(Call(store, instance, "load", Value.I32(-4))).IsEqualTo(42);
        await Assert.That(Trap(store, instance, "load", Value.I32(-12))).IsEqualTo(TrapCode.MemoryOutOfBounds);
        store.Invoke(instance.ExportedFunction("store")!, [Value.I32(12), Value.I32(7)]);
        await Assert.That(Call(store, instance, "load", Value.I32(-4))).IsEqualTo(7);
        // Go's wrap(add(extend(p), 8)): the same wrapping i32 add, one instruction with the load.
        await Assert.That(Call64(store, instance, "go", Value.I32(-4))).IsEqualTo(7L);
        await Assert.That(Ops(module, 0)).Contains(IrOp.I32Load_AI);
        await Assert.That(Ops(module, 1)).Contains(IrOp.I32Store_AI);
        await Assert.That(Ops(module, 2)).IsEquivalentTo(new[] { IrOp.I64Load_AI, IrOp.ReturnSlot });
    }

    [Test]
    public async Task Wraps_and_extends_keep_the_upper_half_right()
    {
        var (store, instance, module) = await Load(Addresses);
        // The wrap emits nothing, so the extend after it must clear the upper half the i64 left there.
        await Assert.That(Call64(store, instance, "wide", Value.I64(0x1234_5678_9ABC_DEF0))).IsEqualTo(0x9ABC_DEF0L);
        // A compare's i32 is written zero-extended: its extend emits nothing.
        await Assert.That(Call64(store, instance, "flag", Value.I64(0))).IsEqualTo(1L);
        await Assert.That(Call64(store, instance, "flag", Value.I64(long.MinValue))).IsEqualTo(0L);
        await Assert.That(Ops(module, 4)).DoesNotContain(IrOp.I64ExtendI32U);
        await Assert.That(Ops(module, 3)).Contains(IrOp.I64ExtendI32U);
    }

    [Test]
    public async Task Constant_stores_and_returns_take_their_constant_as_an_immediate()
    {
        var (store, instance, module) = await Load(Addresses);
        await Assert.That(Call64(store, instance, "constants")).IsEqualTo(-2L + 0xFF);
        var ops = Ops(module, 5);
        await Assert.That(ops).Contains(IrOp.I64Store_VI);
        await Assert.That(ops).Contains(IrOp.I32Store8_VI);
        await Assert.That(ops).DoesNotContain(IrOp.Const64);
    }

    private const string Returns = """
        (module
          (func (export "negative") (result i64) (i64.const -5))
          (func (export "float") (result f32) (f32.const -1.5))
          (func (export "local") (param i32) (param $y i32) (result i32) (local.get $y))
          (func (export "zero") (param $x i64) (result i32)
            (if (i64.eqz (local.get $x)) (then (return (i32.const 1))))
            (i32.const 2)))
        """;

    [Test]
    public async Task Single_results_return_in_one_instruction()
    {
        var (store, instance, module) = await Load(Returns);
        await Assert.That(Call64(store, instance, "negative")).IsEqualTo(-5L);
        await Assert.That(store.Invoke(instance.ExportedFunction("float")!, [])[0].AsF32()).IsEqualTo(-1.5f);
        await Assert.That(Call(store, instance, "local", Value.I32(1), Value.I32(-9))).IsEqualTo(-9);
        await Assert.That(Call(store, instance, "zero", Value.I64(0))).IsEqualTo(1);
        await Assert.That(Call(store, instance, "zero", Value.I64(1L << 40))).IsEqualTo(2);
        await Assert.That(Ops(module, 0)).IsEquivalentTo(new[] { IrOp.ReturnConst });
        await Assert.That(Ops(module, 2)).IsEquivalentTo(new[] { IrOp.ReturnSlot });
        await Assert.That(Ops(module, 3)).Contains(IrOp.BrIfI64Nz);
    }

    private const string Moves = """
        (module
          (memory 1)
          (data (i32.const 64) "\01\00\00\00\00\00\00\00\02\00\00\00\01\00\00\00")
          (global $sp (mut i32) (i32.const 1024))
          (global $wide (mut i64) (i64.const 0))
          (func $pick (param $a i32) (param $b i64) (param $c i32) (result i64)
            (i64.add (i64.extend_i32_s (i32.sub (local.get $a) (local.get $c))) (local.get $b)))
          (func (export "moves") (param $x i32) (result i64)
            (local $y i32) (local $z i64)
            (local.set $y (i32.const -3))
            (local.set $z (i64.const 0x100000000))
            (call $pick (local.get $x) (local.get $z) (local.get $y)))
          (func (export "frame") (param $size i32) (result i32)
            (global.set $sp (i32.sub (global.get $sp) (local.get $size)))
            (global.set $sp (i32.sub (global.get $sp) (i32.const 16)))
            (global.set $wide (i64.sub (global.get $wide) (i64.const -2147483648)))
            (global.set $sp (i32.add (global.get $sp) (i32.const -2147483648)))
            (global.get $sp))
          (func (export "wide") (result i64) (global.get $wide))
          (func (export "tee") (result i32) (local $fp i32)
            (global.set $sp (local.tee $fp (i32.sub (global.get $sp) (i32.const 16))))
            (i32.sub (global.get $sp) (local.get $fp)))
          (func (export "loads") (param $p i32) (result i64)
            (i64.add (i64.load (local.get $p)) (i64.load offset=8 (local.get $p))))
          (func (export "switch") (param $x i32) (result i32)
            (block $other (block $five (block $four (block $three
              (br_table $three $four $five $other (i32.sub (local.get $x) (i32.const 3))))
              (return (i32.const 30)))
              (return (i32.const 40)))
              (return (i32.const 50)))
            (i32.const -1)))
        """;

    [Test]
    public async Task Moves_pair_and_adds_fold_into_global_sets_and_tables()
    {
        var (store, instance, module) = await Load(Moves);
        // $x - (-3) + 2^32: the constants and copies of the locals and arguments, two to an instruction
        await Assert.That(Call64(store, instance, "moves", Value.I32(4))).IsEqualTo(7L + 0x1_0000_0000L);
        var moves = Ops(module, 1);
        await Assert.That(moves).Contains(IrOp.ConstConst);
        await Assert.That(moves.Count(op => op is IrOp.CopyCopy or IrOp.CopyConst or IrOp.ConstCopy)).IsEqualTo(1);

        // 1024 - 8 - 16 + 0x80000000: the i32 sum wraps as the add did; the i64 sub of int.MinValue is not folded
        await Assert.That(Call(store, instance, "frame", Value.I32(8))).IsEqualTo(unchecked(1000 + int.MinValue));
        await Assert.That(Call64(store, instance, "wide")).IsEqualTo(2147483648L);
        var frame = Ops(module, 2);
        await Assert.That(frame.Count(op => op == IrOp.GlobalSet)).IsEqualTo(4);
        await Assert.That(frame.Count(op => op is IrOp.I32Sub_SI or IrOp.I32Add_SI)).IsEqualTo(0);
        await Assert.That(frame).Contains(IrOp.I64Sub_SI);

        // br_table on x - 3: the sub is the table's bias; x < 3 wraps to a large index, the default
        foreach (var (x, expected) in new[] { (3, 30), (4, 40), (5, 50), (6, -1), (2, -1), (int.MinValue, -1) })
        {
            await Assert.That(Call(store, instance, "switch", Value.I32(x))).IsEqualTo(expected);
        }
        await Assert.That(Ops(module, 6)).DoesNotContain(IrOp.I32Sub_SI);
        await Assert.That(Ops(module, 6)).Contains(IrOp.BrTable);
    }

    [Test]
    public async Task A_teed_stack_pointer_update_and_two_loads_take_one_instruction_each()
    {
        var (store, instance, module) = await Load(Moves);
        // the local and the global both get sp - 16
        await Assert.That(Call(store, instance, "tee")).IsEqualTo(0);
        await Assert.That(Call(store, instance, "frame", Value.I32(0))).IsEqualTo(unchecked(1024 - 32 + int.MinValue));
        await Assert.That(Ops(module, 4)).Contains(IrOp.I32AddTeeGlobal);
        await Assert.That(Ops(module, 4)).DoesNotContain(IrOp.GlobalSet);

        await Assert.That(Call64(store, instance, "loads", Value.I32(64))).IsEqualTo(1L + 0x1_0000_0002L);
        await Assert.That(Ops(module, 5)).Contains(IrOp.I64LoadPair);
        // the first load in bounds, the second (8 bytes further) not: the pair traps as the second load would
        await Assert.That(Trap(store, instance, "loads", Value.I32(65536 - 8))).IsEqualTo(TrapCode.MemoryOutOfBounds);
        await Assert.That(Trap(store, instance, "loads", Value.I32(65536 - 16))).IsEqualTo(TrapCode.None);
    }

    private const string CopiesBeforeBranches = """
        (module
          (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $s i32) (local $t i32)
            (block $done
              (loop $top
                (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $t (i32.add (local.get $s) (local.get $i)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (local.set $s (local.get $t))
                (br $top)))
            (local.get $s))
          (func (export "pick") (param $x i32) (param $y i32) (result i32)
            (i32.add
              (block $b (result i32)
                (if (local.get $x) (then (br $b (local.get $y))))
                (i32.const 7))
              (i32.const 1))))
        """;

    [Test]
    public async Task A_copy_right_before_a_branch_goes_with_it()
    {
        var (store, instance, module) = await Load(CopiesBeforeBranches);
        // back to a loop: the loop-carried copy, then the jump
        await Assert.That(Call(store, instance, "sum", Value.I32(100))).IsEqualTo(4950);
        await Assert.That(Ops(module, 0)).Contains(IrOp.CopyBr);
        // forward out of a block with a value: the copy to the block's result slot, then the jump patched at its end
        await Assert.That(Call(store, instance, "pick", Value.I32(1), Value.I32(41))).IsEqualTo(42);
        await Assert.That(Call(store, instance, "pick", Value.I32(0), Value.I32(41))).IsEqualTo(8);
        await Assert.That(Ops(module, 1)).Contains(IrOp.CopyBr);
    }

    private static async Task<(Store Store, Instance Instance, Module Module)> Load(string text)
    {
        var wat2wasm = RequiredTool.Program("wat2wasm", "apt install wabt");
        using var folder = new TempDirectory();
        var source = Path.Combine(folder.Path, "fusion.wat");
        var binary = Path.Combine(folder.Path, "fusion.wasm");
        File.WriteAllText(source, text);
        var result = await ExternalProcess.RunAsync(wat2wasm, [source, "-o", binary], folder.Path);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"wat2wasm failed: {result.Stderr}");
        }
        var module = ModuleDecoder.Decode(File.ReadAllBytes(binary));
        ModuleValidator.Validate(module);
        // Fuel turns a branch bound to the wrong place (a loop without end) into a trap instead of a hung test.
        var store = new Store(new EngineOptions { Fuel = 1_000_000 });
        return (store, store.Instantiate(module, new Linker()), module);
    }

    private static int Call(Store store, Instance instance, string name, params Value[] arguments) =>
        store.Invoke(instance.ExportedFunction(name)!, arguments)[0].AsI32();

    private static long Call64(Store store, Instance instance, string name, params Value[] arguments) =>
        store.Invoke(instance.ExportedFunction(name)!, arguments)[0].AsI64();

    private static TrapCode Trap(Store store, Instance instance, string name, params Value[] arguments)
    {
        try
        {
            store.Invoke(instance.ExportedFunction(name)!, arguments);
            return TrapCode.None;
        }
        catch (TrapException trap)
        {
            return trap.Code;
        }
    }

    /// <summary>The IR instructions of a function's translation (data words left out).</summary>
    private static List<IrOp> Ops(Module module, uint function) =>
        [.. TranslatedModule.For(module).Function(function).Code.ToArray().Select(inst => inst.Op).Where(op => op != IrOp.None)];
}
