// Every plugin this Wasmrun knows: the built-in ones (embedded) and the installed ones (registered in config.toml as
// [plugins.NAME], files in ~/.wasmrun/plugins/NAME), each enabled or not, and the bundled first-party ones that are
// not installed (available: `plugin install NAME` copies them out of the binary). A broken installed plugin is listed
// with its problem instead of failing every command.
using System.Text;
using Wasmrun.Config;

namespace Wasmrun.Plugins;

internal enum PluginOrigin
{
    /// <summary>Embedded and always there (c): enabled unless config.toml says otherwise, never installed.</summary>
    BuiltIn,

    /// <summary>A first-party plugin's copy embedded in the binary, not installed: shown and offered, never used for a
    /// project until `plugin install NAME` copies it to the plugins folder (where it is Installed).</summary>
    Bundled,

    /// <summary>A folder under ~/.wasmrun/plugins, registered in config.toml.</summary>
    Installed,
}

/// <summary>A plugin with a valid manifest.</summary>
internal sealed record PluginPackage(PluginManifest Manifest, PluginFiles Files, PluginOrigin Origin, PluginEntry? Entry)
{
    public string Name => Manifest.Plugin.Name;

    public string Version => Manifest.Plugin.Version;

    /// <summary>Built-in plugins are enabled unless config.toml says `enabled = false`; a bundled one is not installed.</summary>
    public bool Enabled => Origin != PluginOrigin.Bundled && (Entry?.Enabled ?? true);

    /// <summary>How messages name it: "plugin wasmrust 1.2.0".</summary>
    public override string ToString() => $"plugin {Name} {Version}";

    /// <summary>Reads and checks the manifest of a package (built in, bundled or installed).</summary>
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

    /// <summary>A package embedded in the binary (built in, or a bundled copy) with its templates' files.</summary>
    public static PluginPackage Embedded(PluginOrigin origin, string name, PluginEntry? entry)
    {
        var files = new EmbeddedPluginFiles(origin, name);
        var package = Load(files, origin, entry);
        return package with { Files = files.WithTemplates(package.Manifest.Templates) };
    }
}

/// <summary>An installed plugin that cannot be used, and why.</summary>
internal sealed record BrokenPlugin(string Name, string Problem);

internal sealed class PluginCatalog
{
    /// <summary>How messages and listings name where a bundled plugin comes from.</summary>
    public const string BundledWithWasmrun = "bundled with wasmrun";

    private readonly Lazy<IReadOnlyList<PluginPackage>> available;

    private PluginCatalog(List<PluginPackage> plugins, List<BrokenPlugin> broken, IReadOnlySet<string> registered)
    {
        Plugins = plugins;
        Broken = broken;
        // Read only when asked for (list, info, hints): a compile that finds its plugin never parses these manifests.
        available = new(() => [.. BundledNames().Where(name => !registered.Contains(name)).Select(Bundled)]);
    }

    /// <summary>Built-in plugins first, then installed ones, each group by name: the plugins that can build projects.</summary>
    public IReadOnlyList<PluginPackage> Plugins { get; }

    public IReadOnlyList<BrokenPlugin> Broken { get; }

    /// <summary>The bundled plugins not registered in config.toml, by name: `plugin install NAME` installs them offline.</summary>
    public IReadOnlyList<PluginPackage> Available => available.Value;

    /// <summary>The names of the first-party plugins this binary carries a copy of (not the built-in ones).</summary>
    public static IEnumerable<string> BundledNames() => EmbeddedPluginFiles.Names(PluginOrigin.Bundled);

    public static bool IsBundled(string name) => BundledNames().Contains(name);

    /// <summary>The binary's copy of a bundled plugin.</summary>
    public static PluginPackage Bundled(string name) => PluginPackage.Embedded(PluginOrigin.Bundled, name, null);

    /// <summary>How every hint offers a bundled plugin: the command, and that it needs no network.</summary>
    public static string InstallHint(string name) => $"wasmrun plugin install {name} ({BundledWithWasmrun}: no download)";

    public IEnumerable<PluginPackage> Enabled => Plugins.Where(p => p.Enabled);

    public static PluginCatalog Load(ConfigFile config)
    {
        var plugins = new List<PluginPackage>();
        var broken = new List<BrokenPlugin>();
        var builtIn = EmbeddedPluginFiles.Names(PluginOrigin.BuiltIn).ToHashSet();
        foreach (var name in builtIn)
        {
            config.Settings.Plugins.TryGetValue(name, out var entry);
            plugins.Add(PluginPackage.Embedded(PluginOrigin.BuiltIn, name, entry));
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
        return new PluginCatalog(plugins, broken, config.Settings.Plugins.Keys.ToHashSet());
    }

    public PluginPackage? Find(string name) => Plugins.FirstOrDefault(p => p.Name == name);

    /// <summary>The plugin by name, enabled, disabled or available; a clear error for a broken or unknown one.</summary>
    public PluginPackage Get(string name)
    {
        if ((Find(name) ?? Available.FirstOrDefault(p => p.Name == name)) is { } plugin)
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
            Hint = $"plugins here: {string.Join(", ", Plugins.Concat(Available).Select(p => p.Name))}; `wasmrun plugin search` finds more in the registry",
        };
    }
}
