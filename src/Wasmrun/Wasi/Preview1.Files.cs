// wasi_snapshot_preview1 fd_* functions: reading, writing, seeking, stat and flags of open descriptors, directory
// listing, and the names of preopened directories.
using Wasmrun.Engine.Runtime;
using Wasmrun.Wasi.Posix;

namespace Wasmrun.Wasi;

internal sealed unsafe partial class Preview1
{
    private Errno FdRead(HostCall call, GuestMemory memory) =>
        Transfer(call, memory, Rights.FdRead, offset: null, nbytes: (uint)call.I32(3), write: false);

    private Errno FdWrite(HostCall call, GuestMemory memory) =>
        Transfer(call, memory, Rights.FdWrite, offset: null, nbytes: (uint)call.I32(3), write: true);

    private Errno FdPread(HostCall call, GuestMemory memory) =>
        call.I64(3) < 0 ? Errno.Inval : Transfer(call, memory, Rights.FdRead | Rights.FdSeek, call.I64(3), (uint)call.I32(4), write: false);

    private Errno FdPwrite(HostCall call, GuestMemory memory) =>
        call.I64(3) < 0 ? Errno.Inval : Transfer(call, memory, Rights.FdWrite | Rights.FdSeek, call.I64(3), (uint)call.I32(4), write: true);

    /// <summary>Scatter/gather I/O over the guest's iovec array (buffer pointer, length pairs), stopping at the first
    /// short transfer; with an offset it is pread/pwrite and the file position does not move.</summary>
    private Errno Transfer(HostCall call, GuestMemory memory, ulong rights, long? offset, uint nbytes, bool write)
    {
        var errno = fds.Get(call.I32(0), rights, out var fd);
        if (errno != Errno.Success)
        {
            return errno;
        }
        if (fd.Type == FileType.Directory)
        {
            return Errno.IsDir;
        }
        var host = fd.HostFd;
        // A captured stdout or stderr takes every write at once: it never blocks.
        var capture = write && offset is null ? fd.Capture : null;
        IovecStep step = (pointer, length, done) => (write, offset) switch
        {
            _ when capture is not null => Captured(capture, pointer, length),
            (true, null) => LibC.write(host, pointer, length),
            (false, null) => LibC.read(host, pointer, length),
            (true, { } at) => LibC.pwrite(host, pointer, length, at + (long)done),
            (false, { } at) => LibC.pread(host, pointer, length, at + (long)done),
        };
        errno = EachIovec(memory, (uint)call.I32(1), (uint)call.I32(2), MayBlock(fd) && capture is null ? Interruptible(step, host, write) : step, out var total);
        if (errno == Errno.Success)
        {
            memory.SetU32(nbytes, (uint)total);
        }
        return errno;
    }

    private static nint Captured(Action<ReadOnlySpan<byte>> capture, byte* pointer, uint length)
    {
        capture(new ReadOnlySpan<byte>(pointer, (int)length));
        return (nint)length;
    }

    /// <summary>The most one read or write call moves: Linux's own limit per call (MAX_RW_COUNT).</summary>
    private const ulong MaxTransfer = 0x7FFF_F000;

    /// <summary>One read or write of `length` bytes at `buffer`, after `done` bytes of the call; negative on error.</summary>
    private delegate nint IovecStep(byte* buffer, uint length, ulong done);

    /// <summary>Runs `step` over each non-empty buffer of the guest's iovec array (pointer, length pairs) until one moves
    /// fewer bytes than asked. An error or a bad buffer after some bytes moved ends the call with those bytes, as
    /// readv/writev do; a call moves at most MaxTransfer bytes, so the count always fits the guest's u32.</summary>
    private static Errno EachIovec(GuestMemory memory, uint iovs, uint count, IovecStep step, out ulong total)
    {
        total = 0;
        for (var i = 0u; i < count && total < MaxTransfer; i++)
        {
            Span<byte> span;
            try
            {
                var address = memory.U32(iovs + i * 8);
                var length = memory.U32(iovs + i * 8 + 4);
                memory.Check(address, length);
                span = memory.Bytes(address, (uint)Math.Min(length, MaxTransfer - total));
            }
            catch (GuestFault) when (total > 0)
            {
                break;
            }
            if (span.IsEmpty)
            {
                continue;
            }
            nint moved;
            fixed (byte* pointer = span)
            {
                moved = step(pointer, (uint)span.Length, total);
            }
            if (moved < 0)
            {
                return total > 0 ? Errno.Success : Errnos.FromLinux(LibC.Errno);
            }
            total += (ulong)moved;
            if (moved < span.Length)
            {
                break;
            }
        }
        return Errno.Success;
    }

