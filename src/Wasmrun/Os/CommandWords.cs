// Splits a command typed on the OS page into words as a POSIX shell would for the simple cases: blanks separate,
// single quotes keep everything, double quotes keep blanks, a backslash keeps the next character. No expansion.
using System.Text;

namespace Wasmrun.Os;

internal static class CommandWords
{
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is { } open)
            {
                if (c == open)
                {
                    quote = null;
                }
                else if (c == '\\' && open == '"' && i + 1 < line.Length && line[i + 1] is '"' or '\\')
                {
                    word.Append(line[++i]);
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                inWord = true;
                if (c is '\'' or '"')
                {
                    quote = c;
                }
                else if (c == '\\' && i + 1 < line.Length)
                {
                    word.Append(line[++i]);
                }
                else
                {
                    word.Append(c);
                }
            }
        }
        if (quote is not null)
        {
            throw new WasmrunException($"{line}: a quote is not closed") { Hint = "close the quote" };
        }
        if (inWord)
        {
            words.Add(word.ToString());
        }
        return words;
    }
}
