// Reads the opcode table (src/Wasmrun/Engine/Opcodes.txt) and derives from it the Opcode enum, the names,
// the decoder's immediate dispatch and the validator's operand signatures, so every instruction is defined once.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Wasmrun.Generators;

[Generator]
public sealed class OpcodeTableGenerator : IIncrementalGenerator
{
    private static readonly DiagnosticDescriptor MalformedRow = new(
        "WRG001", "Malformed opcode table row", "Opcode table row is malformed: {0}", "Wasmrun.Generators",
        DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static readonly DiagnosticDescriptor DuplicateRow = new(
        "WRG002", "Duplicate opcode", "Opcode table defines {0} twice", "Wasmrun.Generators",
        DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>Immediate kinds of the table and the generated ImmediateKind member each maps to.</summary>
    private static readonly Dictionary<string, string> ImmediateKinds = new()
    {
        ["-"] = "None",
        ["block"] = "Block",
        ["label"] = "Label",
        ["br_table"] = "BrTable",
        ["func"] = "Function",
        ["call_indirect"] = "CallIndirect",
        ["local"] = "Local",
        ["global"] = "Global",
        ["table"] = "Table",
        ["data"] = "Data",
        ["elem"] = "Elem",
        ["memarg"] = "MemArg",
        ["memlane"] = "MemArgLane",
        ["lane"] = "Lane",
        ["shuffle"] = "Shuffle",
        ["memory"] = "Memory",
        ["memory_memory"] = "MemoryMemory",
        ["data_memory"] = "DataMemory",
        ["elem_table"] = "ElemTable",
        ["table_table"] = "TableTable",
        ["i32"] = "I32",
        ["i64"] = "I64",
        ["f32"] = "F32",
        ["f64"] = "F64",
        ["v128"] = "V128",
        ["reftype"] = "RefType",
        ["select_t"] = "SelectTypes",
    };

    private static readonly Dictionary<string, string> ValueTypes = new()
    {
        ["i32"] = "I32",
        ["i64"] = "I64",
        ["f32"] = "F32",
        ["f64"] = "F64",
        ["v128"] = "V128",
        ["funcref"] = "FuncRef",
        ["externref"] = "ExternRef",
    };

    private static readonly char[] Space = [' '];

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var tables = context.AdditionalTextsProvider
            .Where(static file => file.Path.EndsWith("Opcodes.txt", StringComparison.Ordinal))
            .Select(static (file, cancellationToken) => (file.Path, Text: file.GetText(cancellationToken)?.ToString() ?? ""));
        context.RegisterSourceOutput(tables, static (output, table) => Emit(output, table.Path, table.Text));
    }

    private sealed class Row
    {
        public int Code;
        public string Encoding = "";
        public string Mnemonic = "";
        public string Name = "";
        public string Kind = "";
        public int Arg1 = -1;
        public int Arg2 = -1;
        public bool Special;
        public List<string> Operands = [];
        public List<string> Results = [];
        public string Doc = "";
    }

    private static void Emit(SourceProductionContext output, string path, string text)
    {
        var rows = Parse(output, path, text);
        if (rows is null)
        {
            return;
        }
        output.AddSource("Opcode.g.cs", EmitEnum(rows));
        output.AddSource("OpcodeInfo.g.cs", EmitInfo(rows));
        output.AddSource("ImmediateKind.g.cs", EmitImmediateKind());
        output.AddSource("FunctionValidator.g.cs", EmitValidator(rows));
    }

    private static List<Row>? Parse(SourceProductionContext output, string path, string text)
    {
        var rows = new List<Row>();
        var codes = new HashSet<int>();
        var names = new HashSet<string>();
        var ok = true;
        var lines = text.Split('\n');
        for (var lineNumber = 0; lineNumber < lines.Length; lineNumber++)
        {
            var line = lines[lineNumber].TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith("#", StringComparison.Ordinal))
            {
                continue;
            }
            var location = Location.Create(path, new TextSpan(0, 0),
                new LinePositionSpan(new LinePosition(lineNumber, 0), new LinePosition(lineNumber, line.Length)));
            var error = TryParseRow(line, out var row);
            if (error is not null)
            {
                output.ReportDiagnostic(Diagnostic.Create(MalformedRow, location, error));
                ok = false;
                continue;
            }
            if (!codes.Add(row!.Code))
            {
                output.ReportDiagnostic(Diagnostic.Create(DuplicateRow, location, "encoding " + row.Encoding));
                ok = false;
            }
            if (!names.Add(row.Name))
            {
                output.ReportDiagnostic(Diagnostic.Create(DuplicateRow, location, "the name " + row.Name));
                ok = false;
            }
            rows.Add(row);
        }
        return ok ? rows : null;
    }

