// Runs spec scripts (.wast, the reference interpreter's script format) against the engine: modules in text, binary
// or quoted form, registrations, invocations and every assertion, each checked and counted with its line. One runner
// serves `wasmrun wast` and the conformance tests.
using System.Text;
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Text;
using Wasmrun.Engine.Validate;

namespace Wasmrun.Wast;

internal enum WastCommandKind
{
    /// <summary>`module`: parses, decodes, validates and instantiates.</summary>
    Module,

    /// <summary>`assert_malformed`: the text does not parse, or the binary does not decode, with the expected message.</summary>
    Malformed,

    /// <summary>`assert_invalid`: validation fails with the expected message.</summary>
    Invalid,

    /// <summary>`assert_return`: the results, bit for bit (NaN classes and v128 lanes as the reference compares them).</summary>
    Return,

    /// <summary>`assert_trap` of an invocation.</summary>
    Trap,

    /// <summary>`assert_exhaustion`: the invocation exhausts the call stack.</summary>
    Exhaustion,

    /// <summary>`assert_exception`: the invocation ends with an uncaught exception (3.0 exception handling).</summary>
    Exception,

    /// <summary>`assert_unlinkable`: instantiation fails to link.</summary>
    Unlinkable,

    /// <summary>`assert_uninstantiable` or `assert_trap` of a module: instantiation traps.</summary>
    Uninstantiable,

    /// <summary>A bare `invoke` or `get`, which must not trap.</summary>
    Action,

    /// <summary>`register`: makes an instance's exports importable.</summary>
    Register,

    /// <summary>A command this runner does not know (a later proposal's), or a script line that does not parse.</summary>
    Unsupported,
}

/// <summary>One command's outcome: <see cref="Failure"/> is null when it passed.</summary>
internal sealed record WastOutcome(string Script, int Line, WastCommandKind Kind, string? Failure)
{
    public bool Passed => Failure is null;

    public string Key => $"{Script}:{Line}";

    public override string ToString() => $"{Script}.wast:{Line} ({Kind}): {Failure}";
}

internal sealed class WastRunner : IDisposable
{
    private readonly string script;
    private readonly Store store = new(new EngineOptions { MaxCallDepth = 20_000 });
    private readonly Linker linker = new();
    private readonly Dictionary<string, Instance> named = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Module> definitions = new(StringComparer.Ordinal);
    private Module? lastDefinition;
    private readonly List<WastOutcome> outcomes = [];
    private Instance? current;
    private TokenReader reader = null!;
    private int[] lineStarts = [];

    private readonly WasmFeatures features;

    private WastRunner(string script, WasmFeatures features)
    {
        this.script = script;
        this.features = features;
        SpectestModule.Define(store, linker);
    }

    public void Dispose() => store.Dispose();

    /// <summary>Runs a whole script; <paramref name="script"/> names it in every outcome (the file name without .wast).
    /// Modules are checked with <paramref name="features"/>: the 2.0 suite asserts that some 3.0 constructs are invalid.</summary>
    public static IReadOnlyList<WastOutcome> Run(string text, string script, WasmFeatures features = WasmFeatures.Wasm30)
    {
        using var runner = new WastRunner(script, features);
        runner.RunAll(text);
        return runner.outcomes;
    }

    private void RunAll(string text)
    {
        lineStarts = LineStarts(text);
        try
        {
            reader = TokenReader.Of(text);
        }
        catch (TextFormatException error)
        {
            outcomes.Add(new WastOutcome(script, error.Line, WastCommandKind.Unsupported, $"the script does not parse: {error.Reason}"));
            return;
        }
        if (reader.OpenKeyword() is "type" or "import" or "func" or "table" or "memory" or "global" or "export" or "start" or "elem" or "data")
        {
            // A script may be one module's fields alone (the spec's inline-module.wast).
            var moduleFailure = Guarded(() => DefineModule(new ScriptModule(null, TextModuleParser.ParseFields(reader, features: features), null)));
            outcomes.Add(new WastOutcome(script, 1, WastCommandKind.Module, moduleFailure));
            return;
        }
        while (reader.Kind != TokenKind.End)
        {
            var open = reader.Position;
            var line = LineOf(reader.Current.Start);
            var keyword = reader.OpenKeyword().ToString();
            var kind = KindOf(keyword);
            var failure = Guarded(() =>
            {
                if (keyword.Length == 0)
                {
                    throw reader.Unexpected();
                }
                reader.Position += 2;
                return Command(keyword, ref kind);
            });
            outcomes.Add(new WastOutcome(script, line, kind, failure));
            try
            {
                reader.SkipTo(open);
            }
            catch (TextFormatException error)
            {
                outcomes.Add(new WastOutcome(script, error.Line, WastCommandKind.Unsupported, $"the script does not parse: {error.Reason}"));
                return;
            }
        }
    }

