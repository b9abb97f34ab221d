// `wasmrun clean [PATH]`: deletes what builds of a project left: the plugin's build folders (its build.clean list,
// and its clean(ctx) if the script has one), the output folder when Wasmrun made it, and the project's build-cache
// entries; --all also empties Wasmrun's whole cache. Nothing outside the project or the cache is touched.
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Plugins;

namespace Wasmrun.Commands;

public sealed class CleanCommand
{
    /// <summary>Delete a project's build outputs and Wasmrun's cached builds of it.</summary>
    /// <param name="path">The project folder (default: the current folder).</param>
    /// <param name="output">-o, The output folder given to compile -o (default: PATH/dist).</param>
    /// <param name="all">Also delete every cache Wasmrun keeps (~/.wasmrun/cache).</param>
    [Command("clean")]
    public void Clean([Argument] string? path = null, string? output = null, bool all = false)
    {
        var config = ConfigFile.Current;
        var project = ProjectBuilder.ProjectDirectory(path);
        var terminal = Terminal.Out;
        var pluginOutput = new PluginOutput(verbose: false);
        var removed = 0;
        void Removed(string what, long bytes)
        {
            terminal.WriteLine($"  removed {what} ({Units.Size(bytes)})");
            removed++;
        }

        var catalog = PluginCatalog.Load(config);
        var plugin = ProjectDetector.Evaluate(project, catalog.Enabled, config.Settings.PluginLimits, pluginOutput)
            .Where(m => m.Strength != MatchStrength.None)
            .MaxBy(m => m.Strength)?.Plugin;
        if (plugin is not null)
        {
            foreach (var entry in plugin.Manifest.Build.Clean)
            {
                var full = Path.GetFullPath(Path.Join(project, entry));
                if (!Exists(full))
                {
                    continue;
                }
                // A build folder that is a link, or that resolves outside the project, is not ours to empty.
                if (new FileInfo(full).LinkTarget is not null || !SandboxScope.IsInside(SandboxScope.RealPath(full), SandboxScope.RealPath(project)))
                {
                    terminal.WriteLine($"  kept {entry}: it is a link or leads outside the project");
                    continue;
                }
                Removed(DisplayPath.Of(full), Delete(full));
            }
            var scope = new SandboxScope(project, [], plugin.Manifest.Permissions.Read);
            using var sandbox = PluginSandbox.Open(plugin, config.Settings.PluginLimits, pluginOutput, scope);
            if (sandbox.Exports("clean"))
            {
                sandbox.Call("clean", scope, engine => PluginSandbox.Object(engine,
                    ("projectDir", project), ("projectName", ProjectBuilder.ProjectName(project))));
            }
        }

        var outputDirectory = Path.GetFullPath(output ?? Path.Join(project, ProjectBuilder.DefaultOutput));
        if (Directory.Exists(outputDirectory))
        {
            if (File.Exists(Path.Join(outputDirectory, ProjectBuilder.OutputMarker)) && new DirectoryInfo(outputDirectory).LinkTarget is null)
            {
                Removed(DisplayPath.Of(outputDirectory), Delete(outputDirectory));
            }
            else
            {
                terminal.WriteLine($"  kept {DisplayPath.Of(outputDirectory)}: Wasmrun did not create it (no {ProjectBuilder.OutputMarker} in it)");
            }
        }

        var cached = new BuildCache(config.Paths.Cache).RemoveProject(project);
        if (cached > 0)
        {
            terminal.WriteLine($"  removed {cached} cached build{(cached == 1 ? "" : "s")} of this project");
            removed++;
        }
        if (all && Directory.Exists(config.Paths.Cache))
        {
            Removed(config.Paths.Cache, Delete(config.Paths.Cache));
        }
        terminal.WriteLine(removed == 0
            ? $"nothing to clean in {DisplayPath.Of(project)}{(plugin is null ? " (no plugin recognises it)" : "")}"
            : $"{terminal.Green("cleaned")} {DisplayPath.Of(project)}{(plugin is null ? "" : $" ({plugin})")}");
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    /// <summary>Deletes a file or a folder (links inside are removed, never followed); returns the bytes freed.</summary>
    private static long Delete(string path)
    {
        if (File.Exists(path))
        {
            var size = new FileInfo(path).Length;
            File.Delete(path);
            return size;
        }
        var bytes = new DirectoryInfo(path).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Sum(f => f.Length);
        Directory.Delete(path, recursive: true);
        return bytes;
    }
}
