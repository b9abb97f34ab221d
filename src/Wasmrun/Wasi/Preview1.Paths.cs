// wasi_snapshot_preview1 path_* functions. Every path is resolved by the kernel beneath the guest's directory fd
// (openat2 RESOLVE_BENEATH): "..", absolute paths and symlinks that lead out fail with ENOTCAPABLE, atomically, and
// an operation on a path's last component acts on its parent directory opened that way, so no race leads out.
using Wasmrun.Engine.Runtime;
using Wasmrun.Wasi.Posix;

namespace Wasmrun.Wasi;

internal sealed unsafe partial class Preview1
{
    private const int LookupSymlinkFollow = 1;

    /// <summary>A path's parent directory, opened beneath the guest's directory, and its last component (trailing
    /// slashes kept, so the kernel applies their meaning).</summary>
    private readonly struct Parent(int fd, bool owned, byte[] name) : IDisposable
    {
        public int Fd { get; } = fd;

        /// <summary>The last component, NUL-terminated UTF-8.</summary>
        public byte[] Name { get; } = name;

        public void Dispose()
        {
            if (owned)
            {
                LibC.close(Fd);
            }
        }
    }

    private Errno Directory(HostCall call, GuestMemory memory, int fdArgument, ulong rights, int pathArgument, out WasiFd dir, out string path)
    {
        path = "";
        var errno = fds.Get(call.I32(fdArgument), rights, out dir);
        if (errno != Errno.Success)
        {
            return errno;
        }
        if (dir.Type != FileType.Directory)
        {
            return Errno.NotDir;
        }
        var text = memory.Utf8((uint)call.I32(pathArgument), (uint)call.I32(pathArgument + 1));
        if (text is null)
        {
            return Errno.IlSeq;
        }
        path = text;
        return text.Contains('\0', StringComparison.Ordinal) ? Errno.Inval : Errno.Success;
    }

    private static Errno OpenParent(WasiFd dir, string path, out Parent parent)
    {
        parent = default;
        if (path.Length == 0)
        {
            return Errno.NoEnt;
        }
        if (path.StartsWith('/'))
        {
            return Errno.NotCapable;
        }
        var trimmed = path.TrimEnd('/');
        var cut = trimmed.LastIndexOf('/');
        var last = path[(cut + 1)..];
        var directory = cut < 0 ? "" : trimmed[..cut];
        if (last.TrimEnd('/') is "." or "..")
        {
            // "a/.." names a directory by its own path: open all of it, and act on "." inside.
            directory = trimmed;
            last = ".";
        }
        if (directory.Length == 0)
        {
            parent = new Parent(dir.HostFd, false, LibC.Utf8(last));
            return Errno.Success;
        }
        var fd = LibC.OpenBeneath(dir.HostFd, directory, LibC.OPath | LibC.ODirectory, 0, followFinalSymlink: true);
        if (fd < 0)
        {
            return Errnos.FromLinux(LibC.Errno);
        }
        parent = new Parent(fd, true, LibC.Utf8(last));
        return Errno.Success;
    }

    /// <summary>Opens the whole path beneath the directory as an O_PATH handle, following symlinks that stay inside.</summary>
    private static Errno OpenFollowing(WasiFd dir, string path, out int fd)
    {
        fd = -1;
        if (path.Length == 0)
        {
            return Errno.NoEnt;
        }
        fd = LibC.OpenBeneath(dir.HostFd, path, LibC.OPath, 0, followFinalSymlink: true);
        return fd < 0 ? Errnos.FromLinux(LibC.Errno) : Errno.Success;
    }

    private static byte[] ProcPath(int fd) => LibC.Utf8($"/proc/self/fd/{fd}");

    private static Errno Result(int result) => result == 0 ? Errno.Success : Errnos.FromLinux(LibC.Errno);

