// The wasmrust plugin (plugins-js/wasmrust) installed and run with Debian's cargo and rustc: its template from init to
// a WASI command and a plain module, the build cache and clean, rustc's errors re-printed as FILE:LINE:COL lines, a
// rustc without the wasm32 standard library, and the web target's missing wasm-bindgen.
using System.Text.RegularExpressions;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Plugins.FirstParty;

public sealed partial class RustPluginTests
{
    private static string RequireCargo() => RequiredTool.Program("cargo", "apt install cargo rustc libstd-rust-dev-wasm32");

    [Test]
    public async Task Init_next_steps_compile_and_run_the_file_they_name_in_a_folder_of_another_name()
    {
        RequireCargo();
        using var workspace = await FirstPartyWorkspace.CreateAsync("wasmrust");
        var (_, _, steps, results) = await workspace.InitAndRunNextStepsAsync("rust");
        await Assert.That(steps).IsEquivalentTo(["compile", "exec dist/steps-dir.wasm Ada"]);
        await Assert.That(results[0].ExitCode).IsEqualTo(0).Because(results[0].ToString());
        await Assert.That(results[1].Stdout).IsEqualTo("Hello, Ada, from steps! 2 + 3 = 5\n").Because(results[1].ToString());
    }

    [Test]
    public async Task Init_compile_and_exec_a_WASI_command_then_the_module_the_cache_and_clean()
    {
        RequireCargo();
        using var workspace = await FirstPartyWorkspace.CreateAsync("wasmrust");
        var (project, init) = await workspace.InitAsync("demo", "rust");
        await Assert.That(init.Stdout).Contains("created demo from template rust (plugin wasmrust 1.0.0):");
        await Assert.That(init.Stdout).Contains("  .gitignore\n  Cargo.lock\n  Cargo.toml\n  src/lib.rs\n  src/main.rs\n");
        await Assert.That(init.Stdout).Contains("next:\n  cd demo\n  wasmrun compile\n  wasmrun exec dist/demo.wasm Ada\n");
        await Assert.That(File.ReadAllText(Path.Join(project, "Cargo.toml"))).Contains("name = \"demo\"");
        await Assert.That(File.ReadAllText(Path.Join(project, "src", "main.rs"))).Contains("demo::greeting(&who)");

        var explain = await workspace.RunAsync(project, "compile", "--explain");
        await Assert.That(explain.Stdout).Contains("wasmrust  yes, by a marker  Cargo.toml found");
        await Assert.That(explain.Stdout).Contains("chosen: wasmrust (the only plugin with a marker)");

        var built = await workspace.RunAsync(project, "compile");
        await Assert.That(built.ExitCode).IsEqualTo(0).Because(built.ToString());
        await Assert.That(built.Stdout).StartsWith("built with plugin wasmrust 1.0.0 (target wasi, release) in ");
        await Assert.That(built.Stdout).Contains("a WASI command: run it with `wasmrun exec dist/demo.wasm`");
        await Assert.That(built.Stderr).Matches(CargoBuildStep());

        var hello = await workspace.RunAsync(project, "exec", "dist/demo.wasm", "Ada");
        await Assert.That(hello.ExitCode).IsEqualTo(0).Because(hello.ToString());
        await Assert.That(hello.Stdout).IsEqualTo("Hello, Ada, from demo! 2 + 3 = 5\n");
        await Assert.That((await workspace.RunAsync(project, "exec", "dist/demo.wasm", "error")).ExitCode).IsEqualTo(1);

        // Cargo.lock comes with the template, so the build writes no new input: the second compile is a cache hit.
        var again = await workspace.RunAsync(project, "compile");
        await Assert.That(again.Stdout).StartsWith("up to date (from the build cache in ");
        await Assert.That(again.Stderr).IsEmpty();

        // --target wasm builds the library as a cdylib for wasm32-unknown-unknown: `add` is its export.
        var module = await workspace.RunAsync(project, "compile", "--target", "wasm", "-o", "dist/lib");
        await Assert.That(module.ExitCode).IsEqualTo(0).Because(module.ToString());
        await Assert.That(module.Stderr).Contains("→ cargo rustc --lib --crate-type cdylib --package demo --target wasm32-unknown-unknown --release");
        var add = await workspace.RunAsync(project, "exec", "--invoke", "add", "dist/lib/demo.wasm", "40", "2");
        await Assert.That(add.Stdout).IsEqualTo("42\n").Because(add.ToString());

        var clean = await workspace.RunAsync(project, "clean");
        await Assert.That(clean.ExitCode).IsEqualTo(0).Because(clean.ToString());
        await Assert.That(clean.Stdout).Contains("removed target (");
        await Assert.That(clean.Stdout).Contains("removed dist (");
        await Assert.That(clean.Stdout).Contains("removed 2 cached builds of this project");
        await Assert.That(Directory.Exists(Path.Join(project, "target"))).IsFalse();
        await Assert.That(Directory.Exists(Path.Join(project, "dist"))).IsFalse();
        await Assert.That(File.Exists(Path.Join(project, "src", "main.rs"))).IsTrue();
    }

