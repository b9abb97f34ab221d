// Unmanaged memory for the IR of one module's functions: taken a chunk at a time and given back all at once with the
// module's translations, so a function's IR costs no allocation of its own, and the translator writes it in place.
// Chunks after the first are 2 MiB, aligned and offered to the kernel for transparent huge pages: a large program's
// IR then costs a page fault per 2 MiB instead of one per 4 KiB (CPython's start-up translates 2.7 MB of IR).
using System.Runtime.InteropServices;
using Wasmrun.Engine.Runtime;

namespace Wasmrun.Engine.Translate;

internal sealed unsafe class IrArena
{
    private const int FirstChunk = 256 << 10, HugeChunk = 2 << 20, MinimumFree = 4 << 10;

    private readonly List<nint> chunks = [];
    private byte* next;
    private byte* end;

    ~IrArena()
    {
        foreach (var chunk in chunks)
        {
            NativeMemory.AlignedFree((void*)chunk);
        }
    }

    /// <summary>Where the next function's IR goes: the free rest of the current chunk (at least a few KiB), whose
    /// size in instruction words is <paramref name="capacity"/>. The translator writes there directly, asks for
    /// <see cref="Enlarge"/> when it is full, and ends with <see cref="Commit"/>.</summary>
    public Inst* Begin(out int capacity)
    {
        if (end - next < MinimumFree)
        {
            NewChunk(MinimumFree);
        }
        capacity = (int)((end - next) / sizeof(Inst));
        return (Inst*)next;
    }

    /// <summary>Moves a function's IR begun at <paramref name="start"/>, <paramref name="used"/> words so far, to a new
    /// chunk with room for twice as many; the old chunk's rest is left unused.</summary>
    public Inst* Enlarge(Inst* start, int used, out int capacity)
    {
        NewChunk(Math.Max(2L * used * sizeof(Inst), MinimumFree));
        Buffer.MemoryCopy(start, next, end - next, (long)used * sizeof(Inst));
        capacity = (int)Math.Min((end - next) / sizeof(Inst), int.MaxValue);
        return (Inst*)next;
    }

    /// <summary>Keeps the <paramref name="used"/> words written at <paramref name="start"/> (the last Begin or
    /// Enlarge): they stay where they are as long as the arena lives.</summary>
    public void Commit(Inst* start, int used) => next = (byte*)(start + used);

    private void NewChunk(long bytes)
    {
        var size = chunks.Count == 0 && bytes <= FirstChunk ? FirstChunk : (bytes + HugeChunk - 1) / HugeChunk * HugeChunk;
        var chunk = (byte*)NativeMemory.AlignedAlloc((nuint)size, (nuint)(size >= HugeChunk ? HugeChunk : 64));
        if (size >= HugeChunk)
        {
            AddressSpace.AdviseHugePages(chunk, (ulong)size);
        }
        chunks.Add((nint)chunk);
        next = chunk;
        end = chunk + size;
    }
}
