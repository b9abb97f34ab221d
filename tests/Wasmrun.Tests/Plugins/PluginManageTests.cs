// Managing plugins through the published binary: list, info, disable/enable (installed and built-in), update,
// uninstall, search; a broken config.toml is never rewritten; a new binary finds what an older one installed.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Plugins;

public sealed class PluginManageTests
{
    [Test]
    public async Task List_shows_built_in_and_installed_plugins_and_the_broken_ones()
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry);
        var published = registry.Publish("wasmdemo", "1.0.0", NpmPackage.SamplePlugin("wasmdemo", "1.0.0"));
        await Install(home, "wasmdemo");
        await Install(home, "plugin", "disable", "c");
        File.AppendAllText(home.ConfigFile, "\n[plugins.wasmgone]\nversion = \"1.0.0\"\nsource = \"registry\"\n");

        var text = await home.RunAsync("plugin", "list");
        var json = await home.RunAsync("plugin", "list", "--json");

        await Assert.That(text.ExitCode).IsEqualTo(0).Because(text.ToString());
        await Assert.That(text.Stdout).IsEqualTo($"""
            NAME      VERSION  STATE      LANGUAGES            SOURCE
            c         1.1.0    disabled   c, cpp               built in
            wasmdemo  1.0.0    enabled    demo                 registry {registry.Url}
            wasmasc   1.1.0    available  assemblyscript, asc  bundled with wasmrun
            wasmgo    1.1.0    available  go                   bundled with wasmrun
            wasmrust  1.0.0    available  rust                 bundled with wasmrun
            waspy     1.0.0    available  python               bundled with wasmrun
            available: bundled with wasmrun, not installed; `wasmrun plugin install NAME` installs one without a download

            broken
              wasmgone: registered in {home.ConfigFile}, but {Path.Join(home.Plugins, "wasmgone")} is missing
              reinstall with `wasmrun plugin install NAME`, or remove with `wasmrun plugin uninstall NAME`

            """);
        var report = JsonNode.Parse(json.Stdout)!;
        var demo = report["plugins"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "wasmdemo")!;
        await Assert.That(demo["enabled"]!.GetValue<bool>()).IsTrue();
        await Assert.That(demo["built_in"]!.GetValue<bool>()).IsFalse();
        await Assert.That(demo["folder"]!.GetValue<string>()).IsEqualTo(Path.Join(home.Plugins, "wasmdemo"));
        await Assert.That(demo["integrity"]!.GetValue<string>()).IsEqualTo(published.Integrity);
        await Assert.That(report["plugins"]![0]!["name"]!.GetValue<string>()).IsEqualTo("c");
        await Assert.That(report["plugins"]![0]!["enabled"]!.GetValue<bool>()).IsFalse();
        await Assert.That(report["broken"]![0]!["name"]!.GetValue<string>()).IsEqualTo("wasmgone");
    }

    [Test]
    public async Task Info_shows_the_manifest_tools_permissions_templates_and_origin()
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry);
        var published = registry.Publish("wasmdemo", "1.0.0", NpmPackage.SamplePlugin("wasmdemo", "1.0.0"));
        await Install(home, "wasmdemo");

        var text = await home.RunAsync("plugin", "info", "wasmdemo");
        var json = await home.RunAsync("plugin", "info", "wasmdemo", "--json");
        var unknown = await home.RunAsync("plugin", "info", "nosuch");

        await Assert.That(text.ExitCode).IsEqualTo(0).Because(text.ToString());
        await Assert.That(text.Stdout).IsEqualTo($"""
            wasmdemo 1.0.0  enabled
              A demo language plugin

              author         Test Author
              license        MIT
              languages      demo
              extensions     .demo
              targets        wasm (default), wasi
              optimizations  debug, release, size
              script         plugin.js
              folder         {Path.Join(home.Plugins, "wasmdemo")}
              source         registry {registry.Url}
              integrity      {published.Integrity}

            tools
              Demo compiler  democc-not-installed: not found; install democc from example.org

            permissions
              runs         democc-not-installed
              reads env    DEMO_HOME
              reads files  nothing  (and the project's own files)

            templates  (wasmrun init --template NAME)
              demo  A demo project

            """);
        var report = JsonNode.Parse(json.Stdout)!;
        await Assert.That(report["tools"]![0]!["found"]).IsNull();
        await Assert.That(report["permissions"]!["env"]![0]!.GetValue<string>()).IsEqualTo("DEMO_HOME");
        await Assert.That(report["source"]!.GetValue<string>()).IsEqualTo($"registry {registry.Url}");
        await Assert.That(unknown.ExitCode).IsEqualTo(2);
        await Assert.That(unknown.Stderr).StartsWith("error: no plugin named 'nosuch'");
    }

    [Test]
    public async Task Info_finds_a_tool_on_path()
    {
        using var home = new PluginHome(registry: null);
        var bin = Path.Join(home.Scratch, "bin");
        Directory.CreateDirectory(bin);
        var tool = Path.Join(bin, "democc-not-installed");
        File.WriteAllText(tool, "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var folder = Path.Join(home.Scratch, "demo");
        PluginInstallTests.WriteFiles(folder, NpmPackage.SamplePlugin("wasmdemo", "1.0.0"));
        await Install(home, folder);

        var result = await WasmrunBinary.RunAsync(["plugin", "info", "wasmdemo", "--json"],
            new Dictionary<string, string?>(home.Environment()) { ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH") });

        await Assert.That(JsonNode.Parse(result.Stdout)!["tools"]![0]!["found"]!.GetValue<string>()).IsEqualTo(tool);
    }

    [Test]
    public async Task Disable_and_enable_flip_the_entry_for_installed_and_built_in_plugins()
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry);
        registry.Publish("wasmdemo", "1.0.0", NpmPackage.SamplePlugin("wasmdemo", "1.0.0"));
        await Install(home, "wasmdemo");

        var disable = await home.RunAsync("plugin", "disable", "wasmdemo");
        var again = await home.RunAsync("plugin", "disable", "wasmdemo");
        await Assert.That(disable.Stdout).IsEqualTo("disabled wasmdemo\n");
        await Assert.That(again.Stdout).IsEqualTo("wasmdemo is already disabled\n");
        await Assert.That(home.Config).Contains("[plugins.wasmdemo]\nversion = \"1.0.0\"\nsource = \"registry\"\nintegrity = \"sha512-");
        await Assert.That(home.Config).Contains("enabled = false\n");

        var reinstall = await home.RunAsync("plugin", "install", "wasmdemo");
        await Assert.That(reinstall.Stdout).Contains("disabled   as before; turn it on with `wasmrun plugin enable wasmdemo`");
        await Assert.That(home.Config).Contains("enabled = false\n");

        var enable = await home.RunAsync("plugin", "enable", "wasmdemo");
        await Assert.That(enable.Stdout).IsEqualTo("enabled wasmdemo\n");
        await Assert.That(home.Config).Contains("enabled = true\n");

        var builtIn = await home.RunAsync("plugin", "disable", "c");
        await Assert.That(builtIn.ExitCode).IsEqualTo(0);
        await Assert.That(home.Config).EndsWith("\n[plugins.c]\nenabled = false\n");
        var list = await home.RunAsync("plugin", "list");
        await Assert.That(list.Stdout).Contains("c         1.1.0    disabled");
        await Assert.That((await home.RunAsync("plugin", "enable", "c")).ExitCode).IsEqualTo(0);
        await Assert.That(home.Config).EndsWith("\n[plugins.c]\nenabled = true\n");

        var unknown = await home.RunAsync("plugin", "enable", "nosuch");
        await Assert.That(unknown.ExitCode).IsEqualTo(2);
        await Assert.That(unknown.Stderr).StartsWith("error: no plugin named 'nosuch'\n");
    }

    [Test]
    public async Task Update_installs_a_newer_registry_version_and_says_up_to_date_otherwise()
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry);
        registry.Publish("wasmdemo", "1.0.0", NpmPackage.SamplePlugin("wasmdemo", "1.0.0"));
        await Install(home, "wasmdemo");

        var current = await home.RunAsync("plugin", "update", "wasmdemo");
        await Assert.That(current.ExitCode).IsEqualTo(0).Because(current.ToString());
        await Assert.That(current.Stdout).IsEqualTo("wasmdemo 1.0.0 is up to date\n");

        var newer = registry.Publish("wasmdemo", "1.10.0", NpmPackage.SamplePlugin("wasmdemo", "1.10.0"));
        var update = await home.RunAsync("plugin", "update", "wasmdemo");
        await Assert.That(update.ExitCode).IsEqualTo(0).Because(update.ToString());
        await Assert.That(update.Stdout).StartsWith("installed wasmdemo 1.10.0 (replacing 1.0.0)\n");
        await Assert.That(home.Config).Contains($"version = \"1.10.0\"\nsource = \"registry\"\nintegrity = \"{newer.Integrity}\"");
        await Assert.That(File.ReadAllText(Path.Join(home.Plugins, "wasmdemo", "wasmrun.toml"))).Contains("version = \"1.10.0\"");

        registry.Publish("wasmdemo", "1.9.0", NpmPackage.SamplePlugin("wasmdemo", "1.9.0"));
        var older = await home.RunAsync("plugin", "update", "--all");
        await Assert.That(older.Stdout).IsEqualTo("wasmdemo 1.10.0 is up to date (the registry's latest is 1.9.0)\n");

        var neither = await home.RunAsync("plugin", "update");
        await Assert.That(neither.ExitCode).IsEqualTo(2);
        var builtIn = await home.RunAsync("plugin", "update", "c");
        await Assert.That(builtIn.ExitCode).IsEqualTo(2);
        await Assert.That(builtIn.Stderr).StartsWith("error: plugin c is built into wasmrun: it is updated with wasmrun itself\n");
    }

    [Test]
    public async Task Update_all_reinstalls_a_folder_and_reports_each_plugin()
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry);
        registry.Publish("wasmdemo", "1.0.0", NpmPackage.SamplePlugin("wasmdemo", "1.0.0"));
        await Install(home, "wasmdemo");
        var folder = Path.Join(home.Scratch, "local");
        PluginInstallTests.WriteFiles(folder, NpmPackage.SamplePlugin("wasmlocal", "0.1.0"));
        await Install(home, folder);
        PluginInstallTests.WriteFiles(folder, NpmPackage.SamplePlugin("wasmlocal", "0.2.0"));

        var update = await home.RunAsync("plugin", "update", "--all");

        await Assert.That(update.ExitCode).IsEqualTo(0).Because(update.ToString());
        await Assert.That(update.Stdout).StartsWith("wasmdemo 1.0.0 is up to date\ninstalled wasmlocal 0.2.0 (replacing 0.1.0)\n");
        await Assert.That(home.Config).Contains($"[plugins.wasmlocal]\nversion = \"0.2.0\"\nsource = \"{folder}\"");

        Directory.Delete(folder, recursive: true);
        var gone = await home.RunAsync("plugin", "update", "--all");
        await Assert.That(gone.ExitCode).IsEqualTo(1);
        await Assert.That(gone.Stdout).IsEqualTo("wasmdemo 1.0.0 is up to date\nwasmlocal not updated (the error follows)\n");
        await Assert.That(gone.Stderr).StartsWith($"error: wasmlocal: {folder}: ");
    }

    [Test]
    public async Task Uninstall_removes_the_folder_and_the_entry_keeping_the_users_lines()
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry, "# keep me\nregistry = \"REGISTRY\" # the test's\n\n[plugins.c]\n# C stays off\nenabled = false\n");
        var config = home.Config;
        registry.Publish("wasmdemo", "1.0.0", NpmPackage.SamplePlugin("wasmdemo", "1.0.0"));
        await Install(home, "wasmdemo");

        var uninstall = await home.RunAsync("plugin", "uninstall", "wasmdemo");

        await Assert.That(uninstall.ExitCode).IsEqualTo(0).Because(uninstall.ToString());
        await Assert.That(uninstall.Stdout).IsEqualTo("uninstalled wasmdemo 1.0.0\n");
        await Assert.That(home.Config).IsEqualTo(config);
        await Assert.That(home.PluginFolderEntries()).IsEmpty();

        var again = await home.RunAsync("plugin", "uninstall", "wasmdemo");
        await Assert.That(again.ExitCode).IsEqualTo(2);
        await Assert.That(again.Stderr).StartsWith("error: no installed plugin named 'wasmdemo'\n");
        var builtIn = await home.RunAsync("plugin", "uninstall", "c");
        await Assert.That(builtIn.ExitCode).IsEqualTo(2);
        await Assert.That(builtIn.Stderr).IsEqualTo("error: plugin c is built into wasmrun and cannot be uninstalled\n  hint: turn it off instead: wasmrun plugin disable c\n");
        var traversal = await home.RunAsync("plugin", "uninstall", "../plugins");
        await Assert.That(traversal.ExitCode).IsEqualTo(2);
        await Assert.That(Directory.Exists(home.Plugins)).IsTrue();
    }

    [Test]
    public async Task Search_prints_matching_plugins_as_a_table_or_json()
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry);
        registry.Publish("wasmrust", "1.2.0", NpmPackage.SamplePlugin("wasmrust", "1.2.0"), new PublishOptions { Description = "Rust to WebAssembly" });
        registry.Publish("wasmgo", "0.3.0", NpmPackage.SamplePlugin("wasmgo", "0.3.0"), new PublishOptions { Description = "Go and TinyGo to WebAssembly" });
        registry.Publish("leftpad", "1.0.0", NpmPackage.SamplePlugin("leftpad", "1.0.0"), new PublishOptions { Description = "Rust string padding", Keywords = ["string"] });
        await Install(home, "plugin", "install", "wasmgo", "--registry", registry.Url);

        var rust = await home.RunAsync("plugin", "search", "rust");
        var all = await home.RunAsync("plugin", "search", "--json");
        var none = await home.RunAsync("plugin", "search", "cobol");

        await Assert.That(rust.ExitCode).IsEqualTo(0).Because(rust.ToString());
        await Assert.That(rust.Stdout).IsEqualTo("""
            NAME      VERSION  INSTALLED  DESCRIPTION
            wasmrust  1.2.0    -          Rust to WebAssembly

            """);
        await Assert.That(registry.Requests).Contains("/-/v1/search?text=keywords:wasmrun-plugin+rust&size=20");
        var results = JsonNode.Parse(all.Stdout)!["results"]!.AsArray();
        await Assert.That(results.Select(r => r!["name"]!.GetValue<string>())).IsEquivalentTo(["wasmgo", "wasmrust"]);
        await Assert.That(results[0]!["installed"]!.GetValue<string>()).IsEqualTo("0.3.0");
        await Assert.That(none.Stdout).IsEqualTo($"no plugins matching 'cobol' in {registry.Url}\n");
    }

    [Test]
    public async Task A_broken_config_is_never_rewritten()
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry, "registry = \"REGISTRY\"\n[plugins.wasmdemo]\nenabled = maybe\n");
        var before = home.Snapshot();
        registry.Publish("wasmdemo", "1.0.0", NpmPackage.SamplePlugin("wasmdemo", "1.0.0"));

        foreach (var command in new[] { "install", "disable", "enable", "uninstall" })
        {
            var result = await home.RunAsync("plugin", command, "wasmdemo");
            await Assert.That(result.ExitCode).IsEqualTo(1);
            await Assert.That(result.Stderr).StartsWith($"error: {home.ConfigFile}:3:11: ");
            await Assert.That(home.Snapshot()).IsEqualTo(before);
        }
    }

    [Test]
    public async Task A_new_binary_lists_what_an_older_one_installed()
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry);
        registry.Publish("wasmdemo", "1.0.0", NpmPackage.SamplePlugin("wasmdemo", "1.0.0"));
        await Install(home, "wasmdemo");
        // An upgrade replaces the binary, wherever it is installed: the plugins live in WASMRUN_HOME, outside it.
        var upgraded = Path.Join(home.Scratch, "new-bin", "wasmrun");
        Directory.CreateDirectory(Path.GetDirectoryName(upgraded)!);
        File.Copy(WasmrunBinary.RequirePath(), upgraded);

        var start = new ProcessStartInfo(upgraded, ["plugin", "list"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in home.Environment())
        {
            start.Environment[key] = value;
        }
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        await Assert.That(process.ExitCode).IsEqualTo(0);
        await Assert.That(output).Contains($"wasmdemo  1.0.0    enabled    demo                 registry {registry.Url}\n");
    }

    /// <summary>Runs `wasmrun plugin install ARG` (or the given command) and requires it to succeed.</summary>
    private static async Task Install(PluginHome home, params string[] arguments)
    {
        string[] command = arguments.Length == 1 ? ["plugin", "install", arguments[0]] : arguments;
        var result = await home.RunAsync(command);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"wasmrun {string.Join(' ', command)} failed: {result}");
        }
    }
}
