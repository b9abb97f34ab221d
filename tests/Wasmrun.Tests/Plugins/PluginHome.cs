// A WASMRUN_HOME for one test: a config.toml pointing at the test's registry, the binary run against it, and a
// snapshot of everything in it, to show that a refused install left nothing behind.
using System.Text;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Plugins;

internal sealed class PluginHome : IDisposable
{
    private readonly TempDirectory directory = new();

    /// <param name="registry">The registry config.toml names; null leaves `registry` out (the default registry).</param>
    /// <param name="config">The whole config.toml instead (REGISTRY is replaced by the registry's URL); null for the usual one.</param>
    public PluginHome(LoopbackRegistry? registry, string? config = null)
    {
        Home = Path.Join(directory.Path, "home");
        Directory.CreateDirectory(Home);
        config ??= registry is null ? null : "# the test's registry\nregistry = \"REGISTRY\"\n";
        if (config is not null)
        {
            File.WriteAllText(ConfigFile, config.Replace("REGISTRY", registry?.Url ?? "", StringComparison.Ordinal));
        }
    }

    /// <summary>A folder for the test's own files, outside the home.</summary>
    public string Scratch => directory.Path;

    public string Home { get; }

    public string ConfigFile => Path.Join(Home, "config.toml");

    public string Plugins => Path.Join(Home, "plugins");

    public string Config => File.Exists(ConfigFile) ? File.ReadAllText(ConfigFile) : "";

    /// <summary>Runs the binary with this home; proxies are switched off so the loopback registry is reached directly.</summary>
    public Task<ProcessResult> RunAsync(params string[] arguments) => WasmrunBinary.RunAsync(arguments, Environment());

    /// <summary>The environment RunAsync adds to the test's.</summary>
    public Dictionary<string, string?> Environment() => new()
    {
        ["WASMRUN_HOME"] = Home,
        ["http_proxy"] = null,
        ["https_proxy"] = null,
        ["HTTP_PROXY"] = null,
        ["HTTPS_PROXY"] = null,
        ["all_proxy"] = null,
        ["ALL_PROXY"] = null,
    };

    /// <summary>config.toml's bytes and every file and folder under the home, except the plugins folder itself and its
    /// lock file (which any plugin command may create).</summary>
    public string Snapshot()
    {
        var text = new StringBuilder(Config).Append("\n---\n");
        foreach (var entry in Directory.EnumerateFileSystemEntries(Home, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(Home, entry);
            if (relative != Path.Join("plugins", ".lock") && relative != "plugins")
            {
                text.Append(relative).Append(File.Exists(entry) ? $" {new FileInfo(entry).Length}" : "/").Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>The entries of the plugins folder (the lock file aside): leftovers of a failed install would show here.</summary>
    public List<string> PluginFolderEntries() => Directory.Exists(Plugins)
        ? [.. Directory.EnumerateFileSystemEntries(Plugins).Select(p => Path.GetFileName(p)).Where(n => n != ".lock").Order(StringComparer.Ordinal)]
        : [];

    public void Dispose() => directory.Dispose();
}
