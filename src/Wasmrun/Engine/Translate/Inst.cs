// One interpreter instruction: 16 bytes, an IR opcode and three int operands (slots relative to the frame, a
// relative branch target, or an immediate). Instructions needing more take the next Inst as data.
using System.Runtime.InteropServices;

namespace Wasmrun.Engine.Translate;

[StructLayout(LayoutKind.Sequential, Size = 16)]
internal struct Inst
{
    public IrOp Op;
    public int A;
    public int B;
    public int C;

    public Inst(IrOp op, int a = 0, int b = 0, int c = 0)
    {
        Op = op;
        A = a;
        B = b;
        C = c;
    }
}

/// <summary>How an opcode-table instruction's operands are laid out in IR (see InterpreterEmitter).</summary>
internal enum IrShape : byte
{
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

/// <summary>The IR form of an opcode-table instruction: its slot variant, its immediate variant (None when it has
/// none) and its result type.</summary>
internal readonly record struct IrInfo(IrShape Shape, IrOp Op, IrOp Immediate, bool Commutative, ValType Result);
