// A thrown exception (spec 4.2.13): its tag and its arguments as slots. It lives while something refers to it:
// the unwinder that carries it, or an exnref that catch_ref gave to the code (ExceptionReferences).
namespace Wasmrun.Engine.Runtime;

internal sealed class ExceptionInstance(Tag tag, ulong[] payload)
{
    public Tag Tag { get; } = tag;

    /// <summary>The arguments, one slot per value (two for a v128), as the tag's parameters lay them out.</summary>
    public ulong[] Payload { get; } = payload;

    /// <summary>Its exnref value once code has one (0 until then): the same exception keeps the same value.</summary>
    public ulong Reference { get; set; }
}

/// <summary>The exceptions exnrefs name, by value (index + 1; 0 is null), for the store's life: an exnref may sit in a
/// global or table long after its catch, and nothing traces where. Only exceptions caught with catch_ref or
/// catch_all_ref get one (legacy catches keep theirs apart: Machine.Caught).</summary>
internal sealed class ExceptionReferences
{
    private readonly List<ExceptionInstance> exceptions = [];

    public ulong ReferenceOf(ExceptionInstance exception)
    {
        if (exception.Reference == 0)
        {
            exceptions.Add(exception);
            exception.Reference = (ulong)exceptions.Count;
        }
        return exception.Reference;
    }

    /// <summary>The exception a non-null exnref names.</summary>
    public ExceptionInstance Resolve(ulong reference) => exceptions[(int)(reference - 1)];
}
