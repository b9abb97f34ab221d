// How the four first-party plugins, installed together beside the built-in c, share out projects: each recognises its
// own by a marker, weaker source matches lose to markers, package.json counts for wasmasc only when a dependency list
// names assemblyscript, and two markers at once (a Rust extension module for Python) stop with both names.
namespace Wasmrun.Tests.Plugins.FirstParty;

public sealed class DetectionTests
{
    [Test]
    public async Task Each_plugin_claims_its_own_projects_and_equal_claims_stop_with_both_names()
    {
        using var workspace = await FirstPartyWorkspace.CreateAsync("wasmrust", "wasmgo", "wasmasc", "waspy");
        async Task<string> Explain(string project)
        {
            var result = await workspace.RunAsync(project, "compile", "--explain");
            return result.ExitCode == 0 ? result.Stdout : throw new InvalidOperationException(result.ToString());
        }

        var rust = workspace.Project("rusty", ("Cargo.toml", "[package]\nname = \"rusty\"\n"), ("src/main.rs", "fn main() {}\n"), ("helper.c", "int x;\n"));
        await Assert.That(await Explain(rust)).Contains("  c         yes, by sources   source file helper.c\n");
        await Assert.That(await Explain(rust)).EndsWith("chosen: wasmrust (the only plugin with a marker)\n");

        var loose = workspace.Project("loose", ("src/lib.rs", "pub fn f() {}\n"));
        await Assert.That(await Explain(loose)).Contains("  wasmrust  yes, by sources   source file src/lib.rs\n");

        var go = workspace.Project("gopher", ("go.mod", "module gopher\n"), ("main.go", "package main\n"));
        await Assert.That(await Explain(go)).EndsWith("chosen: wasmgo (the only plugin with a marker)\n");

        // A package.json that only mentions AssemblyScript is not an AssemblyScript project; asconfig.json is.
        var mention = workspace.Project("mention", ("package.json", "{ \"name\": \"mention\", \"description\": \"not assemblyscript\", \"dependencies\": { \"left-pad\": \"1.0.0\" } }\n"));
        var mentioned = await Explain(mention);
        await Assert.That(mentioned).Contains("  wasmasc   no                looks for asconfig.json, package.json depending on assemblyscript, assembly/index.ts\n");
        await Assert.That(mentioned).Contains("chosen: none;");
        var configured = workspace.Project("configured", ("asconfig.json", "{ \"entries\": [\"assembly/main.ts\"] }\n"));
        await Assert.That(await Explain(configured)).Contains("  wasmasc   yes, by a marker  asconfig.json found\n");
        var bare = workspace.Project("bare-asc", ("assembly/index.ts", "export function f(): i32 { return 1; }\n"));
        await Assert.That(await Explain(bare)).Contains("  wasmasc   yes, by sources   source file assembly/index.ts\n");

        // A Rust extension module for Python has both Cargo.toml and pyproject.toml: Wasmrun never picks by order.
        var both = workspace.Project("maturin", ("Cargo.toml", "[package]\nname = \"maturin\"\n"), ("pyproject.toml", "[build-system]\nrequires = [\"maturin\"]\n"));
        var ambiguous = await workspace.RunAsync(both, "compile");
        await Assert.That(ambiguous.ExitCode).IsEqualTo(2).Because(ambiguous.ToString());
        await Assert.That(ambiguous.Stderr).Contains("plugin wasmrust and plugin waspy all recognise this project (wasmrust: Cargo.toml found; waspy: pyproject.toml found)");
        await Assert.That(ambiguous.Stderr).Contains("hint: choose one with --language (wasmrust: rust, waspy: python)");
    }
}