    private Errno FdSeek(HostCall call, GuestMemory memory)
    {
        var whence = call.I32(2);
        var offset = call.I64(1);
        var needed = whence == 1 && offset == 0 ? Rights.FdTell : Rights.FdSeek;
        var errno = fds.Get(call.I32(0), needed, out var fd);
        if (errno != Errno.Success && !(errno == Errno.NotCapable && needed == Rights.FdTell && (fd.RightsBase & Rights.FdSeek) != 0))
        {
            return errno;
        }
        if (whence is < 0 or > 2)
        {
            return Errno.Inval;
        }
        if (fd.Type == FileType.Directory)
        {
            return Errno.BadF;
        }
        var position = LibC.lseek(fd.HostFd, offset, whence switch { 0 => LibC.SeekSet, 1 => LibC.SeekCur, _ => LibC.SeekEnd });
        if (position < 0)
        {
            return Errnos.FromLinux(LibC.Errno);
        }
        memory.SetU64((uint)call.I32(3), (ulong)position);
        return Errno.Success;
    }

    private Errno FdTell(HostCall call, GuestMemory memory)
    {
        var errno = fds.Get(call.I32(0), Rights.FdTell, out var fd);
        if (errno != Errno.Success)
        {
            return errno;
        }
        var position = LibC.lseek(fd.HostFd, 0, LibC.SeekCur);
        if (position < 0)
        {
            return Errnos.FromLinux(LibC.Errno);
        }
        memory.SetU64((uint)call.I32(1), (ulong)position);
        return Errno.Success;
    }

    private Errno Sync(int guestFd, ulong rights, bool data)
    {
        var errno = fds.Get(guestFd, rights, out var fd);
        if (errno != Errno.Success)
        {
            return errno;
        }
        return (data ? LibC.fdatasync(fd.HostFd) : LibC.fsync(fd.HostFd)) == 0 ? Errno.Success : Errnos.FromLinux(LibC.Errno);
    }

    private Errno FdAdvise(HostCall call, GuestMemory memory)
    {
        var errno = fds.Get(call.I32(0), Rights.FdAdvise, out var fd);
        if (errno != Errno.Success)
        {
            return errno;
        }
        // WASI: normal, sequential, random, willneed, dontneed, noreuse; Linux numbers random and sequential the other way.
        var advice = call.I32(3) switch { 0 => 0, 1 => 2, 2 => 1, 3 => 3, 4 => 4, 5 => 5, _ => -1 };
        if (advice < 0 || call.I64(1) < 0 || call.I64(2) < 0)
        {
            return Errno.Inval;
        }
        if (fd.Type == FileType.Directory)
        {
            return Errno.BadF;
        }
        var result = LibC.posix_fadvise(fd.HostFd, call.I64(1), call.I64(2), advice);
        return result == 0 || result == 29 ? Errno.Success : Errnos.FromLinux(result);
    }

    private Errno FdAllocate(HostCall call, GuestMemory memory)
    {
        var errno = fds.Get(call.I32(0), Rights.FdAllocate, out var fd);
        if (errno != Errno.Success)
        {
            return errno;
        }
        if (call.I64(1) < 0 || call.I64(2) <= 0)
        {
            return Errno.Inval;
        }
        if (fd.Type == FileType.Directory)
        {
            return Errno.BadF;
        }
        var result = LibC.posix_fallocate(fd.HostFd, call.I64(1), call.I64(2));
        return result == 0 ? Errno.Success : Errnos.FromLinux(result);
    }

