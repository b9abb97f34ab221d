// Process exit codes: every code the binary can end with, in one place (the README's table mirrors this enum).
namespace Wasmrun;

internal enum ExitCode
{
    /// <summary>The command did what was asked.</summary>
    Success = 0,

    /// <summary>The input is wrong: a missing file, a malformed or invalid module, a bad config file.</summary>
    InvalidInput = 1,

    /// <summary>The command line is wrong: an unknown command or option, a value that does not parse.</summary>
    Usage = 2,

    /// <summary>A bug in Wasmrun: an exception nobody expected (rerun with --debug for the stack trace).</summary>
    InternalError = 70,

    /// <summary>Interrupted by Ctrl+C or SIGTERM.</summary>
    Interrupted = 130,

    /// <summary>The WebAssembly code trapped (as wasmtime: 128 + SIGABRT).</summary>
    Trap = 134,
}
