// The repository root, found by walking up from the test binary to Wasmrun.sln.
namespace Wasmrun.Tests;

internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Wasmrun.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"Wasmrun.sln not found above {AppContext.BaseDirectory}");
    }
}
