// Emits the interpreter from the opcode table's exec cells and Handlers.txt: the IR instruction enum (operand-mode
// variants: _SS two slots, _SI a slot and an immediate), the lowering table the translator consults, and the dispatch
// loop with every handler body expanded inline (hot instructions in Run's switch, the rest in Cold).
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Wasmrun.Generators;

internal static class InterpreterEmitter
{
    private const string BackEdge =
        "if (ip->A <= 0) { budget += ip->A - 1; if (budget < 0 && (budget = ctx.Refill(budget)) < 0) { goto BudgetExhausted; } }";

    private static readonly Dictionary<string, string> CsTypes = new()
    {
        ["I32"] = "int",
        ["I64"] = "long",
        ["F32"] = "float",
        ["F64"] = "double",
        ["V128"] = "Vector128<byte>",
    };

    /// <summary>An immediate variant exists for binary i32/i64 operations: the constant fits the instruction's C field.</summary>
    private static bool HasImmediate(OpcodeRow row) =>
        row.Shape == Shape.Binary && row.Operands[0] is "I32" or "I64" && row.Operands[1] is "I32" or "I64";

    private static IEnumerable<(string Op, OpcodeRow Row, bool Immediate)> Variants(OpcodeRow row)
    {
        if (row.Shape == Shape.None)
        {
            yield break;
        }
        if (row.Shape != Shape.Binary)
        {
            yield return (row.Name, row, false);
            yield break;
        }
        yield return (row.Name + "_SS", row, false);
        if (HasImmediate(row))
        {
            yield return (row.Name + "_SI", row, true);
        }
    }

    private static IEnumerable<(string Op, OpcodeRow Row, bool Immediate, bool Negated)> Branches(OpcodeRow row)
    {
        if (!row.FusedBranch)
        {
            yield break;
        }
        foreach (var negated in new[] { false, true })
        {
            var prefix = negated ? "BrIfNot" : "BrIf";
            yield return ($"{prefix}{row.Name}_SS", row, false, negated);
            if (HasImmediate(row))
            {
                yield return ($"{prefix}{row.Name}_SI", row, true, negated);
            }
        }
    }

    public static string EmitIrOps(List<OpcodeRow> rows, HandlerFile handlers)
    {
        var source = OpcodeTableGenerator.Header("Wasmrun.Engine.Translate");
        source.AppendLine("/// <summary>The interpreter's instructions: the hand-written ones of Handlers.txt, then per opcode table row its")
              .AppendLine("/// operand-mode variants (_SS: both operands in slots, _SI: the second an immediate) and fused branches.</summary>")
              .AppendLine("internal enum IrOp : int")
              .AppendLine("{")
              .AppendLine("    None = 0,");
        foreach (var handler in handlers.Instructions)
        {
            if (handler.Doc.Length > 0)
            {
                source.AppendLine($"    /// <summary>{Escape(handler.Doc)}</summary>");
            }
            source.AppendLine($"    {handler.Name},");
        }
        foreach (var row in rows)
        {
            foreach (var (op, _, _) in Variants(row))
            {
                source.AppendLine($"    {op},");
            }
            foreach (var (op, _, _, _) in Branches(row))
            {
                source.AppendLine($"    {op},");
            }
        }
        source.AppendLine("}")
              .AppendLine()
              .AppendLine("internal static class IrOps")
              .AppendLine("{")
              .AppendLine("    /// <summary>The instruction's name, for `wasmrun inspect --ir` (no reflection in a trimmed binary).</summary>")
              .AppendLine("    public static string Name(IrOp op) => op switch")
              .AppendLine("    {")
              .AppendLine("        IrOp.None => \"data\",");
        foreach (var handler in handlers.Instructions)
        {
            source.AppendLine($"        IrOp.{handler.Name} => \"{handler.Name}\",");
        }
        foreach (var row in rows)
        {
            foreach (var (op, _, _) in Variants(row))
            {
                source.AppendLine($"        IrOp.{op} => \"{op}\",");
            }
            foreach (var (op, _, _, _) in Branches(row))
            {
                source.AppendLine($"        IrOp.{op} => \"{op}\",");
            }
        }
        source.AppendLine("        _ => $\"op{(int)op}\",")
              .AppendLine("    };")
              .AppendLine("}");
        return source.ToString();
    }

