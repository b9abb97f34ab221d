// `wasmrun plugin search [TERM]`: asks the registry (npm's search API) for packages with the keyword wasmrun-plugin.
using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Plugins;
using Wasmrun.Plugins.Install;

namespace Wasmrun.Commands;

internal sealed class PluginSearchCommand
{
    /// <summary>Search the registry for plugins (packages with the keyword wasmrun-plugin); all of them without a term.</summary>
    /// <param name="term">Words to look for in names, descriptions and keywords.</param>
    /// <param name="registry">Search this registry instead of config.toml's `registry`.</param>
    /// <param name="json">Print one JSON object (snake_case keys) instead of a table.</param>
    /// <param name="cancellationToken">Ctrl+C: stops the search.</param>
    [Command("plugin search")]
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
        PluginListCommand.WriteTable(output, ["NAME", "VERSION", "INSTALLED", "DESCRIPTION"],
            [.. hits.Select(h => new[] { h.Name, h.Version, installed.GetValueOrDefault(h.Name, "-"), h.Description })]);
    }
}

internal sealed record SearchReport(string Registry, string Term, List<SearchResultReport> Results);

/// <summary>One result; Installed is the installed version of the plugin, or null.</summary>
internal sealed record SearchResultReport(string Name, string Version, string Description, string? Installed);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SearchReport))]
internal sealed partial class PluginSearchJsonContext : JsonSerializerContext
{
}
