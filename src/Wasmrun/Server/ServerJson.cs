// What the dev server says to pages (the state, events; the OS server's are in OsJson.cs) and what it records for `wasmrun stop`, as records
// serialized with System.Text.Json source generation (snake_case). These records are the contract: ui/src/api.g.ts
// is generated from them (TypeScriptContractGenerator; ServerContractTests fails when the checked-in copy is stale),
// and docs/dev-server.md explains them.
using System.Text.Json.Serialization;
using Wasmrun.Cli;
using Wasmrun.Generators;
using Wasmrun.Inspect;
using Wasmrun.Plugins;

namespace Wasmrun.Server;

/// <summary>Where a build stands.</summary>
[JsonConverter(typeof(LowercaseEnum<BuildStatus>))]
internal enum BuildStatus
{
    /// <summary>A watched file changed and a rebuild runs.</summary>
    Building,

    /// <summary>The build succeeded: a new generation is served.</summary>
    Built,

    /// <summary>The build failed; the last good module stays served.</summary>
    Failed,
}

/// <summary>Which page "/" is.</summary>
[JsonConverter(typeof(LowercaseEnum<PageMode>))]
internal enum PageMode
{
    /// <summary>Wasmrun's playground runs the module.</summary>
    Playground,

    /// <summary>The project's own page, or one made for its JavaScript glue.</summary>
    App,
}

/// <summary>What a WebSocket message announces: the state on connecting, or a build's new BuildStatus.</summary>
[JsonConverter(typeof(LowercaseEnum<ServerEventType>))]
internal enum ServerEventType
{
    /// <summary>Sent at once after connecting, with the state.</summary>
    State,

    /// <summary>A rebuild started (BuildStatus.Building), with the changed files.</summary>
    Building,

    /// <summary>A rebuild succeeded (BuildStatus.Built), with the state.</summary>
    Built,

    /// <summary>A rebuild failed (BuildStatus.Failed), with the state.</summary>
    Failed,
}

/// <summary>The module the page runs: the last good build.</summary>
/// <param name="Url">Where the page fetches it; it changes with every generation.</param>
/// <param name="File">The module's file name, as the page shows it.</param>
/// <param name="Size">Its size in bytes.</param>
internal sealed record ServedModule(string Url, string File, long Size);

/// <summary>A compiler error; Frame when its file is the project's and could be read.</summary>
/// <param name="File">Relative to the project when it is inside it.</param>
/// <param name="Line">1-based.</param>
/// <param name="Column">1-based.</param>
/// <param name="Severity">How bad the compiler says it is.</param>
/// <param name="Message">The compiler's message.</param>
/// <param name="Frame">The source lines around the error, when the file is the project's.</param>
internal sealed record BuildError(
    string File, int Line, int Column, Severity Severity, string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CodeFrame? Frame);

/// <summary>The latest build.</summary>
/// <param name="Status">Where it stands.</param>
/// <param name="Plugin">"NAME VERSION"; null (as Target, Optimization and Seconds) when the build failed before a
/// plugin was chosen.</param>
/// <param name="Target">wasm, wasi or web.</param>
/// <param name="Optimization">debug, release or size.</param>
/// <param name="Seconds">How long it took; null while it runs.</param>
/// <param name="FromCache">The build cache held the result.</param>
/// <param name="Message">Why it failed; only when it failed.</param>
/// <param name="Errors">The compiler errors the plugin's output held; only when it failed.</param>
internal sealed record BuildState(
    BuildStatus Status, string? Plugin, string? Target, string? Optimization, double? Seconds, bool FromCache,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BuildError[]? Errors);

/// <param name="Wasmrun">This Wasmrun's version.</param>
/// <param name="Name">The project's (or module file's) name.</param>
/// <param name="Mode">Which page "/" is.</param>
/// <param name="Kind">What the build made.</param>
/// <param name="Watch">True under --watch: the page should expect rebuilds.</param>
/// <param name="Instance">Random per server process: a page that reconnects to another one (a restart) loads again,
/// since generations start over at every start.</param>
/// <param name="Generation">Counts good builds; the module's URL changes with it.</param>
/// <param name="Module">The last good build's module; null before the first one.</param>
/// <param name="Build">Null when a .wasm file is served as it is.</param>
internal sealed record ServerState(
    string Wasmrun, string Name, PageMode Mode, ArtifactKind Kind, bool Watch, string Instance, int Generation, ServedModule? Module, BuildState? Build);

/// <summary>A WebSocket message, one per step (docs/dev-server.md, "Events").</summary>
/// <param name="Type">What it announces.</param>
/// <param name="State">With State, Built and Failed.</param>
/// <param name="Files">With Building: the changed files, relative to the project.</param>
internal sealed record ServerEvent(
    ServerEventType Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ServerState? State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? Files);

/// <summary>Which command a running server is.</summary>
[JsonConverter(typeof(LowercaseEnum<ServerKind>))]
internal enum ServerKind
{
    /// <summary>`wasmrun run`'s dev server.</summary>
    Run,

    /// <summary>`wasmrun os`'s OS server.</summary>
    Os,
}

/// <summary>A running server, as ~/.wasmrun/run/PID.json records it (the token lets `wasmrun stop` shut it down).</summary>
internal sealed record ServerRecordData(int Pid, string Url, int Port, string Project, string Token, DateTimeOffset Started)
{
    /// <summary>Which command it is; records written before OS mode have none and are dev servers.</summary>
    public ServerKind Kind { get; init; } = ServerKind.Run;
}

/// <summary>The state and the events go to the page, and so does `wasmrun inspect --json` of the module
/// (/_wasmrun/api/module, serialized by ReportJsonContext): the three roots of the playground's contract. The OS
/// page's are its events, its requests and the file browser's listings (OsJson.cs).</summary>
[TypeScriptContract(typeof(ServerState), typeof(ServerEvent), typeof(InspectReport), typeof(OsEvent), typeof(OsRequest), typeof(OsDirectory))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ServerState))]
[JsonSerializable(typeof(ServerEvent))]
[JsonSerializable(typeof(ServerRecordData))]
[JsonSerializable(typeof(OsEvent))]
[JsonSerializable(typeof(OsRequest))]
[JsonSerializable(typeof(OsSnapshot))]
[JsonSerializable(typeof(OsDirectory))]
[JsonSerializable(typeof(string))]
internal sealed partial class ServerJsonContext : JsonSerializerContext
{
}
