// Emits the interpreter from the opcode table's exec cells and Handlers.txt: the IR instruction enum (operand-mode
// variants: _SS two slots, _SI a slot and an immediate), the translator's builders (one per Handlers.txt instruction,
// one per operand shape of the table's), the lowering table the translator consults, and the dispatch loop with every
// handler body expanded inline (hot instructions in Run's switch, cold scalar ones in Cold, the rest in ColdRest). An
// instruction's operand layout is declared once (Handlers.txt, or Shapes below) and both the builder and the handler's
// reads come from it.
using System.Collections.Generic;
using System.Linq;

namespace Wasmrun.Generators;

/// <summary>Where an opcode-table instruction's operands are: all in slots; one an immediate (a binary op's second
/// operand, _SI; the constant of an address add folded into a load or store, _AI); a store's value a constant (_VI).</summary>
internal enum Form
{
    Slots,
    Immediate,
    Constant,
}

internal static class InterpreterEmitter
{
    private static readonly Dictionary<string, string> CsTypes = new()
    {
        ["I32"] = "int",
        ["I64"] = "long",
        ["F32"] = "float",
        ["F64"] = "double",
        ["V128"] = "Vector128<byte>",
    };

    /// <summary>The operand layout of each shape of opcode-table instruction, in Handlers.txt's notation; builders
    /// `Emit.{Name}(op, ...)` take these operands. a, b, c are the row's operands (its exec cell's values).</summary>
    private static readonly (string Name, string Operands, string Doc)[] Shapes =
    [
        ("Unary", "dst: result, a: slot", "a one-operand instruction"),
        ("Binary", "dst: result, a: slot, b: slot", "a two-operand instruction, both in slots (_SS)"),
        ("BinaryImmediate", "dst: result, a: slot, b: i32", "a two-operand instruction whose second is a constant (_SI)"),
        ("Ternary", "dst: result, a: slot, b: slot, c: slot", "a three-operand instruction"),
        ("Load", "dst: result, address: slot, offset: u32", "a load"),
        ("Store", "address: slot, value: slot, offset: u32", "a store"),
        ("LoadImmediate", "dst: result, address: slot, add: i32", "a load at a slot plus a constant, wrapped to 32 bits: an i32.add folded in (_AI)"),
        ("StoreImmediate", "address: slot, value: slot, add: i32", "a store at a slot plus a constant, wrapped to 32 bits: an i32.add folded in (_AI)"),
        ("StoreConstant", "address: slot, value: i32, offset: u32", "a store of a constant (_VI; an i64 one sign-extended from 32 bits)"),
        ("LoadLane", "dst: result, address: slot, offset: u32, vector: slot, lane: i32", "a load into a lane"),
        ("StoreLane", "address: slot, vector: slot, offset: u32, lane: i32", "a store of a lane"),
        ("LaneExtract", "dst: result, a: slot, lane: i32", "a lane read"),
        ("LaneReplace", "dst: result, a: slot, b: slot, lane: i32", "a lane write"),
        ("Shuffle", "dst: result, a: slot, b: slot, lanes: v128", "a shuffle"),
        ("Branch", "target: target, a: slot, b: slot", "a fused compare-and-branch, both operands in slots"),
        ("BranchImmediate", "target: target, a: slot, b: i32", "a fused compare-and-branch whose second operand is a constant"),
    ];

    private static readonly Dictionary<string, IrLayout> Layouts = Shapes.ToDictionary(shape => shape.Name, shape =>
    {
        IrLayout.TryParse(shape.Operands, out var layout);
        return layout;
    });

    /// <summary>An immediate variant exists for binary i32/i64 operations: the constant fits the instruction's C field.</summary>
    private static bool HasImmediate(OpcodeRow row) =>
        row.Shape == Shape.Binary && row.Operands[0] is "I32" or "I64" && row.Operands[1] is "I32" or "I64";

