// The OS page's file browser: the processes' file system (their mounts: /app, /tmp, a runtime's files), by guest
// path. A path is split into its mount and the rest, which the kernel resolves beneath the mount's folder (openat2
// RESOLVE_BENEATH, as the WASI layer does for the processes): "..", absolute paths and symlinks that lead out of the
// mount are refused, atomically. Uploads go into writable mounts only, capped in size, through a temporary file in
// the target's folder renamed into place, so a half-sent upload never replaces a file.
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Win32.SafeHandles;
using Wasmrun.Cli;
using Wasmrun.Wasi;
using Wasmrun.Wasi.Posix;

namespace Wasmrun.Server;

/// <summary>A file request refused: the HTTP status and the sentence the page shows.</summary>
internal sealed class OsFileException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

internal sealed class OsFiles
{
    /// <summary>The largest upload taken.</summary>
    public const long UploadCap = 64L << 20;

    private const int EAcces = 13, ENotDir = 20, EIsDir = 21, ELoop = 40;

    private readonly Lock gate = new();
    private readonly List<Preopen> mounts = [];

    public OsFiles(IEnumerable<Preopen> mounts) => Add(mounts);

    /// <summary>The mounts, by guest path.</summary>
    public IReadOnlyList<Preopen> Mounts
    {
        get
        {
            lock (gate)
            {
                return [.. mounts];
            }
        }
    }

    /// <summary>Adds the mounts of a process (a command's runtime files); the first mount of a guest path stays.</summary>
    public void Add(IEnumerable<Preopen> more)
    {
        lock (gate)
        {
            foreach (var mount in more)
            {
                if (!mounts.Any(m => m.GuestPath == mount.GuestPath))
                {
                    mounts.Add(mount);
                }
            }
            mounts.Sort((a, b) => string.CompareOrdinal(a.GuestPath, b.GuestPath));
        }
    }

    /// <summary>A folder's entries; "/" lists the mounts.</summary>
    public OsDirectory List(string path)
    {
        var segments = Segments(path);
        if (segments.Count == 0)
        {
            return new OsDirectory("/", false, [.. Mounts.Select(m => new OsFileEntry(m.GuestPath.TrimStart('/'), OsFileKind.Directory, 0, Directory.GetLastWriteTimeUtc(m.HostPath)))]);
        }
        var (mount, relative, shown) = Resolve(segments);
        using var folder = Open(mount, relative, shown, LibC.ORdOnly | LibC.ODirectory, follow: true);
        var entries = new List<OsFileEntry>();
        // The folder as the kernel opened it, beneath the mount: its entries are read through the fd, not a host path.
        foreach (var entry in new DirectoryInfo($"/proc/self/fd/{folder.DangerousGetHandle()}").EnumerateFileSystemInfos())
        {
            var kind = entry.LinkTarget is not null ? OsFileKind.Symlink
                : entry is DirectoryInfo ? OsFileKind.Directory
                : entry.Attributes.HasFlag(FileAttributes.Device) ? OsFileKind.Other
                : OsFileKind.File;
            entries.Add(new OsFileEntry(entry.Name, kind, entry is FileInfo file && kind == OsFileKind.File ? file.Length : 0, entry.LastWriteTimeUtc));
        }
        entries.Sort((a, b) => a.Kind == b.Kind || (a.Kind != OsFileKind.Directory && b.Kind != OsFileKind.Directory)
            ? string.CompareOrdinal(a.Name, b.Name)
            : a.Kind == OsFileKind.Directory ? -1 : 1);
        return new OsDirectory(shown, !mount.ReadOnly, [.. entries]);
    }

    /// <summary>Sends a file: as text/plain to view (never as a page of this origin), or as an attachment.</summary>
    public async Task SendAsync(HttpResponse response, string path, bool download)
    {
        var (mount, relative, shown) = Resolve(Segments(path));
        using var handle = Open(mount, relative, shown, LibC.ORdOnly | LibC.ONonBlock, follow: true);
        var (mode, size) = Stat(handle);
        if (mode == LibC.SIfDir)
        {
            throw new OsFileException(StatusCodes.Status400BadRequest, $"{shown} is a folder: list it instead");
        }
        if (mode != LibC.SIfReg)
        {
            throw new OsFileException(StatusCodes.Status400BadRequest, $"{shown} is not a regular file");
        }
        response.ContentType = download ? "application/octet-stream" : "text/plain; charset=utf-8";
        if (download)
        {
            response.Headers.ContentDisposition = $"attachment; filename*=UTF-8''{Uri.EscapeDataString(System.IO.Path.GetFileName(shown))}";
        }
        response.ContentLength = size;
        await using var stream = new FileStream(handle, FileAccess.Read, 1);
        await stream.CopyToAsync(response.Body).ConfigureAwait(false);
    }

