// The files of a plugin package: a folder on disk (an installed plugin) or resources embedded in the binary (a
// built-in plugin, or the bundled copy of a first-party one). Paths are relative, '/'-separated, and never leave the
// package.
using Wasmrun.Templates;

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
/// "bundled/NAME/..." (a bundled one, see PluginOrigin), and the folders of its [[templates]]: a first-party plugin's
/// template named T is templates/projects/T in the repository, embedded as "templates/projects/T/...".</summary>
internal sealed class EmbeddedPluginFiles : PluginFiles
{
    private readonly PluginOrigin origin;

    private readonly EmbeddedFolder package;

    /// <summary>Each template's folder in the package ("templates/rust/") and where its files are embedded.</summary>
    private readonly IReadOnlyList<(string Folder, EmbeddedFolder Files)> templates;

    /// <summary>The package's own files, without its templates (enough to read its manifest).</summary>
    public EmbeddedPluginFiles(PluginOrigin origin, string name)
        : this(origin, new EmbeddedFolder($"{Prefix(origin)}{name}/"), [])
    {
    }

    private EmbeddedPluginFiles(PluginOrigin origin, EmbeddedFolder package, IReadOnlyList<(string, EmbeddedFolder)> templates)
    {
        this.origin = origin;
        this.package = package;
        this.templates = templates;
    }

    public override string Location => origin == PluginOrigin.BuiltIn ? "built in" : PluginCatalog.BundledWithWasmrun;

    public override string? Directory => null;

    /// <summary>The package with the files of its manifest's templates, each at its [[templates]] path.</summary>
    public EmbeddedPluginFiles WithTemplates(IEnumerable<TemplateInfo> manifestTemplates) =>
        new(origin, package, [.. manifestTemplates.Select(t => (Normalize(t.Path).TrimEnd('/') + "/", TemplateFiles.Project(t.Name)))]);

    /// <summary>The names of the plugins of one origin (BuiltIn or Bundled) embedded in this binary.</summary>
    public static IEnumerable<string> Names(PluginOrigin origin)
    {
        var start = Prefix(origin);
        return EmbeddedFolder.Names(start)
            .Where(resource => resource.EndsWith("/" + PluginManifest.FileName, StringComparison.Ordinal))
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
        var relative = Normalize(path);
        foreach (var (folder, files) in templates)
        {
            if (relative.StartsWith(folder, StringComparison.Ordinal))
            {
                return files.Read(relative[folder.Length..]);
            }
        }
        return package.Read(relative);
    }

    public override IReadOnlyList<string> List(string folder)
    {
        var start = folder.Length == 0 ? "" : Normalize(folder).TrimEnd('/') + "/";
        return [.. package.List("")
            .Where(path => !templates.Any(template => path.StartsWith(template.Folder, StringComparison.Ordinal)))
            .Concat(templates.SelectMany(template => template.Files.List("").Select(file => template.Folder + file)))
            .Where(path => path.StartsWith(start, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }
}
