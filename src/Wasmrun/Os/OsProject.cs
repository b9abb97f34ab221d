// A project as OS mode runs it: its language (detected, or --language), the entry that runs, and the process specs
// for its main command and for the commands typed on the page (`node tool.js`, `python -c ...`, the project's own
// module). JavaScript, Python and Lua run in the embedded runtimes; Go, C, Rust and AssemblyScript projects are built by
// their plugin as WASI commands; a .wasm file runs as it is. Every process sees the project at /app (its working
// directory), a /tmp of the kernel's own, and its runtime's files read-only: no other host path.
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Engine;
using Wasmrun.Host;
using Wasmrun.Plugins;
using Wasmrun.Wasi;

namespace Wasmrun.Os;

internal enum OsLanguage
{
    JavaScript,
    Python,
    Lua,
    Wasm,
    Plugin,
}

/// <param name="Path">The project folder or entry file.</param>
/// <param name="Language">--language: javascript/js/node, python/py, lua, wasm, or a plugin's language (go, c, rust, ...).</param>
/// <param name="Entry">--entry: the file that runs, relative to the project.</param>
/// <param name="ReadOnly">Mount the project read-only.</param>
/// <param name="Limits">Every process's limits.</param>
/// <param name="Environment">Variables added to every process's environment.</param>
internal sealed record OsProjectOptions(string? Path, string? Language, string? Entry, bool ReadOnly, ProcessLimits Limits, IReadOnlyList<KeyValuePair<string, string>> Environment);

internal sealed class OsProject
{
    public const string AppPath = "/app";

    private static readonly string[] JavaScriptEntries = ["index.js", "main.js", "app.js", "server.js", "index.mjs", "main.mjs"];
    private static readonly string[] PythonEntries = ["main.py", "__main__.py", "app.py"];
    private static readonly string[] LuaEntries = ["main.lua", "init.lua"];

    private readonly OsProjectOptions options;
    private readonly Dictionary<string, Module> modules = [];
    private readonly Lock loading = new();

    private OsProject(OsProjectOptions options, string folder, OsLanguage language, string entry)
    {
        this.options = options;
        Folder = folder;
        Language = language;
        Entry = entry;
        Name = ProjectBuilder.ProjectName(folder);
    }

    /// <summary>The host folder mounted at /app.</summary>
    public string Folder { get; }

    public OsLanguage Language { get; }

    /// <summary>The entry relative to the folder (a .js/.py source, or a .wasm module).</summary>
    public string Entry { get; private set; }

    public string Name { get; }

    /// <summary>The kernel log that hears of runtime folders unpacked again (RuntimeFiles), once a kernel runs.</summary>
    public KernelLog? Log { get; set; }

    /// <summary>Detects the language and the entry; builds nothing yet.</summary>
    public static OsProject Open(OsProjectOptions options)
    {
        var path = System.IO.Path.GetFullPath(options.Path ?? ".");
        string folder;
        string? entry = options.Entry;
        if (File.Exists(path))
        {
            folder = System.IO.Path.GetDirectoryName(path)!;
            entry ??= System.IO.Path.GetFileName(path);
        }
        else if (Directory.Exists(path))
        {
            folder = path;
        }
        else
        {
            throw new WasmrunException($"{options.Path}: no such file or folder") { Hint = "give the project's folder or its entry file (the default is the current folder)" };
        }
        if (entry is not null && !File.Exists(System.IO.Path.Join(folder, entry)))
        {
            throw new WasmrunException($"--entry {entry}: no such file in {DisplayPath.Of(folder)}") { Hint = "give the entry relative to the project folder" };
        }
        var language = options.Language is { } named ? Named(named) : Detect(folder, entry);
        entry = language switch
        {
            OsLanguage.JavaScript => entry ?? JavaScriptEntry(folder),
            OsLanguage.Python => entry ?? PythonEntry(folder),
            OsLanguage.Lua => entry ?? LuaEntries.FirstOrDefault(e => File.Exists(System.IO.Path.Join(folder, e)))
                ?? Single(folder, "*.lua", "an entry (main.lua or init.lua)"),
            OsLanguage.Wasm => entry ?? Single(folder, "*.wasm", "a .wasm module"),
            _ => entry ?? "",
        };
        return new OsProject(options, folder, language, entry);
    }

