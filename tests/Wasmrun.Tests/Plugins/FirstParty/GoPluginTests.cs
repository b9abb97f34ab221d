// The wasmgo plugin (plugins-js/wasmgo) installed and run with the Go on PATH (Debian's Go 1.19 in CI) and Debian's
// newer Go beside it (golang-1.23-go from bookworm-backports, /usr/lib/go-1.23, which ./build.sh setup installs): its
// template as a WASI command by default (built with TinyGo, Go 1.21+ on PATH, or the newest /usr/lib/go-1.NN; with none
// of them it is refused clearly when asked, and without --target the build falls back to js/wasm with a warning), as a
// js/wasm module with Go's wasm_exec.js glue and a Node.js launcher, as a web page, the build cache and clean, and Go's
// errors re-printed as FILE:LINE:COL lines. The refusal branches run only where no Go 1.21+ is installed: the plugin
// finds Debian's versioned Go by its path, which no PATH or variable given to wasmrun can hide.
using System.Text.RegularExpressions;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Plugins.FirstParty;

public sealed partial class GoPluginTests
{
    private static string RequireGo() => RequiredTool.Program("go", "apt install golang-go");

    /// <summary>True when TinyGo or Go 1.21+ (GOOS=wasip1) can build WASI commands here: on PATH, or Debian's
    /// versioned /usr/lib/go-1.NN/bin/go, where the plugin looks when the go on PATH is older.</summary>
    private static async Task<bool> CanBuildWasiAsync(string go) =>
        OnPath("tinygo") is not null || await HasWasip1Async(go) || DebianGo() is not null;

    private static async Task<bool> HasWasip1Async(string go)
    {
        var release = GoRelease().Match((await ExternalProcess.RunAsync(go, ["env", "GOVERSION"], Path.GetTempPath())).Stdout.Trim());
        return int.Parse(release.Groups[1].Value) > 1 || int.Parse(release.Groups[2].Value) >= 21;
    }

    /// <summary>The newest of Debian's versioned Go commands with GOOS=wasip1 (1.21+), or null.</summary>
    private static string? DebianGo() =>
        Directory.Exists("/usr/lib")
            ? Directory.EnumerateDirectories("/usr/lib", "go-1.*")
                .Select(folder => (Folder: folder, Minor: int.TryParse(Path.GetFileName(folder)["go-1.".Length..], out var minor) ? minor : 0))
                .Where(go => go.Minor >= 21 && File.Exists(Path.Join(go.Folder, "bin", "go")))
                .OrderByDescending(go => go.Minor)
                .Select(go => Path.Join(go.Folder, "bin", "go"))
                .FirstOrDefault()
            : null;

    [Test]
    public async Task Init_next_steps_compile_and_run_the_file_they_name_in_a_folder_of_another_name()
    {
        var go = RequireGo();
        using var workspace = await FirstPartyWorkspace.CreateAsync("wasmgo");
        var (project, init, steps, results) = await workspace.InitAndRunNextStepsAsync("go");
        await Assert.That(init.Stdout).Contains(
            "  wasmrun compile\n  wasmrun exec dist/steps-dir.wasm Ada    # Go before 1.21 without TinyGo: node dist/steps-dir.cjs Ada\n");
        await Assert.That(steps).IsEquivalentTo(["compile", "exec dist/steps-dir.wasm Ada"]);
        await Assert.That(results[0].ExitCode).IsEqualTo(0).Because(results[0].ToString());
        if (await CanBuildWasiAsync(go))
        {
            await Assert.That(results[0].Stdout).StartsWith("built with plugin wasmgo 1.1.0 (target wasi, release) in ");
            await Assert.That(results[1].Stdout).IsEqualTo("Hello, Ada, from steps! 2 + 3 = 5\n").Because(results[1].ToString());
        }
        else
        {
            // The step's comment is the way for an older Go: the js/wasm module under Node.js.
            await Assert.That(results[0].Stderr).Contains("warning: built target wasm instead of wasi: plugin wasmgo 1.1.0 needs Go 1.21 or later, or TinyGo");
            var node = RequiredTool.Program("node", "node 20 or later");
            var hello = await ExternalProcess.RunAsync(node, [Path.Join(project, "dist", "steps-dir.cjs"), "Ada"], project);
            await Assert.That(hello.Stdout).IsEqualTo("Hello, Ada, from steps! 2 + 3 = 5\n").Because(hello.ToString());
        }
    }

