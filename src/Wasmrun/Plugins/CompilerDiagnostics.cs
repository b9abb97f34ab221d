// Recognises errors and warnings in compiler output, whatever the compiler's format, so that a failed build can end
// with uniform `FILE:LINE:COL: error: MESSAGE` lines that editors' problem matchers and terminals link to the spot.
using System.Text.RegularExpressions;
using Wasmrun.Cli;

namespace Wasmrun.Plugins;

/// <summary>How bad a compiler says a diagnostic is (its notes are left out).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(LowercaseEnum<Severity>))]
internal enum Severity
{
    Error,
    Warning,
}

internal sealed record Diagnostic(string File, int Line, int Column, Severity Severity, string Message)
{
    /// <summary>The uniform line; the file relative to the current directory when it is below it.</summary>
    public string Format() => $"{DisplayPath.Of(File)}:{Line}:{Column}: {LowercaseEnum.Name(Severity)}: {Message}";
}

/// <summary>
/// Fed the output of one program line by line. Formats: clang, gcc, Emscripten, Go and TinyGo
/// (`FILE:LINE:COL: [error: ]MESSAGE`); rustc and cargo (`error[E0425]: MESSAGE` then `--> FILE:LINE:COL`);
/// AssemblyScript (`ERROR TS2304: MESSAGE` then `└─ in FILE(LINE,COL)`). Relative files are taken against the
/// directory the program ran in.
/// </summary>
internal sealed partial class CompilerDiagnostics(string workingDirectory)
{
    private readonly List<Diagnostic> found = [];
    private (Severity Severity, string Message)? pending;

    public IReadOnlyList<Diagnostic> Found => found;

    public void Add(string rawLine)
    {
        var line = Ansi().Replace(rawLine, "");
        if (Gnu().Match(line) is { Success: true } gnu)
        {
            var severity = gnu.Groups["severity"].Value;
            if (severity != "note")
            {
                Record(gnu.Groups["file"].Value, gnu.Groups["line"].Value, gnu.Groups["column"].Value,
                    severity == "warning" ? Severity.Warning : Severity.Error, gnu.Groups["message"].Value);
            }
            pending = null;
        }
        else if (Headline().Match(line) is { Success: true } headline)
        {
            pending = (headline.Groups["severity"].Value is "warning" or "WARNING" ? Severity.Warning : Severity.Error, headline.Groups["message"].Value);
        }
        else if (pending is { } open && Location(line) is { } at)
        {
            Record(at.Groups["file"].Value, at.Groups["line"].Value, at.Groups["column"].Value, open.Severity, open.Message);
            pending = null;
        }
    }

    /// <summary>The location line that follows a rustc or AssemblyScript headline.</summary>
    private static Match? Location(string line) =>
        RustLocation().Match(line) is { Success: true } rust ? rust
        : AscLocation().Match(line) is { Success: true } asc ? asc
        : null;

    private void Record(string file, string line, string column, Severity severity, string message)
    {
        // Combine, not Join: a compiler names files outside its working directory by their absolute paths.
        var path = Path.GetFullPath(file, workingDirectory);
        var diagnostic = new Diagnostic(path, int.Parse(line, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(column, System.Globalization.CultureInfo.InvariantCulture), severity, message.Trim());
        if (!found.Contains(diagnostic))
        {
            found.Add(diagnostic);
        }
    }

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"^(?<file>[^\s:][^:]*\.[A-Za-z0-9]+):(?<line>\d+):(?<column>\d+):\s+(?:(?<severity>fatal error|error|warning|note):\s+)?(?<message>.+)$")]
    private static partial Regex Gnu();

    [GeneratedRegex(@"^(?<severity>error|warning|ERROR|WARNING)(?:\[\w+\]| \w+)?: (?<message>.+)$")]
    private static partial Regex Headline();

    [GeneratedRegex(@"^\s*--> (?<file>.+?):(?<line>\d+):(?<column>\d+)\s*$")]
    private static partial Regex RustLocation();

    [GeneratedRegex(@"└─ in (?<file>.+?)\((?<line>\d+),(?<column>\d+)\)\s*$")]
    private static partial Regex AscLocation();
}
