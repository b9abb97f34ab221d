// proc_exit: ends the program with the guest's status, unwinding the interpreter like a trap (but it is not one).
namespace Wasmrun.Wasi;

internal sealed class WasiExit(int status) : Exception($"the program exited with status {status}")
{
    public int Status { get; } = status;
}
