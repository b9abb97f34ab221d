// The built-in C plugin through the published binary, with the real toolchains: init → compile → exec of a WASI
// command, Emscripten's module + glue and web page, a Makefile project, compiler errors re-printed as FILE:LINE:COL
// lines, missing tools, the build cache, clean, and how a plugin is chosen (or why none or two).
using System.Text.RegularExpressions;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Plugins.Host;

public sealed partial class CPluginTests
{
    /// <summary>A WASMRUN_HOME of its own and a working folder for projects.</summary>
    private sealed class Workspace : IDisposable
    {
        private readonly TempDirectory root = new();

        public Workspace()
        {
            Home = Directory.CreateDirectory(Path.Join(root.Path, "home")).FullName;
        }

        public string Home { get; }

        public string Folder => root.Path;

        public Task<ProcessResult> RunAsync(string workingDirectory, params string[] arguments) =>
            RunAsync(workingDirectory, new Dictionary<string, string?>(), arguments);

        public Task<ProcessResult> RunAsync(string workingDirectory, Dictionary<string, string?> environment, params string[] arguments)
        {
            environment["WASMRUN_HOME"] = Home;
            environment["NO_COLOR"] = "1";
            return WasmrunBinary.RunAsync(arguments, environment, workingDirectory);
        }

        public string Project(string name, params (string Path, string Text)[] files)
        {
            var project = Directory.CreateDirectory(Path.Join(Folder, name)).FullName;
            foreach (var (path, text) in files)
            {
                File.WriteAllText(Path.Join(project, path), text);
            }
            return project;
        }

        /// <summary>Installs a plugin by hand as `plugin install` leaves it: a folder and a [plugins.NAME] table.</summary>
        public void Register(string name, string manifest, string script)
        {
            var folder = Directory.CreateDirectory(Path.Join(Home, "plugins", name)).FullName;
            File.WriteAllText(Path.Join(folder, "wasmrun.toml"), manifest);
            File.WriteAllText(Path.Join(folder, "plugin.js"), script);
            File.AppendAllText(Path.Join(Home, "config.toml"), $"""

                [plugins.{name}]
                version = "1.0.0"
                source = "{folder}"

                """);
        }

        public void Dispose() => root.Dispose();
    }

    private static void RequireClang() => RequiredTool.Program("clang-14", "apt install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32");

    [Test]
    public async Task Init_compile_and_exec_a_WASI_command_then_the_cache_and_clean()
    {
        RequireClang();
        using var workspace = new Workspace();
        var init = await workspace.RunAsync(workspace.Folder, "init", "demo");
        await Assert.That(init.ExitCode).IsEqualTo(0).Because(init.ToString());
        await Assert.That(init.Stdout).Contains("created demo from template c (plugin c 1.1.0):");
        await Assert.That(init.Stdout).Contains("  wasmrun exec dist/demo.wasm Ada");
        var project = Path.Join(workspace.Folder, "demo");
        await Assert.That(File.ReadAllText(Path.Join(project, "main.c"))).Contains("from demo!");

        var built = await workspace.RunAsync(project, "compile", "--target", "wasi");
        await Assert.That(built.ExitCode).IsEqualTo(0).Because(built.ToString());
        await Assert.That(built.Stdout).StartsWith("built with plugin c 1.1.0 (target wasi, release) in ");
        await Assert.That(built.Stdout).Contains("a WASI command: run it with `wasmrun exec dist/demo.wasm`");
        await Assert.That(built.Stderr).Matches(ClangStep());

        var run = await workspace.RunAsync(project, "exec", "dist/demo.wasm", "Ada");
        await Assert.That(run.Stdout).IsEqualTo("Hello, Ada, from demo! 2 + 3 = 5\n");
        await Assert.That((await workspace.RunAsync(project, "exec", "dist/demo.wasm", "error")).ExitCode).IsEqualTo(1);
        await Assert.That((await workspace.RunAsync(project, "exec", "--invoke", "add", "dist/demo.wasm", "40", "2")).Stdout).IsEqualTo("42\n");

        var again = await workspace.RunAsync(project, "compile", "--target", "wasi");
        await Assert.That(again.Stdout).StartsWith("up to date (from the build cache in ");
        await Assert.That(again.Stderr).IsEmpty();

        // A lost artifact comes back from the cache; a changed source is a rebuild.
        File.Delete(Path.Join(project, "dist", "demo.wasm"));
        await Assert.That((await workspace.RunAsync(project, "compile", "--target", "wasi")).Stdout).StartsWith("up to date");
        await Assert.That(File.Exists(Path.Join(project, "dist", "demo.wasm"))).IsTrue();
        File.AppendAllText(Path.Join(project, "main.c"), "\n// changed\n");
        await Assert.That((await workspace.RunAsync(project, "compile", "--target", "wasi")).Stdout).StartsWith("built with");

        var clean = await workspace.RunAsync(project, "clean");
        await Assert.That(clean.ExitCode).IsEqualTo(0).Because(clean.ToString());
        await Assert.That(clean.Stdout).Contains("removed dist (");
        await Assert.That(clean.Stdout).Contains("removed 2 cached builds of this project");
        await Assert.That(Directory.Exists(Path.Join(project, "dist"))).IsFalse();
        await Assert.That(File.Exists(Path.Join(project, "main.c"))).IsTrue();
        await Assert.That((await workspace.RunAsync(project, "compile", "--target", "wasi")).Stdout).StartsWith("built with");
    }

