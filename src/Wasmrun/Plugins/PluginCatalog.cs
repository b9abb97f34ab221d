// Every plugin this Wasmrun knows: the built-in ones (embedded) and the installed ones (registered in config.toml as
// [plugins.NAME], files in ~/.wasmrun/plugins/NAME), each enabled or not. A broken installed plugin is listed with
// its problem instead of failing every command.
using System.Text;
using Wasmrun.Config;

namespace Wasmrun.Plugins;

internal enum PluginOrigin
{
    BuiltIn,
    Installed,
}

/// <summary>A plugin with a valid manifest.</summary>
internal sealed record PluginPackage(PluginManifest Manifest, PluginFiles Files, PluginOrigin Origin, PluginEntry? Entry)
{
    public string Name => Manifest.Plugin.Name;

    public string Version => Manifest.Plugin.Version;

    /// <summary>Built-in plugins are enabled unless config.toml says `enabled = false`.</summary>
    public bool Enabled => Entry?.Enabled ?? true;

    /// <summary>How messages name it: "plugin wasmrust 1.2.0".</summary>
    public override string ToString() => $"plugin {Name} {Version}";

    /// <summary>Reads and checks the manifest of a package (built in or installed).</summary>
    public static PluginPackage Load(PluginFiles files, PluginOrigin origin, PluginEntry? entry)
    {
        var text = files.Read(PluginManifest.FileName)
            ?? throw new WasmrunException($"{files.Location}: no {PluginManifest.FileName} in the plugin")
            {
                Hint = "a plugin package holds wasmrun.toml and its script (docs/plugins.md)",
            };
        var manifest = PluginManifest.Parse(Path.Join(files.Location, PluginManifest.FileName), Encoding.UTF8.GetString(text));
        return new PluginPackage(manifest, files, origin, entry);
    }
}

/// <summary>An installed plugin that cannot be used, and why.</summary>
internal sealed record BrokenPlugin(string Name, string Problem);

internal sealed class PluginCatalog
{
    private PluginCatalog(List<PluginPackage> plugins, List<BrokenPlugin> broken)
    {
        Plugins = plugins;
        Broken = broken;
    }

    /// <summary>Built-in plugins first, then installed ones, each group by name.</summary>
    public IReadOnlyList<PluginPackage> Plugins { get; }

    public IReadOnlyList<BrokenPlugin> Broken { get; }

    public IEnumerable<PluginPackage> Enabled => Plugins.Where(p => p.Enabled);

    public static PluginCatalog Load(ConfigFile config)
    {
        var plugins = new List<PluginPackage>();
        var broken = new List<BrokenPlugin>();
        var builtIn = EmbeddedPluginFiles.Names().ToHashSet();
        foreach (var name in builtIn)
        {
            config.Settings.Plugins.TryGetValue(name, out var entry);
            plugins.Add(PluginPackage.Load(new EmbeddedPluginFiles(name), PluginOrigin.BuiltIn, entry));
        }
        foreach (var (name, entry) in config.Settings.Plugins.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (builtIn.Contains(name))
            {
                continue;
            }
            var folder = Path.Join(config.Paths.Plugins, name);
            if (!PluginManifest.IsValidName(name) || !Directory.Exists(folder))
            {
                broken.Add(new BrokenPlugin(name, $"registered in {config.Paths.File}, but {folder} is missing"));
                continue;
            }
            try
            {
                var package = PluginPackage.Load(new DirectoryPluginFiles(folder), PluginOrigin.Installed, entry);
                if (package.Name != name)
                {
                    broken.Add(new BrokenPlugin(name, $"{folder} holds plugin '{package.Name}'"));
                    continue;
                }
                plugins.Add(package);
            }
            catch (WasmrunException ex)
            {
                broken.Add(new BrokenPlugin(name, ex.Describe()));
            }
        }
        return new PluginCatalog(plugins, broken);
    }

    public PluginPackage? Find(string name) => Plugins.FirstOrDefault(p => p.Name == name);

    /// <summary>The plugin by name, enabled or not; a clear error for a broken or unknown one.</summary>
    public PluginPackage Get(string name)
    {
        if (Find(name) is { } plugin)
        {
            return plugin;
        }
        if (Broken.FirstOrDefault(b => b.Name == name) is { } problem)
        {
            throw new WasmrunException($"plugin {name} is broken: {problem.Problem}")
            {
                Hint = $"reinstall it: wasmrun plugin install {name}",
            };
        }
        throw new WasmrunException($"no plugin named '{name}'", ExitCode.Usage)
        {
            Hint = $"installed and built-in plugins: {string.Join(", ", Plugins.Select(p => p.Name))}; install more with `wasmrun plugin install NAME`",
        };
    }
}
