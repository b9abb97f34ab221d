// Puts plugins on the machine and takes them off. A package (the binary's bundled copy of a first-party plugin, or
// from a registry, a folder, a .tgz file or URL) is fetched and verified, unpacked into a staging folder beside ~/.wasmrun/plugins/NAME, validated, moved into place,
// then registered in config.toml; on any failure the plugins folder and config.toml are left exactly as they were.
using System.Text;
using Wasmrun.Cli;
using Wasmrun.Config;

namespace Wasmrun.Plugins.Install;

/// <summary>A package fetched (and, when it came with a hash, verified), not yet unpacked: a .tgz in memory, a folder,
/// or a bundled plugin's files; exactly one of the three is set.</summary>
/// <param name="Tarball">The .tgz's bytes, or null.</param>
/// <param name="Folder">The plugin folder to copy, or null.</param>
/// <param name="Bundled">The bundled plugin's files in the binary, or null.</param>
/// <param name="Origin">How messages name it: a path, a URL, "NAME VERSION from REGISTRY".</param>
/// <param name="Source">The `source` to record in config.toml.</param>
/// <param name="Integrity">The sha512 of the .tgz; empty for a folder or a bundled plugin.</param>
/// <param name="ExpectedName">The name the manifest must have (a registry package), or null.</param>
/// <param name="ExpectedVersion">The version the manifest must have (a registry package), or null.</param>
internal sealed record FetchedPackage(byte[]? Tarball, string? Folder, PluginFiles? Bundled, string Origin, string Source, string Integrity, string? ExpectedName, string? ExpectedVersion);

/// <summary>What an install did; PreviousVersion is the version it replaced, if any.</summary>
internal sealed record InstallResult(PluginPackage Package, string Folder, FetchedPackage Fetched, string? PreviousVersion);

/// <summary>What an update did: Installed is null when the plugin was up to date (Latest is then what the source has).</summary>
internal sealed record UpdateResult(string Name, string Version, string Latest, InstallResult? Installed);

/// <param name="paths">The config home: config.toml and the plugins folder.</param>
/// <param name="configuredRegistry">config.toml's `registry`.</param>
internal sealed class PluginInstaller(ConfigPaths paths, string configuredRegistry)
{
    /// <summary>Names of the folders an install or uninstall works in, beside the plugins: never a plugin name (those
    /// start with a-z or 0-9), and removed when a later run finds them left over (a killed process).</summary>
    private static readonly string[] workFolderPrefixes = [".staging-", ".old-", ".removing-"];

    public static bool IsBuiltIn(string name) => EmbeddedPluginFiles.Names(PluginOrigin.BuiltIn).Contains(name);

    /// <summary>The client for a registry source: its own registry (--registry, or recorded) or config.toml's.</summary>
    public RegistryClient Registry(RegistrySource source) =>
        new(source.Registry ?? configuredRegistry, source.Registry is null ? paths.File : "--registry");

    /// <summary>Fetches a package; `integrity` ("sha512-...") pins a .tgz file or URL.</summary>
    public async Task<FetchedPackage> FetchAsync(PluginSource source, string? integrity, CancellationToken cancellationToken)
    {
        if (integrity is not null && source is RegistrySource or BundledSource or PathSource { IsTarball: false })
        {
            throw new WasmrunException("--integrity applies to a .tgz file or URL (a registry gives its own hash; a folder or a bundled plugin has none)", ExitCode.Usage);
        }
        switch (source)
        {
            case BundledSource bundled:
                return Bundled(bundled);
            case RegistrySource registry:
                RefuseBuiltIn(registry.Name);
                var client = Registry(registry);
                var version = await client.ResolveAsync(registry.Name, registry.Wanted, cancellationToken).ConfigureAwait(false);
                return await DownloadAsync(version, client, registry, cancellationToken).ConfigureAwait(false);
            case UrlSource url:
                var bytes = await RegistryClient.DownloadAsync(url.Url, PackageLimits.MaxTarballBytes, "application/octet-stream, */*", cancellationToken).ConfigureAwait(false);
                return Tarball(bytes, url.Url.ToString(), url.Recorded, integrity);
            case PathSource { IsTarball: true } file:
                return Tarball(ReadTarball(file.Path), file.Path, file.Recorded, integrity);
            case PathSource folder when Directory.Exists(folder.Path):
                return new FetchedPackage(null, folder.Path, null, folder.Path, folder.Recorded, "", null, null);
            case PathSource gone:
                throw new WasmrunException($"{gone.Path}: no such file or folder", ExitCode.InvalidInput)
                {
                    Hint = "the plugin was installed from there; install it again from where it is now",
                };
            default:
                throw new InvalidOperationException($"unknown plugin source {source}");
        }
    }

