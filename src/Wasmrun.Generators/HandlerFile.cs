// Parses Engine/Execute/Handlers.txt: the C# bodies of the IR instructions the opcode table does not define, and the
// prologue/epilogue sections of the dispatch loop, for InterpreterEmitter to splice in verbatim.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Wasmrun.Generators;

internal sealed class Handler
{
    public string Name = "";
    public bool Hot;
    public string Body = "";
    public string Doc = "";
}

internal sealed class HandlerFile
{
    public static readonly DiagnosticDescriptor MalformedHandlers = new(
        "WRG003", "Malformed handler file", "Handlers.txt is malformed: {0}", "Wasmrun.Generators",
        DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static readonly string[] RequiredSections = ["prologue", "epilogue", "cold_prologue"];

    public Dictionary<string, string> Sections { get; } = [];

    public List<Handler> Instructions { get; } = [];

    public Handler? Default { get; private set; }

    public static HandlerFile? Parse(SourceProductionContext output, string path, string text)
    {
        var file = new HandlerFile();
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var comments = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("//", StringComparison.Ordinal))
            {
                comments.Add(line.Substring(2).Trim());
                continue;
            }
            if (line.Trim().Length == 0)
            {
                comments.Clear();
                continue;
            }
            var words = line.Split(' ');
            var header = words.Length is 3 or 4 && words[words.Length - 1] == "{" && words[0] is "section" or "inst";
            if (!header || (words[0] == "inst" && (words.Length != 4 || words[2] is not ("hot" or "cold"))))
            {
                return Fail(output, path, i, line, $"expected `section NAME {{` or `inst NAME hot|cold {{`, found '{line}'");
            }
            var body = new StringBuilder();
            var start = i;
            for (i++; i < lines.Length && lines[i] != "}"; i++)
            {
                body.AppendLine(lines[i]);
            }
            if (i == lines.Length)
            {
                return Fail(output, path, start, line, $"'{words[1]}' has no closing `}}` line");
            }
            if (words[0] == "section")
            {
                file.Sections[words[1]] = body.ToString();
            }
            else
            {
                var handler = new Handler { Name = words[1], Hot = words[2] == "hot", Body = body.ToString(), Doc = string.Join(" ", comments) };
                if (handler.Name == "default")
                {
                    file.Default = handler;
                }
                else
                {
                    file.Instructions.Add(handler);
                }
            }
            comments.Clear();
        }
        foreach (var section in RequiredSections.Where(s => !file.Sections.ContainsKey(s)))
        {
            return Fail(output, path, 0, "", $"the section '{section}' is missing");
        }
        return file.Default is null ? Fail(output, path, 0, "", "the `inst default hot` handler is missing") : file;
    }

    private static HandlerFile? Fail(SourceProductionContext output, string path, int line, string text, string message)
    {
        var location = Location.Create(path, new TextSpan(0, 0),
            new LinePositionSpan(new LinePosition(line, 0), new LinePosition(line, text.Length)));
        output.ReportDiagnostic(Diagnostic.Create(MalformedHandlers, location, message));
        return null;
    }
}
