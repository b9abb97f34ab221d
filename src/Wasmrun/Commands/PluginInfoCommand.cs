// `wasmrun plugin info NAME`: everything a plugin's manifest declares (languages, targets, the tools it needs and
// whether each is on PATH, what its script may run and read, its templates) and where it was installed from; for a
// plugin bundled with wasmrun and not installed yet, the bundled copy's.
using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Plugins;
using Wasmrun.Plugins.Install;

namespace Wasmrun.Commands;

internal sealed class PluginInfoCommand
{
    /// <summary>Show a plugin's details (installed, built in, or bundled with wasmrun and not installed): manifest, tools (found on PATH or not), permissions, templates, folder and source.</summary>
    /// <param name="name">The plugin's name.</param>
    /// <param name="json">Print one JSON object (snake_case keys) instead of text.</param>
    [Command("plugin info")]
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
            plugin.Files.Directory, PluginListCommand.Source(plugin, config.Settings.Registry),
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
            ("runs", P(List(report.Permissions.Run))),
            ("reads env", P(List(report.Permissions.Env))),
            ("reads files", P(List(report.Permissions.Read)) + output.Dim("  (and the project's own files)")),
        ]);
        if (report.Templates.Count > 0)
        {
            output.WriteLine();
            output.WriteLine(output.Bold("templates") + output.Dim("  (wasmrun init --template NAME)"));
            Rows(output, [.. report.Templates.Select(t => (t.Name, P(t.Description)))]);
        }
    }

    private static string List(List<string> items) => items.Count == 0 ? "nothing" : string.Join(", ", items);

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