    private Errno PathOpen(HostCall call, GuestMemory memory)
    {
        var oflags = (ushort)call.I32(4);
        var rights = Rights.PathOpen | ((oflags & OFlags.Creat) != 0 ? Rights.PathCreateFile : 0) | ((oflags & OFlags.Trunc) != 0 ? Rights.PathFilestatSetSize : 0);
        var errno = Directory(call, memory, 0, rights, 2, out var dir, out var path);
        if (errno != Errno.Success)
        {
            return errno;
        }
        ulong requestedBase = (ulong)call.I64(5), requestedInheriting = (ulong)call.I64(6);
        var fdflags = (ushort)call.I32(7);
        var wantsDirectory = (oflags & OFlags.Directory) != 0;
        var read = (requestedBase & (Rights.FdRead | Rights.FdReaddir)) != 0;
        // Only fd_write (or append, or truncation) makes the open a write: programs ask for more rights than they use
        // (Go's read-only open asks for fd_filestat_set_size and fd_allocate), and opening those read-write would
        // fail on a read-only preopen or an immutable file. wasmtime and node decide the same way.
        var write = (requestedBase & Rights.FdWrite) != 0 || (fdflags & FdFlags.Append) != 0 || (oflags & OFlags.Trunc) != 0;
        if (write && (dir.RightsInheriting & Rights.FdWrite) == 0)
        {
            return Errno.NotCapable;
        }
        // A directory opened for writing fails with EISDIR from the kernel, as POSIX says.
        var flags = (write ? (read || wantsDirectory ? LibC.ORdWr : LibC.OWrOnly) : LibC.ORdOnly) | (wantsDirectory ? LibC.ODirectory : 0);
        flags |= (oflags & OFlags.Creat) != 0 ? LibC.OCreat : 0;
        flags |= (oflags & OFlags.Excl) != 0 ? LibC.OExcl : 0;
        flags |= (oflags & OFlags.Trunc) != 0 ? LibC.OTrunc : 0;
        flags |= (fdflags & FdFlags.Append) != 0 ? LibC.OAppend : 0;
        flags |= (fdflags & FdFlags.NonBlock) != 0 ? LibC.ONonBlock : 0;
        flags |= (fdflags & FdFlags.DSync) != 0 ? LibC.ODSync : 0;
        flags |= (fdflags & (FdFlags.Sync | FdFlags.RSync)) != 0 ? LibC.OSync : 0;
        if (!fds.HasRoom)
        {
            return Errno.MFile;
        }
        var follow = (call.I32(1) & LookupSymlinkFollow) != 0;
        var hostFd = LibC.OpenBeneath(dir.HostFd, path, flags | LibC.ONoCtty, 0x1B6, follow);
        if (hostFd < 0)
        {
            return Errnos.FromLinux(LibC.Errno);
        }
        var type = TypeOf(hostFd);
        var allowed = type == FileType.Directory ? Rights.Directory : Rights.File;
        var fd = new WasiFd
        {
            HostFd = hostFd,
            Type = type,
            RightsBase = requestedBase & dir.RightsInheriting & allowed,
            RightsInheriting = requestedInheriting & dir.RightsInheriting,
            Flags = fdflags,
        };
        memory.SetU32((uint)call.I32(8), (uint)fds.Add(fd));
        return Errno.Success;
    }

    private Errno PathCreateDirectory(HostCall call, GuestMemory memory) =>
        OnLastComponent(call, memory, 0, Rights.PathCreateDirectory, 1, parent =>
        {
            fixed (byte* name = parent.Name)
            {
                return Result(LibC.mkdirat(parent.Fd, name, 0x1FF));
            }
        });

    private Errno PathRemoveDirectory(HostCall call, GuestMemory memory) =>
        OnLastComponent(call, memory, 0, Rights.PathRemoveDirectory, 1, parent =>
        {
            fixed (byte* name = parent.Name)
            {
                return Result(LibC.unlinkat(parent.Fd, name, LibC.AtRemoveDir));
            }
        });

