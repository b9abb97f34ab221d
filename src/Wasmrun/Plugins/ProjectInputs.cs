// Which files of a project are a build's inputs: the manifest's build.watch globs minus build.ignore, never inside
// build.clean folders, the output folder, .git or node_modules. The build cache hashes them; the dev server's
// watcher rebuilds when one changes.
namespace Wasmrun.Plugins;

internal sealed class ProjectInputs
{
    private readonly string project;
    private readonly HashSet<string> skipped;
    private readonly List<Glob> watch;
    private readonly List<Glob> ignore;

    public ProjectInputs(PluginPackage plugin, string project, string outputDirectory)
    {
        var build = plugin.Manifest.Build;
        this.project = project;
        var output = Path.GetRelativePath(project, outputDirectory).Replace('\\', '/');
        skipped = new HashSet<string>([".git", "node_modules", output, .. build.Clean.Select(c => c.TrimEnd('/'))], StringComparer.Ordinal);
        watch = [.. build.Watch.Select(p => new Glob(p))];
        ignore = [.. build.Ignore.Select(p => new Glob(p))];
    }

    /// <summary>The input files (relative, '/'-separated, sorted).</summary>
    public List<string> Files() => Glob.Files(project, watch, ignore, IsSkippedFolder);

    /// <summary>True for a folder (relative) whose files are never inputs.</summary>
    public bool IsSkippedFolder(string relative) => skipped.Contains(relative.Replace('\\', '/').TrimEnd('/'));

    /// <summary>True when the file (relative to the project) is an input.</summary>
    public bool IsInput(string relative)
    {
        var path = relative.Replace('\\', '/');
        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            if (IsSkippedFolder(path[..slash]) || Glob.Any(ignore, path[..(slash + 1)]))
            {
                return false;
            }
        }
        return Glob.Any(watch, path) && !Glob.Any(ignore, path);
    }
}