    /// <summary>Downloads a registry package's tarball and checks it against the registry's sha512 before anything else.</summary>
    public static async Task<FetchedPackage> DownloadAsync(PackageVersion version, RegistryClient client, RegistrySource source, CancellationToken cancellationToken)
    {
        var origin = $"{version.Name} {version.Version} from {client.Url}";
        var bytes = await RegistryClient.DownloadAsync(version.Tarball, PackageLimits.MaxTarballBytes, "application/octet-stream, */*", cancellationToken).ConfigureAwait(false);
        Integrity.Verify(bytes, version.Integrity, origin);
        return new FetchedPackage(bytes, null, null, origin, source.Recorded, Integrity.Of(bytes), version.Name, version.Version);
    }

    /// <summary>The binary's copy of a first-party plugin: nothing is downloaded. A @VERSION other than the bundled one
    /// is refused, not fetched: a first-party plugin comes from a registry only when --registry asks for it.</summary>
    private FetchedPackage Bundled(BundledSource source)
    {
        var name = source.Name;
        if (!PluginCatalog.IsBundled(name))
        {
            throw new WasmrunException($"plugin {name} was installed from the copy bundled with wasmrun, and this wasmrun bundles no {name}", ExitCode.Usage)
            {
                Hint = $"keep it as it is, remove it (wasmrun plugin uninstall {name}), or take it from a registry: wasmrun plugin install {name} --registry {configuredRegistry}",
            };
        }
        var plugin = PluginCatalog.Bundled(name);
        if (source.Wanted is { } wanted && SemanticVersion.TryParse(wanted)?.CompareTo(SemanticVersion.TryParse(plugin.Version)) != 0)
        {
            throw new WasmrunException($"{name}@{wanted}: this wasmrun bundles {name} {plugin.Version}, and takes first-party plugins from a registry only when asked", ExitCode.Usage)
            {
                Hint = $"install the bundled one (wasmrun plugin install {name}), or ask a registry: wasmrun plugin install {name}@{wanted} --registry {configuredRegistry}",
            };
        }
        return new FetchedPackage(null, null, plugin.Files, $"{name} {plugin.Version} bundled with wasmrun", source.Recorded, "", name, plugin.Version);
    }

    /// <summary>
    /// Installs a plugin again from its recorded source: a registry plugin when the registry's latest version is newer
    /// (semver precedence), a URL when what it serves changed (another sha512), a bundled plugin when the binary's copy
    /// differs from the installed files (a newer wasmrun, or files edited in place), a path every time.
    /// </summary>
    public async Task<UpdateResult> UpdateAsync(string name, PluginEntry entry, string? registryOverride, CancellationToken cancellationToken)
    {
        var present = Directory.Exists(Path.Join(paths.Plugins, name));
        FetchedPackage fetched;
        switch (PluginSource.FromEntry(name, entry, paths))
        {
            case RegistrySource recorded:
                var source = recorded with { Registry = registryOverride ?? recorded.Registry };
                var client = Registry(source);
                var latest = await client.ResolveAsync(name, null, cancellationToken).ConfigureAwait(false);
                if (present && SemanticVersion.TryParse(entry.Version) is { } installed && installed.CompareTo(SemanticVersion.TryParse(latest.Version)) >= 0)
                {
                    return new UpdateResult(name, entry.Version, latest.Version, null);
                }
                fetched = await DownloadAsync(latest, client, source, cancellationToken).ConfigureAwait(false);
                break;
            case BundledSource bundled:
                fetched = Bundled(bundled);
                if (present && fetched.Bundled!.SameFilesAs(new DirectoryPluginFiles(Path.Join(paths.Plugins, name))))
                {
                    return new UpdateResult(name, entry.Version, entry.Version, null);
                }
                break;
            case UrlSource url:
                fetched = await FetchAsync(url, null, cancellationToken).ConfigureAwait(false);
                if (present && fetched.Integrity == entry.Integrity)
                {
                    return new UpdateResult(name, entry.Version, entry.Version, null);
                }
                break;
            case var path:
                fetched = await FetchAsync(path, null, cancellationToken).ConfigureAwait(false);
                break;
        }
        // A path or URL that now holds another plugin must not install that one under cover of an update.
        var result = Install(fetched with { ExpectedName = name });
        return new UpdateResult(name, entry.Version, result.Package.Version, result);
    }

