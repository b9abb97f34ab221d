// A plugin's wasmrun.toml: who it is, how it recognises a project, the tools it needs, what its script may do, how
// it builds, and its project templates. Read strictly (unknown keys are errors) and checked before any script runs.
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Tomlyn.Serialization;
using Wasmrun.Config;

namespace Wasmrun.Plugins;

internal sealed partial class PluginManifest
{
    /// <summary>The host API versions this Wasmrun offers to scripts (the manifest's `api`).</summary>
    public const int HostApiVersion = 1;

    public const string FileName = "wasmrun.toml";

    /// <summary>The version of the host API the script is written for.</summary>
    public int Api { get; set; } = HostApiVersion;

    public PluginInfo Plugin { get; set; } = new();

    public DetectRules Detect { get; set; } = new();

    public List<ToolRequirement> Tools { get; set; } = [];

    public PluginPermissions Permissions { get; set; } = new();

    public BuildSettings Build { get; set; } = new();

    public List<TemplateInfo> Templates { get; set; } = [];

    private static readonly StrictToml<PluginManifest> schema = new(PluginManifestTomlContext.Default.PluginManifest, () => new PluginManifest
    {
        Detect = { Contains = [new ContainsRule()] },
        Tools = [new ToolRequirement()],
        Templates = [new TemplateInfo()],
    });

    public static readonly string[] KnownTargets = ["wasm", "wasi", "web"];

    public static readonly string[] KnownOptimizations = ["debug", "release", "size"];

    /// <summary>Parses and checks a manifest; `file` names it in errors (a path, or "plugin c (built in)/wasmrun.toml").</summary>
    public static PluginManifest Parse(string file, string text)
    {
        var (manifest, keys) = schema.Read(file, text, "see docs/plugins.md for the manifest's keys");
        manifest.Check(file, keys);
        return manifest;
    }

    /// <summary>True when a plugin name is usable as a folder name and a command-line word: a-z, 0-9 and '-'.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    private void Check(string file, List<TomlKey> keys)
    {
        WasmrunException Invalid(string key, string what, string hint)
        {
            var at = keys.Find(k => k.Path == key);
            return StrictToml.Invalid(file, at?.Line, at?.Column, what, hint);
        }

        if (Api != HostApiVersion)
        {
            throw Invalid("api", $"the plugin needs host API {Api}; this Wasmrun offers {HostApiVersion}",
                Api > HostApiVersion ? "upgrade Wasmrun, or install an older version of the plugin" : "install a newer version of the plugin");
        }
        if (!IsValidName(Plugin.Name))
        {
            throw Invalid("plugin.name", $"plugin.name '{Plugin.Name}' is not a plugin name",
                "use 1 to 64 characters of a-z, 0-9 and '-', starting with a letter or digit");
        }
        if (!VersionPattern().IsMatch(Plugin.Version))
        {
            throw Invalid("plugin.version", $"plugin.version '{Plugin.Version}' is not a version", "use MAJOR.MINOR.PATCH, as 1.0.0");
        }
        if (!IsPackagePath(Plugin.Entry))
        {
            throw Invalid("plugin.entry", $"plugin.entry '{Plugin.Entry}' is not a file inside the plugin", "give a relative path such as plugin.js");
        }
        foreach (var target in Build.Targets.Where(t => !KnownTargets.Contains(t)))
        {
            throw Invalid("build.targets", $"build.targets: unknown target '{target}'", $"targets are {string.Join(", ", KnownTargets)}");
        }
        if (Build.Targets.Count == 0)
        {
            throw Invalid("build.targets", "build.targets is empty", "list what the plugin builds, the default first: \"wasm\", \"wasi\" or \"web\"");
        }
        if (Build.Serve.Length > 0 && !Build.Targets.Contains(Build.Serve))
        {
            throw Invalid("build.serve", $"build.serve: '{Build.Serve}' is not in build.targets", "name one of build.targets, or leave it out for the first");
        }
        foreach (var level in Build.Optimizations.Where(o => !KnownOptimizations.Contains(o)))
        {
            throw Invalid("build.optimizations", $"build.optimizations: unknown level '{level}'", $"levels are {string.Join(", ", KnownOptimizations)}");
        }
        foreach (var path in Build.Clean.Where(p => !IsPackagePath(p)))
        {
            throw Invalid("build.clean", $"build.clean: '{path}' is not a path inside the project", "give relative paths without '..'");
        }
        foreach (var tool in Tools)
        {
            if (tool.Programs.Count == 0 || tool.Programs.Any(program => !Permissions.Run.Contains(program)))
            {
                throw Invalid("tools", $"tool '{tool.Name}': its programs must be listed in permissions.run",
                    "add them to [permissions] run, or fix the tool's programs");
            }
            foreach (var target in tool.Targets.Where(t => !Build.Targets.Contains(t)))
            {
                throw Invalid("tools", $"tool '{tool.Name}': target '{target}' is not in build.targets", "fix the tool's targets");
            }
        }
        foreach (var program in Permissions.Run.Where(p => p.Length == 0 || ((p.Contains('/') || p.Contains('\\')) && !Path.IsPathFullyQualified(p))))
        {
            throw Invalid("permissions.run", $"permissions.run: '{program}' is not a program name or an absolute path",
                "list program names as found on PATH (such as \"cargo\"), or absolute paths (globs allowed) of programs the system installed");
        }
        foreach (var pattern in Permissions.Read.Where(p => !Path.IsPathFullyQualified(p)))
        {
            throw Invalid("permissions.read", $"permissions.read: '{pattern}' is not an absolute path pattern",
                "files inside the project are readable anyway; list absolute paths (globs allowed) of other files");
        }
        foreach (var template in Templates)
        {
            if (!IsValidName(template.Name) || !IsPackagePath(template.Path))
            {
                throw Invalid("templates", $"template '{template.Name}': needs a name (a-z, 0-9, '-') and a path inside the plugin",
                    "fix the [[templates]] entry");
            }
        }
    }

