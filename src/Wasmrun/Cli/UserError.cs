// What the user sees of a failure: the exit code of its kind, the one-line "error: ..." text and the advice under it.
// The one place that maps exception types to exit codes: the engine's exceptions carry none, and Wasmrun's own
// (WasmrunException) say theirs.
using System.Text.RegularExpressions;
using ConsoleAppFramework;
using Wasmrun.Engine;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Text;

namespace Wasmrun.Cli;

internal readonly partial record struct UserError(ExitCode ExitCode, string Text, string? Hint)
{
    /// <summary>"FILE:LINE:COL" for an error in a text the user wrote; printed before "error:" as compilers do, so
    /// editors jump to it.</summary>
    public string? Location { get; init; }

    /// <summary>The whole message on one line: the location (when there is one), then the text.</summary>
    public string Line => Location is null ? Text : $"{Location}: {Text}";

    public static UserError Of(Exception error, bool debug = false)
    {
        if (error is AdvisedException advised)
        {
            var inner = Of(advised.InnerException!, debug);
            return inner with { Text = advised.Prefix + inner.Text, Hint = advised.Hint ?? inner.Hint };
        }
        return Classify(error, debug);
    }

    private static UserError Classify(Exception error, bool debug) => error switch
    {
        WasmrunException own => new(own.ExitCode, own.Describe(), own.Hint),
        TrapException trap => new(ExitCode.Trap, trap.Describe(), null),
        TextFormatException text => new(ExitCode.InvalidInput, text.Reason, null) { Location = text.Location },
        ModuleFormatException format => new(ExitCode.InvalidInput, format.Describe(), Advice(format)),
        EngineLimitException { Limit: EngineLimit.MemorySize } limit => new(ExitCode.InvalidInput, limit.Describe(), "raise the limit with --max-memory"),
        EngineException engine => new(ExitCode.InvalidInput, engine.Describe(), null),
        ArgumentParseFailedException => new(ExitCode.Usage, ParseFailure(error.Message), "run with --help to see the options"),
        _ => new(ExitCode.InternalError, $"internal error: {error.GetType().Name}: {error.Message}",
            debug ? null : "this is a bug in Wasmrun; rerun with --debug for the stack trace and report it"),
    };

    private static string Advice(ModuleFormatException error)
    {
        if (error.Kind == ModuleErrorKind.Invalid)
        {
            return "the module breaks a WebAssembly validation rule: the compiler that produced it, or a tool that changed it afterwards, has a bug";
        }
        var bytes = error.Input.Span;
        if (bytes.Length == 0)
        {
            return "the file is empty";
        }
        if (error.Offset == 4 && bytes.Length >= 8 && bytes[4] == 0x0D && bytes[6] == 0x01)
        {
            return "this is a WebAssembly component, not a core module; Wasmrun runs core modules (binary version 1)";
        }
        if (error.Offset == 0)
        {
            return "a WebAssembly module starts with the bytes 00 61 73 6d (\"\\0asm\"); this file is something else";
        }
        return "the file is not a well-formed WebAssembly 2.0 binary: is it truncated, or built for a later proposal?";
    }

    /// <summary>ConsoleAppFramework's "Argument 'port' failed to parse, provided value: abc" as "--port abc: not a
    /// number" (the only options it parses are numbers; CommandLine has already checked everything else).</summary>
    private static string ParseFailure(string message) =>
        ArgumentParseFailure().Match(message) is { Success: true } match
            ? $"--{match.Groups[1].Value} {match.Groups[2].Value}: not a number"
            : message;

    [GeneratedRegex(@"^Argument '([\w-]+)' failed to parse, provided value: (.*)$")]
    private static partial Regex ArgumentParseFailure();
}

/// <summary>An error of a layer below (the engine, WASI) with what the command that met it knows: the input it
/// concerns (a prefix such as "app.wasm: ") and advice. Reported as the error itself, with its exit code.</summary>
internal sealed class AdvisedException(Exception error, string? hint, string prefix = "") : Exception(error.Message, error)
{
    public string? Hint { get; } = hint;

    public string Prefix { get; } = prefix;
}
