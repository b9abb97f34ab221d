// The wasmasc plugin (plugins-js/wasmasc) installed and run with node, npm and asc from the npm registry: its template
// from init through `npm ci` to a WASI command, the plain module with its bindings, detection from package.json, the
// build cache and clean, and asc's errors re-printed as FILE:LINE:COL lines.
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Plugins.FirstParty;

public sealed class AssemblyScriptPluginTests
{
    private static void RequireNpm()
    {
        RequiredTool.Program("node", "node 20 or later");
        RequiredTool.Program("npx", "npm (node 20 or later)");
    }

    [Test]
    public async Task Init_next_steps_compile_and_run_the_file_they_name_in_a_folder_of_another_name()
    {
        RequireNpm();
        using var workspace = await FirstPartyWorkspace.CreateAsync("wasmasc");
        var (_, _, steps, results) = await workspace.InitAndRunNextStepsAsync("asc");
        await Assert.That(steps).IsEquivalentTo(["compile", "exec dist/steps-dir.wasm Ada"]);
        await Assert.That(results[0].ExitCode).IsEqualTo(0).Because(results[0].ToString());
        await Assert.That(results[0].Stdout).StartsWith("built with plugin wasmasc 1.1.0 (target wasi, release) in ");
        await Assert.That(results[1].Stdout).IsEqualTo("Hello, Ada, from steps! 2 + 3 = 5\n").Because(results[1].ToString());
    }

    [Test]
    public async Task Without_the_WASI_shim_the_default_is_the_module_and_the_warning_says_what_WASI_needs()
    {
        RequireNpm();
        using var workspace = await FirstPartyWorkspace.CreateAsync("wasmasc");
        var (project, _) = await workspace.InitAsync("noshim", "asc");
        var installed = await workspace.RunAsync(project, "compile", "--target", "wasm");
        await Assert.That(installed.ExitCode).IsEqualTo(0).Because(installed.ToString());
        Directory.Delete(Path.Join(project, "node_modules", "@assemblyscript", "wasi-shim"), recursive: true);

        var asked = await workspace.RunAsync(project, "compile", "--target", "wasi");
        await Assert.That(asked.ExitCode).IsEqualTo(4).Because(asked.ToString());
        await Assert.That(asked.Stderr).Contains("error: plugin wasmasc 1.1.0 needs the WASI shim (@assemblyscript/wasi-shim in node_modules) to build the wasi target");
        await Assert.That(asked.Stderr).Contains("  hint: npm install --save-dev @assemblyscript/wasi-shim");

        var chosen = await workspace.RunAsync(project, "compile");
        await Assert.That(chosen.ExitCode).IsEqualTo(0).Because(chosen.ToString());
        await Assert.That(chosen.Stdout).StartsWith("up to date (from the build cache in ");
        await Assert.That(chosen.Stdout).Contains("target wasm, release");
        await Assert.That(chosen.Stderr).Contains("warning: built target wasm instead of wasi: plugin wasmasc 1.1.0 needs the WASI shim");
    }

