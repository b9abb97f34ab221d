// `wasmrun config set KEY VALUE`: writes one setting to config.toml after checking it as a read would (its type, and
// SettingRules), keeping every other byte of the file; [plugins.NAME] tables stay `wasmrun plugin`'s to write.
using System.Text.RegularExpressions;
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Config;

namespace Wasmrun.Commands;

public sealed partial class ConfigSetCommand
{
    private const string Source = "value";

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
            var (_, keys) = ConfigFile.Schema.Read(Source, text, "");
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

    [GeneratedRegex($@"^{Source}:\d+:\d+: (invalid value for '[\w.]+': )?")]
    private static partial Regex Location();
}
