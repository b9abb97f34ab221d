// The first-party plugins bundled in the published binary: `plugin install NAME` copies the bundled one without
// asking any registry (a stranger may hold the name there), a registry copy only with --registry and only when its
// manifest names the plugin, list and info show the ones not installed, update refreshes from the binary, and the
// hints of compile, init and enable name the offline install.
using System.Text.Json.Nodes;
using Wasmrun.Tests.Plugins.FirstParty;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Plugins;

public sealed class BundledPluginTests
{
    private const string Offline = "(bundled with wasmrun: no download)";

    [Test]
    [Arguments("wasmrust")]
    [Arguments("wasmgo")]
    [Arguments("wasmasc")]
    [Arguments("waspy")]
    public async Task Install_of_a_first_party_name_copies_the_bundled_plugin_and_never_asks_the_registry(string name)
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry);
        // Whoever holds the name in the configured registry must not be what a first-party name installs.
        registry.Publish(name, "9.0.0", NpmPackage.SamplePlugin(name, "9.0.0"));
        var version = BundledVersion(name);

        var result = await home.RunAsync("plugin", "install", name);

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        var folder = Path.Join(home.Plugins, name);
        await Assert.That(result.Stdout).IsEqualTo($"installed {name} {version}\n  source     bundled with wasmrun\n  folder     {folder}\n");
        await Assert.That(registry.Requests).IsEmpty();
        // The installed copy is the plugins-js folder minus package.json (npm's, for publishing only), with its
        // templates from templates/projects, byte for byte.
        var expected = FirstPartyWorkspace.PackageFiles(name);
        await Assert.That(PackageTests.Files(folder)).IsEquivalentTo(expected.Keys, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        foreach (var (path, file) in expected)
        {
            await Assert.That(File.ReadAllBytes(Path.Join(folder, path))).IsEquivalentTo(File.ReadAllBytes(file)).Because(path);
        }
        await Assert.That(home.Config).IsEqualTo($"""
            # the test's registry
            registry = "{registry.Url}"

            [plugins.{name}]
            version = "{version}"
            source = "bundled"
            integrity = ""
            enabled = true

            """);
    }

    [Test]
    public async Task Only_the_bundled_version_installs_offline_and_another_one_says_to_ask_a_registry()
    {
        using var home = new PluginHome(registry: null, config: "registry = \"http://127.0.0.1:1/\"\n");
        var version = BundledVersion("wasmrust");

        var other = await home.RunAsync("plugin", "install", "wasmrust@9.0.0");
        var pinned = await home.RunAsync("plugin", "install", "wasmrust", "--integrity", NpmPackage.Integrity([1]));
        await Assert.That(File.Exists(Path.Join(home.Plugins, "wasmrust", "wasmrun.toml"))).IsFalse();
        var exact = await home.RunAsync("plugin", "install", $"wasmrust@{version}");

        await Assert.That(other.ExitCode).IsEqualTo(2);
        await Assert.That(other.Stderr).IsEqualTo($"""
            error: wasmrust@9.0.0: this wasmrun bundles wasmrust {version}, and takes first-party plugins from a registry only when asked
              hint: install the bundled one (wasmrun plugin install wasmrust), or ask a registry: wasmrun plugin install wasmrust@9.0.0 --registry http://127.0.0.1:1/

            """);
        await Assert.That(pinned.ExitCode).IsEqualTo(2);
        await Assert.That(pinned.Stderr).StartsWith("error: --integrity applies to a .tgz file or URL");
        await Assert.That(exact.ExitCode).IsEqualTo(0).Because(exact.ToString());
        await Assert.That(exact.Stdout).StartsWith($"installed wasmrust {version}\n  source     bundled with wasmrun\n");
    }

    [Test]
    public async Task A_registry_copy_comes_only_with_registry_and_only_when_its_manifest_names_the_plugin()
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry);
        registry.Publish("wasmrust", "9.0.0", NpmPackage.SamplePlugin("wasmrust", "9.0.0"));
        registry.Publish("wasmgo", "9.0.0", NpmPackage.SamplePlugin("wasmevil", "9.0.0"));

        var impostor = await home.RunAsync("plugin", "install", "wasmgo", "--registry", registry.Url);
        await Assert.That(impostor.ExitCode).IsEqualTo(1);
        await Assert.That(impostor.Stderr).StartsWith($"error: wasmgo 9.0.0 from {registry.Url}: the package holds plugin 'wasmevil', not 'wasmgo': refused\n");
        await Assert.That(home.PluginFolderEntries()).IsEmpty();

        var asked = await home.RunAsync("plugin", "install", "wasmrust", "--registry", registry.Url);
        await Assert.That(asked.ExitCode).IsEqualTo(0).Because(asked.ToString());
        await Assert.That(asked.Stdout).StartsWith($"installed wasmrust 9.0.0\n  source     registry {registry.Url}\n");
        await Assert.That(registry.Requests).Contains("/wasmrust/-/wasmrust-9.0.0.tgz");

        // Installed from the registry, it is updated from the registry; the bundled copy is one `install` away.
        registry.Publish("wasmrust", "9.1.0", NpmPackage.SamplePlugin("wasmrust", "9.1.0"));
        var update = await home.RunAsync("plugin", "update", "wasmrust");
        await Assert.That(update.Stdout).StartsWith("installed wasmrust 9.1.0 (replacing 9.0.0)\n");
        var back = await home.RunAsync("plugin", "install", "wasmrust");
        await Assert.That(back.Stdout).StartsWith($"installed wasmrust {BundledVersion("wasmrust")} (replacing 9.1.0)\n  source     bundled with wasmrun\n");
    }

    [Test]
    public async Task List_and_info_show_the_bundled_plugins_that_are_not_installed_as_available()
    {
        using var home = new PluginHome(registry: null, config: "registry = \"http://127.0.0.1:1/\"\n");

        var list = await home.RunAsync("plugin", "list");
        await Assert.That(list.ExitCode).IsEqualTo(0).Because(list.ToString());
        await Assert.That(list.Stdout).IsEqualTo("""
            NAME      VERSION  STATE      LANGUAGES            SOURCE
            c         1.1.0    enabled    c, cpp               built in
            wasmasc   1.1.0    available  assemblyscript, asc  bundled with wasmrun
            wasmgo    1.1.0    available  go                   bundled with wasmrun
            wasmrust  1.0.0    available  rust                 bundled with wasmrun
            waspy     1.0.0    available  python               bundled with wasmrun
            available: bundled with wasmrun, not installed; `wasmrun plugin install NAME` installs one without a download

            """);

        var info = await home.RunAsync("plugin", "info", "wasmrust");
        await Assert.That(info.ExitCode).IsEqualTo(0).Because(info.ToString());
        await Assert.That(info.Stdout).StartsWith("wasmrust 1.0.0  available, not installed\n");
        await Assert.That(info.Stdout).Contains($"  folder         none yet: wasmrun plugin install wasmrust {Offline}\n");
        await Assert.That(info.Stdout).Contains("  source         bundled with wasmrun\n");
        await Assert.That(info.Stdout).Contains("templates  (wasmrun init --template NAME)\n  rust  ");
        var infoJson = JsonNode.Parse((await home.RunAsync("plugin", "info", "wasmrust", "--json")).Stdout)!;
        await Assert.That(infoJson["available"]!.GetValue<bool>()).IsTrue();
        await Assert.That(infoJson["enabled"]!.GetValue<bool>()).IsFalse();
        await Assert.That(infoJson["folder"]).IsNull();

        await Assert.That((await home.RunAsync("plugin", "install", "wasmrust")).ExitCode).IsEqualTo(0);
        var installed = await home.RunAsync("plugin", "list");
        await Assert.That(installed.Stdout).Contains("\nwasmrust  1.0.0    enabled    rust                 bundled with wasmrun\n");
        await Assert.That(installed.Stdout).DoesNotContain("wasmrust  1.0.0    available");
        var json = JsonNode.Parse((await home.RunAsync("plugin", "list", "--json")).Stdout)!;
        await Assert.That(json["available"]!.AsArray().Select(p => p!["name"]!.GetValue<string>())).IsEquivalentTo(["wasmasc", "wasmgo", "waspy"]);
        await Assert.That(json["available"]![1]!["install"]!.GetValue<string>()).IsEqualTo("wasmrun plugin install wasmgo");
        var rust = json["plugins"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "wasmrust")!;
        await Assert.That(rust["folder"]!.GetValue<string>()).IsEqualTo(Path.Join(home.Plugins, "wasmrust"));
        await Assert.That(rust["source"]!.GetValue<string>()).IsEqualTo("bundled with wasmrun");

        await Assert.That((await home.RunAsync("plugin", "uninstall", "wasmrust")).ExitCode).IsEqualTo(0);
        await Assert.That((await home.RunAsync("plugin", "list")).Stdout).Contains("\nwasmrust  1.0.0    available  rust ");
    }

    [Test]
    public async Task Update_refreshes_a_bundled_install_from_the_binary_when_its_files_differ()
    {
        using var home = new PluginHome(registry: null, config: "registry = \"http://127.0.0.1:1/\"\n");
        await Assert.That((await home.RunAsync("plugin", "install", "wasmrust")).ExitCode).IsEqualTo(0);
        var script = Path.Join(home.Plugins, "wasmrust", "plugin.js");
        var bundled = File.ReadAllText(script);

        var current = await home.RunAsync("plugin", "update", "wasmrust");
        await Assert.That(current.ExitCode).IsEqualTo(0).Because(current.ToString());
        await Assert.That(current.Stdout).IsEqualTo("wasmrust 1.0.0 is up to date\n");

        File.AppendAllText(script, "// edited in place\n");
        var edited = await home.RunAsync("plugin", "update", "--all");
        await Assert.That(edited.ExitCode).IsEqualTo(0).Because(edited.ToString());
        await Assert.That(edited.Stdout).StartsWith("installed wasmrust 1.0.0 (replacing 1.0.0)\n  source     bundled with wasmrun\n");
        await Assert.That(File.ReadAllText(script)).IsEqualTo(bundled);

        // What an older wasmrun bundled: list says this one has another version, and update installs it.
        var manifest = Path.Join(home.Plugins, "wasmrust", "wasmrun.toml");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\nversion = \"1.0.0\"\n", "\nversion = \"0.9.0\"\n", StringComparison.Ordinal));
        File.WriteAllText(home.ConfigFile, home.Config.Replace("version = \"1.0.0\"", "version = \"0.9.0\"", StringComparison.Ordinal));
        var list = await home.RunAsync("plugin", "list");
        await Assert.That(list.Stdout).Contains("\nwasmrust  0.9.0    enabled    rust                 bundled with wasmrun (this wasmrun bundles 1.0.0: wasmrun plugin update wasmrust)\n");
        var older = await home.RunAsync("plugin", "update", "wasmrust");
        await Assert.That(older.Stdout).StartsWith("installed wasmrust 1.0.0 (replacing 0.9.0)\n");
    }

    [Test]
    public async Task Compile_init_and_enable_name_the_offline_install_of_the_plugin_a_project_needs()
    {
        using var home = new PluginHome(registry: null, config: "registry = \"http://127.0.0.1:1/\"\n");
        var project = Path.Join(home.Scratch, "rusty");
        PluginInstallTests.WriteFiles(project, new() { ["Cargo.toml"] = "[package]\nname = \"rusty\"\n" });
        Task<ProcessResult> Run(params string[] arguments) => WasmrunBinary.RunAsync(arguments, home.Environment(), home.Scratch);

        var compile = await Run("compile", project);
        await Assert.That(compile.ExitCode).IsEqualTo(2);
        await Assert.That(compile.Stderr).IsEqualTo($"""
            error: {project}: no plugin recognises this project
              hint: the plugin wasmrust recognises it (Cargo.toml found) and is not installed: wasmrun plugin install wasmrust {Offline}

            """);
        var language = await Run("compile", project, "--language", "go");
        await Assert.That(language.ExitCode).IsEqualTo(2);
        await Assert.That(language.Stderr).Contains($"  hint: the plugin wasmgo builds go and is not installed: wasmrun plugin install wasmgo {Offline}\n");
        var init = await Run("init", "app", "--template", "python");
        await Assert.That(init.ExitCode).IsEqualTo(2);
        await Assert.That(init.Stderr).Contains($"  hint: it comes with the plugin waspy, not installed: wasmrun plugin install waspy {Offline}\n");
        var enable = await Run("plugin", "enable", "wasmasc");
        await Assert.That(enable.ExitCode).IsEqualTo(2);
        await Assert.That(enable.Stderr).IsEqualTo($"error: plugin wasmasc is not installed\n  hint: install it: wasmrun plugin install wasmasc {Offline}\n");

        // The hint's command, with the registry unreachable, and the project is recognised.
        var install = await Run("plugin", "install", "wasmrust");
        await Assert.That(install.ExitCode).IsEqualTo(0).Because(install.ToString());
        var explain = await Run("compile", project, "--explain");
        await Assert.That(explain.Stdout).EndsWith("chosen: wasmrust (the only plugin with a marker)\n");
    }

    /// <summary>plugin.version of plugins-js/NAME/wasmrun.toml.</summary>
    private static string BundledVersion(string name) =>
        File.ReadLines(Path.Join(RepositoryRoot.Path, "plugins-js", name, "wasmrun.toml"))
            .First(line => line.StartsWith("version = \"", StringComparison.Ordinal))["version = \"".Length..^1];
}
