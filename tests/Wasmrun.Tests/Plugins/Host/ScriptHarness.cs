// A plugin made on the spot (a manifest and a script in a temporary folder), a project folder with an output folder
// beside it, and a sandbox to call the script's build() in: the real Jint sandbox, in this process.
using Jint.Runtime;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Plugins;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Plugins.Host;

internal sealed class ScriptHarness : IDisposable
{
    private readonly TempDirectory root = new();

    /// <param name="script">plugin.js; it exports build(ctx).</param>
    /// <param name="permissions">Lines of the manifest's [permissions] table.</param>
    /// <param name="files">More files of the package (path, text), such as modules the script imports.</param>
    public ScriptHarness(string script, string permissions = "", params (string Path, string Text)[] files)
    {
        PluginDirectory = Directory.CreateDirectory(System.IO.Path.Join(root.Path, "plugin")).FullName;
        Project = Directory.CreateDirectory(System.IO.Path.Join(root.Path, "project")).FullName;
        Output = Directory.CreateDirectory(System.IO.Path.Join(Project, "dist")).FullName;
        Outside = Directory.CreateDirectory(System.IO.Path.Join(root.Path, "outside")).FullName;
        File.WriteAllText(System.IO.Path.Join(Outside, "secret.txt"), "outside secret");
        File.WriteAllText(System.IO.Path.Join(PluginDirectory, PluginManifest.FileName), $"""
            api = 1

            [plugin]
            name = "test-plugin"
            version = "1.0.0"

            [permissions]
            {permissions}

            [build]
            targets = ["wasi"]
            """);
        File.WriteAllText(System.IO.Path.Join(PluginDirectory, "plugin.js"), script);
        foreach (var (path, text) in files)
        {
            var full = System.IO.Path.Join(PluginDirectory, path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
    }

    public string PluginDirectory { get; }

    public string Project { get; }

    public string Output { get; }

    /// <summary>A folder outside the project, the output and the plugin, with secret.txt in it.</summary>
    public string Outside { get; }

    public PluginLimits Limits { get; } = new();

    /// <summary>What the build showed (steps, program output, log lines), as stderr would show it.</summary>
    public StringWriter Log { get; } = new() { NewLine = "\n" };

    /// <summary>How long a program may be quiet before a "still running" line (PluginOutput's default when null).</summary>
    public TimeSpan? QuietInterval { get; set; }

    /// <summary>Loads the plugin and calls build({projectDir, outputDir, target}) with the output folder writable;
    /// returns what build() returned, as a string (scripts return JSON.stringify(...) for structures).</summary>
    public string Build()
    {
        var plugin = PluginPackage.Load(new DirectoryPluginFiles(PluginDirectory), PluginOrigin.Installed, entry: null);
        var scope = new SandboxScope(Project, [Output], plugin.Manifest.Permissions.Read);
        using var sandbox = PluginSandbox.Open(plugin, Limits, new PluginOutput(verbose: false, new Terminal(Log, color: false), QuietInterval), scope);
        return sandbox.Call("build", scope, engine => PluginSandbox.Object(engine,
            ("projectDir", Project), ("outputDir", Output), ("target", "wasi")), TypeConverter.ToString);
    }

    /// <summary>The error the build ends with; fails the test when it succeeds.</summary>
    public WasmrunException BuildFails()
    {
        try
        {
            Build();
        }
        catch (WasmrunException error)
        {
            return error;
        }
        throw new InvalidOperationException("the build succeeded; expected it to fail");
    }

    public void Dispose() => root.Dispose();
}
