// A module that cannot be linked: imports nobody provides, or one whose type does not match (spec 4.5.4).
using System.Collections.Immutable;

namespace Wasmrun.Engine.Runtime;

internal sealed class LinkException(string reason, ImmutableArray<Import> unresolved = default) : EngineException(reason)
{
    /// <summary>The spec tests' wording: "unknown import" or "incompatible import type", then details.</summary>
    public string Reason { get; } = reason;

    /// <summary>Every import the linker does not provide (empty when an import's type is what failed).</summary>
    public ImmutableArray<Import> Unresolved { get; } = unresolved.IsDefault ? [] : unresolved;

    /// <summary>"unknown import: " and every import nobody provides (Linker.Unresolved).</summary>
    public static LinkException Unknown(Module module, ImmutableArray<Import> unresolved) =>
        new($"unknown import: {string.Join(", ", unresolved.Select(module.Describe))}", unresolved);
}
