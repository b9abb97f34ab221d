// Which plugin builds a project, decided the same way every time and explainable: each enabled plugin's [detect]
// rules (or its script's detect()) say whether it recognises the project by a marker (Cargo.toml, a Makefile that
// mentions wasm) or only by source files. The strongest kind of match wins; two plugins at the same strength are an
// error that names both, never a silent pick. --language chooses directly. Only installed (and built-in) plugins
// build; when none matches, the bundled ones not installed are asked too, so the hint names the one to install.
using System.Text;
using Wasmrun.Config;

namespace Wasmrun.Plugins;

internal enum MatchStrength
{
    None,
    Source,
    Marker,
}

internal sealed record PluginMatch(PluginPackage Plugin, MatchStrength Strength, string Reason);

internal static class ProjectDetector
{
    /// <summary>Every enabled plugin's verdict on the project, in catalog order.</summary>
    public static List<PluginMatch> Evaluate(string project, IEnumerable<PluginPackage> plugins, PluginLimits limits, PluginOutput output) =>
        [.. plugins.Select(plugin => plugin.Manifest.Detect.Script ? ByScript(project, plugin, limits, output) : ByRules(project, plugin))];

    /// <summary>The plugin for the project, or an error that says why none or several.</summary>
    public static PluginPackage Choose(string project, PluginCatalog catalog, string? language, PluginLimits limits, PluginOutput output)
    {
        if (language is not null)
        {
            return ByLanguage(project, catalog, language.ToLowerInvariant(), limits, output);
        }
        var matches = Evaluate(project, catalog.Enabled, limits, output);
        var best = matches.Max(m => m.Strength);
        var winners = matches.Where(m => m.Strength == best && best != MatchStrength.None).ToList();
        if (winners.Count == 1)
        {
            return winners[0].Plugin;
        }
        if (winners.Count > 1)
        {
            throw new WasmrunException(
                $"{project}: {string.Join(" and ", winners.Select(w => $"plugin {w.Plugin.Name}"))} all recognise this project ({string.Join("; ", winners.Select(w => $"{w.Plugin.Name}: {w.Reason}"))})",
                ExitCode.Usage)
            {
                Hint = $"choose one with --language ({string.Join(", ", winners.Select(w => $"{w.Plugin.Name}: {string.Join("|", w.Plugin.Manifest.Plugin.Languages)}"))}), or disable one with `wasmrun plugin disable NAME`",
            };
        }
        throw new WasmrunException($"{project}: no plugin recognises this project", ExitCode.Usage) { Hint = NothingMatchedHint(project, catalog, limits, output) };
    }

    /// <summary>The explanation `compile --explain` prints: one line per plugin, then the choice.</summary>
    public static string Explain(string project, PluginCatalog catalog, PluginLimits limits, PluginOutput output)
    {
        var text = new StringBuilder();
        text.AppendLine($"plugins asked about {project}:");
        var matches = Evaluate(project, catalog.Enabled, limits, output);
        var width = catalog.Plugins.Max(p => p.Name.Length);
        foreach (var match in matches)
        {
            var verdict = match.Strength switch
            {
                MatchStrength.Marker => "yes, by a marker",
                MatchStrength.Source => "yes, by sources ",
                _ => "no              ",
            };
            text.AppendLine($"  {match.Plugin.Name.PadRight(width)}  {verdict}  {match.Reason}");
        }
        foreach (var disabled in catalog.Plugins.Where(p => !p.Enabled))
        {
            text.AppendLine($"  {disabled.Name.PadRight(width)}  disabled          (`wasmrun plugin enable {disabled.Name}`)");
        }
        foreach (var broken in catalog.Broken)
        {
            text.AppendLine($"  {broken.Name.PadRight(width)}  broken            {broken.Problem}");
        }
        var best = matches.Count == 0 ? MatchStrength.None : matches.Max(m => m.Strength);
        var winners = matches.Where(m => m.Strength == best && best != MatchStrength.None).ToList();
        text.Append(winners.Count switch
        {
            1 => $"chosen: {winners[0].Plugin.Name} ({(best == MatchStrength.Marker ? "the only plugin with a marker" : "no plugin has a marker; the only one with sources")})",
            0 => "chosen: none; " + NothingMatchedHint(project, catalog, limits, output),
            _ => $"chosen: none; {string.Join(" and ", winners.Select(w => w.Plugin.Name))} match equally: choose with --language",
        });
        return text.ToString();
    }

