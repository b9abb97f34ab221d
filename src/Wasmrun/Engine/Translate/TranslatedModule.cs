// The translation cache of a module: each function is translated on its first call and shared by every instance
// of the module. The decoded Module stays immutable; this attaches to it.
using System.Runtime.CompilerServices;

namespace Wasmrun.Engine.Translate;

internal sealed class TranslatedModule
{
    private static readonly ConditionalWeakTable<Module, TranslatedModule> Cache = [];

    private readonly TranslatedFunction?[] functions;
    private readonly Lock translating = new();

    /// <summary>One translator, reused: its buffers grow to the largest function and stay.</summary>
    private FunctionTranslator? translator;

    private TranslatedModule(Module module)
    {
        Module = module;
        functions = new TranslatedFunction?[module.Bodies.Length];
        ParamSlots = [.. module.Types.Select(t => t.ParameterSlots)];
    }

    public Module Module { get; }

    /// <summary>Slots taken by the parameters of each type (call_indirect finds its table index after them).</summary>
    public int[] ParamSlots { get; }

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
            translator ??= new FunctionTranslator(Module);
            return functions[slot] ??= translator.Translate(functionIndex);
        }
    }
}
