// The settings of config.toml and their defaults, with the Tomlyn source-generated context that reads them.
using System.Text.Json.Serialization;
using Tomlyn.Serialization;
using Wasmrun.Cli;

namespace Wasmrun.Config;

/// <summary>
/// One property per key; a [section] is a property whose type is another class like this one. Only settings the
/// program reads belong here. Every property needs a non-null default: the valid keys, and the defaults shown by
/// `wasmrun config`, are read from the serialized defaults (see Schema).
/// </summary>
internal sealed class WasmrunConfig
{
    /// <summary>Colours in terminal output: auto (on for a terminal, off under NO_COLOR or TERM=dumb), always, never.</summary>
    public ColorMode Color { get; set; } = ColorMode.Auto;

    /// <summary>The plugin registry: any server that speaks the npm registry protocol.</summary>
    public string Registry { get; set; } = "https://registry.npmjs.org";

    /// <summary>What a plugin's script may use (the sandbox's limits).</summary>
    public PluginLimits PluginLimits { get; set; } = new();

    /// <summary>Installed plugins, one [plugins.NAME] table each; written by `wasmrun plugin`, also to disable the
    /// built-in ones (`[plugins.c] enabled = false`).</summary>
    public Dictionary<string, PluginEntry> Plugins { get; set; } = [];

    /// <summary>The defaults plus one sample [plugins."*"] table: the shape every [plugins.NAME] table is checked against.</summary>
    public static WasmrunConfig Schema() => new() { Plugins = { ["*"] = new PluginEntry() } };
}

internal sealed class PluginLimits
{
    /// <summary>Memory a script may allocate (bytes, or with KiB/MiB/GiB).</summary>
    public string Memory { get; set; } = "256MiB";

    /// <summary>Time a script may run per call (500ms, 30s, 2m); time in the programs it runs is not counted.</summary>
    public string Time { get; set; } = "30s";

    /// <summary>Statements a script may execute per call.</summary>
    public long Statements { get; set; } = 50_000_000;

    /// <summary>How deep a script's calls may nest.</summary>
    public int Recursion { get; set; } = 512;
}

/// <summary>A [plugins.NAME] table. For a built-in plugin only `enabled` means anything.</summary>
internal sealed class PluginEntry
{
    /// <summary>The installed version (from the plugin's wasmrun.toml).</summary>
    public string Version { get; set; } = "";

    /// <summary>Where it came from: "registry" (config.toml's registry), "registry:URL" (installed with --registry),
    /// a path, or a URL; `plugin update` installs from there again.</summary>
    public string Source { get; set; } = "";

    /// <summary>The package's integrity hash as the registry gave it ("sha512-..."); empty for a folder.</summary>
    public string Integrity { get; set; } = "";

    /// <summary>A disabled plugin stays installed but is never chosen for a project.</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>Keys are snake_case; every enum setting needs its KeywordConverter listed here.</summary>
[TomlSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(KeywordConverter<ColorMode>)])]
[TomlSerializable(typeof(WasmrunConfig))]
internal sealed partial class ConfigTomlContext : TomlSerializerContext
{
}
