// A plugin made on the spot for the published binary: its manifest and script registered in a WASMRUN_HOME of its
// own (as `plugin install` leaves them), a project it recognises by a marker, and `wasmrun compile` run on that
// project, so a script's effect on the whole process (its exit code, its one error line) is what a test sees.
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Plugins;

internal sealed class ScriptedPlugin : IDisposable
{
    /// <summary>JavaScript for the smallest valid module, as writeFile's text: every byte is ASCII.</summary>
    public const string EmptyModule = @"""\0asm\x01\0\0\0""";

    private readonly TempDirectory root = new();

    /// <param name="script">plugin.js; it exports build(ctx).</param>
    /// <param name="permissions">Lines of the manifest's [permissions] table.</param>
    /// <param name="limits">Lines of config.toml's [plugin_limits] table.</param>
    /// <param name="files">More files of the package (path, text), such as modules the script imports.</param>
    public ScriptedPlugin(string script, string permissions = "", string limits = "", params (string Path, string Text)[] files)
    {
        Home = Directory.CreateDirectory(Path.Join(root.Path, "home")).FullName;
        Project = Directory.CreateDirectory(Path.Join(root.Path, "project")).FullName;
        Outside = Directory.CreateDirectory(Path.Join(root.Path, "outside")).FullName;
        File.WriteAllText(Path.Join(Project, "hostile.txt"), "the marker\n");
        File.WriteAllText(Path.Join(Outside, "secret.txt"), "outside secret");
        var folder = Directory.CreateDirectory(Path.Join(Home, "plugins", "hostile")).FullName;
        File.WriteAllText(Path.Join(folder, "wasmrun.toml"), $"""
            api = 1

            [plugin]
            name = "hostile"
            version = "1.0.0"

            [detect]
            markers = ["hostile.txt"]

            [permissions]
            {permissions}

            [build]
            targets = ["wasm"]
            """);
        File.WriteAllText(Path.Join(folder, "plugin.js"), script);
        foreach (var (path, text) in files)
        {
            var full = Path.Join(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
        File.WriteAllText(Path.Join(Home, "config.toml"), $"""
            [plugin_limits]
            {limits}

            [plugins.hostile]
            version = "1.0.0"
            source = "{folder}"

            """);
    }

    public string Home { get; }

    public string Project { get; }

    public string Output => Path.Join(Project, "dist");

    /// <summary>A folder outside the project and the home, with secret.txt in it.</summary>
    public string Outside { get; }

    /// <summary>`wasmrun compile --no-cache` in the project, with this home and the test's environment plus
    /// <paramref name="environment"/>.</summary>
    public Task<ProcessResult> CompileAsync(Dictionary<string, string?>? environment = null)
    {
        environment ??= [];
        environment["WASMRUN_HOME"] = Home;
        environment["NO_COLOR"] = "1";
        return WasmrunBinary.RunAsync(["compile", "--no-cache"], environment, Project);
    }

    public void Dispose() => root.Dispose();
}