    // What a command's failure is when the script does not parse there or the engine throws what it never should.
    private static string? Guarded(Func<string?> command)
    {
        try
        {
            return command();
        }
        catch (TextFormatException error)
        {
            return $"the script does not parse here: {error.Reason} (line {error.Line}, column {error.Column})";
        }
        catch (Exception crash) when (crash is not (ModuleFormatException or TrapException or LinkException))
        {
            return $"the engine crashed: {crash.GetType().Name}: {crash.Message}";
        }
    }

    private static WastCommandKind KindOf(string keyword) => keyword switch
    {
        "module" => WastCommandKind.Module,
        "register" => WastCommandKind.Register,
        "assert_malformed" or "assert_malformed_custom" => WastCommandKind.Malformed,
        "assert_invalid" or "assert_invalid_custom" => WastCommandKind.Invalid,
        "assert_return" => WastCommandKind.Return,
        "assert_trap" => WastCommandKind.Trap,
        "assert_exhaustion" => WastCommandKind.Exhaustion,
        "assert_unlinkable" => WastCommandKind.Unlinkable,
        "assert_uninstantiable" => WastCommandKind.Uninstantiable,
        "invoke" or "get" => WastCommandKind.Action,
        "assert_exception" => WastCommandKind.Exception,
        _ => WastCommandKind.Unsupported,
    };

    private string? Command(string keyword, ref WastCommandKind kind)
    {
        switch (keyword)
        {
            case "module" when reader.IsAtom("instance"):
                // `(module instance $instance? $definition?)`: a new instance of a module defined earlier.
                reader.Position++;
                var instanceId = reader.OptionalId();
                var definitionId = reader.OptionalId();
                var definition = definitionId is null ? lastDefinition : definitions.GetValueOrDefault(definitionId);
                return definition is null ? $"no module definition {definitionId ?? "before it"}" : Instantiate(definition, instanceId);
            case "module":
                reader.Position -= 2;
                return DefineModule(ReadModule());
            case "register":
                var name = Encoding.UTF8.GetString(reader.Name());
                var instance = InstanceNamed(reader.OptionalId());
                if (instance is null)
                {
                    return "no module to register";
                }
                linker.Register(name, instance);
                return null;
            case "invoke" or "get":
                reader.Position -= 2;
                return Perform(out _);
            case "assert_return":
                var failure = Perform(out var results);
                return failure ?? ExpectResults(results);
            case "assert_trap" when reader.IsOpen("module"):
                kind = WastCommandKind.Uninstantiable;
                return ExpectInstantiationFailure(trap: true);
            case "assert_trap" or "assert_exhaustion":
                return ExpectTrap(keyword == "assert_trap" ? "trap" : "exhaustion");
            case "assert_exception":
                // An exception that leaves the invocation (3.0 exception handling) reaches the host as a trap of its
                // own code, distinct from every other trap.
                var outcome = Perform(out _);
                return outcome == "trapped: " + TrapCode.UncaughtException.Message() ? null
                    : outcome is null ? "expected an uncaught exception, but the call returned" : $"expected an uncaught exception, got: {outcome}";
            case "assert_malformed":
                return ExpectModuleError(ModuleErrorKind.Malformed);
            case "assert_invalid":
                return ExpectModuleError(ModuleErrorKind.Invalid);
            case "assert_malformed_custom" or "assert_invalid_custom":
                return ExpectAnnotationError();
            case "assert_unlinkable":
                return ExpectInstantiationFailure(trap: false);
            case "assert_uninstantiable":
                return ExpectInstantiationFailure(trap: true);
            default:
                return $"unsupported command `{keyword}`";
        }
    }

