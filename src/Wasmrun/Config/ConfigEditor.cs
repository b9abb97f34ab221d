// Edits config.toml for `wasmrun plugin` and `wasmrun config set`: sets keys of one table (a [plugins.NAME] table,
// [plugin_limits], or the top level) or removes a [plugins.NAME] table, and leaves every other byte of the user's file as it was (comments, order, spacing, line endings). A file that does not parse is
// never touched; the edit is checked by parsing the result, and written atomically (temporary file, then rename).
using System.Text;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Wasmrun.Config;

/// <summary>A key of a [plugins.NAME] table and its value as a TOML literal.</summary>
internal sealed record TomlSetting(string Key, string Literal)
{
    public static TomlSetting Of(string key, string value) => new(key, Quote(value));

    public static TomlSetting Of(string key, bool value) => new(key, value ? "true" : "false");

    /// <summary>A TOML basic string ("..."), escaped.</summary>
    private static string Quote(string value)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' or '\u007f' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }
}

internal static class ConfigEditor
{
    private const string BrokenFileHint = "fix it by hand first: Wasmrun never rewrites a config.toml it cannot read";


    private static readonly byte[] utf8Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Sets keys of [plugins.NAME] (adding the table when missing); other keys of the table stay.
    /// Creates config.toml (and its folder) when there is none.</summary>
    public static void SetPlugin(ConfigPaths paths, string name, IReadOnlyList<TomlSetting> settings) =>
        Edit(paths, text => SetPlugin(paths.File, text, name, settings));

    /// <summary>Sets one setting ("color", "plugin_limits.memory") to a TOML literal; creates config.toml when there is none.</summary>
    public static void Set(ConfigPaths paths, string key, string literal) =>
        Edit(paths, text => Set(paths.File, text, key, literal));

    /// <summary>The edit of Set on the file's text.</summary>
    internal static string Set(string file, string text, string key, string literal)
    {
        var path = key.Split('.');
        return SetInTable(file, text, path[..^1], [new TomlSetting(path[^1], literal)]);
    }

    /// <summary>Removes [plugins.NAME]; nothing happens when config.toml has no such table.</summary>
    public static void RemovePlugin(ConfigPaths paths, string name) =>
        Edit(paths, text => RemovePlugin(paths.File, text, name));

    /// <summary>The edit of SetPlugin on the file's text (which must be valid: else the error names the spot).</summary>
    internal static string SetPlugin(string file, string text, string name, IReadOnlyList<TomlSetting> settings) =>
        SetInTable(file, text, ["plugins", name], settings);

    /// <summary>Sets keys of the table at `table` (empty: the top level), adding the table when missing.</summary>
    private static string SetInTable(string file, string text, string[] table, IReadOnlyList<TomlSetting> settings)
    {
        Values(file, text);
        var entry = Find(file, text, table);
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var edits = new List<(int Start, int End, string Text)>();
        var missing = new StringBuilder();
        var lastItem = entry.Items.Count > 0 ? entry.Items[^1].Item : null;
        foreach (var setting in settings)
        {
            var existing = entry.Items.Find(i => i.Key == setting.Key).Item;
            if (existing is not null)
            {
                edits.Add((existing.Value!.Span.Offset, End(existing.Value.Span), setting.Literal));
            }
            else if (entry.Table is null && lastItem is not null)
            {
                // Dotted keys (`NAME.version = ...` under [plugins], or `plugins.NAME.version = ...`): spelled like the
                // last one, with its indentation.
                var key = lastItem.Key!;
                var prefix = key.DotKeys.ChildrenCount == 0 ? "" : text[key.Span.Offset..key.DotKeys.GetChild(key.DotKeys.ChildrenCount - 1)!.Key!.Span.Offset];
                var indent = text[LineStart(text, lastItem.Span.Offset)..lastItem.Span.Offset];
                missing.Append($"{indent}{prefix}{setting.Key} = {setting.Literal}{newline}");
            }
            else
            {
                missing.Append($"{setting.Key} = {setting.Literal}{newline}");
            }
        }
        if (missing.Length > 0)
        {
            if (entry.Table is null && lastItem is null && table.Length == 0)
            {
                // Top-level keys go before the first table, where TOML keeps them.
                var at = entry.FirstTable is { } first ? LineStart(text, first.Span.Offset) : text.Length;
                var before = at > 0 && text[at - 1] != '\n' ? newline : "";
                edits.Add((at, at, before + missing + (at < text.Length ? newline : "")));
            }
            else if (entry.Table is null && lastItem is null)
            {
                var separator = text.Length == 0 ? "" : text.EndsWith('\n') ? (text.EndsWith(newline + newline, StringComparison.Ordinal) ? "" : newline) : newline + newline;
                edits.Add((text.Length, text.Length, $"{separator}[{string.Join('.', table)}]{newline}{missing}"));
            }
            else
            {
                var at = entry.Table is not null ? End(entry.Table.Span) : End(lastItem!.Span);
                edits.Add((at, at, (at > 0 && text[at - 1] != '\n' ? newline : "") + missing));
            }
        }
        var result = Apply(text, edits);
        Check(file, text, result, table, settings);
        return result;
    }

