// `wasmrun init [NAME] --template T`: a new project from a plugin's template (its [[templates]] folder, with
// {{name}}, {{identifier}} and {{projectName}} filled in), then the plugin's init(ctx) if its script has one, then the
// next steps. Never writes into a folder that has files in it.
using System.Text;
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
        var catalog = PluginCatalog.Load(config);
        var (plugin, info) = FindTemplate(catalog, template);
        var project = Path.GetFullPath(dir ?? name);
        if (File.Exists(project) || (Directory.Exists(project) && Directory.EnumerateFileSystemEntries(project).Any()))
        {
            throw new WasmrunException($"{project} already exists and is not empty; init writes only into a new or empty folder")
            {
                Hint = "choose another name or --dir",
            };
        }

        // {{projectName}} is what compile names the artifacts after (the folder's name, which --dir may make another
        // than NAME), for the next steps and the templates' comments that name them.
        var variables = new Dictionary<string, string>
        {
            ["{{name}}"] = name,
            ["{{identifier}}"] = name.Replace('-', '_'),
            ["{{projectName}}"] = ProjectBuilder.ProjectName(project),
        };
        var prefix = info.Path.TrimEnd('/') + "/";
        var created = new List<string>();
        Directory.CreateDirectory(project);
        foreach (var file in plugin.Files.List(info.Path))
        {
            var relative = Fill(file[prefix.Length..], variables);
            var target = Path.GetFullPath(Path.Join(project, relative));
            if (!SandboxScope.IsInside(target, project))
            {
                throw new WasmrunException($"{plugin}: template file {file} would land outside the project", ExitCode.PluginFailed);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var bytes = plugin.Files.Read(file)!;
            File.WriteAllBytes(target, bytes.Contains((byte)0) ? bytes : Encoding.UTF8.GetBytes(Fill(Encoding.UTF8.GetString(bytes), variables)));
            created.Add(relative);
        }

        var scope = new SandboxScope(project, [project], plugin.Manifest.Permissions.Read);
        using (var sandbox = PluginSandbox.Open(plugin, config.Settings.PluginLimits, new PluginOutput(verbose: false), scope))
        {
            if (sandbox.Exports("init"))
            {
                sandbox.Call("init", scope, engine => PluginSandbox.Object(engine,
                    ("projectDir", project), ("projectName", name), ("template", info.Name)));
            }
        }

        var output = Terminal.Out;
        var shown = DisplayPath.Of(project);
        output.WriteLine($"{output.Green("created")} {shown} from template {info.Name} ({plugin}):");
        foreach (var file in Directory.EnumerateFiles(project, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(project, f)).Order(StringComparer.Ordinal))
        {
            output.WriteLine($"  {file}");
        }
        output.WriteLine("next:");
        output.WriteLine($"  cd {shown}");
        foreach (var step in info.Next.DefaultIfEmpty("wasmrun compile"))
        {
            output.WriteLine($"  {Fill(step, variables)}");
        }
    }

    private static (PluginPackage Plugin, TemplateInfo Info) FindTemplate(PluginCatalog catalog, string template)
    {
        foreach (var plugin in catalog.Enabled)
        {
            if (plugin.Manifest.Templates.FirstOrDefault(t => t.Name == template) is { } info)
            {
                return (plugin, info);
            }
        }
        var available = catalog.Enabled.SelectMany(p => p.Manifest.Templates.Select(t => t.Name)).Order(StringComparer.Ordinal);
        var disabled = catalog.Plugins.FirstOrDefault(p => !p.Enabled && p.Manifest.Templates.Any(t => t.Name == template));
        var bundled = catalog.Available.FirstOrDefault(p => p.Manifest.Templates.Any(t => t.Name == template));
        throw new WasmrunException($"--template {template}: no enabled plugin has a template named '{template}'", ExitCode.Usage)
        {
            Hint = disabled is not null ? $"it comes with the disabled plugin {disabled.Name}: wasmrun plugin enable {disabled.Name}"
                : bundled is not null ? $"it comes with the plugin {bundled.Name}, not installed: {PluginCatalog.InstallHint(bundled.Name)}"
                : $"templates available: {string.Join(", ", available)}",
        };
    }

    private static string Fill(string text, Dictionary<string, string> variables) =>
        variables.Aggregate(text, (current, variable) => current.Replace(variable.Key, variable.Value, StringComparison.Ordinal));

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex ProjectNamePattern();
}
