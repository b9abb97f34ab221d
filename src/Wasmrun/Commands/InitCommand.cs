// `wasmrun init [NAME] --template T`: a new project from a plugin's template (ProjectTemplate writes it and runs the
// plugin's init(ctx)), then the files and the next steps. Never writes into a folder that has files in it.
using System.Text.RegularExpressions;
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Plugins;

namespace Wasmrun.Commands;

public sealed partial class InitCommand
{
    /// <summary>Create a new project from a template: c (built in); rust, go, asc and python come with their plugins.</summary>
    /// <param name="name">The project's name: letters, digits, '-' and '_', starting with a letter (default: my-wasm-project).</param>
    /// <param name="template">-t, The template (`wasmrun plugin info NAME` lists a plugin's templates).</param>
    /// <param name="dir">-d, The folder to create (default: ./NAME); it must not exist or be empty.</param>
    [Command("init")]
    public void Init([Argument] string? name = null, string template = "c", string? dir = null)
    {
        name ??= "my-wasm-project";
        if (!ProjectNamePattern().IsMatch(name))
        {
            throw new WasmrunException($"'{name}' is not a project name", ExitCode.Usage)
            {
                Hint = "use letters, digits, '-' and '_', starting with a letter (it becomes file and package names)",
            };
        }
        var config = ConfigFile.Current;
        var found = ProjectTemplate.Find(PluginCatalog.Load(config), template);
        var project = Path.GetFullPath(dir ?? name);
        if (File.Exists(project) || (Directory.Exists(project) && Directory.EnumerateFileSystemEntries(project).Any()))
        {
            throw new WasmrunException($"{project} already exists and is not empty; init writes only into a new or empty folder")
            {
                Hint = "choose another name or --dir",
            };
        }
        found.Create(project, name, config.Settings.PluginLimits);

        var output = Terminal.Out;
        var shown = DisplayPath.Of(project);
        output.WriteLine($"{output.Green("created")} {shown} from template {found.Info.Name} ({found.Plugin}):");
        foreach (var file in Directory.EnumerateFiles(project, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(project, f)).Order(StringComparer.Ordinal))
        {
            output.WriteLine($"  {file}");
        }
        output.WriteLine("next:");
        output.WriteLine($"  cd {shown}");
        foreach (var step in found.NextSteps(project, name))
        {
            output.WriteLine($"  {step}");
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex ProjectNamePattern();
}
