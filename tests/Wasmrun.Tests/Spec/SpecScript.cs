// Runs one wast2json script (<name>.json + its .wasm files) against the engine and counts the outcome of every
// command by kind. Decoding and validation commands run now; execution commands are counted as not yet run.
using System.Text.Json;
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Validate;

namespace Wasmrun.Tests.Spec;

internal enum SpecKind
{
    /// <summary>`module`: the module must decode and validate.</summary>
    Module,

    /// <summary>`assert_malformed` of a binary module: decoding must fail with the expected message.</summary>
    Malformed,

    /// <summary>`assert_invalid`: validation must fail with the expected message.</summary>
    Invalid,

    /// <summary>assert_unlinkable / assert_uninstantiable: the module must decode and validate (linking comes later).</summary>
    ValidModuleOfLinkAssertion,

    /// <summary>assert_malformed of a text (.wat) module: needs a text-format parser.</summary>
    TextModule,

    /// <summary>assert_return, assert_trap, assert_exhaustion, action, register: need the interpreter.</summary>
    Execution,
}

internal sealed record SpecFailure(string Script, int Line, SpecKind Kind, string Detail)
{
    public string Key => $"{Script}:{Line}";

    public override string ToString() => $"{Script}.wast:{Line} ({Kind}): {Detail}";
}

internal sealed class SpecScriptResult(string script)
{
    public string Script { get; } = script;

    public Dictionary<SpecKind, int> Passed { get; } = [];

    public Dictionary<SpecKind, int> Total { get; } = [];

    public List<SpecFailure> Failures { get; } = [];

    /// <summary>Listed in ExpectedFailures and still failing.</summary>
    public List<SpecFailure> ExpectedFailures { get; } = [];

    public int PassedOf(SpecKind kind) => Passed.GetValueOrDefault(kind);

    public int TotalOf(SpecKind kind) => Total.GetValueOrDefault(kind);

    public void Count(SpecKind kind, bool passed)
    {
        Total[kind] = TotalOf(kind) + 1;
        if (passed)
        {
            Passed[kind] = PassedOf(kind) + 1;
        }
    }
}

internal static class SpecScript
{
    public static SpecScriptResult Run(string directory, string script)
    {
        var result = new SpecScriptResult(script);
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, script + ".json")));
        foreach (var command in json.RootElement.GetProperty("commands").EnumerateArray())
        {
            var type = command.GetProperty("type").GetString();
            var line = command.GetProperty("line").GetInt32();
            var (kind, failure) = type switch
            {
                "module" => (SpecKind.Module, ExpectValid(directory, command)),
                "assert_unlinkable" or "assert_uninstantiable" => (SpecKind.ValidModuleOfLinkAssertion, ExpectValid(directory, command)),
                "assert_malformed" or "assert_invalid" when command.GetProperty("module_type").GetString() == "text" => (SpecKind.TextModule, null),
                "assert_malformed" => (SpecKind.Malformed, ExpectError(directory, command, ModuleErrorKind.Malformed)),
                "assert_invalid" => (SpecKind.Invalid, ExpectError(directory, command, ModuleErrorKind.Invalid)),
                _ => (SpecKind.Execution, null),
            };
            if (kind is SpecKind.TextModule or SpecKind.Execution)
            {
                result.Count(kind, false);
                continue;
            }
            Record(result, new SpecFailure(script, line, kind, failure ?? ""), failure is null);
        }
        return result;
    }

    private static void Record(SpecScriptResult result, SpecFailure outcome, bool passed)
    {
        var listed = ExpectedFailures.Reasons.ContainsKey(outcome.Key);
        if (passed && listed)
        {
            result.Failures.Add(outcome with { Detail = "passes but is listed in ExpectedFailures: remove it from the list" });
            result.Count(outcome.Kind, true);
            return;
        }
        result.Count(outcome.Kind, passed);
        if (!passed)
        {
            (listed ? result.ExpectedFailures : result.Failures).Add(outcome);
        }
    }

    private static string? ExpectValid(string directory, JsonElement command)
    {
        try
        {
            Load(directory, command);
            return null;
        }
        catch (ModuleFormatException error)
        {
            return $"expected a valid module, got {error.Kind}: {error.Describe()}";
        }
        catch (Exception crash)
        {
            return $"the engine crashed: {crash}";
        }
    }

    private static string? ExpectError(string directory, JsonElement command, ModuleErrorKind expectedKind)
    {
        var expected = command.GetProperty("text").GetString()!;
        try
        {
            Load(directory, command);
            return $"expected {expectedKind} \"{expected}\", but the module was accepted";
        }
        catch (ModuleFormatException error)
        {
            if (error.Kind != expectedKind)
            {
                return $"expected {expectedKind} \"{expected}\", got {error.Kind}: {error.Describe()}";
            }
            // The reference interpreter checks that its message starts with the expected text; so do we.
            return error.Reason.StartsWith(expected, StringComparison.Ordinal)
                ? null
                : $"expected \"{expected}\", got \"{error.Describe()}\"";
        }
        catch (Exception crash)
        {
            return $"the engine crashed: {crash}";
        }
    }

    private static Module Load(string directory, JsonElement command)
    {
        var bytes = File.ReadAllBytes(Path.Combine(directory, command.GetProperty("filename").GetString()!));
        var module = ModuleDecoder.Decode(bytes);
        ModuleValidator.Validate(module);
        return module;
    }
}
