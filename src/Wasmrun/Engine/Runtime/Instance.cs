// A module instance (spec 4.2.5): the module's index spaces resolved to store objects, its segments, its exports.
using Wasmrun.Engine.Translate;

namespace Wasmrun.Engine.Runtime;

internal sealed class Instance
{
    private readonly ulong[]?[] elements;
    private readonly bool[] dataDropped;

    public Instance(Store store, Module module)
    {
        Module = module;
        Translated = TranslatedModule.For(module);
        // The second half: one hidden entry per type, set to the callee's before a call_ref's call (CallReference).
        TypeIds = [.. module.TypeIds, .. module.TypeIds];
        ParamSlots = Translated.ParamSlots;
        Functions = new FunctionInstance[module.FunctionCount];
        // One more: the hidden table of call_ref's calls, made on the first (CallReference).
        Tables = new Table[module.Tables.Length + 1];
        Memories = new Memory[module.Memories.Length];
        Globals = new Global[module.Globals.Length];
        Tags = new Tag[module.Tags.Length];
        elements = new ulong[]?[module.Elements.Length];
        dataDropped = new bool[module.Data.Length];
    }

    public Module Module { get; }

    public TranslatedModule Translated { get; }

    /// <summary>Canonical ids of the module's types, by type index (call_indirect checks against these).</summary>
    public int[] TypeIds { get; }

    public int[] ParamSlots { get; }

    public FunctionInstance[] Functions { get; }

    public Table[] Tables { get; }

    public Memory[] Memories { get; }

    /// <summary>The memory the interpreter addresses (2.0 has at most one).</summary>
    public Memory? Memory0 => Memories.Length > 0 ? Memories[0] : null;

    public Global[] Globals { get; }

    public Tag[] Tags { get; }

    public Dictionary<string, Extern> Exports { get; } = new(StringComparer.Ordinal);

    /// <summary>The name under which the instance was registered, or the module's own name.</summary>
    public string? Name { get; set; }

    public FunctionInstance? ExportedFunction(string name) =>
        Exports.TryGetValue(name, out var value) && value.Kind == ExternalKind.Function ? value.Function : null;

    public ReadOnlySpan<ulong> ElementSegment(int index) => elements[index] ?? [];

    public void SetElements(int index, ulong[]? references) => elements[index] = references;

    public void DropElements(int index) => elements[index] = null;

    public ReadOnlySpan<byte> DataSegment(int index)
    {
        var segment = Module.Data[index];
        return dataDropped[index] ? [] : Module.Span(segment.DataStart, segment.DataLength);
    }

    public void DropData(int index) => dataDropped[index] = true;
}
