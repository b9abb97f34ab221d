// What function bodies are checked against beyond the module's index spaces: the declared function references.
namespace Wasmrun.Engine.Validate;

internal sealed class ModuleContext(HashSet<uint> declaredReferences, WasmFeatures features)
{
    /// <summary>The 3.0 changes the module is checked with.</summary>
    public WasmFeatures Features { get; } = features;

    /// <summary>Functions that ref.func may name inside a body: those referenced from element segments, exports
    /// and global initialisers (spec 3.4.10, C.refs).</summary>
    public IReadOnlySet<uint> DeclaredReferences { get; } = declaredReferences;

    public static ModuleContext For(Module module, WasmFeatures features)
    {
        var references = new HashSet<uint>();
        foreach (var init in module.GlobalInitializers)
        {
            AddReference(init, references);
        }
        foreach (var segment in module.Elements)
        {
            foreach (var item in segment.Items)
            {
                AddReference(item, references);
            }
        }
        foreach (var export in module.Exports)
        {
            if (export.Kind == ExternalKind.Function)
            {
                references.Add(export.Index);
            }
        }
        return new ModuleContext(references, features);
    }

    private static void AddReference(ConstExpr expr, HashSet<uint> references)
    {
        if (expr.Opcode == Opcode.RefFunc)
        {
            references.Add(expr.Index);
        }
    }
}
