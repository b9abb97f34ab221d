// A function of the store (spec 4.2.6): a Wasm function of an instance, translated on first call, or a host function.
using Wasmrun.Engine.Translate;

namespace Wasmrun.Engine.Runtime;

/// <summary>A host function: reads its arguments from the call's slots and writes its results over them.</summary>
internal delegate void HostFunctionBody(HostCall call);

internal sealed class FunctionInstance
{
    private FunctionInstance(FuncType type, int typeId)
    {
        Type = type;
        TypeId = typeId;
    }

    public FuncType Type { get; }

    /// <summary>The canonical id of its type (<see cref="TypeRegistry"/>): call_indirect and imports compare these.</summary>
    public int TypeId { get; }

    /// <summary>This function as a funcref value: its store index + 1 (0 is null).</summary>
    public ulong Reference { get; private set; }

    public Instance? Instance { get; private init; }

    /// <summary>The function's index in its instance's function index space.</summary>
    public uint Index { get; private init; }

    public TranslatedFunction? Code { get; private set; }

    public HostFunctionBody? Host { get; private init; }

    public string? HostName { get; private init; }

    public static FunctionInstance Wasm(Store store, Instance instance, uint index)
    {
        var typeIndex = (int)instance.Module.FunctionTypeIndices[(int)index];
        return store.Add(new FunctionInstance(instance.Module.Types[typeIndex], instance.TypeIds[typeIndex]) { Instance = instance, Index = index });
    }

    public static FunctionInstance FromHost(Store store, FuncType type, string name, HostFunctionBody body) =>
        store.Add(new FunctionInstance(type, TypeRegistry.Intern(type)) { Host = body, HostName = name });

    internal void SetReference(ulong reference) => Reference = reference;

    /// <summary>Translates the function on its first call.</summary>
    public TranslatedFunction Translate() => Code ??= Instance!.Translated.Function(Index);

    public string? Name => HostName ?? Instance?.Module.FunctionDisplayName(Index);
}
