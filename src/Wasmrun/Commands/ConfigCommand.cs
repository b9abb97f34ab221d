// `wasmrun config`: the effective settings (value, and whether config.toml or the default set it) and the paths.
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Config;

namespace Wasmrun.Commands;

public sealed class ConfigCommand
{
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
