// `wasmrun plugin list`: the built-in and installed plugins (enabled or not, version, languages, source), the
// bundled ones not installed yet (available), and the registered ones that cannot be used, each with its problem.
using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Plugins;
using Wasmrun.Plugins.Install;

namespace Wasmrun.Commands;

internal sealed class PluginListCommand
{
    /// <summary>List the built-in and installed plugins, enabled or not, the ones bundled with wasmrun and not installed, and the broken ones with their problem.</summary>
    /// <param name="json">Print one JSON object (snake_case keys) instead of a table.</param>
    [Command("plugin list")]
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

    /// <summary>Where a plugin came from, as people read it: "built in", "bundled with wasmrun", "registry URL", a path
    /// or a URL. A plugin installed from the bundled copy of an older wasmrun says what this one bundles.</summary>
    internal static string Source(PluginPackage plugin, string configuredRegistry)
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
    internal static void WriteTable(Terminal output, string[] header, List<string[]> rows)
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
