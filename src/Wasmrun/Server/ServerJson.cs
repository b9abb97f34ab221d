// What the dev server says to pages (the state, events) and what it records for `wasmrun stop`, as records
// serialized with System.Text.Json source generation (snake_case). These records are the contract: ui/src/api.g.ts
// is generated from them (TypeScriptContractGenerator; ServerContractTests fails when the checked-in copy is stale),
// and docs/dev-server.md explains them.
using System.Text.Json.Serialization;
using Wasmrun.Cli;
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
internal sealed record ServedModule(string Url, string File, long Size);

/// <summary>A compiler error; Frame when its file is the project's and could be read.</summary>
internal sealed record BuildError(
    string File, int Line, int Column, Severity Severity, string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CodeFrame? Frame);

/// <summary>The latest build; Message and Errors only when it failed. Plugin, Target, Optimization and Seconds are
/// null when the build failed before a plugin was chosen.</summary>
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

/// <summary>A WebSocket message: State with the state, or a build's step: Building with Files, Built or Failed with
/// the state.</summary>
internal sealed record ServerEvent(
    ServerEventType Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ServerState? State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? Files);

/// <summary>A running server, as ~/.wasmrun/run/PID.json records it (the token lets `wasmrun stop` shut it down).</summary>
internal sealed record ServerRecordData(int Pid, string Url, int Port, string Project, string Token, DateTimeOffset Started);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ServerState))]
[JsonSerializable(typeof(ServerEvent))]
[JsonSerializable(typeof(ServerRecordData))]
[JsonSerializable(typeof(string))]
internal sealed partial class ServerJsonContext : JsonSerializerContext
{
}
