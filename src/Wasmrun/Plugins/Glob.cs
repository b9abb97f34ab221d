// Glob patterns over '/'-separated relative paths, as plugins write them: `*` and `?` within one path segment, `**`
// across segments ("src/**/*.rs" matches src/main.rs and src/a/b.rs). One matcher serves the script's glob(), the
// manifest's watch/ignore lists (the build cache's inputs, the dev server's watcher) and permissions.read.
using System.Text;
using System.Text.RegularExpressions;

namespace Wasmrun.Plugins;

internal sealed class Glob
{
    private readonly Regex regex;

    public Glob(string pattern)
    {
        Pattern = pattern;
        regex = new Regex(ToRegex(pattern), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }

    public string Pattern { get; }

    public bool IsMatch(string path) => regex.IsMatch(path.Replace('\\', '/'));

    /// <summary>True when any of the patterns matches.</summary>
    public static bool Any(IEnumerable<Glob> globs, string path) => globs.Any(glob => glob.IsMatch(path));

    /// <summary>The files under `root` (relative, '/'-separated, sorted) that match `include` and no `exclude`
    /// pattern; folders matched by `skip` are not entered at all (.git, node_modules, the output folder).</summary>
    public static List<string> Files(string root, IReadOnlyList<Glob> include, IReadOnlyList<Glob> exclude, Func<string, bool> skip)
    {
        var found = new List<string>();
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
            {
                var relative = Path.GetRelativePath(root, entry.FullName).Replace('\\', '/');
                if (entry.LinkTarget is not null)
                {
                    // Links are not followed: one could lead out of the project, or in a circle.
                    continue;
                }
                if (entry is DirectoryInfo)
                {
                    if (!skip(relative) && !Any(exclude, relative + "/"))
                    {
                        pending.Push(entry.FullName);
                    }
                }
                else if (Any(include, relative) && !Any(exclude, relative))
                {
                    found.Add(relative);
                }
            }
        }
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private static string ToRegex(string pattern)
    {
        var text = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" matches zero or more whole segments; a trailing "**" matches everything below.
                var slash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                text.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*')
            {
                text.Append("[^/]*");
            }
            else if (c == '?')
            {
                text.Append("[^/]");
            }
            else
            {
                text.Append(Regex.Escape(c.ToString()));
            }
        }
        // A pattern naming a folder ("target/**" or "build/") also matches the folder itself, so walks can skip it.
        return text.Append(pattern.EndsWith('/') ? ".*$" : "$").ToString();
    }
}
