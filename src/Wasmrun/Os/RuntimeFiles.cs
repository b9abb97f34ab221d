// The language runtimes inside the binary (resources "runtimes/NAME.tar.br", built by build.sh from registry sources)
// unpacked once into the Wasmrun cache, in a folder named by the recipe's key (resource "runtimes/NAME.key", the hash
// of the recipe the build cache uses too): another recipe gets another folder, and processes mount it read-only. A
// folder that does not match its manifest (a half-deleted or edited cache) is unpacked again. The key is not a hash of
// the archive, which would cost every start reading megabytes and loading OpenSSL.
using System.Formats.Tar;
using System.IO.Compression;
using System.Reflection;
using Wasmrun.Config;

namespace Wasmrun.Os;

internal enum RuntimeName
{
    JavaScript,
    Python,
    Lua,
}

internal static class RuntimeFiles
{
    private const string Manifest = ".wasmrun-runtime";

    private static readonly Assembly assembly = typeof(RuntimeFiles).Assembly;
    private static readonly Lock unpacking = new();
    private static readonly Dictionary<RuntimeName, string> ready = [];

    /// <summary>The resource's name: runtimes/javascript.tar.br, runtimes/python.tar.br, runtimes/lua.tar.br.</summary>
    public static string Resource(RuntimeName name) => $"runtimes/{Lower(name)}.tar.br";

    public static bool Embedded(RuntimeName name) => assembly.GetManifestResourceInfo(Resource(name)) is not null;

    /// <summary>The embedded runtime's name and version ("QuickJS 2021-03-27"), from its recipe's VERSION file.</summary>
    public static string? Version(RuntimeName name) => Text($"runtimes/{Lower(name)}.version");

    /// <summary>The folder holding the runtime's files, unpacked if it is not there yet (or is broken). Checked once
    /// per wasmrun process: every later process of the runtime mounts the same folder.</summary>
    public static string Folder(RuntimeName name, KernelLog? log = null)
    {
        lock (unpacking)
        {
            if (!ready.TryGetValue(name, out var folder))
            {
                ready[name] = folder = Prepare(name, log);
            }
            return folder;
        }
    }

    private static string Prepare(RuntimeName name, KernelLog? log)
    {
        var key = Text($"runtimes/{Lower(name)}.key");
        using var archive = assembly.GetManifestResourceStream(Resource(name));
        if (archive is null || key is null)
        {
            throw new WasmrunException($"this wasmrun was built without the {Display(name)} runtime")
            {
                Hint = "build Wasmrun with ./build.sh build, which builds the runtimes and embeds them",
            };
        }
        var folder = Path.Join(ConfigPaths.FromEnvironment().Cache, "runtimes", $"{Lower(name)}-{key}");
        if (Intact(folder))
        {
            return folder;
        }
        if (Directory.Exists(folder))
        {
            log?.Write(KernelEventKind.Error, null, $"the {Display(name)} runtime in {folder} does not match its manifest: unpacking it again");
        }
        Unpack(archive, folder, name);
        return folder;
    }

    public static string Display(RuntimeName name) => name.ToString();

    /// <summary>The runtime's name in resources and folders: javascript, python, lua.</summary>
    public static string Lower(RuntimeName name) => name.ToString().ToLowerInvariant();

    private static string? Text(string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource);
        return stream is null ? null : new StreamReader(stream).ReadToEnd().Trim();
    }

    /// <summary>Every file the manifest lists is there with its size.</summary>
    private static bool Intact(string folder)
    {
        var manifest = Path.Join(folder, Manifest);
        if (!File.Exists(manifest))
        {
            return false;
        }
        foreach (var line in File.ReadLines(manifest))
        {
            var tab = line.LastIndexOf('\t');
            if (tab < 0 || !long.TryParse(line[(tab + 1)..], out var size))
            {
                return false;
            }
            var file = new FileInfo(Path.Join(folder, line[..tab]));
            if (!file.Exists || file.Length != size)
            {
                return false;
            }
        }
        return true;
    }

    private static void Unpack(Stream archive, string folder, RuntimeName name)
    {
        var parent = Path.GetDirectoryName(folder)!;
        var staging = Path.Join(parent, $".{Path.GetFileName(folder)}-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(parent);
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
            Directory.CreateDirectory(staging);
            var listed = new List<string>();
            using (var brotli = new BrotliStream(archive, CompressionMode.Decompress, leaveOpen: true))
            using (var tar = new TarReader(brotli))
            {
                while (tar.GetNextEntry() is { } entry)
                {
                    var relative = entry.Name.TrimStart('.', '/');
                    if (relative.Length == 0)
                    {
                        continue;
                    }
                    var target = Path.GetFullPath(Path.Join(staging, relative));
                    if (!target.StartsWith(staging + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    {
                        throw new InvalidDataException($"{entry.Name} points outside the runtime");
                    }
                    if (entry.EntryType == TarEntryType.Directory)
                    {
                        Directory.CreateDirectory(target);
                    }
                    else if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                    {
                        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                        entry.ExtractToFile(target, overwrite: true);
                        listed.Add($"{relative}\t{entry.Length}");
                    }
                }
            }
            File.WriteAllLines(Path.Join(staging, Manifest), listed);
            archive.Position = 0;
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
            try
            {
                Directory.Move(staging, folder);
            }
            catch (IOException) when (Intact(folder))
            {
                // Another wasmrun unpacked the same runtime at the same moment: theirs is as good.
                Directory.Delete(staging, recursive: true);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new WasmrunException($"cannot unpack the {Display(name)} runtime into {folder}: {error.Message}")
            {
                Hint = $"make {parent} writable (or set {ConfigPaths.HomeVariable} to a writable folder), or free disk space",
            };
        }
    }
}
