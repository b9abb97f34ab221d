// Finds a program on PATH as a shell would (and, on Windows, with the PATHEXT extensions): the tools check, the
// script's which() and run() all resolve program names here, so the program checked is the program run. A program
// given by absolute path (permissions.run allows system paths) is that file when it is executable.
namespace Wasmrun.Plugins;

internal static class ProgramPath
{
    public static string? Find(string program)
    {
        if (Path.IsPathFullyQualified(program))
        {
            return IsExecutable(program) ? Path.GetFullPath(program) : null;
        }
        var extensions = OperatingSystem.IsWindows()
            ? [.. (Environment.GetEnvironmentVariable("PATHEXT") ?? ".EXE;.CMD;.BAT").Split(';', StringSplitOptions.RemoveEmptyEntries), ""]
            : new[] { "" };
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var extension in extensions)
            {
                var candidate = Path.Join(folder, program + extension);
                if (IsExecutable(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }
        return null;
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        return OperatingSystem.IsWindows()
            || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
