// Options every command accepts (registered in Program.cs), parsed by ConsoleAppFramework before the command's own.
namespace Wasmrun.Cli;

internal sealed record GlobalOptions(bool Debug)
{
    public const string DebugDescription = "Debug and trace logs with phase timings on stderr; stack traces on errors";

    /// <summary>
    /// Global flags may come before the command word (`wasmrun --debug verify x.wasm`); ConsoleAppFramework only
    /// looks for them after it, so they are moved to the end of the command's own arguments (before any `--`).
    /// </summary>
    public static string[] MoveLeadingFlags(string[] args)
    {
        var leading = LeadingFlags(args);
        if (leading == 0 || leading == args.Length)
        {
            return args;
        }
        var rest = args.AsSpan(leading);
        var escape = rest.IndexOf("--");
        var insertAt = escape < 0 ? rest.Length : escape;
        return [.. rest[..insertAt], .. args.AsSpan(0, leading), .. rest[insertAt..]];
    }

    /// <summary>How many global flags come before the command word.</summary>
    public static int LeadingFlags(string[] args)
    {
        var leading = 0;
        while (leading < args.Length && args[leading] == "--debug")
        {
            leading++;
        }
        return leading;
    }
}