    private Errno FdFdstatGet(HostCall call, GuestMemory memory)
    {
        var errno = fds.Get(call.I32(0), 0, out var fd);
        if (errno != Errno.Success)
        {
            return errno;
        }
        var stat = (uint)call.I32(1);
        memory.Bytes(stat, Layout.FdstatSize).Clear();
        memory.SetU8(stat, (byte)fd.Type);
        memory.SetU16(stat + Layout.FdstatFlags, CurrentFlags(fd));
        memory.SetU64(stat + Layout.FdstatRightsBase, fd.RightsBase);
        memory.SetU64(stat + Layout.FdstatRightsInheriting, fd.RightsInheriting);
        return Errno.Success;
    }

    /// <summary>The fd's flags as the host has them (append, nonblock, the sync flags).</summary>
    private static ushort CurrentFlags(WasiFd fd)
    {
        var host = LibC.fcntl(fd.HostFd, LibC.FGetFl, 0);
        if (host < 0)
        {
            return fd.Flags;
        }
        ushort flags = 0;
        flags |= (host & LibC.OAppend) != 0 ? FdFlags.Append : (ushort)0;
        flags |= (host & LibC.ONonBlock) != 0 ? FdFlags.NonBlock : (ushort)0;
        flags |= (host & LibC.OSync) == LibC.OSync ? (ushort)(FdFlags.Sync | FdFlags.RSync) : (ushort)0;
        flags |= (host & LibC.ODSync) != 0 && (host & LibC.OSync) != LibC.OSync ? FdFlags.DSync : (ushort)0;
        return flags;
    }

    private Errno FdFdstatSetFlags(HostCall call, GuestMemory memory)
    {
        var errno = fds.Get(call.I32(0), Rights.FdFdstatSetFlags, out var fd);
        if (errno != Errno.Success)
        {
            return errno;
        }
        var flags = (ushort)call.I32(1);
        if ((flags & (FdFlags.DSync | FdFlags.RSync | FdFlags.Sync)) != 0)
        {
            // Linux cannot turn synchronous writes on for an open file: say so rather than pretend.
            return Errno.NotSup;
        }
        var host = LibC.fcntl(fd.HostFd, LibC.FGetFl, 0);
        if (host < 0)
        {
            return Errnos.FromLinux(LibC.Errno);
        }
        host &= ~(LibC.OAppend | LibC.ONonBlock);
        host |= (flags & FdFlags.Append) != 0 ? LibC.OAppend : 0;
        host |= (flags & FdFlags.NonBlock) != 0 ? LibC.ONonBlock : 0;
        if (LibC.fcntl(fd.HostFd, LibC.FSetFl, host) != 0)
        {
            return Errnos.FromLinux(LibC.Errno);
        }
        fd.Flags = flags;
        return Errno.Success;
    }

    /// <summary>Rights can only be dropped, never gained back.</summary>
    private Errno FdFdstatSetRights(HostCall call, GuestMemory memory)
    {
        var errno = fds.Get(call.I32(0), 0, out var fd);
        if (errno != Errno.Success)
        {
            return errno;
        }
        ulong rightsBase = (ulong)call.I64(1), inheriting = (ulong)call.I64(2);
        if ((rightsBase & ~fd.RightsBase) != 0 || (inheriting & ~fd.RightsInheriting) != 0)
        {
            return Errno.NotCapable;
        }
        fd.RightsBase = rightsBase;
        fd.RightsInheriting = inheriting;
        return Errno.Success;
    }

    private Errno FdFilestatGet(HostCall call, GuestMemory memory)
    {
        var errno = fds.Get(call.I32(0), Rights.FdFilestatGet, out var fd);
        if (errno != Errno.Success)
        {
            return errno;
        }
        LibC.Statx stat;
        if (LibC.statx(fd.HostFd, Empty, LibC.AtEmptyPath, LibC.StatxBasicStats, &stat) != 0)
        {
            return Errnos.FromLinux(LibC.Errno);
        }
        WriteFilestat(memory, (uint)call.I32(1), stat);
        return Errno.Success;
    }

