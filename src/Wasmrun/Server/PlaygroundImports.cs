// What the playground can give a module to import, as ui/src/wasm.ts provides it: WASI preview 1's functions
// (browser_wasi_shim) and AssemblyScript's env.abort. A module that imports nothing else runs in the playground, so
// a page or JavaScript glue that its plugin made gives way to it (DevSession).
using Wasmrun.Engine;

namespace Wasmrun.Server;

internal static class PlaygroundImports
{
    public static bool CanRun(Module module) =>
        module.Imports.All(import => import.Kind == ExternalKind.Function && (import.ModuleName == Module.WasiPreview1 || IsAbort(module, import)));

    /// <summary>AssemblyScript's abort(message, fileName, line, column), which its runtime calls for a failed assert,
    /// an index out of range, or a throw: the one import of a module built without WASI or bindings.</summary>
    private static bool IsAbort(Module module, Import import) =>
        import is { ModuleName: "env", Name: "abort" }
        && import.TypeIndex < (uint)module.Types.Length
        && module.Types[(int)import.TypeIndex] is { Results.Length: 0 } type
        && type.Parameters.All(parameter => parameter == ValType.I32) && type.Parameters.Length == 4;
}
