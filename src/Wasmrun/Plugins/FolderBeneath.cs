// Writes, new folders and removals beneath one folder a plugin may write, through a descriptor of that folder: on
// Linux every path is resolved by the kernel with openat2(RESOLVE_BENEATH), as the WASI layer does, and removals act
// on a descriptor of the entry's own folder. The sandbox checks a path before, but a program the plugin runs can swap
// a folder for a symlink between that check and the write; the kernel refuses to follow it out. Elsewhere the checked
// path is used by name.
using Microsoft.Win32.SafeHandles;
using Wasmrun.Wasi.Posix;

namespace Wasmrun.Plugins;

internal sealed class FolderBeneath : IDisposable
{
    private readonly string folder;
    private readonly int fd = -1;

    /// <param name="folder">A folder the plugin may write, symlinks resolved (SandboxScope.Writable).</param>
    public FolderBeneath(string folder)
    {
        this.folder = folder;
        // A program the plugin ran may have removed it; the build made it, and makes it again.
        Directory.CreateDirectory(folder);
        if (OperatingSystem.IsLinux())
        {
            fd = LibC.openat(LibC.AtFdCwd, folder, LibC.OPath | LibC.ODirectory | LibC.ONoFollow | LibC.OCloExec, 0);
            if (fd < 0)
            {
                throw Failed(folder, LibC.Errno);
            }
        }
    }

    /// <summary>Writes a file (replacing it), creating the folders above it.</summary>
    /// <param name="relative">The file, relative to the folder ('/'-separated, no '..').</param>
    /// <param name="content">What to write, read to its end.</param>
    /// <param name="mode">Permissions for a new file (a copy keeps its source's).</param>
    public void Write(string relative, Stream content, UnixFileMode mode = (UnixFileMode)0x1B6)
    {
        CreateParents(relative);
        if (!OperatingSystem.IsLinux())
        {
            using var named = new FileStream(Path.Join(folder, relative), FileMode.Create, FileAccess.Write);
            content.CopyTo(named);
            return;
        }
        var file = Open(relative, LibC.OWrOnly | LibC.OCreat | LibC.OTrunc, (uint)mode);
        using var stream = new FileStream(new SafeFileHandle(file, ownsHandle: true), FileAccess.Write);
        content.CopyTo(stream);
    }

    /// <summary>Creates a folder and the folders above it.</summary>
    public void CreateDirectory(string relative)
    {
        CreateParents(relative + "/.");
    }

    /// <summary>Deletes a file, a link (not what it points to) or a folder with everything in it; nothing if the
    /// entry does not exist.</summary>
    public void Delete(string relative)
    {
        var full = Path.Join(folder, relative);
        if (!OperatingSystem.IsLinux())
        {
            if (Directory.Exists(full) && new DirectoryInfo(full).LinkTarget is null)
            {
                Directory.Delete(full, recursive: true);
            }
            else if (File.Exists(full) || new FileInfo(full).LinkTarget is not null)
            {
                File.Delete(full);
            }
            return;
        }
        var (parentPath, name) = Split(relative);
        var parent = parentPath.Length == 0 ? LibC.dup(fd) : Open(parentPath, LibC.OPath | LibC.ODirectory, 0);
        try
        {
            if (IsDirectory(parent, name) is not { } directory)
            {
                return;
            }
            if (directory)
            {
                DeleteTree(parent, name, full);
            }
            else if (UnlinkAt(parent, name, 0) is var errno and not 0 and not LibC.ENoEnt)
            {
                throw Failed(full, errno);
            }
        }
        finally
        {
            LibC.close(parent);
        }
    }

    public void Dispose()
    {
        if (fd >= 0)
        {
            LibC.close(fd);
        }
    }

