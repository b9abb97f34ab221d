// Parses the opcode table (src/Wasmrun/Engine/Opcodes.txt): one row per instruction, six `|`-separated cells.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Wasmrun.Generators;

/// <summary>How the interpreter lays out an instruction's operands; derived from the immediate kind and signature.</summary>
internal enum Shape
{
    /// <summary>Lowered by hand (the exec cell is `-`).</summary>
    None,
    Unary,
    Binary,
    Ternary,
    Load,
    Store,
    LoadLane,
    StoreLane,
    LaneExtract,
    LaneReplace,
    Shuffle,
}

internal sealed class OpcodeRow
{
    public int Code;

    /// <summary>The row's 0-based line in Opcodes.txt, its text, and where its exec cell starts: the generated code
    /// carries `#line` back to them.</summary>
    public int Line;
    public string Text = "";
    public int ExecColumn;
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

    // The exec cell.
    public Shape Shape;
    public bool Hot;
    public bool Commutative;
    public bool FusedBranch;
    public List<(string Condition, string Trap)> Guards = [];
    public string Expression = "";
    public string MemoryType = "";
    public string? MemoryTransform;

    public string Result => Results.Count == 1 ? Results[0] : "";
}

internal static class OpcodeTable
{
    public static readonly DiagnosticDescriptor MalformedRow = new(
        "WRG001", "Malformed opcode table row", "Opcode table row is malformed: {0}", "Wasmrun.Generators",
        DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateRow = new(
        "WRG002", "Duplicate opcode", "Opcode table defines {0} twice", "Wasmrun.Generators",
        DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>Immediate kinds of the table and the generated ImmediateKind member each maps to.</summary>
    public static readonly Dictionary<string, string> ImmediateKinds = new()
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
        ["tag"] = "Tag",
        ["type"] = "Type",
        ["br_on_cast"] = "BrOnCast",
        ["try_table"] = "TryTable",
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

    public static readonly Dictionary<string, string> ValueTypes = new()
    {
        ["i32"] = "I32",
        ["i64"] = "I64",
        ["f32"] = "F32",
        ["f64"] = "F64",
        ["v128"] = "V128",
        ["funcref"] = "FuncRef",
        ["externref"] = "ExternRef",
        // Address operands, typed by the memory or table the instruction names (i64 for a 64-bit one, 3.0): the
        // validator asks FunctionValidator.AddressType, SourceAddressType and CopyLengthType.
        ["at"] = "Address",
        ["at2"] = "SourceAddress",
        ["len"] = "CopyLength",
    };

    /// <summary>The validator's expression for an operand type of <see cref="ValueTypes"/>.</summary>
    public static string ValidatorType(string type) => type switch
    {
        "Address" => "AddressType(instruction)",
        "SourceAddress" => "SourceAddressType(instruction)",
        "CopyLength" => "CopyLengthType(instruction)",
        _ => "ValType." + type,
    };

    /// <summary>Bytes read or written by the C# types a memory row names.</summary>
    public static readonly Dictionary<string, int> MemoryTypeSizes = new()
    {
        ["sbyte"] = 1,
        ["byte"] = 1,
        ["short"] = 2,
        ["ushort"] = 2,
        ["int"] = 4,
        ["uint"] = 4,
        ["float"] = 4,
        ["long"] = 8,
        ["ulong"] = 8,
        ["double"] = 8,
        ["Vector128<byte>"] = 16,
    };

    private static readonly char[] Space = [' '];

    public static List<OpcodeRow>? Parse(SourceProductionContext output, string path, string text)
    {
        var rows = new List<OpcodeRow>();
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
            row!.Line = lineNumber;
            row.Text = line;
            row.ExecColumn = ExecColumn(line);
            if (!codes.Add(row.Code))
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

    private static string? TryParseRow(string line, out OpcodeRow? row)
    {
        row = null;
        // `\|` stands for a `|` inside a cell (C#'s or).
        var cells = line.Replace("\\|", "\u0001").Split('|').Select(cell => cell.Replace('\u0001', '|').Trim()).ToArray();
        if (cells.Length != 6)
        {
            return $"expected 6 cells separated by '|', found {cells.Length}";
        }
        var result = new OpcodeRow { Encoding = cells[0], Doc = cells[5] };

        var bytes = cells[0].Split(Space, StringSplitOptions.RemoveEmptyEntries);
        if (bytes.Length is < 1 or > 2 || !IsHex(bytes[0], 2) || (bytes.Length == 2 && !IsHex(bytes[1], 3)))
        {
            return $"encoding '{cells[0]}' is not 0xNN or 0xNN 0xNN (a sub-opcode may have 3 digits, up to 0x1FF)";
        }
        var first = ParseHex(bytes[0]);
        if (bytes.Length == 2 && first is not (0xFB or 0xFC or 0xFD))
        {
            return $"prefix {bytes[0]} is not 0xFB, 0xFC or 0xFD";
        }
        if (bytes.Length == 2 && ParseHex(bytes[1]) > MaxSubOpcode)
        {
            return $"sub-opcode {bytes[1]} is past 0x1FF";
        }
        result.Code = bytes.Length == 1 ? first : (first << 16) | ParseHex(bytes[1]);

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
        if (expectedArgs >= 1 && !int.TryParse(kind[1], NumberStyles.None, CultureInfo.InvariantCulture, out result.Arg1))
        {
            return $"'{kind[1]}' is not a number";
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
        var execError = ParseExec(cells[4], result);
        if (execError is not null)
        {
            return execError;
        }
        if (result.Doc.Length == 0)
        {
            return "the doc cell is empty";
        }
        row = result;
        return null;
    }

    /// <summary>
    /// The exec cell: `-` (lowered by hand), `simd` (a call of Simd.{Name}), `load T [=> F]`, `store T`,
    /// `loadlane T => F`, `storelane T => F`, or `[flags:] [guard COND => Trap;]... EXPRESSION` over the operands
    /// a, b, c. Flags: hot (in the main dispatch switch), comm (commutative), br (gets fused compare-and-branch forms).
    /// </summary>
    private static string? ParseExec(string exec, OpcodeRow row)
    {
        if (exec == "-")
        {
            return null;
        }
        if (row.Special)
        {
            return "a `special` row must have `-` as its exec cell";
        }
        var text = exec;
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0 && text.Substring(0, colon).Split(',').All(flag => flag.Trim() is "hot" or "comm" or "br"))
        {
            foreach (var flag in text.Substring(0, colon).Split(',').Select(f => f.Trim()))
            {
                row.Hot |= flag == "hot";
                row.Commutative |= flag == "comm";
                row.FusedBranch |= flag == "br";
            }
            text = text.Substring(colon + 2).Trim();
        }
        var words = text.Split(Space, 2);
        if (words[0] is "load" or "store" or "loadlane" or "storelane")
        {
            var rest = words.Length > 1 ? words[1] : "";
            var arrow = rest.IndexOf("=>", StringComparison.Ordinal);
            row.MemoryType = (arrow < 0 ? rest : rest.Substring(0, arrow)).Trim();
            row.MemoryTransform = arrow < 0 ? null : rest.Substring(arrow + 2).Trim();
            if (!MemoryTypeSizes.ContainsKey(row.MemoryType))
            {
                return $"unknown memory type '{row.MemoryType}'";
            }
            if ((words[0] is "loadlane" or "storelane") && row.MemoryTransform is null)
            {
                return $"{words[0]} needs `=> Helper`";
            }
            row.Shape = words[0] switch { "load" => Shape.Load, "store" => Shape.Store, "loadlane" => Shape.LoadLane, _ => Shape.StoreLane };
            var expected = row.Shape is Shape.LoadLane or Shape.StoreLane ? "MemArgLane" : "MemArg";
            return row.Kind == expected ? null : $"`{words[0]}` needs immediates {expected}";
        }
        foreach (var part in text.Split(';').Select(p => p.Trim()).Where(p => p.Length > 0))
        {
            if (part.StartsWith("guard ", StringComparison.Ordinal))
            {
                var arrow = part.IndexOf("=>", StringComparison.Ordinal);
                if (arrow < 0)
                {
                    return $"guard '{part}' has no '=> TrapCode'";
                }
                row.Guards.Add((part.Substring(6, arrow - 6).Trim(), part.Substring(arrow + 2).Trim()));
            }
            else
            {
                row.Expression = part;
            }
        }
        if (row.Expression.Length == 0)
        {
            return "the exec cell has no expression";
        }
        row.Shape = row.Kind switch
        {
            "Lane" => row.Operands.Count == 1 ? Shape.LaneExtract : Shape.LaneReplace,
            "Shuffle" => Shape.Shuffle,
            "None" => row.Operands.Count switch { 1 => Shape.Unary, 2 => Shape.Binary, 3 => Shape.Ternary, _ => Shape.None },
            _ => Shape.None,
        };
        if (row.Shape == Shape.None || row.Results.Count != 1)
        {
            return "an exec expression needs one to three operands, one result and no immediates other than lanes";
        }
        if (row.Expression == "simd")
        {
            var arguments = row.Shape switch
            {
                Shape.Unary => "a",
                Shape.Binary => "a, b",
                Shape.Ternary => "a, b, c",
                Shape.LaneExtract => "a, lane",
                Shape.LaneReplace => "a, lane, b",
                _ => "a, b, lanes",
            };
            row.Expression = $"Simd.{row.Name}({arguments})";
        }
        if (row.FusedBranch && !row.Expression.EndsWith(" ? 1 : 0", StringComparison.Ordinal))
        {
            return "a `br` row's expression must be a condition written `COND ? 1 : 0`";
        }
        return null;
    }

    /// <summary>Where the fifth cell's text starts (after four unescaped `|`).</summary>
    private static int ExecColumn(string line)
    {
        var bars = 0;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '|' && (i == 0 || line[i - 1] != '\\') && ++bars == 4)
            {
                var start = i + 1;
                while (start < line.Length && line[start] == ' ')
                {
                    start++;
                }
                return start;
            }
        }
        return 0;
    }

    /// <summary>The column of a piece of a row's exec cell (as parsed, `|` unescaped), or the cell's start.</summary>
    public static int ColumnOf(OpcodeRow row, string piece)
    {
        var at = row.Text.IndexOf(piece.Replace("|", "\\|"), row.ExecColumn, StringComparison.Ordinal);
        return at < 0 ? row.ExecColumn : at;
    }

    /// <summary>Sub-opcodes the generated tables hold (relaxed SIMD's reach 0x113).</summary>
    public const int MaxSubOpcode = 0x1FF;

    private static bool IsHex(string text, int maxDigits) =>
        text.Length >= 4 && text.Length <= 2 + maxDigits && text.StartsWith("0x", StringComparison.Ordinal)
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
}
