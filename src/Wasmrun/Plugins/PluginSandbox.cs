// A plugin's script in a Jint engine: strict mode, no CLR access (interop off), no require(), imports only of files
// inside its own package and of the host module "wasmrun" (PluginSandbox.Host.cs), and limits on memory, statements,
// recursion and script time from config.toml [plugin_limits]. The script runs on a thread with a known stack
// (ScriptThread), with Jint's stack guard on and modules no deeper than ScriptDepth allows, so no script can overflow
// the stack. Every failure becomes one error that names the plugin.
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.RegularExpressions;
using Acornima;
using Jint;
using Jint.Native;
using Jint.Native.Function;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Modules;
using Wasmrun.Cli;
using Wasmrun.Config;
using JsEngine = Jint.Engine;

namespace Wasmrun.Plugins;

internal sealed partial class PluginSandbox : IDisposable
{
    private const string HostModule = "wasmrun";

    private readonly JsEngine engine;
    private readonly ScriptTimeLimit time;
    private readonly PluginOutput output;
    private readonly PluginLimits limits;
    private readonly ObjectInstance exports;
    private SandboxScope scope;

    /// <summary>The first failure the script may not survive even if it catches it: Jint turns an exception thrown
    /// while loading a module into a JS error that an `import()` can catch, so it is kept here and ends the call.</summary>
    private ExceptionDispatchInfo? fatal;

    private PluginSandbox(PluginPackage plugin, PluginLimits limits, PluginOutput output, SandboxScope scope)
    {
        Plugin = plugin;
        this.limits = limits;
        this.output = output;
        this.scope = scope;
        time = new ScriptTimeLimit(Units.Duration(limits.Time, "plugin_limits.time in config.toml"));
        var memory = Units.Bytes(limits.Memory, "plugin_limits.memory in config.toml");
        engine = new JsEngine(options =>
        {
            options.Strict = true;
            options.Interop.Enabled = false;
            options.TimeZone = TimeZoneInfo.Utc;
            options.Modules.RegisterRequire = false;
            options.Modules.ModuleLoader = new PackageModuleLoader(plugin, Fatal);
            options.LimitMemory((long)Math.Min(memory, long.MaxValue));
            options.MaxStatements((int)Math.Clamp(limits.Statements, 1, int.MaxValue));
            options.LimitRecursion(Math.Max(1, limits.Recursion));
            options.Constraints.StackOverflowGuard = true;
            // A regular expression and a top-level await run outside the statements the time limit is checked
            // between: each gets the script's time limit as its own (Jint's defaults are 10 s).
            options.Constraints.RegexTimeout = time.Limit;
            options.Constraints.PromiseTimeout = time.Limit;
            options.Constraints.Constraints.Add(time);
        });
        // Atomics.wait blocks the thread for as long as the script asks, past every limit; a ShadowRealm would bring
        // a fresh Atomics with it.
        engine.Global.Get("Atomics").AsObject().Delete("wait");
        engine.Global.Delete("ShadowRealm");
        // Through a delegate: ConsoleAppFramework's analyzer takes any `.Add("...", ...)` call for a command registration.
        Action<string, Action<ModuleBuilder>> addModule = engine.Modules.Add;
        addModule(HostModule, DefineHostModule);
        exports = Guard(() =>
        {
            try
            {
                return engine.Modules.Import("./" + plugin.Manifest.Plugin.Entry);
            }
            catch (InvalidOperationException unfinished)
            {
                // Jint's word for a module whose top-level await never settled.
                throw new ScriptUnfinished(unfinished.Message);
            }
        });
    }

    public PluginPackage Plugin { get; }

    /// <summary>Loads the plugin's script (running its top level) with a first scope.</summary>
    public static PluginSandbox Open(PluginPackage plugin, PluginLimits limits, PluginOutput output, SandboxScope scope) =>
        new(plugin, limits, output, scope);

    /// <summary>True when the script exports a function of this name (build, clean, init, detect).</summary>
    public bool Exports(string function) => Guard(() => exports.Get(function) is Function);

