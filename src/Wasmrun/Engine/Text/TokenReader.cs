// A cursor over the tokens of one text: peeks, takes and classifies atoms (keywords, $ids, numbers) and words every
// error the way the spec tests expect ("unexpected token" for a token the grammar does not allow there).
namespace Wasmrun.Engine.Text;

internal sealed class TokenReader(string text, Token[] tokens, int position = 0)
{
    public string Text { get; } = text;

    public Token[] Tokens { get; } = tokens;

    /// <summary>The text's annotations, in order (TextLexer.Tokenize lists them when asked).</summary>
    public IReadOnlyList<Annotation> Annotations { get; init; } = [];

    /// <summary>A reader of the whole text, its annotations listed beside the tokens.</summary>
    public static TokenReader Of(string text)
    {
        var annotations = new List<Annotation>();
        return new TokenReader(text, TextLexer.Tokenize(text, annotations)) { Annotations = annotations };
    }

    public int Position { get; set; } = position;

    public Token Current => Tokens[Position];

    public TokenKind Kind => Tokens[Position].Kind;

    public ReadOnlySpan<char> Span(Token token) => Text.AsSpan(token.Start, token.Length);

    public ReadOnlySpan<char> CurrentSpan => Span(Current);

    /// <summary>Whether the current token is the atom <paramref name="word"/>.</summary>
    public bool IsAtom(string word) => Kind == TokenKind.Atom && CurrentSpan.SequenceEqual(word);

    /// <summary>Whether the current token is `(` followed by the atom <paramref name="word"/>.</summary>
    public bool IsOpen(string word) =>
        Kind == TokenKind.LeftParen && Tokens[Position + 1].Kind == TokenKind.Atom && Span(Tokens[Position + 1]).SequenceEqual(word);

    /// <summary>The keyword after a `(` (without moving), or an empty span.</summary>
    public ReadOnlySpan<char> OpenKeyword() =>
        Kind == TokenKind.LeftParen && Tokens[Position + 1].Kind == TokenKind.Atom ? Span(Tokens[Position + 1]) : [];

    public bool IsId => Kind == TokenKind.Atom && Text[Current.Start] == '$';

    public bool IsNatural => Kind == TokenKind.Atom && TextNumbers.Classify(CurrentSpan) == LiteralClass.Natural;

    /// <summary>Whether the current token names an index: an $id or a natural number.</summary>
    public bool IsIndex => IsIndexAt(Position);

    public bool IsIndexAt(int position) =>
        Tokens[position] is { Kind: TokenKind.Atom } token
        && (Text[token.Start] == '$' || TextNumbers.Classify(Span(token)) == LiteralClass.Natural);

    public TextFormatException Error(string reason) => new(reason, Text, Current.Start);

    public TextFormatException Unexpected() =>
        Kind == TokenKind.End ? Error("unexpected end of input") : Error("unexpected token");

    public void Expect(TokenKind kind)
    {
        if (Kind != kind)
        {
            throw Unexpected();
        }
        Position++;
    }

    public void ExpectOpen(string word)
    {
        if (!IsOpen(word))
        {
            throw Unexpected();
        }
        Position += 2;
    }

    /// <summary>Takes an atom and returns its text.</summary>
    public ReadOnlySpan<char> Atom()
    {
        if (Kind != TokenKind.Atom)
        {
            throw Unexpected();
        }
        return Span(Tokens[Position++]);
    }

    /// <summary>Takes an $id if one is here (its text without the `$`).</summary>
    public string? OptionalId()
    {
        if (!IsId)
        {
            return null;
        }
        var token = Tokens[Position++];
        if (token.Length == 1)
        {
            throw new TextFormatException("empty identifier", Text, token.Start);
        }
        if (Text[token.Start + 1] != '"')
        {
            return Text.Substring(token.Start + 1, token.Length - 1);
        }
        // `$"name"` is the id `name`: its bytes must be UTF-8 and not empty.
        var bytes = TextLexer.StringBytes(Text, token with { Start = token.Start + 1, Length = token.Length - 1 });
        if (bytes.Length == 0 || !System.Text.Unicode.Utf8.IsValid(bytes))
        {
            throw new TextFormatException(bytes.Length == 0 ? "empty identifier" : "malformed UTF-8 encoding", Text, token.Start);
        }
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Takes a string token and returns its bytes.</summary>
    public byte[] StringBytes()
    {
        if (Kind != TokenKind.String)
        {
            throw Unexpected();
        }
        return TextLexer.StringBytes(Text, Tokens[Position++]);
    }

    /// <summary>Takes the strings here (none or more) and returns their bytes one after another: data segments,
    /// `binary` and `quote` modules.</summary>
    public byte[] Strings()
    {
        var bytes = new List<byte>();
        while (Kind == TokenKind.String)
        {
            bytes.AddRange(StringBytes());
        }
        return [.. bytes];
    }

    /// <summary>Takes a string that must be valid UTF-8 (a name: import, export, module).</summary>
    public byte[] Name()
    {
        var at = Current.Start;
        var bytes = StringBytes();
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return bytes;
        }
        throw new TextFormatException("malformed UTF-8 encoding", Text, at);
    }

    /// <summary>Takes an unsigned 32-bit number (an index, a limit).</summary>
    public uint U32() => (uint)Natural(32);

    /// <summary>Takes an unsigned 64-bit number (a 64-bit memory's or table's limit).</summary>
    public ulong U64() => Natural(64);

    private ulong Natural(int bits)
    {
        if (!IsNatural)
        {
            throw Unexpected();
        }
        var at = Current.Start;
        return TextNumbers.Natural(Atom(), bits, out var value) switch
        {
            NumberProblem.None => value,
            NumberProblem.OutOfRange => throw new TextFormatException($"i{bits} constant out of range", Text, at),
            _ => throw new TextFormatException("unknown operator", Text, at),
        };
    }

    /// <summary>Takes a numeric literal of <paramref name="bits"/> bits: an integer (signed or unsigned) or a float,
    /// as its bit pattern. A float where an integer belongs, and the result patterns nan:canonical and
    /// nan:arithmetic, are "unexpected token"; a badly written number "unknown operator" (the spec lexer's words).</summary>
    public ulong Number(int bits, bool isFloat)
    {
        if (Kind != TokenKind.Atom)
        {
            throw Unexpected();
        }
        var at = Current.Start;
        var text = Atom();
        if (TextNumbers.Classify(text) == LiteralClass.Float && (!isFloat || text.EndsWith(":canonical") || text.EndsWith(":arithmetic")))
        {
            throw new TextFormatException("unexpected token", Text, at);
        }
        var problem = isFloat ? TextNumbers.Float(text, bits, out var value) : TextNumbers.Integer(text, bits, out value);
        return problem switch
        {
            NumberProblem.None => value,
            NumberProblem.OutOfRange => throw new TextFormatException("constant out of range", Text, at),
            _ => throw new TextFormatException("unknown operator", Text, at),
        };
    }

    /// <summary>Moves past the `)` that closes the `(` at <paramref name="open"/>, skipping what is inside.</summary>
    public void SkipTo(int open)
    {
        Position = open;
        var depth = 0;
        do
        {
            switch (Kind)
            {
                case TokenKind.LeftParen:
                    depth++;
                    break;
                case TokenKind.RightParen:
                    depth--;
                    break;
                case TokenKind.End:
                    throw Unexpected();
            }
            Position++;
        }
        while (depth > 0);
    }
}
