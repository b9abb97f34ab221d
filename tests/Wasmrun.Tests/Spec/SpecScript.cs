// Runs one wast2json script (<name>.json + its .wasm files) against the engine and counts the outcome of every
// command by kind: decoding, validation, instantiation, linking, and execution with results compared bit for bit
// (NaN classes and v128 lanes as the spec interpreter compares them).
using System.Globalization;
using System.Text.Json;
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Validate;

namespace Wasmrun.Tests.Spec;

internal enum SpecKind
{
    /// <summary>`module`: decodes, validates and instantiates.</summary>
    Module,

    /// <summary>`assert_malformed` of a binary module: decoding fails with the expected message.</summary>
    Malformed,

    /// <summary>`assert_invalid`: validation fails with the expected message.</summary>
    Invalid,

    /// <summary>`assert_return`: the results, bit for bit.</summary>
    Return,

    /// <summary>`assert_trap`: the invocation traps with the expected message.</summary>
    Trap,

    /// <summary>`assert_exhaustion`: the invocation exhausts the call stack.</summary>
    Exhaustion,

    /// <summary>`assert_unlinkable`: instantiation fails to link.</summary>
    Unlinkable,

    /// <summary>`assert_uninstantiable`: instantiation traps.</summary>
    Uninstantiable,

    /// <summary>`action`: an invocation or global read that must not trap.</summary>
    Action,

    /// <summary>`register`: makes an instance's exports importable.</summary>
    Register,

    /// <summary>assert_malformed of a text (.wat) module: needs a text-format parser.</summary>
    TextModule,
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

internal sealed class SpecScript : IDisposable
{
    private readonly string directory;
    private readonly Store store = new(new EngineOptions { MaxCallDepth = 20_000 });
    private readonly Linker linker = new();
    private readonly Dictionary<string, Instance> named = [];
    private Instance? current;

    private SpecScript(string directory)
    {
        this.directory = directory;
        SpectestModule.Define(store, linker);
    }

    public void Dispose() => store.Dispose();

