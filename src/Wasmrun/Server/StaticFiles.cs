// Maps a request path to a file under the served roots, or to nothing. Every way out is closed: '..' and '.'
// segments, encoded slashes and backslashes, NUL and drive letters, hidden files (.git, .env), and symlinks whose
// target lies outside the root (the real path must stay inside the root's real path).
using Wasmrun.Plugins;

namespace Wasmrun.Server;

internal static class StaticFiles
{
    private static readonly Dictionary<string, string> MimeTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".htm"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".mjs"] = "text/javascript; charset=utf-8",
        [".cjs"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json",
        [".map"] = "application/json",
        [".wasm"] = "application/wasm",
        [".wat"] = "text/plain; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
        [".md"] = "text/markdown; charset=utf-8",
        [".xml"] = "application/xml",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".webp"] = "image/webp",
        [".avif"] = "image/avif",
        [".ico"] = "image/x-icon",
        [".woff"] = "font/woff",
        [".woff2"] = "font/woff2",
        [".ttf"] = "font/ttf",
        [".otf"] = "font/otf",
        [".mp3"] = "audio/mpeg",
        [".ogg"] = "audio/ogg",
        [".wav"] = "audio/wav",
        [".mp4"] = "video/mp4",
        [".webm"] = "video/webm",
        [".pdf"] = "application/pdf",
        [".zip"] = "application/zip",
    };

    public static string MimeType(string path) =>
        MimeTypes.TryGetValue(Path.GetExtension(path), out var type) ? type : "application/octet-stream";

    /// <summary>
    /// The file the (already percent-decoded) request path names under the first root that has it; a folder means its
    /// index.html. Null when the path is not a clean relative path, or the file is missing or outside every root.
    /// </summary>
    public static string? Resolve(IReadOnlyList<string> roots, string requestPath)
    {
        if (!requestPath.StartsWith('/'))
        {
            return null;
        }
        var segments = requestPath[1..].Split('/');
        foreach (var (segment, index) in segments.Select((s, i) => (s, i)))
        {
            // An empty last segment is a folder ("/docs/"); empty ones elsewhere ("//etc") are not paths we make.
            var isFolderEnd = segment.Length == 0 && index == segments.Length - 1;
            if (!isFolderEnd && !IsCleanSegment(segment))
            {
                return null;
            }
        }
        var relative = Path.Join([.. segments.Where(s => s.Length > 0)]);
        foreach (var root in roots)
        {
            var candidate = Path.Join(root, relative);
            if (Directory.Exists(candidate))
            {
                candidate = Path.Join(candidate, "index.html");
            }
            if (!File.Exists(candidate))
            {
                continue;
            }
            return SandboxScope.IsInside(SandboxScope.RealPath(candidate), SandboxScope.RealPath(root)) ? candidate : null;
        }
        return null;
    }

    private static bool IsCleanSegment(string segment) =>
        segment.Length > 0
        && segment[0] != '.'
        && !segment.Contains('\\')
        && !segment.Contains(':')
        && !segment.Contains('%')
        && !segment.Any(char.IsControl);
}
