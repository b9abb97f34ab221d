// The one fill-in of everything Wasmrun renders from templates/ (a project starter's names and contents, init's next
// steps, the dev server's pages): each {{key}} is replaced by its value in one pass, so a value is never filled in
// again (a project folder named "{{name}}" stays as it is), and a key without a value is left as it is.
using System.Text.RegularExpressions;

namespace Wasmrun.Templates;

internal static partial class TemplateText
{
    /// <summary>The text with every {{key}} that has a value replaced by it.</summary>
    public static string Fill(string text, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(text, match => values.TryGetValue(match.Groups[1].Value, out var value) ? value : match.Value);

    [GeneratedRegex(@"\{\{([A-Za-z][A-Za-z0-9]*)\}\}")]
    private static partial Regex Placeholder();
}