    /// <summary>A row's IR instructions: the all-slots form first, then its immediate forms (hot loads and stores get
    /// the folded address add, hot integer stores the constant value).</summary>
    private static IEnumerable<(string Op, OpcodeRow Row, Form Form)> Variants(OpcodeRow row)
    {
        if (row.Shape == Shape.None)
        {
            yield break;
        }
        if (row.Shape != Shape.Binary)
        {
            yield return (row.Name, row, Form.Slots);
            if (row.Hot && row.Shape is Shape.Load or Shape.Store)
            {
                yield return (row.Name + "_AI", row, Form.Immediate);
            }
            if (row.Hot && row.Shape == Shape.Store && row.Operands[1] is "I32" or "I64")
            {
                yield return (row.Name + "_VI", row, Form.Constant);
            }
            yield break;
        }
        yield return (row.Name + "_SS", row, Form.Slots);
        if (HasImmediate(row))
        {
            yield return (row.Name + "_SI", row, Form.Immediate);
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

    private static IrLayout LayoutOf(OpcodeRow row, Form form) => Layouts[form == Form.Slots ? row.Shape.ToString() : row.Shape.ToString() + form];

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
            source.AppendLine($"    /// <summary>{Escape(Doc(handler))}</summary>")
                  .AppendLine($"    {handler.Name},");
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

    private static string Doc(Handler handler)
    {
        var layout = handler.Layout.Operands.Count == 0 ? "No operands." : handler.Layout.Describe() + ".";
        return handler.Doc.Length == 0 ? layout : handler.Doc + " " + layout;
    }

    /// <summary>The translator's builders: `Emit.Copy(dst, src)` for each Handlers.txt instruction, and
    /// `Emit.Binary(op, dst, a, b)` for each shape of the table's; each appends its words and returns the first's index.</summary>
    public static string EmitBuilders(HandlerFile handlers)
    {
        var source = OpcodeTableGenerator.Header("Wasmrun.Engine.Translate");
        var writer = new MappedWriter(source);
        source.AppendLine("internal sealed partial class FunctionTranslator")
              .AppendLine("{")
              .AppendLine("    /// <summary>The IR builders: operands named and typed as Handlers.txt declares them (or, for the opcode")
              .AppendLine("    /// table's instructions, as their shape lays them out); a builder of an instruction whose result is field A")
              .AppendLine("    /// marks it as the last producer, which a local.set right after may retarget.</summary>")
              .AppendLine("    private IrBuilder Emit => new(this);")
              .AppendLine()
              .AppendLine("    private readonly struct IrBuilder(FunctionTranslator translator)")
              .AppendLine("    {");
        foreach (var handler in handlers.Instructions)
        {
            // The doc comment maps to the line before the `inst` line (its comment), so both need one directive.
            writer.Write(new MappedLine($"/// <summary>{Escape(Doc(handler))}</summary>", handlers.Path, System.Math.Max(0, handler.Line - 1)), "        ");
            writer.Write(new MappedLine($"public int {handler.Name}({handler.Layout.Parameters(withOp: false)})", handlers.Path, handler.Line), "        ");
            writer.Hidden("        {");
            handler.Layout.AppendBuilderBody(source, "IrOp." + handler.Name, "            ");
            source.AppendLine("        }")
                  .AppendLine();
        }
        writer.End();
        foreach (var (name, _, doc) in Shapes)
        {
            var layout = Layouts[name];
            source.AppendLine($"        /// <summary>{Escape(char.ToUpperInvariant(doc[0]) + doc.Substring(1))}: {Escape(layout.Describe())}.</summary>")
                  .AppendLine($"        public int {name}({layout.Parameters(withOp: true)})")
                  .AppendLine("        {");
            layout.AppendBuilderBody(source, "op", "            ");
            source.AppendLine("        }");
            if (name != Shapes[Shapes.Length - 1].Name)
            {
                source.AppendLine();
            }
        }
        source.AppendLine("    }")
              .AppendLine("}");
        return source.ToString();
    }

    public static string EmitLowering(List<OpcodeRow> rows)
    {
        var source = OpcodeTableGenerator.Header("Wasmrun.Engine.Translate");
        source.AppendLine("/// <summary>How the interpreter lays out an opcode-table instruction's operands (see the builders of the same")
              .AppendLine("/// names: Emit.Binary, Emit.Load, ...).</summary>")
              .AppendLine("internal enum IrShape : byte")
              .AppendLine("{");
        foreach (var shape in System.Enum.GetNames(typeof(Shape)))
        {
            source.AppendLine($"    {shape},");
        }
        source.AppendLine("}")
              .AppendLine()
              .AppendLine("/// <summary>The IR form of an opcode-table instruction: its slot variant, its immediate variant (a binary op's")
              .AppendLine("/// constant operand, a load's or store's folded address add), its constant-value variant (stores) (None when it")
              .AppendLine("/// has none) and its result type.</summary>")
              .AppendLine("internal readonly record struct IrInfo(IrShape Shape, IrOp Op, IrOp Immediate, IrOp Constant, bool Commutative, ValType Result);")
              .AppendLine()
              .AppendLine("internal static partial class IrLowering")
              .AppendLine("{")
              .AppendLine("    /// <summary>How the translator lowers an instruction the opcode table defines (Shape None: by hand). One")
              .AppendLine("    /// packed word per opcode, indexed by prefix (none, 0xFB, 0xFC, 0xFD) and byte, so the translator's per-instruction")
              .AppendLine("    /// question is a load, not a switch over sparse opcode values.</summary>")
              .AppendLine("    public static IrInfo For(Opcode opcode)")
              .AppendLine("    {")
              .AppendLine("        var prefix = (int)opcode >> 16;")
              .AppendLine("        var word = Lowerings[((prefix == 0 ? 0 : prefix - 0xFA) << 9) | ((int)opcode & 0x1FF)];")
              .AppendLine("        return new((IrShape)(word & 0x7F), (IrOp)(ushort)(word >> 8), (IrOp)(ushort)(word >> 24), (IrOp)(ushort)(word >> 40),")
              .AppendLine("            (word & 0x80) != 0, ValType.Of((ValKind)(byte)(word >> 56)));")
              .AppendLine("    }")
              .AppendLine()
              .AppendLine("    // shape | commutative << 7 | op << 8 | immediate << 24 | constant << 40 | result << 56 (the (ushort) casts make an IrOp past 16 bits a compile error)")
              .AppendLine("    private static ReadOnlySpan<ulong> Lowerings =>")
              .AppendLine("    [");
        var lowered = rows.Where(r => r.Shape != Shape.None).ToDictionary(r => ((r.Code >> 16) == 0 ? 0 : (r.Code >> 16) - 0xFA) << 9 | (r.Code & 0x1FF));
        for (var index = 0; index < 4 << 9; index++)
        {
            if (!lowered.TryGetValue(index, out var row))
            {
                source.AppendLine("        0,");
                continue;
            }
            var variants = Variants(row).ToList();
            var immediate = variants.FirstOrDefault(v => v.Form == Form.Immediate).Op ?? "None";
            var constant = variants.FirstOrDefault(v => v.Form == Form.Constant).Op ?? "None";
            source.AppendLine($"        (ulong)IrShape.{row.Shape}{(row.Commutative ? " | 0x80" : "")} | (ulong)(ushort)IrOp.{variants[0].Op} << 8 | (ulong)(ushort)IrOp.{immediate} << 24" +
                              $" | (ulong)(ushort)IrOp.{constant} << 40 | (ulong)ValKind.{(row.Result.Length == 0 ? "Unknown" : row.Result)} << 56, // {row.Mnemonic}");
        }
        source.AppendLine("    ];")
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

    /// <summary>The translator's dispatch: rows with an IR shape go to VisitTableInstruction, each row lowered by hand
    /// (exec `-`) to its own Visit{Name}() (the generator reports WRG005 for one that has none).</summary>
    public static string EmitVisit(List<OpcodeRow> rows, string tablePath, HashSet<string> visits)
    {
        var source = OpcodeTableGenerator.Header("Wasmrun.Engine.Translate");
        var writer = new MappedWriter(source);
        source.AppendLine("internal sealed partial class FunctionTranslator")
              .AppendLine("{")
              .AppendLine("    /// <summary>Translates the current instruction: a row of the opcode table by its IR shape, a row lowered by hand")
              .AppendLine("    /// (exec `-`) by its Visit method.</summary>")
              .AppendLine("    private void Visit()")
              .AppendLine("    {")
              .AppendLine("        switch (instruction.Opcode)")
              .AppendLine("        {");
        foreach (var row in rows.Where(r => r.Shape == Shape.None && visits.Contains("Visit" + r.Name)))
        {
            writer.Hidden($"            case Opcode.{row.Name}:");
            writer.Write(new MappedLine($"Visit{row.Name}();", tablePath, row.Line), "                ");
            writer.Hidden("                break;");
        }
        writer.Hidden("            default:");
        writer.Hidden("                VisitTableInstruction(IrLowering.For(instruction.Opcode));");
        writer.Hidden("                break;");
        writer.End();
        source.AppendLine("        }")
              .AppendLine("    }")
              .AppendLine("}");
        return source.ToString();
    }

    public static string EmitInterpreter(List<OpcodeRow> rows, string tablePath, HandlerFile handlers)
    {
        var source = OpcodeTableGenerator.Header("Wasmrun.Engine.Execute",
            "System.Numerics", "System.Runtime.CompilerServices", "System.Runtime.InteropServices", "System.Runtime.Intrinsics", "Wasmrun.Engine.Runtime", "Wasmrun.Engine.Translate");
        var writer = new MappedWriter(source);
        source.AppendLine("internal static unsafe partial class Interpreter")
              .AppendLine("{")
              .AppendLine("    [SkipLocalsInit]")
              .AppendLine("    private static partial TrapCode Run(Machine ctx, FunctionInstance entry, ulong* fp)")
              .AppendLine("    {");
        AppendLines(writer, handlers.Path, handlers.Sections["prologue"], 0);
        writer.Hidden("        while (true)");
        writer.Hidden("        {");
        writer.Hidden("#if WASMRUN_OPPROFILE");
        writer.Hidden("            OpProfile.Count(ip->Op);");
        writer.Hidden("#endif");
        writer.Hidden("            switch (ip->Op)");
        writer.Hidden("            {");
        foreach (var handler in handlers.Instructions.Where(h => h.Hot))
        {
            AppendHandler(writer, handlers.Path, handler, 3);
        }
        foreach (var row in rows)
        {
            foreach (var (op, _, form) in Variants(row).Where(_ => row.Hot))
            {
                AppendCase(writer, op, Body(row, tablePath, form, hot: true), 4);
            }
            foreach (var (op, _, immediate, negated) in Branches(row))
            {
                AppendCase(writer, op, BranchBody(row, tablePath, handlers, immediate, negated), 4);
            }
        }
        // None (a data word, never dispatched) as a case starts the jump table at 0: no `dec` in the dispatch sequence
        writer.Hidden("                case IrOp.None:");
        writer.Hidden("                default:");
        writer.Hidden("                {");
        AppendLines(writer, handlers.Path, handlers.Default!.Body, 3);
        writer.Hidden("                }");
        writer.Hidden("            }");
        writer.Hidden("        }");
        AppendLines(writer, handlers.Path, handlers.Sections["epilogue"], 0);
        writer.End();
        source.AppendLine("    }")
              .AppendLine()
              .AppendLine("    /// <summary>The scalar instructions outside Run's switch, with Run's memory view: returns the instruction's")
              .AppendLine("    /// length, or -TrapCode. Nothing here holds a reference or a span, so the frame is small and needs no zeroing")
              .AppendLine("    /// (the one method for every cold instruction zeroed 3.6 KB of stack per call: most of its ~65 ns).</summary>")
              .AppendLine("    [SkipLocalsInit]")
              .AppendLine("    private static int Cold(Inst* ip, ulong* fp, Machine ctx, byte* mem, ulong memLen)")
              .AppendLine("    {");
        writer.Hidden("        switch (ip->Op)");
        writer.Hidden("        {");
        AppendColdRows(writer, rows.Where(r => !r.Hot && !IsVector(r)), tablePath, "return ColdRest(ip, fp, ctx, mem, memLen);");
        source.AppendLine("    }")
              .AppendLine()
              .AppendLine("    /// <summary>The rest of the cold instructions: vectors, and Handlers.txt's (tables, bulk memory, ...), with")
              .AppendLine("    /// Run's memory view too (the memory an instruction on another memory selected).</summary>")
              .AppendLine("    [SkipLocalsInit]")
              .AppendLine("    private static int ColdRest(Inst* ip, ulong* fp, Machine ctx, byte* mem, ulong memLen)")
              .AppendLine("    {");
        writer.Hidden("        switch (ip->Op)");
        writer.Hidden("        {");
        foreach (var handler in handlers.Instructions.Where(h => !h.Hot))
        {
            AppendHandler(writer, handlers.Path, handler, 2);
        }
        AppendColdRows(writer, rows.Where(r => !r.Hot && IsVector(r)), tablePath,
            "throw new InvalidOperationException($\"no handler for IR instruction {ip->Op}\");");
        source.AppendLine("    }")
              .AppendLine("}");
        return source.ToString();
    }

    /// <summary>The address plus the memarg offset, in 64 bits (it cannot wrap); or, in the _AI form, the i32.add of
    /// the address and a constant, which wraps as the add would.</summary>
    private static string EffectiveAddress(IrLayout layout) => layout.Has("add")
        ? $"ulong ea = (uint)(*(int*)(fp + {layout["address"].Access}) + {layout["add"].Access});"
        : $"ulong ea = (ulong)*(uint*)(fp + {layout["address"].Access}) + (uint){layout["offset"].Access};";

    private static bool IsVector(OpcodeRow row) => row.Operands.Contains("V128") || row.Results.Contains("V128");

    /// <summary>A cold method's cases for the table's `rows`, then its default (`fallback`) and the switch's end.</summary>
    private static void AppendColdRows(MappedWriter writer, IEnumerable<OpcodeRow> rows, string tablePath, string fallback)
    {
        foreach (var row in rows)
        {
            foreach (var (op, _, form) in Variants(row))
            {
                AppendCase(writer, op, Body(row, tablePath, form, hot: false), 3);
            }
        }
        writer.Hidden("            default:");
        writer.Hidden("                " + fallback);
        writer.Hidden("        }");
        writer.End();
    }

    /// <summary>A Handlers.txt instruction's case: its operands read into named locals, then its body.</summary>
    private static void AppendHandler(MappedWriter writer, string path, Handler handler, int depth)
    {
        var pad = new string(' ', 4 + depth * 4);
        writer.Hidden($"{pad}case IrOp.{handler.Name}:");
        writer.Hidden($"{pad}{{");
        foreach (var local in handler.Layout.Locals())
        {
            writer.Write(new MappedLine(local, path, handler.Line), pad + "    ");
        }
        AppendLines(writer, path, handler.Body, depth);
        writer.Hidden($"{pad}}}");
    }

    /// <summary>The statements of a generated handler, ending with the move to the next instruction.</summary>
    private static List<MappedLine> Body(OpcodeRow row, string path, Form form, bool hot)
    {
        var lines = new List<MappedLine>();
        void Add(string text) => lines.Add(new MappedLine(text, path, row.Line));
        void AddCell(string prefix, string piece, string suffix) =>
            lines.Add(new MappedLine(prefix + piece + suffix, path, row.Line, OpcodeTable.ColumnOf(row, piece), piece.Length, prefix.Length));
        var layout = LayoutOf(row, form);
        string Field(string name) => layout[name].Access;
        string Trap(string code) => hot ? $"{{ trap = TrapCode.{code}; goto Trapped; }}" : $"{{ return -(int)TrapCode.{code}; }}";
        var outOfBounds = hot ? "{ goto OutOfBounds; }" : "{ return -(int)TrapCode.MemoryOutOfBounds; }";
        switch (row.Shape)
        {
            case Shape.Load:
            case Shape.LoadLane:
                {
                    Add(EffectiveAddress(layout));
                    Add($"if (ea + {OpcodeTable.MemoryTypeSizes[row.MemoryType]} > memLen) {outOfBounds}");
                    Add($"{row.MemoryType} raw = Unsafe.ReadUnaligned<{row.MemoryType}>(mem + ea);");
                    string value;
                    if (row.Shape == Shape.LoadLane)
                    {
                        Add($"Vector128<byte> vector = Unsafe.ReadUnaligned<Vector128<byte>>(fp + {Field("vector")});");
                        value = $"{row.MemoryTransform}(vector, {Field("lane")}, raw)";
                    }
                    else
                    {
                        value = row.MemoryTransform is null ? $"({CsTypes[row.Result]})raw" : $"{row.MemoryTransform}(raw)";
                    }
                    Add(Write(row.Result, Field("dst"), value));
                    break;
                }
            case Shape.Store:
            case Shape.StoreLane:
                {
                    Add(EffectiveAddress(layout));
                    Add($"if (ea + {OpcodeTable.MemoryTypeSizes[row.MemoryType]} > memLen) {outOfBounds}");
                    var valueField = row.Shape == Shape.StoreLane ? Field("vector") : Field("value");
                    Add(form == Form.Constant
                        ? $"{CsTypes[row.Operands[1]]} value = {valueField};"
                        : $"{CsTypes[row.Operands[1]]} value = {Read(row.Operands[1], valueField)};");
                    Add(row.Shape == Shape.StoreLane
                        ? $"Unsafe.WriteUnaligned(mem + ea, {row.MemoryTransform}(value, {Field("lane")}));"
                        : $"Unsafe.WriteUnaligned(mem + ea, ({row.MemoryType})value);");
                    break;
                }
            default:
                {
                    Add($"{CsTypes[row.Operands[0]]} a = {Read(row.Operands[0], Field("a"))};");
                    switch (row.Shape)
                    {
                        case Shape.Binary:
                            Add(form == Form.Immediate
                                ? $"{CsTypes[row.Operands[1]]} b = {Field("b")};"
                                : $"{CsTypes[row.Operands[1]]} b = {Read(row.Operands[1], Field("b"))};");
                            break;
                        case Shape.Ternary:
                            Add($"{CsTypes[row.Operands[1]]} b = {Read(row.Operands[1], Field("b"))};");
                            Add($"{CsTypes[row.Operands[2]]} c = {Read(row.Operands[2], Field("c"))};");
                            break;
                        case Shape.LaneExtract:
                            Add($"int lane = {Field("lane")};");
                            break;
                        case Shape.LaneReplace:
                            Add($"{CsTypes[row.Operands[1]]} b = {Read(row.Operands[1], Field("b"))};");
                            Add($"int lane = {Field("lane")};");
                            break;
                        case Shape.Shuffle:
                            Add($"{CsTypes[row.Operands[1]]} b = {Read(row.Operands[1], Field("b"))};");
                            Add($"Vector128<byte> lanes = {layout["lanes"].LocalValue};");
                            break;
                    }
                    foreach (var (condition, trap) in row.Guards)
                    {
                        AddCell("if (", condition, $") {Trap(trap)}");
                    }
                    var (prefix, suffix) = WriteAround(row.Result, Field("dst"));
                    AddCell(prefix, row.Expression, suffix);
                    break;
                }
        }
        var length = layout.Words;
        Add(hot ? (length == 1 ? "ip++;" : $"ip += {length};") : $"return {length};");
        if (hot)
        {
            Add("continue;");
        }
        return lines;
    }

    /// <summary>A fused compare-and-branch: the row's condition, then Handlers.txt's `branch` snippet.</summary>
    private static List<MappedLine> BranchBody(OpcodeRow row, string path, HandlerFile handlers, bool immediate, bool negated)
    {
        var layout = Layouts[immediate ? "BranchImmediate" : "Branch"];
        var condition = row.Expression.Substring(0, row.Expression.Length - " ? 1 : 0".Length);
        var prefix = negated ? "if (!(" : "if (";
        var lines = new List<MappedLine>
        {
            new($"{CsTypes[row.Operands[0]]} a = {Read(row.Operands[0], layout["a"].Access)};", path, row.Line),
            new(immediate
                ? $"{CsTypes[row.Operands[1]]} b = {layout["b"].Access};"
                : $"{CsTypes[row.Operands[1]]} b = {Read(row.Operands[1], layout["b"].Access)};", path, row.Line),
            new(prefix + condition + (negated ? "))" : ")"), path, row.Line, OpcodeTable.ColumnOf(row, condition), condition.Length, prefix.Length),
            MappedLine.Hidden("{"),
            // Read only when taken, as the hand-written branches' `target` is.
            new($"    {layout.Locals(o => o.Kind == OperandKind.Target).Single()}", path, row.Line),
        };
        lines.AddRange(handlers.Snippet("branch").Select(line => new MappedLine(line.Text, handlers.Path, line.Line)));
        lines.Add(MappedLine.Hidden("}"));
        lines.Add(new MappedLine("ip++;", path, row.Line));
        lines.Add(new MappedLine("continue;", path, row.Line));
        return lines;
    }

    private static string Read(string type, string field) => type == "V128"
        ? $"Unsafe.ReadUnaligned<Vector128<byte>>(fp + {field})"
        : $"*({CsTypes[type]}*)(fp + {field})";

    private static string Write(string type, string field, string value)
    {
        var (prefix, suffix) = WriteAround(type, field);
        return prefix + value + suffix;
    }

    /// <summary>The text before and after the value of a result write.</summary>
    private static (string Prefix, string Suffix) WriteAround(string type, string field) => type switch
    {
        "I32" => ($"*(ulong*)(fp + {field}) = (uint)(", ");"),
        "V128" => ($"Unsafe.WriteUnaligned(fp + {field}, ", ");"),
        _ => ($"*({CsTypes[type]}*)(fp + {field}) = ", ";"),
    };

    private static void AppendCase(MappedWriter writer, string op, List<MappedLine> body, int indent)
    {
        var pad = new string(' ', indent * 4);
        writer.Hidden($"{pad}case IrOp.{op}:");
        writer.Hidden($"{pad}{{");
        foreach (var line in body)
        {
            writer.Write(line, pad + "    ");
        }
        writer.Hidden($"{pad}}}");
    }

    /// <summary>Copies Handlers.txt lines (indented by 4 there) to the given depth, each mapped to its line.</summary>
    private static void AppendLines(MappedWriter writer, string path, List<SourceLine> lines, int depth)
    {
        var pad = new string(' ', 4 + depth * 4);
        foreach (var line in lines)
        {
            writer.Write(new MappedLine(line.Text, path, line.Line), pad);
        }
    }

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
