// Loads config.toml (strictly, once per process) and applies it.
using System.Text.Json.Nodes;
using Wasmrun.Cli;
using ZLogger;

namespace Wasmrun.Config;

/// <summary>One effective setting: its dotted key, its value, and whether config.toml set it (else the default).</summary>
internal sealed record ConfigSetting(string Key, JsonNode Value, bool FromFile);

/// <summary>
/// A syntax error, an unknown key or a bad value stops the command with FILE:LINE:COLUMN and a hint (or, for a command
/// that needs no setting, is a warning and the defaults apply). A broken file is
/// never rewritten or reset: it stays the user's to fix. Only `wasmrun config set` (one setting) and `wasmrun plugin`
/// (its own [plugins.NAME] tables) write to the file, through ConfigEditor.
/// </summary>
internal sealed class ConfigFile
{
    // Lazy caches a load failure too: every later use in the process reports the same error.
    private static readonly Lazy<ConfigFile> loaded = new(() => Load(ConfigPaths.FromEnvironment()));

    /// <summary>The defaults a command that can do without the file uses when the file is broken.</summary>
    private static ConfigFile? fallback;

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
    public static ConfigFile Current => fallback ?? loaded.Value;

    /// <summary>Every key config.toml accepts, dotted ("color", "plugin_limits.memory", "plugins.*.version").</summary>
    public static IEnumerable<string> ValidKeys => Schema.ValidKeys;

    public ConfigPaths Paths { get; }

    /// <summary>False when there is no config.toml: every setting is then its default.</summary>
    public bool Exists { get; }

    public WasmrunConfig Settings { get; }

    /// <summary>Called by the command filter before every command. A command that needs no setting but the colour
    /// (running or checking a module, stopping a server) warns about a broken file and goes on with the defaults:
    /// a typo in config.toml must not stop `wasmrun stop`.</summary>
    public static void LoadAndApply(bool defaultsWhenBroken)
    {
        ConfigFile config;
        try
        {
            config = Current;
        }
        catch (WasmrunException error) when (defaultsWhenBroken)
        {
            var paths = ConfigPaths.FromEnvironment();
            config = fallback = new ConfigFile(paths, exists: false, new WasmrunConfig(), []);
            var err = Terminal.Error;
            err.WriteLine($"{err.Yellow("warning:")} {error.Describe()}; this command goes on with the default settings");
        }
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
        foreach (var key in keys.Where(k => !k.IsTable))
        {
            if (SettingRules.Problem(key.Path, key.Value!) is { } problem)
            {
                throw StrictToml.Invalid(paths.File, key.ValueLine, key.ValueColumn, $"invalid value for '{key.Path}': {problem}",
                    $"fix the value, or delete the line for the default ({Schema.DefaultOf(key.Path)})");
            }
        }
        return new ConfigFile(paths, exists: true, settings, [.. keys.Select(k => k.Path)]);
    }

    /// <summary>Every setting with its effective value, in the order of WasmrunConfig's properties.</summary>
    public IEnumerable<ConfigSetting> EffectiveSettings() =>
        Schema.KeysOf(Settings).Where(k => !k.IsTable).Select(k => new ConfigSetting(k.Path, k.Value!, keysInFile.Contains(k.Path)));
}
