// What a WASI program gets from its host: arguments, environment, and the directories it may reach.
namespace Wasmrun.Wasi;

/// <summary>A host directory the guest sees as GuestPath; read-only ones lose every right that writes.</summary>
internal sealed record Preopen(string HostPath, string GuestPath, bool ReadOnly);

internal sealed record WasiOptions(IReadOnlyList<string> Arguments, IReadOnlyList<KeyValuePair<string, string>> Environment, IReadOnlyList<Preopen> Preopens);