    /// <summary>The edit of RemovePlugin on the file's text.</summary>
    internal static string RemovePlugin(string file, string text, string name)
    {
        Values(file, text);
        string[] table = ["plugins", name];
        var entry = Find(file, text, table);
        var edits = new List<(int Start, int End, string Text)>();
        if (entry.Table is not null)
        {
            var start = LineStart(text, entry.Table.Span.Offset);
            var end = SkipBlankLines(text, End(entry.Table.Span));
            if (end == text.Length)
            {
                // The last table of the file: take the blank lines before it too, so the file does not end in them.
                start = BlankLinesBefore(text, start);
            }
            edits.Add((start, end, ""));
        }
        else
        {
            edits.AddRange(entry.Items.Select(i => (LineStart(text, i.Item.Span.Offset), End(i.Item.Span), "")));
        }
        var result = Apply(text, edits);
        Check(file, text, result, table, settings: null);
        return result;
    }

    /// <summary>
    /// Where a table is defined: a table header and its keys, or dotted keys (in a parent table or at the root); for
    /// the top level, its keys and the first table header. Inline tables (`NAME = { ... }`, `plugins = { ... }`) are
    /// refused: editing inside one would rewrite the user's line.
    /// </summary>
    private static (TableSyntax? Table, List<(KeyValueSyntax Item, string Key)> Items, TableSyntaxBase? FirstTable) Find(string file, string text, string[] table)
    {
        var document = SyntaxParser.ParseStrict(text, file, validate: true);
        TableSyntax? header = null;
        var items = new List<(KeyValueSyntax Item, string Key)>();
        var shown = table.Length == 0 ? "the top level of config.toml" : $"[{string.Join('.', table)}]";
        void Visit(IEnumerable<KeyValueSyntax> keyValues, List<string> prefix)
        {
            foreach (var item in keyValues)
            {
                List<string> path = [.. prefix, .. Names(item.Key!)];
                var common = path.Zip(table).TakeWhile(pair => pair.First == pair.Second).Count();
                if (common == path.Count && path.Count <= table.Length)
                {
                    var start = item.Span.Start;
                    throw StrictToml.Invalid(file, start.Line + 1, start.Column + 1,
                        $"{shown} cannot be changed: {string.Join('.', path)} is an inline table",
                        $"write it as a {shown} table with one key per line, then run the command again");
                }
                if (common == table.Length && path.Count == table.Length + 1)
                {
                    items.Add((item, path[^1]));
                }
            }
        }
        Visit(document.KeyValues, []);
        foreach (var section in document.Tables)
        {
            var path = Names(section.Name!);
            if (section is TableSyntax plain && path.SequenceEqual(table))
            {
                header = plain;
            }
            Visit(section.Items, path);
        }
        return (header, items, document.Tables.FirstOrDefault());
    }

    private static List<string> Names(KeySyntax key) => [Name(key.Key!), .. key.DotKeys.Select(dot => Name(dot.Key!))];

    private static string Name(BareKeyOrStringValueSyntax key) => key switch
    {
        BareKeySyntax bare => bare.Key!.Text!,
        StringValueSyntax quoted => quoted.Value!,
        _ => throw new InvalidOperationException($"unexpected key syntax {key.GetType().Name}"),
    };

    /// <summary>
    /// Parses the edited text and compares every key with the original: only the keys of the table may differ,
    /// and exactly as asked. A mismatch is a bug here; the file is then left as it was.
    /// </summary>
    private static void Check(string file, string before, string after, string[] table, IReadOnlyList<TomlSetting>? settings)
    {
        var entryPrefix = string.Concat(table.Select(t => t + "."));
        var name = table.Length == 0 ? "the top level" : $"[{string.Join('.', table)}]";
        var expected = Values(file, before);
        if (settings is null)
        {
            foreach (var key in expected.Keys.Where(k => k.StartsWith(entryPrefix, StringComparison.Ordinal)).ToList())
            {
                expected.Remove(key);
            }
        }
        foreach (var setting in settings ?? [])
        {
            expected[entryPrefix + setting.Key] = TomlKeys.Read($"v = {setting.Literal}")[0].Value!.ToJsonString();
        }
        Dictionary<string, string> actual;
        try
        {
            actual = Values(file, after);
        }
        catch (WasmrunException ex)
        {
            throw NotEdited(file, name, ex.Describe());
        }
        var differences = expected.Keys.Union(actual.Keys)
            .Where(key => expected.GetValueOrDefault(key) != actual.GetValueOrDefault(key))
            .ToList();
        if (differences.Count > 0)
        {
            throw NotEdited(file, name, $"the edit would change {string.Join(", ", differences)}");
        }
    }

