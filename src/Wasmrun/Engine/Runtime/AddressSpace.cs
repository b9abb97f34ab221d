// Virtual address space from the operating system, for linear memories: reserved inaccessible, then made readable
// and writable (committed) a range at a time. Reserved pages cost nothing; committed ones cost only when touched.
using System.Runtime.InteropServices;

namespace Wasmrun.Engine.Runtime;

internal static unsafe partial class AddressSpace
{
    /// <summary>Reserves `bytes` of inaccessible address space (zero-filled when committed), or null.</summary>
    public static byte* Reserve(ulong bytes)
    {
        if (OperatingSystem.IsWindows())
        {
            return (byte*)VirtualAlloc(null, (nuint)bytes, MemReserve, PageNoAccess);
        }
        var anonymous = OperatingSystem.IsLinux() ? LinuxMapAnonymous | LinuxMapNoReserve : BsdMapAnonymous | BsdMapNoReserve;
        var address = mmap(null, (nuint)bytes, ProtNone, MapPrivate | anonymous, -1, 0);
        return address == MapFailed ? null : (byte*)address;
    }

    /// <summary>Makes [at, at + bytes) of a reservation readable and writable; false when the system refuses.</summary>
    public static bool Commit(byte* at, ulong bytes) => OperatingSystem.IsWindows()
        ? VirtualAlloc(at, (nuint)bytes, MemCommit, PageReadWrite) != null
        : mprotect(at, (nuint)bytes, ProtRead | ProtWrite) == 0;

    /// <summary>Returns a whole reservation; false only for an address the system never gave (a bug of ours).</summary>
    public static bool Release(byte* at, ulong bytes) => OperatingSystem.IsWindows()
        ? VirtualFree(at, 0, MemRelease)
        : munmap(at, (nuint)bytes) == 0;

    /// <summary>Asks Linux to back [at, at + bytes) with transparent huge pages where it can; a hint, so nothing to
    /// report when it cannot (other systems have no such hint here).</summary>
    public static void AdviseHugePages(byte* at, ulong bytes)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = madvise(at, (nuint)bytes, LinuxMadviseHugePage);
        }
    }

    private const int LinuxMadviseHugePage = 14;
    private const int ProtNone = 0, ProtRead = 1, ProtWrite = 2, MapPrivate = 2;
    private const int LinuxMapAnonymous = 0x20, LinuxMapNoReserve = 0x4000, BsdMapAnonymous = 0x1000, BsdMapNoReserve = 0x40;
    private const uint MemCommit = 0x1000, MemReserve = 0x2000, MemRelease = 0x8000, PageNoAccess = 1, PageReadWrite = 4;
    private static readonly void* MapFailed = (void*)-1;

    [LibraryImport("libc", SetLastError = true)]
    private static partial void* mmap(void* address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int mprotect(void* address, nuint length, int protection);

    [LibraryImport("libc")]
    private static partial int madvise(void* address, nuint length, int advice);

    [LibraryImport("libc")]
    private static partial int munmap(void* address, nuint length);

    [LibraryImport("kernel32", SetLastError = true)]
    private static partial void* VirtualAlloc(void* address, nuint size, uint allocationType, uint protect);

    [LibraryImport("kernel32")]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool VirtualFree(void* address, nuint size, uint freeType);
}