    /// <summary>The spec of the project's main process, with its arguments (built first for a plugin project).</summary>
    public ProcessSpec Main(IReadOnlyList<string> arguments, PluginOutput output)
    {
        if (Language == OsLanguage.Plugin)
        {
            var config = ConfigFile.Current;
            var catalog = PluginCatalog.Load(config);
            try
            {
                ProjectDetector.Choose(Folder, catalog, options.Language, config.Settings.PluginLimits, output);
            }
            catch (WasmrunException unknown) when (unknown.ExitCode == ExitCode.Usage)
            {
                var languages = catalog.Enabled.SelectMany(p => p.Manifest.Plugin.Languages).Distinct();
                throw new AdvisedException(unknown,
                    $"OS mode runs JavaScript (package.json, *.js), Python (pyproject.toml, requirements.txt, *.py), Lua (*.lua) and WASI modules (*.wasm); "
                    + $"the plugins build {string.Join(", ", languages)} (`wasmrun plugin list` shows more to install, such as wasmgo for Go)");
            }
            var outcome = ProjectBuilder.Build(new BuildOptions(Folder, null, "wasi", null, options.Language, UseCache: true), ConfigFile.Current, output);
            Entry = System.IO.Path.GetRelativePath(Folder, outcome.Artifacts.Wasm);
        }
        return Language switch
        {
            OsLanguage.JavaScript => JavaScript(Entry, arguments),
            OsLanguage.Python => Python([Guest(Entry), .. arguments], $"python {Shown(Entry)}"),
            OsLanguage.Lua => Lua([Guest(Entry), .. arguments], $"lua {Shown(Entry)}{Words(arguments)}"),
            _ => ModuleSpec(Entry, arguments, Language == OsLanguage.Plugin ? Name : Shown(Entry)),
        };
    }

    /// <summary>A command typed on the page: `node FILE ARGS`, `python FILE|-c CODE ARGS`, `lua FILE|-e CODE ARGS`, a .wasm file of the
    /// project, or the project's own name (its module, for a built project).</summary>
    public ProcessSpec Command(string line)
    {
        var words = CommandWords.Split(line);
        if (words.Count == 0)
        {
            throw new WasmrunException("an empty command") { Hint = "type a command such as `node index.js` or `python main.py`" };
        }
        var rest = words.Skip(1).ToList();
        return words[0] switch
        {
            "node" or "qjs" or "js" when rest.Count > 0 => JavaScript(Relative(rest[0]), rest.Skip(1).ToList()),
            "python" or "python3" when rest.Count > 0 => Python([.. rest.Take(1).Select(w => w.StartsWith('-') ? w : Guest(Relative(w))), .. rest.Skip(1)], $"python {string.Join(' ', rest)}"),
            "lua" when rest.Count > 0 => Lua([.. rest.Take(1).Select(w => w.StartsWith('-') ? w : Guest(Relative(w))), .. rest.Skip(1)], $"lua {string.Join(' ', rest)}"),
            var name when name == Name && Language == OsLanguage.Plugin => ModuleSpec(Entry, rest, Name),
            var file when file.EndsWith(".wasm", StringComparison.Ordinal) => ModuleSpec(Relative(file), rest, file),
            var other => throw new WasmrunException($"{other}: no such command")
            {
                Hint = $"commands: node FILE, python FILE (or python -c CODE), lua FILE (or lua -e CODE), a .wasm file of the project{(Language == OsLanguage.Plugin ? $", or {Name}" : "")}",
            },
        };
    }