    // --- Modules ---

    /// <summary>A module as the script writes it: text (encoded here), `binary` strings or `quote`d text; a
    /// `definition` is only decoded and validated, for `module instance` to instantiate.</summary>
    private sealed record ScriptModule(string? Id, byte[]? Bytes, byte[]? QuotedText, bool Definition = false);

    private ScriptModule ReadModule()
    {
        reader.ExpectOpen("module");
        var isDefinition = reader.IsAtom("definition");
        if (isDefinition)
        {
            reader.Position++;
        }
        var id = reader.OptionalId();
        ScriptModule module;
        if (reader.IsAtom("binary") || reader.IsAtom("quote"))
        {
            var quoted = reader.IsAtom("quote");
            reader.Position++;
            var bytes = reader.Strings();
            module = quoted ? new ScriptModule(id, null, bytes, isDefinition) : new ScriptModule(id, bytes, null, isDefinition);
        }
        else
        {
            module = new ScriptModule(id, TextModuleParser.ParseFields(reader, features: features), null, isDefinition);
        }
        reader.Expect(TokenKind.RightParen);
        return module;
    }

    /// <summary>Parses quoted text, decodes and validates; the caller sees the engine's exceptions.</summary>
    private Module Load(ScriptModule source)
    {
        // Quoted text that is not UTF-8 is a malformed module ("malformed UTF-8 encoding"), like a file.
        var bytes = source.Bytes ?? TextModuleParser.ParseFile(TextLexer.DecodeUtf8(source.QuotedText), features);
        var module = ModuleDecoder.Decode(bytes, features);
        ModuleValidator.Validate(module, features);
        return module;
    }

    private string? DefineModule(ScriptModule source)
    {
        Module module;
        try
        {
            module = Load(source);
        }
        catch (Exception error) when (error is ModuleFormatException or TextFormatException)
        {
            current = null;
            return $"expected a valid module, got {Describe(error)}";
        }
        if (!source.Definition)
        {
            return Instantiate(module, source.Id);
        }
        lastDefinition = module;
        if (source.Id is { } id)
        {
            definitions[id] = module;
        }
        return null;
    }

    private string? Instantiate(Module module, string? id)
    {
        try
        {
            current = store.Instantiate(module, linker);
            if (id is not null)
            {
                named[id] = current;
            }
            return null;
        }
        catch (Exception error) when (error is LinkException or TrapException or EngineLimitException)
        {
            current = null;
            return $"expected the module to instantiate, got {Describe(error)}";
        }
    }

    private Instance? InstanceNamed(string? id) => id is null ? current : named.GetValueOrDefault(id);

    private const string TypeMismatch = "type mismatch: ";

    private string? ExpectModuleError(ModuleErrorKind expectedKind)
    {
        var source = ReadModule();
        var expected = Encoding.UTF8.GetString(reader.StringBytes());
        try
        {
            Load(source);
            return $"expected {expectedKind} \"{expected}\", but the module was accepted";
        }
        catch (TextFormatException error)
        {
            if (expectedKind != ModuleErrorKind.Malformed)
            {
                return $"expected {expectedKind} \"{expected}\", got malformed text: {error.Reason}";
            }
            return error.Reason.StartsWith(expected, StringComparison.Ordinal) ? null : $"expected \"{expected}\", got \"{error.Reason}\" (text)";
        }
        catch (ModuleFormatException error)
        {
            if (error.Kind != expectedKind)
            {
                return $"expected {expectedKind} \"{expected}\", got {error.Kind}: {error.Describe()}";
            }
            // The reference interpreter checks that its message starts with the expected text; so do we, except for the
            // detail a few 3.0 scripts add after "type mismatch: ", which is the reference's own stack notation
            // ("instruction requires [i32] but stack has []"): ours names the instruction and the operand instead.
            var required = expected.StartsWith(TypeMismatch, StringComparison.Ordinal) ? TypeMismatch : expected;
            return error.Reason.StartsWith(required, StringComparison.Ordinal) ? null : $"expected \"{expected}\", got \"{error.Describe()}\"";
        }
    }

