// `wasmrun plugin install` through the published binary against a loopback registry: from the registry (latest,
// an exact version, a dist-tag), a folder, a .tgz file and a URL; and the clear errors for what cannot be installed.
using System.Net;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Plugins;

public sealed class PluginInstallTests
{
    [Test]
    public async Task Installs_the_latest_version_from_the_registry_and_registers_it()
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry);
        registry.Publish("wasmdemo", "0.9.0", NpmPackage.SamplePlugin("wasmdemo", "0.9.0"), new PublishOptions { Tags = [] });
        var published = registry.Publish("wasmdemo", "1.0.0", NpmPackage.SamplePlugin("wasmdemo", "1.0.0"));

        var result = await home.RunAsync("plugin", "install", "wasmdemo");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stdout).StartsWith("installed wasmdemo 1.0.0\n");
        await Assert.That(result.Stdout).Contains($"  source     registry {registry.Url}\n");
        await Assert.That(result.Stdout).Contains($"  integrity  {published.Integrity}\n");
        var folder = Path.Join(home.Plugins, "wasmdemo");
        await Assert.That(result.Stdout).Contains($"  folder     {folder}\n");
        await Assert.That(File.ReadAllText(Path.Join(folder, "plugin.js"))).IsEqualTo(NpmPackage.SamplePlugin("wasmdemo", "1.0.0")["plugin.js"]);
        await Assert.That(File.Exists(Path.Join(folder, "templates", "demo", "main.demo"))).IsTrue();
        await Assert.That(home.Config).IsEqualTo($"""
            # the test's registry
            registry = "{registry.Url}"

            [plugins.wasmdemo]
            version = "1.0.0"
            source = "registry"
            integrity = "{published.Integrity}"
            enabled = true

            """);
        await Assert.That(registry.Requests).IsEquivalentTo(["/wasmdemo", "/wasmdemo/-/wasmdemo-1.0.0.tgz"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(home.PluginFolderEntries()).IsEquivalentTo(["wasmdemo"]);
    }

    [Test]
    public async Task Installs_an_exact_version_or_a_dist_tag_and_replaces_the_installed_one()
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry);
        registry.Publish("wasmdemo", "1.0.0", NpmPackage.SamplePlugin("wasmdemo", "1.0.0"));
        registry.Publish("wasmdemo", "2.0.0-beta.1", NpmPackage.SamplePlugin("wasmdemo", "2.0.0-beta.1"), new PublishOptions { Tags = ["beta"] });

        var beta = await home.RunAsync("plugin", "install", "wasmdemo@beta");
        await Assert.That(beta.ExitCode).IsEqualTo(0).Because(beta.ToString());
        await Assert.That(beta.Stdout).StartsWith("installed wasmdemo 2.0.0-beta.1\n");

        var exact = await home.RunAsync("plugin", "install", "wasmdemo@1.0.0");
        await Assert.That(exact.ExitCode).IsEqualTo(0).Because(exact.ToString());
        await Assert.That(exact.Stdout).StartsWith("installed wasmdemo 1.0.0 (replacing 2.0.0-beta.1)\n");
        await Assert.That(File.ReadAllText(Path.Join(home.Plugins, "wasmdemo", "wasmrun.toml"))).Contains("version = \"1.0.0\"");
        await Assert.That(home.Config).Contains("version = \"1.0.0\"");
        await Assert.That(home.PluginFolderEntries()).IsEquivalentTo(["wasmdemo"]);

        var missing = await home.RunAsync("plugin", "install", "wasmdemo@3.0.0");
        await Assert.That(missing.ExitCode).IsEqualTo(2);
        await Assert.That(missing.Stderr).IsEqualTo($"error: wasmdemo has no version 3.0.0 in {registry.Url}\n  hint: versions: 2.0.0-beta.1, 1.0.0; dist-tags: latest → 1.0.0, beta → 2.0.0-beta.1\n");

        var range = await home.RunAsync("plugin", "install", "wasmdemo@^1.0.0");
        await Assert.That(range.ExitCode).IsEqualTo(2);
        await Assert.That(range.Stderr).Contains("has no version or dist-tag '^1.0.0'");
        await Assert.That(range.Stderr).Contains("ranges are not supported");
    }

    [Test]
    public async Task A_registry_given_with_registry_is_recorded_and_update_asks_it_again()
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry: null, config: "registry = \"http://127.0.0.1:1/\"\n");
        registry.Publish("wasmdemo", "1.0.0", NpmPackage.SamplePlugin("wasmdemo", "1.0.0"));

        var install = await home.RunAsync("plugin", "install", "wasmdemo", "--registry", registry.Url);
        await Assert.That(install.ExitCode).IsEqualTo(0).Because(install.ToString());
        await Assert.That(home.Config).Contains($"source = \"registry:{registry.Url}\"");

        registry.Publish("wasmdemo", "1.1.0", NpmPackage.SamplePlugin("wasmdemo", "1.1.0"));
        var update = await home.RunAsync("plugin", "update", "wasmdemo");
        await Assert.That(update.ExitCode).IsEqualTo(0).Because(update.ToString());
        await Assert.That(update.Stdout).StartsWith("installed wasmdemo 1.1.0 (replacing 1.0.0)\n");
        await Assert.That(update.Stdout).Contains($"  source     registry {registry.Url}\n");

        var path = await home.RunAsync("plugin", "install", home.Scratch, "--registry", registry.Url);
        await Assert.That(path.ExitCode).IsEqualTo(2);
    }

    [Test]
    public async Task Installs_a_folder_leaving_out_git_and_records_its_path()
    {
        using var home = new PluginHome(registry: null);
        var folder = Path.Join(home.Scratch, "my plugin");
        WriteFiles(folder, NpmPackage.SamplePlugin("wasmdemo", "0.1.0"));
        WriteFiles(Path.Join(folder, ".git"), new() { ["HEAD"] = "ref: refs/heads/main\n" });

        var result = await home.RunAsync("plugin", "install", folder);

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stdout).StartsWith("installed wasmdemo 0.1.0\n");
        await Assert.That(result.Stdout).DoesNotContain("integrity");
        await Assert.That(Directory.Exists(Path.Join(home.Plugins, "wasmdemo", ".git"))).IsFalse();
        await Assert.That(File.Exists(Path.Join(home.Plugins, "wasmdemo", "plugin.js"))).IsTrue();
        await Assert.That(home.Config).IsEqualTo($"[plugins.wasmdemo]\nversion = \"0.1.0\"\nsource = \"{folder}\"\nintegrity = \"\"\nenabled = true\n");
    }

    [Test]
    public async Task Installs_a_tgz_file_and_records_its_integrity()
    {
        using var home = new PluginHome(registry: null);
        var tarball = NpmPackage.Pack(NpmPackage.SamplePlugin("wasmdemo", "1.2.3"));
        var file = Path.Join(home.Scratch, "wasmdemo-1.2.3.tgz");
        File.WriteAllBytes(file, tarball);

        var result = await home.RunAsync("plugin", "install", file);

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stdout).StartsWith("installed wasmdemo 1.2.3\n");
        await Assert.That(home.Config).Contains($"source = \"{file}\"\nintegrity = \"{NpmPackage.Integrity(tarball)}\"");
    }

    [Test]
    public async Task Installs_from_a_url_checking_a_pinned_integrity()
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry);
        var published = registry.Publish("wasmdemo", "1.0.0", NpmPackage.SamplePlugin("wasmdemo", "1.0.0"));
        var config = home.Config;

        var wrong = await home.RunAsync("plugin", "install", published.TarballUrl, "--integrity", NpmPackage.Integrity([1, 2, 3]));
        await Assert.That(wrong.ExitCode).IsEqualTo(1);
        await Assert.That(wrong.Stderr).StartsWith($"error: {published.TarballUrl}: integrity check failed: expected sha512-");
        await Assert.That(home.Config).IsEqualTo(config);
        await Assert.That(home.PluginFolderEntries()).IsEmpty();

        var pinned = await home.RunAsync("plugin", "install", published.TarballUrl, "--integrity", published.Integrity);
        await Assert.That(pinned.ExitCode).IsEqualTo(0).Because(pinned.ToString());
        await Assert.That(home.Config).Contains($"source = \"{published.TarballUrl}\"\nintegrity = \"{published.Integrity}\"");

        var unpinned = await home.RunAsync("plugin", "install", published.TarballUrl);
        await Assert.That(unpinned.ExitCode).IsEqualTo(0).Because(unpinned.ToString());
        await Assert.That(unpinned.Stdout).StartsWith("installed wasmdemo 1.0.0 (replacing 1.0.0)\n");
    }

    [Test]
    public async Task An_unknown_name_is_a_usage_error_naming_the_registry()
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry);
        var before = home.Snapshot();

        var result = await home.RunAsync("plugin", "install", "nosuchplugin");

        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).StartsWith($"error: no plugin named 'nosuchplugin' in {registry.Url}\n  hint: ");
        await Assert.That(home.Snapshot()).IsEqualTo(before);
    }

    [Test]
    public async Task Registry_failures_are_network_errors_without_the_server_page()
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry);
        registry.Publish("wasmdemo", "1.0.0", NpmPackage.SamplePlugin("wasmdemo", "1.0.0"));
        registry.FailWith = HttpStatusCode.InternalServerError;

        var failing = await home.RunAsync("plugin", "install", "wasmdemo");

        await Assert.That(failing.ExitCode).IsEqualTo(6);
        await Assert.That(failing.Stderr).StartsWith($"error: {registry.Url}wasmdemo answered 500 Internal Server Error\n");
        await Assert.That(failing.Stderr).DoesNotContain("<");
        await Assert.That(failing.Stderr).DoesNotContain("secret");

        using var nowhere = new PluginHome(registry: null, config: "registry = \"http://127.0.0.1:1/\"\n");
        var unreachable = await nowhere.RunAsync("plugin", "install", "wasmdemo");
        await Assert.That(unreachable.ExitCode).IsEqualTo(6);
        await Assert.That(unreachable.Stderr).StartsWith("error: cannot fetch http://127.0.0.1:1/wasmdemo: ");
    }

    [Test]
    [Arguments("c", "plugin c is built into wasmrun")]
    [Arguments("Demo", "'Demo' is not a plugin name")]
    [Arguments("@scope/demo", "is a scoped npm package")]
    [Arguments("ftp://example.org/demo.tgz", "only http and https URLs")]
    public async Task Names_that_cannot_be_installed_are_usage_errors(string argument, string message)
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry);

        var result = await home.RunAsync("plugin", "install", argument);

        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).Contains(message);
        await Assert.That(registry.Requests).IsEmpty();
    }

    [Test]
    public async Task A_package_must_be_the_plugin_and_version_the_registry_names()
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry);
        registry.Publish("wasmdemo", "1.0.0", NpmPackage.SamplePlugin("impostor", "1.0.0"));
        registry.Publish("wasmother", "1.0.0", NpmPackage.SamplePlugin("wasmother", "0.5.0"));
        var before = home.Snapshot();

        var impostor = await home.RunAsync("plugin", "install", "wasmdemo");
        var version = await home.RunAsync("plugin", "install", "wasmother");

        await Assert.That(impostor.ExitCode).IsEqualTo(1);
        await Assert.That(impostor.Stderr).StartsWith($"error: wasmdemo 1.0.0 from {registry.Url}: the package holds plugin 'impostor', not 'wasmdemo': refused\n");
        await Assert.That(version.ExitCode).IsEqualTo(1);
        await Assert.That(version.Stderr).Contains("the package's wasmrun.toml says version 0.5.0: refused");
        await Assert.That(home.Snapshot()).IsEqualTo(before);
    }

    [Test]
    public async Task A_broken_manifest_a_missing_script_or_no_manifest_is_refused_with_where()
    {
        using var home = new PluginHome(registry: null);
        var broken = Path.Join(home.Scratch, "broken");
        var files = NpmPackage.SamplePlugin("wasmdemo", "1.0.0");
        WriteFiles(broken, new(files) { ["wasmrun.toml"] = files["wasmrun.toml"].Replace("languages", "langauges", StringComparison.Ordinal) });
        var scriptless = Path.Join(home.Scratch, "scriptless");
        WriteFiles(scriptless, new(files.Where(f => f.Key != "plugin.js")));
        var builtIn = Path.Join(home.Scratch, "c");
        WriteFiles(builtIn, NpmPackage.SamplePlugin("c", "9.0.0"));
        var manifestless = Path.Join(home.Scratch, "manifestless");
        WriteFiles(manifestless, new(files.Where(f => f.Key != "wasmrun.toml")));

        var manifest = await home.RunAsync("plugin", "install", broken);
        var script = await home.RunAsync("plugin", "install", scriptless);
        var shadow = await home.RunAsync("plugin", "install", builtIn);
        var notAPlugin = await home.RunAsync("plugin", "install", manifestless);

        await Assert.That(manifest.ExitCode).IsEqualTo(1);
        await Assert.That(manifest.Stderr).StartsWith($"error: {Path.Join(broken, "wasmrun.toml")}:9:1: unknown key 'plugin.langauges'");
        await Assert.That(script.ExitCode).IsEqualTo(1);
        await Assert.That(script.Stderr).StartsWith($"error: {scriptless}: the plugin's script plugin.js (plugin.entry) is missing\n");
        await Assert.That(shadow.ExitCode).IsEqualTo(2);
        await Assert.That(shadow.Stderr).StartsWith("error: plugin c is built into wasmrun");
        await Assert.That(notAPlugin.ExitCode).IsEqualTo(1);
        await Assert.That(notAPlugin.Stderr).StartsWith($"error: {manifestless}: no wasmrun.toml in the package: not a Wasmrun plugin\n");
        await Assert.That(home.PluginFolderEntries()).IsEmpty();
        await Assert.That(File.Exists(home.ConfigFile)).IsFalse();
    }

    [Test]
    public async Task When_config_toml_cannot_be_changed_the_old_version_is_put_back()
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry);
        var old = registry.Publish("wasmdemo", "1.0.0", NpmPackage.SamplePlugin("wasmdemo", "1.0.0"));
        var install = await home.RunAsync("plugin", "install", "wasmdemo");
        await Assert.That(install.ExitCode).IsEqualTo(0).Because(install.ToString());
        // The user rewrote the entry as an inline table, which the editor refuses to edit: the swap must be undone.
        File.WriteAllText(home.ConfigFile, $"registry = \"{registry.Url}\"\n[plugins]\nwasmdemo = {{ version = \"1.0.0\", source = \"registry\", integrity = \"{old.Integrity}\" }}\n");
        registry.Publish("wasmdemo", "1.1.0", NpmPackage.SamplePlugin("wasmdemo", "1.1.0"));
        var before = home.Snapshot();

        var update = await home.RunAsync("plugin", "install", "wasmdemo");

        await Assert.That(update.ExitCode).IsEqualTo(1);
        await Assert.That(update.Stderr).StartsWith($"error: {home.ConfigFile}:3:1: [plugins.wasmdemo] cannot be changed: plugins.wasmdemo is an inline table\n");
        await Assert.That(home.Snapshot()).IsEqualTo(before);
        await Assert.That(File.ReadAllText(Path.Join(home.Plugins, "wasmdemo", "wasmrun.toml"))).Contains("version = \"1.0.0\"");
        await Assert.That(home.PluginFolderEntries()).IsEquivalentTo(["wasmdemo"]);
    }

    internal static void WriteFiles(string folder, Dictionary<string, string> files)
    {
        foreach (var (path, content) in files)
        {
            var file = Path.Join(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, content);
        }
    }
}
