// Splits WebAssembly text (spec 6.2 Lexical format) into tokens: parentheses, strings and runs of idchars, which the
// parser classifies where it reads them (a keyword, an $id, a number). Comments, white space and annotations
// `(@name ...)` are dropped here. One pass, no recursion: a 100,000-deep nesting is only a deep count.
namespace Wasmrun.Engine.Text;

internal enum TokenKind : byte
{
    LeftParen,
    RightParen,

    /// <summary>A string literal, quotes included; <see cref="TextLexer.StringBytes"/> decodes it.</summary>
    String,

    /// <summary>A run of idchars: a keyword, an $id, a number or a reserved word.</summary>
    Atom,

    /// <summary>The end of the input (the last token of every list).</summary>
    End,
}

internal readonly record struct Token(TokenKind Kind, int Start, int Length);

/// <summary>An annotation `(@id ...)` (3.0 custom annotations) outside any other: its id, the index of the token that
/// follows it, the parentheses open around it, where it starts, and its contents as tokens (`(`, `)`, strings and
/// words).</summary>
internal sealed record Annotation(string Id, int TokenIndex, int Depth, int Start, Token[] Content);

internal static class TextLexer
{
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Source text from its UTF-8 bytes (a byte order mark skipped); invalid UTF-8 is an error at its line
    /// and column, never replaced silently.</summary>
    public static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }
        var valid = System.Text.Unicode.Utf8.IsValid(bytes);
        if (valid)
        {
            return StrictUtf8.GetString(bytes);
        }
        // The valid prefix locates the error; its text gives the line and column.
        var prefix = 0;
        while (System.Text.Rune.DecodeFromUtf8(bytes[prefix..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            prefix += consumed;
        }
        var text = StrictUtf8.GetString(bytes[..prefix]);
        throw new TextFormatException("malformed UTF-8 encoding", text, text.Length);
    }

    /// <summary>Tokenizes the whole text; throws TextFormatException on a character no token can hold. Annotations
    /// are left out of the tokens and, when asked, listed in <paramref name="annotations"/>.</summary>
    public static Token[] Tokenize(string text, List<Annotation>? annotations = null)
    {
        var tokens = new List<Token>(text.Length / 4);
        var annotationDepth = 0;
        var depth = 0;
        var position = 0;
        // The annotation being read: its id, where it starts, its contents.
        var annotationId = "";
        var annotationStart = 0;
        var annotationContent = new List<Token>();
        while (true)
        {
            position = SkipSpace(text, position);
            if (position >= text.Length)
            {
                if (annotationDepth > 0)
                {
                    throw new TextFormatException("unclosed annotation", text, text.Length);
                }
                tokens.Add(new Token(TokenKind.End, text.Length, 0));
                return [.. tokens];
            }
            var start = position;
            var c = text[position];
            Token token;
            if (annotationDepth > 0)
            {
                // Inside an annotation anything goes between its parentheses: only they and strings are tracked.
                annotationDepth += c switch { '(' => 1, ')' => -1, _ => 0 };
                var kind = c switch { '(' => TokenKind.LeftParen, ')' => TokenKind.RightParen, '"' => TokenKind.String, _ => TokenKind.Atom };
                position = c switch
                {
                    '(' or ')' => position + 1,
                    '"' => StringEnd(text, position),
                    _ => AnnotationWordEnd(text, position),
                };
                if (annotations is not null && annotationDepth > 0)
                {
                    annotationContent.Add(new Token(kind, start, position - start));
                }
                else if (annotations is not null && annotationDepth == 0)
                {
                    annotations.Add(new Annotation(annotationId, tokens.Count, depth, annotationStart, [.. annotationContent]));
                }
                continue;
            }
            if (c == '(' && position + 1 < text.Length && text[position + 1] == '@')
            {
                // An annotation `(@id ...)` (spec appendix "Custom Annotations"): left out of the tokens.
                position = AnnotationIdEnd(text, position + 2);
                annotationDepth++;
                if (annotations is not null)
                {
                    annotationId = text[start + 2] == '"'
                        ? System.Text.Encoding.UTF8.GetString(StringBytes(text, new Token(TokenKind.String, start + 2, position - start - 2)))
                        : text[(start + 2)..position];
                    annotationStart = start;
                    annotationContent.Clear();
                }
                continue;
            }
            if (c == '(')
            {
                token = new Token(TokenKind.LeftParen, position++, 1);
                depth++;
            }
            else if (c == ')')
            {
                token = new Token(TokenKind.RightParen, position++, 1);
                depth--;
            }
            else if (c == '"')
            {
                position = StringEnd(text, position);
                token = new Token(TokenKind.String, start, position - start);
            }
            else if (IsIdChar(c))
            {
                while (position < text.Length && IsIdChar(text[position]))
                {
                    position++;
                }
                if (position == start + 1 && c == '$' && position < text.Length && text[position] == '"')
                {
                    // `$"any name"`: an id written as a string (WebAssembly 3.0); one that is no string is no name.
                    position = StringEndOr(text, position, "empty identifier");
                }
                token = new Token(TokenKind.Atom, start, position - start);
            }
            else
            {
                // `, ; [ ] { }` make reserved tokens (3.0), which no rule accepts; anything else cannot be in a token.
                throw new TextFormatException(c is ',' or ';' or '[' or ']' or '{' or '}' ? "unknown operator" : "illegal character", text, position);
            }
            if (token.Kind is TokenKind.String or TokenKind.Atom && position < text.Length && (IsIdChar(text[position]) || text[position] == '"'))
            {
                // Tokens must be apart: `"a"x`, `"a""b"` and `0"a"` are one malformed token to the spec's lexer.
                throw new TextFormatException("unknown operator", text, start);
            }
            tokens.Add(token);
        }
    }

    private static int AnnotationWordEnd(string text, int position)
    {
        while (position < text.Length && text[position] is not (' ' or '\t' or '\n' or '\r' or '(' or ')' or '"')
            && !(text[position] == ';' && position + 1 < text.Length && text[position + 1] == ';'))
        {
            if (text[position] is < '!' or > '~')
            {
                throw new TextFormatException("illegal character", text, position);
            }
            position++;
        }
        return position;
    }

    // `(@` is followed by an id's characters or a non-empty string of UTF-8 (3.0 allows both).
    private static int AnnotationIdEnd(string text, int position)
    {
        var start = position;
        if (position < text.Length && text[position] == '"')
        {
            var end = StringEndOr(text, position, "empty annotation id");
            var bytes = StringBytes(text, new Token(TokenKind.String, position, end - position));
            return bytes.Length == 0 ? throw new TextFormatException("empty annotation id", text, start - 2)
                : System.Text.Unicode.Utf8.IsValid(bytes) ? end
                : throw new TextFormatException("malformed UTF-8 encoding", text, position);
        }
        while (position < text.Length && IsIdChar(text[position]))
        {
            position++;
        }
        return position > start ? position : throw new TextFormatException("empty annotation id", text, start - 2);
    }

    // A string where a name is expected: a malformed one (a control character, no closing quote) is the name's error.
    private static int StringEndOr(string text, int position, string reason)
    {
        try
        {
            return StringEnd(text, position);
        }
        catch (TextFormatException)
        {
            throw new TextFormatException(reason, text, position);
        }
    }

    private static int SkipSpace(string text, int position)
    {
        while (position < text.Length)
        {
            var c = text[position];
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                position++;
            }
            else if (c == ';' && position + 1 < text.Length && text[position + 1] == ';')
            {
                // A line comment ends at a line feed or a carriage return, whichever the text uses.
                var newline = text.AsSpan(position).IndexOfAny('\n', '\r');
                position = newline < 0 ? text.Length : position + newline + 1;
            }
            else if (c == '(' && position + 1 < text.Length && text[position + 1] == ';')
            {
                position = BlockCommentEnd(text, position);
            }
            else
            {
                break;
            }
        }
        return position;
    }

    private static int BlockCommentEnd(string text, int start)
    {
        var depth = 0;
        var position = start;
        while (position + 1 < text.Length)
        {
            if (text[position] == '(' && text[position + 1] == ';')
            {
                depth++;
                position += 2;
            }
            else if (text[position] == ';' && text[position + 1] == ')')
            {
                depth--;
                position += 2;
                if (depth == 0)
                {
                    return position;
                }
            }
            else
            {
                position++;
            }
        }
        throw new TextFormatException("unclosed comment", text, start);
    }

    private static int StringEnd(string text, int start)
    {
        var position = start + 1;
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '"')
            {
                return position + 1;
            }
            if (c == '\\')
            {
                position += 2;
                continue;
            }
            if (c < ' ' || c == 0x7F)
            {
                throw new TextFormatException("malformed string: control character (write it as an escape)", text, position);
            }
            position++;
        }
        throw new TextFormatException("unclosed string", text, start);
    }

    /// <summary>The spec's idchar: printable ASCII except space, the double quote, comma, semicolon, parentheses,
    /// brackets and braces (the apostrophe and backquote are idchars).</summary>
    public static bool IsIdChar(char c) =>
        c is >= '!' and <= '~' && c is not ('"' or ',' or ';' or '(' or ')' or '[' or ']' or '{' or '}');

    /// <summary>Decodes a string token's escapes into its bytes (spec 6.3.3); the text between quotes is UTF-16
    /// whose characters become their UTF-8 encoding.</summary>
    public static byte[] StringBytes(string text, Token token)
    {
        var bytes = new List<byte>(token.Length);
        var end = token.Start + token.Length - 1;
        for (var position = token.Start + 1; position < end; position++)
        {
            var c = text[position];
            if (c < 0x80 && c != '\\')
            {
                bytes.Add((byte)c);
                continue;
            }
            if (c != '\\')
            {
                // A character as its UTF-8; a surrogate pair is one character (a lone surrogate becomes U+FFFD).
                System.Text.Rune.DecodeFromUtf16(text.AsSpan(position, end - position), out var rune, out var length);
                AddUtf8(bytes, rune);
                position += length - 1;
                continue;
            }
            var escape = text[++position];
            switch (escape)
            {
                case 't': bytes.Add((byte)'\t'); break;
                case 'n': bytes.Add((byte)'\n'); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case '"': bytes.Add((byte)'"'); break;
                case '\'': bytes.Add((byte)'\''); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case 'u':
                    position = UnicodeEscape(text, position, end, bytes);
                    break;
                default:
                    if (position + 1 < end && char.IsAsciiHexDigit(escape) && char.IsAsciiHexDigit(text[position + 1]))
                    {
                        bytes.Add((byte)((HexValue(escape) << 4) | HexValue(text[++position])));
                        break;
                    }
                    throw new TextFormatException("malformed string: unknown escape", text, position - 1);
            }
        }
        return [.. bytes];
    }

    // \u{hex}: a Unicode scalar value, written as UTF-8.
    private static int UnicodeEscape(string text, int position, int end, List<byte> bytes)
    {
        if (position + 1 >= end || text[position + 1] != '{')
        {
            throw new TextFormatException("malformed string: \\u needs {hex}", text, position - 1);
        }
        var value = 0L;
        var digits = 0;
        var cursor = position + 2;
        for (; cursor < end && text[cursor] != '}'; cursor++)
        {
            if (text[cursor] == '_' && digits > 0)
            {
                continue;
            }
            if (!char.IsAsciiHexDigit(text[cursor]) || value > 0x10FFFF)
            {
                throw new TextFormatException("malformed string: bad \\u escape", text, position - 1);
            }
            value = (value << 4) | (uint)HexValue(text[cursor]);
            digits++;
        }
        if (cursor >= end || digits == 0 || value > 0x10FFFF || value is >= 0xD800 and < 0xE000)
        {
            throw new TextFormatException("malformed string: bad \\u escape", text, position - 1);
        }
        AddUtf8(bytes, new System.Text.Rune((int)value));
        return cursor;
    }

    private static void AddUtf8(List<byte> bytes, System.Text.Rune rune)
    {
        Span<byte> utf8 = stackalloc byte[4];
        var count = rune.EncodeToUtf8(utf8);
        for (var i = 0; i < count; i++)
        {
            bytes.Add(utf8[i]);
        }
    }

    public static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
