// The command line before ConsoleAppFramework parses it. From the command catalog: --help, and usage errors as one
// line with a suggestion and exit code 2 (a missing argument, an unknown command, subcommand or option) where the
// framework would print help with status 0; wasmrun 0.22's spellings are taken with a note of today's.
using System.Globalization;

namespace Wasmrun.Cli;

internal static class CommandLine
{
    /// <summary>wasmrun 0.22's command words that mean one of ours.</summary>
    private static readonly Dictionary<string, string> CommandAliases = new(StringComparer.Ordinal)
    {
        ["build"] = "compile",
        ["serve"] = "run",
        ["dev"] = "run",
        ["kill"] = "stop",
    };

    /// <summary>
    /// The arguments for ConsoleAppFramework, or null when the command line was answered here: help printed (exit
    /// code 0) or a usage error reported (exit code 2).
    /// </summary>
    public static string[]? Prepare(string[] args)
    {
        try
        {
            var prepared = GlobalOptions.MoveLeadingFlags(TrailingWordsAfterArguments(TakeOldSpellings(args)));
            return Check(prepared) switch
            {
                null => null,
                // `wasmrun [PATH] ...` is `wasmrun run [PATH] ...`: the framework knows the long form only
                { Words.Length: 0 } => [CommandCatalog.ShortFormOf, .. prepared],
                _ => prepared,
            };
        }
        catch (WasmrunException error)
        {
            Environment.ExitCode = (int)CommandFilter.Report(error, debug: args.Contains("--debug"));
            return null;
        }
    }

