// The build cache (~/.wasmrun/cache/builds): a build's artifacts filed under a hash of everything the build depends
// on, so an unchanged project is "up to date" without loading the plugin's script or running a compiler.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wasmrun.Plugins;

internal sealed class BuildCache(string cacheDirectory)
{
    /// <summary>Entries kept; older ones are deleted after each new build.</summary>
    private const int MaxEntries = 64;

    private const string EntryFile = "entry.json";

    private readonly string root = Path.Join(cacheDirectory, "builds");

    /// <summary>The key: the plugin (name, version, every file of its package), everything build(ctx) is told (the
    /// project folder and the name its artifacts take, the output folder, target and optimization), the tools'
    /// identities, and the path and contents of every input file of the project (the manifest's build.watch, minus
    /// build.ignore, build.clean, the output folder, .git and node_modules).</summary>
    public static string Key(PluginPackage plugin, string target, string optimization, IEnumerable<ToolStatus> tools, string project, string outputDirectory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\0"));

        Add("wasmrun-build-2");
        Add($"{plugin.Name} {plugin.Version}");
        // Two projects with the same sources still name (after their folders) and place their artifacts differently:
        // a copy of a project must never be handed the other's dist/OTHER.wasm.
        Add(project);
        Add(outputDirectory);
        foreach (var file in plugin.Files.List(""))
        {
            Add(file);
            hash.AppendData(plugin.Files.Read(file)!);
        }
        Add(target);
        Add(optimization);
        foreach (var tool in tools)
        {
            Add(tool.Identity);
        }
        foreach (var file in new ProjectInputs(plugin, project, outputDirectory).Files())
        {
            Add(file);
            hash.AppendData(SHA256.HashData(File.ReadAllBytes(Path.Join(project, file))));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Puts a cached build's artifacts into the output folder (only files that differ are written) and
    /// returns them; null on a miss.</summary>
    public BuildArtifacts? TryRestore(string key, string outputDirectory)
    {
        var folder = Path.Join(root, key);
        if (ReadEntry(folder) is not { } entry)
        {
            return null;
        }
        foreach (var file in entry.Files)
        {
            var cached = Path.Join(folder, "files", file);
            var target = Path.Join(outputDirectory, file);
            if (!File.Exists(cached))
            {
                return null;
            }
            if (!File.Exists(target) || !FilesEqual(cached, target))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(cached, target, overwrite: true);
            }
        }
        Directory.SetLastWriteTimeUtc(folder, DateTime.UtcNow);
        return entry.Artifacts(outputDirectory);
    }

    public void Store(string key, string project, BuildArtifacts artifacts, string outputDirectory)
    {
        var folder = Path.Join(root, key);
        var staging = folder + ".tmp-" + Environment.ProcessId;
        var files = artifacts.All.Select(f => Path.GetRelativePath(outputDirectory, f).Replace('\\', '/')).ToList();
        Directory.CreateDirectory(staging);
        foreach (var file in files)
        {
            var target = Path.Join(staging, "files", file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Join(outputDirectory, file), target, overwrite: true);
        }
        var entry = new CacheEntry(project, artifacts.Kind, Relative(artifacts.Wasm), Rel(artifacts.Js), Rel(artifacts.Html), files);
        File.WriteAllText(Path.Join(staging, EntryFile), JsonSerializer.Serialize(entry, CacheJsonContext.Default.CacheEntry));
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        Directory.Move(staging, folder);
        Prune();

        string Relative(string path) => Path.GetRelativePath(outputDirectory, path).Replace('\\', '/');
        string? Rel(string? path) => path is null ? null : Relative(path);
    }

    /// <summary>Deletes the entries built from this project; returns how many.</summary>
    public int RemoveProject(string project)
    {
        var removed = 0;
        foreach (var folder in Entries())
        {
            if (ReadEntry(folder) is { } entry && entry.Project == project)
            {
                Directory.Delete(folder, recursive: true);
                removed++;
            }
        }
        return removed;
    }

    private void Prune()
    {
        foreach (var old in Entries().OrderByDescending(Directory.GetLastWriteTimeUtc).Skip(MaxEntries))
        {
            Directory.Delete(old, recursive: true);
        }
    }

    private List<string> Entries() =>
        Directory.Exists(root) ? Directory.EnumerateDirectories(root).Where(d => !Path.GetFileName(d).Contains(".tmp-", StringComparison.Ordinal)).ToList() : [];

    private static CacheEntry? ReadEntry(string folder)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(Path.Join(folder, EntryFile)), CacheJsonContext.Default.CacheEntry);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            // A missing or damaged entry is a miss: the build runs and writes it again.
            return null;
        }
    }

    private static bool FilesEqual(string a, string b) =>
        new FileInfo(a).Length == new FileInfo(b).Length && File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b));
}

/// <summary>entry.json: the project it was built from and the artifacts, relative to the output folder.</summary>
internal sealed record CacheEntry(string Project, ArtifactKind Kind, string Wasm, string? Js, string? Html, List<string> Files)
{
    public BuildArtifacts Artifacts(string outputDirectory)
    {
        string At(string file) => Path.GetFullPath(Path.Join(outputDirectory, file));
        var named = new[] { Wasm, Js, Html }.Where(f => f is not null).ToHashSet();
        return new BuildArtifacts(Kind, At(Wasm), Js is null ? null : At(Js), Html is null ? null : At(Html),
            [.. Files.Where(f => !named.Contains(f)).Select(At)]);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CacheEntry))]
internal sealed partial class CacheJsonContext : JsonSerializerContext
{
}
