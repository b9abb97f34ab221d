// templates/ as the binary carries it: the one fill-in, the first-party starters each carried by the plugin whose
// manifest lists them (and no starter without one), and the glue page rendered for each kind of glue.
using Wasmrun.Plugins;
using Wasmrun.Server;
using Wasmrun.Templates;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Templates;

public sealed class TemplateTests
{
    [Test]
    public async Task Fill_replaces_each_key_in_one_pass_and_leaves_keys_without_a_value()
    {
        var values = new Dictionary<string, string> { ["name"] = "{{identifier}}", ["identifier"] = "demo_1" };

        var filled = TemplateText.Fill("{{name}}/{{identifier}} {{other}} {{{identifier}}} {{ name }}", values);

        await Assert.That(filled).IsEqualTo("{{identifier}}/demo_1 {{other}} {demo_1} {{ name }}");
    }

    [Test]
    public async Task Every_first_party_template_is_a_starter_in_templates_projects_and_every_starter_has_its_plugin()
    {
        var plugins = EmbeddedPluginFiles.Names(PluginOrigin.BuiltIn).Select(name => PluginPackage.Embedded(PluginOrigin.BuiltIn, name, null))
            .Concat(PluginCatalog.BundledNames().Select(PluginCatalog.Bundled))
            .ToList();
        var starters = Path.Join(RepositoryRoot.Path, "templates", "projects");
        var claimed = plugins.SelectMany(plugin => plugin.Manifest.Templates.Select(template => template.Name)).Order(StringComparer.Ordinal).ToList();

        await Assert.That(claimed).IsEquivalentTo(Directory.EnumerateDirectories(starters).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            TUnit.Assertions.Enums.CollectionOrdering.Matching);
        foreach (var plugin in plugins)
        {
            foreach (var template in plugin.Manifest.Templates)
            {
                var folder = Path.Join(starters, template.Name);
                var carried = plugin.Files.List(template.Path).Select(path => path[(template.Path.TrimEnd('/').Length + 1)..]).ToList();
                await Assert.That(carried).IsEquivalentTo(PackageFilesOf(folder), TUnit.Assertions.Enums.CollectionOrdering.Matching).Because($"{plugin}: {template.Name}");
                foreach (var file in carried)
                {
                    await Assert.That(plugin.Files.Read($"{template.Path}/{file}")).IsEquivalentTo(File.ReadAllBytes(Path.Join(folder, file))).Because(file);
                }
            }
            // The package's own files are still there beside its templates.
            await Assert.That(plugin.Files.List("")).Contains(PluginManifest.FileName);
        }
    }

    [Test]
    [Arguments("globalThis.Go = class {\n};\n", "<script src=\"out/run.js\"></script>\n<script>\nconst go = new Go();\nWebAssembly.instantiateStreaming(fetch(\"out/m\\u0026n.wasm\"), go.importObject)")]
    [Arguments("export function add(a, b) { return a + b; }\n", "<script type=\"module\">\nimport * as wasm from \"./out/run.js\";\nwindow.wasm = wasm;")]
    [Arguments("var Module = {};\n", "</script>\n<script src=\"out/run.js\"></script>\n<script type=\"module\" src=\"/_wasmrun/reload.js\"></script>\n</body>\n</html>\n")]
    public async Task The_glue_page_loads_each_kind_of_glue_and_escapes_what_it_shows(string glue, string loader)
    {
        using var temp = new TempDirectory();
        var output = Directory.CreateDirectory(Path.Join(temp.Path, "out")).FullName;
        File.WriteAllText(Path.Join(output, "run.js"), glue);

        var page = AppPages.GluePage("<b>&{{title}}", temp.Path, new BuildArtifacts(ArtifactKind.Web, Path.Join(output, "m&n.wasm"), Path.Join(output, "run.js"), null, []));

        await Assert.That(page).Contains(loader);
        await Assert.That(page).Contains("<title>&lt;b&gt;&amp;{{title}}</title>");
        await Assert.That(page).Contains("<p>The module <code>out/m&amp;n.wasm</code> with its JavaScript glue <code>out/run.js</code>. What it prints:</p>");
        await Assert.That(page.Split(AppPages.ReloadScript).Length).IsEqualTo(2);
        await Assert.That(page.Replace("{{title}}", "", StringComparison.Ordinal)).DoesNotContain("{{");
    }

    private static List<string> PackageFilesOf(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];
}