    private static void WriteFilestat(GuestMemory memory, uint address, in LibC.Statx stat)
    {
        memory.Bytes(address, Layout.FilestatSize).Clear();
        memory.SetU64(address, ((ulong)stat.DevMajor << 32) | stat.DevMinor);
        memory.SetU64(address + Layout.FilestatIno, stat.Inode);
        memory.SetU8(address + Layout.FilestatType, (byte)TypeOf(stat.Mode));
        memory.SetU64(address + Layout.FilestatNlink, stat.Links);
        memory.SetU64(address + Layout.FilestatSize_, stat.Size);
        memory.SetU64(address + Layout.FilestatAtim, Nanoseconds(stat.Accessed));
        memory.SetU64(address + Layout.FilestatMtim, Nanoseconds(stat.Modified));
        memory.SetU64(address + Layout.FilestatCtim, Nanoseconds(stat.Changed));
    }

    private static ulong Nanoseconds(LibC.StatxTimestamp time) => (ulong)(time.Seconds * 1_000_000_000 + time.Nanoseconds);

    private Errno FdFilestatSetSize(HostCall call, GuestMemory memory)
    {
        var errno = fds.Get(call.I32(0), Rights.FdFilestatSetSize, out var fd);
        if (errno != Errno.Success)
        {
            return errno;
        }
        if (call.I64(1) < 0)
        {
            return Errno.Inval;
        }
        return LibC.ftruncate(fd.HostFd, call.I64(1)) == 0 ? Errno.Success : Errnos.FromLinux(LibC.Errno);
    }

    private Errno FdFilestatSetTimes(HostCall call, GuestMemory memory)
    {
        var errno = fds.Get(call.I32(0), Rights.FdFilestatSetTimes, out var fd);
        if (errno != Errno.Success)
        {
            return errno;
        }
        if (!Times((ulong)call.I64(1), (ulong)call.I64(2), (ushort)call.I32(3), out var access, out var modify))
        {
            return Errno.Inval;
        }
        var times = stackalloc LibC.Timespec[2] { access, modify };
        // futimens needs a file opened for writing; the magic link works for any fd, as wasmtime does with cap-std.
        var path = LibC.Utf8($"/proc/self/fd/{fd.HostFd}");
        fixed (byte* p = path)
        {
            return LibC.utimensat(LibC.AtFdCwd, p, times, 0) == 0 ? Errno.Success : Errnos.FromLinux(LibC.Errno);
        }
    }

    /// <summary>The two timespecs of utimensat from WASI's times and fstflags; false for contradicting flags.</summary>
    private static bool Times(ulong accessed, ulong modified, ushort flags, out LibC.Timespec access, out LibC.Timespec modify)
    {
        access = modify = default;
        if ((flags & ~(FstFlags.Atim | FstFlags.AtimNow | FstFlags.Mtim | FstFlags.MtimNow)) != 0
            || (flags & (FstFlags.Atim | FstFlags.AtimNow)) == (FstFlags.Atim | FstFlags.AtimNow)
            || (flags & (FstFlags.Mtim | FstFlags.MtimNow)) == (FstFlags.Mtim | FstFlags.MtimNow))
        {
            return false;
        }
        access = Time(accessed, (flags & FstFlags.Atim) != 0, (flags & FstFlags.AtimNow) != 0);
        modify = Time(modified, (flags & FstFlags.Mtim) != 0, (flags & FstFlags.MtimNow) != 0);
        return true;
    }

    private static LibC.Timespec Time(ulong nanoseconds, bool set, bool now) => now
        ? new LibC.Timespec { Nanoseconds = LibC.UtimeNow }
        : set
            ? new LibC.Timespec { Seconds = (long)(nanoseconds / 1_000_000_000), Nanoseconds = (long)(nanoseconds % 1_000_000_000) }
            : new LibC.Timespec { Nanoseconds = LibC.UtimeOmit };

