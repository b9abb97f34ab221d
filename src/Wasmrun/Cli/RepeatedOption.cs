// Options a command takes several times (--dir, --env): ConsoleAppFramework keeps only the last value, so these read
// every one from the command line; and --env's VAR[=VALUE] words as variables, shared by exec and os.
using ConsoleAppFramework;

namespace Wasmrun.Cli;

internal static class RepeatedOption
{
    /// <summary>Every value of the option, in order, before any `--` (the words after it are the program's).</summary>
    public static List<string> Values(ConsoleAppContext context, string option)
    {
        var arguments = context.CommandArguments;
        var escape = arguments.IndexOf("--");
        var end = escape < 0 ? arguments.Length : escape;
        var values = new List<string>();
        for (var i = 0; i < end - 1; i++)
        {
            if (arguments[i] == option)
            {
                values.Add(arguments[++i]);
            }
        }
        return values;
    }

    /// <summary>--env's values as variables: VAR=VALUE, or VAR alone for the host's value (skipped when unset).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Variables(ConsoleAppContext context) =>
        Values(context, "--env").SelectMany(Variable);

    private static IEnumerable<KeyValuePair<string, string>> Variable(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals == 0)
        {
            throw new WasmrunException($"--env {text}: expected K=V or K", ExitCode.Usage);
        }
        if (equals > 0)
        {
            yield return new(text[..equals], text[(equals + 1)..]);
        }
        else if (Environment.GetEnvironmentVariable(text) is { } inherited)
        {
            yield return new(text, inherited);
        }
    }
}