    [Test]
    public async Task Init_and_compile_a_js_wasm_module_with_its_glue_a_web_page_and_the_wasi_target()
    {
        var go = RequireGo();
        var node = RequiredTool.Program("node", "node 20 or later");
        using var workspace = await FirstPartyWorkspace.CreateAsync("wasmgo");
        var (project, init) = await workspace.InitAsync("gdemo", "go");
        await Assert.That(init.Stdout).Contains("created gdemo from template go (plugin wasmgo 1.1.0):\n  .gitignore\n  go.mod\n  main.go\n");
        await Assert.That(init.Stdout).Contains("  wasmrun compile\n  wasmrun exec dist/gdemo.wasm Ada    # Go before 1.21 without TinyGo: node dist/gdemo.cjs Ada\n");
        await Assert.That(File.ReadAllText(Path.Join(project, "go.mod"))).StartsWith("module gdemo\n");

        var explain = await workspace.RunAsync(project, "compile", "--explain");
        await Assert.That(explain.Stdout).Contains("wasmgo  yes, by a marker  go.mod found");
        await Assert.That(explain.Stdout).Contains("chosen: wasmgo (the only plugin with a marker)");

        var built = await workspace.RunAsync(project, "compile", "--target", "wasm");
        await Assert.That(built.ExitCode).IsEqualTo(0).Because(built.ToString());
        await Assert.That(built.Stdout).StartsWith("built with plugin wasmgo 1.1.0 (target wasm, release) in ");
        await Assert.That(built.Stdout).Contains("a module with JavaScript glue that loads it: dist/wasm_exec.js");
        var dist = Path.Join(project, "dist");
        var verify = await workspace.RunAsync(project, "verify", "dist/gdemo.wasm");
        await Assert.That(verify.ExitCode).IsEqualTo(0).Because(verify.ToString());

        // The glue is the toolchain's own wasm_exec.js (TinyGo's when TinyGo built it).
        if (OnPath("tinygo") is null)
        {
            var goroot = (await ExternalProcess.RunAsync(go, ["env", "GOROOT"], project)).Stdout.Trim();
            var original = new[] { Path.Join(goroot, "lib", "wasm", "wasm_exec.js"), Path.Join(goroot, "misc", "wasm", "wasm_exec.js") }.First(File.Exists);
            await Assert.That(File.ReadAllText(Path.Join(dist, "wasm_exec.js"))).IsEqualTo(File.ReadAllText(original));
        }
        var hello = await ExternalProcess.RunAsync(node, [Path.Join(dist, "gdemo.cjs"), "Ada"], project);
        await Assert.That(hello.Stdout).IsEqualTo("Hello, Ada, from gdemo! 2 + 3 = 5\n").Because(hello.ToString());
        await Assert.That(hello.ExitCode).IsEqualTo(0);
        await Assert.That((await ExternalProcess.RunAsync(node, [Path.Join(dist, "gdemo.cjs"), "error"], project)).ExitCode).IsEqualTo(1);

        var again = await workspace.RunAsync(project, "compile", "--target", "wasm");
        await Assert.That(again.Stdout).StartsWith("up to date (from the build cache in ");

        var web = await workspace.RunAsync(project, "compile", "--target", "web", "-o", "site");
        await Assert.That(web.ExitCode).IsEqualTo(0).Because(web.ToString());
        await Assert.That(web.Stdout).Contains("a web page: site/index.html: open it with `wasmrun run`");
        var page = File.ReadAllText(Path.Join(project, "site", "index.html"));
        await Assert.That(page).Contains("<script src=\"wasm_exec.js\"></script>");
        await Assert.That(page).Contains("fetch(\"gdemo.wasm\")");
        await Assert.That(File.Exists(Path.Join(project, "site", "wasm_exec.js"))).IsTrue();
        await Assert.That((await workspace.RunAsync(project, "verify", "site/gdemo.wasm")).ExitCode).IsEqualTo(0);

        // WASI needs TinyGo or Go 1.21 (GOOS=wasip1); an older Go is refused with the way out, not a confusing go error.
        var wasi = await workspace.RunAsync(project, "compile", "--target", "wasi", "-o", "wasi");
        var version = (await ExternalProcess.RunAsync(go, ["env", "GOVERSION"], project)).Stdout.Trim();
        if (await CanBuildWasiAsync(go))
        {
            await Assert.That(wasi.ExitCode).IsEqualTo(0).Because(wasi.ToString());
            if (OnPath("tinygo") is null && !await HasWasip1Async(go))
            {
                // The go on PATH is too old: the plugin built with Debian's newer Go, named by its path.
                await Assert.That(wasi.Stderr).Contains($"→ {DebianGo()} build -trimpath -o ");
            }
            var run = await workspace.RunAsync(project, "exec", "wasi/gdemo.wasm", "Ada");
            await Assert.That(run.Stdout).IsEqualTo("Hello, Ada, from gdemo! 2 + 3 = 5\n").Because(run.ToString());
        }
        else
        {
            await Assert.That(wasi.ExitCode).IsEqualTo(4).Because(wasi.ToString());
            await Assert.That(wasi.Stderr).Contains($"error: plugin wasmgo 1.1.0 needs Go 1.21 or later, or TinyGo, to build WASI commands ({version} has no GOOS=wasip1)");
            await Assert.That(wasi.Stderr).Contains("  hint: install Go 1.21 or later (https://go.dev/dl; on Debian 12: apt install -t bookworm-backports golang-1.23-go) or TinyGo");
        }

        var clean = await workspace.RunAsync(project, "clean");
        await Assert.That(clean.Stdout).Contains("removed dist (");
        await Assert.That(Directory.Exists(dist)).IsFalse();
        await Assert.That(File.Exists(Path.Join(project, "main.go"))).IsTrue();
    }