    /// <summary>Every key the text sets, with its value as JSON: the schema check too.</summary>
    private static Dictionary<string, string> Values(string file, string text) =>
        ConfigFile.Schema.Read(file, text, BrokenFileHint).Keys
            .Where(k => !k.IsTable)
            .ToDictionary(k => k.Path, k => k.Value!.ToJsonString(), StringComparer.Ordinal);

    private static WasmrunException NotEdited(string file, string table, string why) =>
        new($"{file}: could not change {table} safely ({why}); the file was not changed", ExitCode.InternalError)
        {
            Hint = $"edit {table} by hand, and report this with the file's contents",
        };

    private static string Apply(string text, List<(int Start, int End, string Text)> edits)
    {
        var result = new StringBuilder(text);
        foreach (var (start, end, replacement) in edits.OrderByDescending(e => e.Start))
        {
            result.Remove(start, end - start).Insert(start, replacement);
        }
        return result.ToString();
    }

    private static int End(SourceSpan span) => span.Offset + span.Length;

    /// <summary>The start of the line holding `offset`, when only spaces and tabs come before it there.</summary>
    private static int LineStart(string text, int offset)
    {
        var start = offset;
        while (start > 0 && text[start - 1] is ' ' or '\t')
        {
            start--;
        }
        return start == 0 || text[start - 1] == '\n' ? start : offset;
    }

    /// <summary>Moves past the blank lines after `offset` (to the end of the text when only whitespace is left).</summary>
    private static int SkipBlankLines(string text, int offset)
    {
        while (true)
        {
            var i = offset;
            while (i < text.Length && text[i] is ' ' or '\t' or '\r')
            {
                i++;
            }
            if (i == text.Length)
            {
                return i;
            }
            if (text[i] != '\n')
            {
                return offset;
            }
            offset = i + 1;
        }
    }

    /// <summary>Moves `lineStart` (the start of a line) back over the blank lines before it.</summary>
    private static int BlankLinesBefore(string text, int lineStart)
    {
        while (lineStart > 0)
        {
            var previousEnd = lineStart - 1;
            var previousStart = previousEnd == 0 ? 0 : text.LastIndexOf('\n', previousEnd - 1) + 1;
            if (!string.IsNullOrWhiteSpace(text[previousStart..previousEnd]))
            {
                return lineStart;
            }
            lineStart = previousStart;
        }
        return lineStart;
    }

    /// <summary>Reads, edits and writes config.toml; a file that is not valid is refused with its location.</summary>
    private static void Edit(ConfigPaths paths, Func<string, string> change)
    {
        var file = paths.File;
        byte[]? bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            bytes = null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new WasmrunException($"cannot read config file {file}: {ex.Message}", ExitCode.InvalidInput, ex);
        }
        var bom = bytes is not null && bytes.AsSpan().StartsWith(utf8Bom);
        string text;
        try
        {
            text = bytes is null ? "" : new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.AsSpan(bom ? utf8Bom.Length : 0));
        }
        catch (DecoderFallbackException ex)
        {
            throw new WasmrunException($"{file}: not UTF-8 text", ExitCode.InvalidInput, ex) { Hint = BrokenFileHint };
        }
        var edited = change(text);
        if (edited != text)
        {
            Write(file, [.. bom ? utf8Bom : [], .. new UTF8Encoding(false).GetBytes(edited)]);
        }
    }

    /// <summary>Writes a temporary file beside the target and renames it over the target: readers see the old file or
    /// the new one, never half of one. A symlinked config.toml (dotfile managers) keeps its link; its target is replaced.</summary>
    private static void Write(string file, byte[] content)
    {
        var target = new FileInfo(file).LinkTarget is null ? file : new FileInfo(file).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? file;
        var folder = Path.GetDirectoryName(Path.GetFullPath(target))!;
        var temporary = Path.Join(folder, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Random.Shared.Next():x}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows() && File.Exists(target))
            {
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(target));
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new WasmrunException($"cannot write config file {target}: {ex.Message}", ExitCode.InvalidInput, ex)
            {
                Hint = "check the folder's permissions and free space; config.toml was not changed",
            };
        }
    }
}
