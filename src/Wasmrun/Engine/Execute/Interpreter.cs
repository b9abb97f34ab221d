// The dispatch loop's entry: Run and Cold are generated (Interpreter.g.cs) from the opcode table and Handlers.txt.
using Wasmrun.Engine.Runtime;

namespace Wasmrun.Engine.Execute;

internal static unsafe partial class Interpreter
{
    /// <summary>Runs a Wasm function whose arguments are at fp (and whose results will be): TrapCode.None or the trap.</summary>
    public static TrapCode Execute(Machine ctx, FunctionInstance entry, ulong* fp) => Run(ctx, entry, fp);

    private static partial TrapCode Run(Machine ctx, FunctionInstance entry, ulong* fp);

    /// <summary>What a cold handler returns to have the loop unwind for the exception it left in Machine.Thrown: the
    /// hot switch keeps only what runs often.</summary>
    public const int Unwinding = int.MinValue;

    /// <summary>What SelectMemory returns to have the loop take Machine.SelectedMemory as its memory view.</summary>
    public const int ViewChanged = int.MinValue + 1;
}