    /// <summary>A relative path that stays inside its root: no rooted paths, no '..' segments.</summary>
    public static bool IsPackagePath(string path) =>
        path.Length > 0 && !Path.IsPathRooted(path) && !path.Split('/', '\\').Any(segment => segment == "..");

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")]
    private static partial Regex VersionPattern();
}

internal sealed class PluginInfo
{
    public string Name { get; set; } = "";

    public string Version { get; set; } = "";

    public string Description { get; set; } = "";

    public string Author { get; set; } = "";

    public string License { get; set; } = "";

    public string Homepage { get; set; } = "";

    /// <summary>The language names `--language` accepts for this plugin (lowercase).</summary>
    public List<string> Languages { get; set; } = [];

    /// <summary>The source file extensions it compiles (without the dot).</summary>
    public List<string> Extensions { get; set; } = [];

    /// <summary>The script, an ES module, relative to the plugin's folder.</summary>
    public string Entry { get; set; } = "plugin.js";
}

/// <summary>How a project is recognised without running the script (a script's detect() replaces these).</summary>
internal sealed class DetectRules
{
    /// <summary>Files or folders at the project root that mark a project of this language (a strong match).</summary>
    public List<string> Markers { get; set; } = [];

    /// <summary>Source extensions of files at the root or in src/ (a weak match, used when no plugin has a marker).</summary>
    public List<string> Sources { get; set; } = [];

    /// <summary>Markers that count only when they contain a text (package.json mentioning "assemblyscript").</summary>
    public List<ContainsRule> Contains { get; set; } = [];

    /// <summary>When true, the script's detect(project) decides instead of the rules above (it runs in the sandbox
    /// with the project readable).</summary>
    public bool Script { get; set; }
}

internal sealed class ContainsRule
{
    public string File { get; set; } = "";

    public string Text { get; set; } = "";
}

internal sealed class ToolRequirement
{
    public string Name { get; set; } = "";

    /// <summary>The program, or alternatives for it ("clang", "clang-14"): the first one on PATH is checked.
    /// Each must be in permissions.run.</summary>
    public List<string> Programs { get; set; } = [];

    /// <summary>The check: `PROGRAM ARGS...` exits with 0 when the tool works; its output identifies the tool's
    /// version for the build cache.</summary>
    public List<string> Args { get; set; } = ["--version"];

    /// <summary>How to install it, shown when it is missing.</summary>
    public string Hint { get; set; } = "";

    /// <summary>The targets that need it; empty means every target.</summary>
    public List<string> Targets { get; set; } = [];

    /// <summary>An optional tool is reported but does not stop the build (the script checks with which()).</summary>
    public bool Optional { get; set; }
}

internal sealed class PluginPermissions
{
    /// <summary>Programs the script may run, by name, looked up on PATH.</summary>
    public List<string> Run { get; set; } = [];

    /// <summary>Environment variables the script may read.</summary>
    public List<string> Env { get; set; } = [];

    /// <summary>Files outside the project the script may read: absolute paths, '*' and '**' allowed.</summary>
    public List<string> Read { get; set; } = [];
}

internal sealed class BuildSettings
{
    /// <summary>What it can build: "wasm" (a plain module), "wasi" (a WASI command), "web" (a page); first = default.</summary>
    public List<string> Targets { get; set; } = ["wasm"];

    public List<string> Optimizations { get; set; } = ["debug", "release", "size"];

    /// <summary>The target `wasmrun run` builds when none is given: the one that runs best in a browser (default: the
    /// first of Targets).</summary>
    public string Serve { get; set; } = "";

    /// <summary>The project's inputs (globs): the build cache hashes them and the dev server watches them.</summary>
    public List<string> Watch { get; set; } = ["**"];

    /// <summary>Globs never counted as inputs (build folders, dependencies).</summary>
    public List<string> Ignore { get; set; } = [];

    /// <summary>What `wasmrun clean` removes, relative to the project.</summary>
    public List<string> Clean { get; set; } = [];

    /// <summary>The targets a build without --target tries, in order, until one has its tools: for `wasmrun run` the
    /// Serve target alone when there is one, else all of Targets.</summary>
    public List<string> DefaultTargets(bool forServing) => forServing && Serve.Length > 0 ? [Serve] : Targets;
}

internal sealed class TemplateInfo
{
    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>The template's folder inside the plugin; its files are copied with {{name}}, {{identifier}} and
    /// {{projectName}} filled in (in names and contents, by ProjectTemplate). A first-party plugin's template named T
    /// is kept in the repository's templates/projects/T and carried at this path.</summary>
    public string Path { get; set; } = "";

    /// <summary>The commands `wasmrun init` suggests next, run from the new project's folder.</summary>
    public List<string> Next { get; set; } = [];
}

[TomlSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[TomlSerializable(typeof(PluginManifest))]
internal sealed partial class PluginManifestTomlContext : TomlSerializerContext
{
}
