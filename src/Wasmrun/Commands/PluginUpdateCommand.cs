// `wasmrun plugin update NAME | --all`: installs installed plugins again from their recorded source when it has
// something newer (the registry's latest version, changed bytes at a URL, a bundled copy that differs from the
// installed files; a path is reinstalled every time).
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Plugins;
using Wasmrun.Plugins.Install;

namespace Wasmrun.Commands;

internal sealed class PluginUpdateCommand
{
    /// <summary>Update an installed plugin (or all of them) from where it was installed.</summary>
    /// <param name="name">The plugin to update; leave out with --all.</param>
    /// <param name="all">Update every installed plugin; the others are still updated when one fails.</param>
    /// <param name="registry">Ask this registry instead of the recorded one (recorded for the next update).</param>
    /// <param name="cancellationToken">Ctrl+C: stops the download; the plugin being updated stays as it was.</param>
    [Command("plugin update")]
    public async Task Update([Argument] string? name = null, bool all = false, string? registry = null, CancellationToken cancellationToken = default)
    {
        if ((name is null) == !all)
        {
            throw new WasmrunException(all ? "give a plugin name or --all, not both" : "name the plugin to update, or use --all", ExitCode.Usage)
            {
                Hint = "wasmrun plugin update NAME, or wasmrun plugin update --all",
            };
        }
        var config = ConfigFile.Current;
        var installer = new PluginInstaller(config.Paths, config.Settings.Registry);
        var entries = config.Settings.Plugins.Where(p => !PluginInstaller.IsBuiltIn(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        if (name is not null)
        {
            PluginInstaller.RequireName(name);
            if (PluginInstaller.IsBuiltIn(name))
            {
                throw new WasmrunException($"plugin {name} is built into wasmrun: it is updated with wasmrun itself", ExitCode.Usage);
            }
            entries = [.. entries.Where(p => p.Key == name)];
            if (entries.Count == 0)
            {
                throw new WasmrunException($"no installed plugin named '{name}'", ExitCode.Usage)
                {
                    Hint = $"install it: {(PluginCatalog.IsBundled(name) ? PluginCatalog.InstallHint(name) : $"wasmrun plugin install {name}")}",
                };
            }
        }
        var output = Terminal.Out;
        if (entries.Count == 0)
        {
            output.WriteLine("no plugins installed: nothing to update");
            return;
        }
        var failures = new List<(string Name, WasmrunException Error)>();
        var registryOverride = PluginSource.RegistryOverride(registry, config.Settings.Registry);
        foreach (var (plugin, entry) in entries)
        {
            try
            {
                var result = await installer.UpdateAsync(plugin, entry, registryOverride, cancellationToken).ConfigureAwait(false);
                if (result.Installed is { } installed)
                {
                    PluginInstallCommand.WriteInstalled(installed, config.Settings.Registry, output);
                }
                else
                {
                    output.WriteLine($"{output.Bold(plugin)} {result.Version} is up to date{(result.Latest != result.Version ? $" (the registry's latest is {result.Latest})" : "")}");
                }
            }
            catch (WasmrunException error) when (all)
            {
                output.WriteLine($"{output.Bold(plugin)} {output.Red("not updated")} (the error follows)");
                failures.Add((plugin, error));
            }
        }
        if (failures.Count == 1)
        {
            throw new WasmrunException($"{failures[0].Name}: {failures[0].Error.Describe()}", failures[0].Error.ExitCode) { Hint = failures[0].Error.Hint };
        }
        if (failures.Count > 1)
        {
            throw new WasmrunException($"{failures.Count} plugins were not updated: {string.Join("; ", failures.Select(f => $"{f.Name}: {f.Error.Describe()}"))}", failures[0].Error.ExitCode)
            {
                Hint = "update them one at a time to see each hint: wasmrun plugin update NAME",
            };
        }
    }
}