    private static string? TryParseRow(string line, out Row? row)
    {
        row = null;
        var cells = line.Split('|').Select(cell => cell.Trim()).ToArray();
        if (cells.Length != 5)
        {
            return $"expected 5 cells separated by '|', found {cells.Length}";
        }
        var result = new Row { Encoding = cells[0], Doc = cells[4] };

        var bytes = cells[0].Split(Space, StringSplitOptions.RemoveEmptyEntries);
        if (bytes.Length is < 1 or > 2 || !bytes.All(IsHexByte))
        {
            return $"encoding '{cells[0]}' is not 0xNN or 0xNN 0xNN";
        }
        var first = ParseHex(bytes[0]);
        if (bytes.Length == 2 && first is not (0xFC or 0xFD))
        {
            return $"prefix {bytes[0]} is not 0xFC or 0xFD";
        }
        result.Code = bytes.Length == 1 ? first : (first << 8) | ParseHex(bytes[1]);

        var mnemonic = cells[1];
        var suffix = "";
        var bracket = mnemonic.IndexOf('[');
        if (bracket >= 0)
        {
            suffix = mnemonic.Substring(bracket + 1).TrimEnd(']').Trim();
            mnemonic = mnemonic.Substring(0, bracket).Trim();
        }
        if (mnemonic.Length == 0 || mnemonic.Any(c => !(char.IsLetterOrDigit(c) || c is '.' or '_')))
        {
            return $"mnemonic '{cells[1]}' has characters other than letters, digits, '.' and '_'";
        }
        result.Mnemonic = mnemonic;
        result.Name = PascalCase(mnemonic) + PascalCase(suffix);

        var kind = cells[2].Split(':');
        if (!ImmediateKinds.TryGetValue(kind[0], out var kindName))
        {
            return $"unknown immediate kind '{cells[2]}'";
        }
        result.Kind = kindName;
        var expectedArgs = kind[0] switch { "memarg" or "lane" => 1, "memlane" => 2, _ => 0 };
        if (kind.Length - 1 != expectedArgs)
        {
            return $"immediate kind '{kind[0]}' takes {expectedArgs} ':' argument(s)";
        }
        if (expectedArgs >= 1)
        {
            if (!int.TryParse(kind[1], NumberStyles.None, CultureInfo.InvariantCulture, out result.Arg1))
            {
                return $"'{kind[1]}' is not a number";
            }
        }
        if (expectedArgs == 2 && !int.TryParse(kind[2], NumberStyles.None, CultureInfo.InvariantCulture, out result.Arg2))
        {
            return $"'{kind[2]}' is not a number";
        }

        if (cells[3] == "special")
        {
            result.Special = true;
        }
        else
        {
            var arrow = cells[3].IndexOf("->", StringComparison.Ordinal);
            if (arrow < 0)
            {
                return $"signature '{cells[3]}' has no '->' (or write 'special')";
            }
            foreach (var (list, part) in new[] { (result.Operands, cells[3].Substring(0, arrow)), (result.Results, cells[3].Substring(arrow + 2)) })
            {
                foreach (var type in part.Split(Space, StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!ValueTypes.TryGetValue(type, out var typeName))
                    {
                        return $"unknown value type '{type}' in signature";
                    }
                    list.Add(typeName);
                }
            }
        }
        if (result.Doc.Length == 0)
        {
            return "the doc cell is empty";
        }
        row = result;
        return null;
    }

    private static bool IsHexByte(string text) =>
        text.Length == 4 && text.StartsWith("0x", StringComparison.Ordinal)
        && int.TryParse(text.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out _);

