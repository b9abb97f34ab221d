// Section ids of the binary format (spec 5.5.2) and the order non-custom sections must come in.
namespace Wasmrun.Engine;

internal enum SectionId : byte
{
    Custom = 0,
    Type = 1,
    Import = 2,
    Function = 3,
    Table = 4,
    Memory = 5,
    Global = 6,
    Export = 7,
    Start = 8,
    Element = 9,
    Code = 10,
    Data = 11,
    DataCount = 12,

    /// <summary>Exception tags (3.0 exception handling).</summary>
    Tag = 13,
}

internal static class SectionIds
{
    public const byte Max = 13;

    /// <summary>Position in the required order: the tag section sits between memory and global, the data count
    /// section between element and code.</summary>
    public static int Rank(this SectionId id) => id switch
    {
        SectionId.Tag => 6,
        SectionId.Global or SectionId.Export or SectionId.Start or SectionId.Element => (int)id + 1,
        SectionId.DataCount => 11,
        SectionId.Code => 12,
        SectionId.Data => 13,
        _ => (int)id,
    };

    public static string DisplayName(this SectionId id) => id switch
    {
        SectionId.DataCount => "data count",
        _ => id.ToString().ToLowerInvariant(),
    };
}
