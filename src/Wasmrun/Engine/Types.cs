// The WebAssembly type vocabulary shared by every room of the engine (spec 2.3 Types).
using System.Collections.Immutable;

namespace Wasmrun.Engine;

/// <summary>What kind of value a type holds; the value is the binary encoding of the number and vector types.</summary>
internal enum ValKind : byte
{
    /// <summary>The validator's bottom type: an operand popped from the polymorphic stack after unreachable code.</summary>
    Unknown = 0,
    I32 = 0x7F,
    I64 = 0x7E,
    F32 = 0x7D,
    F64 = 0x7C,
    V128 = 0x7B,
    Ref = 0x64,
}

/// <summary>What a reference points at (3.0): an abstract heap type, whose value is its binary encoding, or a type
/// the module defines.</summary>
internal enum HeapKind : byte
{
    /// <summary>The validator's bottom heap type: the heap type of an unknown reference in unreachable code.</summary>
    Bottom = 0,

    /// <summary>A type of the module by its index, as written: how the text parser, the decoded module and the
    /// validator name defined types.</summary>
    TypeIndex = 1,

    /// <summary>A defined type by its canonical id (<see cref="TypeRegistry"/>): what Module.Canonical makes of a
    /// type index, comparable across modules (imports, runtime tables and globals).</summary>
    Defined = 2,

    /// <summary>A member of the recursive type group being canonicalised, by its place in the group.</summary>
    RecIndex = 3,
    NoExn = 0x74,
    NoFunc = 0x73,
    NoExtern = 0x72,
    None = 0x71,
    Func = 0x70,
    Extern = 0x6F,
    Any = 0x6E,
    Eq = 0x6D,
    I31 = 0x6C,
    Struct = 0x6B,
    Array = 0x6A,
    Exn = 0x69,
}

/// <summary>A value type: a number, a vector, or a reference (its heap type and whether null is one of its values).
/// One 64-bit word, so equality and copies cost what the byte enum it replaced did.</summary>
internal readonly struct ValType : IEquatable<ValType>
{
    private readonly ulong bits;

    private ValType(ulong bits) => this.bits = bits;

    public static readonly ValType Unknown;
    public static readonly ValType I32 = Of(ValKind.I32), I64 = Of(ValKind.I64), F32 = Of(ValKind.F32), F64 = Of(ValKind.F64), V128 = Of(ValKind.V128);
    public static readonly ValType FuncRef = Ref(HeapKind.Func, nullable: true);
    public static readonly ValType ExternRef = Ref(HeapKind.Extern, nullable: true);

    /// <summary>A caught exception (3.0 exception handling): what catch_ref gives and throw_ref rethrows.</summary>
    public static readonly ValType ExnRef = Ref(HeapKind.Exn, nullable: true);

    public static ValType Of(ValKind kind) => new((ulong)kind);

    /// <summary>A reference to an abstract heap type.</summary>
    public static ValType Ref(HeapKind heap, bool nullable) => new((ulong)ValKind.Ref | (ulong)heap << 8 | (nullable ? 1UL << 16 : 0));

    /// <summary>A reference to a defined type: by its index in the module (<see cref="HeapKind.TypeIndex"/>) or by
    /// its canonical id (<see cref="HeapKind.Defined"/>).</summary>
    public static ValType Ref(HeapKind heap, uint type, bool nullable) => new(Ref(heap, nullable).bits | (ulong)type << 32);

    public ValKind Kind => (ValKind)(byte)bits;

    public HeapKind Heap => (HeapKind)(byte)(bits >> 8);

    public bool Nullable => (bits & 1UL << 16) != 0;

    /// <summary>For a reference to a defined type: its index or canonical id.</summary>
    public uint TypeIndex => (uint)(bits >> 32);

    public bool IsReference => Kind == ValKind.Ref;

    public bool IsNumericOrVector => Kind is ValKind.I32 or ValKind.I64 or ValKind.F32 or ValKind.F64 or ValKind.V128;

    /// <summary>Whether a local of the type starts with a value (3.0): every type but a non-nullable reference.</summary>
    public bool IsDefaultable => !IsReference || Nullable;

    public ValType AsNullable(bool nullable) => new(nullable ? bits | 1UL << 16 : bits & ~(1UL << 16));

    public bool Equals(ValType other) => bits == other.bits;

    public override bool Equals(object? obj) => obj is ValType other && Equals(other);

    public override int GetHashCode() => bits.GetHashCode();

    public static bool operator ==(ValType left, ValType right) => left.bits == right.bits;

    public static bool operator !=(ValType left, ValType right) => left.bits != right.bits;

    public override string ToString() => this.Name();
}