    /// <summary>Calls an exported function with one argument (built by `argument` with this engine's values) and
    /// reads what it returned with `read`, still under the script's guard and limits: reading runs script code
    /// (getters, proxies), and a read that throws or loops is the plugin's failure (ScriptResult reads safely).</summary>
    public T Call<T>(string function, SandboxScope callScope, Func<JsEngine, JsValue> argument, Func<JsValue, T> read)
    {
        scope = callScope;
        return Guard(() => read(engine.Invoke(exports.Get(function), argument(engine))));
    }

    /// <summary>Calls an exported function whose result nobody reads (clean, init).</summary>
    public void Call(string function, SandboxScope callScope, Func<JsEngine, JsValue> argument) =>
        Call(function, callScope, argument, static _ => 0);

    public void Dispose() => engine.Dispose();

    /// <summary>A plain JS object from name/value pairs.</summary>
    public static JsObject Object(JsEngine engine, params (string Name, JsValue Value)[] properties)
    {
        var result = new JsObject(engine);
        foreach (var (name, value) in properties)
        {
            result.Set(name, value);
        }
        return result;
    }

    /// <summary>Keeps the first fatal failure and returns it, to be thrown.</summary>
    private Exception Fatal(Exception failure)
    {
        fatal ??= ExceptionDispatchInfo.Capture(failure);
        return failure;
    }

    private T Guard<T>(Func<T> action)
    {
        time.Reset();
        T result;
        try
        {
            result = ScriptThread.Run(action);
        }
        catch (Exception ended) when (Describe(fatal?.SourceException ?? ended) is { } error)
        {
            throw error;
        }
        if (fatal is not null)
        {
            throw Describe(fatal.SourceException)!;
        }
        return result;
    }

    /// <summary>The error the user sees for what ended the script; null for an exception no script can cause.</summary>
    private WasmrunException? Describe(Exception ended) => ended switch
    {
        BuildFailure failure => new WasmrunException($"build failed: {failure.Message}", ExitCode.BuildFailed),
        ToolMissing missing => new WasmrunException($"{Plugin} needs {missing.Message}", ExitCode.MissingTools) { Hint = missing.Hint },
        SandboxRuleBroken broken => new WasmrunException($"{Plugin} broke a sandbox rule: {broken.Message}", ExitCode.PluginFailed)
        {
            Hint = $"plugins may only do what their wasmrun.toml grants ({Plugin.Files.Location}); report it to the plugin's author",
        },
        _ when LimitOf(ended) is { } limit => new WasmrunException($"{Plugin} exceeded its {limit.Key} limit: {limit.What}", ExitCode.PluginFailed)
        {
            Hint = $"if the plugin needs more, raise plugin_limits.{limit.Key} in config.toml (now {limit.Value})",
        },
        ScriptTooDeep or ScriptUnfinished => new WasmrunException($"{Plugin} failed: {ended.Message}", ExitCode.PluginFailed) { Hint = AuthorHint() },
        InsufficientExecutionStackException => new WasmrunException($"{Plugin} failed: its script nests too deeply (it ran out of stack)", ExitCode.PluginFailed)
        {
            Hint = AuthorHint(),
        },
        JavaScriptException js => new WasmrunException($"{Plugin} failed: {js.Message}{Where(js)}", ExitCode.PluginFailed, js) { Hint = AuthorHint() },
        ParseErrorException parse => new WasmrunException($"{Plugin}: its script does not parse: {parse.Message}", ExitCode.PluginFailed, parse) { Hint = AuthorHint() },
        JintException jint => new WasmrunException($"{Plugin} failed: {jint.Message}", ExitCode.PluginFailed, jint) { Hint = AuthorHint() },
        _ => null,
    };

    private static string Where(JavaScriptException ex) =>
        ex.Location.SourceFile is { Length: > 0 } file ? $" at {file.Replace("pkg:/", "")}:{ex.Location.Start.Line}:{ex.Location.Start.Column + 1}" : "";

