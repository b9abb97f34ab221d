// config.toml loading, the config home and `wasmrun config` output; each test has its own temp directory.
using System.Text.Json;
using Wasmrun.Cli;
using Wasmrun.Commands;
using Wasmrun.Config;

namespace Wasmrun.Tests;

public sealed class ConfigTests
{
    [Test]
    public async Task Valid_file_sets_the_color_and_marks_it_as_from_the_file()
    {
        using var home = new TempHome("# colours off for logs\ncolor = \"never\"\n");
        var config = ConfigFile.Load(home.Paths);
        var color = config.EffectiveSettings().Single(s => s.Key == "color");

        await Assert.That(config.Exists).IsTrue();
        await Assert.That(config.Settings.Color).IsEqualTo(ColorMode.Never);
        await Assert.That(color.Key).IsEqualTo("color");
        await Assert.That(color.Value.GetValue<string>()).IsEqualTo("never");
        await Assert.That(color.FromFile).IsTrue();
    }

    [Test]
    public async Task Missing_file_gives_the_defaults_and_is_not_created()
    {
        using var home = new TempHome(content: null);
        var config = ConfigFile.Load(home.Paths);
        var color = config.EffectiveSettings().Single(s => s.Key == "color");

        await Assert.That(config.Exists).IsFalse();
        await Assert.That(config.Settings.Color).IsEqualTo(ColorMode.Auto);
        await Assert.That(color.Value.GetValue<string>()).IsEqualTo("auto");
        await Assert.That(color.FromFile).IsFalse();
        await Assert.That(Directory.EnumerateFileSystemEntries(home.Dir).Any()).IsFalse();
    }

    [Test]
    public async Task Missing_home_directory_gives_the_defaults_and_is_not_created()
    {
        using var home = new TempHome(content: null);
        var config = ConfigFile.Load(new ConfigPaths(Path.Join(home.Dir, "absent"), HomeFromEnvironment: true));

        await Assert.That(config.Exists).IsFalse();
        await Assert.That(config.Settings.Color).IsEqualTo(ColorMode.Auto);
        await Assert.That(Directory.Exists(Path.Join(home.Dir, "absent"))).IsFalse();
    }

    [Test]
    public async Task File_with_only_comments_gives_the_defaults()
    {
        using var home = new TempHome("# nothing set yet\n");
        var config = ConfigFile.Load(home.Paths);

        await Assert.That(config.Exists).IsTrue();
        await Assert.That(config.Settings.Color).IsEqualTo(ColorMode.Auto);
        await Assert.That(config.EffectiveSettings().Single(s => s.Key == "color").FromFile).IsFalse();
    }

    [Test]
    [Arguments("# colours\ncolor = \n", 2, 9, "expecting a value")]
    [Arguments("color = \"never\n", 1, 15, "Invalid newline in a string")]
    [Arguments("color = \"never\"\ncolor = \"auto\"\n", 2, 1, "already defined")]
    public async Task Syntax_error_names_the_file_line_and_column(string content, int line, int column, string reason)
    {
        using var home = new TempHome(content);
        var error = Assert.Throws<WasmrunException>(() => ConfigFile.Load(home.Paths));

        await Assert.That(error.Message).StartsWith($"{home.Paths.File}:{line}:{column}: TOML syntax error: ");
        await Assert.That(error.Message).Contains(reason);
        await Assert.That(error.ExitCode).IsEqualTo(ExitCode.InvalidInput);
        await Assert.That(error.Hint).IsNotNull();
    }

    [Test]
    [Arguments("color = \"never\"\ncolour = \"auto\"\n", 2, 1, "colour")]
    [Arguments("[server]\nport = 8080\n", 1, 2, "server")]
    [Arguments("color.mode = \"never\"\n", 1, 7, "color.mode")]
    public async Task Unknown_key_is_reported_with_the_valid_keys(string content, int line, int column, string key)
    {
        using var home = new TempHome(content);
        var error = Assert.Throws<WasmrunException>(() => ConfigFile.Load(home.Paths));

        await Assert.That(error.Message).IsEqualTo($"{home.Paths.File}:{line}:{column}: unknown key '{key}'");
        await Assert.That(error.ExitCode).IsEqualTo(ExitCode.InvalidInput);
        await Assert.That(error.Hint).StartsWith("valid keys: color, registry, plugin_limits.memory, ");
        await Assert.That(error.Hint).EndsWith("; fix the spelling or delete the line (a broken config.toml is never rewritten)");
    }