internal static class ValTypes
{
    public static bool IsReference(this ValType type) => type.IsReference;

    /// <summary>The 64-bit slots a value of the type takes on the value stack, in frames and in host calls: the one
    /// place that knows a v128 takes two.</summary>
    public static int Slots(this ValType type) => type.Kind == ValKind.V128 ? 2 : 1;

    public static int Slots(this ImmutableArray<ValType> types)
    {
        var slots = 0;
        foreach (var type in types)
        {
            slots += type.Slots();
        }
        return slots;
    }

    public static bool IsNumericOrVector(this ValType type) => type.IsNumericOrVector;

    /// <summary>The text format's name: "i32", "funcref", "(ref null $3)" (a defined type by its index or, once
    /// canonical, its id), "(ref func)".</summary>
    public static string Name(this ValType type) => type.Kind switch
    {
        ValKind.I32 => "i32",
        ValKind.I64 => "i64",
        ValKind.F32 => "f32",
        ValKind.F64 => "f64",
        ValKind.V128 => "v128",
        ValKind.Ref when type.Nullable && HeapShorthand(type.Heap) is { } shorthand => shorthand,
        ValKind.Ref => $"(ref {(type.Nullable ? "null " : "")}{HeapName(type)})",
        _ => "unknown",
    };

    /// <summary>"func", "extern", "$3": the heap type as the text format writes it.</summary>
    public static string HeapName(ValType type) => type.Heap switch
    {
        HeapKind.TypeIndex or HeapKind.Defined => $"${type.TypeIndex}",
        HeapKind.Bottom => "bot",
        HeapKind.NoExn => "noexn",
        HeapKind.NoFunc => "nofunc",
        HeapKind.NoExtern => "noextern",
        HeapKind.None => "none",
        HeapKind.Func => "func",
        HeapKind.Extern => "extern",
        HeapKind.Any => "any",
        HeapKind.Eq => "eq",
        HeapKind.I31 => "i31",
        HeapKind.Struct => "struct",
        HeapKind.Array => "array",
        _ => "exn",
    };

    /// <summary>An abstract heap type by its text keyword ("func", "any", "noextern"); null for any other word.</summary>
    public static HeapKind? AbstractHeap(ReadOnlySpan<char> word) => word switch
    {
        "func" => HeapKind.Func,
        "extern" => HeapKind.Extern,
        "exn" => HeapKind.Exn,
        "any" => HeapKind.Any,
        "eq" => HeapKind.Eq,
        "i31" => HeapKind.I31,
        "struct" => HeapKind.Struct,
        "array" => HeapKind.Array,
        "none" => HeapKind.None,
        "nofunc" => HeapKind.NoFunc,
        "noextern" => HeapKind.NoExtern,
        "noexn" => HeapKind.NoExn,
        _ => null,
    };

    /// <summary>"funcref" for (ref null func) and its like: the short name of a nullable abstract reference type.</summary>
    private static string? HeapShorthand(HeapKind heap) => heap switch
    {
        HeapKind.NoExn => "nullexnref",
        HeapKind.NoFunc => "nullfuncref",
        HeapKind.NoExtern => "nullexternref",
        HeapKind.None => "nullref",
        HeapKind.Func => "funcref",
        HeapKind.Extern => "externref",
        HeapKind.Any => "anyref",
        HeapKind.Eq => "eqref",
        HeapKind.I31 => "i31ref",
        HeapKind.Struct => "structref",
        HeapKind.Array => "arrayref",
        HeapKind.Exn => "exnref",
        _ => null,
    };

    /// <summary>One-element arrays per type, so a block typed by a single value type allocates nothing.</summary>
    public static ImmutableArray<ValType> Single(ValType type) => type.Kind switch
    {
        ValKind.I32 => SingleI32,
        ValKind.I64 => SingleI64,
        ValKind.F32 => SingleF32,
        ValKind.F64 => SingleF64,
        ValKind.V128 => SingleV128,
        _ when type == ValType.FuncRef => SingleFuncRef,
        _ when type == ValType.ExternRef => SingleExternRef,
        _ => [type],
    };