    private static OsLanguage Named(string language) => language.ToLowerInvariant() switch
    {
        "javascript" or "js" or "node" => OsLanguage.JavaScript,
        "python" or "py" => OsLanguage.Python,
        "lua" => OsLanguage.Lua,
        "wasm" => OsLanguage.Wasm,
        _ => OsLanguage.Plugin,
    };

    private static OsLanguage Detect(string folder, string? entry)
    {
        if (entry is not null)
        {
            return System.IO.Path.GetExtension(entry) switch
            {
                ".js" or ".mjs" or ".cjs" => OsLanguage.JavaScript,
                ".py" => OsLanguage.Python,
                ".lua" => OsLanguage.Lua,
                ".wasm" => OsLanguage.Wasm,
                var other => throw new WasmrunException($"{entry}: OS mode runs .js, .mjs, .py, .lua and .wasm entries, not {(other.Length == 0 ? "files without an extension" : other)}", ExitCode.Usage)
                {
                    Hint = "give --language to say what the project is",
                },
            };
        }
        bool Has(string name) => File.Exists(System.IO.Path.Join(folder, name));
        bool Any(string pattern) => Directory.EnumerateFiles(folder, pattern).Any();
        if (Has("package.json"))
        {
            return OsLanguage.JavaScript;
        }
        if (Has("pyproject.toml") || Has("requirements.txt") || Has("setup.py"))
        {
            return OsLanguage.Python;
        }
        if (Has("go.mod") || Has("Cargo.toml") || Has("asconfig.json") || Has("Makefile") || Has("CMakeLists.txt"))
        {
            return OsLanguage.Plugin;
        }
        var javascript = Any("*.js") || Any("*.mjs");
        var python = Any("*.py");
        return (javascript, python) switch
        {
            (true, false) => OsLanguage.JavaScript,
            (false, true) => OsLanguage.Python,
            (true, true) => throw new WasmrunException($"{DisplayPath.Of(folder)}: both JavaScript and Python files, and no package.json or pyproject.toml to say which runs", ExitCode.Usage)
            {
                Hint = "choose with --language javascript|python, or --entry FILE",
            },
            _ when Any("*.lua") => OsLanguage.Lua,
            _ when Any("*.wasm") => OsLanguage.Wasm,
            // C, Rust, Go or AssemblyScript sources without a marker: the plugins decide, or say nothing matched.
            _ => OsLanguage.Plugin,
        };
    }

    private static string JavaScriptEntry(string folder)
    {
        var package = System.IO.Path.Join(folder, "package.json");
        if (File.Exists(package) && PackageMain(package) is { } main)
        {
            var candidates = new[] { main, main + ".js", System.IO.Path.Join(main, "index.js") };
            return candidates.FirstOrDefault(c => File.Exists(System.IO.Path.Join(folder, c))) is { } found
                ? System.IO.Path.GetRelativePath(folder, System.IO.Path.GetFullPath(System.IO.Path.Join(folder, found)))
                : throw new WasmrunException($"{DisplayPath.Of(package)}: \"main\" is {main}, which does not exist") { Hint = "fix \"main\", or give --entry FILE" };
        }
        return JavaScriptEntries.FirstOrDefault(e => File.Exists(System.IO.Path.Join(folder, e)))
            ?? Single(folder, "*.js", "an entry (index.js, main.js, or package.json's \"main\")");
    }

    private static string PythonEntry(string folder) =>
        PythonEntries.FirstOrDefault(e => File.Exists(System.IO.Path.Join(folder, e))) ?? Single(folder, "*.py", "an entry (main.py, __main__.py or app.py)");