    private Errno PathUnlinkFile(HostCall call, GuestMemory memory) =>
        OnLastComponent(call, memory, 0, Rights.PathUnlinkFile, 1, parent =>
        {
            fixed (byte* name = parent.Name)
            {
                return Result(LibC.unlinkat(parent.Fd, name, 0));
            }
        });

    private Errno PathReadlink(HostCall call, GuestMemory memory)
    {
        var errno = Directory(call, memory, 0, Rights.PathReadlink, 1, out var dir, out var path);
        if (errno != Errno.Success || (errno = OpenParent(dir, path, out var parent)) != Errno.Success)
        {
            return errno;
        }
        var target = new byte[4096];
        nint length;
        using (parent)
        {
            fixed (byte* name = parent.Name, buffer = target)
            {
                length = LibC.readlinkat(parent.Fd, name, buffer, (nuint)target.Length);
            }
        }
        if (length < 0)
        {
            return Errnos.FromLinux(LibC.Errno);
        }
        if (length > 0 && target[0] == (byte)'/')
        {
            // An absolute target names a host path: it could only lead out, and the guest is not told where.
            return Errno.NotCapable;
        }
        // A target longer than the guest's buffer is cut, as readlink(2) does.
        var copied = (uint)Math.Min(length, (uint)call.I32(4));
        target.AsSpan(0, (int)copied).CopyTo(memory.Bytes((uint)call.I32(3), copied));
        memory.SetU32((uint)call.I32(5), copied);
        return Errno.Success;
    }

    private Errno PathFilestatGet(HostCall call, GuestMemory memory)
    {
        var errno = Directory(call, memory, 0, Rights.PathFilestatGet, 2, out var dir, out var path);
        if (errno != Errno.Success)
        {
            return errno;
        }
        LibC.Statx stat;
        if ((call.I32(1) & LookupSymlinkFollow) != 0)
        {
            if ((errno = OpenFollowing(dir, path, out var fd)) != Errno.Success)
            {
                return errno;
            }
            var result = LibC.statx(fd, Empty, LibC.AtEmptyPath, LibC.StatxBasicStats, &stat);
            LibC.close(fd);
            if (result != 0)
            {
                return Errnos.FromLinux(LibC.Errno);
            }
        }
        else
        {
            if ((errno = OpenParent(dir, path, out var parent)) != Errno.Success)
            {
                return errno;
            }
            using (parent)
            {
                fixed (byte* name = parent.Name)
                {
                    if (LibC.statx(parent.Fd, name, LibC.AtSymlinkNoFollow, LibC.StatxBasicStats, &stat) != 0)
                    {
                        return Errnos.FromLinux(LibC.Errno);
                    }
                }
            }
        }
        WriteFilestat(memory, (uint)call.I32(4), stat);
        return Errno.Success;
    }

    private Errno PathFilestatSetTimes(HostCall call, GuestMemory memory)
    {
        var errno = Directory(call, memory, 0, Rights.PathFilestatSetTimes, 2, out var dir, out var path);
        if (errno != Errno.Success)
        {
            return errno;
        }
        if (!Times((ulong)call.I64(4), (ulong)call.I64(5), (ushort)call.I32(6), out var access, out var modify))
        {
            return Errno.Inval;
        }
        var times = stackalloc LibC.Timespec[2] { access, modify };
        if ((call.I32(1) & LookupSymlinkFollow) != 0)
        {
            if ((errno = OpenFollowing(dir, path, out var fd)) != Errno.Success)
            {
                return errno;
            }
            fixed (byte* proc = ProcPath(fd))
            {
                errno = Result(LibC.utimensat(LibC.AtFdCwd, proc, times, 0));
            }
            LibC.close(fd);
            return errno;
        }
        if ((errno = OpenParent(dir, path, out var parent)) != Errno.Success)
        {
            return errno;
        }
        using (parent)
        {
            fixed (byte* name = parent.Name)
            {
                return Result(LibC.utimensat(parent.Fd, name, times, LibC.AtSymlinkNoFollow));
            }
        }
    }