    [Test]
    [Arguments("color = \"blue\"\n", "\"blue\" is not one of \"auto\", \"always\", \"never\"")]
    [Arguments("color = \"Never\"\n", "\"Never\" is not one of \"auto\", \"always\", \"never\"")]
    public async Task Bad_enum_value_is_reported_with_the_accepted_words(string content, string reason)
    {
        using var home = new TempHome(content);
        var error = Assert.Throws<WasmrunException>(() => ConfigFile.Load(home.Paths));

        await Assert.That(error.Message).IsEqualTo($"{home.Paths.File}:1:9: invalid value for 'color': {reason}");
        await Assert.That(error.ExitCode).IsEqualTo(ExitCode.InvalidInput);
        await Assert.That(error.Hint).Contains("(\"auto\")");
    }

    [Test]
    [Arguments("color = 2\n", "2")]
    [Arguments("color = true\n", "true")]
    [Arguments("color = [\"never\"]\n", "an array")]
    public async Task Wrong_value_type_is_reported_at_the_value(string content, string found)
    {
        using var home = new TempHome(content);
        var error = Assert.Throws<WasmrunException>(() => ConfigFile.Load(home.Paths));

        await Assert.That(error.Message).IsEqualTo(
            $"{home.Paths.File}:1:9: invalid value for 'color': expected a string, one of \"auto\", \"always\", \"never\"; found {found}");
        await Assert.That(error.ExitCode).IsEqualTo(ExitCode.InvalidInput);
    }

    [Test]
    [Arguments("color = \n")]
    [Arguments("colour = \"never\"\n")]
    [Arguments("color = \"blue\"\n")]
    [Arguments("color = 1\n")]
    public async Task Malformed_file_is_left_byte_for_byte_unchanged(string content)
    {
        using var home = new TempHome(content);
        var before = File.ReadAllBytes(home.Paths.File);
        var written = File.GetLastWriteTimeUtc(home.Paths.File);

        Assert.Throws<WasmrunException>(() => ConfigFile.Load(home.Paths));

        await Assert.That(File.ReadAllBytes(home.Paths.File).SequenceEqual(before)).IsTrue();
        await Assert.That(File.GetLastWriteTimeUtc(home.Paths.File)).IsEqualTo(written);
        await Assert.That(Directory.GetFileSystemEntries(home.Dir)).IsEquivalentTo([home.Paths.File]);
    }

    [Test]
    public async Task Wasmrun_home_overrides_the_default_home()
    {
        var paths = ConfigPaths.Resolve("/srv/wasmrun-home", "/home/ada");

        await Assert.That(paths.Home).IsEqualTo("/srv/wasmrun-home");
        await Assert.That(paths.HomeFromEnvironment).IsTrue();
        await Assert.That(paths.File).IsEqualTo("/srv/wasmrun-home/config.toml");
    }

    [Test]
    public async Task Without_wasmrun_home_the_home_is_dot_wasmrun_in_the_user_profile()
    {
        foreach (var unset in new[] { null, "" })
        {
            var paths = ConfigPaths.Resolve(unset, "/home/ada");
            await Assert.That(paths.Home).IsEqualTo("/home/ada/.wasmrun");
            await Assert.That(paths.HomeFromEnvironment).IsFalse();
            await Assert.That(paths.File).IsEqualTo("/home/ada/.wasmrun/config.toml");
        }
    }

    [Test]
    public async Task Relative_wasmrun_home_is_made_absolute()
    {
        var paths = ConfigPaths.Resolve("my-home", "/home/ada");

        await Assert.That(paths.Home).IsEqualTo(Path.GetFullPath("my-home"));
    }

    [Test]
    public async Task Config_is_read_from_the_wasmrun_home_directory()
    {
        using var home = new TempHome("color = \"always\"\n");
        var config = ConfigFile.Load(ConfigPaths.Resolve(home.Dir, "/nonexistent-user-profile"));

        await Assert.That(config.Exists).IsTrue();
        await Assert.That(config.Settings.Color).IsEqualTo(ColorMode.Always);
    }

