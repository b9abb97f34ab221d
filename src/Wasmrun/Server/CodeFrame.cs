// The source lines around a compiler error, as vite shows them: the page draws them with line numbers and a caret at
// the column. Read by the server when the build fails (the page cannot read the project's files), and only from
// files inside the project.
using Wasmrun.Plugins;

namespace Wasmrun.Server;

/// <param name="FirstLine">The number of the first line of Lines (1-based).</param>
/// <param name="Lines">The error's line with up to Context lines before and after it.</param>
internal sealed record CodeFrame(int FirstLine, string[] Lines)
{
    public const int Context = 2;

    // A source file larger than this is generated or bundled output, not what the user edits; reading it on every
    // failed build would cost more than its frame is worth.
    private const long MaxFileBytes = 4 << 20;

    // Minified code keeps everything on one line; the frame shows its start rather than a megabyte of text.
    private const int MaxLineChars = 400;

    /// <summary>The frame of FILE:LINE, or null when the file is outside the project, too large, unreadable, or
    /// shorter than LINE.</summary>
    /// <remarks>A compiler names whatever file the source tells it to (C's #line can name any path), and the page may
    /// be served to the network (--host): so only files whose real path is inside the project are read.</remarks>
    public static CodeFrame? Read(string projectRoot, string file, int line)
    {
        try
        {
            if (line < 1 || !SandboxScope.IsInside(SandboxScope.RealPath(file), SandboxScope.RealPath(projectRoot)))
            {
                return null;
            }
            var info = new FileInfo(file);
            if (!info.Exists || info.Length > MaxFileBytes)
            {
                return null;
            }
            var first = Math.Max(1, line - Context);
            var lines = File.ReadLines(file).Skip(first - 1).Take(line + Context - first + 1)
                .Select(text => text.Length > MaxLineChars ? text[..MaxLineChars] + "…" : text)
                .ToArray();
            return lines.Length > line - first ? new CodeFrame(first, lines) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Deleted or locked since the compiler read it: the error is shown without its frame.
            return null;
        }
    }
}
