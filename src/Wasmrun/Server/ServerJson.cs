// What the dev server says to pages (the state, events) and what it records for `wasmrun stop`, as records
// serialized with System.Text.Json source generation (snake_case). docs/dev-server.md is the contract.
using System.Text.Json.Serialization;

namespace Wasmrun.Server;

/// <summary>The module the page runs: the last good build.</summary>
internal sealed record ServedModule(string Url, string File, long Size);

/// <summary>A compiler error; Frame when its file is the project's and could be read.</summary>
internal sealed record BuildError(
    string File, int Line, int Column, string Severity, string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CodeFrame? Frame);

/// <summary>The latest build; Message and Errors only when it failed.</summary>
internal sealed record BuildState(
    string Status, string? Plugin, string? Target, string? Optimization, double? Seconds, bool FromCache,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BuildError[]? Errors);

/// <param name="Wasmrun">This Wasmrun's version.</param>
/// <param name="Name">The project's (or module file's) name.</param>
/// <param name="Mode">"playground" (our page runs the module) or "app" (the project's page, or one made for its glue).</param>
/// <param name="Kind">"module", "wasi" or "web": what the build made.</param>
/// <param name="Watch">True under --watch: the page should expect rebuilds.</param>
/// <param name="Instance">Random per server process: a page that reconnects to another one (a restart) loads again,
/// since generations start over at every start.</param>
/// <param name="Generation">Counts good builds; the module's URL changes with it.</param>
/// <param name="Module">The last good build's module; null before the first one.</param>
/// <param name="Build">Null when a .wasm file is served as it is.</param>
internal sealed record ServerState(
    string Wasmrun, string Name, string Mode, string Kind, bool Watch, string Instance, int Generation, ServedModule? Module, BuildState? Build);

/// <summary>A WebSocket message: "state" (on connect), "building" (with Files), "built", "failed".</summary>
internal sealed record ServerEvent(
    string Type,
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