    private static PluginPackage ByLanguage(string project, PluginCatalog catalog, string language, PluginLimits limits, PluginOutput output)
    {
        var speakers = catalog.Enabled.Where(p => p.Manifest.Plugin.Languages.Contains(language)).ToList();
        if (speakers.Count == 1)
        {
            return speakers[0];
        }
        if (speakers.Count > 1)
        {
            var matching = Evaluate(project, speakers, limits, output).Where(m => m.Strength != MatchStrength.None).ToList();
            if (matching.Count == 1)
            {
                return matching[0].Plugin;
            }
            throw new WasmrunException($"--language {language}: plugins {string.Join(", ", speakers.Select(p => p.Name))} all build {language}", ExitCode.Usage)
            {
                Hint = "disable the ones you do not want with `wasmrun plugin disable NAME`",
            };
        }
        var disabled = catalog.Plugins.Where(p => !p.Enabled && p.Manifest.Plugin.Languages.Contains(language)).Select(p => p.Name).ToList();
        var bundled = catalog.Available.FirstOrDefault(p => p.Manifest.Plugin.Languages.Contains(language));
        var known = catalog.Enabled.SelectMany(p => p.Manifest.Plugin.Languages).Distinct().Order(StringComparer.Ordinal);
        throw new WasmrunException($"--language {language}: no enabled plugin builds {language}", ExitCode.Usage)
        {
            Hint = disabled.Count > 0 ? $"enable it: wasmrun plugin enable {disabled[0]}"
                : bundled is not null ? $"the plugin {bundled.Name} builds {language} and is not installed: {PluginCatalog.InstallHint(bundled.Name)}"
                : $"languages available: {string.Join(", ", known)}; more come with plugins (wasmrun plugin search {language})",
        };
    }

    private static PluginMatch ByRules(string project, PluginPackage plugin)
    {
        var rules = plugin.Manifest.Detect;
        foreach (var marker in rules.Markers)
        {
            if (File.Exists(Path.Join(project, marker)) || Directory.Exists(Path.Join(project, marker)))
            {
                return new PluginMatch(plugin, MatchStrength.Marker, $"{marker} found");
            }
        }
        foreach (var rule in rules.Contains)
        {
            var file = Path.Join(project, rule.File);
            if (File.Exists(file) && new FileInfo(file).Length < (1 << 20) && File.ReadAllText(file).Contains(rule.Text, StringComparison.Ordinal))
            {
                return new PluginMatch(plugin, MatchStrength.Marker, $"{rule.File} mentions \"{rule.Text}\"");
            }
        }
        var extensions = rules.Sources.Select(e => "." + e).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var folder in new[] { project, Path.Join(project, "src") }.Where(Directory.Exists))
        {
            if (Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).FirstOrDefault(f => extensions.Contains(Path.GetExtension(f))) is { } source)
            {
                return new PluginMatch(plugin, MatchStrength.Source, $"source file {Path.GetRelativePath(project, source).Replace('\\', '/')}");
            }
        }
        var wanted = rules.Markers.Concat(rules.Contains.Select(c => $"{c.File} mentioning \"{c.Text}\""))
            .Concat(rules.Sources.Count > 0 ? [$"*.{string.Join("|", rules.Sources)} at the root or in src/"] : []);
        return new PluginMatch(plugin, MatchStrength.None, $"looks for {string.Join(", ", wanted)}");
    }

    /// <summary>detect(project) in the sandbox: returns {match: "marker"|"source"|null, reason}.</summary>
    private static PluginMatch ByScript(string project, PluginPackage plugin, PluginLimits limits, PluginOutput output)
    {
        var scope = new SandboxScope(project, [], plugin.Manifest.Permissions.Read);
        using var sandbox = PluginSandbox.Open(plugin, limits, output, scope);
        if (!sandbox.Exports("detect"))
        {
            throw new WasmrunException($"{plugin}: detect.script is set, but its script exports no detect()", ExitCode.PluginFailed);
        }
        WasmrunException Wrong(string what) => new($"{plugin}: detect() returned {what}; expected {{ match: \"marker\" | \"source\" | null, reason }}", ExitCode.PluginFailed);
        var (match, reason) = sandbox.Call("detect", scope, engine => PluginSandbox.Object(engine,
            ("dir", scope.Project), ("name", Path.GetFileName(scope.Project))),
            result => ScriptResult.Of(result, Wrong) is { } verdict ? (verdict.Text("match"), verdict.Text("reason")) : (null, null));
        var strength = match switch
        {
            null => MatchStrength.None,
            "marker" => MatchStrength.Marker,
            "source" => MatchStrength.Source,
            _ => throw Wrong($"match \"{match}\""),
        };
        return new PluginMatch(plugin, strength, reason is { Length: > 0 } ? reason : "its detect() says so");
    }

    /// <summary>The bundled plugin, not installed, that would recognise the project (the strongest match, by name), or
    /// how to see what each installed plugin looks for.</summary>
    private static string NothingMatchedHint(string project, PluginCatalog catalog, PluginLimits limits, PluginOutput output)
    {
        var suggested = Evaluate(project, catalog.Available, limits, output)
            .Where(m => m.Strength != MatchStrength.None)
            .OrderByDescending(m => m.Strength)
            .Select(m => $"the plugin {m.Plugin.Name} recognises it ({m.Reason}) and is not installed: {PluginCatalog.InstallHint(m.Plugin.Name)}")
            .FirstOrDefault();
        return suggested ?? $"run `wasmrun compile --explain` to see what each plugin looks for, or force one with --language ({string.Join(", ", catalog.Enabled.SelectMany(p => p.Manifest.Plugin.Languages).Distinct())})";
    }
}