    private static string? PackageMain(string package)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(package));
            return json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && json.RootElement.TryGetProperty("main", out var main) && main.ValueKind == System.Text.Json.JsonValueKind.String
                ? main.GetString() : null;
        }
        catch (System.Text.Json.JsonException error)
        {
            throw new WasmrunException($"{DisplayPath.Of(package)}: not valid JSON ({error.Message})") { Hint = "fix package.json, or give --entry FILE" };
        }
    }

    /// <summary>The one file of a kind at the top of the folder, or an error that asks for --entry.</summary>
    private static string Single(string folder, string pattern, string what)
    {
        var files = Directory.EnumerateFiles(folder, pattern).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        return files.Count == 1 ? files[0]! : throw new WasmrunException(files.Count == 0
            ? $"{DisplayPath.Of(folder)}: no entry to run: found no {what}"
            : $"{DisplayPath.Of(folder)}: no entry to run: {string.Join(", ", files)} could each be {what}")
        {
            Hint = "give --entry FILE",
        };
    }

    private ProcessSpec JavaScript(string entry, IReadOnlyList<string> arguments)
    {
        var runtime = RuntimeFiles.Folder(RuntimeName.JavaScript, Log);
        return Spec(
            Load(System.IO.Path.Join(runtime, "qjs.wasm")),
            $"node {Shown(entry)}{Words(arguments)}",
            ["node", "--std", "/wasmrun/node/main.qbc", Guest(entry), .. arguments],
            [new Preopen(System.IO.Path.Join(runtime, "node"), "/wasmrun/node", ReadOnly: true)],
            []);
    }

    private ProcessSpec Python(IReadOnlyList<string> arguments, string command)
    {
        var runtime = RuntimeFiles.Folder(RuntimeName.Python, Log);
        return Spec(
            Load(System.IO.Path.Join(runtime, "python.wasm")),
            command,
            ["python", .. arguments],
            [new Preopen(runtime, "/usr/local", ReadOnly: true)],
            [new("PYTHONHOME", "/usr/local")]);
    }

    /// <summary>Lua 5.4 (built with exception handling: its errors are Wasm exceptions); it needs no files of its own.</summary>
    private ProcessSpec Lua(IReadOnlyList<string> arguments, string command) =>
        Spec(Load(System.IO.Path.Join(RuntimeFiles.Folder(RuntimeName.Lua, Log), "lua.wasm")), command, ["lua", .. arguments], [], []);

    private ProcessSpec ModuleSpec(string entry, IReadOnlyList<string> arguments, string shown) =>
        Spec(Load(System.IO.Path.Join(Folder, entry)), $"{shown}{Words(arguments)}", [System.IO.Path.GetFileName(entry), .. arguments], [], []);

    private ProcessSpec Spec(Module module, string command, IReadOnlyList<string> argv, IReadOnlyList<Preopen> runtimeMounts, IReadOnlyList<KeyValuePair<string, string>> runtimeEnvironment) => new(
        module,
        command,
        argv,
        [new("PWD", AppPath), new("HOME", "/tmp"), new("TMPDIR", "/tmp"), .. runtimeEnvironment, .. options.Environment],
        [new Preopen(Folder, AppPath, options.ReadOnly), .. runtimeMounts],
        options.Limits);

    /// <summary>Every process of a program shares one decoded and validated module (and so its translated code).</summary>
    private Module Load(string file)
    {
        lock (loading)
        {
            if (!modules.TryGetValue(file, out var module))
            {
                modules[file] = module = ModuleFile.Load(file);
            }
            return module;
        }
    }

    /// <summary>A path a command names, relative to the project (where `node tool.js` run in it would look).</summary>
    private string Relative(string path)
    {
        var inside = path.StartsWith(AppPath + "/", StringComparison.Ordinal) ? path[(AppPath.Length + 1)..] : path;
        var full = System.IO.Path.GetFullPath(System.IO.Path.Join(Folder, inside));
        return full.StartsWith(Folder + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(full)
            ? System.IO.Path.GetRelativePath(Folder, full)
            : throw new WasmrunException($"{path}: no such file in the project") { Hint = $"name a file under {AppPath} (the project)" };
    }

    private static string Guest(string entry) => $"{AppPath}/{entry.Replace('\\', '/')}";

    private static string Shown(string entry) => entry.Replace('\\', '/');

    private static string Words(IReadOnlyList<string> arguments) => arguments.Count == 0 ? "" : " " + string.Join(' ', arguments);
}
