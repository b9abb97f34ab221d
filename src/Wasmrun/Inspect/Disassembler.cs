// Prints function bodies instruction by instruction with the names generated from the opcode table, immediates in
// text-format style (memarg defaults omitted, floats with nan/inf, names from the name section), nested by block.
using System.Globalization;
using System.Text;
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;

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
            if (instruction.Opcode is Opcode.End or Opcode.Else)
            {
                depth--;
            }
            lines.Add(new InstructionReport(instruction.Offset, Math.Max(depth, 0), Format(module, instruction, reader.BrTableLabels, index)));
            if (instruction.Opcode is Opcode.Block or Opcode.Loop or Opcode.If or Opcode.Else)
            {
                depth++;
            }
        }
        var locals = string.Join(", ", body.Locals.Select(run => $"{run.Count} {run.Type.Name()}"));
        return new DisassemblyReport(index, module.FunctionDisplayName(index), module.FunctionType(index)?.ToString() ?? "?",
            locals, body.Offset, body.End - body.Offset, [.. lines]);
    }

    /// <summary>One instruction as text. <paramref name="function"/> selects the local names, when known.</summary>
    public static string Format(Module module, in Instruction instruction, ReadOnlySpan<uint> brTableLabels, uint? function = null)
    {
        var text = new StringBuilder(OpcodeInfo.Name(instruction.Opcode));
        switch (OpcodeInfo.Immediates(instruction.Opcode))
        {
            case ImmediateKind.Block:
                text.Append(BlockTypeText(module, instruction.Block));
                break;
            case ImmediateKind.Label or ImmediateKind.Table or ImmediateKind.Data or ImmediateKind.Elem or ImmediateKind.DataMemory:
                text.Append(' ').Append(instruction.Index);
                break;
            case ImmediateKind.BrTable:
                foreach (var label in brTableLabels)
                {
                    text.Append(' ').Append(label);
                }
                text.Append(' ').Append(instruction.Index);
                break;
            case ImmediateKind.Function:
                text.Append(' ').Append(instruction.Index).Append(NameSuffix(module.FunctionDisplayName(instruction.Index)));
                break;
            case ImmediateKind.CallIndirect:
                text.Append(' ').Append(instruction.Index2).Append(" (type ").Append(instruction.Index).Append(')');
                break;
            case ImmediateKind.Local:
                text.Append(' ').Append(instruction.Index);
                if (function is { } f && module.Names.Locals.TryGetValue(f, out var locals) && locals.TryGetValue(instruction.Index, out var local))
                {
                    text.Append(NameSuffix(local));
                }
                break;
            case ImmediateKind.Global:
                text.Append(' ').Append(instruction.Index);
                break;
            case ImmediateKind.MemArg:
                AppendMemArg(text, instruction);
                break;
            case ImmediateKind.MemArgLane:
                AppendMemArg(text, instruction);
                text.Append(' ').Append(instruction.Lane);
                break;
            case ImmediateKind.Lane:
                text.Append(' ').Append(instruction.Lane);
                break;
            case ImmediateKind.Shuffle:
                for (var i = 0; i < 16; i++)
                {
                    text.Append(' ').Append((byte)((i < 8 ? instruction.Vector.Low : instruction.Vector.High) >> (8 * (i % 8))));
                }
                break;
            case ImmediateKind.ElemTable:
                text.Append(' ').Append(instruction.Index2).Append(' ').Append(instruction.Index);
                break;
            case ImmediateKind.TableTable:
                text.Append(' ').Append(instruction.Index).Append(' ').Append(instruction.Index2);
                break;
            case ImmediateKind.I32:
                text.Append(' ').Append(ValueText.I32((uint)instruction.Bits));
                break;
            case ImmediateKind.I64:
                text.Append(' ').Append(ValueText.I64(instruction.Bits));
                break;
            case ImmediateKind.F32:
                text.Append(' ').Append(ValueText.F32((uint)instruction.Bits));
                break;
            case ImmediateKind.F64:
                text.Append(' ').Append(ValueText.F64(instruction.Bits));
                break;
            case ImmediateKind.V128:
                text.Append(' ').Append(ValueText.V128(instruction.Vector));
                break;
            case ImmediateKind.RefType:
                text.Append(instruction.Type == ValType.FuncRef ? " func" : " extern");
                break;
            case ImmediateKind.SelectTypes:
                text.Append(" (result ").Append(instruction.Type.Name()).Append(')');
                break;
        }
        return text.ToString();
    }

    private static string BlockTypeText(Module module, BlockType block)
    {
        if (block.IsEmpty)
        {
            return "";
        }
        if (!block.IsTypeIndex)
        {
            return $" (result {block.Value.Name()})";
        }
        return block.TypeIndex < (uint)module.Types.Length
            ? $" (type {block.TypeIndex}) ;; {module.Types[(int)block.TypeIndex]}"
            : $" (type {block.TypeIndex})";
    }

    private static void AppendMemArg(StringBuilder text, in Instruction instruction)
    {
        if (instruction.MemOffset != 0)
        {
            text.Append(" offset=").Append(instruction.MemOffset);
        }
        if (instruction.MemAlign != (uint)OpcodeInfo.NaturalAlignment(instruction.Opcode))
        {
            text.Append(" align=").Append(instruction.MemAlign < 32 ? (1u << (int)instruction.MemAlign).ToString(CultureInfo.InvariantCulture) : $"2^{instruction.MemAlign}");
        }
    }

    private static string NameSuffix(string? name) => name is null ? "" : $" <{name}>";
}
