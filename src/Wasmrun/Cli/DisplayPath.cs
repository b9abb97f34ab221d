// How messages show a path: relative to the current folder when it is below it (short, and what the user typed),
// absolute otherwise (the current folder itself too: "." says nothing in a message).
namespace Wasmrun.Cli;

internal static class DisplayPath
{
    public static string Of(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative == "." || relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}
