// Builds a project with its plugin: detection, the tools check, the build cache, the script's build(ctx) in the
// sandbox, and the check of what it returns (files inside the output folder; a .wasm our validator accepts). Used by
// `wasmrun compile`, and by anything else that needs a project built.
using System.Diagnostics;
using Jint.Native;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Engine;
using Wasmrun.Host;

namespace Wasmrun.Plugins;

/// <param name="Project">The project folder.</param>
/// <param name="Output">The output folder; null for PROJECT/dist.</param>
/// <param name="Target">wasm, wasi or web; null for the plugin's default.</param>
/// <param name="Optimization">debug, release or size; null for release.</param>
/// <param name="Language">Forces the plugin that builds this language; null to detect.</param>
/// <param name="UseCache">False to build even when the cache has the result.</param>
/// <param name="ForServing">For `wasmrun run`: without a target, build the plugin's build.serve target.</param>
internal sealed record BuildOptions(
    string Project, string? Output, string? Target, string? Optimization, string? Language, bool UseCache, bool ForServing = false);

/// <summary>What a build made; build() may say so as `kind: "wasi"`, and the dev server's state names it the same way.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(LowercaseEnum<ArtifactKind>))]
internal enum ArtifactKind
{
    /// <summary>A WASI command, which `wasmrun exec` runs.</summary>
    Wasi,

    /// <summary>A plain module, maybe with JavaScript glue that loads it.</summary>
    Module,

    /// <summary>A page that runs the module.</summary>
    Web,
}

/// <summary>What a build produced, as absolute paths inside the output folder.</summary>
/// <param name="Kind">What kind of thing it is.</param>
/// <param name="Wasm">The module.</param>
/// <param name="Js">JavaScript glue that loads it, if any.</param>
/// <param name="Html">A page that runs it, if any.</param>
/// <param name="Files">Other files the build made that belong with it (data files, more glue).</param>
internal sealed record BuildArtifacts(ArtifactKind Kind, string Wasm, string? Js, string? Html, IReadOnlyList<string> Files)
{
    public IEnumerable<string> All => new[] { Wasm, Js, Html }.OfType<string>().Concat(Files);
}

internal sealed record BuildOutcome(
    PluginPackage Plugin, string Target, string Optimization, string OutputDirectory, BuildArtifacts Artifacts, bool FromCache,
    TimeSpan Elapsed, IReadOnlyList<Diagnostic> Warnings);

internal static class ProjectBuilder
{
    public const string DefaultOutput = "dist";

    /// <summary>Written into an output folder Wasmrun created: `wasmrun clean` deletes only folders that have it.</summary>
    public const string OutputMarker = ".wasmrun-output";

    public static string ProjectDirectory(string? path)
    {
        var project = Path.GetFullPath(path ?? ".");
        if (!Directory.Exists(project))
        {
            throw new WasmrunException(File.Exists(project) ? $"{path}: is a file; give the project's folder" : $"{path}: no such folder")
            {
                Hint = "give the folder that holds the project (the default is the current folder)",
            };
        }
        return project;
    }

