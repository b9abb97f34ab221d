// A plugin's project template (a [[templates]] entry) and what `wasmrun init` does with it: its files copied into a
// new project with {{name}}, {{identifier}} and {{projectName}} filled in (in names and contents, by TemplateText),
// then the plugin's init(ctx) if its script has one; and the next steps, filled in the same way.
using System.Text;
using Wasmrun.Config;
using Wasmrun.Templates;

namespace Wasmrun.Plugins;

internal sealed record ProjectTemplate(PluginPackage Plugin, TemplateInfo Info)
{
    /// <summary>The enabled plugin's template of that name; the error's hint says where else it may be found.</summary>
    public static ProjectTemplate Find(PluginCatalog catalog, string name)
    {
        foreach (var plugin in catalog.Enabled)
        {
            if (plugin.Manifest.Templates.FirstOrDefault(t => t.Name == name) is { } info)
            {
                return new ProjectTemplate(plugin, info);
            }
        }
        var available = catalog.Enabled.SelectMany(p => p.Manifest.Templates.Select(t => t.Name)).Order(StringComparer.Ordinal);
        var disabled = catalog.Plugins.FirstOrDefault(p => !p.Enabled && p.Manifest.Templates.Any(t => t.Name == name));
        var bundled = catalog.Available.FirstOrDefault(p => p.Manifest.Templates.Any(t => t.Name == name));
        throw new WasmrunException($"--template {name}: no enabled plugin has a template named '{name}'", ExitCode.Usage)
        {
            Hint = disabled is not null ? $"it comes with the disabled plugin {disabled.Name}: wasmrun plugin enable {disabled.Name}"
                : bundled is not null ? $"it comes with the plugin {bundled.Name}, not installed: {PluginCatalog.InstallHint(bundled.Name)}"
                : $"templates available: {string.Join(", ", available)}",
        };
    }

    /// <summary>Writes the template into `project` (a new or empty folder) for a project named `name`, then runs the
    /// plugin's init(ctx).</summary>
    public void Create(string project, string name, PluginLimits limits)
    {
        var values = Values(project, name);
        var prefix = Info.Path.TrimEnd('/') + "/";
        Directory.CreateDirectory(project);
        foreach (var file in Plugin.Files.List(Info.Path))
        {
            var relative = TemplateText.Fill(file[prefix.Length..], values);
            var target = Path.GetFullPath(Path.Join(project, relative));
            if (!SandboxScope.IsInside(target, project))
            {
                throw new WasmrunException($"{Plugin}: template file {file} would land outside the project", ExitCode.PluginFailed);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var bytes = Plugin.Files.Read(file)!;
            File.WriteAllBytes(target, bytes.Contains((byte)0) ? bytes : Encoding.UTF8.GetBytes(TemplateText.Fill(Encoding.UTF8.GetString(bytes), values)));
        }

        var scope = new SandboxScope(project, [project], Plugin.Manifest.Permissions.Read);
        using var sandbox = PluginSandbox.Open(Plugin, limits, new PluginOutput(verbose: false), scope);
        if (sandbox.Exports("init"))
        {
            sandbox.Call("init", scope, engine => PluginSandbox.Object(engine,
                ("projectDir", project), ("projectName", name), ("template", Info.Name)));
        }
    }

    /// <summary>The commands to run next in the new project (its [[templates]] next, or `wasmrun compile`).</summary>
    public IEnumerable<string> NextSteps(string project, string name)
    {
        var values = Values(project, name);
        return Info.Next.DefaultIfEmpty("wasmrun compile").Select(step => TemplateText.Fill(step, values));
    }

    // {{projectName}} is what compile names the artifacts after (the folder's name, which --dir may make another than
    // NAME), for the next steps and the templates' comments that name them.
    private static Dictionary<string, string> Values(string project, string name) => new()
    {
        ["name"] = name,
        ["identifier"] = name.Replace('-', '_'),
        ["projectName"] = ProjectBuilder.ProjectName(project),
    };
}
