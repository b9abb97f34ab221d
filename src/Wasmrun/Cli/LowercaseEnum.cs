// The states Wasmrun names in JSON and in text (artifact kind, build status, page mode, event type, severity) are
// enums whose one spelling outside C# is the member's name in lower case: "wasi", "building", "playground". One
// converter for System.Text.Json's source generation (no reflection), one name and one parse for the text.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wasmrun.Cli;

/// <summary>Put on an enum as [JsonConverter(typeof(LowercaseEnum&lt;T&gt;))]: it is written and read by its lower-case names.</summary>
internal sealed class LowercaseEnum<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where T : struct, Enum;

internal static class LowercaseEnum
{
    /// <summary>"wasi" for ArtifactKind.Wasi: the name JSON, messages and plugins use.</summary>
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>The member a lower-case name names, or null.</summary>
    public static T? Parse<T>(string name) where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            if (Name(value) == name)
            {
                return value;
            }
        }
        return null;
    }

    /// <summary>"\"wasi\", \"module\" or \"web\"": the names, for a message that lists what is accepted.</summary>
    public static string Names<T>(string conjunction = "or") where T : struct, Enum
    {
        var names = Enum.GetValues<T>().Select(v => $"\"{Name(v)}\"").ToList();
        return names.Count == 1 ? names[0] : $"{string.Join(", ", names[..^1])} {conjunction} {names[^1]}";
    }
}
