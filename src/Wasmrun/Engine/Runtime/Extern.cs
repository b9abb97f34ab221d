// An external value (spec 4.2.11): what an import receives and an export gives.
namespace Wasmrun.Engine.Runtime;

internal readonly record struct Extern(ExternalKind Kind, object Value)
{
    public FunctionInstance Function => (FunctionInstance)Value;

    public Table Table => (Table)Value;

    public Memory Memory => (Memory)Value;

    public Global Global => (Global)Value;

    public Tag Tag => (Tag)Value;

    public static Extern Of(FunctionInstance function) => new(ExternalKind.Function, function);

    public static Extern Of(Table table) => new(ExternalKind.Table, table);

    public static Extern Of(Memory memory) => new(ExternalKind.Memory, memory);

    public static Extern Of(Global global) => new(ExternalKind.Global, global);

    public static Extern Of(Tag tag) => new(ExternalKind.Tag, tag);
}