    public static SpecScriptResult Run(string directory, string script)
    {
        using var runner = new SpecScript(directory);
        var result = new SpecScriptResult(script);
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, script + ".json")));
        foreach (var command in json.RootElement.GetProperty("commands").EnumerateArray())
        {
            var line = command.GetProperty("line").GetInt32();
            var (kind, failure) = runner.Execute(command);
            if (kind == SpecKind.TextModule)
            {
                result.Count(kind, false);
                continue;
            }
            Record(result, new SpecFailure(script, line, kind, failure ?? ""), failure is null);
        }
        return result;
    }

    private (SpecKind Kind, string? Failure) Execute(JsonElement command)
    {
        var type = command.GetProperty("type").GetString();
        if (type is "assert_malformed" or "assert_invalid" && command.GetProperty("module_type").GetString() == "text")
        {
            return (SpecKind.TextModule, null);
        }
        try
        {
            return type switch
            {
                "module" => (SpecKind.Module, DefineModule(command)),
                "register" => (SpecKind.Register, Register(command)),
                "assert_malformed" => (SpecKind.Malformed, ExpectError(command, ModuleErrorKind.Malformed)),
                "assert_invalid" => (SpecKind.Invalid, ExpectError(command, ModuleErrorKind.Invalid)),
                "assert_unlinkable" => (SpecKind.Unlinkable, ExpectInstantiationFailure(command, trap: false)),
                "assert_uninstantiable" => (SpecKind.Uninstantiable, ExpectInstantiationFailure(command, trap: true)),
                "assert_return" => (SpecKind.Return, ExpectReturn(command)),
                "assert_trap" => (SpecKind.Trap, ExpectTrap(command, "trap")),
                "assert_exhaustion" => (SpecKind.Exhaustion, ExpectTrap(command, "exhaustion")),
                "action" => (SpecKind.Action, Perform(command.GetProperty("action"), out _)),
                _ => throw new InvalidOperationException($"unknown command type {type}"),
            };
        }
        catch (Exception crash) when (crash is not (ModuleFormatException or TrapException or LinkException))
        {
            return (Kind(type), $"the engine crashed: {crash}");
        }
    }

    private static SpecKind Kind(string? type) => type switch
    {
        "module" => SpecKind.Module,
        "register" => SpecKind.Register,
        "assert_malformed" => SpecKind.Malformed,
        "assert_invalid" => SpecKind.Invalid,
        "assert_unlinkable" => SpecKind.Unlinkable,
        "assert_uninstantiable" => SpecKind.Uninstantiable,
        "assert_return" => SpecKind.Return,
        "assert_trap" => SpecKind.Trap,
        "assert_exhaustion" => SpecKind.Exhaustion,
        _ => SpecKind.Action,
    };

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

    // --- Modules ---

    private Module Load(JsonElement command)
    {
        var bytes = File.ReadAllBytes(Path.Combine(directory, command.GetProperty("filename").GetString()!));
        var module = ModuleDecoder.Decode(bytes);
        ModuleValidator.Validate(module);
        return module;
    }

    private string? DefineModule(JsonElement command)
    {
        try
        {
            current = store.Instantiate(Load(command), linker);
            if (command.TryGetProperty("name", out var name))
            {
                named[name.GetString()!] = current;
            }
            return null;
        }
        catch (Exception error) when (error is ModuleFormatException or LinkException or TrapException or WasmrunException)
        {
            current = null;
            return $"expected the module to instantiate, got {error.GetType().Name}: {error.Message}";
        }
    }

    private string? Register(JsonElement command)
    {
        var instance = Instance(command);
        if (instance is null)
        {
            return "no module to register";
        }
        linker.Register(command.GetProperty("as").GetString()!, instance);
        return null;
    }

    private Instance? Instance(JsonElement command) =>
        command.TryGetProperty("name", out var name) || command.TryGetProperty("module", out name)
            ? named.GetValueOrDefault(name.GetString()!)
            : current;

    private string? ExpectError(JsonElement command, ModuleErrorKind expectedKind)
    {
        var expected = command.GetProperty("text").GetString()!;
        try
        {
            Load(command);
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
    }

    private string? ExpectInstantiationFailure(JsonElement command, bool trap)
    {
        var expected = command.GetProperty("text").GetString()!;
        Module module;
        try
        {
            module = Load(command);
        }
        catch (ModuleFormatException error)
        {
            return $"expected a valid module, got {error.Kind}: {error.Describe()}";
        }
        try
        {
            store.Instantiate(module, linker);
            return $"expected instantiation to fail with \"{expected}\", but it succeeded";
        }
        catch (TrapException error) when (trap)
        {
            return error.Message.StartsWith(expected, StringComparison.Ordinal) ? null : $"expected \"{expected}\", got trap \"{error.Message}\"";
        }
        catch (LinkException error) when (!trap)
        {
            return error.Reason.StartsWith(expected, StringComparison.Ordinal) ? null : $"expected \"{expected}\", got \"{error.Reason}\"";
        }
        catch (Exception error) when (error is TrapException or LinkException)
        {
            return $"expected {(trap ? "a trap" : "a link error")} \"{expected}\", got {error.GetType().Name}: {error.Message}";
        }
    }

    // --- Actions ---

    private string? Perform(JsonElement action, out Value[] results)
    {
        results = [];
        var instance = Instance(action);
        if (instance is null)
        {
            return "the module of the action is not instantiated";
        }
        var field = action.GetProperty("field").GetString()!;
        if (action.GetProperty("type").GetString() == "get")
        {
            if (!instance.Exports.TryGetValue(field, out var export) || export.Kind != ExternalKind.Global)
            {
                return $"no exported global \"{field}\"";
            }
            results = [export.Global.Get()];
            return null;
        }
        var function = instance.ExportedFunction(field);
        if (function is null)
        {
            return $"no exported function \"{field}\"";
        }
        var arguments = action.GetProperty("args").EnumerateArray().Select(SpecValues.Argument).ToArray();
        try
        {
            results = store.Invoke(function, arguments);
            return null;
        }
        catch (TrapException trap)
        {
            return $"trapped: {trap.Message}";
        }
    }

    private string? ExpectReturn(JsonElement command)
    {
        var failure = Perform(command.GetProperty("action"), out var results);
        return failure ?? SpecValues.Compare(command.GetProperty("expected"), results);
    }

    private string? ExpectTrap(JsonElement command, string what)
    {
        var expected = command.GetProperty("text").GetString()!;
        var failure = Perform(command.GetProperty("action"), out _);
        if (failure is null)
        {
            return $"expected {what} \"{expected}\", but the call returned";
        }
        return failure.StartsWith("trapped: " + expected, StringComparison.Ordinal) ? null : $"expected {what} \"{expected}\", got {failure}";
    }
}