    private static readonly ImmutableArray<ValType> SingleI32 = [ValType.I32];
    private static readonly ImmutableArray<ValType> SingleI64 = [ValType.I64];
    private static readonly ImmutableArray<ValType> SingleF32 = [ValType.F32];
    private static readonly ImmutableArray<ValType> SingleF64 = [ValType.F64];
    private static readonly ImmutableArray<ValType> SingleV128 = [ValType.V128];
    private static readonly ImmutableArray<ValType> SingleFuncRef = [ValType.FuncRef];
    private static readonly ImmutableArray<ValType> SingleExternRef = [ValType.ExternRef];
}

/// <summary>A function type: parameters and results (spec 2.3.5). Compared structurally, as call_indirect and linking do.</summary>
internal sealed class FuncType(ImmutableArray<ValType> parameters, ImmutableArray<ValType> results) : IEquatable<FuncType>
{
    public static readonly FuncType Empty = new([], []);

    public ImmutableArray<ValType> Parameters { get; } = parameters;

    public ImmutableArray<ValType> Results { get; } = results;

    /// <summary>Slots the arguments take in the callee's frame.</summary>
    public int ParameterSlots { get; } = parameters.Slots();

    /// <summary>Slots the results take, written over the arguments when the call returns.</summary>
    public int ResultSlots { get; } = results.Slots();

    /// <summary>Slots a call's frame needs for its arguments and then its results.</summary>
    public int CallSlots => Math.Max(ParameterSlots, ResultSlots);

    public bool Equals(FuncType? other) =>
        other is not null && Parameters.AsSpan().SequenceEqual(other.Parameters.AsSpan()) && Results.AsSpan().SequenceEqual(other.Results.AsSpan());

    public override bool Equals(object? obj) => Equals(obj as FuncType);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var type in Parameters)
        {
            hash.Add(type);
        }
        hash.Add(-1);
        foreach (var type in Results)
        {
            hash.Add(type);
        }
        return hash.ToHashCode();
    }

    /// <summary>"(i32, i64) -> f32", the form used by inspect and error messages.</summary>
    public override string ToString() =>
        $"({string.Join(", ", Parameters.Select(ValTypes.Name))}) -> {Results.Length switch
        {
            0 => "()",
            1 => Results[0].Name(),
            _ => $"({string.Join(", ", Results.Select(ValTypes.Name))})",
        }}";
}

/// <summary>Size limits of a memory (in 64 KiB pages) or a table (in entries) (spec 2.3.7), and its address type:
/// a 64-bit memory or table (3.0's memory64) is addressed by i64 and has 64-bit limits.</summary>
internal readonly record struct Limits(ulong Min, ulong? Max, bool Is64 = false)
{
    /// <summary>The type of the addresses (memories) or indices (tables) of instructions on it.</summary>
    public ValType AddressType => Is64 ? ValType.I64 : ValType.I32;

    public override string ToString() => (Is64 ? "i64 " : "") + (Max is { } max ? $"{Min}..{max}" : $"{Min}..");
}

internal readonly record struct TableType(ValType ElementType, Limits Limits);

internal readonly record struct MemoryType(Limits Limits)
{
    public const uint PageSize = 65536;

    /// <summary>The maximum of a 32-bit memory: 65536 pages, 4 GiB.</summary>
    public const uint MaxPages = 65536;

    /// <summary>The maximum of a 64-bit memory: 2^48 pages, the whole 64-bit address space.</summary>
    public const ulong MaxPages64 = 1UL << 48;
}

internal readonly record struct GlobalType(ValType Type, bool Mutable)
{
    public override string ToString() => Mutable ? $"(mut {Type.Name()})" : Type.Name();
}

/// <summary>The kinds of imports and exports; the value is the binary encoding (spec 5.5.5).</summary>
internal enum ExternalKind : byte
{
    Function = 0,
    Table = 1,
    Memory = 2,
    Global = 3,

    /// <summary>An exception tag (3.0 exception handling).</summary>
    Tag = 4,
}

internal static class ExternalKinds
{
    /// <summary>The text format's keyword for the kind ("func", "table", "memory", "global"): how every message and
    /// report names it.</summary>
    public static string Name(this ExternalKind kind) => kind switch
    {
        ExternalKind.Function => "func",
        ExternalKind.Table => "table",
        ExternalKind.Memory => "memory",
        ExternalKind.Tag => "tag",
        _ => "global",
    };
}

/// <summary>A 128-bit vector value as two little-endian halves.</summary>
internal readonly record struct V128(ulong Low, ulong High)
{
    public override string ToString() => $"0x{High:x16}{Low:x16}";
}
