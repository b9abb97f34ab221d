// The interpreter's translation of a function, instruction by instruction (`wasmrun inspect FILE FUNC --ir`): what
// the register IR made of the Wasm code, for engine work and for curious users.
using Wasmrun.Engine;
using Wasmrun.Engine.Translate;

namespace Wasmrun.Inspect;

internal sealed record IrInstructionReport(int Index, string Op, int A, int B, int C, int Offset);

internal sealed record IrReport(uint Function, string? Name, int FrameSlots, int ParamSlots, int LocalSlots, int WasmBytes, IrInstructionReport[] Instructions);

internal static class IrListing
{
    public static IrReport Function(Module module, uint index)
    {
        var code = TranslatedModule.For(module).Function(index);
        var body = module.Bodies[(int)index - module.ImportedFunctionCount];
        var instructions = code.Code.ToArray().Select((inst, i) => new IrInstructionReport(i, IrOps.Name(inst.Op), inst.A, inst.B, inst.C, code.Offsets[i])).ToArray();
        return new IrReport(index, module.FunctionDisplayName(index), code.FrameSlots, code.ParamSlots, code.LocalSlots,
            body.End - body.CodeStart, instructions);
    }
}
