// A declaration's XML doc comment as the generators use it: the summary and each <param> on one line. The command
// catalog makes --help text of it, the TypeScript contract its comments; both read syntax only.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Wasmrun.Generators;

internal sealed record DocComment(string Summary, Dictionary<string, string> Params)
{
    private static readonly char[] Whitespace = [' ', '\n', '\r', '\t'];

    public static DocComment Of(SyntaxNode node)
    {
        var trivia = node.GetLeadingTrivia().Select(t => t.GetStructure()).OfType<DocumentationCommentTriviaSyntax>().FirstOrDefault();
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (trivia is null)
        {
            return new DocComment("", parameters);
        }
        var xml = string.Join("\n", trivia.ToFullString().Split('\n').Select(l => l.Trim().TrimStart('/')));
        var root = XElement.Parse("<doc>" + xml + "</doc>", LoadOptions.None);
        foreach (var param in root.Elements("param"))
        {
            parameters[(string?)param.Attribute("name") ?? ""] = Flatten(param);
        }
        return new DocComment(Flatten(root.Element("summary")), parameters);
    }

    /// <summary>An element's text on one line: `&lt;c&gt;x&lt;/c&gt;` becomes x, &lt;see cref="A.X"/&gt; becomes X.</summary>
    private static string Flatten(XElement? element)
    {
        if (element is null)
        {
            return "";
        }
        foreach (var reference in element.Descendants("see").ToList())
        {
            reference.ReplaceWith(((string?)reference.Attribute("cref") ?? (string?)reference.Attribute("langword") ?? "").Split('.').Last());
        }
        return string.Join(" ", element.Value.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries));
    }
}
