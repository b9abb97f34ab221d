// A folder of the files embedded in the binary: the resources whose names start with one prefix ("templates/pages/",
// "bundled/wasmrust/"), read by '/'-separated paths relative to it. Wasmrun.csproj names the resources.
using System.Reflection;

namespace Wasmrun.Templates;

internal sealed class EmbeddedFolder(string prefix)
{
    private static readonly Assembly assembly = typeof(EmbeddedFolder).Assembly;

    /// <summary>Every resource by its '/'-separated name (a build on Windows names them with '\').</summary>
    private static readonly Dictionary<string, string> resources = assembly.GetManifestResourceNames()
        .ToDictionary(Normalize, name => name, StringComparer.Ordinal);

    /// <summary>Every embedded file whose '/'-separated name starts with `start`, by that name.</summary>
    public static IEnumerable<string> Names(string start) => resources.Keys.Where(name => name.StartsWith(start, StringComparison.Ordinal));

    /// <summary>A file's bytes, or null when the folder has no such file.</summary>
    public byte[]? Read(string path)
    {
        if (!resources.TryGetValue(prefix + Normalize(path), out var resource))
        {
            return null;
        }
        using var stream = assembly.GetManifestResourceStream(resource)!;
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Every file under `folder` ("" for all), as paths relative to this folder, sorted.</summary>
    public IReadOnlyList<string> List(string folder)
    {
        var start = folder.Length == 0 ? prefix : prefix + Normalize(folder).TrimEnd('/') + "/";
        return [.. Names(start).Select(name => name[prefix.Length..]).Order(StringComparer.Ordinal)];
    }

    private static string Normalize(string path) => path.Replace('\\', '/').TrimStart('/');
}
