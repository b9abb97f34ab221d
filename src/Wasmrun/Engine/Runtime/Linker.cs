// Names importable values: host definitions and the exports of registered instances (spec test `register`).
using System.Collections.Immutable;

namespace Wasmrun.Engine.Runtime;

internal sealed class Linker
{
    private readonly Dictionary<(string Module, string Name), Extern> definitions = [];

    public void Define(string module, string name, Extern value) => definitions[(module, name)] = value;

    /// <summary>Makes every export of the instance importable under the module name.</summary>
    public void Register(string module, Instance instance)
    {
        foreach (var (name, value) in instance.Exports)
        {
            Define(module, name, value);
        }
    }

    public bool TryResolve(string module, string name, out Extern value) => definitions.TryGetValue((module, name), out value);

    /// <summary>Every import of the module this linker does not define, in the module's order: what instantiation
    /// reports as "unknown import", and what a host can check before it starts anything.</summary>
    public ImmutableArray<Import> Unresolved(Module module) =>
        [.. module.Imports.Where(import => !definitions.ContainsKey((import.ModuleName, import.Name)))];
}
