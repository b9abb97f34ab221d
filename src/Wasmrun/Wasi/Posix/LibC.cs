// The POSIX calls WASI is built on, bound with source-generated P/Invoke (no reflection, NativeAOT-safe). Linux only:
// structures use the kernel's architecture-independent layouts (statx, linux_dirent64, open_how).
using System.Runtime.InteropServices;

namespace Wasmrun.Wasi.Posix;

internal static unsafe partial class LibC
{
    private const string Library = "libc";

    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtRemoveDir = 0x200;
    public const int AtSymlinkFollow = 0x400;
    public const int AtEmptyPath = 0x1000;

    public const int ORdOnly = 0, OWrOnly = 1, ORdWr = 2;
    public const int OCreat = 0x40, OExcl = 0x80, ONoCtty = 0x100, OTrunc = 0x200, OAppend = 0x400, ONonBlock = 0x800;
    public const int ODSync = 0x1000, ODirectory = 0x10000, ONoFollow = 0x20000, OCloExec = 0x80000, OSync = 0x101000;
    public const int OPath = 0x200000;

    public const ulong ResolveNoMagicLinks = 0x02, ResolveNoSymlinks = 0x04, ResolveBeneath = 0x08;

    /// <summary>The Linux errno values callers tell apart (Errnos.FromLinux maps them all for WASI).</summary>
    public const int ENoEnt = 2, EIntr = 4, EAgain = 11, EExist = 17, EXDev = 18;

    public const int FGetFl = 3, FSetFl = 4;
    public const int SeekSet = 0, SeekCur = 1, SeekEnd = 2;
    public const long UtimeNow = (1L << 30) - 1, UtimeOmit = (1L << 30) - 2;

    public const uint StatxBasicStats = 0x7FF;
    public const ushort SIfMt = 0xF000, SIfSock = 0xC000, SIfLnk = 0xA000, SIfReg = 0x8000, SIfBlk = 0x6000, SIfDir = 0x4000, SIfChr = 0x2000, SIfIfo = 0x1000;

    public const ulong FionRead = 0x541B;

    public const int EfdNonBlock = 0x800, EfdCloExec = 0x80000;

    public const short PollIn = 0x1, PollOut = 0x4, PollErr = 0x8, PollHup = 0x10, PollNval = 0x20;

    private const long SysOpenat2 = 437;
    private const long SysGetdents64 = 217;

    [StructLayout(LayoutKind.Sequential)]
    public struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct StatxTimestamp
    {
        public long Seconds;
        public uint Nanoseconds;
        public int Reserved;
    }

    /// <summary>struct statx (include/uapi/linux/stat.h), 256 bytes.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    public struct Statx
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint Links;
        public uint Uid;
        public uint Gid;
        public ushort Mode;
        public ushort Spare0;
        public ulong Inode;
        public ulong Size;
        public ulong Blocks;
        public ulong AttributesMask;
        public StatxTimestamp Accessed;
        public StatxTimestamp Born;
        public StatxTimestamp Changed;
        public StatxTimestamp Modified;
        public uint RDevMajor;
        public uint RDevMinor;
        public uint DevMajor;
        public uint DevMinor;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    public static int Errno => Marshal.GetLastPInvokeError();

    /// <summary>openat2 with RESOLVE_BENEATH: the kernel refuses any resolution that leaves dirfd (.., absolute
    /// paths, symlinks pointing out) with EXDEV, atomically, so a guest cannot race its way out of a preopen.</summary>
    public static int OpenBeneath(int dirfd, string path, int flags, uint mode, bool followFinalSymlink)
    {
        var how = new OpenHow
        {
            Flags = (ulong)(flags | OCloExec | (followFinalSymlink ? 0 : ONoFollow)),
            Mode = (flags & OCreat) != 0 ? mode : 0,
            Resolve = ResolveBeneath | ResolveNoMagicLinks,
        };
        var bytes = Utf8(path);
        fixed (byte* p = bytes)
        {
            return (int)syscall(SysOpenat2, dirfd, p, &how, (nuint)sizeof(OpenHow));
        }
    }

    public static long GetDents64(int fd, byte* buffer, int size) => syscall(SysGetdents64, fd, buffer, (void*)size, 0);

    /// <summary>The calling thread's kernel id (gettid has no glibc wrapper before 2.30).</summary>
    public static int GetTid() => (int)syscall(RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 178 : 186, 0, null, null, 0);

    /// <summary>CPU time a thread of this process used, by its kernel id (the clock id pthread_getcpuclockid makes:
    /// CPUCLOCK_PERTHREAD | CPUCLOCK_SCHED over the inverted tid); null once the thread is gone.</summary>
    public static TimeSpan? ThreadCpuTime(int tid)
    {
        Timespec time;
        return clock_gettime((~tid << 3) | 6, &time) == 0 ? TimeSpan.FromTicks((time.Seconds * 1_000_000_000 + time.Nanoseconds) / 100) : null;
    }

    public static byte[] Utf8(string text)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(text) + 1];
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    [LibraryImport(Library, SetLastError = true)]
    private static partial long syscall(long number, int a, void* b, void* c, nuint d);

    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall(long number, int a, byte* b, OpenHow* c, nuint d);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int openat(int dirfd, string path, int flags, uint mode);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int ioctl(int fd, ulong request, int* value);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint read(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint write(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint pread(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint pwrite(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Library, SetLastError = true)]
    public static partial long lseek(int fd, long offset, int whence);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int dup(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fsync(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fdatasync(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int ftruncate(int fd, long length);

    [LibraryImport(Library)]
    public static partial int posix_fallocate(int fd, long offset, long length);

    [LibraryImport(Library)]
    public static partial int posix_fadvise(int fd, long offset, long length, int advice);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fcntl(int fd, int command, int argument);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int isatty(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int statx(int dirfd, byte* path, int flags, uint mask, Statx* buffer);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int mkdirat(int dirfd, byte* path, uint mode);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int unlinkat(int dirfd, byte* path, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int renameat(int olddirfd, byte* oldpath, int newdirfd, byte* newpath);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int linkat(int olddirfd, byte* oldpath, int newdirfd, byte* newpath, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int symlinkat(byte* target, int newdirfd, byte* linkpath);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint readlinkat(int dirfd, byte* path, byte* buffer, nuint size);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int utimensat(int dirfd, byte* path, Timespec* times, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int futimens(int fd, Timespec* times);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int clock_gettime(int clock, Timespec* time);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int clock_getres(int clock, Timespec* resolution);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int eventfd(uint initial, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int accept4(int fd, void* address, void* length, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int shutdown(int fd, int how);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int getsockopt(int fd, int level, int option, void* value, uint* length);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint getrandom(byte* buffer, nuint length, uint flags);
}
