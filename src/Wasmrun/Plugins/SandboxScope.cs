// What a plugin's script may touch during one call: the project (read), the folders it may write (the output folder
// for a build, the new project for init) and the extra files its manifest lists. Paths are compared after every
// symlink in them is resolved, so a link inside the project cannot lead a read or a write outside.
using Wasmrun.Wasi.Posix;

namespace Wasmrun.Plugins;

internal sealed class SandboxScope
{
    private readonly List<string> readable;
    private readonly List<string> writable;
    private readonly List<Glob> readableFiles;

    /// <param name="project">The project folder: relative paths are taken against it.</param>
    /// <param name="writable">Folders the script may write to (they are readable too).</param>
    /// <param name="readableFiles">permissions.read: absolute globs of other files the script may read.</param>
    public SandboxScope(string project, IEnumerable<string> writable, IEnumerable<string> readableFiles)
    {
        Project = Path.GetFullPath(project);
        this.writable = [.. writable.Select(RealPath)];
        readable = [RealPath(Project), .. this.writable];
        this.readableFiles = [.. readableFiles.Select(pattern => new Glob(pattern.Replace('\\', '/')))];
    }

    public string Project { get; }

    /// <summary>The folders the script may write to, symlinks resolved.</summary>
    public IReadOnlyList<string> Writable => writable;

    /// <summary>The absolute path for a script's path (relative ones are taken against the project).</summary>
    public string Absolute(string path) => Path.GetFullPath(Path.Join(Path.IsPathRooted(path) ? "" : Project, path));

    public bool CanRead(string path)
    {
        var real = RealPath(path);
        return readable.Any(root => IsInside(real, root)) || readableFiles.Any(glob => glob.IsMatch(real.Replace('\\', '/')));
    }

    public bool CanWrite(string path) => WritableAt(path) is not null;

    /// <summary>The writable folder that holds the path, and the path relative to it ('/'-separated, symlinks
    /// resolved); null when no writable folder holds it.</summary>
    public (string Folder, string Relative)? WritableAt(string path)
    {
        var real = RealPath(path);
        return writable.FirstOrDefault(root => IsInside(real, root)) is { } folder
            ? (folder, Path.GetRelativePath(folder, real).Replace('\\', '/'))
            : null;
    }

    /// <summary>True for the folder itself or anything below it.</summary>
    public static bool IsInside(string path, string folder) =>
        path == folder || path.StartsWith(folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar,
            OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>The path with every symlink along it resolved as the kernel resolves it (a ".." in a link's target
    /// climbs from where the link led, not from the link), the missing tail kept as written.</summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full)!;
        var pending = new Stack<string>(Segments(full[current.Length..]).Reverse());
        var hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }
            var next = Path.Join(current, part);
            if (new FileInfo(next).LinkTarget is not { } target)
            {
                current = next;
                continue;
            }
            if (++hops > 40)
            {
                throw new IOException($"too many levels of symbolic links at {next}");
            }
            if (Path.GetPathRoot(target) is { Length: > 0 } root)
            {
                current = root;
                target = target[root.Length..];
            }
            foreach (var segment in Segments(target).Reverse())
            {
                pending.Push(segment);
            }
        }
        return current;
    }

    /// <summary>True for an absolute path the system owns: outside the project and the writable folders, and it and
    /// every folder above it (symlinks resolved) owned by root and writable by no one else, so neither the plugin, nor
    /// a program it runs (unless as root), nor another user can put something there (a search path a script sets, a
    /// program it runs by path). Linux only (it reads owners with statx).</summary>
    public bool IsSystemPath(string path)
    {
        if (!Path.IsPathFullyQualified(path))
        {
            // An empty or relative path is the program's working folder, which the plugin chooses.
            return false;
        }
        var real = RealPath(path);
        if (IsInside(real, RealPath(Project)) || writable.Any(folder => IsInside(real, folder)))
        {
            return false;
        }
        for (var folder = real; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            // Missing folders count by their nearest existing ancestor, which must keep others from creating them.
            if (Owner(folder) is { } owner && (owner.Uid != 0 || (owner.Mode & GroupOrOtherWrite) != 0))
            {
                return false;
            }
        }
        return true;
    }

    private const int GroupOrOtherWrite = 0x12; // 0o022

    /// <summary>The owner and mode of an existing path (a link itself, not its target), or null.</summary>
    private static unsafe (uint Uid, int Mode)? Owner(string path)
    {
        var bytes = LibC.Utf8(path);
        LibC.Statx stat;
        fixed (byte* name = bytes)
        {
            return LibC.statx(LibC.AtFdCwd, name, LibC.AtSymlinkNoFollow, LibC.StatxBasicStats, &stat) == 0 ? (stat.Uid, stat.Mode) : null;
        }
    }

    private static string[] Segments(string path) => path.Split(['/', Path.DirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
}
