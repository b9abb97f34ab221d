// Linear memory on reserved address space: grows of 2 and 4 GiB (and refused ones) leave a memory that reads zero and
// works at both ends, memory.fill takes lengths past 2 GiB, and a grow costs only the pages the guest touches.
using System.Runtime.InteropServices;
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Validate;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Engine;

public sealed partial class MemoryTests
{
    private const ulong Page = 65536;

    /// <summary>An instance of Wasm.MemoryProbe whose exports are called with i32 arguments.</summary>
    private sealed class Probe : IDisposable
    {
        private readonly Store store = new(new EngineOptions());
        private readonly Instance instance;

        public Probe(uint minPages)
        {
            var module = ModuleDecoder.Decode(Wasm.MemoryProbe(minPages));
            ModuleValidator.Validate(module);
            instance = store.Instantiate(module, new Linker());
        }

        public Memory Memory => instance.Memories[0];

        public uint Call(string name, params uint[] arguments)
        {
            var results = store.Invoke(instance.ExportedFunction(name)!, [.. arguments.Select(a => Value.I32((int)a))]);
            return results.Length == 0 ? 0 : (uint)results[0].AsI32();
        }

        public void Dispose() => store.Dispose();
    }

    [Test]
    [Arguments(0u, 32768u)]
    [Arguments(0u, 65536u)]
    [Arguments(1u, 32768u)]
    [Arguments(1u, 65536u)]
    public async Task A_grow_of_2_or_4_GiB_leaves_a_working_memory_at_both_ends(uint from, uint delta)
    {
        using var probe = new Probe(from);
        var fits = (ulong)from + delta <= 65536;
        var pages = fits ? from + delta : from;

        await Assert.That(probe.Call("grow", delta)).IsEqualTo(fits ? from : uint.MaxValue);
        await Assert.That(probe.Call("size")).IsEqualTo(pages);
        if (pages == 0)
        {
            await Assert.That(Trap(() => probe.Call("load", 0))).IsEqualTo(TrapCode.MemoryOutOfBounds);
            return;
        }
        var last = (uint)(pages * Page - 1);
        foreach (var address in new[] { 0u, 8u, 16u, last - 16, last })
        {
            // A refused grow once left the memory on a freed block: these read the allocator's free-list pointers.
            await Assert.That(probe.Call("load", address)).IsEqualTo(0u).Because($"fresh memory at {address} reads zero");
        }
        probe.Call("store", 0, 0xA1);
        probe.Call("store", last, 0xB2);
        await Assert.That(probe.Call("load", 0)).IsEqualTo(0xA1u);
        await Assert.That(probe.Call("load", last)).IsEqualTo(0xB2u);
        if (pages < 65536)
        {
            await Assert.That(Trap(() => probe.Call("load", last + 1))).IsEqualTo(TrapCode.MemoryOutOfBounds);
            await Assert.That(Trap(() => probe.Call("store", last + 1, 1))).IsEqualTo(TrapCode.MemoryOutOfBounds);
        }
    }

    [Test]
    public async Task Memory_fill_takes_a_length_of_2_GiB_and_more()
    {
        using var probe = new Probe(0);
        await Assert.That(probe.Call("grow", 32769)).IsEqualTo(0u);
        var length = 0x8000_0000u + 4;
        probe.Call("fill", 0, 0xCD, length);
        await Assert.That(probe.Call("load", 0)).IsEqualTo(0xCDu);
        await Assert.That(probe.Call("load", length - 1)).IsEqualTo(0xCDu);
        await Assert.That(probe.Call("load", length)).IsEqualTo(0u);
        await Assert.That(Trap(() => probe.Call("fill", 1, 0, (uint)(32769 * Page)))).IsEqualTo(TrapCode.MemoryOutOfBounds);
    }

    [Test]
    public async Task A_1_GiB_grow_that_touches_one_page_makes_only_that_page_resident()
    {
        using var probe = new Probe(0);
        await Assert.That(probe.Call("grow", 16384)).IsEqualTo(0u);
        var before = ResidentBytes(probe.Memory);
        probe.Call("store", (uint)(16384 * Page - 1), 7);

        await Assert.That(before).IsLessThanOrEqualTo(64UL << 20);
        await Assert.That(ResidentBytes(probe.Memory)).IsLessThanOrEqualTo(64UL << 20);
        await Assert.That(ResidentBytes(probe.Memory)).IsGreaterThan(0UL);
    }

    [Test]
    public async Task Growing_never_moves_the_memory()
    {
        using var probe = new Probe(1);
        var start = Address(probe.Memory);
        for (var i = 0; i < 64; i++)
        {
            probe.Call("grow", 100);
        }
        await Assert.That(Address(probe.Memory)).IsEqualTo(start);
        await Assert.That(probe.Call("size")).IsEqualTo(6401u);
    }

    private static unsafe nint Address(Memory memory) => (nint)memory.Base;

    /// <summary>The bytes of the memory the kernel holds in RAM (mincore(2)): what the guest costs, exactly.</summary>
    private static unsafe ulong ResidentBytes(Memory memory)
    {
        const ulong osPage = 4096;
        var pages = (memory.Length + osPage - 1) / osPage;
        var vector = new byte[pages];
        fixed (byte* flags = vector)
        {
            if (mincore(memory.Base, (nuint)memory.Length, flags) != 0)
            {
                throw new InvalidOperationException($"mincore failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        return (ulong)vector.Count(flag => (flag & 1) != 0) * osPage;
    }

    private static TrapCode Trap(Action action)
    {
        try
        {
            action();
            return TrapCode.None;
        }
        catch (TrapException trap)
        {
            return trap.Code;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int mincore(void* address, nuint length, byte* vector);
}
