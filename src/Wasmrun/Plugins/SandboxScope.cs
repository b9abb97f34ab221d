// What a plugin's script may touch during one call: the project (read), the folders it may write (the output folder
// for a build, the new project for init) and the extra files its manifest lists. Paths are compared after every
// symlink in them is resolved, so a link inside the project cannot lead a read or a write outside.
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

    public bool CanWrite(string path) => writable.Any(root => IsInside(RealPath(path), root));

    /// <summary>True for the folder itself or anything below it.</summary>
    public static bool IsInside(string path, string folder) =>
        path == folder || path.StartsWith(folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar,
            OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>The path with every symlink along it resolved (the missing tail kept as written).</summary>
    public static string RealPath(string path) => Resolve(Path.GetFullPath(path), hops: 0);

    private static string Resolve(string full, int hops)
    {
        var root = Path.GetPathRoot(full)!;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Join(current, parts[i]);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.Exists && info.LinkTarget is { } target)
            {
                if (hops >= 40)
                {
                    throw new IOException($"too many levels of symbolic links at {next}");
                }
                var rest = string.Join(Path.DirectorySeparatorChar, parts[(i + 1)..]);
                return Resolve(Path.GetFullPath(Path.Join(Path.GetFullPath(target, current), rest)), hops + 1);
            }
            current = next;
        }
        return current;
    }
}
