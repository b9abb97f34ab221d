// `wasmrun` with a word that names no command: a usage error instead of a silent help screen.
using ConsoleAppFramework;

namespace Wasmrun.Commands;

public sealed class RootCommand
{
    /// <summary>Wasmrun, a WebAssembly toolkit. Run `wasmrun COMMAND --help` for the options of a command.</summary>
    /// <param name="command">A command from the list below.</param>
    [Command("")]
    public void Root([Argument] string command) =>
        throw new WasmrunException($"unknown command '{command}'", ExitCode.Usage) { Hint = "run `wasmrun --help` for the list of commands" };
}
