// The decoded module: immutable and shareable; validation, translation and instantiation read it, never change it.
// Index spaces (functions, tables, memories, globals) start with the imports, as in the spec (2.5.1).
using System.Collections.Immutable;

namespace Wasmrun.Engine;

internal sealed class Module
{
    /// <summary>The module's bytes; code bodies and data segments are ranges of it.</summary>
    public required ReadOnlyMemory<byte> Bytes { get; init; }

    public required ImmutableArray<SectionInfo> Sections { get; init; }

    public required ImmutableArray<FuncType> Types { get; init; }

    /// <summary>How each type is declared (3.0): its recursive group, whether it is final, its supertype.</summary>
    public required ImmutableArray<TypeDeclaration> Declarations { get; init; }

    private ImmutableArray<int> typeIds;

    /// <summary>The canonical id of each type (<see cref="TypeRegistry"/>): equal ids, equivalent types. Only for a
    /// module whose type section validated.</summary>
    public ImmutableArray<int> TypeIds => typeIds.IsDefault ? typeIds = TypeRegistry.Canonicalize(Types, Declarations) : typeIds;

    /// <summary>A type of the module with its defined type, if any, by canonical id: comparable across modules.</summary>
    public ValType Canonical(ValType type) =>
        type.Heap == HeapKind.TypeIndex ? ValType.Ref(HeapKind.Defined, (uint)TypeIds[(int)type.TypeIndex], type.Nullable) : type;

    /// <summary>3.0 subtyping between two types of the module.</summary>
    public bool Matches(ValType actual, ValType expected) => TypeRegistry.Matches(Canonical(actual), Canonical(expected));

    public required ImmutableArray<Import> Imports { get; init; }

    /// <summary>Type index of every function, imported ones first.</summary>
    public required ImmutableArray<uint> FunctionTypeIndices { get; init; }

    /// <summary>Every table, imported ones first.</summary>
    public required ImmutableArray<TableType> Tables { get; init; }

    /// <summary>Initialisers of the tables the module defines (3.0; index i is table ImportedTableCount + i): null
    /// for a table whose elements start null.</summary>
    public required ImmutableArray<ConstExpr?> TableInitializers { get; init; }

    /// <summary>Every memory, imported ones first.</summary>
    public required ImmutableArray<MemoryType> Memories { get; init; }

    /// <summary>Every tag's type index (3.0 exception handling), imported ones first.</summary>
    public required ImmutableArray<uint> Tags { get; init; }

    /// <summary>Every global's type, imported ones first.</summary>
    public required ImmutableArray<GlobalType> Globals { get; init; }

    /// <summary>Initialisers of the globals the module defines (index i is global ImportedGlobalCount + i).</summary>
    public required ImmutableArray<ConstExpr> GlobalInitializers { get; init; }

    public required ImmutableArray<Export> Exports { get; init; }

    public required uint? StartFunction { get; init; }

    public required ImmutableArray<ElementSegment> Elements { get; init; }

    public required uint? DataCount { get; init; }

    /// <summary>Bodies of the functions the module defines (index i is function ImportedFunctionCount + i).</summary>
    public required ImmutableArray<FunctionBody> Bodies { get; init; }

    public required ImmutableArray<DataSegment> Data { get; init; }

    public required ImmutableArray<CustomSection> CustomSections { get; init; }

    public required NameSection Names { get; init; }

    public required int ImportedFunctionCount { get; init; }

    public required int ImportedTableCount { get; init; }

    public required int ImportedMemoryCount { get; init; }

    public required int ImportedGlobalCount { get; init; }

    public required int ImportedTagCount { get; init; }

    public int FunctionCount => FunctionTypeIndices.Length;

    /// <summary>The type of a function by its index; null when either index is out of range.</summary>
    public FuncType? FunctionType(uint function) =>
        function < (uint)FunctionTypeIndices.Length && FunctionTypeIndices[(int)function] < (uint)Types.Length
            ? Types[(int)FunctionTypeIndices[(int)function]]
            : null;

    public ReadOnlySpan<byte> Span(int start, int length) => Bytes.Span.Slice(start, length);

    /// <summary>The module name of WASI preview 1, and of its first snapshot (only functions whose ABI did not change
    /// are offered there).</summary>
    public const string WasiPreview1 = "wasi_snapshot_preview1", WasiUnstable = "wasi_unstable";

    /// <summary>Whether the module imports anything from the named module.</summary>
    public bool ImportsFrom(string moduleName) => Imports.Any(import => import.ModuleName == moduleName);

    /// <summary>Whether the module is a WASI program: it imports WASI functions under either module name.</summary>
    public bool ImportsWasi => ImportsFrom(WasiPreview1) || ImportsFrom(WasiUnstable);

