// The playground's files (ui/dist, built by npm and embedded as resources "ui/FILE"): index.html, app.js, app.css,
// session-worker.js (the instance export calls run in) and wasi-worker.js (a WASI program's run), both off the page's
// thread, reload.js and favicon.svg, each read on first use and kept.
using Wasmrun.Templates;

namespace Wasmrun.Server;

internal static class UiAssets
{
    private static readonly EmbeddedFolder folder = new("ui/");

    private static readonly Dictionary<string, Lazy<byte[]>> files = folder.List("")
        .ToDictionary(name => name, name => new Lazy<byte[]>(() => folder.Read(name)!), StringComparer.Ordinal);

    /// <summary>The file's bytes, or null when the binary has no such file.</summary>
    public static byte[]? Read(string name) => files.TryGetValue(name, out var file) ? file.Value : null;
}
