// The playground's files (ui/dist, built by npm and embedded as resources "ui/FILE"): index.html, app.js, app.css,
// session-worker.js (the instance export calls run in) and wasi-worker.js (a WASI program's run), both off the page's
// thread, reload.js and favicon.svg, each read on first use and kept.
using System.Reflection;

namespace Wasmrun.Server;

internal static class UiAssets
{
    private const string Prefix = "ui/";

    private static readonly Assembly assembly = typeof(UiAssets).Assembly;

    private static readonly Dictionary<string, Lazy<byte[]>> files = assembly.GetManifestResourceNames()
        .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal))
        .ToDictionary(name => name[Prefix.Length..], name => new Lazy<byte[]>(() => ReadResource(name)), StringComparer.Ordinal);

    /// <summary>The file's bytes, or null when the binary has no such file.</summary>
    public static byte[]? Read(string name) => files.TryGetValue(name, out var file) ? file.Value : null;

    private static byte[] ReadResource(string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
