// Reads a TOML file whose schema the program owns (config.toml, a plugin's wasmrun.toml) strictly: a syntax error, an
// unknown key or a bad value is an error at FILE:LINE:COLUMN with a hint, never a silently ignored line.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tomlyn;
using Tomlyn.Parsing;

namespace Wasmrun.Config;

/// <summary>
/// The schema is the model type T: its valid keys are read back from what Tomlyn writes for the defaults. A table
/// keyed by user-chosen names (a dictionary) is described by one sample entry named "*" in the defaults.
/// </summary>
internal sealed class StrictToml<T>(TomlTypeInfo<T> type, Func<T> defaults)
    where T : class
{
    private readonly Lazy<List<TomlKey>> defaultKeys = new(() => TomlKeys.Read(TomlSerializer.Serialize(defaults(), type)));

    /// <summary>Every key the schema accepts, dotted ("color", "plugins.*.version").</summary>
    public IEnumerable<string> ValidKeys => defaultKeys.Value.Where(k => !k.IsTable).Select(k => k.Path);

    /// <summary>The keys of a value of T, with their values (for showing effective settings).</summary>
    public List<TomlKey> KeysOf(T value) => TomlKeys.Read(TomlSerializer.Serialize(value, type));

    /// <summary>The default value of a key as TOML would show it, or null for a key without one.</summary>
    public string? DefaultOf(string path) => defaultKeys.Value.Find(k => !k.IsTable && Matches(k.Path, path))?.Value?.ToJsonString();

    /// <summary>Parses and checks `text` (the contents of `file`); returns the value and the keys the file sets.</summary>
    public (T Value, List<TomlKey> Keys) Read(string file, string text, string keyHint)
    {
        try
        {
            SyntaxParser.ParseStrict(text, file, validate: true);
        }
        catch (TomlException ex)
        {
            throw StrictToml.Invalid(file, ex.Line, ex.Column, $"TOML syntax error: {StrictToml.Reason(ex)}", "fix the syntax there (see https://toml.io)");
        }
        // ParseStrict also rejects a key or table defined twice; Tomlyn's deserializer skips unknown keys, which would
        // hide a typo, so every key is checked against the schema first.
        var keys = TomlKeys.Read(text);
        foreach (var key in keys)
        {
            if (!defaultKeys.Value.Any(k => Matches(k.Path, key.Path)))
            {
                throw StrictToml.Invalid(file, key.Line, key.Column, $"unknown key '{key.Path}'",
                    $"valid keys: {string.Join(", ", ValidKeys)}; {keyHint}");
            }
        }
        foreach (var key in keys)
        {
            CheckArrayOfTables(file, key, keyHint);
        }
        try
        {
            return (TomlSerializer.Deserialize(text, type) ?? defaults(), keys);
        }
        catch (TomlException ex)
        {
            // Wrong value types and bad enum words surface here, located at the value.
            var key = keys.Find(k => !k.IsTable && k.ValueLine == ex.Line && k.ValueColumn == ex.Column);
            var defaultValue = key is null ? null : DefaultOf(key.Path);
            throw StrictToml.Invalid(file, ex.Line, ex.Column, key is null ? StrictToml.Reason(ex) : $"invalid value for '{key.Path}': {StrictToml.Reason(ex)}",
                defaultValue is null ? "fix the value" : $"fix the value, or delete the line for the default ({defaultValue})");
        }
    }

    /// <summary>The tables of an array of tables ([[tools]]) are values to the key walk: their keys are checked against
    /// the schema's sample table here, located at the array.</summary>
    private void CheckArrayOfTables(string file, TomlKey key, string keyHint)
    {
        if (key.Value is not JsonArray items
            || defaultKeys.Value.Find(k => Matches(k.Path, key.Path))?.Value is not JsonArray { Count: > 0 } sample
            || sample[0] is not JsonObject shape)
        {
            return;
        }
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject item)
            {
                continue;
            }
            foreach (var name in item.Select(p => p.Key).Where(name => !shape.ContainsKey(name)))
            {
                throw StrictToml.Invalid(file, key.Line, key.Column, $"unknown key '{name}' in entry {i + 1} of '{key.Path}'",
                    $"valid keys there: {string.Join(", ", shape.Select(p => p.Key))}; {keyHint}");
            }
        }
    }

    /// <summary>A schema path matches a file's key path segment by segment; "*" stands for any one name.</summary>
    private static bool Matches(string pattern, string path)
    {
        var patternParts = pattern.Split('.');
        var pathParts = path.Split('.');
        return patternParts.Length == pathParts.Length
            && patternParts.Zip(pathParts).All(pair => pair.First == "*" || pair.First == pair.Second);
    }
}

/// <summary>Error wording shared by every strictly read TOML file.</summary>
internal static partial class StrictToml
{
    /// <summary>"FILE:LINE:COLUMN: what", the form editors and terminals turn into a link to the spot.</summary>
    public static WasmrunException Invalid(string file, int? line, int? column, string what, string hint) =>
        new($"{(line is null ? file : $"{file}:{line}:{column}")}: {what}") { Hint = hint };

    /// <summary>
    /// The bare reason from a Tomlyn error. A failing converter's message arrives wrapped as "Exception while trying to
    /// convert TOML value to type 'X' using converter 'Y'. Reason: (3,9) : error : REASON", without an inner exception.
    /// </summary>
    public static string Reason(TomlException ex)
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
