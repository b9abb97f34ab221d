// What the command line accepts, as CommandCatalogGenerator reads it from the [Command] methods: the catalog that
// help, usage checks and suggestions share with ConsoleAppFramework's own parser.
namespace Wasmrun.Cli;

/// <summary>A positional argument: `path` shows as [PATH] when optional, &lt;PATH&gt; when required.</summary>
/// <summary>A positional argument; a variadic one (C#'s `params`, last) takes every remaining word.</summary>
internal sealed record ArgumentSpec(string Name, bool Required, string Description, bool Variadic = false)
{
    public string Display => (Required ? $"<{Name.ToUpperInvariant()}>" : $"[{Name.ToUpperInvariant()}]") + (Variadic ? "..." : "");
}

/// <summary>An option: --port (and -p) with a value named PORT, or a flag such as --watch (no value name).</summary>
internal sealed record OptionSpec(string Name, string Short, string Value, string Description)
{
    public string Long => "--" + Name;

    public bool TakesValue => Value.Length > 0;

    public bool Matches(string word) => word == Long || (Short.Length > 0 && word == Short);

    public string Display =>
        $"{(Short.Length > 0 ? Short + ", " : "    ")}{Long}{(TakesValue ? $" <{Value}>" : "")}";
}

/// <summary>A command: its words ("plugin install"; "" for `wasmrun [PATH]`, CommandCatalog.Root), the summary its --help opens with,
/// and what the words after `--` are when they belong to it (exec's program arguments).</summary>
internal sealed record CommandSpec(string Words, string Summary, string? Trailing, ArgumentSpec[] Arguments, OptionSpec[] Options)
{
    /// <summary>Its own options and the global ones: what it accepts and what its --help lists.</summary>
    public IEnumerable<OptionSpec> AcceptedOptions => Options.Concat(CommandCatalog.Global);

    /// <summary>"Run a WebAssembly module natively with WASI" of "...with WASI: its _start, or ...".</summary>
    public string Headline => FirstClause(Summary);

    /// <summary>A description up to its first ':', ';' or ". " outside parentheses, without the final period.</summary>
    public static string FirstClause(string text)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0 && (text[i] is ':' or ';' || (text[i] == '.' && i + 1 < text.Length && text[i + 1] == ' ')))
            {
                return text[..i];
            }
        }
        return text.TrimEnd('.');
    }

    public bool IsGroupMember => Words.Contains(' ', StringComparison.Ordinal);

    public string Group => IsGroupMember ? Words[..Words.IndexOf(' ', StringComparison.Ordinal)] : Words;

    public string Invocation => Words.Length == 0 ? "wasmrun" : "wasmrun " + Words;

    public string Usage
    {
        get
        {
            var parts = new List<string> { Invocation };
            if (Options.Length > 0 || Words.Length > 0)
            {
                parts.Add("[OPTIONS]");
            }
            parts.AddRange(Arguments.Select(a => a.Display));
            if (Trailing is not null)
            {
                parts.Add("[ARGS]...");
            }
            return string.Join(' ', parts);
        }
    }
}

internal static partial class CommandCatalog
{
    /// <summary>Options every command takes (GlobalOptions), shown in every --help.</summary>
    public static readonly OptionSpec[] Global =
    [
        new("debug", "", "", GlobalOptions.DebugDescription),
        new("help", "-h", "", "Print this help"),
    ];

    /// <summary>The command `wasmrun [PATH]` is the short form of; CommandLine hands the short form to it.</summary>
    public const string ShortFormOf = "run";

    private static CommandSpec? root;

    /// <summary>`wasmrun [PATH]`: `wasmrun run`'s arguments and options, under the summary of Wasmrun itself.</summary>
    public static CommandSpec Root => root ??= Find(ShortFormOf)! with
    {
        Words = "",
        Summary = Commands.RunCommand.ShortFormSummary,
        Arguments = [.. Find(ShortFormOf)!.Arguments.Select(a => a.Name == "path" ? a with { Description = Commands.RunCommand.ShortFormPath } : a)],
    };

    public static CommandSpec? Find(string words) => All.FirstOrDefault(c => c.Words == words);

    /// <summary>The command the words from `at` on name (`config set` before `config`: a command may also be a
    /// group) and how many words name it; (null, 0) when they name none: `wasmrun [PATH]`, or a group's word.</summary>
    public static (CommandSpec? Command, int Length) Match(IReadOnlyList<string> words, int at)
    {
        if (at + 1 < words.Count && Find($"{words[at]} {words[at + 1]}") is { } subcommand)
        {
            return (subcommand, 2);
        }
        return at < words.Count && words[at].Length > 0 && Find(words[at]) is { } command ? (command, 1) : (null, 0);
    }

    /// <summary>The commands under a group word ("plugin"), or none when the word is no group.</summary>
    public static CommandSpec[] Members(string group) => [.. All.Where(c => c.IsGroupMember && c.Group == group)];

    /// <summary>The first words users type: commands and groups.</summary>
    public static IEnumerable<string> FirstWords => All.Where(c => c.Words.Length > 0).Select(c => c.Group).Distinct();
}
