// What a dev server serves and how it changes: a .wasm file as it is, or a project built by its plugin (again on
// every change under --watch). It keeps the last good build in memory, so a failed rebuild, or a plugin that deletes
// its old output first, never takes the page's module away; and it tells listeners (the WebSocket hub) each step.
using System.Diagnostics;
using System.Text.Json;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Engine;
using Wasmrun.Host;
using Wasmrun.Inspect;
using Wasmrun.Plugins;

namespace Wasmrun.Server;

/// <summary>A good build as the server serves it.</summary>
/// <param name="Wasm">The module's bytes, copied when the build ended.</param>
/// <param name="FileName">The module's file name, as the page shows it.</param>
/// <param name="ReportJson">`wasmrun inspect --json` of the module, for /_wasmrun/api/module.</param>
/// <param name="Kind">What the build made.</param>
/// <param name="Mode">Which page "/" is.</param>
/// <param name="Roots">The folders files are served from, in order.</param>
/// <param name="Page">App mode: the page at "/" (absolute path), unless GluePage is made instead.</param>
/// <param name="GluePage">App mode for a module with JS glue and no page: the page that loads the glue.</param>
internal sealed record ServedBuild(
    byte[] Wasm, string FileName, string ReportJson, ArtifactKind Kind, PageMode Mode, IReadOnlyList<string> Roots, string? Page, string? GluePage);

internal sealed class DevSession
{
    private readonly string instance = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
    private readonly Lock gate = new();
    private readonly Lock building = new();
    private readonly string? file;
    private readonly BuildOptions? options;
    private readonly ConfigFile config;
    private readonly PluginOutput output;
    private ServedBuild? current;
    private BuildState? build;
    private int generation;
    private Exception? lastFailure;

    private DevSession(string name, string watchRoot, bool watch, string? file, BuildOptions? options, ConfigFile config, PluginOutput output)
    {
        Name = name;
        WatchRoot = watchRoot;
        Watch = watch;
        this.file = file;
        this.options = options;
        this.config = config;
        this.output = output;
    }

    /// <summary>Raised after every change of state: a build started, ended well, or failed.</summary>
    public event Action<ServerEvent>? Changed;

    public string Name { get; }

    /// <summary>The folder the watcher watches: the project, or the served file's folder.</summary>
    public string WatchRoot { get; }

    public bool Watch { get; }

    /// <summary>The project's inputs, known after the first build chose a plugin; null for a served file.</summary>
    public ProjectInputs? Inputs { get; private set; }

    /// <summary>The served .wasm file (absolute), or null for a project.</summary>
    public string? File => file;

    /// <summary>The plugin and target of the first build, for the start-up line.</summary>
    public string? Description { get; private set; }

    public ServedBuild? Current
    {
        get
        {
            lock (gate)
            {
                return current;
            }
        }
    }

    public static DevSession ForFile(string file, bool watch, ConfigFile config) =>
        new(Path.GetFileNameWithoutExtension(file), Path.GetDirectoryName(file)!, watch, file, null, config, new PluginOutput(verbose: false));

    public static DevSession ForProject(BuildOptions options, bool watch, ConfigFile config, PluginOutput output)
    {
        var project = ProjectBuilder.ProjectDirectory(options.Project);
        return new(ProjectBuilder.ProjectName(project), project, watch, null, options with { Project = project, ForServing = true }, config, output);
    }

    public ServerState State()
    {
        lock (gate)
        {
            var module = current is null ? null : new ServedModule($"/_wasmrun/module.wasm?g={generation}", current.FileName, current.Wasm.Length);
            return new ServerState(AppVersion.Text, Name, current?.Mode ?? PageMode.Playground, current?.Kind ?? ArtifactKind.Module, Watch, instance, generation, module, build);
        }
    }

    /// <summary>The first build (or load). Without --watch a failure ends the command; with it the server starts
    /// anyway and shows the errors until a change fixes them.</summary>
    public void Start()
    {
        if (!Refresh(changed: null) && !Watch)
        {
            throw lastFailure!;
        }
    }

    /// <summary>Builds again after files changed, one build at a time (the watcher reports changes made during a
    /// build as the next batch).</summary>
    public void Rebuild(IReadOnlyList<string> changed)
    {
        lock (building)
        {
            Refresh(changed);
        }
    }