    private (string Key, string What, string Value)? LimitOf(Exception ex) => ex switch
    {
        PluginLimitExceeded time => (time.Limit, time.Message, limits.Time),
        MemoryLimitExceededException => ("memory", "its script allocated too much memory", limits.Memory),
        StatementsCountOverflowException => ("statements", "its script ran too many statements", limits.Statements.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        RecursionDepthOverflowException => ("recursion", "its script's calls nested too deeply", limits.Recursion.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        RegexMatchTimeoutException => ("time", $"a regular expression ran longer than {time.Limit.TotalSeconds:0.###} s", limits.Time),
        _ => null,
    };

    private string AuthorHint() =>
        Plugin.Origin != PluginOrigin.Installed
            ? $"this is a bug in a plugin that comes with Wasmrun ({Plugin.Files.Location}); report it"
            : $"report it to the plugin's author{(Plugin.Manifest.Plugin.Homepage is { Length: > 0 } home ? $" ({home})" : "")}";

    /// <summary>Resolves `import` specifiers: "wasmrun" (the host module) and relative paths that stay inside the
    /// plugin's package. Bare names (npm packages), absolute paths and URLs are refused, and a module nested too
    /// deeply is refused before Jint sees it, each through `fatal`: Jint makes a loader's exception a JS error that
    /// an import() could catch.</summary>
    private sealed class PackageModuleLoader(PluginPackage plugin, Func<Exception, Exception> fatal) : ModuleLoader
    {
        private const string Scheme = "pkg:/";

        public override ResolvedSpecifier Resolve(string? referencingModuleLocation, ModuleRequest moduleRequest)
        {
            var specifier = moduleRequest.Specifier;
            if (specifier == HostModule)
            {
                return new ResolvedSpecifier(moduleRequest, HostModule, null, SpecifierType.Bare);
            }
            if (!specifier.StartsWith("./", StringComparison.Ordinal) && !specifier.StartsWith("../", StringComparison.Ordinal))
            {
                throw Broken($"import '{specifier}': a plugin imports only \"{HostModule}\" and ./ or ../ files of its own package");
            }
            var folder = referencingModuleLocation is { Length: > 0 } location
                ? location[Scheme.Length..][..Math.Max(0, location[Scheme.Length..].LastIndexOf('/') + 1)]
                : "";
            var parts = new List<string>();
            foreach (var segment in (folder + specifier).Split('/'))
            {
                if (segment is "" or ".")
                {
                    continue;
                }
                if (segment == "..")
                {
                    if (parts.Count == 0)
                    {
                        throw Broken($"import '{specifier}' leads out of the plugin's package");
                    }
                    parts.RemoveAt(parts.Count - 1);
                }
                else
                {
                    parts.Add(segment);
                }
            }
            return new ResolvedSpecifier(moduleRequest, Scheme + string.Join('/', parts), null, SpecifierType.RelativeOrAbsolute);
        }

        protected override string LoadModuleContents(JsEngine engine, ResolvedSpecifier resolved)
        {
            var path = resolved.Key[Scheme.Length..];
            var bytes = plugin.Files.Read(path) ?? throw Broken($"import: the package has no file {path}");
            var code = Encoding.UTF8.GetString(bytes);
            try
            {
                ScriptDepth.Check(code, path);
            }
            catch (ScriptTooDeep deep)
            {
                throw fatal(deep);
            }
            return code;
        }

        private Exception Broken(string rule) => fatal(new SandboxRuleBroken(rule));
    }
}

/// <summary>Thrown by host functions when the script asks for something its manifest does not grant. Not a JS error,
/// and kept as the sandbox's fatal failure: the script cannot catch it, nor go on after an import() swallowed it.</summary>
internal sealed class SandboxRuleBroken(string rule) : Exception(rule);

/// <summary>The plugin's module did not finish loading: its top-level await waited past the time limit.</summary>
internal sealed class ScriptUnfinished(string message) : Exception($"its module did not finish loading ({message})");

/// <summary>Thrown by the host's fail(): the build failed for a reason the plugin explains (not a plugin bug).</summary>
internal sealed class BuildFailure(string message) : Exception(message);

/// <summary>Thrown by the host's missing(tool, hint): the script found a tool (or part of one) missing that the
/// manifest's [[tools]] check cannot see, such as a standard library for one target.</summary>
internal sealed class ToolMissing(string tool, string hint) : Exception(tool)
{
    public string Hint { get; } = hint;
}
