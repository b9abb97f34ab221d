// How a reference of the `any` hierarchy (3.0 GC) sits in a 64-bit slot, so that its kind can be told from its bits:
// null is 0; an i31 is its 31 bits shifted left with the low bit set (never 0, equal values equal bits, as ref.eq
// needs); an extern converted to `any` is the externref with bit 63 set. An extern that holds a converted `any` is
// that value with bit 62 set; the host's own externrefs (its value + 1) stay below 2^62. Heap objects (structs and
// arrays) are the even values left: none exist until the GC work gives them a collector.
namespace Wasmrun.Engine.Runtime;

internal static class AnyReferences
{
    private const ulong ExternInAny = 1UL << 63, AnyInExtern = 1UL << 62;

    public static ulong I31(int value) => ((ulong)((uint)value & 0x7FFF_FFFF) << 1) | 1;

    /// <summary>i31.get_s or i31.get_u of a non-null i31.</summary>
    public static int I31Value(ulong reference, bool signed) =>
        signed ? (int)((uint)reference & ~1u) >> 1 : (int)((uint)reference >> 1);

    public static bool IsI31(ulong reference) => (reference & ExternInAny) == 0 && (reference & 1) != 0;

    /// <summary>any.convert_extern: the `any` an extern holds, or the extern itself as an `any`.</summary>
    public static ulong FromExtern(ulong reference) =>
        reference == 0 ? 0 : (reference & AnyInExtern) != 0 ? reference & ~AnyInExtern : reference | ExternInAny;

    /// <summary>extern.convert_any: the extern an `any` holds, or the `any` itself as an extern.</summary>
    public static ulong ToExtern(ulong reference) =>
        reference == 0 ? 0 : (reference & ExternInAny) != 0 ? reference & ~ExternInAny : reference | AnyInExtern;

    /// <summary>Whether a non-null reference of the any hierarchy is of abstract heap type <paramref name="heap"/>.</summary>
    public static bool IsOf(ulong reference, HeapKind heap) => heap switch
    {
        HeapKind.Any => true,
        HeapKind.Eq or HeapKind.I31 => IsI31(reference),
        _ => false,
    };
}
