// The one list of spec tests known to fail, each with its reason; a listed test that passes fails the run, so the
// list only shrinks. 2.0: commands keyed "<script>:<line>" (the .wast line of the command). 3.0: whole scripts that
// use a proposal not implemented yet, grouped by proposal.
namespace Wasmrun.Tests.Spec;

internal static class ExpectedFailures
{
    public static readonly IReadOnlyDictionary<string, string> Reasons = new Dictionary<string, string>
    {
        // Empty since the suite is read from its .wast sources (issue 15): wast2json's three encodings that could not
        // carry what the text said (select:324, memory_init:190 and :227) are gone with it.
    };

    private const string TypedReferences = "typed function references (issue 16): (ref null? $t) types, call_ref, ref.as_non_null, br_on_null; also used inside many 2.0 scripts of the 3.0 suite";
    private const string Gc = "GC (issue 16): struct, array, i31, casts, recursive type groups, subtyping";
    private const string Memory64 = "memory64 and table64 (issue 16): i64 addresses and limits, 64-bit offsets";
    private const string Exceptions = "exception handling (issue 16): tags, throw, throw_ref, try_table, exnref";
    private const string LegacyExceptions = "legacy exception handling (issue 16): try, catch, delegate, rethrow";
    private const string RelaxedSimd = "relaxed SIMD (issue 16)";
    private const string Binary30 = "the 3.0 binary format (issue 16): limits and memarg flags of memory64 and multi-memory, GC type encodings";
    private const string Text30 = "3.0 wording: simd_lane.wast expects \"i8 constant out of range\" for a lane index of 256, where the 2.0 suite expects \"malformed lane index\"";
    private const string CustomAnnotations = "custom-section annotations (@custom, @name, @metadata.code.branch_hint): read into custom sections";
    private const string Threads = "threads: a proposal beyond 3.0 (shared memories, atomics)";
    private const string WideArithmetic = "wide arithmetic: a proposal beyond 3.0";
    private const string CustomPageSizes = "custom page sizes: a proposal beyond 3.0";
    private const string CustomDescriptors = "custom descriptors: a proposal beyond 3.0";