    /// <summary>Unpacks, validates, moves into place and registers a fetched package. Holds the plugins lock.</summary>
    public InstallResult Install(FetchedPackage package)
    {
        using var guard = PluginLock.Acquire(paths);
        var staging = WorkFolder(".staging-");
        Directory.CreateDirectory(staging);
        try
        {
            if (package.Tarball is not null)
            {
                PackageTarball.Unpack(package.Tarball, staging, package.Origin);
            }
            else if (package.Folder is not null)
            {
                PackageFolder.Copy(package.Folder, staging);
            }
            else
            {
                PackageFolder.Write(package.Bundled!, staging);
            }
            var manifest = Validate(staging, package).Manifest;
            var name = manifest.Plugin.Name;
            var previous = ConfigFile.Load(paths).Settings.Plugins.GetValueOrDefault(name);
            var target = Path.Join(paths.Plugins, name);
            var previousVersion = previous?.Version is { Length: > 0 } version ? version : null;
            WithFolderAside(target, ".old-", () =>
            {
                Directory.Move(staging, target);
                try
                {
                    // A plugin the user disabled stays disabled when it is reinstalled or updated.
                    ConfigEditor.SetPlugin(paths, name,
                    [
                        TomlSetting.Of("version", manifest.Plugin.Version),
                        TomlSetting.Of("source", package.Source),
                        TomlSetting.Of("integrity", package.Integrity),
                        TomlSetting.Of("enabled", previous?.Enabled ?? true),
                    ]);
                }
                catch
                {
                    Directory.Move(target, staging);
                    throw;
                }
            });
            var entry = ConfigFile.Load(paths).Settings.Plugins[name];
            return new InstallResult(PluginPackage.Load(new DirectoryPluginFiles(target), PluginOrigin.Installed, entry), target, package, previousVersion);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                DeleteTree(staging);
            }
        }
    }

    /// <summary>Removes an installed plugin's folder and its [plugins.NAME] table; returns the version removed ("" when unknown).</summary>
    public string Uninstall(string name)
    {
        RequireName(name);
        if (IsBuiltIn(name))
        {
            throw new WasmrunException($"plugin {name} is built into wasmrun and cannot be uninstalled", ExitCode.Usage)
            {
                Hint = $"turn it off instead: wasmrun plugin disable {name}",
            };
        }
        using var guard = PluginLock.Acquire(paths);
        var entry = ConfigFile.Load(paths).Settings.Plugins.GetValueOrDefault(name);
        var target = Path.Join(paths.Plugins, name);
        if (entry is null && !Exists(target))
        {
            throw new WasmrunException($"no installed plugin named '{name}'", ExitCode.Usage)
            {
                Hint = "`wasmrun plugin list` shows the installed plugins",
            };
        }
        WithFolderAside(target, ".removing-", () =>
        {
            if (entry is not null)
            {
                ConfigEditor.RemovePlugin(paths, name);
            }
        });
        return entry?.Version ?? "";
    }

    /// <summary>Runs `change` with the folder (if it exists) moved aside under the plugins folder: when `change`
    /// fails the folder is moved back, so an install or uninstall is all or nothing; otherwise it is deleted.</summary>
    private void WithFolderAside(string folder, string prefix, Action change)
    {
        string? aside = null;
        if (Exists(folder))
        {
            aside = WorkFolder(prefix);
            Move(folder, aside);
        }
        try
        {
            change();
        }
        catch
        {
            if (aside is not null)
            {
                Move(aside, folder);
            }
            throw;
        }
        if (aside is not null)
        {
            DeleteTree(aside);
        }
    }

    /// <summary>Sets `enabled` of a built-in or installed plugin; false when it already was so.</summary>
    public bool SetEnabled(string name, bool enabled)
    {
        RequireName(name);
        using var guard = PluginLock.Acquire(paths);
        var entry = ConfigFile.Load(paths).Settings.Plugins.GetValueOrDefault(name);
        if (entry is null && PluginCatalog.IsBundled(name))
        {
            throw new WasmrunException($"plugin {name} is not installed", ExitCode.Usage)
            {
                Hint = $"install it: {PluginCatalog.InstallHint(name)}",
            };
        }
        if (entry is null && !IsBuiltIn(name))
        {
            throw new WasmrunException($"no plugin named '{name}'", ExitCode.Usage)
            {
                Hint = $"built-in plugins: {string.Join(", ", EmbeddedPluginFiles.Names(PluginOrigin.BuiltIn))}; `wasmrun plugin list` shows the installed ones",
            };
        }
        if ((entry?.Enabled ?? true) == enabled)
        {
            return false;
        }
        ConfigEditor.SetPlugin(paths, name, [TomlSetting.Of("enabled", enabled)]);
        return true;
    }

    public static void RequireName(string name)
    {
        if (!PluginManifest.IsValidName(name))
        {
            throw new WasmrunException($"'{name}' is not a plugin name", ExitCode.Usage)
            {
                Hint = "plugin names are 1 to 64 characters of a-z, 0-9 and '-'",
            };
        }
    }

    private static void RefuseBuiltIn(string name)
    {
        if (IsBuiltIn(name))
        {
            throw new WasmrunException($"plugin {name} is built into wasmrun: it cannot be installed or replaced", ExitCode.Usage)
            {
                Hint = "built-in plugins come with wasmrun itself and are updated with it",
            };
        }
    }

    /// <summary>Checks an unpacked package: its manifest, its name and version, its script and templates.</summary>
    private static PluginPackage Validate(string folder, FetchedPackage package)
    {
        var files = new DirectoryPluginFiles(folder);
        // Errors name the file the user can fix: the manifest in their folder, or in the package they gave.
        var manifestFile = package.Folder is not null ? Path.Join(package.Folder, PluginManifest.FileName)
            : package.Tarball is not null ? $"{package.Origin}: {PackageTarball.Root}{PluginManifest.FileName}"
            : $"{package.Origin}: {PluginManifest.FileName}";
        // The staging folder holds regular files and folders only (the unpacker and the copy refuse links), so plain
        // existence checks are enough here.
        if (!File.Exists(Path.Join(folder, PluginManifest.FileName)))
        {
            throw new WasmrunException($"{package.Origin}: no {PluginManifest.FileName} in the package: not a Wasmrun plugin", ExitCode.InvalidInput)
            {
                Hint = "a plugin package holds wasmrun.toml and its script (docs/plugins.md)",
            };
        }
        var manifest = PluginManifest.Parse(manifestFile, File.ReadAllText(Path.Join(folder, PluginManifest.FileName), Encoding.UTF8));
        var name = manifest.Plugin.Name;
        if (package.ExpectedName is { } expected && name != expected)
        {
            throw new WasmrunException($"{package.Origin}: the package holds plugin '{name}', not '{expected}': refused", ExitCode.InvalidInput)
            {
                Hint = "the package's wasmrun.toml must name the plugin as the registry does; tell its publisher",
            };
        }
        if (package.ExpectedVersion is { } version && SemanticVersion.TryParse(version)?.CompareTo(SemanticVersion.TryParse(manifest.Plugin.Version)) != 0)
        {
            throw new WasmrunException($"{package.Origin}: the package's wasmrun.toml says version {manifest.Plugin.Version}: refused", ExitCode.InvalidInput)
            {
                Hint = "plugin.version in wasmrun.toml must equal the version published; tell the plugin's publisher",
            };
        }
        RefuseBuiltIn(name);
        if (!File.Exists(Path.Join(folder, manifest.Plugin.Entry)))
        {
            throw new WasmrunException($"{package.Origin}: the plugin's script {manifest.Plugin.Entry} (plugin.entry) is missing", ExitCode.InvalidInput)
            {
                Hint = "a plugin package holds wasmrun.toml and the script it names",
            };
        }
        foreach (var template in manifest.Templates.Where(t => files.List(t.Path).Count == 0))
        {
            throw new WasmrunException($"{package.Origin}: template '{template.Name}': its folder {template.Path} is missing or empty", ExitCode.InvalidInput)
            {
                Hint = "each [[templates]] path names a folder of the package holding the template's files",
            };
        }
        return new PluginPackage(manifest, files, PluginOrigin.Installed, null);
    }

    private static byte[] ReadTarball(string path)
    {
        try
        {
            var size = new FileInfo(path).Length;
            if (size > PackageLimits.MaxTarballBytes)
            {
                throw PackageTarball.Refused(path, $"the file is larger than {Units.Size(PackageLimits.MaxTarballBytes)}");
            }
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new WasmrunException($"{path}: cannot read: {ex.Message}", ExitCode.InvalidInput, ex);
        }
    }

    /// <summary>A .tgz from a file or URL: checked against the pinned hash when one was given; its own hash is recorded.</summary>
    private static FetchedPackage Tarball(byte[] bytes, string origin, string source, string? integrity)
    {
        if (integrity is not null)
        {
            Integrity.Verify(bytes, integrity, origin);
        }
        return new FetchedPackage(bytes, null, null, origin, source, Integrity.Of(bytes), null, null);
    }

    /// <summary>A fresh name for a work folder in the plugins folder (same file system: renames are atomic).</summary>
    private string WorkFolder(string prefix) => Path.Join(paths.Plugins, $"{prefix}{Environment.ProcessId}-{Random.Shared.Next():x}");

    private static bool Exists(string path) => Path.Exists(path) || new FileInfo(path).LinkTarget is not null;

    /// <summary>Renames a folder, or a file or link standing where a plugin folder should be.</summary>
    private static void Move(string from, string to)
    {
        if (Directory.Exists(from) && new DirectoryInfo(from).LinkTarget is null)
        {
            Directory.Move(from, to);
        }
        else
        {
            File.Move(from, to);
        }
    }

    /// <summary>Deletes a folder, or just the link when it is one (never what a link points to).</summary>
    private static void DeleteTree(string path)
    {
        try
        {
            if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The plugin is already in place (or already gone) and config.toml says so; the next install or uninstall
            // removes what is left of this folder.
        }
    }

    /// <summary>One `wasmrun plugin` changes the plugins folder and config.toml at a time (an advisory file lock,
    /// released by the kernel when the process ends, however it ends).</summary>
    private sealed class PluginLock(FileStream file) : IDisposable
    {
        private static readonly TimeSpan patience = TimeSpan.FromSeconds(30);

        public static PluginLock Acquire(ConfigPaths paths)
        {
            var path = Path.Join(paths.Plugins, ".lock");
            var deadline = DateTime.UtcNow + patience;
            while (true)
            {
                try
                {
                    Directory.CreateDirectory(paths.Plugins);
                    var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    RemoveLeftovers(paths);
                    return new PluginLock(file);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(100);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new WasmrunException($"cannot lock {path}: {ex.Message}", ExitCode.InvalidInput, ex)
                    {
                        Hint = "another wasmrun may be installing or removing plugins; wait for it, or check the folder's permissions",
                    };
                }
            }
        }

        public void Dispose() => file.Dispose();

        /// <summary>Work folders of an install or uninstall that was killed: nobody else works here while we hold the lock.</summary>
        private static void RemoveLeftovers(ConfigPaths paths)
        {
            foreach (var folder in Directory.EnumerateFileSystemEntries(paths.Plugins))
            {
                if (workFolderPrefixes.Any(prefix => Path.GetFileName(folder).StartsWith(prefix, StringComparison.Ordinal)))
                {
                    DeleteTree(folder);
                }
            }
        }
    }
}
