// Every way execution can trap, with its message in one place, worded like the spec tests' expected text.
namespace Wasmrun.Engine.Runtime;

internal enum TrapCode
{
    None = 0,
    Unreachable,
    MemoryOutOfBounds,
    TableOutOfBounds,
    IntegerDivideByZero,
    IntegerOverflow,
    InvalidConversionToInteger,
    IndirectCallTypeMismatch,
    UndefinedElement,
    UninitializedElement,
    CallStackExhausted,
    OutOfFuel,
    Interrupted,
    HostFailure,

    /// <summary>An exception (3.0 exception handling) that no handler caught left the code the host called.</summary>
    UncaughtException,

    /// <summary>throw_ref of a null exnref.</summary>
    NullExceptionReference,

    /// <summary>call_ref or return_call_ref of a null function reference (3.0).</summary>
    NullFunctionReference,

    /// <summary>ref.as_non_null of a null reference (3.0).</summary>
    NullReference,

    /// <summary>i31.get_s or i31.get_u of a null reference (3.0 GC).</summary>
    NullI31Reference,

    /// <summary>ref.cast of a reference that is not of the type (3.0 GC).</summary>
    CastFailure,
}

internal static class TrapCodes
{
    public static string Message(this TrapCode code) => code switch
    {
        TrapCode.Unreachable => "unreachable executed",
        TrapCode.MemoryOutOfBounds => "out of bounds memory access",
        TrapCode.TableOutOfBounds => "out of bounds table access",
        TrapCode.IntegerDivideByZero => "integer divide by zero",
        TrapCode.IntegerOverflow => "integer overflow",
        TrapCode.InvalidConversionToInteger => "invalid conversion to integer",
        TrapCode.IndirectCallTypeMismatch => "indirect call type mismatch",
        TrapCode.UndefinedElement => "undefined element",
        TrapCode.UninitializedElement => "uninitialized element",
        TrapCode.CallStackExhausted => "call stack exhausted",
        TrapCode.OutOfFuel => "all fuel consumed",
        TrapCode.Interrupted => "interrupted: the time limit was reached",
        TrapCode.HostFailure => "host function failed",
        TrapCode.UncaughtException => "uncaught exception",
        TrapCode.NullExceptionReference => "null exception reference",
        TrapCode.NullFunctionReference => "null function reference",
        TrapCode.NullReference => "null reference",
        TrapCode.NullI31Reference => "null i31 reference",
        TrapCode.CastFailure => "cast failure",
        _ => "no trap",
    };
}
