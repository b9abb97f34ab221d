// A typed WebAssembly value: what the engine takes and gives at its face (Store.Invoke, globals), so no caller
// sees how values are laid out in slots. Numbers keep their exact bits (a NaN's payload survives a round trip);
// a reference is null or a function of the store (funcref) or an opaque host value (externref).
namespace Wasmrun.Engine;

internal readonly record struct Value
{
    private Value(ValType type, ulong bits, ulong high = 0)
    {
        Type = type;
        Bits = bits;
        High = high;
    }

    public ValType Type { get; }

    /// <summary>The value's bits: an integer or a float's encoding, the low half of a v128, or a reference (0 is null).</summary>
    public ulong Bits { get; }

    /// <summary>The high half of a v128; 0 for every other type.</summary>
    public ulong High { get; }

    public static Value I32(int value) => new(ValType.I32, (uint)value);

    public static Value I64(long value) => new(ValType.I64, (ulong)value);

    public static Value F32(float value) => new(ValType.F32, BitConverter.SingleToUInt32Bits(value));

    public static Value F64(double value) => new(ValType.F64, BitConverter.DoubleToUInt64Bits(value));

    public static Value V128(V128 value) => new(ValType.V128, value.Low, value.High);

    public static Value Null(ValType referenceType) => new(referenceType, 0);

    /// <summary>An externref to host value <paramref name="hostValue"/> (the spec tests' `ref.extern N`).</summary>
    public static Value ExternRef(ulong hostValue) => new(ValType.ExternRef, hostValue + 1);

    /// <summary>A value from its bits as the engine stores them: the first slot, and the second of a v128.</summary>
    public static Value FromBits(ValType type, ulong bits, ulong high = 0) =>
        new(type, type.Kind switch
        {
            ValKind.I32 or ValKind.F32 => (uint)bits,
            _ => bits,
        }, type == ValType.V128 ? high : 0);

    public int AsI32() => (int)Bits;

    public long AsI64() => (long)Bits;

    public float AsF32() => BitConverter.UInt32BitsToSingle((uint)Bits);

    public double AsF64() => BitConverter.UInt64BitsToDouble(Bits);

    public V128 AsV128() => new(Bits, High);

    public bool IsNull => Type.IsReference() && Bits == 0;

    /// <summary>The host value of a non-null externref.</summary>
    public ulong AsExternRef() => Bits - 1;

    /// <summary>The value as the text format writes it (see ValueText).</summary>
    public override string ToString() => ValueText.Format(this);
}