    /// <summary>The 3.0 suite's scripts that fail because they use a proposal not implemented yet. A listed script must
    /// still fail somewhere (one that passes whole fails the run); every other 3.0 script must pass whole. The
    /// WebAssembly 3.0 issue empties this list.</summary>
    public static readonly IReadOnlyDictionary<string, string> Scripts30 = new Dictionary<string, string>
    {
        // === typed function references ===
        ["br_if"] = TypedReferences,
        ["br_on_non_null"] = TypedReferences,
        ["br_on_null"] = TypedReferences,
        ["br_table"] = TypedReferences,
        ["call_ref"] = TypedReferences,
        ["elem"] = TypedReferences,
        ["exports"] = TypedReferences,
        ["func"] = TypedReferences,
        ["global"] = TypedReferences, // typed reference globals, and 3.0's wording "immutable global"
        ["imports"] = TypedReferences,
        ["linking"] = TypedReferences,
        ["local_init"] = TypedReferences,
        ["local_tee"] = TypedReferences,
        ["ref"] = TypedReferences,
        ["ref_as_non_null"] = TypedReferences,
        ["ref_is_null"] = TypedReferences,
        ["ref_null"] = TypedReferences,
        ["return_call_ref"] = TypedReferences, // tail calls pass (return_call.wast, return_call_indirect.wast); this one needs call_ref's references
        ["select"] = TypedReferences,
        ["table"] = TypedReferences,
        ["table-sub"] = TypedReferences,
        ["table_init"] = TypedReferences,
        ["unreached-invalid"] = TypedReferences,
        ["unreached-valid"] = TypedReferences,

        // === GC ===
        ["array"] = Gc,
        ["array_copy"] = Gc,
        ["array_fill"] = Gc,
        ["array_init_data"] = Gc,
        ["array_init_elem"] = Gc,
        ["array_new_data"] = Gc,
        ["array_new_elem"] = Gc,
        ["binary-gc"] = Gc,
        ["br_on_cast"] = Gc,
        ["br_on_cast_fail"] = Gc,
        ["extern"] = Gc,
        ["i31"] = Gc,
        ["ref_cast"] = Gc,
        ["ref_eq"] = Gc,
        ["ref_test"] = Gc,
        ["struct"] = Gc,
        ["type-canon"] = Gc,
        ["type-equivalence"] = Gc,
        ["type-rec"] = Gc,
        ["type-subtyping"] = Gc,

        // === memory64 and table64 ===
        ["address64"] = Memory64,
        ["align64"] = Memory64,
        ["binary_leb128_64"] = Memory64,
        ["bulk64"] = Memory64,
        ["call_indirect64"] = Memory64,
        ["endianness64"] = Memory64,
        ["float_memory64"] = Memory64,
        ["load64"] = Memory64,
        ["memory"] = Memory64,
        ["memory64"] = Memory64,
        ["memory64-imports"] = Memory64,
        ["memory_copy64"] = Memory64,
        ["memory_fill64"] = Memory64,
        ["memory_grow64"] = Memory64,
        ["memory_init64"] = Memory64,
        ["memory_redundancy64"] = Memory64,
        ["memory_trap64"] = Memory64,
        ["table64"] = Memory64,
        ["table_copy64"] = Memory64,
        ["table_copy_mixed"] = Memory64,
        ["table_fill64"] = Memory64,
        ["table_get64"] = Memory64,
        ["table_grow64"] = Memory64,
        ["table_init64"] = Memory64,
        ["table_set64"] = Memory64,
        ["table_size64"] = Memory64,


        // === exception handling ===
        ["instance"] = Exceptions, // its module definition exports a tag
        ["tag"] = Exceptions,
        ["throw"] = Exceptions,
        ["throw_ref"] = Exceptions,
        ["try_table"] = Exceptions,

        // === exception handling (legacy instructions) ===
        ["legacy/rethrow"] = LegacyExceptions,
        ["legacy/throw"] = LegacyExceptions,
        ["legacy/try_catch"] = LegacyExceptions,
        ["legacy/try_delegate"] = LegacyExceptions,


        // === relaxed SIMD ===
        ["i16x8_relaxed_q15mulr_s"] = RelaxedSimd,
        ["i32x4_relaxed_trunc"] = RelaxedSimd,
        ["i8x16_relaxed_swizzle"] = RelaxedSimd,
        ["relaxed_dot_product"] = RelaxedSimd,
        ["relaxed_laneselect"] = RelaxedSimd,
        ["relaxed_madd_nmadd"] = RelaxedSimd,
        ["relaxed_min_max"] = RelaxedSimd,

        // === 3.0 binary format ===
        ["binary"] = Binary30,
        ["binary-leb128"] = Binary30,

        // === 3.0 wording ===
        ["simd_lane"] = Text30,

        // === custom annotations ===
        ["custom/branch_hint"] = CustomAnnotations,
        ["custom/custom_annot"] = CustomAnnotations,
        ["custom/name_annot"] = CustomAnnotations,

        // === threads (beyond 3.0) ===
        ["proposals/threads/atomic"] = Threads,
        ["proposals/threads/exports"] = Threads,
        ["proposals/threads/imports"] = Threads,
        ["proposals/threads/memory"] = Threads,

        // === wide arithmetic (beyond 3.0) ===
        ["proposals/wide-arithmetic/wide-arithmetic"] = WideArithmetic,

        // === custom page sizes (beyond 3.0) ===
        ["proposals/custom-page-sizes/binary"] = CustomPageSizes,
        ["proposals/custom-page-sizes/custom-page-sizes"] = CustomPageSizes,
        ["proposals/custom-page-sizes/custom-page-sizes-invalid"] = CustomPageSizes,
        ["proposals/custom-page-sizes/memory_max"] = CustomPageSizes,
        ["proposals/custom-page-sizes/memory_max_i64"] = CustomPageSizes,

        // === custom descriptors (beyond 3.0) ===
        ["proposals/custom-descriptors/array_new_exact"] = CustomDescriptors,
        ["proposals/custom-descriptors/binary"] = CustomDescriptors,
        ["proposals/custom-descriptors/binary-descriptors"] = CustomDescriptors,
        ["proposals/custom-descriptors/br_on_cast"] = CustomDescriptors,
        ["proposals/custom-descriptors/br_on_cast_desc_eq"] = CustomDescriptors,
        ["proposals/custom-descriptors/br_on_cast_desc_eq_fail"] = CustomDescriptors,
        ["proposals/custom-descriptors/br_on_cast_fail"] = CustomDescriptors,
        ["proposals/custom-descriptors/descriptors"] = CustomDescriptors,
        ["proposals/custom-descriptors/exact"] = CustomDescriptors,
        ["proposals/custom-descriptors/exact-casts"] = CustomDescriptors,
        ["proposals/custom-descriptors/exact-func-import"] = CustomDescriptors,
        ["proposals/custom-descriptors/ref_cast_desc_eq"] = CustomDescriptors,
        ["proposals/custom-descriptors/ref_get_desc"] = CustomDescriptors,
        ["proposals/custom-descriptors/struct_new_desc"] = CustomDescriptors,
    };
}
