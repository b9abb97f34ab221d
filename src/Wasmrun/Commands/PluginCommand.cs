// `wasmrun plugin COMMAND`: the language plugins, installed from wasmrun itself, a registry, a folder or a URL, and
// managed in config.toml's [plugins.NAME] tables (docs/plugin-registry.md). Registered as `app.Add<PluginCommand>("plugin")`,
// so each method's words follow "plugin".
//   install   fetches a plugin (a first-party one from the copy bundled in the binary, unless --registry asks for a
//             registry), verifies and unpacks it safely, validates it, moves it to ~/.wasmrun/plugins/NAME, registers it
//   list      built-in and installed plugins, the bundled ones not installed yet, and the broken ones with their problem
//   info      everything a manifest declares (and whether each tool is on PATH) and where the plugin came from
//   uninstall removes an installed plugin's folder and its table; enable/disable set `enabled` (built-in ones too)
//   update    installs again from the recorded source when it has something newer (a path is reinstalled every time)
//   search    asks the registry (npm's search API) for packages with the keyword wasmrun-plugin
using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Plugins;
using Wasmrun.Plugins.Install;

namespace Wasmrun.Commands;

internal sealed class PluginCommand
{
    /// <summary>Install a plugin: a first-party one from wasmrun itself (no download), others from the registry, a folder, a .tgz file or a .tgz URL; replaces an installed version.</summary>
    /// <param name="package">NAME, NAME@VERSION or NAME@TAG (bundled with wasmrun, else the registry); a folder or .tgz path (./NAME for a folder here); an http(s) URL of a .tgz.</param>
    /// <param name="integrity">sha512-... that a .tgz file or URL must match (else nothing is installed).</param>
    /// <param name="registry">Install from this registry instead of config.toml's `registry` (recorded for update); for a plugin bundled with wasmrun, take the registry's copy instead of the bundled one.</param>
    /// <param name="cancellationToken">Ctrl+C: stops the download; nothing is installed.</param>
    [Command("install")]
    public async Task Install([Argument] string package, string? integrity = null, string? registry = null, CancellationToken cancellationToken = default)
    {
        var config = ConfigFile.Current;
        var source = PluginSource.Parse(package, registry, config.Settings.Registry);
        if (registry is not null && source is not RegistrySource)
        {
            throw new WasmrunException("--registry applies to plugin names, not to paths or URLs", ExitCode.Usage);
        }
        var installer = Installer(config);
        var fetched = await installer.FetchAsync(source, integrity, cancellationToken).ConfigureAwait(false);
        WriteInstalled(installer.Install(fetched), config.Settings.Registry, Terminal.Out);
    }

    /// <summary>List the built-in and installed plugins, enabled or not, the ones bundled with wasmrun and not installed, and the broken ones with their problem.</summary>
    /// <param name="json">Print one JSON object (snake_case keys) instead of a table.</param>
    [Command("list")]
    public void List(bool json = false)
    {
        var config = ConfigFile.Current;
        var catalog = PluginCatalog.Load(config);
        var output = Terminal.Out;
        var plugins = catalog.Plugins.Select(p => new PluginSummary(
            p.Name, p.Version, p.Enabled, p.Origin == PluginOrigin.BuiltIn, p.Manifest.Plugin.Languages, Source(p, config.Settings.Registry),
            p.Files.Directory, p.Entry?.Integrity is { Length: > 0 } integrity ? integrity : null)).ToList();
        var available = catalog.Available.Select(p => new AvailablePluginReport(
            p.Name, p.Version, p.Manifest.Plugin.Languages, p.Manifest.Plugin.Description, $"wasmrun plugin install {p.Name}")).ToList();
        if (json)
        {
            var report = new PluginListReport(plugins, available, [.. catalog.Broken.Select(b => new BrokenPluginReport(b.Name, b.Problem))]);
            output.WriteLine(JsonSerializer.Serialize(report, PluginListJsonContext.Default.PluginListReport));
            return;
        }
        WriteTable(output, ["NAME", "VERSION", "STATE", "LANGUAGES", "SOURCE"],
        [
            .. plugins.Select(p => new[] { p.Name, p.Version, p.Enabled ? "enabled" : "disabled", string.Join(", ", p.Languages), p.Source }),
            .. available.Select(p => new[] { p.Name, p.Version, "available", string.Join(", ", p.Languages), PluginCatalog.BundledWithWasmrun }),
        ]);
        if (available.Count > 0)
        {
            output.WriteLine(output.Dim("available: bundled with wasmrun, not installed; `wasmrun plugin install NAME` installs one without a download"));
        }
        if (catalog.Broken.Count > 0)
        {
            output.WriteLine();
            output.WriteLine(output.Bold(output.Red("broken")));
            foreach (var broken in catalog.Broken)
            {
                output.WriteLine($"  {output.Bold(UntrustedText.Printable(broken.Name))}: {UntrustedText.Printable(broken.Problem)}");
            }
            output.WriteLine(output.Dim("  reinstall with `wasmrun plugin install NAME`, or remove with `wasmrun plugin uninstall NAME`"));
        }
    }

