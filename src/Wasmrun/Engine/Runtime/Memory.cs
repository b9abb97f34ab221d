// A linear memory (spec 4.2.8): unmanaged bytes so the interpreter addresses them with a raw pointer and one bounds
// check, growable in 64 KiB pages up to its maximum and the engine's limit; growth failure is -1, never a crash.
using System.Runtime.InteropServices;

namespace Wasmrun.Engine.Runtime;

internal sealed unsafe class Memory : IDisposable
{
    private Memory(MemoryType type, uint maxPages)
    {
        Type = type;
        MaxPages = maxPages;
    }

    ~Memory() => Free();

    public MemoryType Type { get; private set; }

    /// <summary>The most pages this memory may ever have: the type's maximum capped by the engine's memory limit.</summary>
    public uint MaxPages { get; }

    /// <summary>The bytes. Changes when the memory grows: the interpreter reloads it after growth and calls.</summary>
    public byte* Base { get; private set; }

    public ulong Length { get; private set; }

    public uint Pages => (uint)(Length / MemoryType.PageSize);

    /// <summary>Bytes [offset, offset + length): the caller has checked they are inside the memory.</summary>
    public Span<byte> Slice(ulong offset, int length) => new(Base + offset, length);

    /// <summary>Creates a memory of the type's minimum size, or null when that already exceeds the limit.</summary>
    public static Memory? Create(MemoryType type, ulong limitBytes)
    {
        var limitPages = (uint)Math.Min(limitBytes / MemoryType.PageSize, MemoryType.MaxPages);
        var maxPages = Math.Min(type.Limits.Max ?? MemoryType.MaxPages, limitPages);
        if (type.Limits.Min > maxPages)
        {
            return null;
        }
        var memory = new Memory(type, maxPages);
        return memory.Resize(type.Limits.Min) ? memory : null;
    }

    /// <summary>memory.grow (spec 4.4.7): the old size in pages, or -1 when the memory cannot grow that much.</summary>
    public int Grow(uint deltaPages)
    {
        var old = Pages;
        if (deltaPages == 0)
        {
            return (int)old;
        }
        if ((ulong)old + deltaPages > MaxPages || !Resize(old + deltaPages))
        {
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

    private bool Resize(uint pages)
    {
        var bytes = (ulong)pages * MemoryType.PageSize;
        try
        {
            // Never a zero-size block: the interpreter wants a valid pointer even for an empty memory.
            var size = (nuint)Math.Max(bytes, 8);
            var grown = Base == null ? (byte*)NativeMemory.AllocZeroed(size) : (byte*)NativeMemory.Realloc(Base, size);
            if (Base != null && bytes > Length)
            {
                new Span<byte>(grown + Length, checked((int)(bytes - Length))).Clear();
            }
            Base = grown;
            Length = bytes;
            return true;
        }
        catch (OutOfMemoryException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private void Free()
    {
        if (Base != null)
        {
            NativeMemory.Free(Base);
            Base = null;
            Length = 0;
        }
    }
}
