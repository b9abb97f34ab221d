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

    /// <summary>The build failed: the compiler reported errors (printed as FILE:LINE:COL: error: ... lines).</summary>
    BuildFailed = 3,

    /// <summary>Tools the build needs are not installed (all of them are listed, each with an install hint).</summary>
    MissingTools = 4,

    /// <summary>A plugin failed: it broke a sandbox rule, exceeded a limit, threw, or returned a wrong result.</summary>
    PluginFailed = 5,

    /// <summary>A plugin registry or download could not be reached, or sent something wrong.</summary>
    Network = 6,

    /// <summary>The dev server could not listen: the port is taken (with --strict-port, or every port tried), or the address is not this machine's.</summary>
    AddressUnavailable = 7,

    /// <summary>A bug in Wasmrun: an exception nobody expected (rerun with --debug for the stack trace).</summary>
    InternalError = 70,

    /// <summary>`wasmrun os run`: the process reached its --timeout (as timeout(1) reports it).</summary>
    TimeLimit = 124,

    /// <summary>Interrupted by Ctrl+C or SIGTERM.</summary>
    Interrupted = 130,

    /// <summary>The WebAssembly code trapped (as wasmtime: 128 + SIGABRT).</summary>
    Trap = 134,

    /// <summary>`wasmrun os run`: the process was killed (from the OS page, or `wasmrun stop`), as a shell reports SIGKILL.</summary>
    Killed = 137,
}
