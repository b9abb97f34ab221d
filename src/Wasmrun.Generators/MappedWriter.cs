// Writes generated C# whose lines carry `#line` back to the table row or handler line they came from, so an error in
// an Opcodes.txt cell or a Handlers.txt body is reported there, and a debugger steps through the source files.
using System.Text;

namespace Wasmrun.Generators;

/// <summary>A generated line and where it came from: Path null for scaffolding (`#line hidden`); Column >= 0 maps the
/// text from Offset on to that column of the line (a cell's expression), else the whole line maps to Line.</summary>
internal readonly record struct MappedLine(string Text, string? Path = null, int Line = -1, int Column = -1, int Length = 0, int Offset = 0)
{
    public static MappedLine Hidden(string text) => new(text);
}

internal sealed class MappedWriter(StringBuilder source)
{
    /// <summary>The file the last directive mapped to (null: none or hidden) and the next line it expects.</summary>
    private string? file;
    private int next = -1;
    private bool hidden;

    public StringBuilder Source { get; } = source;

    public void Write(MappedLine line, string pad)
    {
        var text = line.Text.Length == 0 ? "" : pad + line.Text;
        if (line.Path is null)
        {
            if (file is not null && !hidden)
            {
                Source.AppendLine("#line hidden");
                hidden = true;
            }
            Source.AppendLine(text);
            return;
        }
        if (line.Column >= 0)
        {
            // The span form: the text from the offset on is the cell's text at that column.
            var start = line.Column + 1;
            Source.AppendLine($"#line ({line.Line + 1}, {start}) - ({line.Line + 1}, {start + line.Length}) {pad.Length + line.Offset} \"{line.Path}\"");
            next = -1;
        }
        else if (line.Path != file || line.Line != next || hidden)
        {
            Source.AppendLine($"#line {line.Line + 1} \"{line.Path}\"");
            next = line.Line + 1;
        }
        else
        {
            next++;
        }
        file = line.Path;
        hidden = false;
        Source.AppendLine(text);
    }

    public void Hidden(string text) => Write(MappedLine.Hidden(text), "");

    /// <summary>Back to the generated file's own lines.</summary>
    public void End()
    {
        if (file is not null)
        {
            Source.AppendLine("#line default");
        }
        file = null;
        hidden = false;
        next = -1;
    }
}