    [Test]
    public async Task Init_next_steps_compile_and_run_the_file_they_name_in_a_folder_of_another_name()
    {
        RequireClang();
        using var workspace = new Workspace();
        var init = await workspace.RunAsync(workspace.Folder, "init", "hello", "--dir", "elsewhere");
        await Assert.That(init.ExitCode).IsEqualTo(0).Because(init.ToString());
        var steps = NextSteps.Of(init.Stdout);
        await Assert.That(steps.Select(step => string.Join(' ', step))).IsEquivalentTo(["compile", "exec dist/elsewhere.wasm Ada"]);
        await Assert.That(File.ReadAllText(Path.Join(workspace.Folder, "elsewhere", "main.c"))).Contains("dist/elsewhere.wasm");

        // Pasted as printed: compile without a target makes a WASI command, and exec runs it.
        var project = Path.Join(workspace.Folder, "elsewhere");
        var compiled = await workspace.RunAsync(project, steps[0]);
        await Assert.That(compiled.ExitCode).IsEqualTo(0).Because(compiled.ToString());
        await Assert.That(compiled.Stdout).StartsWith("built with plugin c 1.1.0 (target wasi, release) in ");
        await Assert.That(compiled.Stdout).Contains("a WASI command: run it with `wasmrun exec dist/elsewhere.wasm`");
        var run = await workspace.RunAsync(project, steps[1]);
        await Assert.That(run.ExitCode).IsEqualTo(0).Because(run.ToString());
        await Assert.That(run.Stdout).IsEqualTo("Hello, Ada, from hello! 2 + 3 = 5\n");
    }

    [Test]
    public async Task Without_a_working_clang_the_default_falls_back_to_Emscripten_and_says_what_WASI_needs()
    {
        RequiredTool.Program("emcc", "apt install emscripten");
        using var workspace = new Workspace();
        var project = workspace.Project("fallback", ("main.c", "int main(void) { return 0; }\n"));
        // A clang first on PATH that fails its check: the WASI toolchain is not usable, Emscripten is.
        var bin = Directory.CreateDirectory(Path.Join(workspace.Folder, "bin")).FullName;
        var broken = Path.Join(bin, "clang");
        File.WriteAllText(broken, "#!/bin/sh\nexit 1\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(broken, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var environment = new Dictionary<string, string?> { ["PATH"] = $"{bin}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}" };
        var built = await workspace.RunAsync(project, environment, "compile");
        await Assert.That(built.ExitCode).IsEqualTo(0).Because(built.ToString());
        await Assert.That(built.Stdout).StartsWith("built with plugin c 1.1.0 (target wasm, release) in ");
        await Assert.That(built.Stderr).Contains(
            $"warning: built target wasm instead of wasi: plugin c 1.1.0 needs clang with wasi-libc for target wasi: `{broken} --version` failed with exit code 1 (install clang and wasi-libc: apt install clang-14");

        // Asked for by name, the target is built or fails.
        var asked = await workspace.RunAsync(project, environment, "compile", "--target", "wasi");
        await Assert.That(asked.ExitCode).IsEqualTo(4).Because(asked.ToString());
    }