    /// <summary>path_symlink: the link's target is the guest's text; an absolute target could only ever lead out
    /// of the sandbox, so it is refused.</summary>
    private Errno PathSymlink(HostCall call, GuestMemory memory)
    {
        var target = memory.Utf8((uint)call.I32(0), (uint)call.I32(1));
        if (target is null)
        {
            return Errno.IlSeq;
        }
        if (target.StartsWith('/'))
        {
            return Errno.NotCapable;
        }
        return OnLastComponent(call, memory, 2, Rights.PathSymlink, 3, parent =>
        {
            fixed (byte* link = LibC.Utf8(target), name = parent.Name)
            {
                return Result(LibC.symlinkat(link, parent.Fd, name));
            }
        });
    }

    private Errno PathLink(HostCall call, GuestMemory memory)
    {
        var errno = Directory(call, memory, 0, Rights.PathLinkSource, 2, out var sourceDir, out var sourcePath);
        if (errno != Errno.Success || (errno = Directory(call, memory, 4, Rights.PathLinkTarget, 5, out var targetDir, out var targetPath)) != Errno.Success)
        {
            return errno;
        }
        if ((errno = OpenParent(targetDir, targetPath, out var target)) != Errno.Success)
        {
            return errno;
        }
        using (target)
        {
            if ((call.I32(1) & LookupSymlinkFollow) != 0)
            {
                // Never linkat(AT_SYMLINK_FOLLOW) on the guest's path: the symlink could lead out. Open what it names
                // beneath the directory, then link that very file through its /proc magic link.
                if ((errno = OpenFollowing(sourceDir, sourcePath, out var fd)) != Errno.Success)
                {
                    return errno;
                }
                fixed (byte* proc = ProcPath(fd), name = target.Name)
                {
                    errno = Result(LibC.linkat(LibC.AtFdCwd, proc, target.Fd, name, LibC.AtSymlinkFollow));
                }
                LibC.close(fd);
                return errno;
            }
            if ((errno = OpenParent(sourceDir, sourcePath, out var source)) != Errno.Success)
            {
                return errno;
            }
            using (source)
            {
                fixed (byte* from = source.Name, to = target.Name)
                {
                    return Result(LibC.linkat(source.Fd, from, target.Fd, to, 0));
                }
            }
        }
    }

    private Errno PathRename(HostCall call, GuestMemory memory)
    {
        var errno = Directory(call, memory, 0, Rights.PathRenameSource, 1, out var sourceDir, out var sourcePath);
        if (errno != Errno.Success || (errno = Directory(call, memory, 3, Rights.PathRenameTarget, 4, out var targetDir, out var targetPath)) != Errno.Success)
        {
            return errno;
        }
        if ((errno = OpenParent(sourceDir, sourcePath, out var source)) != Errno.Success)
        {
            return errno;
        }
        using (source)
        {
            if ((errno = OpenParent(targetDir, targetPath, out var target)) != Errno.Success)
            {
                return errno;
            }
            using (target)
            {
                fixed (byte* from = source.Name, to = target.Name)
                {
                    return Result(LibC.renameat(source.Fd, from, target.Fd, to));
                }
            }
        }
    }

    private delegate Errno ParentAction(Parent parent);

    private Errno OnLastComponent(HostCall call, GuestMemory memory, int fdArgument, ulong rights, int pathArgument, ParentAction action)
    {
        var errno = Directory(call, memory, fdArgument, rights, pathArgument, out var dir, out var path);
        if (errno != Errno.Success || (errno = OpenParent(dir, path, out var parent)) != Errno.Success)
        {
            return errno;
        }
        using (parent)
        {
            return action(parent);
        }
    }
}
