// Prints a decoded module as WebAssembly 2.0 text (spec 6) that encodes back to the module's bytes: numeric indices,
// flat instructions, every type written out, exact numbers, and each segment in the form its binary encoding chose.
// Custom sections have no text form and are only named in a comment. The instruction text is shared with the
// disassembler (AppendInstruction), so the two never disagree on how an instruction reads.
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Wasmrun.Engine.Decode;

namespace Wasmrun.Engine.Text;

internal static class TextPrinter
{
    /// <summary>The most locals a printed module may declare. The text format lists every local, while the binary
    /// format declares 2^32 - 1 of them in six bytes: without a bound the text would not be linear in the module.</summary>
    public const ulong MaxLocals = 1 << 20;

    /// <summary>Blocks nested deeper than this are indented no further: indentation growing with depth would make
    /// the text quadratic in a module of nested blocks (two bytes each).</summary>
    private const int MaxIndentedDepth = 64;

    public static string Print(Module module)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        Print(module, output);
        return output.ToString();
    }

    /// <summary>Writes the module's text. The module must be valid: bodies are read as they are printed.</summary>
    public static void Print(Module module, TextWriter output) => new Printer(module, output).Module();

    /// <summary>One instruction: its name and immediates as the text format writes them (memarg defaults left out,
    /// call_indirect's table only when it is not 0). Floats are exact hex unless <paramref name="decimalFloats"/>,
    /// the shortest decimal that parses back to the same value, which people read more easily. Functions with an
    /// entry in <paramref name="functionIds"/> are named by it.</summary>
    public static void AppendInstruction(StringBuilder text, in Instruction instruction, ReadOnlySpan<uint> brTableLabels, bool decimalFloats = false,
        IReadOnlyDictionary<uint, string>? functionIds = null, ReadOnlySpan<CatchClause> catches = default)
    {
        text.Append(OpcodeInfo.Name(instruction.Opcode));
        switch (OpcodeInfo.Immediates(instruction.Opcode))
        {
            case ImmediateKind.Block:
                AppendBlockType(text, instruction.Block);
                break;
            case ImmediateKind.TryTable:
                AppendBlockType(text, instruction.Block);
                foreach (var clause in catches)
                {
                    text.Append(" (").Append(clause.Kind switch
                    {
                        CatchKind.Catch => "catch ",
                        CatchKind.CatchRef => "catch_ref ",
                        CatchKind.CatchAll => "catch_all ",
                        _ => "catch_all_ref ",
                    });
                    if (!clause.IsAll)
                    {
                        text.Append(clause.Tag).Append(' ');
                    }
                    text.Append(clause.Label).Append(')');
                }
                break;
            case ImmediateKind.Function when functionIds is not null && functionIds.TryGetValue(instruction.Index, out var id):
                text.Append(" $").Append(id);
                break;
            case ImmediateKind.BrOnCast:
                text.Append(' ').Append(instruction.Index).Append(' ').Append(instruction.Type.Name()).Append(' ').Append(instruction.Type2.Name());
                break;
            case ImmediateKind.Label or ImmediateKind.Function or ImmediateKind.Local or ImmediateKind.Global
                or ImmediateKind.Table or ImmediateKind.Data or ImmediateKind.Elem or ImmediateKind.Tag or ImmediateKind.Type:
                text.Append(' ').Append(instruction.Index);
                break;
            case ImmediateKind.DataMemory:
                // memory.init names the memory first (when not 0), the binary the segment first.
                AppendMemory(text, instruction.Memory);
                text.Append(' ').Append(instruction.Index);
                break;
            case ImmediateKind.Memory:
                AppendMemory(text, instruction.Memory);
                break;
            case ImmediateKind.MemoryMemory when instruction.Memory != 0 || instruction.Index2 != 0:
                text.Append(' ').Append(instruction.Memory).Append(' ').Append(instruction.Index2);
                break;
            case ImmediateKind.BrTable:
                foreach (var label in brTableLabels)
                {
                    text.Append(' ').Append(label);
                }
                text.Append(' ').Append(instruction.Index);
                break;
            case ImmediateKind.CallIndirect:
                if (instruction.Index2 != 0)
                {
                    text.Append(' ').Append(instruction.Index2);
                }
                text.Append(" (type ").Append(instruction.Index).Append(')');
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
                // table.init names the table first, the binary the segment first.
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
                text.Append(' ');
                if (decimalFloats)
                {
                    text.Append(ValueText.F32((uint)instruction.Bits));
                }
                else
                {
                    AppendF32(text, (uint)instruction.Bits);
                }
                break;
            case ImmediateKind.F64:
                text.Append(' ');
                if (decimalFloats)
                {
                    text.Append(ValueText.F64(instruction.Bits));
                }
                else
                {
                    AppendF64(text, instruction.Bits);
                }
                break;
            case ImmediateKind.V128:
                text.Append(' ').Append(ValueText.V128(instruction.Vector));
                break;
            case ImmediateKind.RefType:
                // A cast names a reference type, whose nullability is its opcode's (3.0 GC); ref.null a heap type.
                text.Append(' ').Append(instruction.Opcode switch
                {
                    Opcode.RefTest or Opcode.RefCast => instruction.Type.AsNullable(false).Name(),
                    Opcode.RefTestNull or Opcode.RefCastNull => instruction.Type.Name(),
                    _ => ValTypes.HeapName(instruction.Type),
                });
                break;
            case ImmediateKind.SelectTypes:
                text.Append(" (result ").Append(instruction.Type.Name()).Append(')');
                break;
        }
    }

    /// <summary>An f32 whose text parses to the same bits: hex for finite values (spec 6.3.2 hexfloat), inf, nan and
    /// nan:0x payloads otherwise.</summary>
    public static void AppendF32(StringBuilder text, uint bits)
    {
        var exponent = (int)(bits >> 23) & 0xFF;
        if (exponent == 0xFF)
        {
            text.Append(ValueText.F32(bits));
            return;
        }
        // The 23 fraction bits shifted to 24 make whole hex digits.
        AppendHexFloat(text, (bits >> 31) != 0, exponent, (ulong)(bits & 0x7FFFFF) << 1, 6, 127);
    }

    /// <summary>An f64 whose text parses to the same bits (see <see cref="AppendF32"/>).</summary>
    public static void AppendF64(StringBuilder text, ulong bits)
    {
        var exponent = (int)(bits >> 52) & 0x7FF;
        if (exponent == 0x7FF)
        {
            text.Append(ValueText.F64(bits));
            return;
        }
        AppendHexFloat(text, (bits >> 63) != 0, exponent, bits & 0xFFFFFFFFFFFFFUL, 13, 1023);
    }

    /// <summary>±0x1.fffp±e for a normal number, ±0x0.fffp-(bias-1) for a subnormal one, ±0x0p+0 for zero: the
    /// fraction's digits are the encoding's, so no rounding happens either way.</summary>
    private static void AppendHexFloat(StringBuilder text, bool negative, int biasedExponent, ulong fraction, int digits, int bias)
    {
        if (negative)
        {
            text.Append('-');
        }
        var normal = biasedExponent != 0;
        text.Append(normal ? "0x1" : "0x0");
        if (fraction != 0)
        {
            var hex = fraction.ToString("x" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            text.Append('.').Append(hex.AsSpan().TrimEnd('0'));
        }
        var exponent = normal ? biasedExponent - bias : fraction == 0 ? 0 : 1 - bias;
        text.Append('p').Append(exponent >= 0 ? "+" : "").Append(exponent);
    }

    /// <summary>A string literal (spec 6.3.3): printable ASCII as is, except the quote and the backslash, every
    /// other byte as \hh.</summary>
    public static void AppendString(StringBuilder text, ReadOnlySpan<byte> bytes)
    {
        text.Append('"');
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7F and not (byte)'"' and not (byte)'\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('\\').Append(HexDigits[b >> 4]).Append(HexDigits[b & 0xF]);
            }
        }
        text.Append('"');
    }

    private const string HexDigits = "0123456789abcdef";

    private static void AppendBlockType(StringBuilder text, BlockType block)
    {
        if (block.IsTypeIndex)
        {
            text.Append(" (type ").Append(block.TypeIndex).Append(')');
        }
        else if (!block.IsEmpty)
        {
            text.Append(" (result ").Append(block.Value.Name()).Append(')');
        }
    }

    /// <summary>A memory index, left out when it is 0 (the only memory of 2.0 code).</summary>
    private static void AppendMemory(StringBuilder text, uint memory)
    {
        if (memory != 0)
        {
            text.Append(' ').Append(memory);
        }
    }

    private static void AppendMemArg(StringBuilder text, in Instruction instruction)
    {
        AppendMemory(text, instruction.Memory);
        if (instruction.Bits != 0)
        {
            text.Append(" offset=").Append(instruction.Bits);
        }
        if (instruction.MemAlign != (uint)OpcodeInfo.NaturalAlignment(instruction.Opcode))
        {
            // An exponent of 32 or more is invalid and has no text form; inspect still shows invalid modules.
            text.Append(" align=");
            if (instruction.MemAlign < 32)
            {
                text.Append(1u << (int)instruction.MemAlign);
            }
            else
            {
                text.Append("2^").Append(instruction.MemAlign);
            }
        }
    }

    /// <summary>Prints one module: fields in the order of the binary's sections, each index space in index order, so
    /// an encoder that writes fields in text order gives back the same sections.</summary>
    private sealed class Printer(Module module, TextWriter output)
    {
        private readonly StringBuilder line = new();
        private readonly byte[] bytes = WasmReader.ArrayOf(module);
        private readonly Dictionary<uint, string> functionIds = Ids(module.Names.Functions);
        private Instruction instruction;

        // Names of the name section that can be written as $ids (idchars only, each once): the text encoder writes
        // them back as the same name section; other names are left out.
        private static Dictionary<uint, string> Ids(IReadOnlyDictionary<uint, string> names)
        {
            var counts = names.Values.CountBy(name => name).ToDictionary();
            return names.Where(entry => counts[entry.Value] == 1 && IsId(entry.Value)).ToDictionary();
        }

        private static bool IsId(string name) => name.Length > 0 && name.All(TextLexer.IsIdChar);

        /// <summary>A function reference: its $id when it has one, else its index.</summary>
        private void AppendFunction(uint index)
        {
            if (functionIds.TryGetValue(index, out var id))
            {
                line.Append('$').Append(id);
            }
            else
            {
                line.Append(index);
            }
        }

        private void AppendDefinition(string keyword, uint index, string? id)
        {
            line.Append(keyword);
            if (id is not null)
            {
                line.Append(" $").Append(id);
            }
            line.Append(" (;").Append(index).Append(";)");
        }

        public void Module()
        {
            CheckLocalCount();
            // The name section is shown as $ids; other custom sections have no text form.
            var hidden = module.CustomSections.Where(custom => custom.Name != "name").ToList();
            if (hidden.Count > 0)
            {
                line.Append(";; ").Append(hidden.Count)
                    .Append(hidden.Count == 1 ? " custom section" : " custom sections")
                    .Append(" not shown (the 2.0 text format has no form for them):");
                foreach (var custom in hidden)
                {
                    line.Append(' ');
                    AppendString(line, Encoding.UTF8.GetBytes(custom.Name));
                }
                EndLine();
            }
            line.Append("(module");
            if (module.Names.ModuleName is { } moduleName && IsId(moduleName))
            {
                line.Append(" $").Append(moduleName);
            }
            EndLine();
            Types();
            Imports();
            Functions();
            Tables();
            Memories();
            Tags();
            Globals();
            Exports();
            if (module.StartFunction is { } start)
            {
                line.Append("  (start ");
                AppendFunction(start);
                line.Append(')');
                EndLine();
            }
            Elements();
            Data();
            line.Append(')');
            EndLine();
        }

        private void CheckLocalCount()
        {
            ulong total = 0;
            foreach (var body in module.Bodies)
            {
                total += body.LocalCount;
            }
            if (total > MaxLocals)
            {
                // The printer has no limit kind of its own: FrameSize is the one about locals.
                throw new EngineLimitException(EngineLimit.FrameSize,
                    $"the module declares {total} locals: more than the text printer writes out ({MaxLocals}), since the text format lists each one");
            }
        }

        private void EndLine()
        {
            line.Append('\n');
            output.Write(line);
            line.Clear();
        }

        private void Types()
        {
            for (var i = 0; i < module.Types.Length; i++)
            {
                line.Append("  (type (;").Append(i).Append(";) (func");
                AppendSignature(module.Types[i]);
                line.Append("))");
                EndLine();
            }
        }

        private void Imports()
        {
            int functions = 0, tables = 0, memories = 0, globals = 0, tags = 0;
            foreach (var import in module.Imports)
            {
                line.Append("  (import ");
                AppendName(import.ModuleName);
                line.Append(' ');
                AppendName(import.Name);
                line.Append(" (");
                switch (import.Kind)
                {
                    case ExternalKind.Function:
                        AppendDefinition("func", (uint)functions, functionIds.GetValueOrDefault((uint)functions));
                        functions++;
                        AppendTypeUse(import.TypeIndex);
                        break;
                    case ExternalKind.Table:
                        line.Append("table (;").Append(tables++).Append(";) ");
                        AppendTableType(import.Table);
                        break;
                    case ExternalKind.Memory:
                        line.Append("memory (;").Append(memories++).Append(";) ");
                        AppendLimits(import.Memory.Limits);
                        break;
                    case ExternalKind.Tag:
                        line.Append("tag (;").Append(tags++).Append(";)");
                        AppendTypeUse(import.TypeIndex);
                        break;
                    default:
                        line.Append("global (;").Append(globals++).Append(";) ");
                        AppendGlobalType(import.Global);
                        break;
                }
                line.Append("))");
                EndLine();
            }
        }

        private void Functions()
        {
            for (var i = 0; i < module.Bodies.Length; i++)
            {
                var index = (uint)(module.ImportedFunctionCount + i);
                var body = module.Bodies[i];
                var localIds = module.Names.Locals.TryGetValue(index, out var names) ? Ids(names) : [];
                line.Append("  ");
                AppendDefinition("(func", index, functionIds.GetValueOrDefault(index));
                var typeIndex = module.FunctionTypeIndices[(int)index];
                var type = module.Types[(int)typeIndex];
                line.Append(" (type ").Append(typeIndex).Append(')');
                AppendLocals(" (param", type.Parameters.Select(parameter => (1u, parameter)), 0, localIds);
                AppendTypes(" (result", type.Results);
                EndLine();
                // A run of none has no text form; an encoder would not write it back.
                var locals = body.Locals.Where(run => run.Count > 0).Select(run => (run.Count, run.Type)).ToList();
                if (locals.Count > 0)
                {
                    line.Append("   ");
                    AppendLocals(" (local", locals, (uint)type.Parameters.Length, localIds);
                    EndLine();
                }
                Instructions(body.CodeStart, body.End);
                line.Append("  )");
                EndLine();
            }
        }

        /// <summary>Parameters or locals from <paramref name="first"/> on: unnamed ones grouped in one `(param t t)`,
        /// named ones each in its own `(param $x t)`, as the text format allows.</summary>
        private void AppendLocals(string keyword, IEnumerable<(uint Count, ValType Type)> runs, uint first, Dictionary<uint, string> ids)
        {
            var open = false;
            var index = first;
            foreach (var (count, type) in runs)
            {
                for (uint i = 0; i < count; i++, index++)
                {
                    if (ids.TryGetValue(index, out var id))
                    {
                        line.Append(open ? ")" : "").Append(keyword).Append(" $").Append(id).Append(' ').Append(type.Name()).Append(')');
                        open = false;
                        continue;
                    }
                    line.Append(open ? "" : keyword).Append(' ').Append(type.Name());
                    open = true;
                }
            }
            line.Append(open ? ")" : "");
        }

        /// <summary>A body's instructions one per line, indented by block depth; its final `end` is the text's `)`.</summary>
        private void Instructions(int start, int end)
        {
            var reader = new InstructionReader(new WasmReader(bytes, start, end));
            var depth = 0;
            while (!reader.Reader.AtEnd)
            {
                reader.Read(ref instruction);
                if (Nesting.Closes(instruction.Opcode))
                {
                    depth--;
                }
                if (depth < 0)
                {
                    break;
                }
                line.Append(' ', 4 + (2 * Math.Min(depth, MaxIndentedDepth)));
                AppendInstruction(line, instruction, reader.BrTableLabels, functionIds: functionIds, catches: reader.Catches);
                EndLine();
                if (Nesting.Opens(instruction.Opcode))
                {
                    depth++;
                }
            }
        }

        private void Tables()
        {
            for (var i = module.ImportedTableCount; i < module.Tables.Length; i++)
            {
                line.Append("  (table (;").Append(i).Append(";) ");
                AppendTableType(module.Tables[i]);
                line.Append(')');
                EndLine();
            }
        }

        private void Memories()
        {
            for (var i = module.ImportedMemoryCount; i < module.Memories.Length; i++)
            {
                line.Append("  (memory (;").Append(i).Append(";) ");
                AppendLimits(module.Memories[i].Limits);
                line.Append(')');
                EndLine();
            }
        }

        private void Tags()
        {
            for (var i = module.ImportedTagCount; i < module.Tags.Length; i++)
            {
                line.Append("  (tag (;").Append(i).Append(";)");
                AppendTypeUse(module.Tags[i]);
                line.Append(')');
                EndLine();
            }
        }

        private void Globals()
        {
            for (var i = 0; i < module.GlobalInitializers.Length; i++)
            {
                var index = module.ImportedGlobalCount + i;
                line.Append("  (global (;").Append(index).Append(";) ");
                AppendGlobalType(module.Globals[index]);
                line.Append(' ');
                AppendExpression(module.GlobalInitializers[i]);
                line.Append(')');
                EndLine();
            }
        }

        private void Exports()
        {
            foreach (var export in module.Exports)
            {
                line.Append("  (export ");
                AppendName(export.Name);
                line.Append(" (").Append(export.Kind.Name()).Append(' ');
                if (export.Kind == ExternalKind.Function)
                {
                    AppendFunction(export.Index);
                }
                else
                {
                    line.Append(export.Index);
                }
                line.Append("))");
                EndLine();
            }
        }

        /// <summary>Element segments in the form their flags chose (spec 5.5.10): a table use exactly when the
        /// binary named the table, `func` and indices for the index forms, a reference type and items for the
        /// expression forms. The same segment has several encodings, and only this keeps the one it had.</summary>
        private void Elements()
        {
            for (var i = 0; i < module.Elements.Length; i++)
            {
                var segment = module.Elements[i];
                var flags = SegmentFlags(segment.Position);
                line.Append("  (elem (;").Append(i).Append(";)");
                switch (segment.Mode)
                {
                    case SegmentMode.Active:
                        if ((flags & 2) != 0)
                        {
                            line.Append(" (table ").Append(segment.TableIndex).Append(')');
                        }
                        AppendOffset(segment.Offset);
                        break;
                    case SegmentMode.Declarative:
                        line.Append(" declare");
                        break;
                }
                if ((flags & 4) == 0)
                {
                    line.Append(" func");
                    foreach (var item in segment.Items)
                    {
                        line.Append(' ');
                        AppendFunction(item.Index);
                    }
                }
                else
                {
                    line.Append(' ').Append(segment.Type.Name());
                    foreach (var item in segment.Items)
                    {
                        line.Append(" (item ");
                        AppendExpression(item);
                        line.Append(')');
                    }
                }
                line.Append(')');
                EndLine();
            }
        }

        /// <summary>Data segments, with a memory use exactly when the binary named the memory (flags 2).</summary>
        private void Data()
        {
            for (var i = 0; i < module.Data.Length; i++)
            {
                var segment = module.Data[i];
                line.Append("  (data (;").Append(i).Append(";)");
                if (SegmentFlags(segment.Position) == 2)
                {
                    line.Append(" (memory ").Append(segment.MemoryIndex).Append(')');
                }
                if (segment.Mode == SegmentMode.Active)
                {
                    AppendOffset(segment.Offset);
                }
                line.Append(' ');
                AppendString(line, bytes.AsSpan(segment.DataStart, segment.DataLength));
                line.Append(')');
                EndLine();
            }
        }

        /// <summary>The flags a segment was encoded with: the form it is printed in.</summary>
        private uint SegmentFlags(int position) => new WasmReader(bytes, position, bytes.Length).ReadU32();

        private void AppendOffset(ConstExpr offset)
        {
            line.Append(" (offset ");
            AppendExpression(offset);
            line.Append(')');
        }

        /// <summary>A constant expression's instructions on one line, without its `end`.</summary>
        private void AppendExpression(ConstExpr expression)
        {
            var reader = new InstructionReader(new WasmReader(bytes, expression.Start, expression.End));
            var first = true;
            while (!reader.Reader.AtEnd)
            {
                reader.Read(ref instruction);
                if (instruction.Opcode == Opcode.End && reader.Reader.AtEnd)
                {
                    break;
                }
                if (!first)
                {
                    line.Append(' ');
                }
                AppendInstruction(line, instruction, reader.BrTableLabels, functionIds: functionIds);
                first = false;
            }
        }

        /// <summary>`(type N)` and the parameters and results it stands for: an encoder checks they agree, and a
        /// reader need not look the type up.</summary>
        private void AppendTypeUse(uint typeIndex)
        {
            line.Append(" (type ").Append(typeIndex).Append(')');
            AppendSignature(module.Types[(int)typeIndex]);
        }

        private void AppendSignature(FuncType type)
        {
            AppendTypes(" (param", type.Parameters);
            AppendTypes(" (result", type.Results);
        }

        private void AppendTypes(string keyword, ImmutableArray<ValType> types)
        {
            if (types.IsEmpty)
            {
                return;
            }
            line.Append(keyword);
            foreach (var type in types)
            {
                line.Append(' ').Append(type.Name());
            }
            line.Append(')');
        }

        private void AppendTableType(TableType table)
        {
            AppendLimits(table.Limits);
            line.Append(' ').Append(table.ElementType.Name());
        }

        private void AppendLimits(Limits limits)
        {
            if (limits.Is64)
            {
                line.Append("i64 ");
            }
            line.Append(limits.Min);
            if (limits.Max is { } max)
            {
                line.Append(' ').Append(max);
            }
        }

        private void AppendGlobalType(GlobalType global) => line.Append(global.ToString());

        private void AppendName(string name) => AppendString(line, Encoding.UTF8.GetBytes(name));
    }
}
