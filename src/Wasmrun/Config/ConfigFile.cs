// Loads config.toml (strictly, once per process) and applies it.
using System.Text.Json.Nodes;
using Wasmrun.Cli;
using ZLogger;

namespace Wasmrun.Config;

/// <summary>One effective setting: its dotted key, its value, and whether config.toml set it (else the default).</summary>
internal sealed record ConfigSetting(string Key, JsonNode Value, bool FromFile);

/// <summary>
/// A syntax error, an unknown key or a bad value stops the command with FILE:LINE:COLUMN and a hint. A broken file is
/// never rewritten or reset: it stays the user's to fix. Only `wasmrun plugin` writes to the file, and only its own
/// [plugins.NAME] tables (ConfigEditor).
/// </summary>
internal sealed class ConfigFile
{
    // Lazy caches a load failure too: every later use in the process reports the same error.
    private static readonly Lazy<ConfigFile> current = new(() => Load(ConfigPaths.FromEnvironment()));

    /// <summary>The schema: WasmrunConfig's properties, with one sample installed plugin for the [plugins.NAME] tables
    /// (ConfigEditor checks its edits against it too).</summary>
    public static StrictToml<WasmrunConfig> Schema { get; } = new(ConfigTomlContext.Default.WasmrunConfig, WasmrunConfig.Schema);

    private readonly HashSet<string> keysInFile;

    private ConfigFile(ConfigPaths paths, bool exists, WasmrunConfig settings, HashSet<string> keysInFile)
    {
        Paths = paths;
        Exists = exists;
        Settings = settings;
        this.keysInFile = keysInFile;
    }

    /// <summary>The configuration of this process (WASMRUN_HOME or ~/.wasmrun), loaded on first use.</summary>
    public static ConfigFile Current => current.Value;

    /// <summary>Every key config.toml accepts, dotted ("color", "plugin_limits.memory", "plugins.*.version").</summary>
    public static IEnumerable<string> ValidKeys => Schema.ValidKeys;

    public ConfigPaths Paths { get; }

    /// <summary>False when there is no config.toml: every setting is then its default.</summary>
    public bool Exists { get; }

    public WasmrunConfig Settings { get; }

    /// <summary>Called by the command filter before every command.</summary>
    public static void LoadAndApply()
    {
        var config = Current;
        Log.For("config").ZLogDebug($"config: {config.Paths.File} {(config.Exists ? "loaded" : "not found, defaults")}");
        Terminal.ApplyColorSetting(config.Settings.Color);
    }

    public static ConfigFile Load(ConfigPaths paths)
    {
        string text;
        try
        {
            text = File.ReadAllText(paths.File);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new ConfigFile(paths, exists: false, new WasmrunConfig(), []);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new WasmrunException($"cannot read config file {paths.File}: {ex.Message}", ExitCode.InvalidInput, ex)
            {
                Hint = $"make it a readable file, or set {ConfigPaths.HomeVariable} to another directory",
            };
        }
        var (settings, keys) = Schema.Read(paths.File, text, "fix the spelling or delete the line (a broken config.toml is never rewritten)");
        return new ConfigFile(paths, exists: true, settings, [.. keys.Select(k => k.Path)]);
    }

    /// <summary>Every setting with its effective value, in the order of WasmrunConfig's properties.</summary>
    public IEnumerable<ConfigSetting> EffectiveSettings() =>
        Schema.KeysOf(Settings).Where(k => !k.IsTable).Select(k => new ConfigSetting(k.Path, k.Value!, keysInFile.Contains(k.Path)));
}
