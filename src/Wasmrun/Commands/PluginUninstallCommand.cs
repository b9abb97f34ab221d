// `wasmrun plugin uninstall NAME`: removes an installed plugin's folder and its [plugins.NAME] table in config.toml.
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Plugins.Install;

namespace Wasmrun.Commands;

internal sealed class PluginUninstallCommand
{
    /// <summary>Remove an installed plugin: its files and its entry in config.toml (built-in plugins can only be disabled).</summary>
    /// <param name="name">The plugin's name.</param>
    [Command("plugin uninstall")]
    public void Uninstall([Argument] string name)
    {
        var config = ConfigFile.Current;
        var version = new PluginInstaller(config.Paths, config.Settings.Registry).Uninstall(name);
        var output = Terminal.Out;
        output.WriteLine($"{output.Green("uninstalled")} {output.Bold(name)}{(version.Length > 0 ? " " + version : "")}");
    }
}