    [Test]
    public async Task Json_output_has_values_sources_and_paths()
    {
        using var home = new TempHome("color = \"always\"\n");
        using var json = JsonDocument.Parse(ConfigCommand.ToJson(ConfigFile.Load(home.Paths)));
        var root = json.RootElement;

        await Assert.That(root.GetProperty("settings").GetProperty("color").GetProperty("value").GetString()).IsEqualTo("always");
        await Assert.That(root.GetProperty("settings").GetProperty("color").GetProperty("source").GetString()).IsEqualTo("file");
        await Assert.That(root.GetProperty("home").GetProperty("path").GetString()).IsEqualTo(home.Dir);
        await Assert.That(root.GetProperty("home").GetProperty("source").GetString()).IsEqualTo("WASMRUN_HOME");
        await Assert.That(root.GetProperty("config_file").GetProperty("path").GetString()).IsEqualTo(home.Paths.File);
        await Assert.That(root.GetProperty("config_file").GetProperty("exists").GetBoolean()).IsTrue();
    }

    [Test]
    public async Task Json_output_without_a_file_shows_defaults()
    {
        using var home = new TempHome(content: null);
        var paths = new ConfigPaths(home.Dir, HomeFromEnvironment: false);
        using var json = JsonDocument.Parse(ConfigCommand.ToJson(ConfigFile.Load(paths)));
        var root = json.RootElement;

        await Assert.That(root.GetProperty("settings").GetProperty("color").GetProperty("value").GetString()).IsEqualTo("auto");
        await Assert.That(root.GetProperty("settings").GetProperty("color").GetProperty("source").GetString()).IsEqualTo("default");
        await Assert.That(root.GetProperty("home").GetProperty("source").GetString()).IsEqualTo("default");
        await Assert.That(root.GetProperty("config_file").GetProperty("exists").GetBoolean()).IsFalse();
    }

    [Test]
    public async Task Text_output_lists_settings_as_toml_and_aligns_the_paths()
    {
        using var home = new TempHome("color = \"never\"\n");
        var output = new StringWriter { NewLine = "\n" };
        ConfigCommand.WriteText(ConfigFile.Load(home.Paths), new Terminal(output, color: false));
        var lines = output.ToString().Split('\n');

        await Assert.That(lines[0]).IsEqualTo("settings");
        await Assert.That(lines[1]).Matches("^  color = \"never\" +\\(from config file\\)$");
        await Assert.That(lines[2]).Matches("^  registry = \"https://registry.npmjs.org\"  \\(default\\)$");
        await Assert.That(lines[1].IndexOf('(', StringComparison.Ordinal)).IsEqualTo(lines[2].IndexOf('(', StringComparison.Ordinal));
        var paths = Array.IndexOf(lines, "paths");
        await Assert.That(lines[paths - 1]).IsEmpty();
        await Assert.That(lines[paths + 1]).StartsWith($"  home         {home.Dir}  ");
        await Assert.That(lines[paths + 1]).EndsWith("(from WASMRUN_HOME)");
        await Assert.That(lines[paths + 2]).IsEqualTo($"  config file  {home.Paths.File}  (found)");
        await Assert.That(lines[paths + 1].IndexOf('(', StringComparison.Ordinal)).IsEqualTo(lines[paths + 2].IndexOf('(', StringComparison.Ordinal));
    }

    [Test]
    public async Task Toml_keys_walk_sections_dotted_keys_and_every_value_kind()
    {
        var keys = TomlKeys.Read("a = 1\nb = [1.5, \"x\", { c = true }]\nd.e = 1979-05-27\n[t]\nf = 'g'\n");

        await Assert.That(string.Join(" ", keys.Select(k => k.Path))).IsEqualTo("a b d d.e t t.f");
        await Assert.That(string.Join(" ", keys.Where(k => k.IsTable).Select(k => k.Path))).IsEqualTo("d t");
        await Assert.That(keys.Single(k => k.Path == "b").Value!.ToJsonString()).IsEqualTo("[1.5,\"x\",{\"c\":true}]");
        await Assert.That(keys.Single(k => k.Path == "d.e").Value!.GetValue<string>()).IsEqualTo("1979-05-27");
        var f = keys.Single(k => k.Path == "t.f");
        await Assert.That((f.Line, f.Column, f.ValueLine, f.ValueColumn)).IsEqualTo((5, 1, 5, 5));
    }

    /// <summary>A config home in a fresh temp directory, with config.toml holding <c>content</c> unless it is null.</summary>
    private sealed class TempHome : IDisposable
    {
        public TempHome(string? content)
        {
            Dir = Directory.CreateTempSubdirectory("wasmrun-config-test-").FullName;
            if (content is not null)
            {
                File.WriteAllText(Paths.File, content);
            }
        }

        public string Dir { get; }

        public ConfigPaths Paths => new(Dir, HomeFromEnvironment: true);

        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }
}