    [Test]
    public async Task Init_installs_with_npm_and_compiles_a_WASI_command_then_the_module_the_cache_and_clean()
    {
        RequireNpm();
        using var workspace = await FirstPartyWorkspace.CreateAsync("wasmasc");
        var (project, init) = await workspace.InitAsync("ademo", "asc");
        await Assert.That(init.Stdout).Contains(
            "created ademo from template asc (plugin wasmasc 1.1.0):\n  .gitignore\n  assembly/index.ts\n  assembly/tsconfig.json\n  package-lock.json\n  package.json\n");
        await Assert.That(init.Stdout).Contains("next:\n  cd ademo\n  wasmrun compile\n  wasmrun exec dist/ademo.wasm Ada\n");
        await Assert.That(File.ReadAllText(Path.Join(project, "package.json"))).Contains("\"name\": \"ademo\"");

        var explain = await workspace.RunAsync(project, "compile", "--explain");
        await Assert.That(explain.Stdout).Contains("wasmasc  yes, by a marker  package.json has assemblyscript in devDependencies");
        await Assert.That(explain.Stdout).Contains("chosen: wasmasc (the only plugin with a marker)");

        var lockFile = File.ReadAllText(Path.Join(project, "package-lock.json"));
        var built = await workspace.RunAsync(project, "compile", "--target", "wasi");
        await Assert.That(built.ExitCode).IsEqualTo(0).Because(built.ToString());
        await Assert.That(built.Stdout).StartsWith("built with plugin wasmasc 1.1.0 (target wasi, release) in ");
        await Assert.That(built.Stderr).Contains("→ node_modules has no assemblyscript: installing the project's dependencies with npm\n→ npm ci --no-audit --no-fund\n");
        await Assert.That(built.Stderr).Contains(
            "→ npx --no-install asc assembly/index.ts -O3 -o " + Path.Join(project, "dist", "ademo.wasm") + " --config ./node_modules/@assemblyscript/wasi-shim/asconfig.json\n");
        await Assert.That(File.ReadAllText(Path.Join(project, "package-lock.json"))).IsEqualTo(lockFile);

        var hello = await workspace.RunAsync(project, "exec", "dist/ademo.wasm", "Ada");
        await Assert.That(hello.ExitCode).IsEqualTo(0).Because(hello.ToString());
        await Assert.That(hello.Stdout).IsEqualTo("Hello, Ada, from ademo! 2 + 3 = 5\n");
        await Assert.That((await workspace.RunAsync(project, "exec", "dist/ademo.wasm", "error")).ExitCode).IsEqualTo(1);

        // node_modules is not an input and the lock file was not rewritten: the second compile is a cache hit.
        var again = await workspace.RunAsync(project, "compile", "--target", "wasi");
        await Assert.That(again.Stdout).StartsWith("up to date (from the build cache in ");
        await Assert.That(again.Stderr).IsEmpty();

        // The plain module with ES module bindings, without the WASI command's top-level code.
        var module = await workspace.RunAsync(project, "compile", "--target", "wasm", "--optimization", "size", "-o", "lib");
        await Assert.That(module.ExitCode).IsEqualTo(0).Because(module.ToString());
        await Assert.That(module.Stdout).Contains("(target wasm, size)");
        await Assert.That(module.Stdout).Contains("a module with JavaScript glue that loads it: lib/ademo.js");
        await Assert.That(module.Stderr).DoesNotContain("npm ci");
        await Assert.That((await workspace.RunAsync(project, "verify", "lib/ademo.wasm")).ExitCode).IsEqualTo(0);
        await Assert.That(File.ReadAllText(Path.Join(project, "lib", "ademo.js"))).Contains("ademo.wasm");

        var clean = await workspace.RunAsync(project, "clean");
        await Assert.That(clean.ExitCode).IsEqualTo(0).Because(clean.ToString());
        await Assert.That(clean.Stdout).Contains("removed dist (");
        await Assert.That(Directory.Exists(Path.Join(project, "dist"))).IsFalse();
        await Assert.That(Directory.Exists(Path.Join(project, "node_modules", "assemblyscript"))).IsTrue();
    }

    [Test]
    public async Task A_compile_error_ends_the_build_with_FILE_LINE_COL_lines_and_exit_code_3()
    {
        RequireNpm();
        using var workspace = await FirstPartyWorkspace.CreateAsync("wasmasc");
        var (project, _) = await workspace.InitAsync("broken", "asc");
        File.WriteAllText(Path.Join(project, "assembly", "index.ts"), "export function add(a: i32, b: i32): i32 {\n  return a + c;\n}\n");
        var result = await workspace.RunAsync(project, "compile", "--target", "wasi");
        await Assert.That(result.ExitCode).IsEqualTo(3).Because(result.ToString());
        await Assert.That(result.Stderr.Split('\n')).Contains("assembly/index.ts:2:14: error: Cannot find name 'c'.");
        await Assert.That(result.Stderr).Contains("error: build failed: asc exited with code 1 (1 error)");
        await Assert.That(File.Exists(Path.Join(project, "dist", "broken.wasm"))).IsFalse();
    }
}