    public static string EmitLowering(List<OpcodeRow> rows)
    {
        var source = OpcodeTableGenerator.Header("Wasmrun.Engine.Translate");
        source.AppendLine("internal static partial class IrLowering")
              .AppendLine("{")
              .AppendLine("    /// <summary>How the translator lowers an instruction the opcode table defines (Shape None: by hand).</summary>")
              .AppendLine("    public static IrInfo For(Opcode opcode) => opcode switch")
              .AppendLine("    {");
        foreach (var row in rows.Where(r => r.Shape != Shape.None))
        {
            var variants = Variants(row).ToList();
            var immediate = variants.FirstOrDefault(v => v.Immediate).Op ?? "None";
            source.AppendLine($"        Opcode.{row.Name} => new(IrShape.{row.Shape}, IrOp.{variants[0].Op}, IrOp.{immediate}, {(row.Commutative ? "true" : "false")}, ValType.{(row.Result.Length == 0 ? "Unknown" : row.Result)}),");
        }
        source.AppendLine("        _ => default,")
              .AppendLine("    };")
              .AppendLine()
              .AppendLine("    /// <summary>The compare-and-branch instruction for a compare instruction feeding br_if (or, negated, if);")
              .AppendLine("    /// None when the compare has no fused form.</summary>")
              .AppendLine("    public static IrOp FusedBranch(IrOp compare, bool negated) => (compare, negated) switch")
              .AppendLine("    {");
        foreach (var row in rows)
        {
            foreach (var (op, _, immediate, negated) in Branches(row))
            {
                source.AppendLine($"        (IrOp.{row.Name}_{(immediate ? "SI" : "SS")}, {(negated ? "true" : "false")}) => IrOp.{op},");
            }
        }
        source.AppendLine("        _ => IrOp.None,")
              .AppendLine("    };")
              .AppendLine("}");
        return source.ToString();
    }

    public static string EmitInterpreter(List<OpcodeRow> rows, HandlerFile handlers)
    {
        var source = OpcodeTableGenerator.Header("Wasmrun.Engine.Execute",
            "System.Numerics", "System.Runtime.CompilerServices", "System.Runtime.InteropServices", "System.Runtime.Intrinsics", "Wasmrun.Engine.Runtime", "Wasmrun.Engine.Translate");
        source.AppendLine("internal static unsafe partial class Interpreter")
              .AppendLine("{")
              .AppendLine("    [SkipLocalsInit]")
              .AppendLine("    private static partial TrapCode Run(Machine ctx, FunctionInstance entry, ulong* fp)")
              .AppendLine("    {");
        AppendIndented(source, handlers.Sections["prologue"], 0);
        source.AppendLine("        while (true)")
              .AppendLine("        {")
              .AppendLine("            switch (ip->Op)")
              .AppendLine("            {");
        foreach (var handler in handlers.Instructions.Where(h => h.Hot))
        {
            source.AppendLine($"                case IrOp.{handler.Name}:")
                  .AppendLine("                {");
            AppendIndented(source, handler.Body, 3);
            source.AppendLine("                }");
        }
        foreach (var row in rows)
        {
            foreach (var (op, _, immediate) in Variants(row).Where(_ => row.Hot))
            {
                AppendCase(source, op, Body(row, immediate, hot: true), 4);
            }
            foreach (var (op, _, immediate, negated) in Branches(row))
            {
                AppendCase(source, op, BranchBody(row, immediate, negated), 4);
            }
        }
        source.AppendLine("                default:")
              .AppendLine("                {");
        AppendIndented(source, handlers.Default!.Body, 3);
        source.AppendLine("                }")
              .AppendLine("            }")
              .AppendLine("        }");
        AppendIndented(source, handlers.Sections["epilogue"], 0);
        source.AppendLine("    }")
              .AppendLine()
              .AppendLine("    /// <summary>The instructions outside Run's switch: returns the instruction's length, or -TrapCode.</summary>")
              .AppendLine("    [SkipLocalsInit]")
              .AppendLine("    private static int Cold(Inst* ip, ulong* fp, Machine ctx)")
              .AppendLine("    {");
        AppendIndented(source, handlers.Sections["cold_prologue"], 0);
        source.AppendLine("        switch (ip->Op)")
              .AppendLine("        {");
        foreach (var handler in handlers.Instructions.Where(h => !h.Hot))
        {
            source.AppendLine($"            case IrOp.{handler.Name}:")
                  .AppendLine("            {");
            AppendIndented(source, handler.Body, 2);
            source.AppendLine("            }");
        }
        foreach (var row in rows.Where(r => !r.Hot))
        {
            foreach (var (op, _, immediate) in Variants(row))
            {
                AppendCase(source, op, Body(row, immediate, hot: false), 3);
            }
        }
        source.AppendLine("            default:")
              .AppendLine("                throw new InvalidOperationException($\"no handler for IR instruction {ip->Op}\");")
              .AppendLine("        }")
              .AppendLine("    }")
              .AppendLine("}");
        return source.ToString();
    }

