// `wasmrun plugin disable NAME`: sets `enabled = false` in [plugins.NAME]; the plugin stays installed but is never
// chosen for a project. Works for the built-in plugins too.
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Plugins.Install;

namespace Wasmrun.Commands;

internal sealed class PluginDisableCommand
{
    /// <summary>Turn a plugin (built-in or installed) off without uninstalling it.</summary>
    /// <param name="name">The plugin's name.</param>
    [Command("plugin disable")]
    public void Disable([Argument] string name)
    {
        var config = ConfigFile.Current;
        var changed = new PluginInstaller(config.Paths, config.Settings.Registry).SetEnabled(name, enabled: false);
        var output = Terminal.Out;
        output.WriteLine(changed ? $"{output.Yellow("disabled")} {output.Bold(name)}" : $"{output.Bold(name)} is already disabled");
    }
}