    /// <summary>Builds (or reloads the file) and publishes the outcome; true when it was good.</summary>
    private bool Refresh(IReadOnlyList<string>? changed)
    {
        if (changed is not null)
        {
            lock (gate)
            {
                build = build is null ? null : build with { Status = BuildStatus.Building, Seconds = null, Message = null, Errors = null };
            }
            Changed?.Invoke(new ServerEvent(ServerEventType.Building, null, [.. changed]));
        }
        var clock = Stopwatch.StartNew();
        try
        {
            var (served, state) = file is not null ? LoadFile(file) : BuildProject();
            lock (gate)
            {
                current = served;
                build = state;
                generation++;
            }
            lastFailure = null;
            Changed?.Invoke(new ServerEvent(ServerEventType.Built, State(), null));
            return true;
        }
        // A rebuild runs on the watcher's thread: a bug must not end the server, only this build (the first build's
        // unexpected exceptions reach the command's error handling instead).
        catch (Exception failure) when (failure is WasmrunException or EngineException || changed is not null)
        {
            return Failed(failure, clock);
        }
    }

    /// <summary>Publishes a failed build; the last good one stays served.</summary>
    private bool Failed(Exception failure, Stopwatch clock)
    {
        lastFailure = failure;
        var errors = failure is BuildFailedException failed
            ? [.. failed.Errors.Select(e => new BuildError(Relative(e.File), e.Line, e.Column, e.Severity, e.Message, CodeFrame.Read(WatchRoot, e.File, e.Line)))]
            : Array.Empty<BuildError>();
        lock (gate)
        {
            build = new BuildState(BuildStatus.Failed, build?.Plugin, build?.Target, build?.Optimization, clock.Elapsed.TotalSeconds, false,
                UserError.Of(failure).Line, errors);
        }
        Changed?.Invoke(new ServerEvent(ServerEventType.Failed, State(), null));
        return false;
    }

    private (ServedBuild, BuildState?) LoadFile(string path)
    {
        var bytes = ModuleFile.ReadBinary(path);
        var module = ModuleFile.Decode(bytes, path);
        ModuleFile.Validate(module, path);
        var kind = module.ImportsWasi ? ArtifactKind.Wasi : ArtifactKind.Module;
        Description ??= kind == ArtifactKind.Wasi ? "a WASI module" : "a module";
        return (new ServedBuild(bytes, Path.ChangeExtension(Path.GetFileName(path), ".wasm"), Report(path, module), kind, PageMode.Playground, [], null, null), null);
    }

    private (ServedBuild, BuildState?) BuildProject()
    {
        var outcome = ProjectBuilder.Build(options!, config, output);
        Inputs ??= new ProjectInputs(outcome.Plugin, WatchRoot, outcome.OutputDirectory);
        Description ??= $"{outcome.Plugin}, target {outcome.Target}, {outcome.Optimization}";
        var artifacts = outcome.Artifacts;
        var bytes = ModuleFile.ReadFile(artifacts.Wasm);
        var module = ModuleFile.Decode(bytes, artifacts.Wasm);
        var outputDirectory = outcome.OutputDirectory;
        var ownPage = Path.Join(WatchRoot, "index.html");
        // A page or glue the plugin made is a plain way to load the module; the playground is the better one
        // wherever it can run it. The project's own page is what its author wants to see.
        var playground = PlaygroundImports.CanRun(module);
        var (mode, roots, page, glue) =
            artifacts.Html is not null && !playground ? (PageMode.App, new[] { outputDirectory }, artifacts.Html, null)
            : artifacts.Html is null && System.IO.File.Exists(ownPage) ? (PageMode.App, new[] { WatchRoot, outputDirectory }, ownPage, null)
            : artifacts.Js is not null && !playground ? (PageMode.App, new[] { outputDirectory }, null, AppPages.GluePage(Name, outputDirectory, artifacts))
            : (PageMode.Playground, new[] { outputDirectory }, (string?)null, (string?)null);
        var served = new ServedBuild(bytes, Path.GetFileName(artifacts.Wasm), Report(artifacts.Wasm, module), artifacts.Kind, mode, roots, page, glue);
        var state = new BuildState(BuildStatus.Built, $"{outcome.Plugin.Name} {outcome.Plugin.Version}", outcome.Target, outcome.Optimization, outcome.Elapsed.TotalSeconds,
            outcome.FromCache, null, null);
        return (served, state);
    }

    private static string Report(string path, Module module) =>
        JsonSerializer.Serialize(ReportBuilder.Inspect(Path.GetFileName(path), module, null, null), ReportJsonContext.Default.InspectReport);

    private string Relative(string path)
    {
        var relative = Path.GetRelativePath(WatchRoot, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative.Replace('\\', '/');
    }
}
