// What config.toml's values mean beyond their TOML types: a size, a duration, a count of at least 1, the registry's
// URL. The same rule runs when the file is read (located at the value) and before `wasmrun config set` writes, so a
// value that would fail later, in the middle of a build, is refused where it is written.
using System.Text.Json.Nodes;
using Wasmrun.Cli;
using Wasmrun.Plugins.Install;

namespace Wasmrun.Config;

internal static class SettingRules
{
    /// <summary>What is wrong with a setting's value, or null when nothing is (keys without a rule are fine).</summary>
    public static string? Problem(string key, JsonNode value) => key switch
    {
        "registry" => RegistryClient.Root(value.GetValue<string>()) is null ? $"'{value.GetValue<string>()}' is not an http or https URL" : null,
        "plugin_limits.memory" => Parses(() => Units.Bytes(value.GetValue<string>(), key)),
        "plugin_limits.time" => Parses(() => Units.Duration(value.GetValue<string>(), key)),
        "plugin_limits.statements" or "plugin_limits.recursion" => value.GetValue<long>() >= 1 ? null : $"{value.ToJsonString()} is not a count of at least 1",
        _ => null,
    };

    /// <summary>The parser's own words ("'lots' is not a size in bytes, ..."), without the key it starts with.</summary>
    private static string? Parses(Action parse)
    {
        try
        {
            parse();
            return null;
        }
        catch (WasmrunException error)
        {
            var colon = error.Message.IndexOf(": ", StringComparison.Ordinal);
            return colon < 0 ? error.Message : error.Message[(colon + 2)..];
        }
    }
}
