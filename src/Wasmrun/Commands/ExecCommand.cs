// `wasmrun exec FILE`: instantiate a module with our interpreter and WASI (its start function always runs first),
// then run its WASI `_start` with the guest's arguments, or with --invoke one export with typed arguments, printing
// its results one per line. The process exits with the guest's proc_exit status.
using System.Collections.Immutable;
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Engine;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Translate;
using Wasmrun.Host;
using Wasmrun.Wasi;
using ZLogger;

namespace Wasmrun.Commands;

internal sealed class ExecCommand
{
    /// <summary>Run a WebAssembly module natively with WASI: its _start, or one exported function with --invoke.</summary>
    /// <param name="context">The program's arguments (argv[1]...) or, with --invoke, the function's.</param>
    /// <param name="file">The module file (.wasm, or .wat text). Wasmrun's options go before it; every word after it is the program's argument (argv[1]...) or, with --invoke, the function's (i32/i64 decimal or 0x hex, f32/f64 decimal, inf, nan, -0; v128 as 0x hex).</param>
    /// <param name="invoke">-c, NAME: call this exported function instead of _start.</param>
    /// <param name="dir">HOST[::GUEST]: let the program use this host directory, as GUEST (default: the same path); repeatable.</param>
    /// <param name="dirRo">HOST[::GUEST]: like --dir, read-only; repeatable.</param>
    /// <param name="env">VAR[=VALUE]: set a variable for the program (VAR alone passes the host's value); repeatable.</param>
    /// <param name="fuel">N: stop with a trap after about this many instructions (charged at loop back-edges and calls).</param>
    /// <param name="timeout">DURATION: stop with a trap after this long (500ms, 10s, 2m).</param>
    /// <param name="maxMemory">SIZE: the largest a linear memory may grow (bytes, or with KiB/MiB/GiB); default 4GiB.</param>
    /// <param name="maxStack">DEPTH: the deepest call nesting before "call stack exhausted"; default 100000, at most 4000000.</param>
    [Command("exec")]
    public void Exec(
        ConsoleAppContext context, [Argument] string file, string? invoke = null, string? dir = null, string? dirRo = null,
        string? env = null, long? fuel = null, string? timeout = null, string? maxMemory = null, int? maxStack = null)
    {
        // ConsoleAppFramework keeps only the last of a repeated option: RepeatedOption reads every --dir, --dir-ro, --env.
        _ = (dir, dirRo, env);
        var options = new EngineOptions
        {
            Fuel = Units.Fuel(fuel),
            MaxMemoryBytes = maxMemory is null ? 4UL << 30 : Units.Bytes(maxMemory, "--max-memory"),
            MaxCallDepth = maxStack switch
            {
                null => 100_000,
                < 1 => throw new WasmrunException($"--max-stack: {maxStack} is not a positive depth", ExitCode.Usage),
                > EngineOptions.MaxCallDepthCeiling => throw new WasmrunException(
                    $"--max-stack: {maxStack} is deeper than the {EngineOptions.MaxCallDepthCeiling} calls the call stack's memory allows", ExitCode.Usage),
                _ => maxStack.Value,
            },
        };
        var limit = timeout is null ? (TimeSpan?)null : Units.Duration(timeout, "--timeout");
        var values = context.EscapedArguments.ToArray();

        var module = ModuleFile.Load(file);
        var wasiOptions = new WasiOptions(
            [Path.GetFileName(file), .. invoke is null ? values : []],
            [.. RepeatedOption.Variables(context)],
            [.. RepeatedOption.Values(context, "--dir").Select(d => Preopen(d, readOnly: false)), .. RepeatedOption.Values(context, "--dir-ro").Select(d => Preopen(d, readOnly: true))]);
        using var store = new Store(options);
        var linker = new Linker();
        using var wasi = module.ImportsWasi ? Preview1.Define(store, linker, wasiOptions) : null;
        if (linker.Unresolved(module) is { Length: > 0 } unresolved)
        {
            // Before the program starts: a module made for a browser's glue code gets the way to a runnable build.
            throw new AdvisedException(LinkException.Unknown(module, unresolved), WebBuildHint(module) ?? "`wasmrun exec` provides WASI preview 1 (wasi_snapshot_preview1) and nothing else", $"{file}: ");
        }
        using var timer = limit is { } duration ? new Timer(_ => store.Interrupt(), null, duration, Timeout.InfiniteTimeSpan) : null;
        // The program writes to our stdout directly: what we printed before must come first.
        Terminal.Flush();
        var logger = Log.For("exec");
        try
        {
            Instance instance;
            using (Log.Phase(logger, "instantiate"))
            {
                instance = store.Instantiate(module, linker);
            }
            using var running = Log.Phase(logger, "run");
            if (instance.ExportedFunction("_initialize") is { } initialize && invoke is not null)
            {
                store.Invoke(initialize, []);
            }
            if (invoke is not null)
            {
                Invoke(store, instance, file, invoke, values);
            }
            else if (instance.ExportedFunction("_start") is { } start)
            {
                store.Invoke(start, []);
            }
            else if (module.StartFunction is null)
            {
                var exports = string.Join(", ", module.Exports.Where(e => e.Kind == ExternalKind.Function).Select(e => e.Name));
                throw new WasmrunException($"{file}: nothing to run: no start function and no _start export", ExitCode.Usage)
                {
                    Hint = exports.Length == 0 ? "the module exports no functions"
                        : values.Any(v => CommandCatalog.Find("exec")!.Options.Any(o => o.Matches(v))) ? $"Wasmrun's options go before the module: wasmrun exec --invoke NAME {file} ARGS... ({exports})"
                        : $"call an export with --invoke NAME ({exports})",
                };
            }
        }
        catch (WasiExit exit)
        {
            Environment.ExitCode = exit.Status;
        }
        catch (TrapException trap) when (trap.Code is TrapCode.OutOfFuel or TrapCode.Interrupted)
        {
            throw new AdvisedException(trap, trap.Code == TrapCode.OutOfFuel ? $"the budget was --fuel {fuel}" : $"the limit was --timeout {timeout}");
        }
        finally
        {
            // Functions are translated on first call, inside the run phase: this says how much of it that was.
            logger.ZLogDebug($"translate (within run): {TranslatedModule.For(module).Cost}");
        }
    }