/// <summary>Values of the JSON format as slots, and the comparison of results with expectations.</summary>
internal static class SpecValues
{
    public static Value Argument(JsonElement value)
    {
        var type = value.GetProperty("type").GetString();
        if (type == "v128")
        {
            var (low, high) = Vector(value);
            return Value.V128(new V128(low, high));
        }
        var text = value.GetProperty("value").GetString()!;
        return type switch
        {
            "externref" => text == "null" ? Value.Null(ValType.ExternRef) : Value.ExternRef(ulong.Parse(text, CultureInfo.InvariantCulture)),
            "funcref" => text == "null" ? Value.Null(ValType.FuncRef) : throw new InvalidOperationException("funcref arguments other than null"),
            "i32" => Value.FromBits(ValType.I32, uint.Parse(text, CultureInfo.InvariantCulture)),
            "f32" => Value.FromBits(ValType.F32, uint.Parse(text, CultureInfo.InvariantCulture)),
            "i64" => Value.FromBits(ValType.I64, ulong.Parse(text, CultureInfo.InvariantCulture)),
            _ => Value.FromBits(ValType.F64, ulong.Parse(text, CultureInfo.InvariantCulture)),
        };
    }

    public static string? Compare(JsonElement expected, Value[] results)
    {
        if (expected.GetArrayLength() != results.Length)
        {
            return $"expected {expected.GetArrayLength()} results, got {results.Length}";
        }
        var index = 0;
        foreach (var value in expected.EnumerateArray())
        {
            var result = results[index];
            var ok = value.GetProperty("type").GetString() switch
            {
                "v128" => CompareVector(value, result.Bits, result.High),
                "f32" => CompareFloat(value.GetProperty("value").GetString()!, result.Bits, 32),
                "f64" => CompareFloat(value.GetProperty("value").GetString()!, result.Bits, 64),
                "i32" => uint.Parse(value.GetProperty("value").GetString()!, CultureInfo.InvariantCulture) == result.Bits,
                "i64" => ulong.Parse(value.GetProperty("value").GetString()!, CultureInfo.InvariantCulture) == result.Bits,
                _ => CompareReference(value, result),
            };
            if (!ok)
            {
                return $"result {index}: expected {value.GetRawText()}, got {result.Type.Name()} {result}";
            }
            index++;
        }
        return null;
    }

    private static bool CompareReference(JsonElement value, Value actual)
    {
        if (!value.TryGetProperty("value", out var text))
        {
            return !actual.IsNull;
        }
        var expected = text.GetString()!;
        if (expected == "null")
        {
            return actual.IsNull;
        }
        return value.GetProperty("type").GetString() == "externref"
            ? !actual.IsNull && actual.AsExternRef() == ulong.Parse(expected, CultureInfo.InvariantCulture)
            : !actual.IsNull;
    }

    private static bool CompareFloat(string expected, ulong bits, int width)
    {
        var (quietMask, canonical, signless) = width == 32
            ? (0x7FC00000UL, 0x7FC00000UL, 0x7FFFFFFFUL)
            : (0x7FF8000000000000UL, 0x7FF8000000000000UL, 0x7FFFFFFFFFFFFFFFUL);
        return expected switch
        {
            "nan:canonical" => (bits & signless) == canonical,
            "nan:arithmetic" => (bits & quietMask) == quietMask,
            _ => ulong.Parse(expected, CultureInfo.InvariantCulture) == bits,
        };
    }

    private static bool CompareVector(JsonElement value, ulong low, ulong high)
    {
        var laneType = value.GetProperty("lane_type").GetString()!;
        var lanes = value.GetProperty("value").EnumerateArray().Select(l => l.GetString()!).ToArray();
        var bits = laneType switch { "i8" => 8, "i16" => 16, "i32" or "f32" => 32, _ => 64 };
        for (var i = 0; i < lanes.Length; i++)
        {
            var actual = Lane(low, high, i, bits);
            var ok = laneType is "f32" or "f64"
                ? CompareFloat(lanes[i], actual, bits)
                : ulong.Parse(lanes[i], CultureInfo.InvariantCulture) == actual;
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    private static ulong Lane(ulong low, ulong high, int index, int bits)
    {
        var bitOffset = index * bits;
        var word = bitOffset < 64 ? low : high;
        var shifted = word >> (bitOffset % 64);
        return bits == 64 ? shifted : shifted & ((1UL << bits) - 1);
    }

    private static (ulong Low, ulong High) Vector(JsonElement value)
    {
        var laneType = value.GetProperty("lane_type").GetString()!;
        var bits = laneType switch { "i8" => 8, "i16" => 16, "i32" or "f32" => 32, _ => 64 };
        ulong low = 0, high = 0;
        var index = 0;
        foreach (var lane in value.GetProperty("value").EnumerateArray())
        {
            var lanBits = ulong.Parse(lane.GetString()!, CultureInfo.InvariantCulture);
            var bitOffset = index * bits;
            if (bitOffset < 64)
            {
                low |= lanBits << bitOffset;
            }
            else
            {
                high |= lanBits << (bitOffset - 64);
            }
            index++;
        }
        return (low, high);
    }
}
