// Text that is not WebAssembly text: what is wrong, worded like the spec tests' expected messages ("unknown operator",
// "unexpected token", "constant out of range"), and where, as a line and a column.
namespace Wasmrun.Engine.Text;

internal sealed class TextFormatException : EngineException
{
    public TextFormatException(string reason, string text, int position)
        : base(reason)
    {
        Reason = reason;
        var at = Math.Clamp(position, 0, text.Length);
        var lineStart = at == 0 ? 0 : text.LastIndexOf('\n', at - 1) + 1;
        Line = 1 + text.AsSpan(0, lineStart).Count('\n');
        Column = 1 + at - lineStart;
    }

    public string Reason { get; }

    /// <summary>1-based, as editors count.</summary>
    public int Line { get; }

    public int Column { get; }

    public string? File { get; private set; }

    public TextFormatException In(string file)
    {
        File ??= file;
        return this;
    }

    /// <summary>"FILE:LINE:COL", as compilers and editors write a place in a source file.</summary>
    public string Location => $"{File ?? "<text>"}:{Line}:{Column}";

    public override string Describe() => $"{Location}: error: {Reason}";
}
