// The waspy plugin (plugins-js/waspy): no Python-to-WebAssembly compiler is installable here, so what is tested is
// what a user meets first: the python template, detection, and the missing compiler reported with its install hint.
namespace Wasmrun.Tests.Plugins.FirstParty;

public sealed class WaspyPluginTests
{
    [Test]
    public async Task Init_writes_the_python_template_and_detection_names_its_marker()
    {
        using var workspace = await FirstPartyWorkspace.CreateAsync("waspy");
        var (project, init) = await workspace.InitAsync("pdemo", "python");
        await Assert.That(init.Stdout).Contains("created pdemo from template python (plugin waspy 1.0.0):\n  .gitignore\n  main.py\n");
        await Assert.That(init.Stdout).Contains("next:\n  cd pdemo\n  wasmrun compile\n  wasmrun exec --invoke fibonacci dist/pdemo.wasm 10\n");
        await Assert.That(File.ReadAllText(Path.Join(project, "main.py"))).Contains("def fibonacci(n: int) -> int:");
        await Assert.That(File.ReadAllText(Path.Join(project, ".gitignore"))).IsEqualTo("/dist\n__pycache__/\n");

        var explain = await workspace.RunAsync(project, "compile", "--explain");
        await Assert.That(explain.ExitCode).IsEqualTo(0).Because(explain.ToString());
        await Assert.That(explain.Stdout).Contains("waspy  yes, by a marker  main.py found");
        await Assert.That(explain.Stdout).Contains("chosen: waspy (the only plugin with a marker)");

        var pyproject = workspace.Project("packaged", ("pyproject.toml", "[project]\nname = \"packaged\"\n"), ("src/packaged/core.py", "x = 1\n"));
        await Assert.That((await workspace.RunAsync(pyproject, "compile", "--explain")).Stdout).Contains("waspy  yes, by a marker  pyproject.toml found");
        var loose = workspace.Project("loose", ("tools.py", "def f(a: int) -> int:\n    return a\n"));
        await Assert.That((await workspace.RunAsync(loose, "compile", "--explain")).Stdout).Contains("waspy  yes, by sources   source file tools.py");
    }

    [Test]
    public async Task Without_the_waspy_compiler_compile_exits_4_with_the_install_hint()
    {
        using var workspace = await FirstPartyWorkspace.CreateAsync("waspy");
        var (project, _) = await workspace.InitAsync("pdemo", "python");
        var result = await workspace.RunAsync(project, new Dictionary<string, string?> { ["PATH"] = "/usr/bin:/bin" }, "compile");
        await Assert.That(result.ExitCode).IsEqualTo(4).Because(result.ToString());
        await Assert.That(result.Stderr).Contains("error: plugin waspy 1.0.0 needs waspy (waspy) to build for target wasm, and it is not on PATH\n");
        await Assert.That(result.Stderr).Contains(
            "  hint: waspy has no released command yet; build the project compiler its repository ships and put it on PATH as waspy: " +
            "git clone https://github.com/anistark/waspy && cd waspy && cargo build --release --example project_compiler");
        await Assert.That(Directory.Exists(Path.Join(project, "dist"))).IsFalse();

        // waspy's compiler takes no optimization options: the plugin offers release only, and says so.
        var debug = await workspace.RunAsync(project, "compile", "--optimization", "debug");
        await Assert.That(debug.ExitCode).IsEqualTo(2);
        await Assert.That(debug.Stderr).Contains("--optimization debug: plugin waspy 1.0.0 offers release");
    }
}
