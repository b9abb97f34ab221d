// Loads config.toml (strictly, once per process) and applies it; the file is only ever read.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tomlyn;
using Tomlyn.Parsing;
using Wasmrun.Cli;
using ZLogger;

namespace Wasmrun.Config;

/// <summary>One effective setting: its dotted key, its value, and whether config.toml set it (else the default).</summary>
internal sealed record ConfigSetting(string Key, JsonNode Value, bool FromFile);

/// <summary>
/// A syntax error, an unknown key or a bad value stops the command with FILE:LINE:COLUMN and a hint. The file is never
/// created, rewritten or reset: a broken file stays the user's to fix.
/// </summary>
internal sealed partial class ConfigFile
{
    // Lazy caches a load failure too: every later use in the process reports the same error.
    private static readonly Lazy<ConfigFile> current = new(() => Load(ConfigPaths.FromEnvironment()));

    /// <summary>The settings with their default values, read back from what Tomlyn writes for `new WasmrunConfig()`.</summary>
    private static readonly Lazy<List<TomlKey>> defaults = new(() => KeysOf(new WasmrunConfig()));

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

    /// <summary>Every key config.toml accepts, dotted ("color", later "exec.timeout").</summary>
    public static IEnumerable<string> ValidKeys => defaults.Value.Where(k => !k.IsTable).Select(k => k.Path);

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
        var keys = CheckedKeys(paths.File, text);
        var settings = Deserialize(paths.File, text, keys);
        return new ConfigFile(paths, exists: true, settings, [.. keys.Select(k => k.Path)]);
    }

    /// <summary>Every setting with its effective value, in the order of WasmrunConfig's properties.</summary>
    public IEnumerable<ConfigSetting> EffectiveSettings() =>
        KeysOf(Settings).Where(k => !k.IsTable).Select(k => new ConfigSetting(k.Path, k.Value!, keysInFile.Contains(k.Path)));

    private static List<TomlKey> KeysOf(WasmrunConfig settings) =>
        TomlKeys.Read(TomlSerializer.Serialize(settings, ConfigTomlContext.Default.WasmrunConfig));

    /// <summary>The file's keys, once its TOML is valid (ParseStrict also rejects a key or table defined twice) and
    /// every key is one the program uses: Tomlyn itself skips unknown keys, which would hide a typo.</summary>
    private static List<TomlKey> CheckedKeys(string file, string text)
    {
        try
        {
            SyntaxParser.ParseStrict(text, file, validate: true);
        }
        catch (TomlException ex)
        {
            throw Invalid(file, ex.Line, ex.Column, $"TOML syntax error: {Reason(ex)}",
                "fix the syntax there (see https://toml.io); Wasmrun never rewrites this file");
        }
        var keys = TomlKeys.Read(text);
        var valid = defaults.Value.Select(k => k.Path).ToHashSet();
        foreach (var key in keys)
        {
            if (!valid.Contains(key.Path))
            {
                throw Invalid(file, key.Line, key.Column, $"unknown key '{key.Path}'",
                    $"valid keys: {string.Join(", ", ValidKeys)}; fix the spelling or delete the line");
            }
        }
        return keys;
    }

    /// <summary>Wrong value types and bad enum words surface here, located at the value.</summary>
    private static WasmrunConfig Deserialize(string file, string text, List<TomlKey> keys)
    {
        try
        {
            return TomlSerializer.Deserialize(text, ConfigTomlContext.Default.WasmrunConfig) ?? new WasmrunConfig();
        }
        catch (TomlException ex)
        {
            var key = keys.Find(k => !k.IsTable && k.ValueLine == ex.Line && k.ValueColumn == ex.Column);
            var defaultValue = key is null ? null : defaults.Value.Find(k => k.Path == key.Path)?.Value;
            throw Invalid(file, ex.Line, ex.Column, key is null ? Reason(ex) : $"invalid value for '{key.Path}': {Reason(ex)}",
                defaultValue is null ? "fix the value" : $"fix the value, or delete the line for the default ({defaultValue.ToJsonString()})");
        }
    }

    /// <summary>"FILE:LINE:COLUMN: what", the form editors and terminals turn into a link to the spot.</summary>
    private static WasmrunException Invalid(string file, int? line, int? column, string what, string hint) =>
        new($"{(line is null ? file : $"{file}:{line}:{column}")}: {what}") { Hint = hint };

    /// <summary>
    /// The bare reason from a Tomlyn error. A failing converter's message arrives wrapped as "Exception while trying to
    /// convert TOML value to type 'X' using converter 'Y'. Reason: (3,9) : error : REASON", without an inner exception.
    /// </summary>
    private static string Reason(TomlException ex)
    {
        var text = ex.Diagnostics.Count > 0 ? ex.Diagnostics[0].Message : ex.Message;
        var reason = text.LastIndexOf("Reason: ", StringComparison.Ordinal);
        if (reason >= 0)
        {
            text = text[(reason + "Reason: ".Length)..];
        }
        return LocationPrefix().Replace(text, "").Trim();
    }

    [GeneratedRegex(@"^\(\d+,\d+\) : error : ")]
    private static partial Regex LocationPrefix();
}