    [Test]
    public async Task Cpp_for_wasi_builds_with_libcxx_and_runs()
    {
        RequireClang();
        var clang = RequiredTool.Program("clang++-14", "apt install clang-14");
        var libcxx = await ExternalProcess.RunAsync(clang, ["--target=wasm32-wasi", "-print-file-name=libc++.a"], Path.GetTempPath());
        if (!Path.IsPathRooted(libcxx.Stdout.Trim()))
        {
            RequiredTool.Missing("libc++ for wasm32-wasi is not installed (install: apt install libc++-14-dev-wasm32 libc++abi-14-dev-wasm32)");
        }
        using var workspace = new Workspace();
        var project = workspace.Project("cpp", ("main.cpp", """
            #include <cstdio>
            #include <string>
            #include <vector>
            int main(int argc, char **argv) {
              std::vector<std::string> words{"Hello,", argc > 1 ? argv[1] : "world"};
              std::printf("%s %s from C++\n", words[0].c_str(), words[1].c_str());
              return 0;
            }
            """));
        var built = await workspace.RunAsync(project, "compile", "--target", "wasi");
        await Assert.That(built.ExitCode).IsEqualTo(0).Because(built.ToString());
        await Assert.That(built.Stderr).Contains("→ clang++");
        var run = await workspace.RunAsync(project, "exec", "dist/cpp.wasm", "Ada");
        await Assert.That(run.Stdout).IsEqualTo("Hello, Ada from C++\n").Because(run.ToString());
    }