    /// <summary>The statements of a generated handler, ending with the move to the next instruction.</summary>
    private static List<string> Body(OpcodeRow row, bool immediate, bool hot)
    {
        var lines = new List<string>();
        var length = 1;
        string Trap(string code) => hot ? $"{{ trap = TrapCode.{code}; goto Trapped; }}" : $"{{ return -(int)TrapCode.{code}; }}";
        var outOfBounds = hot ? "{ goto OutOfBounds; }" : "{ return -(int)TrapCode.MemoryOutOfBounds; }";
        switch (row.Shape)
        {
            case Shape.Load:
            case Shape.LoadLane:
                {
                    lines.Add("ulong ea = (ulong)*(uint*)(fp + ip->B) + (uint)ip->C;");
                    lines.Add($"if (ea + {OpcodeTable.MemoryTypeSizes[row.MemoryType]} > memLen) {outOfBounds}");
                    lines.Add($"{row.MemoryType} raw = Unsafe.ReadUnaligned<{row.MemoryType}>(mem + ea);");
                    string value;
                    if (row.Shape == Shape.LoadLane)
                    {
                        lines.Add("Vector128<byte> vector = Unsafe.ReadUnaligned<Vector128<byte>>(fp + ip[1].A);");
                        value = $"{row.MemoryTransform}(vector, ip[1].B, raw)";
                        length = 2;
                    }
                    else
                    {
                        value = row.MemoryTransform is null ? $"({CsTypes[row.Result]})raw" : $"{row.MemoryTransform}(raw)";
                    }
                    lines.Add(Write(row.Result, value));
                    break;
                }
            case Shape.Store:
            case Shape.StoreLane:
                {
                    lines.Add("ulong ea = (ulong)*(uint*)(fp + ip->A) + (uint)ip->C;");
                    lines.Add($"if (ea + {OpcodeTable.MemoryTypeSizes[row.MemoryType]} > memLen) {outOfBounds}");
                    lines.Add($"{CsTypes[row.Operands[1]]} value = {Read(row.Operands[1], "ip->B")};");
                    if (row.Shape == Shape.StoreLane)
                    {
                        lines.Add($"Unsafe.WriteUnaligned(mem + ea, {row.MemoryTransform}(value, ip[1].A));");
                        length = 2;
                    }
                    else
                    {
                        lines.Add($"Unsafe.WriteUnaligned(mem + ea, ({row.MemoryType})value);");
                    }
                    break;
                }
            default:
                {
                    lines.Add($"{CsTypes[row.Operands[0]]} a = {Read(row.Operands[0], "ip->B")};");
                    switch (row.Shape)
                    {
                        case Shape.Binary:
                            lines.Add(immediate
                                ? $"{CsTypes[row.Operands[1]]} b = ip->C;"
                                : $"{CsTypes[row.Operands[1]]} b = {Read(row.Operands[1], "ip->C")};");
                            break;
                        case Shape.Ternary:
                            lines.Add($"{CsTypes[row.Operands[1]]} b = {Read(row.Operands[1], "ip->C")};");
                            lines.Add($"{CsTypes[row.Operands[2]]} c = {Read(row.Operands[2], "ip[1].A")};");
                            length = 2;
                            break;
                        case Shape.LaneExtract:
                            lines.Add("int lane = ip->C;");
                            break;
                        case Shape.LaneReplace:
                            lines.Add($"{CsTypes[row.Operands[1]]} b = {Read(row.Operands[1], "ip->C")};");
                            lines.Add("int lane = ip[1].A;");
                            length = 2;
                            break;
                        case Shape.Shuffle:
                            lines.Add($"{CsTypes[row.Operands[1]]} b = {Read(row.Operands[1], "ip->C")};");
                            lines.Add("Vector128<byte> lanes = Unsafe.ReadUnaligned<Vector128<byte>>(ip + 1);");
                            length = 2;
                            break;
                    }
                    foreach (var (condition, trap) in row.Guards)
                    {
                        lines.Add($"if ({condition}) {Trap(trap)}");
                    }
                    lines.Add(Write(row.Result, row.Expression));
                    break;
                }
        }
        lines.Add(hot ? (length == 1 ? "ip++;" : $"ip += {length};") : $"return {length};");
        if (hot)
        {
            lines.Add("continue;");
        }
        return lines;
    }

