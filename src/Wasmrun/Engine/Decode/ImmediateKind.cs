// What follows an opcode in the binary format; the opcode table assigns one kind to every instruction.
namespace Wasmrun.Engine.Decode;

internal enum ImmediateKind : byte
{
    None,
    Block,
    Label,
    BrTable,
    Function,
    CallIndirect,
    Local,
    Global,
    Table,
    Data,
    Elem,
    MemArg,
    MemArgLane,
    Lane,
    Shuffle,
    Memory,
    MemoryMemory,
    DataMemory,
    ElemTable,
    TableTable,
    I32,
    I64,
    F32,
    F64,
    V128,
    RefType,
    SelectTypes,
}
