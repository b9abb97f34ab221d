// What a process runs: a module shared by every process of its program, the words it is started with, its
// environment, the host folders it sees (nothing else), and its limits.
using Wasmrun.Engine;
using Wasmrun.Wasi;

namespace Wasmrun.Os;

/// <param name="Module">Decoded and validated once for every process that runs it.</param>
/// <param name="Command">The command line as the user knows it (`node index.js`, `python main.py`), for the table.</param>
/// <param name="Arguments">The module's argv, argv[0] included.</param>
/// <param name="Environment">Its environment variables, in order.</param>
/// <param name="Mounts">The host folders it sees, and as which guest paths.</param>
/// <param name="Limits">What it may use.</param>
internal sealed record ProcessSpec(
    Module Module,
    string Command,
    IReadOnlyList<string> Arguments,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    IReadOnlyList<Preopen> Mounts,
    ProcessLimits Limits);

/// <summary>What one process may use. Memory and open files are enforced by the engine and WASI; CPU is counted in
/// fuel (about one unit per instruction), wall time by a timer that interrupts the process.</summary>
internal sealed record ProcessLimits
{
    public ulong MaxMemoryBytes { get; init; } = 2UL << 30;

    public long? Fuel { get; init; }

    public TimeSpan? WallTime { get; init; }

    public int MaxOpenFiles { get; init; } = 1024;
}