    private static List<string> BranchBody(OpcodeRow row, bool immediate, bool negated)
    {
        var condition = row.Expression.Substring(0, row.Expression.Length - " ? 1 : 0".Length);
        return
        [
            $"{CsTypes[row.Operands[0]]} a = {Read(row.Operands[0], "ip->B")};",
            immediate ? $"{CsTypes[row.Operands[1]]} b = ip->C;" : $"{CsTypes[row.Operands[1]]} b = {Read(row.Operands[1], "ip->C")};",
            negated ? $"if (!({condition}))" : $"if ({condition})",
            "{",
            $"    {BackEdge}",
            "    ip += ip->A;",
            "    continue;",
            "}",
            "ip++;",
            "continue;",
        ];
    }

    private static string Read(string type, string field) => type == "V128"
        ? $"Unsafe.ReadUnaligned<Vector128<byte>>(fp + {field})"
        : $"*({CsTypes[type]}*)(fp + {field})";

    private static string Write(string type, string value) => type switch
    {
        "I32" => $"*(ulong*)(fp + ip->A) = (uint)({value});",
        "V128" => $"Unsafe.WriteUnaligned(fp + ip->A, {value});",
        _ => $"*({CsTypes[type]}*)(fp + ip->A) = {value};",
    };

    private static void AppendCase(StringBuilder source, string op, List<string> body, int indent)
    {
        var pad = new string(' ', indent * 4);
        source.AppendLine($"{pad}case IrOp.{op}:")
              .AppendLine($"{pad}{{");
        foreach (var line in body)
        {
            source.AppendLine($"{pad}    {line}");
        }
        source.AppendLine($"{pad}}}");
    }

    /// <summary>Copies a Handlers.txt body (indented by 4 there) to the given extra depth.</summary>
    private static void AppendIndented(StringBuilder source, string body, int depth)
    {
        var pad = new string(' ', 4 + depth * 4);
        foreach (var line in body.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            source.AppendLine(line.Length == 0 ? "" : pad + line);
        }
    }

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
