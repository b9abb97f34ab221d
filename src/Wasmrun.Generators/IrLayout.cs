// The operands of one IR instruction, named and typed once: `(dst: result, src: slot)`. From a layout the generator
// emits both the translator's builder (`Emit.Copy(dst, src)`) and the handler's locals (`int dst = ip->A;`), so the
// field an operand lives in is written nowhere else.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Wasmrun.Generators;

internal enum OperandKind
{
    /// <summary>The slot the instruction writes its result to, always field A: a local.set right after may retarget it.</summary>
    Result,

    /// <summary>A slot the instruction reads.</summary>
    Slot,

    /// <summary>The first of consecutive operand slots, read, and the results written over them.</summary>
    Slots,

    /// <summary>A branch offset relative to the instruction, always field A; the translator binds it later.</summary>
    Target,

    /// <summary>A count of what follows (br_table's labels).</summary>
    Count,

    /// <summary>32 bits of a constant.</summary>
    I32,

    /// <summary>An unsigned 32-bit immediate (a memory offset).</summary>
    U32,

    /// <summary>16 bytes: a whole instruction word of its own.</summary>
    V128,

    /// <summary>An index of the module's functions, types, globals, tables, data or element segments.</summary>
    Index,
}

internal sealed class IrOperand(string name, OperandKind kind, string kindText, int field)
{
    public string Name { get; } = name;

    public OperandKind Kind { get; } = kind;

    /// <summary>The kind as written (`table`, `elem`, ...), for docs.</summary>
    public string KindText { get; } = kindText;

    /// <summary>0, 1, 2 = A, B, C of the instruction; 3.. the fields of the words that follow. A v128 takes word Field / 3.</summary>
    public int Field { get; } = field;

    public bool InBuilder => Kind != OperandKind.Target;

    public string FieldName => "ABC"[Field % 3].ToString();

    public int Word => Field / 3;

    /// <summary>Where a handler reads the operand, relative to `ip`.</summary>
    public string Access => Word == 0 ? $"ip->{FieldName}" : $"ip[{Word}].{FieldName}";

    public string LocalType => Kind switch
    {
        OperandKind.U32 => "uint",
        OperandKind.V128 => "Vector128<byte>",
        _ => "int",
    };

    public string LocalValue => Kind switch
    {
        OperandKind.U32 => $"(uint){Access}",
        OperandKind.V128 => $"Unsafe.ReadUnaligned<Vector128<byte>>(ip + {Word})",
        _ => Access,
    };

    public string BuilderType => Kind switch
    {
        OperandKind.U32 or OperandKind.Index => "uint",
        OperandKind.V128 => "V128",
        _ => "int",
    };

    public string Stored => Kind is OperandKind.U32 or OperandKind.Index ? $"(int){Name}" : Name;
}

internal sealed class IrLayout
{
    private static readonly Dictionary<string, OperandKind> Kinds = new()
    {
        ["result"] = OperandKind.Result,
        ["slot"] = OperandKind.Slot,
        ["slots"] = OperandKind.Slots,
        ["target"] = OperandKind.Target,
        ["count"] = OperandKind.Count,
        ["i32"] = OperandKind.I32,
        ["u32"] = OperandKind.U32,
        ["v128"] = OperandKind.V128,
        ["func"] = OperandKind.Index,
        ["type"] = OperandKind.Index,
        ["global"] = OperandKind.Index,
        ["table"] = OperandKind.Index,
        ["data"] = OperandKind.Index,
        ["elem"] = OperandKind.Index,
    };

    public static readonly IrLayout Empty = new([], 1);

    private IrLayout(List<IrOperand> operands, int words)
    {
        Operands = operands;
        Words = words;
    }

    public List<IrOperand> Operands { get; }

    /// <summary>Instruction words (16 bytes each) the instruction takes.</summary>
    public int Words { get; }

    /// <summary>A fusable producer: one word whose field A is its result (multi-word instructions never were).</summary>
    public bool Producer => Words == 1 && Operands.Count > 0 && Operands[0].Kind == OperandKind.Result;

