// `wasmrun plugin install NAME[@VERSION|@TAG] | PATH | URL`: fetches a plugin (a first-party one from the copy bundled
// in the binary, unless --registry asks for a registry), verifies and unpacks it safely, validates it, moves it to
// ~/.wasmrun/plugins/NAME and registers it in config.toml (docs/plugin-registry.md).
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Plugins.Install;

namespace Wasmrun.Commands;

internal sealed class PluginInstallCommand
{
    /// <summary>Install a plugin: a first-party one from wasmrun itself (no download), others from the registry, a folder, a .tgz file or a .tgz URL; replaces an installed version.</summary>
    /// <param name="package">NAME, NAME@VERSION or NAME@TAG (bundled with wasmrun, else the registry); a folder or .tgz path (./NAME for a folder here); an http(s) URL of a .tgz.</param>
    /// <param name="integrity">sha512-... that a .tgz file or URL must match (else nothing is installed).</param>
    /// <param name="registry">Install from this registry instead of config.toml's `registry` (recorded for update); for a plugin bundled with wasmrun, take the registry's copy instead of the bundled one.</param>
    /// <param name="cancellationToken">Ctrl+C: stops the download; nothing is installed.</param>
    [Command("plugin install")]
    public async Task Install([Argument] string package, string? integrity = null, string? registry = null, CancellationToken cancellationToken = default)
    {
        var config = ConfigFile.Current;
        var source = PluginSource.Parse(package, registry, config.Settings.Registry);
        if (registry is not null && source is not RegistrySource)
        {
            throw new WasmrunException("--registry applies to plugin names, not to paths or URLs", ExitCode.Usage);
        }
        var installer = new PluginInstaller(config.Paths, config.Settings.Registry);
        var fetched = await installer.FetchAsync(source, integrity, cancellationToken).ConfigureAwait(false);
        WriteInstalled(installer.Install(fetched), config.Settings.Registry, Terminal.Out);
    }

    internal static void WriteInstalled(InstallResult result, string configuredRegistry, Terminal output)
    {
        var plugin = result.Package;
        var previous = result.PreviousVersion is { } version ? $" (replacing {version})" : "";
        output.WriteLine($"{output.Green("installed")} {output.Bold(plugin.Name)} {plugin.Version}{previous}");
        output.WriteLine($"  source     {PluginSource.Display(result.Fetched.Source, configuredRegistry)}");
        if (result.Fetched.Integrity.Length > 0)
        {
            output.WriteLine($"  integrity  {result.Fetched.Integrity}");
        }
        output.WriteLine($"  folder     {result.Folder}");
        if (!plugin.Enabled)
        {
            output.WriteLine($"  {output.Yellow("disabled")}   as before; turn it on with `wasmrun plugin enable {plugin.Name}`");
        }
    }
}
