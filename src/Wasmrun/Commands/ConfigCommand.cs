// `wasmrun config`: the effective settings (value, and whether config.toml or the default set it) and the paths.
// `wasmrun config set KEY VALUE`: writes one setting to config.toml after checking it as a read would (its type, and
// SettingRules), keeping every other byte of the file; [plugins.NAME] tables stay `wasmrun plugin`'s to write.
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Config;

namespace Wasmrun.Commands;

public sealed partial class ConfigCommand
{
    // the name a value is read under when `config set` checks it as config.toml would be read
    private const string ValueSource = "value";

    /// <summary>Show the effective configuration (each setting and where it came from) and the config paths.</summary>
    /// <param name="json">Print one JSON object (snake_case keys) instead of text.</param>
    [Command("config")]
    public void Config(bool json = false)
    {
        if (json)
        {
            Terminal.Out.WriteLine(ToJson(ConfigFile.Current));
        }
        else
        {
            WriteText(ConfigFile.Current, Terminal.Out);
        }
    }

    /// <summary>Set a setting in config.toml (`wasmrun config` lists them with their values); the rest of the file stays as it is.</summary>
    /// <param name="key">The setting's key: color, registry, plugin_limits.memory, ...</param>
    /// <param name="value">Its new value, as `wasmrun config` prints it without quotes (never, 512MiB, 60s).</param>
    [Command("config set")]
    public void Set([Argument] string key, [Argument] string value)
    {
        var config = ConfigFile.Current;
        var keys = ConfigFile.ValidKeys.Where(k => !k.StartsWith("plugins.", StringComparison.Ordinal)).ToList();
        if (key.StartsWith("plugins.", StringComparison.Ordinal))
        {
            throw new WasmrunException($"{key}: plugin tables are written by `wasmrun plugin`", ExitCode.Usage)
            {
                Hint = "use `wasmrun plugin install`, `enable` or `disable`",
            };
        }
        if (!keys.Contains(key))
        {
            throw new WasmrunException($"unknown setting '{key}'", ExitCode.Usage)
            {
                Hint = CommandLine.Suggest(key, keys) is { } near ? $"did you mean {near}? (the settings: {string.Join(", ", keys)})" : $"the settings: {string.Join(", ", keys)}",
            };
        }
        var literal = Literal(key, value, ConfigFile.Schema.DefaultOf(key)!);
        Check(key, value, literal);
        ConfigEditor.Set(config.Paths, key, literal);
        Terminal.Out.WriteLine($"{key} = {literal} (in {config.Paths.File})");
    }

    /// <summary>The value as TOML, typed like the setting's default: a number, true/false, or a string.</summary>
    private static string Literal(string key, string value, string defaultJson) => defaultJson[0] switch
    {
        '"' => TomlSetting.Of(key, value).Literal,
        't' or 'f' => value is "true" or "false" ? value : throw Invalid(key, value, $"'{value}' is not true or false"),
        _ => long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : throw Invalid(key, value, $"'{value}' is not a whole number"),
    };

    /// <summary>Reads the setting alone as config.toml would be read, so a value is refused here, not at its first use.</summary>
    private static void Check(string key, string value, string literal)
    {
        var path = key.Split('.');
        var text = path.Length == 1 ? $"{key} = {literal}\n" : $"[{string.Join('.', path[..^1])}]\n{path[^1]} = {literal}\n";
        try
        {
            var (_, keys) = ConfigFile.Schema.Read(ValueSource, text, "");
            var read = keys.Single(k => k.Path == key);
            if (SettingRules.Problem(key, read.Value!) is { } problem)
            {
                throw Invalid(key, value, problem);
            }
        }
        catch (WasmrunException error) when (error.ExitCode != ExitCode.Usage)
        {
            throw Invalid(key, value, Location().Replace(error.Message, ""));
        }
    }

    private static WasmrunException Invalid(string key, string value, string problem) =>
        new($"config set {key} {value}: {problem}", ExitCode.Usage)
        {
            Hint = $"config.toml was not changed; `wasmrun config` shows the current value ({ConfigFile.Schema.DefaultOf(key)} by default)",
        };

    [GeneratedRegex($@"^{ValueSource}:\d+:\d+: (invalid value for '[\w.]+': )?")]
    private static partial Regex Location();

    internal static string ToJson(ConfigFile config)
    {
        var report = new ConfigReport(
            config.EffectiveSettings().ToDictionary(s => s.Key, s => new SettingReport(s.Value, s.FromFile ? "file" : "default")),
            new HomeReport(config.Paths.Home, config.Paths.HomeFromEnvironment ? ConfigPaths.HomeVariable : "default"),
            new ConfigFileReport(config.Paths.File, config.Exists));
        return JsonSerializer.Serialize(report, ConfigJsonContext.Default.ConfigReport);
    }

    internal static void WriteText(ConfigFile config, Terminal output)
    {
        // Settings print as TOML lines (`color = "auto"`), so any of them can be pasted into config.toml.
        var settings = config.EffectiveSettings()
            .Select(s => (Line: $"{s.Key} = {s.Value.ToJsonString()}", Source: s.FromFile ? "from config file" : "default"))
            .ToList();
        var settingWidth = settings.Max(s => s.Line.Length);
        output.WriteLine(output.Bold("settings"));
        foreach (var (setting, source) in settings)
        {
            output.WriteLine($"  {setting.PadRight(settingWidth)}  {output.Dim($"({source})")}");
        }
        var paths = config.Paths;
        (string Label, string Path, string Note)[] rows =
        [
            ("home", paths.Home, paths.HomeFromEnvironment ? $"from {ConfigPaths.HomeVariable}" : $"default; {ConfigPaths.HomeVariable} overrides it"),
            ("config file", paths.File, config.Exists ? "found" : "not found; every setting is its default"),
        ];
        var labelWidth = rows.Max(r => r.Label.Length);
        var pathWidth = rows.Max(r => r.Path.Length);
        output.WriteLine();
        output.WriteLine(output.Bold("paths"));
        foreach (var (label, path, note) in rows)
        {
            output.WriteLine($"  {label.PadRight(labelWidth)}  {path.PadRight(pathWidth)}  {output.Dim($"({note})")}");
        }
    }
}

/// <summary>The `--json` output. Settings are keyed by their dotted TOML key, in declaration order.</summary>
internal sealed record ConfigReport(Dictionary<string, SettingReport> Settings, HomeReport Home, ConfigFileReport ConfigFile);

/// <param name="Value">The effective value, typed as in TOML.</param>
/// <param name="Source">"file" or "default".</param>
internal sealed record SettingReport(JsonNode Value, string Source);

/// <param name="Path">The config home directory.</param>
/// <param name="Source">"WASMRUN_HOME" or "default".</param>
internal sealed record HomeReport(string Path, string Source);

internal sealed record ConfigFileReport(string Path, bool Exists);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ConfigReport))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext
{
}
