// A table of references (spec 4.2.7): funcref entries are store function indices + 1, externref entries opaque host
// handles; 0 is null in both. Growth beyond the maximum or the engine's limit is -1.
namespace Wasmrun.Engine.Runtime;

internal sealed class Table
{
    /// <summary>More entries than any real program uses; a table.grow past it fails with -1 instead of exhausting memory.</summary>
    public const uint EngineLimit = 10_000_000;

    public Table(TableType type, ulong initial)
    {
        Type = type;
        Elements = new ulong[type.Limits.Min];
        if (initial != 0)
        {
            Array.Fill(Elements, initial);
        }
    }

    public TableType Type { get; private set; }

    public ulong[] Elements { get; private set; }

    public uint Size => (uint)Elements.Length;

    public ValType ElementType => Type.ElementType;

    /// <summary>table.grow (spec 4.4.6): the old size, or -1.</summary>
    public int Grow(uint delta, ulong initial)
    {
        var old = Size;
        var max = Math.Min(Type.Limits.Max ?? uint.MaxValue, EngineLimit);
        if ((ulong)old + delta > max)
        {
            return -1;
        }
        if (delta > 0)
        {
            var grown = new ulong[old + delta];
            Elements.CopyTo(grown, 0);
            grown.AsSpan((int)old).Fill(initial);
            Elements = grown;
            Type = Type with { Limits = Type.Limits with { Min = old + delta } };
        }
        return (int)old;
    }
}