    /// <summary>Show a plugin's details (installed, built in, or bundled with wasmrun and not installed): manifest, tools (found on PATH or not), permissions, templates, folder and source.</summary>
    /// <param name="name">The plugin's name.</param>
    /// <param name="json">Print one JSON object (snake_case keys) instead of text.</param>
    [Command("info")]
    public void Info([Argument] string name, bool json = false)
    {
        var config = ConfigFile.Current;
        var plugin = PluginCatalog.Load(config).Get(name);
        var manifest = plugin.Manifest;
        var info = manifest.Plugin;
        var report = new PluginInfoReport(
            plugin.Name, plugin.Version, info.Description, info.Author, info.License, info.Homepage, plugin.Enabled,
            plugin.Origin == PluginOrigin.BuiltIn, plugin.Origin == PluginOrigin.Bundled, info.Languages, info.Extensions, info.Entry, manifest.Build.Targets, manifest.Build.Optimizations,
            [.. manifest.Tools.Select(t => new ToolReport(t.Name, t.Programs, t.Programs.Select(ProgramPath.Find).FirstOrDefault(p => p is not null), t.Optional, t.Targets, t.Hint))],
            new PermissionsReport(manifest.Permissions.Run, manifest.Permissions.Env, manifest.Permissions.Read),
            [.. manifest.Templates.Select(t => new TemplateReport(t.Name, t.Description))],
            plugin.Files.Directory, Source(plugin, config.Settings.Registry),
            plugin.Entry?.Integrity is { Length: > 0 } integrity ? integrity : null);
        var output = Terminal.Out;
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(report, PluginInfoJsonContext.Default.PluginInfoReport));
            return;
        }
        // Every text below comes from the plugin's manifest: control characters are replaced before our colours are added.
        static string P(string text) => UntrustedText.Printable(text);
        var state = report.Available ? output.Yellow("available, not installed") : report.Enabled ? output.Green("enabled") : output.Yellow("disabled");
        output.WriteLine($"{output.Bold(report.Name)} {report.Version}  {state}");
        if (report.Description.Length > 0)
        {
            output.WriteLine($"  {P(report.Description)}");
        }
        output.WriteLine();
        Rows(output,
        [
            ("author", P(report.Author)),
            ("license", P(report.License)),
            ("homepage", P(report.Homepage)),
            ("languages", P(string.Join(", ", report.Languages))),
            ("extensions", P(string.Join(", ", report.Extensions.Select(e => "." + e)))),
            ("targets", string.Join(", ", report.Targets.Select((t, i) => i == 0 ? $"{t} (default)" : t))),
            ("optimizations", string.Join(", ", report.Optimizations)),
            ("script", P(report.Entry)),
            ("folder", report.Folder ?? (report.Available ? $"none yet: {PluginCatalog.InstallHint(report.Name)}" : "built into wasmrun")),
            ("source", P(report.Source)),
            ("integrity", report.Integrity ?? ""),
        ]);
        output.WriteLine();
        output.WriteLine(output.Bold("tools"));
        Rows(output, [.. report.Tools.Select(t => (
            P(t.Name) + (t.Optional ? " (optional)" : ""),
            (t.Found is { } found ? output.Green(found) : output.Red(P($"{string.Join(" or ", t.Programs)}: not found")) + (t.Hint.Length > 0 ? $"; {P(t.Hint)}" : ""))
                + (t.Targets.Count > 0 ? output.Dim($"  for {string.Join(", ", t.Targets)}") : "")))]);
        output.WriteLine();
        output.WriteLine(output.Bold("permissions"));
        Rows(output,
        [
            ("runs", P(Listed(report.Permissions.Run))),
            ("reads env", P(Listed(report.Permissions.Env))),
            ("reads files", P(Listed(report.Permissions.Read)) + output.Dim("  (and the project's own files)")),
        ]);
        if (report.Templates.Count > 0)
        {
            output.WriteLine();
            output.WriteLine(output.Bold("templates") + output.Dim("  (wasmrun init --template NAME)"));
            Rows(output, [.. report.Templates.Select(t => (t.Name, P(t.Description)))]);
        }
    }

    /// <summary>Remove an installed plugin: its files and its entry in config.toml (built-in plugins can only be disabled).</summary>
    /// <param name="name">The plugin's name.</param>
    [Command("uninstall")]
    public void Uninstall([Argument] string name)
    {
        var version = Installer(ConfigFile.Current).Uninstall(name);
        var output = Terminal.Out;
        output.WriteLine($"{output.Green("uninstalled")} {output.Bold(name)}{(version.Length > 0 ? " " + version : "")}");
    }

    /// <summary>Turn a disabled plugin (built-in or installed) back on.</summary>
    /// <param name="name">The plugin's name.</param>
    [Command("enable")]
    public void Enable([Argument] string name) => SetEnabled(name, enabled: true);

    /// <summary>Turn a plugin (built-in or installed) off without uninstalling it.</summary>
    /// <param name="name">The plugin's name.</param>
    [Command("disable")]
    public void Disable([Argument] string name) => SetEnabled(name, enabled: false);

    /// <summary>Update an installed plugin (or all of them) from where it was installed.</summary>
    /// <param name="name">The plugin to update; leave out with --all.</param>
    /// <param name="all">Update every installed plugin; the others are still updated when one fails.</param>
    /// <param name="registry">Ask this registry instead of the recorded one (recorded for the next update).</param>
    /// <param name="cancellationToken">Ctrl+C: stops the download; the plugin being updated stays as it was.</param>
    [Command("update")]
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
        var installer = Installer(config);
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
                    WriteInstalled(installed, config.Settings.Registry, output);
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

    /// <summary>Search the registry for plugins (packages with the keyword wasmrun-plugin); all of them without a term.</summary>
    /// <param name="term">Words to look for in names, descriptions and keywords.</param>
    /// <param name="registry">Search this registry instead of config.toml's `registry`.</param>
    /// <param name="json">Print one JSON object (snake_case keys) instead of a table.</param>
    /// <param name="cancellationToken">Ctrl+C: stops the search.</param>
    [Command("search")]
    public async Task Search([Argument] string term = "", string? registry = null, bool json = false, CancellationToken cancellationToken = default)
    {
        var config = ConfigFile.Current;
        var client = new RegistryClient(registry ?? config.Settings.Registry, registry is null ? config.Paths.File : "--registry");
        var hits = await client.SearchAsync(term, cancellationToken).ConfigureAwait(false);
        var installed = PluginCatalog.Load(config).Plugins.ToDictionary(p => p.Name, p => p.Version);
        var output = Terminal.Out;
        if (json)
        {
            var report = new SearchReport(client.Url, term, [.. hits.Select(h => new SearchResultReport(h.Name, h.Version, h.Description, installed.GetValueOrDefault(h.Name)))]);
            output.WriteLine(JsonSerializer.Serialize(report, PluginSearchJsonContext.Default.SearchReport));
            return;
        }
        if (hits.Count == 0)
        {
            output.WriteLine($"no plugins{(term.Length > 0 ? $" matching '{term}'" : "")} in {client.Url}");
            return;
        }
        WriteTable(output, ["NAME", "VERSION", "INSTALLED", "DESCRIPTION"],
            [.. hits.Select(h => new[] { h.Name, h.Version, installed.GetValueOrDefault(h.Name, "-"), h.Description })]);
    }

    private static PluginInstaller Installer(ConfigFile config) => new(config.Paths, config.Settings.Registry);

    /// <summary>Sets `enabled` in [plugins.NAME] (enable and disable).</summary>
    private static void SetEnabled(string name, bool enabled)
    {
        var changed = Installer(ConfigFile.Current).SetEnabled(name, enabled);
        var output = Terminal.Out;
        var state = enabled ? "enabled" : "disabled";
        output.WriteLine(changed ? $"{(enabled ? output.Green(state) : output.Yellow(state))} {output.Bold(name)}" : $"{output.Bold(name)} is already {state}");
    }

    private static void WriteInstalled(InstallResult result, string configuredRegistry, Terminal output)
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

    /// <summary>Where a plugin came from, as people read it: "built in", "bundled with wasmrun", "registry URL", a path
    /// or a URL. A plugin installed from the bundled copy of an older wasmrun says what this one bundles.</summary>
    private static string Source(PluginPackage plugin, string configuredRegistry)
    {
        if (plugin.Origin != PluginOrigin.Installed)
        {
            return plugin.Origin == PluginOrigin.BuiltIn ? "built in" : PluginCatalog.BundledWithWasmrun;
        }
        var source = plugin.Entry?.Source ?? "";
        return source == PluginSource.Bundled && PluginCatalog.IsBundled(plugin.Name) && PluginCatalog.Bundled(plugin.Name).Version is var bundled && bundled != plugin.Version
            ? $"{PluginCatalog.BundledWithWasmrun} (this wasmrun bundles {bundled}: wasmrun plugin update {plugin.Name})"
            : PluginSource.Display(source, configuredRegistry);
    }

    /// <summary>Columns padded to their widest cell, under a bold header; the last column is not padded. Cells come
    /// from packages and registries: control characters are replaced.</summary>
    private static void WriteTable(Terminal output, string[] header, List<string[]> rows)
    {
        rows = [.. rows.Select(row => row.Select(UntrustedText.Printable).ToArray())];
        var widths = header.Select((title, column) => rows.Select(r => r[column].Length).Append(title.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((cell, column) => column == cells.Length - 1 ? cell : cell.PadRight(widths[column]))).TrimEnd();
        output.WriteLine(output.Bold(Line(header)));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row));
        }
    }

    private static string Listed(List<string> items) => items.Count == 0 ? "nothing" : string.Join(", ", items);

    /// <summary>Label and value rows, labels padded; rows without a value are left out.</summary>
    private static void Rows(Terminal output, List<(string Label, string Value)> rows)
    {
        var shown = rows.Where(r => r.Value.Length > 0).ToList();
        if (shown.Count == 0)
        {
            output.WriteLine("  none");
            return;
        }
        var width = shown.Max(r => r.Label.Length);
        foreach (var (label, value) in shown)
        {
            output.WriteLine($"  {label.PadRight(width)}  {value}");
        }
    }
}

