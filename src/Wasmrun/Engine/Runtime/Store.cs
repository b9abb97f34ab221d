// The store (spec 4.2.3): every function, memory and type id of a run, and the execution context that runs them.
using Wasmrun.Engine.Execute;

namespace Wasmrun.Engine.Runtime;

internal sealed class Store(EngineOptions options) : IDisposable
{
    private readonly List<FunctionInstance> functions = [];
    private readonly Dictionary<FuncType, int> typeIds = [];
    private readonly List<Memory> memories = [];
    private Machine? context;

    public EngineOptions Options { get; } = options;

    public Machine Context => context ??= new Machine(this);

    public FunctionInstance Add(FunctionInstance function)
    {
        functions.Add(function);
        function.SetReference((ulong)functions.Count);
        return function;
    }

    /// <summary>The function a non-null funcref names.</summary>
    public FunctionInstance Function(ulong reference) => functions[(int)(reference - 1)];

    public int TypeId(FuncType type)
    {
        if (!typeIds.TryGetValue(type, out var id))
        {
            typeIds[type] = id = typeIds.Count;
        }
        return id;
    }

    public Memory Track(Memory memory)
    {
        memories.Add(memory);
        return memory;
    }

    public Instance Instantiate(Module module, Linker linker) => Instantiator.Instantiate(this, module, linker);

    /// <summary>Calls a function with arguments as slots (v128 takes two); returns the results as slots.</summary>
    public ulong[] Invoke(FunctionInstance function, ReadOnlySpan<ulong> arguments) => Context.Invoke(function, arguments);

    public void Dispose()
    {
        context?.Dispose();
        foreach (var memory in memories)
        {
            memory.Dispose();
        }
    }
}