    public IrOperand this[string name] => Operands.First(operand => operand.Name == name);

    public bool Has(string name) => Operands.Any(operand => operand.Name == name);

    /// <summary>Parses `name: kind, ...` (without the parentheses); `_` leaves a field unused. Operands fill A, B, C,
    /// then the next word's A, B, C; a v128 starts a word of its own.</summary>
    public static string? TryParse(string text, out IrLayout layout)
    {
        layout = Empty;
        var operands = new List<IrOperand>();
        var field = 0;
        foreach (var part in text.Split(',').Select(p => p.Trim()))
        {
            if (part.Length == 0 && text.Trim().Length == 0)
            {
                break;
            }
            if (part == "_")
            {
                field++;
                continue;
            }
            var colon = part.IndexOf(':');
            var name = colon < 0 ? part : part.Substring(0, colon).Trim();
            var kindText = colon < 0 ? "" : part.Substring(colon + 1).Trim();
            if (name.Length == 0 || !(char.IsLetter(name[0]) && name.All(char.IsLetterOrDigit)))
            {
                return $"operand '{part}' is not `name: kind`";
            }
            if (!Kinds.TryGetValue(kindText, out var kind))
            {
                return $"operand '{name}' has the unknown kind '{kindText}' (known: {string.Join(", ", Kinds.Keys)})";
            }
            if (operands.Any(o => o.Name == name))
            {
                return $"operand '{name}' is named twice";
            }
            if (kind is OperandKind.Result or OperandKind.Target && field != 0)
            {
                return $"operand '{name}' is a {kindText}, which the translator finds in field A: it must come first";
            }
            if (kind == OperandKind.V128)
            {
                field = Math.Max(3, (field + 2) / 3 * 3);
                operands.Add(new IrOperand(name, kind, kindText, field));
                field += 3;
                continue;
            }
            operands.Add(new IrOperand(name, kind, kindText, field++));
        }
        layout = new IrLayout(operands, Math.Max(1, (field + 2) / 3));
        return null;
    }

    /// <summary>The handler's locals: one per operand, read from its field.</summary>
    public IEnumerable<string> Locals(Func<IrOperand, bool>? which = null) =>
        Operands.Where(which ?? (_ => true)).Select(operand => $"{operand.LocalType} {operand.Name} = {operand.LocalValue};");

    /// <summary>"A = dst (result), B = src (slot)", for docs.</summary>
    public string Describe() => string.Join(", ", Operands.Select(operand =>
        $"{(operand.Kind == OperandKind.V128 ? $"word {operand.Word}" : (operand.Word == 0 ? "" : $"[{operand.Word}].") + operand.FieldName)} = {operand.Name} ({operand.KindText})"));

    /// <summary>The builder's parameter list; `op` first for a builder shared by many IR instructions.</summary>
    public string Parameters(bool withOp) => string.Join(", ",
        (withOp ? ["IrOp op"] : Array.Empty<string>()).Concat(Operands.Where(o => o.InBuilder).Select(o => $"{o.BuilderType} {o.Name}")));

    /// <summary>The builder's body: append the words, mark a producer, return the first word's index.</summary>
    public void AppendBuilderBody(StringBuilder source, string op, string pad)
    {
        for (var word = 0; word < Words; word++)
        {
            var vector = Operands.FirstOrDefault(o => o.Kind == OperandKind.V128 && o.Word == word);
            var call = vector is not null
                ? $"translator.AppendVector({vector.Name});"
                : $"translator.Append({(word == 0 ? op : "IrOp.None")}, {Field(word * 3)}, {Field(word * 3 + 1)}, {Field(word * 3 + 2)});";
            source.AppendLine(word == 0 ? $"{pad}var at = {call}" : $"{pad}{call}");
        }
        source.AppendLine(Producer ? $"{pad}return translator.lastProducer = at;" : $"{pad}return at;");
    }

    private string Field(int field) => Operands.FirstOrDefault(o => o.Field == field && o.InBuilder && o.Kind != OperandKind.V128)?.Stored ?? "0";
}
