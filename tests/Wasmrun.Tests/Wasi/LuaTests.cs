// Lua 5.4 built with exception handling (3.0): its errors are setjmp/longjmp, which clang lowers to legacy try, catch
// and throw. The interpreter is OS mode's Lua runtime (src/Wasmrun/Os/Runtimes/lua/recipe, embedded in the build);
// under `wasmrun exec` a script raises and catches 20,000 errors, nests pcall, errors inside a coroutine and reads a
// file through a preopen; every line of its output is checked.
using Wasmrun.Os;

namespace Wasmrun.Tests.Wasi;

public sealed class LuaTests
{
    [Test]
    public async Task A_Lua_script_raises_and_catches_errors_under_exec()
    {
        var lua = Path.Combine(RuntimeFiles.Folder(RuntimeName.Lua), "lua.wasm");
        using var folder = new Support.TempDirectory();
        var script = Path.Combine(WasiTools.OwnPrograms, "lua", "errors.lua");
        File.Copy(script, Path.Combine(folder.Path, "errors.lua"));
        File.Copy(lua, Path.Combine(folder.Path, "lua.wasm"));
        var result = await WasiExec.RunAsync(Path.Combine(folder.Path, "lua.wasm"), ["--dir", "."], ["errors.lua", "errors.lua"]);
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        string[] expected =
        [
            "2",
            "false\tboom",
            "false\terrors.lua:5: attempt to index a nil value (local 't')",
            "caught\t20000",
            "false\tdeep+++++",
            "true\t42",
            "false\tin coroutine",
            "2",
            "-- Lua's errors are longjmps, and so exceptions in WebAssembly: pcall catches them, error rethrows, and a coroutine's",
        ];
        await Assert.That(result.Stdout).IsEqualTo(string.Join('\n', expected) + "\n");
    }
}
