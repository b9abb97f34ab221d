// The files of a plugin package: a folder on disk (an installed plugin) or resources embedded in the binary (a
// built-in plugin, or the bundled copy of a first-party one). Paths are relative, '/'-separated, and never leave the
// package.
using System.Reflection;

namespace Wasmrun.Plugins;

internal abstract class PluginFiles
{
    /// <summary>Where the package lives, for messages: a folder, "built in" or "bundled with wasmrun".</summary>
    public abstract string Location { get; }

    /// <summary>The folder on disk, or null for a package embedded in the binary.</summary>
    public abstract string? Directory { get; }

    /// <summary>A file's bytes, or null when the package has no such file.</summary>
    public abstract byte[]? Read(string path);

    /// <summary>Every file under `folder` ("" for all), as package-relative paths, sorted.</summary>
    public abstract IReadOnlyList<string> List(string folder);

    /// <summary>True when both packages hold the same files with the same bytes.</summary>
    public bool SameFilesAs(PluginFiles other)
    {
        var paths = List("");
        return paths.SequenceEqual(other.List("")) && paths.All(path => Read(path).AsSpan().SequenceEqual(other.Read(path)));
    }

    protected static string Normalize(string path) => path.Replace('\\', '/').TrimStart('/');
}

/// <summary>An installed plugin: a folder under ~/.wasmrun/plugins.</summary>
internal sealed class DirectoryPluginFiles(string root) : PluginFiles
{
    private readonly string root = Path.GetFullPath(root);

    public override string Location => root;

    public override string? Directory => root;

    public override byte[]? Read(string path)
    {
        if (!PluginManifest.IsPackagePath(path))
        {
            return null;
        }
        var full = Path.GetFullPath(Path.Join(root, path));
        // A symlink inside an installed package could point anywhere: the installer refuses them, and reads here
        // refuse anything that resolves outside the folder.
        var target = SandboxScope.RealPath(full);
        return SandboxScope.IsInside(target, SandboxScope.RealPath(root)) && File.Exists(target) ? File.ReadAllBytes(target) : null;
    }

    public override IReadOnlyList<string> List(string folder)
    {
        var start = Path.Join(root, folder);
        if (!PluginManifest.IsPackagePath(folder.Length == 0 ? "." : folder) || !System.IO.Directory.Exists(start))
        {
            return [];
        }
        return [.. System.IO.Directory.EnumerateFiles(start, "*", SearchOption.AllDirectories)
            .Select(file => Normalize(Path.GetRelativePath(root, file)))
            .Order(StringComparer.Ordinal)];
    }
}

/// <summary>A package embedded in the binary: plugins-js/NAME as resources "plugins/NAME/..." (a built-in plugin) or
/// "bundled/NAME/..." (a bundled one, see PluginOrigin).</summary>
internal sealed class EmbeddedPluginFiles(PluginOrigin origin, string name) : PluginFiles
{
    private static readonly Assembly assembly = typeof(EmbeddedPluginFiles).Assembly;

    private readonly string prefix = $"{Prefix(origin)}{name}/";

    public override string Location => origin == PluginOrigin.BuiltIn ? "built in" : PluginCatalog.BundledWithWasmrun;

    public override string? Directory => null;

    /// <summary>The names of the plugins of one origin (BuiltIn or Bundled) embedded in this binary.</summary>
    public static IEnumerable<string> Names(PluginOrigin origin)
    {
        var start = Prefix(origin);
        return assembly.GetManifestResourceNames()
            .Select(Normalize)
            .Where(resource => resource.StartsWith(start, StringComparison.Ordinal) && resource.EndsWith("/" + PluginManifest.FileName, StringComparison.Ordinal))
            .Select(resource => resource[start.Length..^(PluginManifest.FileName.Length + 1)])
            .Where(name => !name.Contains('/'))
            .Order(StringComparer.Ordinal);
    }

    /// <summary>The resource prefix of an origin, as Wasmrun.csproj names the resources.</summary>
    private static string Prefix(PluginOrigin origin) => origin switch
    {
        PluginOrigin.BuiltIn => "plugins/",
        PluginOrigin.Bundled => "bundled/",
        _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, "only built-in and bundled plugins are embedded"),
    };

    public override byte[]? Read(string path)
    {
        if (!PluginManifest.IsPackagePath(path))
        {
            return null;
        }
        var resource = assembly.GetManifestResourceNames().FirstOrDefault(r => Normalize(r) == prefix + Normalize(path));
        using var stream = resource is null ? null : assembly.GetManifestResourceStream(resource);
        if (stream is null)
        {
            return null;
        }
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    public override IReadOnlyList<string> List(string folder)
    {
        var start = folder.Length == 0 ? prefix : prefix + Normalize(folder).TrimEnd('/') + "/";
        return [.. assembly.GetManifestResourceNames()
            .Select(Normalize)
            .Where(resource => resource.StartsWith(start, StringComparison.Ordinal))
            .Select(resource => resource[prefix.Length..])
            .Order(StringComparer.Ordinal)];
    }
}
