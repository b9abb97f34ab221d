// The folders a server test works in, inside its temporary directory: a WASMRUN_HOME (records, build cache) and a
// project with the given files.
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Server;

internal static class ServerFolders
{
    public static string Home(TempDirectory temp) => Directory.CreateDirectory(Path.Join(temp.Path, "home")).FullName;

    public static string Project(TempDirectory temp, params (string Path, string Text)[] files)
    {
        var project = Directory.CreateDirectory(Path.Join(temp.Path, "project")).FullName;
        foreach (var (path, text) in files)
        {
            File.WriteAllText(Path.Join(project, path), text);
        }
        return project;
    }
}