    private Errno FdPrestatGet(HostCall call, GuestMemory memory)
    {
        var errno = fds.Get(call.I32(0), 0, out var fd);
        if (errno != Errno.Success)
        {
            return errno;
        }
        if (fd.PreopenName is null)
        {
            return Errno.BadF;
        }
        var address = (uint)call.I32(1);
        memory.SetU32(address, 0);
        memory.SetU32(address + 4, (uint)System.Text.Encoding.UTF8.GetByteCount(fd.PreopenName));
        return Errno.Success;
    }

    private Errno FdPrestatDirName(HostCall call, GuestMemory memory)
    {
        var errno = fds.Get(call.I32(0), 0, out var fd);
        if (errno != Errno.Success)
        {
            return errno;
        }
        if (fd.PreopenName is null)
        {
            return Errno.BadF;
        }
        var name = System.Text.Encoding.UTF8.GetBytes(fd.PreopenName);
        var length = (uint)call.I32(2);
        if (length < name.Length)
        {
            return Errno.NameTooLong;
        }
        name.CopyTo(memory.Bytes((uint)call.I32(1), (uint)name.Length));
        return Errno.Success;
    }

    /// <summary>fd_readdir: dirents from position `cookie` (entries are numbered from 0 in the host's order, "." and
    /// ".." included) until the buffer is full; a full buffer tells the guest to call again.</summary>
    private Errno FdReaddir(HostCall call, GuestMemory memory)
    {
        var errno = fds.Get(call.I32(0), Rights.FdReaddir, out var fd);
        if (errno != Errno.Success)
        {
            return errno;
        }
        if (fd.Type != FileType.Directory)
        {
            return Errno.NotDir;
        }
        var entries = ReadDirectory(fd.HostFd, out errno);
        if (errno != Errno.Success)
        {
            return errno;
        }
        uint buffer = (uint)call.I32(1), size = (uint)call.I32(2), used = 0;
        var cookie = (ulong)call.I64(3);
        var header = new byte[Layout.DirentSize];
        for (var i = cookie; i < (ulong)entries.Count && used < size; i++)
        {
            var (name, inode, type) = entries[(int)i];
            Array.Clear(header);
            BitConverter.TryWriteBytes(header.AsSpan(0), i + 1);
            BitConverter.TryWriteBytes(header.AsSpan(Layout.DirentIno), inode);
            BitConverter.TryWriteBytes(header.AsSpan(Layout.DirentNamlen), (uint)name.Length);
            header[Layout.DirentType] = (byte)type;
            foreach (var part in new[] { header, name })
            {
                var take = (uint)Math.Min(part.Length, size - used);
                part.AsSpan(0, (int)take).CopyTo(memory.Bytes(buffer + used, take));
                used += take;
            }
        }
        memory.SetU32((uint)call.I32(4), used);
        return Errno.Success;
    }

    private static List<(byte[] Name, ulong Inode, FileType Type)> ReadDirectory(int hostFd, out Errno errno)
    {
        var entries = new List<(byte[], ulong, FileType)>();
        errno = Errno.Success;
        if (LibC.lseek(hostFd, 0, LibC.SeekSet) < 0)
        {
            errno = Errnos.FromLinux(LibC.Errno);
            return entries;
        }
        var buffer = new byte[32 * 1024];
        fixed (byte* start = buffer)
        {
            while (true)
            {
                var read = LibC.GetDents64(hostFd, start, buffer.Length);
                if (read < 0)
                {
                    errno = Errnos.FromLinux(LibC.Errno);
                    return entries;
                }
                if (read == 0)
                {
                    return entries;
                }
                // struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, char name[].
                for (var offset = 0; offset < read;)
                {
                    var record = start + offset;
                    var inode = *(ulong*)record;
                    var length = *(ushort*)(record + 16);
                    var type = record[18] switch { 1 => FileType.Unknown, 2 => FileType.CharacterDevice, 4 => FileType.Directory, 6 => FileType.BlockDevice, 8 => FileType.RegularFile, 10 => FileType.SymbolicLink, 12 => FileType.SocketStream, _ => FileType.Unknown };
                    var name = new ReadOnlySpan<byte>(record + 19, length - 19);
                    entries.Add((name[..name.IndexOf((byte)0)].ToArray(), inode, type));
                    offset += length;
                }
            }
        }
    }
}
