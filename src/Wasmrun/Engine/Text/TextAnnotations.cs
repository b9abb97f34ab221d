// The custom annotations of a module's text (3.0 appendix "Custom Annotations") that the encoder acts on: `@custom`
// (a custom section, placed before or after a section), `@name` (names for the module and its fields, written to the
// name section) and `@metadata.code.branch_hint` (a hint on an if or br_if, written to its custom section). Each is
// checked where it stands; other annotations are ignored, as the spec allows.
namespace Wasmrun.Engine.Text;

/// <summary>A custom section from an `@custom` annotation: its name, contents, and the section it goes before or
/// after (null: the first or the last place).</summary>
internal sealed record CustomSectionAnnotation(string Name, byte[] Content, SectionId? Anchor, bool After);

internal sealed class TextAnnotations
{
    public const string BranchHintSection = "metadata.code.branch_hint";

    private static readonly TextAnnotations None = new();

    public List<CustomSectionAnnotation> CustomSections { get; } = [];

    /// <summary>The module's name from `(module (@name "..."))`.</summary>
    public string? ModuleName { get; private set; }

    /// <summary>Names of fields by the token index of their `(`.</summary>
    public Dictionary<int, string> FieldNames { get; } = [];

    /// <summary>Branch hints (0 unlikely, 1 likely) by the index of the token they precede.</summary>
    public Dictionary<int, byte> BranchHints { get; } = [];

    /// <summary>Reads the annotations among the fields in tokens [start, end] of the reader.</summary>
    public static TextAnnotations Read(TokenReader reader, int start, int end)
    {
        var annotations = reader.Annotations;
        var first = LowerBound(annotations, start);
        if (first == annotations.Count || annotations[first].TokenIndex > end)
        {
            return None;
        }
        var result = new TextAnnotations();
        int depth = 0, fieldOpen = -1, token = start;
        for (var i = first; i < annotations.Count && annotations[i].TokenIndex <= end; i++)
        {
            var annotation = annotations[i];
            for (; token < annotation.TokenIndex; token++)
            {
                switch (reader.Tokens[token].Kind)
                {
                    case TokenKind.LeftParen:
                        fieldOpen = depth == 0 ? token : fieldOpen;
                        depth++;
                        break;
                    case TokenKind.RightParen:
                        depth--;
                        break;
                }
            }
            switch (annotation.Id)
            {
                case "custom":
                    if (depth != 0)
                    {
                        throw Error(reader, annotation, "misplaced @custom annotation");
                    }
                    result.CustomSections.Add(Custom(reader, annotation));
                    break;
                case "name":
                    result.Name(reader, annotation, depth, fieldOpen, start);
                    break;
                case "metadata.code.branch_hint":
                    if (depth == 0 || !reader.Span(reader.Tokens[fieldOpen + 1]).SequenceEqual("func"))
                    {
                        throw Error(reader, annotation, "@metadata.code.branch_hint annotation: not in a function");
                    }
                    var hint = OneString(reader, annotation, "@metadata.code.branch_hint annotation");
                    if (hint.Length != 1 || hint[0] > 1)
                    {
                        throw Error(reader, annotation, "@metadata.code.branch_hint annotation: malformed hint");
                    }
                    if (!result.BranchHints.TryAdd(annotation.TokenIndex, hint[0]))
                    {
                        throw Error(reader, annotation, "@metadata.code.branch_hint annotation: duplicate annotation");
                    }
                    break;
            }
        }
        return result;
    }

