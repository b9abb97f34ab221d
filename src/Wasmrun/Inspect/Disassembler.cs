// Prints function bodies instruction by instruction, nested by block: each instruction as the module text writes it
// (TextPrinter.AppendInstruction), annotated with names from the name section and the signatures of block types.
using System.Text;
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Text;

namespace Wasmrun.Inspect;

internal static class Disassembler
{
    public static DisassemblyReport Function(Module module, uint index)
    {
        var body = module.Bodies[(int)index - module.ImportedFunctionCount];
        var reader = new InstructionReader(WasmReader.Over(module, body.CodeStart, body.End));
        var instruction = new Instruction();
        var lines = new List<InstructionReport>();
        var depth = 1;
        while (!reader.Reader.AtEnd)
        {
            reader.Read(ref instruction);
            if (Nesting.Closes(instruction.Opcode))
            {
                depth--;
            }
            lines.Add(new InstructionReport(instruction.Offset, Math.Max(depth, 0), Format(module, instruction, reader.BrTableLabels, index, reader.Catches)));
            if (Nesting.Opens(instruction.Opcode))
            {
                depth++;
            }
        }
        var locals = string.Join(", ", body.Locals.Select(run => $"{run.Count} {run.Type.Name()}"));
        return new DisassemblyReport(index, module.FunctionDisplayName(index), module.FunctionType(index)?.ToString() ?? "?",
            locals, body.Offset, body.End - body.Offset, [.. lines]);
    }

    /// <summary>One instruction as text: the module text's (TextPrinter), floats in decimal, and after it the name of
    /// the function or local it uses and the signature of a block's type. <paramref name="function"/> selects the
    /// local names, when known.</summary>
    public static string Format(Module module, in Instruction instruction, ReadOnlySpan<uint> brTableLabels, uint? function = null,
        ReadOnlySpan<CatchClause> catches = default)
    {
        var text = new StringBuilder();
        TextPrinter.AppendInstruction(text, instruction, brTableLabels, decimalFloats: true, catches: catches);
        switch (OpcodeInfo.Immediates(instruction.Opcode))
        {
            case ImmediateKind.Block when instruction.Block.IsTypeIndex && instruction.Block.TypeIndex < (uint)module.Types.Length:
                text.Append(" ;; ").Append(module.Types[(int)instruction.Block.TypeIndex]);
                break;
            case ImmediateKind.Function:
                text.Append(NameSuffix(module.FunctionDisplayName(instruction.Index)));
                break;
            case ImmediateKind.Local when function is { } f && module.Names.Locals.TryGetValue(f, out var locals)
                && locals.TryGetValue(instruction.Index, out var local):
                text.Append(NameSuffix(local));
                break;
        }
        return text.ToString();
    }

    private static string NameSuffix(string? name) => name is null ? "" : $" <{name}>";
}
