// The environment of a program a plugin runs with run(): not the user's, which holds tokens and keys the plugin was
// never granted, but a clean one (the few variables programs need to work at all), the user's values of the
// variables [permissions] env grants, and what the script passes in run()'s env. A variable that makes a program load
// code other than its own (the dynamic loader's, interpreters' and shells' start-up and search variables, PATH) is a
// broken sandbox rule: it would turn a grant to run one program into running anything the plugin can write.
using System.Collections;

namespace Wasmrun.Plugins;

internal static class ProgramEnvironment
{
    /// <summary>The user's variables every program gets: where programs and the home are, who the user is, the
    /// locale, the time zone, the terminal and the temporary folder (on Windows, the system's folders too).</summary>
    private static readonly HashSet<string> baseline = new(
    [
        "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TERM", "TMPDIR",
        "SystemRoot", "SystemDrive", "windir", "ComSpec", "PATHEXT", "TEMP", "TMP", "USERPROFILE", "APPDATA", "LOCALAPPDATA",
        "ProgramData", "ProgramFiles", "ProgramFiles(x86)", "NUMBER_OF_PROCESSORS", "PROCESSOR_ARCHITECTURE", "OS",
    ], StringComparer.OrdinalIgnoreCase);

    /// <summary>Variables that load code into a program, or choose which program runs, by name.</summary>
    private static readonly HashSet<string> loaderNames = new(
    [
        "PATH", "BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS", "PS4", "IFS", "GLIBC_TUNABLES", "GCONV_PATH", "LOCPATH",
        "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS",
    ], StringComparer.OrdinalIgnoreCase);

    /// <summary>... and by prefix: the dynamic loaders' (LD_PRELOAD, DYLD_INSERT_LIBRARIES), Node.js's
    /// (NODE_OPTIONS), Python's (PYTHONSTARTUP), Perl's (PERL5OPT), Ruby's (RUBYOPT) and exported shell functions.</summary>
    private static readonly string[] loaderPrefixes = ["LD_", "DYLD_", "NODE_", "PYTHON", "PERL", "RUBY", "BASH_FUNC_"];

    /// <summary>Module search paths a script may set to folders of the system: Debian's Emscripten finds its node
    /// modules only through NODE_PATH.</summary>
    private static readonly HashSet<string> searchPaths = new(["NODE_PATH", "PYTHONPATH"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Replaces a program's environment with the clean one plus what the script gives.</summary>
    /// <param name="environment">The program's environment (ProcessStartInfo.Environment).</param>
    /// <param name="program">For messages: the program the script runs.</param>
    /// <param name="granted">[permissions] env: the user's values of these are passed on.</param>
    /// <param name="given">run()'s env: variables the script sets for the program.</param>
    /// <param name="scope">The call's scope: a search path may not lead into the project or a writable folder.</param>
    public static void Apply(IDictionary<string, string?> environment, string program, IReadOnlyCollection<string> granted,
        IEnumerable<(string Name, string Value)> given, SandboxScope scope)
    {
        environment.Clear();
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var name = (string)variable.Key;
            if (baseline.Contains(name) || granted.Contains(name))
            {
                environment[name] = (string?)variable.Value;
            }
        }
        foreach (var (name, value) in given)
        {
            if (IsLoader(name) && !MaySet(name, value, granted, scope))
            {
                throw new SandboxRuleBroken(searchPaths.Contains(name)
                    ? $"run(\"{program}\"): env {name} may name only folders of the system (owned by root, writable by no one else), not {value}"
                    : $"run(\"{program}\"): env {name} makes a program load other code, and plugins may not set it");
            }
            environment[name] = value;
        }
    }

    private static bool IsLoader(string name) =>
        loaderNames.Contains(name) || loaderPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>A loader variable passes with the user's own value of a granted variable, and a search path with
    /// system folders only: folders the plugin, its programs (unless they run as root) and other users cannot fill.</summary>
    private static bool MaySet(string name, string value, IReadOnlyCollection<string> granted, SandboxScope scope) =>
        (granted.Contains(name) && value == Environment.GetEnvironmentVariable(name))
        || (searchPaths.Contains(name) && OperatingSystem.IsLinux() && value.Split(Path.PathSeparator).All(scope.IsSystemPath));
}
