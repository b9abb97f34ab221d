// One interpreter instruction: 16 bytes, an IR opcode and three int operands (slots relative to the frame, a
// relative branch target, or an immediate). Instructions needing more take the next Inst as data. Each instruction's
// layout is declared once, in Handlers.txt (or, for the opcode table's, by its shape in InterpreterEmitter).
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