    /// <summary>Creates every folder above the last segment that does not exist yet, each inside its parent as the
    /// kernel resolves it beneath the folder.</summary>
    private void CreateParents(string relative)
    {
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (parts[i] == ".")
            {
                continue;
            }
            var path = string.Join('/', parts[..(i + 1)]);
            if (!OperatingSystem.IsLinux())
            {
                Directory.CreateDirectory(Path.Join(folder, path));
                continue;
            }
            var parent = i == 0 ? LibC.dup(fd) : Open(string.Join('/', parts[..i]), LibC.OPath | LibC.ODirectory, 0);
            try
            {
                if (MkdirAt(parent, parts[i]) is var errno and not 0 and not LibC.EExist)
                {
                    throw Failed(Path.Join(folder, path), errno);
                }
            }
            finally
            {
                LibC.close(parent);
            }
        }
    }

    /// <summary>Removes a folder's tree depth first with an explicit stack of open folders: every entry is removed
    /// through its own folder's descriptor, and a folder is entered only if it is not a link (O_NOFOLLOW).</summary>
    private void DeleteTree(int parent, string name, string full)
    {
        var open = new Stack<(int Parent, string Name, int Fd, Queue<string> Entries)>();
        Enter(parent, name);
        while (open.TryPeek(out var top))
        {
            if (!top.Entries.TryDequeue(out var entry))
            {
                open.Pop();
                LibC.close(top.Fd);
                if (UnlinkAt(top.Parent, top.Name, LibC.AtRemoveDir) is var errno and not 0 and not LibC.ENoEnt)
                {
                    throw Failed(full, errno);
                }
                continue;
            }
            if (IsDirectory(top.Fd, entry) == true)
            {
                Enter(top.Fd, entry);
            }
            else if (UnlinkAt(top.Fd, entry, 0) is var errno and not 0 and not LibC.ENoEnt)
            {
                throw Failed(full, errno);
            }
        }

        void Enter(int at, string entry)
        {
            var opened = LibC.openat(at, entry, LibC.ORdOnly | LibC.ODirectory | LibC.ONoFollow | LibC.OCloExec, 0);
            if (opened < 0)
            {
                var errno = LibC.Errno;
                while (open.TryPop(out var frame))
                {
                    LibC.close(frame.Fd);
                }
                throw Failed(full, errno);
            }
            // The folder's names, read through the descriptor (/proc/self/fd/N is the folder it holds, wherever it is now).
            var names = new Queue<string>(Directory.EnumerateFileSystemEntries($"/proc/self/fd/{opened}").Select(entry => Path.GetFileName(entry)));
            open.Push((at, entry, opened, names));
        }
    }

    /// <summary>openat2 beneath the folder; a rename racing the lookup (EAGAIN) is retried.</summary>
    private int Open(string relative, int flags, uint mode)
    {
        for (var attempt = 0; ; attempt++)
        {
            var opened = LibC.OpenBeneath(fd, relative, flags, mode, followFinalSymlink: true);
            if (opened >= 0)
            {
                return opened;
            }
            if (LibC.Errno is not LibC.EAgain || attempt == 16)
            {
                throw Failed(Path.Join(folder, relative), LibC.Errno);
            }
        }
    }

    private Exception Failed(string path, int errno) => errno == LibC.EXDev
        ? new SandboxRuleBroken($"{path} leads outside {folder} through a symbolic link")
        : new IOException($"{path}: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}");

    private static (string Parent, string Name) Split(string relative)
    {
        var slash = relative.LastIndexOf('/');
        return slash < 0 ? ("", relative) : (relative[..slash], relative[(slash + 1)..]);
    }

    /// <summary>True for a folder, false for anything else (a link included), null when nothing is there.</summary>
    private static unsafe bool? IsDirectory(int at, string name)
    {
        var bytes = LibC.Utf8(name);
        LibC.Statx stat;
        fixed (byte* path = bytes)
        {
            if (LibC.statx(at, path, LibC.AtSymlinkNoFollow, LibC.StatxBasicStats, &stat) != 0)
            {
                return LibC.Errno == LibC.ENoEnt ? null : false;
            }
        }
        return (stat.Mode & LibC.SIfMt) == LibC.SIfDir;
    }

    private static unsafe int MkdirAt(int at, string name)
    {
        var bytes = LibC.Utf8(name);
        fixed (byte* path = bytes)
        {
            return LibC.mkdirat(at, path, 0x1FF) == 0 ? 0 : LibC.Errno;
        }
    }

    private static unsafe int UnlinkAt(int at, string name, int flags)
    {
        var bytes = LibC.Utf8(name);
        fixed (byte* path = bytes)
        {
            return LibC.unlinkat(at, path, flags) == 0 ? 0 : LibC.Errno;
        }
    }
}