    [Test]
    public async Task A_wasip1_command_starts_in_PWD_else_in_its_first_preopen_and_opens_relative_paths_there()
    {
        var go = RequireGo();
        if (!await CanBuildWasiAsync(go))
        {
            RequiredTool.Missing("no TinyGo or Go 1.21+ (GOOS=wasip1) here (install: apt install -t bookworm-backports golang-1.23-go, as ./build.sh setup does)");
        }
        using var workspace = await FirstPartyWorkspace.CreateAsync("wasmgo");
        // Go's wasip1 runtime keeps its own working directory (syscall/fs_wasip1.go): $PWD, else the first preopen's
        // name; relative paths are joined to it. OS mode's kernel passes the project's guest path in PWD.
        var project = workspace.Project("cwd",
            ("go.mod", "module cwd\n\ngo 1.21\n"),
            ("data/note.txt", "a note\n"),
            ("main.go", "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n\twd, _ := os.Getwd()\n\tnote, err := os.ReadFile(\"data/note.txt\")\n\tfmt.Printf(\"%s %q %v\\n\", wd, note, err)\n}\n"));
        var built = await workspace.RunAsync(project, "compile");
        await Assert.That(built.ExitCode).IsEqualTo(0).Because(built.ToString());
        var withPwd = await workspace.RunAsync(project, "exec", "--dir", ".::/app", "--env", "PWD=/app", "dist/cwd.wasm");
        await Assert.That(withPwd.Stdout).IsEqualTo("/app \"a note\\n\" <nil>\n").Because(withPwd.ToString());
        var withoutPwd = await workspace.RunAsync(project, "exec", "--dir", ".::/proj", "dist/cwd.wasm");
        await Assert.That(withoutPwd.Stdout).IsEqualTo("/proj \"a note\\n\" <nil>\n").Because(withoutPwd.ToString());
    }

    [Test]
    public async Task A_compile_error_ends_the_build_with_FILE_LINE_COL_lines_and_exit_code_3()
    {
        RequireGo();
        using var workspace = await FirstPartyWorkspace.CreateAsync("wasmgo");
        var project = workspace.Project("broken",
            ("go.mod", "module broken\n\ngo 1.19\n"),
            ("main.go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(undefinedThing)\n}\n"));
        var result = await workspace.RunAsync(project, "compile");
        await Assert.That(result.ExitCode).IsEqualTo(3).Because(result.ToString());
        await Assert.That(result.Stderr.Split('\n')).Contains("main.go:6:14: error: undefined: undefinedThing");
        await Assert.That(result.Stderr).Matches(@"\nerror: build failed: (go|tinygo) build exited with code \d+ \(1 error\)\n");
        await Assert.That(File.Exists(Path.Join(project, "dist", "broken.wasm"))).IsFalse();
    }

    /// <summary>A program's path on PATH, or null (no skip: for tests that adapt to what is installed).</summary>
    private static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(folder => Path.Join(folder, program)).FirstOrDefault(File.Exists);

    [GeneratedRegex(@"^go(\d+)\.(\d+)")]
    private static partial Regex GoRelease();
}
