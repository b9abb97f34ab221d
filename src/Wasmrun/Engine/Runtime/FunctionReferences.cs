// Every function of a store by the funcref value that names it: what a table holds and call_indirect resolves.
// The store adds to it; running code only reads it, so the machine needs this and not the store.
namespace Wasmrun.Engine.Runtime;

internal sealed class FunctionReferences
{
    private readonly List<FunctionInstance> functions = [];

    /// <summary>Gives the function its funcref value: its index + 1 (0 is null).</summary>
    public FunctionInstance Add(FunctionInstance function)
    {
        functions.Add(function);
        function.SetReference((ulong)functions.Count);
        return function;
    }

    /// <summary>The function a non-null funcref names.</summary>
    public FunctionInstance Resolve(ulong reference) => functions[(int)(reference - 1)];
}
