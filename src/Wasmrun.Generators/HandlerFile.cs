// Parses Engine/Execute/Handlers.txt: the IR instructions the opcode table does not define (each with its named,
// typed operands and its C# body), the snippets bodies share (`@name` on a line of its own), and the prologue and
// epilogue sections of the dispatch loop; every line keeps its line number for the generated code's `#line`.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Wasmrun.Generators;

/// <summary>A line of Handlers.txt as spliced into generated code: its text and its 0-based line in the file.</summary>
internal readonly record struct SourceLine(string Text, int Line);

internal sealed class Handler
{
    public string Name = "";
    public bool Hot;
    public IrLayout Layout = IrLayout.Empty;
    public List<SourceLine> Body = [];
    public string Doc = "";

    /// <summary>The `inst` line (0-based): the generated locals and builder map to it.</summary>
    public int Line;
}

internal sealed class HandlerFile
{
    public static readonly DiagnosticDescriptor MalformedHandlers = new(
        "WRG003", "Malformed handler file", "Handlers.txt is malformed: {0}", "Wasmrun.Generators",
        DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static readonly string[] RequiredSections = ["prologue", "epilogue"];

    /// <summary>Snippets the generator itself splices: `branch` takes a branch to `target` (fused compare-and-branch).</summary>
    private static readonly string[] RequiredSnippets = ["branch"];

    private static readonly Regex Header = new(@"^(section|snippet) (\w+) \{$|^inst (\w+)(?:\((.*)\))? (hot|cold) \{$");

    private static readonly Regex SnippetUse = new(@"^(\s*)@(\w+)$");

    private readonly Dictionary<string, List<SourceLine>> snippets = [];

    private HandlerFile(string path) => Path = path;

    public string Path { get; }

    public Dictionary<string, List<SourceLine>> Sections { get; } = [];

    public List<Handler> Instructions { get; } = [];

    public Handler? Default { get; private set; }

    /// <summary>A snippet's lines (expanded, indented as in the file).</summary>
    public List<SourceLine> Snippet(string name) => snippets[name];

    public static HandlerFile? Parse(SourceProductionContext output, string path, string text)
    {
        var file = new HandlerFile(path);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var comments = new List<string>();
        var blocks = new List<(string Kind, string Name, List<SourceLine> Body, int Line)>();
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
            var header = Header.Match(line);
            if (!header.Success)
            {
                return Fail(output, path, i, line,
                    $"expected `section NAME {{`, `snippet NAME {{` or `inst NAME(OPERANDS) hot|cold {{`, found '{line}'");
            }
            var body = new List<SourceLine>();
            var start = i;
            for (i++; i < lines.Length && lines[i] != "}"; i++)
            {
                body.Add(new SourceLine(lines[i], i));
            }
            var name = header.Groups[1].Success ? header.Groups[2].Value : header.Groups[3].Value;
            if (i == lines.Length)
            {
                return Fail(output, path, start, line, $"'{name}' has no closing `}}` line");
            }
            switch (header.Groups[1].Value)
            {
                case "section":
                    file.Sections[name] = body;
                    break;
                case "snippet":
                    file.snippets[name] = body;
                    break;
                default:
                    {
                        var error = IrLayout.TryParse(header.Groups[4].Value, out var layout);
                        if (error is not null)
                        {
                            return Fail(output, path, start, line, $"'{name}': {error}");
                        }
                        var handler = new Handler
                        {
                            Name = name,
                            Hot = header.Groups[5].Value == "hot",
                            Layout = layout,
                            Body = body,
                            Doc = string.Join(" ", comments),
                            Line = start,
                        };
                        if (name == "default")
                        {
                            file.Default = handler;
                        }
                        else if (file.Instructions.Any(h => h.Name == name))
                        {
                            return Fail(output, path, start, line, $"the instruction '{name}' is declared twice");
                        }
                        else
                        {
                            file.Instructions.Add(handler);
                        }
                        break;
                    }
            }
            comments.Clear();
        }
        foreach (var section in RequiredSections.Where(s => !file.Sections.ContainsKey(s)))
        {
            return Fail(output, path, 0, "", $"the section '{section}' is missing");
        }
        foreach (var snippet in RequiredSnippets.Where(s => !file.snippets.ContainsKey(s)))
        {
            return Fail(output, path, 0, "", $"the snippet '{snippet}' is missing");
        }
        if (file.Default is null)
        {
            return Fail(output, path, 0, "", "the `inst default hot` handler is missing");
        }
        // Expand snippets everywhere, snippets within snippets first (a cycle is an error).
        foreach (var name in file.snippets.Keys.ToList())
        {
            if (file.Expand(output, file.snippets[name], [name]) is not { } expanded)
            {
                return null;
            }
            file.snippets[name] = expanded;
        }
        foreach (var name in file.Sections.Keys.ToList())
        {
            if (file.Expand(output, file.Sections[name], []) is not { } expanded)
            {
                return null;
            }
            file.Sections[name] = expanded;
        }
        foreach (var handler in file.Instructions.Append(file.Default))
        {
            if (file.Expand(output, handler.Body, []) is not { } expanded)
            {
                return null;
            }
            handler.Body = expanded;
        }
        return file;
    }

    /// <summary>Replaces each `@name` line with the snippet's lines, indented to where the `@` stood.</summary>
    private List<SourceLine>? Expand(SourceProductionContext output, List<SourceLine> body, HashSet<string> within)
    {
        var result = new List<SourceLine>();
        foreach (var line in body)
        {
            var use = SnippetUse.Match(line.Text);
            if (!use.Success)
            {
                result.Add(line);
                continue;
            }
            var name = use.Groups[2].Value;
            if (!snippets.TryGetValue(name, out var snippet))
            {
                return Fail<List<SourceLine>>(output, Path, line.Line, line.Text, $"there is no snippet '{name}'");
            }
            if (within.Contains(name))
            {
                return Fail<List<SourceLine>>(output, Path, line.Line, line.Text, $"the snippet '{name}' uses itself");
            }
            var inner = Expand(output, snippet, [.. within, name]);
            if (inner is null)
            {
                return null;
            }
            var extra = Math.Max(0, use.Groups[1].Value.Length - 4);
            result.AddRange(inner.Select(l => l with { Text = l.Text.Length == 0 ? "" : new string(' ', extra) + l.Text }));
        }
        return result;
    }

    private static HandlerFile? Fail(SourceProductionContext output, string path, int line, string text, string message) =>
        Fail<HandlerFile>(output, path, line, text, message);

    private static T? Fail<T>(SourceProductionContext output, string path, int line, string text, string message)
        where T : class
    {
        var location = Location.Create(path, new TextSpan(0, 0),
            new LinePositionSpan(new LinePosition(line, 0), new LinePosition(line, text.Length)));
        output.ReportDiagnostic(Diagnostic.Create(MalformedHandlers, location, message));
        return null;
    }
}