    /// <summary>The project's name as plugins use it for artifact names: the folder name, reduced to [A-Za-z0-9_-].</summary>
    public static string ProjectName(string project)
    {
        var name = new string([.. Path.GetFileName(project.TrimEnd(Path.DirectorySeparatorChar)).Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_')]);
        return name.Length > 0 ? name : "project";
    }

    public static BuildOutcome Build(BuildOptions options, ConfigFile config, PluginOutput output)
    {
        var clock = Stopwatch.StartNew();
        var logger = Log.For("build");
        var project = ProjectDirectory(options.Project);
        var limits = config.Settings.PluginLimits;
        PluginPackage plugin;
        using (Log.Phase(logger, "detect"))
        {
            plugin = ProjectDetector.Choose(project, PluginCatalog.Load(config), options.Language, limits, output);
        }
        var settings = plugin.Manifest.Build;
        if (options.Target is { } given && !settings.Targets.Contains(given))
        {
            throw new WasmrunException($"--target {given}: {plugin} builds {string.Join(", ", settings.Targets)}", ExitCode.Usage);
        }
        var optimization = options.Optimization ?? "release";
        if (!settings.Optimizations.Contains(optimization))
        {
            throw new WasmrunException($"--optimization {optimization}: {plugin} offers {string.Join(", ", settings.Optimizations)}", ExitCode.Usage);
        }
        // A target asked for is built or fails. Without one, the default (the first of build.targets; for the
        // first-party plugins a WASI command that `wasmrun exec` runs) gives way to the next target when the tools it
        // needs are missing (Go before 1.21 has no WASI port): a build the user can run somewhere beats an error, and
        // the warning says what the default needs.
        List<string> targets = options.Target is { } asked ? [asked] : settings.DefaultTargets(options.ForServing);
        WasmrunException? defaultMissing = null;
        foreach (var target in targets)
        {
            try
            {
                var outcome = BuildTarget(options, config, output, clock, plugin, project, target, optimization);
                if (defaultMissing is not null)
                {
                    output.Warn($"built target {target} instead of {targets[0]}: {defaultMissing.Message}"
                        + (defaultMissing.Hint is { } hint ? $" ({hint.ReplaceLineEndings("; ")})" : ""));
                }
                return outcome;
            }
            catch (WasmrunException missing) when (missing.ExitCode == ExitCode.MissingTools && targets.Count > 1)
            {
                defaultMissing ??= missing;
            }
            catch (WasmrunException failed) when (defaultMissing is not null && failed is not BuildFailedException { Errors.Count: > 0 })
            {
                // A target nobody asked for failed for a reason of its own (a Rust crate without a library has no wasm
                // target): what the default needs is the error that helps. Compiler errors in the code still show.
                throw defaultMissing;
            }
        }
        throw defaultMissing!;
    }

    private static BuildOutcome BuildTarget(BuildOptions options, ConfigFile config, PluginOutput output, Stopwatch clock, PluginPackage plugin,
        string project, string target, string optimization)
    {
        var logger = Log.For("build");
        var limits = config.Settings.PluginLimits;
        var tools = ToolCheck.Find(plugin, target);
        ToolCheck.RequireFound(plugin, target, tools, output);

        var outputDirectory = Path.GetFullPath(options.Output ?? Path.Join(project, DefaultOutput));
        PrepareOutput(outputDirectory);
        var cache = new BuildCache(config.Paths.Cache);
        string key;
        using (Log.Phase(logger, "cache lookup"))
        {
            key = BuildCache.Key(plugin, target, optimization, tools, project, outputDirectory);
            if (options.UseCache && cache.TryRestore(key, outputDirectory) is { } cached)
            {
                return new BuildOutcome(plugin, target, optimization, outputDirectory, cached, FromCache: true, clock.Elapsed, []);
            }
        }

        using (Log.Phase(logger, "tool check"))
        {
            ToolCheck.RequireWorking(plugin, target, tools, output);
        }
        var scope = new SandboxScope(project, [outputDirectory], plugin.Manifest.Permissions.Read);
        var opening = Log.Phase(logger, "plugin load");
        using var sandbox = PluginSandbox.Open(plugin, limits, output, scope);
        opening.Dispose();
        if (!sandbox.Exports("build"))
        {
            throw new WasmrunException($"{plugin} cannot build: its script exports no build()", ExitCode.PluginFailed);
        }
        output.Info($"building {ProjectName(project)} with {plugin} (target {target}, {optimization})");
        Returned returned;
        try
        {
            using var building = Log.Phase(logger, "plugin build");
            returned = sandbox.Call("build", scope, engine => PluginSandbox.Object(engine,
                ("projectDir", project),
                ("projectName", ProjectName(project)),
                ("outputDir", outputDirectory),
                ("target", target),
                ("optimization", optimization),
                ("verbose", output.Verbose)), result => Returned.Read(plugin, result));
        }
        catch (WasmrunException failed) when (failed.ExitCode == ExitCode.BuildFailed)
        {
            throw Failed(failed, sandbox.Diagnostics, output);
        }
        var artifacts = Artifacts(plugin, returned, outputDirectory);
        using (Log.Phase(logger, "cache store"))
        {
            // Filed under the inputs as the build left them: a build that writes an input (a lock file) is up to date next time.
            cache.Store(BuildCache.Key(plugin, target, optimization, tools, project, outputDirectory), project, artifacts, outputDirectory);
        }
        return new BuildOutcome(plugin, target, optimization, outputDirectory, artifacts, FromCache: false, clock.Elapsed,
            [.. sandbox.Diagnostics.Where(d => d.Severity == Severity.Warning)]);
    }

    /// <summary>Creates the output folder (with its marker, so `clean` may delete it later); a folder that exists
    /// without the marker is the user's and is only written into.</summary>
    private static void PrepareOutput(string outputDirectory)
    {
        if (Directory.Exists(outputDirectory))
        {
            return;
        }
        Directory.CreateDirectory(outputDirectory);
        File.WriteAllText(Path.Join(outputDirectory, OutputMarker), "Made by `wasmrun compile`; `wasmrun clean` deletes this folder.\n");
    }

    /// <summary>A failed build ends with the compiler's errors in one uniform form, then the failure itself.</summary>
    private static BuildFailedException Failed(WasmrunException failed, IReadOnlyList<Diagnostic> diagnostics, PluginOutput output)
    {
        var errors = diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        output.Errors(errors);
        return new BuildFailedException(errors.Count > 0 ? $"{failed.Message} ({errors.Count} error{(errors.Count == 1 ? "" : "s")})" : failed.Message, errors)
        {
            Hint = errors.Count > 0 ? "fix the errors above and compile again" : "the plugin's output above says why",
        };
    }

    private static WasmrunException WrongResult(PluginPackage plugin, string what) => new($"{plugin} returned a wrong build result: {what}", ExitCode.PluginFailed)
    {
        Hint = "build() must return { wasm, js?, html?, files?, kind? } with paths inside ctx.outputDir (docs/plugins.md)",
    };

    /// <summary>What build() returned, {wasm, js?, html?, files?, kind?}, read inside the sandbox (ScriptResult).</summary>
    private sealed record Returned(string Wasm, string? Js, string? Html, List<string> Files, string? Kind)
    {
        public static Returned Read(PluginPackage plugin, JsValue result)
        {
            var returned = ScriptResult.Of(result, what => WrongResult(plugin, what)) ?? throw WrongResult(plugin, "not an object");
            return new Returned(returned.Text("wasm") ?? throw WrongResult(plugin, "no wasm"), returned.Text("js"), returned.Text("html"),
                returned.Texts("files"), returned.Text("kind"));
        }
    }

    /// <summary>Checks what build() returned: paths relative to the output folder, of files inside it.</summary>
    private static BuildArtifacts Artifacts(PluginPackage plugin, Returned returned, string outputDirectory)
    {
        string? PathOf(string? given, string field)
        {
            if (given is null)
            {
                return null;
            }
            var full = Path.GetFullPath(given, outputDirectory);
            string real;
            try
            {
                real = SandboxScope.RealPath(full);
            }
            catch (IOException unresolvable)
            {
                throw WrongResult(plugin, $"{field} {full}: {unresolvable.Message}");
            }
            if (!SandboxScope.IsInside(real, SandboxScope.RealPath(outputDirectory)))
            {
                throw WrongResult(plugin, $"{field} {full} is outside the output folder {outputDirectory}");
            }
            return File.Exists(full) ? full : throw WrongResult(plugin, $"{field} {full} does not exist");
        }
        var wasm = PathOf(returned.Wasm, "wasm")!;
        var js = PathOf(returned.Js, "js");
        var html = PathOf(returned.Html, "html");
        var files = returned.Files.Select(file => PathOf(file, "files[]")!).ToList();
        Module module;
        try
        {
            module = ModuleFile.Load(wasm);
        }
        catch (Exception invalid) when (invalid is WasmrunException or EngineException)
        {
            throw new WasmrunException($"{plugin} produced an invalid module: {UserError.Of(invalid).Line}", ExitCode.PluginFailed)
            {
                Hint = "the compiler or the plugin has a bug; `wasmrun verify` shows the problem",
            };
        }
        var kind = returned.Kind is { } named
            ? LowercaseEnum.Parse<ArtifactKind>(named) ?? throw WrongResult(plugin, $"kind \"{named}\" (expected {LowercaseEnum.Names<ArtifactKind>()})")
            : html is not null ? ArtifactKind.Web
            : module.ImportsWasi ? ArtifactKind.Wasi
            : ArtifactKind.Module;
        return new BuildArtifacts(kind, wasm, js, html, files);
    }
}

/// <summary>A build that failed with the compiler's errors (exit code 3); the dev server shows them in the page.</summary>
internal sealed class BuildFailedException(string message, IReadOnlyList<Diagnostic> errors) : WasmrunException(message, ExitCode.BuildFailed)
{
    public IReadOnlyList<Diagnostic> Errors { get; } = errors;
}
