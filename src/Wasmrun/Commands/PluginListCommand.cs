// `wasmrun plugin list`: the built-in and installed plugins (enabled or not, version, languages, source), and the
// registered ones that cannot be used, each with its problem.
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
    /// <summary>List the built-in and installed plugins, enabled or not, and the broken ones with their problem.</summary>
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
        if (json)
        {
            var report = new PluginListReport(plugins, [.. catalog.Broken.Select(b => new BrokenPluginReport(b.Name, b.Problem))]);
            output.WriteLine(JsonSerializer.Serialize(report, PluginListJsonContext.Default.PluginListReport));
            return;
        }
        WriteTable(output, ["NAME", "VERSION", "STATE", "LANGUAGES", "SOURCE"],
            [.. plugins.Select(p => new[] { p.Name, p.Version, p.Enabled ? "enabled" : "disabled", string.Join(", ", p.Languages), p.Source })]);
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

    /// <summary>Where a plugin came from, as people read it: "built in", "registry URL", a path or a URL.</summary>
    internal static string Source(PluginPackage plugin, string configuredRegistry) =>
        plugin.Origin == PluginOrigin.BuiltIn ? "built in" : PluginSource.Display(plugin.Entry?.Source ?? "", configuredRegistry);

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

internal sealed record PluginListReport(List<PluginSummary> Plugins, List<BrokenPluginReport> Broken);

/// <summary>One plugin. Folder is null for a built-in plugin; Integrity is the sha512 of the package it was installed
/// from, null for a folder or a built-in plugin.</summary>
internal sealed record PluginSummary(string Name, string Version, bool Enabled, bool BuiltIn, List<string> Languages, string Source, string? Folder, string? Integrity);

internal sealed record BrokenPluginReport(string Name, string Problem);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PluginListReport))]
internal sealed partial class PluginListJsonContext : JsonSerializerContext
{
}