    private static Preopen Preopen(string text, bool readOnly)
    {
        var separator = text.IndexOf("::", StringComparison.Ordinal);
        var host = separator < 0 ? text : text[..separator];
        var guest = separator < 0 ? text : text[(separator + 2)..];
        if (host.Length == 0 || guest.Length == 0)
        {
            throw new WasmrunException($"--dir {text}: expected HOST or HOST::GUEST", ExitCode.Usage);
        }
        if (!Directory.Exists(host))
        {
            throw new WasmrunException($"--dir {text}: {host} is not a directory") { Hint = "give an existing directory" };
        }
        return new Preopen(host, guest, readOnly);
    }

    private static void Invoke(Store store, Instance instance, string file, string name, string[] values)
    {
        var function = instance.ExportedFunction(name) ?? throw new WasmrunException($"{file}: no exported function '{name}'", ExitCode.Usage)
        {
            Hint = FunctionList(instance) is { Length: > 0 } list ? $"exported functions: {list}" : "the module exports no functions",
        };
        var type = function.Type;
        var names = ParameterNames(instance.Module, function.Index, type.Parameters);
        var signature = $"{name}({string.Join(", ", names.Zip(type.Parameters, (n, t) => $"{n}: {t.Name()}"))})";
        if (values.Length != type.Parameters.Length)
        {
            throw new WasmrunException($"{signature} takes {type.Parameters.Length} argument(s), {values.Length} given", ExitCode.Usage);
        }
        var arguments = new Value[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (ValueText.TryParse(type.Parameters[i], values[i], out arguments[i]) is { } problem)
            {
                throw new WasmrunException($"argument {i + 1} of {signature}, {names[i]}: '{values[i]}' is {problem}", ExitCode.Usage);
            }
        }
        foreach (var result in store.Invoke(function, arguments))
        {
            Terminal.Out.WriteLine(ValueText.Format(result));
        }
    }

    /// <summary>Names from the name section's local names, else p0, p1, ...</summary>
    private static string[] ParameterNames(Module module, uint function, ImmutableArray<ValType> parameters) =>
        [.. parameters.Select((_, i) =>
            module.Names.Locals.TryGetValue(function, out var locals) && locals.TryGetValue((uint)i, out var local) ? local : $"p{i}")];

    private static string FunctionList(Instance instance) =>
        string.Join(", ", instance.Exports.Where(e => e.Value.Kind == ExternalKind.Function).Select(e => e.Key));

    /// <summary>How to get a runnable build of a module made for a browser's glue code, or null.</summary>
    private static string? WebBuildHint(Module module)
    {
        var from = module.Imports.Any(i => i.ModuleName is "gojs" or "go") ? "Go's js/wasm port (GOOS=js)"
            : module.Imports.Any(i => i.ModuleName == "env" && (i.Name.StartsWith("emscripten_", StringComparison.Ordinal)
                || i.Name.StartsWith("_emscripten_", StringComparison.Ordinal) || i.Name.StartsWith("__syscall_", StringComparison.Ordinal)
                || i.Name.StartsWith("invoke_", StringComparison.Ordinal))) ? "Emscripten for the web"
            : null;
        return from is null ? null
            : $"this module was built by {from} and needs its JavaScript glue: rebuild it for WASI (`wasmrun compile --target wasi`) to run it here, or open it in a browser with `wasmrun run`";
    }
}
