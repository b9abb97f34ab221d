// The store (spec 4.2.3): every function and memory of a run, and the machine that runs them. Its face
// takes and gives typed values: slots stay inside the engine.
using Wasmrun.Engine.Execute;

namespace Wasmrun.Engine.Runtime;

internal sealed class Store(EngineOptions options) : IDisposable
{
    private readonly FunctionReferences functions = new();
    private readonly List<Memory> memories = [];
    private Machine? context;

    public EngineOptions Options { get; } = options;

    private Machine Context => context ??= new Machine(Options, functions);

    public FunctionInstance Add(FunctionInstance function) => functions.Add(function);

    public Memory Track(Memory memory)
    {
        memories.Add(memory);
        return memory;
    }

    public Instance Instantiate(Module module, Linker linker) => Instantiator.Instantiate(this, module, linker);

    /// <summary>Calls a function with one value per parameter, of its type; returns its results, or throws a
    /// TrapException.</summary>
    public Value[] Invoke(FunctionInstance function, ReadOnlySpan<Value> arguments) => Context.Invoke(function, arguments);

    /// <summary>Asks running code to trap with "interrupted" at its next loop back-edge or call, or in the blocking
    /// host call it is waiting in (from any thread).</summary>
    public void Interrupt() => Context.Interrupt();

    /// <summary>Cancelled by Interrupt: host functions that can block wait on it too.</summary>
    public CancellationToken Interruption => Context.Interruption;

    public void Dispose()
    {
        context?.Dispose();
        foreach (var memory in memories)
        {
            memory.Dispose();
        }
    }
}