internal sealed record PluginListReport(List<PluginSummary> Plugins, List<AvailablePluginReport> Available, List<BrokenPluginReport> Broken);

/// <summary>One plugin. Folder is null for a built-in plugin; Integrity is the sha512 of the package it was installed
/// from, null for a folder or a built-in plugin.</summary>
internal sealed record PluginSummary(string Name, string Version, bool Enabled, bool BuiltIn, List<string> Languages, string Source, string? Folder, string? Integrity);

/// <summary>A plugin bundled with wasmrun and not installed; Install is the command that installs it (no download).</summary>
internal sealed record AvailablePluginReport(string Name, string Version, List<string> Languages, string Description, string Install);

internal sealed record BrokenPluginReport(string Name, string Problem);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PluginListReport))]
internal sealed partial class PluginListJsonContext : JsonSerializerContext
{
}

/// <summary>The `--json` output. Available: bundled with wasmrun and not installed (Enabled is then false). Folder is
/// null for a built-in or available plugin; Integrity is the sha512 of the package it was installed from, null for a
/// folder, a bundled copy or a built-in plugin.</summary>
internal sealed record PluginInfoReport(
    string Name, string Version, string Description, string Author, string License, string Homepage, bool Enabled, bool BuiltIn, bool Available,
    List<string> Languages, List<string> Extensions, string Entry, List<string> Targets, List<string> Optimizations,
    List<ToolReport> Tools, PermissionsReport Permissions, List<TemplateReport> Templates, string? Folder, string Source, string? Integrity);

/// <summary>A tool the plugin needs; Found is the full path of the first of its programs on PATH, or null.</summary>
internal sealed record ToolReport(string Name, List<string> Programs, string? Found, bool Optional, List<string> Targets, string Hint);

internal sealed record PermissionsReport(List<string> Run, List<string> Env, List<string> Read);

internal sealed record TemplateReport(string Name, string Description);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PluginInfoReport))]
internal sealed partial class PluginInfoJsonContext : JsonSerializerContext
{
}

internal sealed record SearchReport(string Registry, string Term, List<SearchResultReport> Results);

/// <summary>One result; Installed is the installed version of the plugin, or null.</summary>
internal sealed record SearchResultReport(string Name, string Version, string Description, string? Installed);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SearchReport))]
internal sealed partial class PluginSearchJsonContext : JsonSerializerContext
{
}