    /// <summary>assert_malformed_custom and assert_invalid_custom: a custom annotation the text encoder rejects, in a
    /// quoted or an inline module (whose text is encoded while the script is read).</summary>
    private string? ExpectAnnotationError()
    {
        var open = reader.Position;
        string? reason = null;
        ScriptModule? source = null;
        try
        {
            source = ReadModule();
        }
        catch (TextFormatException error)
        {
            reason = error.Reason;
            reader.SkipTo(open);
        }
        var expected = Encoding.UTF8.GetString(reader.StringBytes());
        if (source is not null)
        {
            try
            {
                Load(source);
            }
            catch (Exception error) when (error is TextFormatException or ModuleFormatException)
            {
                reason = error is TextFormatException text ? text.Reason : ((ModuleFormatException)error).Reason;
            }
        }
        return reason is null ? $"expected \"{expected}\", but the module was accepted"
            : reason.StartsWith(expected, StringComparison.Ordinal) ? null : $"expected \"{expected}\", got \"{reason}\"";
    }

    private string? ExpectInstantiationFailure(bool trap)
    {
        var source = ReadModule();
        var expected = Encoding.UTF8.GetString(reader.StringBytes());
        Module module;
        try
        {
            module = Load(source);
        }
        catch (Exception error) when (error is ModuleFormatException or TextFormatException)
        {
            return $"expected a valid module, got {Describe(error)}";
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
        catch (Exception error) when (error is TrapException or LinkException or EngineLimitException)
        {
            return $"expected {(trap ? "a trap" : "a link error")} \"{expected}\", got {Describe(error)}";
        }
    }

    // --- Actions ---

    /// <summary>`(invoke $id? "name" constant*)` or `(get $id? "name")`.</summary>
    private string? Perform(out Value[] results)
    {
        results = [];
        var isGet = reader.IsOpen("get");
        if (!isGet && !reader.IsOpen("invoke"))
        {
            throw reader.Unexpected();
        }
        reader.Position += 2;
        var instance = InstanceNamed(reader.OptionalId());
        var field = Encoding.UTF8.GetString(reader.Name());
        var arguments = new List<Value>();
        while (reader.Kind == TokenKind.LeftParen)
        {
            arguments.Add(WastValues.Argument(reader));
        }
        reader.Expect(TokenKind.RightParen);
        if (instance is null)
        {
            return "the module of the action is not instantiated";
        }
        if (isGet)
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
        try
        {
            results = store.Invoke(function, [.. arguments]);
            return null;
        }
        catch (TrapException trap)
        {
            return $"trapped: {trap.Message}";
        }
    }

    private string? ExpectResults(Value[] results)
    {
        var expected = new List<ResultPattern>();
        while (reader.Kind == TokenKind.LeftParen)
        {
            expected.Add(WastValues.Result(reader));
        }
        if (expected.Count != results.Length)
        {
            return $"expected {expected.Count} results, got {results.Length}";
        }
        for (var i = 0; i < results.Length; i++)
        {
            if (!expected[i].Matches(results[i]))
            {
                return $"result {i}: expected {expected[i]}, got {results[i].Type.Name()} {results[i]}";
            }
        }
        return null;
    }

    private string? ExpectTrap(string what)
    {
        var failure = Perform(out _);
        var expected = Encoding.UTF8.GetString(reader.StringBytes());
        if (failure is null)
        {
            return $"expected {what} \"{expected}\", but the call returned";
        }
        return failure.StartsWith("trapped: " + expected, StringComparison.Ordinal) ? null : $"expected {what} \"{expected}\", got {failure}";
    }

    private static string Describe(Exception error) => error switch
    {
        ModuleFormatException format => $"{format.Kind}: {format.Describe()}",
        TextFormatException text => $"malformed text: {text.Reason} (line {text.Line}, column {text.Column})",
        EngineException engine => $"{error.GetType().Name}: {engine.Describe()}",
        _ => error.Message,
    };

    private static int[] LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
        {
            starts.Add(i + 1);
        }
        return [.. starts];
    }

    private int LineOf(int position)
    {
        var index = Array.BinarySearch(lineStarts, position);
        return (index >= 0 ? index : ~index - 1) + 1;
    }
}
