// The root of every error the engine reports: a module that does not decode, validate or link, a limit of this
// engine, or a trap. It knows nothing of processes or command lines: the host decides what each kind means to its
// user (the CLI maps them to exit codes and advice in Cli/UserError).
namespace Wasmrun.Engine;

internal abstract class EngineException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The one-line description a host shows (subclasses add where it happened).</summary>
    public virtual string Describe() => Message;
}

/// <summary>What exceeded a limit of this engine or of its options.</summary>
internal enum EngineLimit
{
    /// <summary>A memory's initial size is above EngineOptions.MaxMemoryBytes.</summary>
    MemorySize,

    /// <summary>A table's initial size is above Table.EngineLimit.</summary>
    TableSize,

    /// <summary>A function has more locals or a deeper value stack than the interpreter's frames address.</summary>
    FrameSize,
}

/// <summary>A valid module this engine will not run because it exceeds one of its limits.</summary>
internal sealed class EngineLimitException(EngineLimit limit, string message) : EngineException(message)
{
    public EngineLimit Limit { get; } = limit;
}