    private static int ParseHex(string text) => int.Parse(text.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static string PascalCase(string text)
    {
        var builder = new StringBuilder();
        foreach (var part in text.Split('.', '_', ' '))
        {
            if (part.Length > 0)
            {
                builder.Append(char.ToUpperInvariant(part[0])).Append(part.Substring(1));
            }
        }
        return builder.ToString();
    }

    private static string Hex(int code) => code > 0xFF ? $"0x{code:X4}" : $"0x{code:X2}";

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static StringBuilder Header(string ns, params string[] usings)
    {
        var source = new StringBuilder()
            .AppendLine("// <auto-generated>Generated by Wasmrun.Generators from Engine/Opcodes.txt; edit the table, not this file.</auto-generated>")
            .AppendLine("#nullable enable");
        foreach (var use in usings)
        {
            source.AppendLine($"using {use};");
        }
        return source.AppendLine($"namespace {ns};").AppendLine();
    }

    private static string EmitEnum(List<Row> rows)
    {
        var source = Header("Wasmrun.Engine");
        source.AppendLine("/// <summary>Every WebAssembly 2.0 instruction. The value is the encoding: the opcode byte, or the prefix byte")
              .AppendLine("/// (0xFC, 0xFD) shifted left by 8 plus the sub-opcode.</summary>")
              .AppendLine("internal enum Opcode : ushort")
              .AppendLine("{");
        foreach (var row in rows)
        {
            source.AppendLine($"    /// <summary><c>{row.Mnemonic}</c>: {Escape(row.Doc)}</summary>")
                  .AppendLine($"    {row.Name} = {Hex(row.Code)},");
        }
        source.AppendLine("}");
        return source.ToString();
    }

    private static string EmitInfo(List<Row> rows)
    {
        var source = Header("Wasmrun.Engine", "Wasmrun.Engine.Decode");
        source.AppendLine("internal static partial class OpcodeInfo")
              .AppendLine("{")
              .AppendLine($"    /// <summary>How many instructions the table defines.</summary>")
              .AppendLine($"    public static int Count => {rows.Count};")
              .AppendLine();

        source.AppendLine("    /// <summary>Every opcode, in table order.</summary>")
              .AppendLine("    public static ReadOnlySpan<Opcode> All => [");
        foreach (var row in rows)
        {
            source.AppendLine($"        Opcode.{row.Name},");
        }
        source.AppendLine("    ];").AppendLine();

        source.AppendLine("    /// <summary>The text-format name, as in the spec and the disassembly.</summary>")
              .AppendLine("    public static string Name(Opcode opcode) => opcode switch")
              .AppendLine("    {");
        foreach (var row in rows)
        {
            source.AppendLine($"        Opcode.{row.Name} => \"{row.Mnemonic}\",");
        }
        source.AppendLine("        _ => $\"<unknown 0x{(ushort)opcode:X}>\",")
              .AppendLine("    };").AppendLine();

        source.AppendLine("    /// <summary>The one-line description from the table.</summary>")
              .AppendLine("    public static string Doc(Opcode opcode) => opcode switch")
              .AppendLine("    {");
        foreach (var row in rows)
        {
            source.AppendLine($"        Opcode.{row.Name} => \"{row.Doc.Replace("\\", "\\\\").Replace("\"", "\\\"")}\",");
        }
        source.AppendLine("        _ => \"\",")
              .AppendLine("    };").AppendLine();

        source.AppendLine("    /// <summary>What follows the opcode in the binary format.</summary>")
              .AppendLine("    public static ImmediateKind Immediates(Opcode opcode) => KindOf((ushort)opcode >> 8, (uint)opcode & 0xFF);")
              .AppendLine();
        source.AppendLine("    /// <summary>The natural alignment (log2 of the access size in bytes) of a memory instruction, else -1.</summary>")
              .AppendLine("    public static int NaturalAlignment(Opcode opcode) => opcode switch")
              .AppendLine("    {");
        foreach (var group in rows.Where(row => row.Kind is "MemArg" or "MemArgLane").GroupBy(row => row.Arg1))
        {
            source.AppendLine($"        {string.Join(" or ", group.Select(row => "Opcode." + row.Name))} => {group.Key},");
        }
        source.AppendLine("        _ => -1,")
              .AppendLine("    };").AppendLine();