    [Test]
    public async Task Cpp_for_wasi_without_libcxx_is_a_missing_tool_not_the_users_error()
    {
        RequireClang();
        var clang = RequiredTool.Program("clang++-14", "apt install clang-14");
        using var workspace = new Workspace();
        // A clang++ as Debian's is without libc++-14-dev-wasm32: no C++ headers, and no libc++.a to name.
        var bin = Directory.CreateDirectory(Path.Join(workspace.Folder, "bin")).FullName;
        var fake = Path.Join(bin, "clang++");
        File.WriteAllText(fake, $$"""
            #!/bin/sh
            for argument in "$@"; do
              case "$argument" in -print-file-name=*) echo "${argument#-print-file-name=}"; exit 0 ;; esac
            done
            exec {{clang}} -nostdinc++ "$@"
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var project = workspace.Project("nolib", ("main.cpp", "#include <cstdio>\nint main() { std::puts(\"hi\"); }\n"));
        var environment = new Dictionary<string, string?> { ["PATH"] = $"{bin}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}" };
        var built = await workspace.RunAsync(project, environment, "compile", "--target", "wasi");
        await Assert.That(built.ExitCode).IsEqualTo(4).Because(built.ToString());
        await Assert.That(built.Stderr).Contains("needs the C++ standard library for wasm32-wasi (libc++) to build C++ for target wasi");
        await Assert.That(built.Stderr).Contains("hint: install it: apt install libc++-14-dev-wasm32 libc++abi-14-dev-wasm32");
        await Assert.That(built.Stderr).DoesNotContain("main.cpp:1:");
    }

    [Test]
    public async Task The_cache_never_hands_a_project_another_projects_artifacts()
    {
        RequireClang();
        using var workspace = new Workspace();
        const string Source = "#include <stdio.h>\nint main(void) { puts(\"same sources\"); return 0; }\n";
        var first = workspace.Project("cacheA", ("main.c", Source));
        var second = workspace.Project("cacheB", ("main.c", Source));
        await Assert.That((await workspace.RunAsync(first, "compile", "--target", "wasi")).ExitCode).IsEqualTo(0);

        // Same sources, another folder: its artifacts are named after its own folder, so the build is its own.
        var copy = await workspace.RunAsync(second, "compile", "--target", "wasi");
        await Assert.That(copy.ExitCode).IsEqualTo(0).Because(copy.ToString());
        await Assert.That(copy.Stdout).StartsWith("built with");
        await Assert.That(copy.Stdout).Contains("dist/cacheB.wasm");
        await Assert.That(copy.Stdout).DoesNotContain("cacheA");
        await Assert.That(File.Exists(Path.Join(second, "dist", "cacheB.wasm"))).IsTrue();
        await Assert.That(File.Exists(Path.Join(second, "dist", "cacheA.wasm"))).IsFalse();
        await Assert.That((await workspace.RunAsync(second, "exec", "dist/cacheB.wasm")).Stdout).IsEqualTo("same sources\n");

        // Another output folder is another build too: the first one's files stay where they were made.
        var elsewhere = await workspace.RunAsync(second, "compile", "--target", "wasi", "-o", "out");
        await Assert.That(elsewhere.Stdout).StartsWith("built with");
        await Assert.That(File.Exists(Path.Join(second, "out", "cacheB.wasm"))).IsTrue();
        await Assert.That((await workspace.RunAsync(second, "compile", "--target", "wasi")).Stdout).StartsWith("up to date");
    }

    [Test]
    public async Task Emscripten_builds_a_module_with_glue_and_a_web_page()
    {
        RequiredTool.Program("emcc", "apt install emscripten");
        using var workspace = new Workspace();
        var project = workspace.Project("glue", ("main.c", "#include <stdio.h>\nint main(void) { printf(\"hello from emscripten\\n\"); return 0; }\n"));

        var module = await workspace.RunAsync(project, "compile", "--target", "wasm", "--optimization", "size");
        await Assert.That(module.ExitCode).IsEqualTo(0).Because(module.ToString());
        await Assert.That(module.Stdout).Contains("(target wasm, size)");
        await Assert.That(module.Stdout).Contains(
            "a module with JavaScript glue that loads it: dist/glue.js; `wasmrun compile --target wasi` builds a WASI command that `wasmrun exec` runs");
        await Assert.That(module.Stderr).Contains("→ emcc -Os main.c -o ");
        await Assert.That((await workspace.RunAsync(project, "verify", "dist/glue.wasm")).ExitCode).IsEqualTo(0);
        // Emscripten 3.1.6's glue mistakes node 18+'s fetch for a browser's: node runs it without.
        var glue = await ExternalProcess.RunAsync(RequiredTool.Program("node", "node 20 or later"), ["--no-experimental-fetch", "dist/glue.js"], project);
        await Assert.That(glue.Stdout).IsEqualTo("hello from emscripten\n");

        var web = await workspace.RunAsync(project, "compile", "--target", "web", "-o", "site");
        await Assert.That(web.ExitCode).IsEqualTo(0).Because(web.ToString());
        await Assert.That(web.Stdout).Contains("a web page: site/index.html: open it with `wasmrun run --target web`");
        await Assert.That(File.ReadAllText(Path.Join(project, "site", "index.html"))).Contains("index.js");
        await Assert.That(File.Exists(Path.Join(project, "site", "index.wasm"))).IsTrue();
    }

    [Test]
    public async Task A_Makefile_project_is_built_by_make_with_the_output_folder_given()
    {
        RequireClang();
        RequiredTool.Program("make", "apt install make");
        using var workspace = new Workspace();
        var project = workspace.Project("made",
            ("tool.c", "#include <stdio.h>\nint main(void) { puts(\"made by make\"); return 0; }\n"),
            ("Makefile", "# builds wasm\n$(OUT)/$(NAME).wasm: tool.c\n\tclang-14 --target=wasm32-wasi $(OPT) tool.c -o $@\n"));
        var built = await workspace.RunAsync(project, "compile", "--target", "wasi");
        await Assert.That(built.ExitCode).IsEqualTo(0).Because(built.ToString());
        await Assert.That(built.Stderr).Contains("→ make OUT=");
        await Assert.That((await workspace.RunAsync(project, "exec", "dist/made.wasm")).Stdout).IsEqualTo("made by make\n");

        // A Makefile that writes something else is a clear failure, not a guess at "the first .wasm".
        File.WriteAllText(Path.Join(project, "Makefile"), "# wasm\nall:\n\tclang-14 --target=wasm32-wasi tool.c -o $(OUT)/other.wasm\n");
        var wrong = await workspace.RunAsync(project, "compile", "--target", "wasi", "--no-cache");
        await Assert.That(wrong.ExitCode).IsEqualTo(3);
        await Assert.That(wrong.Stderr).Contains("wrote no $(OUT)/$(NAME).wasm");
    }

    [Test]
    public async Task Compiler_errors_end_the_build_as_FILE_LINE_COL_lines()
    {
        RequireClang();
        using var workspace = new Workspace();
        var project = workspace.Project("broken", ("main.c", "int main(void) {\n  return undefined_thing + 1;\n}\nvoid f(void) { int x = \"s\"; }\n"));
        var result = await workspace.RunAsync(project, "compile", "--target", "wasi");
        await Assert.That(result.ExitCode).IsEqualTo(3);
        var lines = result.Stderr.Split('\n');
        await Assert.That(lines).Contains("main.c:2:10: error: use of undeclared identifier 'undefined_thing'");
        await Assert.That(lines.Count(l => l.StartsWith("main.c:", StringComparison.Ordinal))).IsEqualTo(1);
        await Assert.That(result.Stderr).Matches(BuildFailedLine());
        await Assert.That(File.Exists(Path.Join(project, "dist", "broken.wasm"))).IsFalse();
    }

    [Test]
    public async Task Missing_tools_are_listed_at_once_with_install_hints()
    {
        using var workspace = new Workspace();
        var project = workspace.Project("tools", ("main.c", "int main(void) { return 0; }\n"));
        var noTools = new Dictionary<string, string?> { ["PATH"] = workspace.Folder };
        // Without a target every target is tried; the error is the default's, what the user should install.
        var chosen = await workspace.RunAsync(project, noTools, "compile");
        await Assert.That(chosen.ExitCode).IsEqualTo(4);
        await Assert.That(chosen.Stderr).Contains("error: plugin c 1.1.0 needs clang with wasi-libc (clang or clang-14) to build for target wasi, and it is not on PATH");
        await Assert.That(chosen.Stderr).Contains("  hint: install clang and wasi-libc: apt install clang-14");
        await Assert.That(chosen.Stderr).DoesNotContain("warning:");
        var wasm = await workspace.RunAsync(project, noTools, "compile", "--target", "wasm");
        await Assert.That(wasm.ExitCode).IsEqualTo(4);
        await Assert.That(wasm.Stderr).Contains("error: plugin c 1.1.0 needs Emscripten (emcc) to build for target wasm, and it is not on PATH");
        await Assert.That(wasm.Stderr).Contains("  hint: install Emscripten: apt install emscripten");
    }

    [Test]
    public async Task Detection_explains_itself_and_never_picks_between_equals()
    {
        using var workspace = new Workspace();
        var project = workspace.Project("either", ("main.c", "int main(void) { return 0; }\n"));
        var explain = await workspace.RunAsync(project, "compile", "--explain");
        await Assert.That(explain.ExitCode).IsEqualTo(0);
        await Assert.That(explain.Stdout).Contains("  c  yes, by sources   source file main.c");
        await Assert.That(explain.Stdout).Contains("chosen: c (no plugin has a marker; the only one with sources)");

        workspace.Register("other-c", """
            [plugin]
            name = "other-c"
            version = "1.0.0"
            languages = ["c99"]
            [detect]
            sources = ["c"]
            """, "export function build() {}");
        var both = await workspace.RunAsync(project, "compile");
        await Assert.That(both.ExitCode).IsEqualTo(2);
        await Assert.That(both.Stderr).Contains("plugin c and plugin other-c all recognise this project (c: source file main.c; other-c: source file main.c)");
        await Assert.That(both.Stderr).Contains("hint: choose one with --language (c: c|cpp, other-c: c99)");
        var chosen = await workspace.RunAsync(project, "compile", "--language", "c99");
        await Assert.That(chosen.ExitCode).IsEqualTo(5);
        await Assert.That(chosen.Stderr).Contains("plugin other-c 1.0.0 returned a wrong build result: not an object");

        var empty = workspace.Project("rusty", ("Cargo.toml", "[package]\nname = \"rusty\"\n"));
        var none = await workspace.RunAsync(empty, "compile");
        await Assert.That(none.ExitCode).IsEqualTo(2);
        await Assert.That(none.Stderr).Contains("no plugin recognises this project");
        await Assert.That(none.Stderr).Contains("hint: the plugin wasmrust recognises it (Cargo.toml found) and is not installed: wasmrun plugin install wasmrust");
    }

    [Test]
    public async Task A_plugin_that_returns_an_invalid_module_fails_clearly()
    {
        using var workspace = new Workspace();
        var manifest = """
            [plugin]
            name = "liar"
            version = "1.0.0"
            languages = ["liar"]
            [detect]
            markers = ["liar.txt"]
            """;
        workspace.Register("liar", manifest, """
            import { writeFile } from "wasmrun";
            export function build(ctx) {
              writeFile(ctx.outputDir + "/fake.wasm", "not a module");
              return { wasm: "fake.wasm" };
            }
            """);
        var project = workspace.Project("lies", ("liar.txt", "x"));
        var invalid = await workspace.RunAsync(project, "compile");
        await Assert.That(invalid.ExitCode).IsEqualTo(5);
        await Assert.That(invalid.Stderr).Contains("error: plugin liar 1.0.0 produced an invalid module: ");
    }

    [Test]
    public async Task Init_refuses_a_folder_with_files_and_names_the_plugin_of_a_missing_template()
    {
        using var workspace = new Workspace();
        var taken = workspace.Project("taken", ("keep.txt", "mine"));
        var refused = await workspace.RunAsync(workspace.Folder, "init", "taken");
        await Assert.That(refused.ExitCode).IsEqualTo(1);
        await Assert.That(refused.Stderr).Contains("already exists and is not empty");
        await Assert.That(File.ReadAllText(Path.Join(taken, "keep.txt"))).IsEqualTo("mine");

        var rust = await workspace.RunAsync(workspace.Folder, "init", "app", "--template", "rust");
        await Assert.That(rust.ExitCode).IsEqualTo(2);
        await Assert.That(rust.Stderr).Contains("hint: it comes with the plugin wasmrust, not installed: wasmrun plugin install wasmrust");
        await Assert.That(Directory.Exists(Path.Join(workspace.Folder, "app"))).IsFalse();

        var name = await workspace.RunAsync(workspace.Folder, "init", "../escape");
        await Assert.That(name.ExitCode).IsEqualTo(2);
        await Assert.That(name.Stderr).Contains("'../escape' is not a project name");
    }

    [Test]
    public async Task Clean_keeps_an_output_folder_that_Wasmrun_did_not_make()
    {
        RequireClang();
        using var workspace = new Workspace();
        var project = workspace.Project("mine", ("main.c", "int main(void) { return 0; }\n"));
        var own = Directory.CreateDirectory(Path.Join(project, "out")).FullName;
        File.WriteAllText(Path.Join(own, "notes.txt"), "my notes");
        await Assert.That((await workspace.RunAsync(project, "compile", "--target", "wasi", "-o", "out")).ExitCode).IsEqualTo(0);
        var clean = await workspace.RunAsync(project, "clean", "-o", "out");
        await Assert.That(clean.Stdout).Contains("kept out: Wasmrun did not create it");
        await Assert.That(File.ReadAllText(Path.Join(own, "notes.txt"))).IsEqualTo("my notes");
        await Assert.That(File.Exists(Path.Join(own, "mine.wasm"))).IsTrue();
    }

    [GeneratedRegex(@"→ clang(-14)? --target=wasm32-wasi -O2 -Wl,--strip-debug main\.c -o \S+/dist/demo\.wasm -lm")]
    private static partial Regex ClangStep();

    [GeneratedRegex(@"error: build failed: clang(-14)? exited with code 1 \(1 error\)")]
    private static partial Regex BuildFailedLine();
}
