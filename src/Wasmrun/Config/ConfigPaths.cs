// Where the configuration lives: the home directory (WASMRUN_HOME, else ~/.wasmrun) and config.toml inside it.
namespace Wasmrun.Config;

/// <param name="Home">The config home directory, absolute; it need not exist.</param>
/// <param name="HomeFromEnvironment">True when WASMRUN_HOME chose the home, false for the default ~/.wasmrun.</param>
internal sealed record ConfigPaths(string Home, bool HomeFromEnvironment)
{
    public const string HomeVariable = "WASMRUN_HOME";

    public string File => Path.Join(Home, "config.toml");

    /// <summary>Installed plugins, one folder each (plugins/NAME/wasmrun.toml ...).</summary>
    public string Plugins => Path.Join(Home, "plugins");

    /// <summary>Caches Wasmrun may delete at any time (`wasmrun clean --all`): build results, downloads.</summary>
    public string Cache => Path.Join(Home, "cache");

    public static ConfigPaths FromEnvironment() => Resolve(
        Environment.GetEnvironmentVariable(HomeVariable), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>
    /// The environment comes in as parameters so tests need not change the process environment. An empty
    /// WASMRUN_HOME counts as unset (as `WASMRUN_HOME= wasmrun ...` is the usual way to switch it off for one run).
    /// </summary>
    public static ConfigPaths Resolve(string? wasmrunHome, string userProfile)
    {
        if (!string.IsNullOrEmpty(wasmrunHome))
        {
            return new ConfigPaths(Path.GetFullPath(wasmrunHome), HomeFromEnvironment: true);
        }
        if (string.IsNullOrEmpty(userProfile))
        {
            throw new WasmrunException("cannot find the home directory for the default config home ~/.wasmrun")
            {
                Hint = $"set {HomeVariable} to the directory that holds (or will hold) config.toml",
            };
        }
        return new ConfigPaths(Path.Join(userProfile, ".wasmrun"), HomeFromEnvironment: false);
    }
}
