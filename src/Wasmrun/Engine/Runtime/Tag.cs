// An exception tag (spec 4.2.12, 3.0 exception handling): what a throw names and a catch clause matches. Tags are
// compared by identity: two tags of the same type are different tags, an imported tag is the exporter's own.
namespace Wasmrun.Engine.Runtime;

internal sealed class Tag(FuncType type, int typeId)
{
    /// <summary>The exception's arguments (a tag type has no results).</summary>
    public FuncType Type { get; } = type;

    /// <summary>The canonical id of its type: an import of the tag must name an equivalent one.</summary>
    public int TypeId { get; } = typeId;
}
