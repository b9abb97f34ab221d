// The translation cache of a module: each function is translated on its first call and shared by every instance
// of the module. The decoded Module stays immutable; this attaches to it. It keeps count of what translation cost,
// so `exec --debug` and the benchmarks report it apart from execution.
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Wasmrun.Engine.Translate;

internal sealed unsafe class TranslatedModule
{
    private static readonly ConditionalWeakTable<Module, TranslatedModule> Cache = [];

    private readonly TranslatedFunction?[] functions;
    private readonly Lock translating = new();
    private readonly IrArena arena = new();

    /// <summary>One translator, reused: its buffers grow to the largest function and stay.</summary>
    private FunctionTranslator? translator;

    private TranslatedModule(Module module)
    {
        Module = module;
        functions = new TranslatedFunction?[module.Bodies.Length];
        // Twice: the second half are the hidden entries call_ref's calls check against (the CallReference handler).
        ParamSlots = [.. module.Types.Select(t => t.ParameterSlots), .. module.Types.Select(t => t.ParameterSlots)];
    }

    public Module Module { get; }

    /// <summary>Slots taken by the parameters of each type (call_indirect finds its table index after them).</summary>
    public int[] ParamSlots { get; }

    /// <summary>What this module's translations have cost so far.</summary>
    public TranslationCost Cost { get; private set; }

    public static TranslatedModule For(Module module) => Cache.GetValue(module, m => new TranslatedModule(m));

    public TranslatedFunction Function(uint functionIndex)
    {
        var slot = (int)functionIndex - Module.ImportedFunctionCount;
        if (functions[slot] is { } done)
        {
            return done;
        }
        lock (translating)
        {
            if (functions[slot] is { } raced)
            {
                return raced;
            }
            var start = Stopwatch.GetTimestamp();
            translator ??= new FunctionTranslator(Module, arena);
            var layout = translator.Translate(functionIndex);
            var translated = new TranslatedFunction(this, functionIndex, translator.Start, translator.Length, layout, translator.Handlers);
            var body = Module.Bodies[slot];
            Cost = new TranslationCost(Cost.Functions + 1, Cost.CodeBytes + (body.End - body.CodeStart), Cost.Elapsed + Stopwatch.GetElapsedTime(start));
            return functions[slot] = translated;
        }
    }

    /// <summary>The byte offsets behind a function's IR, by translating it again: translation is deterministic, and
    /// backtraces are rare enough not to keep them for every function (the second IR stays in the arena unused, at
    /// most once per function).</summary>
    public int[] OffsetsOf(uint functionIndex)
    {
        lock (translating)
        {
            translator ??= new FunctionTranslator(Module, arena);
            translator.Translate(functionIndex);
            return translator.Offsets.ToArray();
        }
    }
}

/// <summary>Functions translated, the bytes of Wasm code they had, and the time it took.</summary>
internal readonly record struct TranslationCost(int Functions, long CodeBytes, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"{Functions} functions, {CodeBytes / 1e6:F2} MB of code: {Elapsed.TotalMilliseconds:F2} ms ({(Elapsed > TimeSpan.Zero ? CodeBytes / 1e6 / Elapsed.TotalSeconds : 0):F1} MB/s)";
}
