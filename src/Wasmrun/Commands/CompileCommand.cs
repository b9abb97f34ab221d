// `wasmrun compile [PATH]`: builds a project to WebAssembly with the plugin for its language (ProjectBuilder), then
// lists what it made; --explain says which plugin recognises the project and why, and stops there.
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Plugins;

namespace Wasmrun.Commands;

public sealed class CompileCommand
{
    /// <summary>Build a project to WebAssembly with its language plugin (C/C++ built in; more with `wasmrun plugin install`).</summary>
    /// <param name="path">The project folder (default: the current folder).</param>
    /// <param name="output">-o, The output folder (default: PATH/dist).</param>
    /// <param name="optimization">debug, release or size (default: release).</param>
    /// <param name="target">wasm (a module), wasi (a WASI command) or web (a page); default: the plugin's first it has the tools for.</param>
    /// <param name="language">Build with the plugin for this language instead of detecting it.</param>
    /// <param name="verbose">-v, Also show the tools found and the plugin's debug messages.</param>
    /// <param name="explain">Say which plugin recognises the project and why, and build nothing.</param>
    /// <param name="noCache">Build even when the build cache holds the result.</param>
    [Command("compile")]
    public void Compile(
        [Argument] string? path = null, string? output = null, string? optimization = null, string? target = null, string? language = null,
        bool verbose = false, bool explain = false, bool noCache = false)
    {
        var config = ConfigFile.Current;
        var pluginOutput = new PluginOutput(verbose);
        if (explain)
        {
            var project = ProjectBuilder.ProjectDirectory(path);
            Terminal.Out.WriteLine(ProjectDetector.Explain(project, PluginCatalog.Load(config), config.Settings.PluginLimits, pluginOutput));
            return;
        }
        var outcome = ProjectBuilder.Build(new BuildOptions(path ?? ".", output, target, optimization, language, UseCache: !noCache), config, pluginOutput);
        Report(outcome, Terminal.Out);
    }

    private static void Report(BuildOutcome outcome, Terminal output)
    {
        var seconds = outcome.Elapsed.TotalSeconds;
        output.WriteLine(outcome.FromCache
            ? $"{output.Green("up to date")} (from the build cache in {seconds:0.00} s): {outcome.Plugin}, target {outcome.Target}, {outcome.Optimization}"
            : $"{output.Green("built")} with {outcome.Plugin} (target {outcome.Target}, {outcome.Optimization}) in {seconds:0.00} s"
                + (outcome.Warnings.Count > 0 ? $", {outcome.Warnings.Count} warning{(outcome.Warnings.Count == 1 ? "" : "s")}" : ""));
        var artifacts = outcome.Artifacts;
        var rows = new List<(string Label, string File)> { ("wasm", artifacts.Wasm) };
        rows.AddRange(new[] { ("js", artifacts.Js), ("html", artifacts.Html) }.Where(r => r.Item2 is not null).Select(r => (r.Item1, r.Item2!)));
        rows.AddRange(artifacts.Files.Select(f => ("file", f)));
        var shown = rows.Select(r => (r.Label, Path: DisplayPath.Of(r.File), Size: new FileInfo(r.File).Length)).ToList();
        var width = shown.Max(r => r.Path.Length);
        foreach (var (label, file, size) in shown)
        {
            output.WriteLine($"  {label,-4}  {file.PadRight(width)}  {Units.Size(size),9}");
        }
        var wasm = DisplayPath.Of(artifacts.Wasm);
        // Every kind ends with how to run it: `wasmrun exec` runs WASI commands only, so the others name what does.
        var build = outcome.Plugin.Manifest.Build;
        var serves = build.DefaultTargets(forServing: true)[0];
        output.WriteLine(artifacts.Kind switch
        {
            ArtifactKind.Wasi => $"a WASI command: run it with `wasmrun exec {wasm}`",
            ArtifactKind.Web => $"a web page: {DisplayPath.Of(artifacts.Html!)}: open it with `wasmrun run{(serves == outcome.Target ? "" : $" --target {outcome.Target}")}`",
            _ when artifacts.Js is not null => $"a module with JavaScript glue that loads it: {DisplayPath.Of(artifacts.Js)}"
                + (build.Targets.Contains("wasi") ? "; `wasmrun compile --target wasi` builds a WASI command that `wasmrun exec` runs" : ""),
            _ => $"a module: call an export with `wasmrun exec --invoke NAME {wasm} ARGS...`",
        });
    }
}