    /// <summary>Writes the request's body as the file; its size.</summary>
    public async Task<long> UploadAsync(HttpRequest request, string path)
    {
        if (request.ContentLength > UploadCap)
        {
            throw TooLarge();
        }
        var (mount, relative, shown) = Resolve(Segments(path));
        if (mount.ReadOnly)
        {
            throw new OsFileException(StatusCodes.Status403Forbidden,
                $"{mount.GuestPath} is mounted read-only: upload into {Writable()}");
        }
        var slash = relative.LastIndexOf('/');
        if (relative == ".")
        {
            throw new OsFileException(StatusCodes.Status400BadRequest, $"{shown} is a mount: name the file to write in it");
        }
        var (parentPath, name) = slash < 0 ? (".", relative) : (relative[..slash], relative[(slash + 1)..]);
        using var parent = Open(mount, parentPath, shown, LibC.OPath | LibC.ODirectory, follow: true);
        var parentFd = (int)parent.DangerousGetHandle();
        var temporary = $".wasmrun-upload-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        // A plain name opened in the folder opened beneath the mount, never following a link: no way out.
        var fd = LibC.openat(parentFd, temporary, LibC.OWrOnly | LibC.OCreat | LibC.OExcl | LibC.ONoFollow | LibC.OCloExec, 0x1A4);
        if (fd < 0)
        {
            throw Failed(LibC.Errno, shown);
        }
        long written = 0;
        var renamed = false;
        try
        {
            await using (var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, 1))
            {
                var buffer = new byte[81920];
                for (int read; (read = await request.Body.ReadAsync(buffer).ConfigureAwait(false)) > 0;)
                {
                    written += read;
                    if (written > UploadCap)
                    {
                        throw TooLarge();
                    }
                    await stream.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                }
            }
            if (!Rename(parentFd, temporary, name))
            {
                throw Failed(LibC.Errno, shown);
            }
            renamed = true;
            return written;
        }
        finally
        {
            if (!renamed)
            {
                Unlink(parentFd, temporary);
            }
        }
    }

    /// <summary>A guest path's segments: absolute, without "." and empty ones; ".." is refused, not resolved.</summary>
    private static List<string> Segments(string path)
    {
        if (!path.StartsWith('/'))
        {
            throw new OsFileException(StatusCodes.Status400BadRequest, $"{path}: give a guest path from the root, such as /app or /tmp");
        }
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new OsFileException(StatusCodes.Status400BadRequest, "a path with a NUL character");
        }
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        return segments.Contains("..")
            ? throw new OsFileException(StatusCodes.Status403Forbidden, $"{path}: \"..\" is not followed: paths stay inside their mount")
            : segments;
    }

    /// <summary>The mount that holds the path (the longest guest path that is a prefix), the rest, and the path as shown.</summary>
    private (Preopen Mount, string Relative, string Shown) Resolve(List<string> segments)
    {
        var shown = "/" + string.Join('/', segments);
        var mount = Mounts
            .Select(m => (Mount: m, Segments: m.GuestPath.Split('/', StringSplitOptions.RemoveEmptyEntries)))
            .Where(m => m.Segments.Length <= segments.Count && m.Segments.SequenceEqual(segments.Take(m.Segments.Length)))
            .OrderByDescending(m => m.Segments.Length)
            .FirstOrDefault();
        if (mount.Mount is null)
        {
            throw new OsFileException(StatusCodes.Status404NotFound, $"{shown}: no such file: the processes see only {string.Join(", ", Mounts.Select(m => m.GuestPath))}");
        }
        var rest = segments.Skip(mount.Segments.Length).ToList();
        return (mount.Mount, rest.Count == 0 ? "." : string.Join('/', rest), shown);
    }

    private static SafeFileHandle Open(Preopen mount, string relative, string shown, int flags, bool follow)
    {
        var root = LibC.openat(LibC.AtFdCwd, mount.HostPath, LibC.OPath | LibC.ODirectory | LibC.OCloExec, 0);
        if (root < 0)
        {
            throw new OsFileException(StatusCodes.Status404NotFound, $"{mount.GuestPath} is gone from the host");
        }
        try
        {
            var fd = LibC.OpenBeneath(root, relative, flags, 0, follow);
            return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw Failed(LibC.Errno, shown);
        }
        finally
        {
            LibC.close(root);
        }
    }

    private static unsafe (ushort Mode, long Size) Stat(SafeFileHandle handle)
    {
        LibC.Statx stat;
        fixed (byte* empty = LibC.Utf8(""))
        {
            if (LibC.statx((int)handle.DangerousGetHandle(), empty, LibC.AtEmptyPath, LibC.StatxBasicStats, &stat) != 0)
            {
                throw new OsFileException(StatusCodes.Status500InternalServerError, "cannot read the file's status");
            }
        }
        return ((ushort)(stat.Mode & LibC.SIfMt), (long)stat.Size);
    }

    private static unsafe bool Rename(int folder, string from, string to)
    {
        fixed (byte* old = LibC.Utf8(from), @new = LibC.Utf8(to))
        {
            return LibC.renameat(folder, old, folder, @new) == 0;
        }
    }

    private static unsafe void Unlink(int folder, string name)
    {
        fixed (byte* path = LibC.Utf8(name))
        {
            LibC.unlinkat(folder, path, 0);
        }
    }

    private string Writable() =>
        Mounts.Where(m => !m.ReadOnly).Select(m => m.GuestPath).ToList() is { Count: > 0 } writable
            ? string.Join(" or ", writable)
            : "a writable mount (there is none: the project is --read-only)";

    private static OsFileException TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, $"an upload is at most {Units.Size(UploadCap)}");

    private static OsFileException Failed(int errno, string shown) => errno switch
    {
        LibC.EXDev => new(StatusCodes.Status403Forbidden, $"{shown} leads out of its mount (a symlink to outside): refused"),
        LibC.ENoEnt => new(StatusCodes.Status404NotFound, $"{shown}: no such file or folder"),
        ELoop => new(StatusCodes.Status403Forbidden, $"{shown} is a symlink: not written through"),
        ENotDir => new(StatusCodes.Status400BadRequest, $"{shown}: a part of the path is not a folder"),
        EIsDir => new(StatusCodes.Status409Conflict, $"{shown} is a folder"),
        EAcces => new(StatusCodes.Status403Forbidden, $"{shown}: permission denied"),
        _ => new(StatusCodes.Status500InternalServerError, $"{shown}: {Errnos.FromLinux(errno).ToString().ToLowerInvariant()}"),
    };
}
