// The first-party plugins as npm packages: package.json names the plugin and its version as wasmrun.toml does and
// carries the keyword `plugin search` looks for, and the tarball `npm pack` makes installs with every file of the
// folder and the plugin's templates, which its prepack copies in from templates/projects (npm drops .gitignore files,
// which is why templates carry theirs as `gitignore`).
using System.Text.Json;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Plugins.FirstParty;

public sealed class PackageTests
{
    private static readonly string[] Plugins = ["wasmrust", "wasmgo", "wasmasc", "waspy"];

    [Test]
    public async Task Each_package_json_matches_its_manifest_and_npm_pack_installs_the_whole_folder()
    {
        var npm = RequiredTool.Program("npm", "npm (node 20 or later)");
        using var workspace = await FirstPartyWorkspace.CreateAsync();
        foreach (var plugin in Plugins)
        {
            var folder = FirstPartyWorkspace.Package(plugin);
            using var package = JsonDocument.Parse(File.ReadAllText(Path.Join(folder, "package.json")));
            var json = package.RootElement;
            var manifest = File.ReadAllText(Path.Join(folder, "wasmrun.toml"));
            await Assert.That(json.GetProperty("name").GetString()).IsEqualTo(plugin);
            await Assert.That(manifest).Contains($"\nname = \"{plugin}\"\nversion = \"{json.GetProperty("version").GetString()}\"\n");
            await Assert.That(json.GetProperty("keywords").EnumerateArray().Select(k => k.GetString())).Contains("wasmrun-plugin");
            await Assert.That(FirstPartyWorkspace.PackageFiles(plugin).Keys.Where(path => Path.GetFileName(path) == ".gitignore")).IsEmpty();

            var pack = await ExternalProcess.RunAsync(npm, ["pack", "--pack-destination", workspace.Folder, "--loglevel=error"], folder);
            await Assert.That(pack.ExitCode).IsEqualTo(0).Because(pack.ToString());
            var tarball = Path.Join(workspace.Folder, $"{plugin}-{json.GetProperty("version").GetString()}.tgz");
            var install = await workspace.RunAsync(workspace.Folder, "plugin", "install", tarball);
            await Assert.That(install.ExitCode).IsEqualTo(0).Because(install.ToString());
            // package.json, and the templates its prepack copied in from templates/projects (postpack removed them).
            await Assert.That(Files(Path.Join(workspace.Home, "plugins", plugin))).IsEquivalentTo(
                FirstPartyWorkspace.PackageFiles(plugin).Keys.Append("package.json").Order(StringComparer.Ordinal), TUnit.Assertions.Enums.CollectionOrdering.Matching);
            await Assert.That(Directory.Exists(Path.Join(folder, "templates"))).IsFalse();
        }
    }

    /// <summary>Every file under a folder, by relative path, sorted.</summary>
    internal static List<string> Files(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal)];
}