    [Test]
    public async Task A_compile_error_ends_the_build_with_FILE_LINE_COL_lines_and_exit_code_3()
    {
        RequireCargo();
        using var workspace = await FirstPartyWorkspace.CreateAsync("wasmrust");
        var project = workspace.Project("broken",
            ("Cargo.toml", "[package]\nname = \"broken\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"),
            ("src/main.rs", "fn main() {\n    println!(\"{}\", undefined_thing);\n}\n"));
        var result = await workspace.RunAsync(project, "compile");
        await Assert.That(result.ExitCode).IsEqualTo(3).Because(result.ToString());
        var lines = result.Stderr.Split('\n');
        await Assert.That(lines).Contains("src/main.rs:2:20: error: cannot find value `undefined_thing` in this scope");
        await Assert.That(result.Stderr).Contains("error: build failed: cargo build exited with code 101 (1 error)");
        await Assert.That(File.Exists(Path.Join(project, "dist", "broken.wasm"))).IsFalse();
    }

    [Test]
    public async Task A_rustc_without_the_wasm32_standard_library_and_the_web_target_without_wasm_bindgen_say_what_to_install()
    {
        RequireCargo();
        var rustc = File.Exists("/usr/bin/rustc") ? "/usr/bin/rustc" : RequiredTool.Program("rustc", "apt install rustc libstd-rust-dev-wasm32");
        using var workspace = await FirstPartyWorkspace.CreateAsync("wasmrust");
        var project = workspace.Project("bare",
            ("Cargo.toml", "[package]\nname = \"bare\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"),
            ("src/main.rs", "fn main() {}\n"));
        // A real rustc pointed at an empty sysroot: a toolchain installed without its wasm32 standard libraries.
        var tools = Directory.CreateDirectory(Path.Join(workspace.Folder, "tools")).FullName;
        var sysroot = Directory.CreateDirectory(Path.Join(workspace.Folder, "empty-sysroot")).FullName;
        var wrapper = Path.Join(tools, "rustc");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec {rustc} --sysroot {sysroot} \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var path = new Dictionary<string, string?> { ["PATH"] = $"{tools}:/usr/bin:{Environment.GetEnvironmentVariable("PATH")}" };

        var result = await workspace.RunAsync(project, path, "compile");
        await Assert.That(result.ExitCode).IsEqualTo(4).Because(result.ToString());
        await Assert.That(result.Stderr).Matches(NoStdMessage());
        await Assert.That(result.Stderr).Contains($"({sysroot}) to build the wasi target (rustc said: error[E0463]: can't find crate for `std`)");
        await Assert.That(result.Stderr).Matches(@"  hint: install it for this rustc \(Debian, Ubuntu: apt install libstd-rust-dev-wasm32\), or use rustup: rustup target add wasm32-wasi(p1)?\n");
        await Assert.That(result.Stderr).DoesNotContain("→ cargo build");

        // The web target needs wasm-bindgen (or wasm-pack), which no Debian package provides: a missing tool, with its hint.
        var web = await workspace.RunAsync(project, new Dictionary<string, string?> { ["PATH"] = "/usr/bin:/bin" }, "compile", "--target", "web");
        await Assert.That(web.ExitCode).IsEqualTo(4).Because(web.ToString());
        await Assert.That(web.Stderr).Contains("error: plugin wasmrust 1.0.0 needs wasm-bindgen (wasm-bindgen or wasm-pack) to build for target web, and it is not on PATH");
        await Assert.That(web.Stderr).Contains("  hint: install wasm-bindgen's command");

        // With the command present (a stand-in that only answers the tool check), a crate without the wasm-bindgen
        // dependency is refused before anything is built, with what to add. The project has no src/lib.rs yet.
        var bindgen = Directory.CreateDirectory(Path.Join(workspace.Folder, "bindgen")).FullName;
        File.WriteAllText(Path.Join(bindgen, "wasm-bindgen"), "#!/bin/sh\necho wasm-bindgen 0.2.0\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Join(bindgen, "wasm-bindgen"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var withTool = new Dictionary<string, string?> { ["PATH"] = $"{bindgen}:/usr/bin:/bin" };
        var noLibrary = await workspace.RunAsync(project, withTool, "compile", "--target", "web");
        await Assert.That(noLibrary.ExitCode).IsEqualTo(3).Because(noLibrary.ToString());
        await Assert.That(noLibrary.Stderr).Contains("error: build failed: package bare has no library (src/lib.rs), and the wasm and web targets build it as a cdylib");
        File.WriteAllText(Path.Join(project, "src", "lib.rs"), "pub fn f() {}\n");
        var noCrate = await workspace.RunAsync(project, withTool, "compile", "--target", "web");
        await Assert.That(noCrate.ExitCode).IsEqualTo(3).Because(noCrate.ToString());
        await Assert.That(noCrate.Stderr).Contains("error: build failed: the web target needs the wasm-bindgen crate: add it to [dependencies] (cargo add wasm-bindgen)");
        await Assert.That(noCrate.Stderr).DoesNotContain("→ cargo rustc");
    }

    [GeneratedRegex(@"→ cargo build --bin demo --package demo --target wasm32-wasi(p1)? --release\n")]
    private static partial Regex CargoBuildStep();

    [GeneratedRegex(@"error: plugin wasmrust 1\.0\.0 needs the wasm32-wasi(p1)? standard library for rustc \d+\.\d+\.\d+")]
    private static partial Regex NoStdMessage();
}
