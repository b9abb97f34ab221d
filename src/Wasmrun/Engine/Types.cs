// The WebAssembly type vocabulary shared by every room of the engine (spec 2.3 Types).
using System.Collections.Immutable;

namespace Wasmrun.Engine;

/// <summary>A value type; the value is its binary encoding. <see cref="Unknown"/> is the validator's bottom type.</summary>
internal enum ValType : byte
{
    Unknown = 0,
    I32 = 0x7F,
    I64 = 0x7E,
    F32 = 0x7D,
    F64 = 0x7C,
    V128 = 0x7B,
    FuncRef = 0x70,
    ExternRef = 0x6F,

    /// <summary>A caught exception (3.0 exception handling): what catch_ref gives and throw_ref rethrows.</summary>
    ExnRef = 0x69,
}

internal static class ValTypes
{
    public static bool IsValid(byte encoding) => encoding is 0x7F or 0x7E or 0x7D or 0x7C or 0x7B or 0x70 or 0x6F or 0x69;

    public static bool IsReference(this ValType type) => type is ValType.FuncRef or ValType.ExternRef or ValType.ExnRef;

    /// <summary>The 64-bit slots a value of the type takes on the value stack, in frames and in host calls: the one
    /// place that knows a v128 takes two.</summary>
    public static int Slots(this ValType type) => type == ValType.V128 ? 2 : 1;

    public static int Slots(this ImmutableArray<ValType> types)
    {
        var slots = 0;
        foreach (var type in types)
        {
            slots += type.Slots();
        }
        return slots;
    }

    public static bool IsNumericOrVector(this ValType type) => type is ValType.I32 or ValType.I64 or ValType.F32 or ValType.F64 or ValType.V128;

    public static string Name(this ValType type) => type switch
    {
        ValType.I32 => "i32",
        ValType.I64 => "i64",
        ValType.F32 => "f32",
        ValType.F64 => "f64",
        ValType.V128 => "v128",
        ValType.FuncRef => "funcref",
        ValType.ExternRef => "externref",
        ValType.ExnRef => "exnref",
        _ => "unknown",
    };

    /// <summary>One-element arrays per type, so a block typed by a single value type allocates nothing.</summary>
    public static ImmutableArray<ValType> Single(ValType type) => type switch
    {
        ValType.I32 => SingleI32,
        ValType.I64 => SingleI64,
        ValType.F32 => SingleF32,
        ValType.F64 => SingleF64,
        ValType.V128 => SingleV128,
        ValType.FuncRef => SingleFuncRef,
        ValType.ExternRef => SingleExternRef,
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
