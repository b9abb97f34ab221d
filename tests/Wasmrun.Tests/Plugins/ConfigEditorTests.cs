// ConfigEditor: [plugins.NAME] tables set and removed in users' config.toml files, every other byte kept; broken
// files refused and never written; atomic writes, line endings, BOM and symlinks kept.
using Wasmrun.Config;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Plugins;

public sealed class ConfigEditorTests
{
    private const string File = "/home/u/.wasmrun/config.toml";

    private static readonly TomlSetting[] installed =
    [
        TomlSetting.Of("version", "1.2.0"),
        TomlSetting.Of("source", "registry"),
        TomlSetting.Of("integrity", "sha512-abc"),
        TomlSetting.Of("enabled", true),
    ];

    private const string UserFile = """
        # My wasmrun settings (hand-written)
        color = "never"   # logs are piped

        registry = "https://registry.example.org"  # company mirror

        [plugin_limits]
        # scripts may be slow here
        time = "2m"

        # wasmgo is pinned: do not touch
        [plugins.wasmgo]
        version = "0.9.0"
        source = "registry"
        integrity = "sha512-go"
        enabled = true

        """;

    [Test]
    public async Task A_setting_is_changed_in_place_with_its_comment_kept()
    {
        var edited = ConfigEditor.Set(File, UserFile, "color", "\"always\"");
        var time = ConfigEditor.Set(File, UserFile, "plugin_limits.time", "\"5m\"");

        await Assert.That(edited).IsEqualTo(UserFile.Replace("color = \"never\"   # logs", "color = \"always\"   # logs", StringComparison.Ordinal));
        await Assert.That(time).IsEqualTo(UserFile.Replace("time = \"2m\"", "time = \"5m\"", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_new_top_level_setting_goes_before_the_first_table_and_a_new_table_at_the_end()
    {
        const string tablesOnly = "# mine\n[plugins.wasmgo]\nversion = \"0.9.0\"\n";

        var root = ConfigEditor.Set(File, tablesOnly, "color", "\"never\"");
        var limits = ConfigEditor.Set(File, tablesOnly, "plugin_limits.recursion", "64");
        var after = ConfigEditor.Set(File, UserFile, "plugin_limits.statements", "1000");

        await Assert.That(root).IsEqualTo("# mine\ncolor = \"never\"\n\n[plugins.wasmgo]\nversion = \"0.9.0\"\n");
        await Assert.That(limits).IsEqualTo(tablesOnly + "\n[plugin_limits]\nrecursion = 64\n");
        await Assert.That(after).IsEqualTo(UserFile.Replace("time = \"2m\"\n", "time = \"2m\"\nstatements = 1000\n", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_new_plugin_is_appended_and_every_other_byte_is_kept()
    {
        var edited = ConfigEditor.SetPlugin(File, UserFile, "wasmdemo", installed);

        await Assert.That(edited).IsEqualTo(UserFile + """

            [plugins.wasmdemo]
            version = "1.2.0"
            source = "registry"
            integrity = "sha512-abc"
            enabled = true

            """);
    }

    [Test]
    public async Task An_existing_table_gets_new_values_in_place_keeping_its_comments_and_spacing()
    {
        const string before = """
            [plugins.wasmdemo] # installed last week
            # the version I tested
            version   =   "1.0.0"
            source = "registry"  # from the mirror
            enabled = false

            # the end
            """;
        var edited = ConfigEditor.SetPlugin(File, before, "wasmdemo", installed);

        await Assert.That(edited).IsEqualTo("""
            [plugins.wasmdemo] # installed last week
            # the version I tested
            version   =   "1.2.0"
            source = "registry"  # from the mirror
            enabled = true
            integrity = "sha512-abc"

            # the end
            """);
    }

    [Test]
    public async Task Enabling_sets_one_key_and_leaves_the_rest_of_the_table()
    {
        var disabled = ConfigEditor.SetPlugin(File, UserFile, "wasmgo", [TomlSetting.Of("enabled", false)]);

        await Assert.That(disabled).IsEqualTo(UserFile.Replace("integrity = \"sha512-go\"\nenabled = true", "integrity = \"sha512-go\"\nenabled = false", StringComparison.Ordinal));
        await Assert.That(ConfigEditor.SetPlugin(File, disabled, "wasmgo", [TomlSetting.Of("enabled", true)])).IsEqualTo(UserFile);
    }

    [Test]
    public async Task A_built_in_plugin_is_disabled_with_a_table_of_its_own()
    {
        var edited = ConfigEditor.SetPlugin(File, "color = \"never\"", "c", [TomlSetting.Of("enabled", false)]);

        await Assert.That(edited).IsEqualTo("color = \"never\"\n\n[plugins.c]\nenabled = false\n");
    }

    [Test]
    public async Task Dotted_keys_are_edited_where_they_are_and_new_keys_are_spelled_like_them()
    {
        const string root = "color = \"auto\"\n  plugins . wasmdemo . enabled = false # off for now\n\n[plugin_limits]\ntime = \"1m\"\n";
        await Assert.That(ConfigEditor.SetPlugin(File, root, "wasmdemo", [TomlSetting.Of("enabled", true), TomlSetting.Of("version", "2.0.0")]))
            .IsEqualTo("color = \"auto\"\n  plugins . wasmdemo . enabled = true # off for now\n  plugins . wasmdemo . version = \"2.0.0\"\n\n[plugin_limits]\ntime = \"1m\"\n");

        const string section = "[plugins]\nwasmdemo.version = \"1.0.0\"\nwasmgo.version = \"0.9.0\"\n";
        await Assert.That(ConfigEditor.SetPlugin(File, section, "wasmdemo", [TomlSetting.Of("version", "1.1.0"), TomlSetting.Of("enabled", false)]))
            .IsEqualTo("[plugins]\nwasmdemo.version = \"1.1.0\"\nwasmdemo.enabled = false\nwasmgo.version = \"0.9.0\"\n");
        await Assert.That(ConfigEditor.RemovePlugin(File, section, "wasmdemo")).IsEqualTo("[plugins]\nwasmgo.version = \"0.9.0\"\n");
    }

    [Test]
    public async Task A_quoted_table_name_is_the_same_table()
    {
        const string before = "[plugins.\"wasmdemo\"]\nversion = \"1.0.0\"\n";
        await Assert.That(ConfigEditor.SetPlugin(File, before, "wasmdemo", [TomlSetting.Of("version", "1.1.0")]))
            .IsEqualTo("[plugins.\"wasmdemo\"]\nversion = \"1.1.0\"\n");
        await Assert.That(ConfigEditor.RemovePlugin(File, before, "wasmdemo")).IsEqualTo("");
    }

    [Test]
    public async Task Removing_takes_out_the_table_only()
    {
        var withDemo = ConfigEditor.SetPlugin(File, UserFile, "wasmdemo", installed);

        await Assert.That(ConfigEditor.RemovePlugin(File, withDemo, "wasmdemo")).IsEqualTo(UserFile);
        await Assert.That(ConfigEditor.RemovePlugin(File, UserFile, "wasmgo")).IsEqualTo("""
            # My wasmrun settings (hand-written)
            color = "never"   # logs are piped

            registry = "https://registry.example.org"  # company mirror

            [plugin_limits]
            # scripts may be slow here
            time = "2m"

            # wasmgo is pinned: do not touch

            """);
        await Assert.That(ConfigEditor.RemovePlugin(File, UserFile, "absent")).IsEqualTo(UserFile);
    }

    [Test]
    public async Task Removing_a_table_between_two_others_leaves_one_blank_line()
    {
        const string before = "[plugins.a]\nversion = \"1.0.0\"\n\n[plugins.b]\nversion = \"1.0.0\"\n\n[plugins.c]\nenabled = false\n";

        await Assert.That(ConfigEditor.RemovePlugin(File, before, "b")).IsEqualTo("[plugins.a]\nversion = \"1.0.0\"\n\n[plugins.c]\nenabled = false\n");
    }

    [Test]
    public async Task Strings_are_escaped()
    {
        var edited = ConfigEditor.SetPlugin(File, "", "wasmdemo", [TomlSetting.Of("source", "C:\\plugins\\\"demo\"\n")]);

        await Assert.That(edited).IsEqualTo("[plugins.wasmdemo]\nsource = \"C:\\\\plugins\\\\\\\"demo\\\"\\n\"\n");
    }

    [Test]
    public async Task Crlf_files_keep_crlf()
    {
        const string before = "color = \"never\"\r\n\r\n[plugins.wasmgo]\r\nversion = \"0.9.0\"\r\n";

        await Assert.That(ConfigEditor.SetPlugin(File, before, "wasmgo", [TomlSetting.Of("enabled", false)]))
            .IsEqualTo("color = \"never\"\r\n\r\n[plugins.wasmgo]\r\nversion = \"0.9.0\"\r\nenabled = false\r\n");
        await Assert.That(ConfigEditor.SetPlugin(File, before, "c", [TomlSetting.Of("enabled", false)]))
            .IsEqualTo(before + "\r\n[plugins.c]\r\nenabled = false\r\n");
    }

    [Test]
    public async Task An_inline_table_is_refused_with_its_location()
    {
        const string before = "color = \"auto\"\n\n[plugins]\nwasmdemo = { version = \"1.0.0\" }\n";
        var error = Assert.Throws<WasmrunException>(() => ConfigEditor.SetPlugin(File, before, "wasmdemo", installed));

        await Assert.That(error.Message).StartsWith($"{File}:4:1: [plugins.wasmdemo] cannot be changed: plugins.wasmdemo is an inline table");
        await Assert.That(error.Hint!).Contains("[plugins.wasmdemo] table");
    }

    [Test]
    [Arguments("color = \"never\n", "1:15", "TOML syntax error")]
    [Arguments("colour = \"never\"\n", "1:1", "unknown key 'colour'")]
    [Arguments("[plugins.wasmdemo]\nenabled = \"yes\"\n", "2:11", "invalid value for 'plugins.wasmdemo.enabled'")]
    public async Task A_broken_file_is_refused_with_its_location(string text, string at, string what)
    {
        var error = Assert.Throws<WasmrunException>(() => ConfigEditor.SetPlugin(File, text, "wasmdemo", installed));

        await Assert.That(error.Message).StartsWith($"{File}:{at}: ");
        await Assert.That(error.Message).Contains(what);
    }

    [Test]
    public async Task A_broken_file_on_disk_is_never_written()
    {
        using var home = new TempDirectory();
        var paths = new ConfigPaths(home.Path, HomeFromEnvironment: true);
        var broken = "# mine\ncolor = \"never\"\ncolor = \"always\"\n"u8.ToArray();
        System.IO.File.WriteAllBytes(paths.File, broken);

        var error = Assert.Throws<WasmrunException>(() => ConfigEditor.SetPlugin(paths, "wasmdemo", installed));

        await Assert.That(error.Message).StartsWith($"{paths.File}:3:1: TOML syntax error");
        await Assert.That(Convert.ToHexString(System.IO.File.ReadAllBytes(paths.File))).IsEqualTo(Convert.ToHexString(broken));
        await Assert.That(Directory.GetFiles(home.Path)).IsEquivalentTo([paths.File]);
    }

    [Test]
    public async Task The_file_and_its_folder_are_created_when_missing()
    {
        using var home = new TempDirectory();
        var paths = new ConfigPaths(Path.Join(home.Path, "new-home"), HomeFromEnvironment: true);

        ConfigEditor.SetPlugin(paths, "c", [TomlSetting.Of("enabled", false)]);

        await Assert.That(System.IO.File.ReadAllText(paths.File)).IsEqualTo("[plugins.c]\nenabled = false\n");
        await Assert.That(ConfigFile.Load(paths).Settings.Plugins["c"].Enabled).IsFalse();
    }

    [Test]
    public async Task Writes_keep_the_bom_and_the_mode_and_leave_no_temporary_file()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip.Test("Unix file modes");
            return;
        }
        using var home = new TempDirectory();
        var paths = new ConfigPaths(home.Path, HomeFromEnvironment: true);
        System.IO.File.WriteAllBytes(paths.File, [0xEF, 0xBB, 0xBF, .. "color = \"never\"\n"u8.ToArray()]);
        System.IO.File.SetUnixFileMode(paths.File, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        ConfigEditor.SetPlugin(paths, "c", [TomlSetting.Of("enabled", false)]);

        await Assert.That(Convert.ToHexString(System.IO.File.ReadAllBytes(paths.File)))
            .IsEqualTo(Convert.ToHexString([0xEF, 0xBB, 0xBF, .. "color = \"never\"\n\n[plugins.c]\nenabled = false\n"u8.ToArray()]));
        await Assert.That(System.IO.File.GetUnixFileMode(paths.File)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await Assert.That(Directory.GetFileSystemEntries(home.Path)).IsEquivalentTo([paths.File]);
    }

    [Test]
    public async Task A_symlinked_config_keeps_its_link_and_its_target_is_edited()
    {
        using var home = new TempDirectory();
        var dotfiles = Path.Join(home.Path, "dotfiles");
        var paths = new ConfigPaths(Path.Join(home.Path, "home"), HomeFromEnvironment: true);
        Directory.CreateDirectory(dotfiles);
        Directory.CreateDirectory(paths.Home);
        var target = Path.Join(dotfiles, "wasmrun.toml");
        System.IO.File.WriteAllText(target, "color = \"never\"\n");
        System.IO.File.CreateSymbolicLink(paths.File, target);

        ConfigEditor.SetPlugin(paths, "c", [TomlSetting.Of("enabled", false)]);

        await Assert.That(new FileInfo(paths.File).LinkTarget).IsEqualTo(target);
        await Assert.That(System.IO.File.ReadAllText(target)).IsEqualTo("color = \"never\"\n\n[plugins.c]\nenabled = false\n");
    }
}
