// The `spectest` host module that spec scripts import (defined by the reference interpreter): print functions that do
// nothing, globals of value 666 / 666.6, a table of 10 funcref (max 20) and a memory of 1 page (max 2).
using Wasmrun.Engine;
using Wasmrun.Engine.Runtime;

namespace Wasmrun.Wast;

internal static class SpectestModule
{
    public static void Define(Store store, Linker linker)
    {
        void Print(string name, params ValType[] parameters) =>
            linker.Define("spectest", name, Extern.Of(FunctionInstance.FromHost(store, new FuncType([.. parameters], []), name, _ => { })));

        Print("print");
        Print("print_i32", ValType.I32);
        Print("print_i64", ValType.I64);
        Print("print_f32", ValType.F32);
        Print("print_f64", ValType.F64);
        Print("print_i32_f32", ValType.I32, ValType.F32);
        Print("print_f64_f64", ValType.F64, ValType.F64);
        linker.Define("spectest", "global_i32", Extern.Of(new Global(new GlobalType(ValType.I32, false), 666)));
        linker.Define("spectest", "global_i64", Extern.Of(new Global(new GlobalType(ValType.I64, false), 666)));
        linker.Define("spectest", "global_f32", Extern.Of(new Global(new GlobalType(ValType.F32, false), BitConverter.SingleToUInt32Bits(666.6f))));
        linker.Define("spectest", "global_f64", Extern.Of(new Global(new GlobalType(ValType.F64, false), BitConverter.DoubleToUInt64Bits(666.6))));
        linker.Define("spectest", "table", Extern.Of(new Table(new TableType(ValType.FuncRef, new Limits(10, 20)), 0)));
        linker.Define("spectest", "table64", Extern.Of(new Table(new TableType(ValType.FuncRef, new Limits(10, 20, Is64: true)), 0)));
        var memory = Memory.Create(new MemoryType(new Limits(1, 2)), store.Options.MaxMemoryBytes)!;
        linker.Define("spectest", "memory", Extern.Of(store.Track(memory)));
    }
}