        // The decoder asks once per instruction: one table lookup gives both "is it defined" and "what follows".
        var kindNames = ImmediateKinds.Values.Distinct().ToList();
        source.AppendLine("    /// <summary>The immediate kind of an opcode byte (prefix 0) or of a 0xFC/0xFD sub-opcode;")
              .AppendLine("    /// <see cref=\"ImmediateKind.Undefined\"/> when the table has no such instruction.</summary>")
              .AppendLine("    public static ImmediateKind KindOf(int prefix, uint code)")
              .AppendLine("    {")
              .AppendLine("        if (code > 0xFF)")
              .AppendLine("        {")
              .AppendLine("            return ImmediateKind.Undefined;")
              .AppendLine("        }")
              .AppendLine("        return (ImmediateKind)(prefix switch { 0 => SingleByteKinds, 0xFC => PrefixFCKinds, 0xFD => PrefixFDKinds, _ => UndefinedKinds })[(int)code];")
              .AppendLine("    }")
              .AppendLine();
        foreach (var (prefix, table) in new[] { (0, "SingleByteKinds"), (0xFC, "PrefixFCKinds"), (0xFD, "PrefixFDKinds"), (-1, "UndefinedKinds") })
        {
            var kinds = rows.Where(row => (row.Code >> 8) == prefix).ToDictionary(row => row.Code & 0xFF, row => row.Kind);
            source.AppendLine($"    private static ReadOnlySpan<byte> {table} =>")
                  .AppendLine("    [");
            for (var line = 0; line < 16; line++)
            {
                var cells = Enumerable.Range(line * 16, 16)
                    .Select(code => kinds.TryGetValue(code, out var kind) ? $"{kindNames.IndexOf(kind) + 1,2}" : "00");
                source.AppendLine($"        {string.Join(", ", cells)}, // 0x{line * 16:X2}");
            }
            source.AppendLine("    ];").AppendLine();
        }
        return source.ToString().TrimEnd() + "\n}\n";
    }

    private static string EmitImmediateKind()
    {
        var source = Header("Wasmrun.Engine.Decode");
        source.AppendLine("/// <summary>What follows an opcode in the binary format; the opcode table gives every instruction one.</summary>")
              .AppendLine("internal enum ImmediateKind : byte")
              .AppendLine("{")
              .AppendLine("    /// <summary>No instruction has this encoding.</summary>")
              .AppendLine("    Undefined = 0,");
        foreach (var (name, index) in ImmediateKinds.Values.Distinct().Select((name, index) => (name, index)))
        {
            source.AppendLine($"    {name} = {index + 1},");
        }
        source.AppendLine("}");
        return source.ToString();
    }

    private static string EmitValidator(List<Row> rows)
    {
        var source = Header("Wasmrun.Engine.Validate", "Wasmrun.Engine.Decode");
        source.AppendLine("internal sealed partial class FunctionValidator")
              .AppendLine("{")
              .AppendLine("    /// <summary>Checks the immediates and applies the operand signature of every instruction the table types;")
              .AppendLine("    /// returns false for the `special` ones, which the hand-written rules type.</summary>")
              .AppendLine("    private bool ValidateFromTable(in Instruction instruction)")
              .AppendLine("    {")
              .AppendLine("        switch (instruction.Opcode)")
              .AppendLine("        {");
        var groups = rows.Where(row => !row.Special)
            .GroupBy(row => (row.Kind, row.Arg1, row.Arg2, Signature: string.Join(" ", row.Operands) + " -> " + string.Join(" ", row.Results)));
        foreach (var group in groups)
        {
            foreach (var row in group)
            {
                source.AppendLine($"            case Opcode.{row.Name}:");
            }
            var sample = group.First();
            var check = sample.Kind switch
            {
                "MemArg" => $"CheckMemArg(instruction, {sample.Arg1});",
                "MemArgLane" => $"CheckMemArg(instruction, {sample.Arg1}); CheckLane(instruction, {sample.Arg2});",
                "Lane" => $"CheckLane(instruction, {sample.Arg1});",
                "None" or "I32" or "I64" or "F32" or "F64" or "V128" => null,
                _ => $"Check{sample.Kind}(instruction);",
            };
            if (check is not null)
            {
                source.AppendLine($"                {check}");
            }
            for (var i = sample.Operands.Count - 1; i >= 0; i--)
            {
                source.AppendLine($"                PopOperand(ValType.{sample.Operands[i]});");
            }
            foreach (var result in sample.Results)
            {
                source.AppendLine($"                PushOperand(ValType.{result});");
            }
            source.AppendLine("                return true;");
        }
        source.AppendLine("            default:")
              .AppendLine("                return false;")
              .AppendLine("        }")
              .AppendLine("    }")
              .AppendLine("}");
        return source.ToString();
    }
}
