// A WASMRUN_HOME with first-party plugins installed (by `wasmrun plugin install NAME`, from the binary), a folder for
// projects, and the published binary run against both with the real toolchains. Tests of the installable plugins
// share it.
using Wasmrun.Plugins;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Plugins.FirstParty;

internal sealed class FirstPartyWorkspace : IDisposable
{
    /// <summary>True when the binary has `wasmrun plugin install` (binaries built before it existed do not).</summary>
    private static readonly Lazy<Task<bool>> HasInstallCommand = new(async () =>
        (await WasmrunBinary.RunAsync(["plugin", "install", "--help"])).Stdout.Contains("Install a plugin", StringComparison.Ordinal));

    private readonly TempDirectory root = new();

    private FirstPartyWorkspace()
    {
        Home = Directory.CreateDirectory(Path.Join(root.Path, "home")).FullName;
        Folder = Directory.CreateDirectory(Path.Join(root.Path, "projects")).FullName;
    }

    public string Home { get; }

    /// <summary>Where projects go (init writes here).</summary>
    public string Folder { get; }

    /// <summary>A workspace with these first-party plugins installed.</summary>
    public static async Task<FirstPartyWorkspace> CreateAsync(params string[] plugins)
    {
        var workspace = new FirstPartyWorkspace();
        foreach (var plugin in plugins)
        {
            await workspace.InstallAsync(plugin);
        }
        return workspace;
    }

    /// <summary>plugins-js/NAME: a first-party plugin's folder (its templates are in templates/projects).</summary>
    public static string Package(string name) => Path.Join(RepositoryRoot.Path, "plugins-js", name);

    /// <summary>
    /// The files of first-party plugin NAME's package as the binary bundles and installs it, by package path: the
    /// folder plugins-js/NAME (package.json, npm's, aside; templates/ there is only npm's packing copy) and, at each
    /// [[templates]] path of its manifest, the starter templates/projects/TEMPLATE.
    /// </summary>
    public static SortedDictionary<string, string> PackageFiles(string name)
    {
        var folder = Package(name);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in PackageTests.Files(folder).Where(f => f != "package.json" && !f.StartsWith("templates/", StringComparison.Ordinal)))
        {
            files[file] = Path.Join(folder, file);
        }
        var manifest = PluginManifest.Parse(Path.Join(folder, PluginManifest.FileName), File.ReadAllText(Path.Join(folder, PluginManifest.FileName)));
        foreach (var template in manifest.Templates)
        {
            var starter = Path.Join(RepositoryRoot.Path, "templates", "projects", template.Name);
            foreach (var file in PackageTests.Files(starter))
            {
                files[$"{template.Path.TrimEnd('/')}/{file}"] = Path.Join(starter, file);
            }
        }
        return files;
    }

    /// <summary>
    /// Installs first-party plugin NAME with `wasmrun plugin install NAME`: the copy bundled in the binary, built from
    /// plugins-js/NAME and templates/projects. With a binary that predates the command, by hand as the command leaves
    /// it: the package's files in HOME/plugins/NAME and a [plugins.NAME] table in config.toml.
    /// </summary>
    public async Task InstallAsync(string name)
    {
        if (await HasInstallCommand.Value)
        {
            var install = await RunAsync(Folder, "plugin", "install", name);
            if (install.ExitCode != 0)
            {
                throw new InvalidOperationException($"wasmrun plugin install {name} failed:\n{install}");
            }
            return;
        }
        var target = Path.Join(Home, "plugins", name);
        foreach (var (path, file) in PackageFiles(name))
        {
            var copy = Path.Join(target, path);
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        var version = File.ReadLines(Path.Join(Package(name), "wasmrun.toml"))
            .Select(line => line.Trim())
            .First(line => line.StartsWith("version = \"", StringComparison.Ordinal))["version = \"".Length..^1];
        File.AppendAllText(Path.Join(Home, "config.toml"), $"""

            [plugins.{name}]
            version = "{version}"
            source = "bundled"
            enabled = true

            """);
    }

    /// <summary>
    /// Runs the binary in a folder. PATH starts with /usr/bin: Debian's cargo and rustc have the wasm32 standard
    /// libraries, and a rustup toolchain earlier on PATH (~/.cargo/bin) usually has none.
    /// </summary>
    public Task<ProcessResult> RunAsync(string workingDirectory, params string[] arguments) =>
        RunAsync(workingDirectory, new Dictionary<string, string?>(), arguments);

    public Task<ProcessResult> RunAsync(string workingDirectory, Dictionary<string, string?> environment, params string[] arguments)
    {
        environment["WASMRUN_HOME"] = Home;
        environment["NO_COLOR"] = "1";
        environment.TryAdd("PATH", $"/usr/bin{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}");
        return WasmrunBinary.RunAsync(arguments, environment, workingDirectory);
    }

    /// <summary>`wasmrun init NAME --template TEMPLATE [--dir DIR]` in the projects folder; the new project's path.</summary>
    public async Task<(string Project, ProcessResult Init)> InitAsync(string name, string template, string? dir = null)
    {
        string[] arguments = dir is null ? ["init", name, "--template", template] : ["init", name, "--template", template, "--dir", dir];
        var init = await RunAsync(Folder, arguments);
        if (init.ExitCode != 0)
        {
            throw new InvalidOperationException($"wasmrun {string.Join(' ', arguments)} failed:\n{init}");
        }
        return (Path.Join(Folder, dir ?? name), init);
    }

    /// <summary>
    /// `wasmrun init steps --template TEMPLATE --dir steps-dir` (a folder named otherwise than the project), then the
    /// `wasmrun` next steps it printed, in order, in the new project: the project, init's output, the steps (as one
    /// line each) and their results.
    /// </summary>
    public async Task<(string Project, ProcessResult Init, List<string> Steps, List<ProcessResult> Results)> InitAndRunNextStepsAsync(string template)
    {
        var (project, init) = await InitAsync("steps", template, dir: "steps-dir");
        var steps = NextSteps.Of(init.Stdout);
        var results = new List<ProcessResult>();
        foreach (var step in steps)
        {
            results.Add(await RunAsync(project, step));
        }
        return (project, init, [.. steps.Select(step => string.Join(' ', step))], results);
    }

    /// <summary>A project folder with these files (paths may have folders).</summary>
    public string Project(string name, params (string Path, string Text)[] files)
    {
        var project = Directory.CreateDirectory(Path.Join(Folder, name)).FullName;
        foreach (var (path, text) in files)
        {
            var file = Path.Join(project, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
        }
        return project;
    }

    public void Dispose() => root.Dispose();
}