    /// <summary>wasmrun 0.22's `build`, `serve`, `dev`, `kill`, `-p PATH`/`--path PATH` and `--call` where they mean
    /// one thing here; `-p PATH` where -p is our --port is an error that names both.</summary>
    private static string[] TakeOldSpellings(string[] args)
    {
        var at = GlobalOptions.LeadingFlags(args);
        if (at == args.Length)
        {
            return args;
        }
        var words = args.ToList();
        // A folder named `build` is still served by `wasmrun build`, as before 0.22's words were known.
        if (CommandAliases.TryGetValue(words[at], out var current) && !Path.Exists(words[at]))
        {
            Note($"`wasmrun {words[at]}` is `wasmrun {current}` in this Wasmrun");
            words[at] = current;
        }
        var (matched, length) = CommandCatalog.Match(words, at);
        if (matched is null && CommandCatalog.Members(words[at]).Length > 0)
        {
            return [.. words];
        }
        var command = matched ?? CommandCatalog.Root;
        for (var i = at + length; i < words.Count && words[i] != "--"; i++)
        {
            if (words[i] == "--call" && command.Words == "exec")
            {
                Note("`--call` is `--invoke` (or -c) in this Wasmrun");
                words[i] = "--invoke";
            }
            else if (words[i] is "-p" or "--path" && i + 1 < words.Count && command.Arguments is [{ Name: "path" }, ..])
            {
                var takenByPort = words[i] == "-p" && command.Options.Any(o => o.Short == "-p");
                if (takenByPort && int.TryParse(words[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    continue;
                }
                if (takenByPort)
                {
                    throw new WasmrunException($"-p {words[i + 1]}: -p is --port in this Wasmrun, and a port is a number", ExitCode.Usage)
                    {
                        Hint = $"wasmrun 0.22's -p PATH is the PATH argument here: `{command.Invocation} {words[i + 1]}`",
                    };
                }
                Note($"`{words[i]} PATH` is the PATH argument in this Wasmrun: `{command.Invocation} {words[i + 1]}`");
                words.RemoveAt(i);
                i--;
            }
        }
        return [.. words];
    }

    /// <summary>
    /// wasmtime's rule for exec: Wasmrun's options go before the module, and every word after it is the program's
    /// (or --invoke's), even one that looks like an option (`-inf`, `--env`). ConsoleAppFramework would take options
    /// anywhere, so a `--` goes in after the command's arguments; one the user wrote there already stays the only one.
    /// </summary>
    private static string[] TrailingWordsAfterArguments(string[] args)
    {
        var at = GlobalOptions.LeadingFlags(args);
        if (CommandCatalog.Match(args, at) is not ({ Trailing: not null } command, var length))
        {
            return args;
        }
        var positionals = 0;
        for (var i = at + length; i < args.Length; i++)
        {
            if (args[i] == "--")
            {
                return args;
            }
            if (IsOption(args[i]))
            {
                i += command.Options.Any(o => o.TakesValue && o.Matches(args[i])) ? 1 : 0;
                continue;
            }
            if (++positionals < command.Arguments.Length)
            {
                continue;
            }
            var rest = i + 1;
            return rest == args.Length || args[rest] == "--" ? args : [.. args[..rest], "--", .. args[rest..]];
        }
        return args;
    }

    private static void Note(string text)
    {
        var err = Terminal.Error;
        err.WriteLine($"{err.Cyan("note:")} {text}");
    }

    /// <summary>The command ConsoleAppFramework should run; null when help was printed.</summary>
    private static CommandSpec? Check(string[] args)
    {
        var (command, rest) = Resolve(args);
        if (command is null)
        {
            return null;
        }
        var positionals = new List<string>();
        for (var i = 0; i < rest.Length && rest[i] != "--"; i++)
        {
            var word = rest[i];
            if (word is "-h" or "--help")
            {
                Terminal.Out.WriteLine(HelpText.For(command).TrimEnd());
                return null;
            }
            if (!IsOption(word))
            {
                positionals.Add(word);
                continue;
            }
            var option = command.AcceptedOptions.FirstOrDefault(o => o.Matches(word))
                ?? throw UsageError(command, $"unknown option '{word}' for `{command.Invocation}`",
                    Suggest(word, command.AcceptedOptions.Select(o => o.Long)) is { } near
                        ? $"did you mean {near}? (`{command.Invocation} --help` lists the options)"
                        : null);
            if (option.TakesValue && ++i == rest.Length)
            {
                throw UsageError(command, $"{word} needs a value", null);
            }
        }
        var required = command.Arguments.Count(a => a.Required);
        if (positionals.Count < required)
        {
            var missing = command.Arguments.Where(a => a.Required).ElementAt(positionals.Count);
            throw UsageError(command, $"`{command.Invocation}` needs {missing.Display}: {Lowercase(CommandSpec.FirstClause(missing.Description))}", null);
        }
        if (positionals.Count > command.Arguments.Length && command.Arguments is not [.., { Variadic: true }])
        {
            throw UsageError(command, $"unexpected argument '{positionals[command.Arguments.Length]}' for `{command.Invocation}`", null);
        }
        return command;
    }

    /// <summary>The command the words name and the words after them; null when help was printed instead.</summary>
    private static (CommandSpec? Command, string[] After) Resolve(string[] args)
    {
        if (args.Length == 0 || IsOption(args[0]) || args[0] == "--")
        {
            return (CommandCatalog.Root, args);
        }
        if (CommandCatalog.Match(args, 0) is ({ } command, var length))
        {
            // `wasmrun os rnu`: a command that heads a group takes a PATH, but a word near one of its commands that
            // is no path is a typo, not a project
            if (length == 1 && args.Length > 1 && !IsOption(args[1]) && args[1] != "--" && !Path.Exists(args[1])
                && CommandCatalog.Members(command.Words) is { Length: > 0 } group
                && Suggest(args[1], group.Select(m => m.Words[(command.Words.Length + 1)..])) is { } meant)
            {
                throw new WasmrunException($"unknown command 'wasmrun {command.Words} {args[1]}'", ExitCode.Usage)
                {
                    Hint = $"did you mean `wasmrun {command.Words} {meant}`? (`wasmrun {command.Words} --help` lists the commands)",
                };
            }
            return (command, args[length..]);
        }
        var word = args[0];
        var members = CommandCatalog.Members(word);
        if (members.Length > 0)
        {
            var sub = args.Length > 1 ? args[1] : null;
            if (sub is "-h" or "--help")
            {
                Terminal.Out.WriteLine(HelpText.ForGroup(word, members).TrimEnd());
                return (null, []);
            }
            var names = members.Select(m => m.Words[(word.Length + 1)..]).ToList();
            if (sub is null)
            {
                throw new WasmrunException($"`wasmrun {word}` needs a command: {string.Join(", ", names)}", ExitCode.Usage)
                {
                    Hint = $"`wasmrun {word} --help` says what each does",
                };
            }
            return members.FirstOrDefault(m => m.Words == $"{word} {sub}") is { } member
                ? (member, args[2..])
                : throw new WasmrunException($"unknown command 'wasmrun {word} {sub}'", ExitCode.Usage)
                {
                    Hint = Suggest(sub, names) is { } near
                        ? $"did you mean `wasmrun {word} {near}`? (`wasmrun {word} --help` lists the commands)"
                        : $"the {word} commands are {string.Join(", ", names)}",
                };
        }
        // `wasmrun [PATH]`: a word that is neither a command nor a path is a typo, not a server started on it
        if (!Path.Exists(word))
        {
            throw new WasmrunException($"unknown command or path '{word}'", ExitCode.Usage)
            {
                Hint = Suggest(word, CommandCatalog.FirstWords.Concat(CommandAliases.Keys)) is { } near
                    ? $"did you mean `wasmrun {CommandAliases.GetValueOrDefault(near, near)}`? (`wasmrun --help` lists the commands)"
                    : "run `wasmrun --help` for the list of commands",
            };
        }
        return (CommandCatalog.Root, args);
    }

    /// <summary>A word that is an option, not a value such as `-1` (or `-` for stdin).</summary>
    private static bool IsOption(string word) => word.Length > 1 && word[0] == '-' && word != "--" && !char.IsDigit(word[1]);

    private static WasmrunException UsageError(CommandSpec command, string message, string? hint) =>
        new(message, ExitCode.Usage) { Hint = hint ?? $"usage: {command.Usage} (`{command.Invocation} --help` says more)" };

    private static string Lowercase(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    /// <summary>The candidate nearest to a mistyped word, when it is near enough to be what was meant.</summary>
    internal static string? Suggest(string word, IEnumerable<string> candidates)
    {
        var best = candidates
            .Select(c => (Candidate: c, Distance: EditDistance(word.ToLowerInvariant(), c)))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        var allowed = Math.Max(1, Math.Min(2, word.TrimStart('-').Length / 3));
        return best.Candidate is not null && best.Distance <= allowed ? best.Candidate : null;
    }

    /// <summary>Edits (insert, delete, replace, swap two neighbours) from one word to the other.</summary>
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
