// Where a plugin comes from: what `plugin install` was given (NAME[@VERSION|@TAG], a folder or .tgz path, an http(s)
// URL of a .tgz), and the `source` config.toml records for it so `plugin update` can fetch it again. A first-party
// name means the copy bundled in the binary unless --registry asks for a registry: the public registry's holder of
// that name is whoever published it first, not necessarily us.
using Wasmrun.Config;

namespace Wasmrun.Plugins.Install;

internal abstract record PluginSource
{
    /// <summary>The `source` of a plugin from the configured registry.</summary>
    public const string ConfiguredRegistry = "registry";

    /// <summary>The prefix of the `source` of a plugin from another registry (--registry): "registry:URL".</summary>
    public const string RegistryPrefix = "registry:";

    /// <summary>The `source` of a first-party plugin installed from the binary's bundled copy.</summary>
    public const string Bundled = "bundled";

    /// <summary>The `source` value config.toml records.</summary>
    public abstract string Recorded { get; }

    /// <summary>
    /// Reads the argument of `plugin install`. An http(s) URL is a URL; a word with a path separator, starting with
    /// '.', or ending in .tgz is a path (so `./name` installs the folder "name" from the current directory);
    /// anything else is a plugin name, with an optional @VERSION or @TAG: a bundled plugin's without `registryOption`
    /// (--registry), else a registry package.
    /// </summary>
    public static PluginSource Parse(string argument, string? registryOption, string configuredRegistry)
    {
        if (argument.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || argument.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.TryCreate(argument, UriKind.Absolute, out var url) && RegistryClient.IsHttp(url)
                ? new UrlSource(url)
                : throw new WasmrunException($"'{argument}' is not a valid URL", ExitCode.Usage);
        }
        if (argument.Contains("://", StringComparison.Ordinal))
        {
            throw new WasmrunException($"'{argument}': only http and https URLs can be installed", ExitCode.Usage)
            {
                Hint = "give the address of a .tgz package, a path, or a plugin name",
            };
        }
        if (argument.StartsWith('@'))
        {
            throw new WasmrunException($"'{argument}' is a scoped npm package; plugin names have no scope", ExitCode.Usage)
            {
                Hint = "plugin names are 1 to 64 characters of a-z, 0-9 and '-'",
            };
        }
        if (argument.Contains('/') || argument.Contains('\\') || argument.StartsWith('.') || IsTarballName(argument))
        {
            var path = Path.GetFullPath(argument);
            return File.Exists(path) || Directory.Exists(path)
                ? new PathSource(path)
                : throw new WasmrunException($"{argument}: no such file or folder", ExitCode.InvalidInput)
                {
                    Hint = "give a plugin folder (with wasmrun.toml) or a .tgz package; paths are relative to the current directory",
                };
        }
        var at = argument.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? argument : argument[..at];
        var wanted = at < 0 ? null : argument[(at + 1)..];
        if (!PluginManifest.IsValidName(name) || wanted is "")
        {
            throw new WasmrunException($"'{argument}' is not a plugin name, NAME@VERSION, a path or a URL", ExitCode.Usage)
            {
                Hint = "plugin names are 1 to 64 characters of a-z, 0-9 and '-'; a folder in the current directory is ./NAME",
            };
        }
        if (registryOption is null && PluginCatalog.IsBundled(name))
        {
            return new BundledSource(name, wanted);
        }
        return new RegistrySource(name, wanted, RegistryOverride(registryOption, configuredRegistry));
    }

    /// <summary>The source recorded in a [plugins.NAME] table.</summary>
    public static PluginSource FromEntry(string name, PluginEntry entry, ConfigPaths paths)
    {
        var source = entry.Source;
        if (source == ConfiguredRegistry)
        {
            return new RegistrySource(name, null, null);
        }
        if (source == Bundled)
        {
            return new BundledSource(name, null);
        }
        if (source.StartsWith(RegistryPrefix, StringComparison.Ordinal))
        {
            return new RegistrySource(name, null, source[RegistryPrefix.Length..]);
        }
        if (Uri.TryCreate(source, UriKind.Absolute, out var url) && RegistryClient.IsHttp(url))
        {
            return new UrlSource(url);
        }
        if (Path.IsPathFullyQualified(source))
        {
            return new PathSource(source);
        }
        throw new WasmrunException($"{paths.File}: [plugins.{name}] source '{source}' is not \"registry\", \"bundled\", a path or a URL", ExitCode.InvalidInput)
        {
            Hint = $"install it again to record where it comes from: wasmrun plugin install {name}",
        };
    }

    /// <summary>The registry a --registry option asks for: null when absent or the same as config.toml's, so that
    /// `source = "registry"` keeps following config.toml.</summary>
    public static string? RegistryOverride(string? option, string configured) =>
        option is null || option.TrimEnd('/') == configured.TrimEnd('/') ? null : option;

    /// <summary>A recorded `source` as list and info show it: the registry's URL in place of "registry".</summary>
    public static string Display(string recorded, string configuredRegistry) =>
        recorded == ConfiguredRegistry ? $"registry {configuredRegistry}"
        : recorded == Bundled ? PluginCatalog.BundledWithWasmrun
        : recorded.StartsWith(RegistryPrefix, StringComparison.Ordinal) ? $"registry {recorded[RegistryPrefix.Length..]}"
        : recorded;

    public static bool IsTarballName(string path) =>
        path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A package from a registry; Registry is null for the configured one (config.toml `registry`).</summary>
internal sealed record RegistrySource(string Name, string? Wanted, string? Registry) : PluginSource
{
    public override string Recorded => Registry is null ? ConfiguredRegistry : RegistryPrefix + Registry;
}

/// <summary>The copy of a first-party plugin bundled in the binary; Wanted is the @VERSION asked for, if any (it must
/// be the bundled one's).</summary>
internal sealed record BundledSource(string Name, string? Wanted) : PluginSource
{
    public override string Recorded => Bundled;
}

/// <summary>A plugin folder or a .tgz file, by its absolute path.</summary>
internal sealed record PathSource(string Path) : PluginSource
{
    public override string Recorded => Path;

    public bool IsTarball => File.Exists(Path);
}

/// <summary>A .tgz package at an http(s) address.</summary>
internal sealed record UrlSource(Uri Url) : PluginSource
{
    public override string Recorded => Url.ToString();
}
