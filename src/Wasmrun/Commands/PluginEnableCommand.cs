// `wasmrun plugin enable NAME`: sets `enabled = true` in [plugins.NAME], so the plugin is chosen for projects again.
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Plugins.Install;

namespace Wasmrun.Commands;

internal sealed class PluginEnableCommand
{
    /// <summary>Turn a disabled plugin (built-in or installed) back on.</summary>
    /// <param name="name">The plugin's name.</param>
    [Command("plugin enable")]
    public void Enable([Argument] string name)
    {
        var config = ConfigFile.Current;
        var changed = new PluginInstaller(config.Paths, config.Settings.Registry).SetEnabled(name, enabled: true);
        var output = Terminal.Out;
        output.WriteLine(changed ? $"{output.Green("enabled")} {output.Bold(name)}" : $"{output.Bold(name)} is already enabled");
    }
}
