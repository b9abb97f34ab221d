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

    private const string Gc = "GC objects (issue 16): struct and array types, their instructions, and casts to them";
    private const string Threads = "threads: a proposal beyond 3.0 (shared memories, atomics)";
    private const string WideArithmetic = "wide arithmetic: a proposal beyond 3.0";
    private const string CustomPageSizes = "custom page sizes: a proposal beyond 3.0";
    private const string CustomDescriptors = "custom descriptors: a proposal beyond 3.0";

    /// <summary>The 3.0 suite's scripts that fail because they use a proposal not implemented yet. A listed script must
    /// still fail somewhere (one that passes whole fails the run); every other 3.0 script must pass whole. The
    /// WebAssembly 3.0 issue empties this list.</summary>
    public static readonly IReadOnlyDictionary<string, string> Scripts30 = new Dictionary<string, string>
    {
        // === GC ===
        ["table_init"] = Gc, // its typed references pass; its last module has a table of arrayref
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
        ["ref_cast"] = Gc,
        ["ref_eq"] = Gc,
        ["ref_test"] = Gc,
        ["struct"] = Gc,
        ["type-rec"] = Gc,
        ["type-subtyping"] = Gc,
        ["table_init64"] = Gc, // its 64-bit tables pass; its last module has a table of arrayref



        // === threads (beyond 3.0) ===
        ["proposals/threads/atomic"] = Threads,
        ["proposals/threads/exports"] = Threads,
        ["proposals/threads/imports"] = Threads,
        ["proposals/threads/memory"] = Threads,

        // === wide arithmetic (beyond 3.0) ===
        ["proposals/wide-arithmetic/wide-arithmetic"] = WideArithmetic,

        // === custom page sizes (beyond 3.0) ===
        ["proposals/custom-page-sizes/custom-page-sizes"] = CustomPageSizes,
        ["proposals/custom-page-sizes/custom-page-sizes-invalid"] = CustomPageSizes,
        ["proposals/custom-page-sizes/memory_max"] = CustomPageSizes,
        ["proposals/custom-page-sizes/memory_max_i64"] = CustomPageSizes,

        // === custom descriptors (beyond 3.0) ===
        ["proposals/custom-descriptors/array_new_exact"] = CustomDescriptors,
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
