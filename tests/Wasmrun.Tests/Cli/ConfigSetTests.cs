// `wasmrun config set` and a broken config.toml through the binary: values checked where they are written and where
// they are read (with the file's line), and commands that need no setting going on with a warning.
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Cli;

public sealed class ConfigSetTests
{
    private static Task<ProcessResult> RunAsync(TempDirectory home, params string[] arguments) =>
        WasmrunBinary.RunAsync(arguments, new Dictionary<string, string?> { ["WASMRUN_HOME"] = home.Path });

    private static string ConfigFile(TempDirectory home) => Path.Join(home.Path, "config.toml");

    [Test]
    public async Task Config_set_writes_a_setting_that_config_then_shows()
    {
        using var home = new TempDirectory();

        var set = await RunAsync(home, "config", "set", "plugin_limits.memory", "512MiB");
        var color = await RunAsync(home, "config", "set", "color", "never");
        var shown = await RunAsync(home, "config");

        await Assert.That(set.ExitCode).IsEqualTo(0).Because(set.ToString());
        await Assert.That(set.Stdout).IsEqualTo($"plugin_limits.memory = \"512MiB\" (in {ConfigFile(home)})\n");
        await Assert.That(color.ExitCode).IsEqualTo(0);
        await Assert.That(File.ReadAllText(ConfigFile(home))).IsEqualTo("color = \"never\"\n\n[plugin_limits]\nmemory = \"512MiB\"\n");
        await Assert.That(shown.Stdout).Matches(@"\n  plugin_limits\.memory = ""512MiB"" +\(from config file\)\n");
    }

    [Test]
    [Arguments("plugin_limits.memory", "lots", "config set plugin_limits.memory lots: 'lots' is not a size in bytes")]
    [Arguments("registry", "ftp://x", "config set registry ftp://x: 'ftp://x' is not an http or https URL")]
    [Arguments("color", "purple", "config set color purple: \"purple\" is not one of \"auto\", \"always\", \"never\"")]
    [Arguments("plugin_limits.statements", "-3", "config set plugin_limits.statements -3: -3 is not a count of at least 1")]
    [Arguments("plugin_limits.recursion", "deep", "config set plugin_limits.recursion deep: 'deep' is not a whole number")]
    [Arguments("colour", "never", "unknown setting 'colour'")]
    [Arguments("plugins.c.enabled", "false", "plugins.c.enabled: plugin tables are written by `wasmrun plugin`")]
    public async Task A_value_that_would_fail_later_is_refused_and_the_file_is_kept(string key, string value, string error)
    {
        using var home = new TempDirectory();
        File.WriteAllText(ConfigFile(home), "# mine\ncolor = \"never\"\n");

        var result = await RunAsync(home, "config", "set", key, value);

        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).StartsWith($"error: {error}");
        await Assert.That(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Count().IsEqualTo(2);
        await Assert.That(File.ReadAllText(ConfigFile(home))).IsEqualTo("# mine\ncolor = \"never\"\n");
    }

    [Test]
    public async Task A_bad_value_in_the_file_is_an_error_at_its_line_for_commands_that_use_it()
    {
        using var home = new TempDirectory();
        File.WriteAllText(ConfigFile(home), "color = \"never\"\n[plugin_limits]\nmemory = \"lots\"\n");

        var result = await RunAsync(home, "config");

        await Assert.That(result.ExitCode).IsEqualTo(1);
        await Assert.That(result.Stderr).StartsWith($"error: {ConfigFile(home)}:3:10: invalid value for 'plugin_limits.memory': 'lots' is not a size");
    }

    [Test]
    [Arguments("color = never\n", "1:9: TOML syntax error")]
    [Arguments("registry = \"ftp://x\"\n", "1:12: invalid value for 'registry'")]
    public async Task A_broken_file_does_not_stop_exec_or_stop(string content, string problem)
    {
        using var home = new TempDirectory();
        File.WriteAllText(ConfigFile(home), content);
        var math = Path.Join(RepositoryRoot.Path, "examples", "math.wasm");

        var exec = await RunAsync(home, "exec", "--invoke", "add", math, "1", "2");
        var stop = await RunAsync(home, "stop");

        var warning = $"warning: {ConfigFile(home)}:{problem}";
        await Assert.That(exec.ExitCode).IsEqualTo(0);
        await Assert.That(exec.Stdout).IsEqualTo("3\n");
        await Assert.That(exec.Stderr).StartsWith(warning);
        await Assert.That(exec.Stderr).EndsWith("; this command goes on with the default settings\n");
        await Assert.That(stop.Stderr).StartsWith(warning);
        await Assert.That(stop.Stdout).Contains("no Wasmrun server is running");
        await Assert.That(File.ReadAllText(ConfigFile(home))).IsEqualTo(content);
    }
}
