// Names importable values: host definitions and the exports of registered instances (spec test `register`).
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

    /// <summary>The names defined for a module (for "import not satisfied" messages).</summary>
    public IEnumerable<string> ModuleNames => definitions.Keys.Select(k => k.Module).Distinct();
}
