// Reads and writes an enum setting as exactly one of its lowercase words (`color = "never"`).
using System.Text.Json;
using Tomlyn.Serialization;

namespace Wasmrun.Config;

/// <summary>
/// Tomlyn's own enum converter also takes numbers and any casing (and writes "Auto"), so `color = 3` would silently
/// become a ColorMode that does not exist. Words are the member names in snake_case.
/// </summary>
internal sealed class KeywordConverter<TEnum> : TomlConverter<TEnum>
    where TEnum : struct, Enum
{
    private static readonly (string Word, TEnum Value)[] words =
        [.. Enum.GetValues<TEnum>().Select(value => (JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString()), value))];

    /// <summary>The accepted words, quoted as in TOML: `"auto", "always", "never"`.</summary>
    public static string Choices { get; } = string.Join(", ", words.Select(w => $"\"{w.Word}\""));

    public override TEnum Read(TomlReader reader)
    {
        if (reader.TokenType != TomlTokenType.String)
        {
            var found = reader.TokenType switch
            {
                TomlTokenType.StartArray => "an array",
                TomlTokenType.StartTable => "a table",
                _ => reader.GetRawText(),
            };
            throw reader.CreateException($"expected a string, one of {Choices}; found {found}");
        }
        var text = reader.GetString();
        foreach (var (word, value) in words)
        {
            if (word == text)
            {
                reader.Read();
                return value;
            }
        }
        throw reader.CreateException($"\"{text}\" is not one of {Choices}");
    }

    public override void Write(TomlWriter writer, TEnum value) =>
        writer.WriteStringValue(words.First(w => EqualityComparer<TEnum>.Default.Equals(w.Value, value)).Word);
}
