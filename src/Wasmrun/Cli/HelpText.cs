// `--help` for the root, a group (`wasmrun plugin`) and every command (with its group's, when it heads one), rendered from the command catalog in the
// layout of clap and the wasmtime CLI: summary, Usage with the program name, Arguments, Options.
using System.Text;

namespace Wasmrun.Cli;

internal static class HelpText
{
    public static string For(CommandSpec command)
    {
        var text = new StringBuilder();
        text.Append(command.Summary).Append("\n\n");
        text.Append("Usage: ").Append(command.Usage).Append('\n');
        if (command.Words.Length == 0)
        {
            text.Append("       wasmrun <COMMAND> [OPTIONS] [ARGS]...\n");
            Section(text, "Commands", CommandCatalog.All.Where(c => c.Words.Length > 0).Select(c => (c.Words, c.Headline)));
        }
        else if (!command.IsGroupMember && CommandCatalog.Members(command.Words) is { Length: > 0 } members)
        {
            // A command that also heads a group (`wasmrun os`, `wasmrun config`): its own usage, then its group's.
            text.Append($"       wasmrun {command.Words} <COMMAND> [OPTIONS] [ARGS]...\n");
            Section(text, "Commands", members.Select(c => (c.Words[(command.Words.Length + 1)..], c.Headline)));
        }
        var arguments = command.Arguments.Select(a => (a.Display, a.Description)).ToList();
        if (command.Trailing is not null)
        {
            arguments.Add(("[ARGS]...", command.Trailing));
        }
        Section(text, "Arguments", arguments);
        var rows = command.AcceptedOptions.Select(o => (o.Display, o.Description));
        if (command.Words.Length == 0)
        {
            rows = rows.Append(("-V, --version", "Print the version"));
        }
        Section(text, "Options", rows);
        return text.ToString();
    }

    /// <summary>`wasmrun plugin --help`: the group's commands.</summary>
    public static string ForGroup(string group, CommandSpec[] members)
    {
        var text = new StringBuilder();
        text.Append($"The {group} commands; run `wasmrun {group} COMMAND --help` for the options of one.\n\n");
        text.Append($"Usage: wasmrun {group} <COMMAND> [OPTIONS] [ARGS]...\n");
        Section(text, "Commands", members.Select(c => (c.Words[(group.Length + 1)..], c.Headline)));
        return text.ToString();
    }

    private static void Section(StringBuilder text, string title, IEnumerable<(string Left, string Right)> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return;
        }
        var width = list.Max(r => r.Left.Length) + 2;
        text.Append('\n').Append(title).Append(":\n");
        foreach (var (left, right) in list)
        {
            text.Append("  ").Append(left.PadRight(width)).Append(right).Append('\n');
        }
    }
}