    /// <summary>"env.log (func (i32) -> i32)", "env.memory (memory 1..)": an import as every message names it.</summary>
    public string Describe(Import import) => $"{import.ModuleName}.{import.Name} ({import.Kind.Name()} {import.Kind switch
    {
        ExternalKind.Function => Types[(int)import.TypeIndex].ToString(),
        ExternalKind.Table => $"{import.Table.Limits} {import.Table.ElementType.Name()}",
        ExternalKind.Memory => import.Memory.Limits.ToString(),
        ExternalKind.Tag => Types[(int)import.TypeIndex].ToString(),
        _ => import.Global.ToString(),
    }})";

    /// <summary>What to call a function: its name-section name, else "module.name" of its import, else its first
    /// export name; null when it has none of these.</summary>
    public string? FunctionDisplayName(uint index)
    {
        if (Names.FunctionName(index) is { } name)
        {
            return name;
        }
        if (index < (uint)ImportedFunctionCount)
        {
            var import = Imports.Where(i => i.Kind == ExternalKind.Function).ElementAt((int)index);
            return $"{import.ModuleName}.{import.Name}";
        }
        return Exports.FirstOrDefault(e => e.Kind == ExternalKind.Function && e.Index == index)?.Name;
    }
}

internal readonly record struct SectionInfo(SectionId Id, string? CustomName, int Offset, int ContentOffset, int Size);

internal sealed record Import(string ModuleName, string Name, ExternalKind Kind, int Offset)
{
    /// <summary>For a function or tag import: its type index.</summary>
    public uint TypeIndex { get; init; }

    public TableType Table { get; init; }

    public MemoryType Memory { get; init; }

    public GlobalType Global { get; init; }
}

internal sealed record Export(string Name, ExternalKind Kind, uint Index, int Offset);

/// <summary>A constant expression (spec 3.3.10). Decoded with its first instruction: once validated it is one of
/// t.const, ref.null, ref.func or global.get followed by end, or (<see cref="Extended"/>) integer arithmetic on them. The function-index forms of element segments
/// become ref.func expressions with no encoded instructions (<see cref="IsFunctionIndex"/>).</summary>
internal readonly record struct ConstExpr(int Start, int End, Opcode Opcode, ulong Bits, V128 Vector, uint Index, ValType Type)
{
    public bool IsFunctionIndex { get; private init; }

    /// <summary>More than one instruction before its end (3.0 extended constant expressions: i32/i64 add, sub, mul):
    /// evaluated by running its instructions; otherwise the first instruction is the whole expression.</summary>
    public bool Extended { get; init; }

    public static ConstExpr FunctionIndex(uint function, int offset) =>
        new(offset, offset, Opcode.RefFunc, 0, default, function, ValType.FuncRef) { IsFunctionIndex = true };
}

internal enum SegmentMode : byte
{
    Active,
    Passive,
    Declarative,
}

/// <summary>An element segment; the function-index forms are decoded as ref.func expressions.</summary>
internal sealed record ElementSegment(SegmentMode Mode, uint TableIndex, ConstExpr Offset, ValType Type, ImmutableArray<ConstExpr> Items, int Position);

internal sealed record DataSegment(SegmentMode Mode, uint MemoryIndex, ConstExpr Offset, int DataStart, int DataLength, int Position);

/// <summary>A run of locals of one type: the binary format compresses locals this way, and so do we, since a
/// body may declare up to 2^32 - 1 of them.</summary>
internal readonly record struct LocalRun(uint Count, ValType Type);

/// <summary>A function body: its local declarations and where its instructions are.</summary>
internal sealed record FunctionBody(int Offset, ImmutableArray<LocalRun> Locals, ulong LocalCount, int CodeStart, int End);

internal sealed record CustomSection(string Name, int Offset, int ContentStart, int ContentLength);

/// <summary>Names from the `name` custom section (for backtraces and inspect). A damaged name section is
/// not an error of the module (custom sections never are): <see cref="Problem"/> says what was wrong.</summary>
internal sealed class NameSection
{
    public static readonly NameSection None = new();

    public string? ModuleName { get; init; }

    public IReadOnlyDictionary<uint, string> Functions { get; init; } = new Dictionary<uint, string>();

    public IReadOnlyDictionary<uint, IReadOnlyDictionary<uint, string>> Locals { get; init; } = new Dictionary<uint, IReadOnlyDictionary<uint, string>>();

    public string? Problem { get; init; }

    public string? FunctionName(uint index) => Functions.TryGetValue(index, out var name) ? name : null;
}
