// Copies a plugin folder (`plugin install ./my-plugin`) into the staging folder under the same rules as an unpacked
// .tgz: regular files and folders only, the same caps; version-control and dependency folders are left out. Writes
// a bundled plugin's files out of the binary the same way.
using Wasmrun.Cli;

namespace Wasmrun.Plugins.Install;

internal static class PackageFolder
{
    /// <summary>Folders never copied, at any depth: a plugin runs without them, and they can be huge.</summary>
    private static readonly string[] skipped = [".git", "node_modules"];

    /// <summary>Copies the folder `source` into the empty folder `destination`.</summary>
    public static void Copy(string source, string destination)
    {
        var budget = new Budget();
        try
        {
            CopyFolder(new DirectoryInfo(source), destination, source, budget);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new WasmrunException($"{source}: cannot copy the plugin folder: {ex.Message}", ExitCode.InvalidInput, ex);
        }
    }

    /// <summary>Writes a package embedded in the binary (a bundled plugin: our own files, so no caps) into the empty
    /// folder `destination`.</summary>
    public static void Write(PluginFiles files, string destination)
    {
        try
        {
            foreach (var path in files.List(""))
            {
                var target = Path.Join(destination, path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
                output.Write(files.Read(path));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new WasmrunException($"{destination}: cannot write the plugin's files: {ex.Message}", ExitCode.InvalidInput, ex);
        }
    }

    private static void CopyFolder(DirectoryInfo folder, string destination, string origin, Budget budget)
    {
        foreach (var item in folder.EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            if (item is DirectoryInfo && skipped.Contains(item.Name))
            {
                continue;
            }
            if (++budget.Entries > PackageLimits.MaxEntries)
            {
                throw PackageTarball.Refused(origin, $"it has more than {PackageLimits.MaxEntries} files and folders");
            }
            var target = Path.Join(destination, item.Name);
            if (item.LinkTarget is not null)
            {
                throw PackageTarball.Refused(origin, $"{item.FullName} is a symbolic link; a plugin package holds regular files and folders only");
            }
            if (item is DirectoryInfo subfolder)
            {
                Directory.CreateDirectory(target);
                CopyFolder(subfolder, target, origin, budget);
                continue;
            }
            // Counted while copying, not from the size the file claims: a device or a growing file stops at the cap too.
            using var input = new FileStream(item.FullName, FileMode.Open, FileAccess.Read);
            using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
            var buffer = new byte[81920];
            int count;
            while ((count = input.Read(buffer)) > 0)
            {
                budget.Bytes += count;
                if (budget.Bytes > PackageLimits.MaxUnpackedBytes)
                {
                    throw PackageTarball.Refused(origin, $"its files add up to more than {Units.Size(PackageLimits.MaxUnpackedBytes)}");
                }
                output.Write(buffer, 0, count);
            }
        }
    }

    private sealed class Budget
    {
        public int Entries { get; set; }

        public long Bytes { get; set; }
    }
}
