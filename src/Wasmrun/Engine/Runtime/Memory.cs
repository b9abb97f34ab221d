// A linear memory (spec 4.2.8) on address space reserved once for its largest size: growth commits pages in place,
// so the bytes never move or get copied, `Base` stays valid for the memory's life, and a grow costs only the pages
// the guest then touches. Every size is 64-bit arithmetic; growth failure is -1, never a crash.
using System.Diagnostics;

namespace Wasmrun.Engine.Runtime;

internal sealed unsafe class Memory : IDisposable
{
    private readonly ulong reserved;

    private Memory(MemoryType type, uint maxPages, byte* reservation, ulong reserved)
    {
        Type = type;
        MaxPages = maxPages;
        Base = reservation;
        this.reserved = reserved;
    }

    ~Memory() => Free();

    public MemoryType Type { get; private set; }

    /// <summary>The most pages this memory may ever have: the type's maximum capped by the engine's memory limit and
    /// by the address space the system would reserve.</summary>
    public uint MaxPages { get; }

    /// <summary>The bytes: fixed for the memory's life (growth commits more of the same reservation).</summary>
    public byte* Base { get; private set; }

    public ulong Length { get; private set; }

    public uint Pages => (uint)(Length / MemoryType.PageSize);

    /// <summary>Whether a memory.grow was refused: the program then met its memory limit (or the system's).</summary>
    public bool GrowthRefused { get; private set; }

    /// <summary>Bytes [offset, offset + length): the caller has checked they are inside the memory.</summary>
    public Span<byte> Slice(ulong offset, int length) => new(Base + offset, length);

    /// <summary>Creates a memory of the type's minimum size, or null when that already exceeds the limit or the
    /// system cannot reserve it. A 64-bit memory stays below 4 GiB (65535 pages) here: a 64-bit address or length that
    /// does not fit 32 bits is then out of bounds whatever the memory's size, so the interpreter checks that once
    /// (Narrow64) and runs the 32-bit load and store paths.</summary>
    public static Memory? Create(MemoryType type, ulong limitBytes)
    {
        var ceiling = type.Limits.Is64 ? MemoryType.MaxPages - 1 : MemoryType.MaxPages;
        var limitPages = (uint)Math.Min(limitBytes / MemoryType.PageSize, ceiling);
        var maxPages = (uint)Math.Min(type.Limits.Max ?? ceiling, limitPages);
        if (type.Limits.Min > maxPages)
        {
            return null;
        }
        var minPages = (uint)type.Limits.Min;
        // A system that refuses the whole reservation (ulimit -v, a small address space) gets a smaller one, down to
        // the minimum: the memory then cannot grow as far, and memory.grow says -1 at that point, as it may.
        for (var pages = maxPages; ; pages = Math.Max(minPages, pages / 2))
        {
            // Never a zero-size reservation: the interpreter wants a valid pointer even for an empty memory.
            var bytes = Math.Max((ulong)pages * MemoryType.PageSize, MemoryType.PageSize);
            if (AddressSpace.Reserve(bytes) is var reservation && reservation != null)
            {
                // Data segments and the program's heap then fault in 2 MiB at a time where the kernel can (python -c
                // pass: 4,280 -> 3,155 page faults, RSS +3.7 MB; pystone's speed did not move).
                AddressSpace.AdviseHugePages(reservation, bytes);
                var memory = new Memory(type, pages, reservation, bytes);
                return memory.Commit(minPages) ? memory : null;
            }
            if (pages == minPages)
            {
                return null;
            }
        }
    }

    /// <summary>memory.grow (spec 4.4.7): the old size in pages, or -1 when the memory cannot grow that much.</summary>
    public int Grow(uint deltaPages)
    {
        var old = Pages;
        if (deltaPages == 0)
        {
            return (int)old;
        }
        if ((ulong)old + deltaPages > MaxPages || !Commit(old + deltaPages))
        {
            GrowthRefused = true;
            return -1;
        }
        Type = new MemoryType(Type.Limits with { Min = old + deltaPages });
        return (int)old;
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    /// <summary>Makes the first `pages` pages accessible; pages the system maps fresh read as zero.</summary>
    private bool Commit(uint pages)
    {
        var bytes = (ulong)pages * MemoryType.PageSize;
        if (bytes > Length && !AddressSpace.Commit(Base + Length, bytes - Length))
        {
            return false;
        }
        Length = bytes;
        return true;
    }

    private void Free()
    {
        if (Base != null)
        {
            var released = AddressSpace.Release(Base, reserved);
            Debug.Assert(released, "a memory's reservation is its own");
            Base = null;
            Length = 0;
        }
    }
}