    /// <summary>`(@custom "name" (before|after section)? "contents"*)`.</summary>
    private static CustomSectionAnnotation Custom(TokenReader reader, Annotation annotation)
    {
        var content = annotation.Content;
        if (content.Length == 0 || content[0].Kind != TokenKind.String)
        {
            throw Error(reader, annotation, "@custom annotation: missing section name");
        }
        var name = TextLexer.StringBytes(reader.Text, content[0]);
        if (!System.Text.Unicode.Utf8.IsValid(name))
        {
            throw Error(reader, annotation, "@custom annotation: malformed UTF-8 encoding");
        }
        SectionId? anchor = null;
        var after = true;
        var next = 1;
        if (next < content.Length && content[next].Kind == TokenKind.LeftParen)
        {
            var word = next + 1 < content.Length && content[next + 1].Kind == TokenKind.Atom ? reader.Span(content[next + 1]) : [];
            if (word is not ("before" or "after"))
            {
                throw Error(reader, annotation, "@custom annotation: malformed placement");
            }
            after = word is "after";
            var kind = next + 2 < content.Length && content[next + 2].Kind == TokenKind.Atom ? reader.Span(content[next + 2]).ToString() : "";
            if (!Placements.TryGetValue(kind, out var placed))
            {
                throw Error(reader, annotation, "@custom annotation: malformed section kind");
            }
            if (next + 3 >= content.Length || content[next + 3].Kind != TokenKind.RightParen)
            {
                throw Error(reader, annotation, "@custom annotation: malformed placement");
            }
            // `first` and `last` are the two ends, whichever word precedes them; the section kinds are places between.
            anchor = placed;
            after = kind switch { "first" => false, "last" => true, _ => after };
            next += 4;
        }
        var bytes = new List<byte>();
        for (; next < content.Length; next++)
        {
            if (content[next].Kind != TokenKind.String)
            {
                throw Error(reader, annotation, "@custom annotation: unexpected token");
            }
            bytes.AddRange(TextLexer.StringBytes(reader.Text, content[next]));
        }
        return new CustomSectionAnnotation(System.Text.Encoding.UTF8.GetString(name), [.. bytes], anchor, after);
    }

    /// <summary>The section kinds a custom section may be placed at; `first` and `last` are null.</summary>
    private static readonly Dictionary<string, SectionId?> Placements = new(StringComparer.Ordinal)
    {
        ["first"] = null,
        ["last"] = null,
        ["type"] = SectionId.Type,
        ["import"] = SectionId.Import,
        ["func"] = SectionId.Function,
        ["table"] = SectionId.Table,
        ["memory"] = SectionId.Memory,
        ["tag"] = SectionId.Tag,
        ["global"] = SectionId.Global,
        ["export"] = SectionId.Export,
        ["start"] = SectionId.Start,
        ["elem"] = SectionId.Element,
        ["datacount"] = SectionId.DataCount,
        ["code"] = SectionId.Code,
        ["data"] = SectionId.Data,
    };

    /// <summary>`(@name "...")`: the module's name before its first field, or a field's right after its keyword and
    /// $id.</summary>
    private void Name(TokenReader reader, Annotation annotation, int depth, int fieldOpen, int start)
    {
        if (depth == 0)
        {
            if (annotation.TokenIndex != start)
            {
                throw Error(reader, annotation, "misplaced @name annotation");
            }
            if (ModuleName is not null)
            {
                throw Error(reader, annotation, "@name annotation: multiple module names");
            }
            ModuleName = System.Text.Encoding.UTF8.GetString(OneString(reader, annotation, "@name annotation"));
            return;
        }
        if (depth > 1)
        {
            // Names of parameters, locals and labels are not kept.
            return;
        }
        var keyword = reader.Span(reader.Tokens[fieldOpen + 1]);
        var afterId = reader.Tokens[fieldOpen + 2].Kind == TokenKind.Atom && reader.Text[reader.Tokens[fieldOpen + 2].Start] == '$' ? 1 : 0;
        if (keyword is not ("func" or "tag" or "global" or "table" or "memory" or "type" or "elem" or "data")
            || annotation.TokenIndex != fieldOpen + 2 + afterId)
        {
            throw Error(reader, annotation, "misplaced @name annotation");
        }
        FieldNames[fieldOpen] = System.Text.Encoding.UTF8.GetString(OneString(reader, annotation, "@name annotation"));
    }

    private static byte[] OneString(TokenReader reader, Annotation annotation, string what)
    {
        if (annotation.Content is not [{ Kind: TokenKind.String } only])
        {
            throw Error(reader, annotation, $"{what}: unexpected token");
        }
        var bytes = TextLexer.StringBytes(reader.Text, only);
        return System.Text.Unicode.Utf8.IsValid(bytes) || what.StartsWith("@metadata", StringComparison.Ordinal) ? bytes
            : throw Error(reader, annotation, $"{what}: malformed UTF-8 encoding");
    }

    private static int LowerBound(IReadOnlyList<Annotation> annotations, int tokenIndex)
    {
        int low = 0, high = annotations.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (annotations[middle].TokenIndex < tokenIndex)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    private static TextFormatException Error(TokenReader reader, Annotation annotation, string reason) =>
        new(reason, reader.Text, annotation.Start);
}
