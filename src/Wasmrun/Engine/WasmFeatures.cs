// The WebAssembly 3.0 changes the engine implements, each one flag, so a module can be checked against WebAssembly 2.0
// too: the 2.0 spec suite asserts that these very constructs are invalid, the 3.0 suite that they are valid.
namespace Wasmrun.Engine;

[Flags]
internal enum WasmFeatures
{
    /// <summary>WebAssembly 2.0 (with its proposals: SIMD, bulk memory, reference types, multi-value, ...).</summary>
    Wasm20 = 0,

    /// <summary>Extended constant expressions (3.0): i32/i64 add, sub and mul in constant expressions.</summary>
    ExtendedConst = 1 << 0,

    /// <summary>global.get of the module's own immutable globals in constant expressions (3.0, from the GC proposal):
    /// earlier globals in a global's initialiser, any global in offsets and element items. 2.0 sees imported ones only.</summary>
    DefinedGlobalsInConstants = 1 << 1,

    /// <summary>Tail calls (3.0): return_call and return_call_indirect, which reuse the caller's frame.</summary>
    TailCalls = 1 << 2,

    /// <summary>Multiple memories (3.0): a memory index in every memory instruction (memarg flag bit 6 says one
    /// follows), in data segments, imports and exports; memory.copy between two memories.</summary>
    MultiMemory = 1 << 3,

    /// <summary>64-bit memories and tables (3.0's memory64 and table64): i64 addresses and indices, 64-bit limits
    /// (limits flags 4 and 5).</summary>
    Memory64 = 1 << 4,

    /// <summary>Exception handling (3.0): tags (section 13, import and export kind 4), throw, throw_ref, try_table,
    /// exnref; and the legacy try, catch, catch_all, delegate and rethrow that toolchains still emit.</summary>
    Exceptions = 1 << 5,

    /// <summary>Relaxed SIMD (3.0): the 0xFD sub-opcodes 0x100-0x113, each with one deterministic choice here.</summary>
    RelaxedSimd = 1 << 6,

    /// <summary>Typed function references (3.0): (ref null? ht) types with type indices and the GC proposal's abstract
    /// heap types, subtyping, call_ref, ref.as_non_null, br_on_null, br_on_non_null, non-nullable locals, table
    /// initialisers.</summary>
    TypedReferences = 1 << 7,

    /// <summary>GC (3.0), as far as implemented: i31 references, ref.eq, ref.test and ref.cast, any.convert_extern and
    /// extern.convert_any.</summary>
    Gc = 1 << 8,

    /// <summary>Every 3.0 change implemented so far: what users get.</summary>
    Wasm30 = ExtendedConst | DefinedGlobalsInConstants | TailCalls | MultiMemory | Memory64 | Exceptions | RelaxedSimd | TypedReferences | Gc,
}
