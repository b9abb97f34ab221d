// Lists the keys of a TOML document with positions and values: for the unknown-key check and `wasmrun config`.
using System.Text.Json.Nodes;
using Tomlyn;
using Tomlyn.Serialization;

namespace Wasmrun.Config;

/// <summary>
/// A key of a TOML document. Path is dotted from the root ("color", "exec.timeout"); positions are 1-based.
/// A table (a [section], a dotted-key prefix or an inline table) has no value: its keys follow it in the list.
/// </summary>
internal sealed record TomlKey(string Path, int Line, int Column, int ValueLine, int ValueColumn, JsonNode? Value)
{
    public bool IsTable => Value is null;
}

internal static class TomlKeys
{
    /// <summary>
    /// Tomlyn's TomlReader presents the document as one logical tree (dotted keys and [section] headers merged into
    /// tables), so this walk needs no TOML rules of its own. It expects TOML that already passed SyntaxParser.ParseStrict.
    /// </summary>
    public static List<TomlKey> Read(string toml)
    {
        var reader = TomlReader.Create(toml, TomlSerializerOptions.Default);
        reader.Read(); // StartDocument
        reader.Read(); // the root table
        var keys = new List<TomlKey>();
        ReadTable(reader, "", keys);
        return keys;
    }

    private static void ReadTable(TomlReader reader, string prefix, List<TomlKey> keys)
    {
        reader.Read();
        while (reader.TokenType == TomlTokenType.PropertyName)
        {
            var path = prefix + reader.PropertyName;
            var (line, column) = (reader.Line, reader.Column);
            reader.Read();
            if (reader.TokenType == TomlTokenType.StartTable)
            {
                keys.Add(new TomlKey(path, line, column, reader.Line, reader.Column, Value: null));
                ReadTable(reader, path + ".", keys);
            }
            else
            {
                var (valueLine, valueColumn) = (reader.Line, reader.Column);
                keys.Add(new TomlKey(path, line, column, valueLine, valueColumn, ReadValue(reader)));
            }
        }
        reader.Read(); // EndTable
    }

    /// <summary>Reads one value (tables only occur here inside arrays) and moves past it.</summary>
    private static JsonNode ReadValue(TomlReader reader)
    {
        JsonNode value;
        switch (reader.TokenType)
        {
            case TomlTokenType.StartArray:
                var array = new JsonArray();
                reader.Read();
                while (reader.TokenType != TomlTokenType.EndArray)
                {
                    array.Add(ReadValue(reader));
                }
                value = array;
                break;
            case TomlTokenType.StartTable:
                var table = new JsonObject();
                reader.Read();
                while (reader.TokenType == TomlTokenType.PropertyName)
                {
                    var name = reader.PropertyName!;
                    reader.Read();
                    table[name] = ReadValue(reader);
                }
                value = table;
                break;
            case TomlTokenType.String:
                value = JsonValue.Create(reader.GetString());
                break;
            case TomlTokenType.Integer:
                value = JsonValue.Create(reader.GetInt64());
                break;
            case TomlTokenType.Float:
                value = JsonValue.Create(reader.GetDouble());
                break;
            case TomlTokenType.Boolean:
                value = JsonValue.Create(reader.GetBoolean());
                break;
            case TomlTokenType.DateTime:
                value = JsonValue.Create(reader.GetTomlDateTime().ToString());
                break;
            default:
                throw reader.CreateException($"unexpected {reader.TokenType} token");
        }
        reader.Read();
        return value;
    }
}
