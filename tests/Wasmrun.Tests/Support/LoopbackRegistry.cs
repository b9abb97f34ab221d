// A plugin registry on 127.0.0.1 for tests, speaking the npm registry subset Wasmrun uses (package documents,
// tarballs, search), and NpmPackage, which packs npm-style .tgz packages. Knobs serve hostile packages: a wrong or
// missing integrity, tar entries that escape or link, oversized bodies, error pages.
using System.Collections.Concurrent;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Wasmrun.Tests.Support;

/// <summary>A version as the registry serves it.</summary>
internal sealed record PublishedVersion(string Name, string Version, byte[] Tarball, string Integrity, string TarballUrl, PublishOptions Options);

/// <summary>How to serve one version; the defaults are an honest registry's.</summary>
internal sealed record PublishOptions
{
    /// <summary>The integrity the package document claims: null for the tarball's real sha512, "" to leave it out.</summary>
    public string? Integrity { get; init; }

    /// <summary>Tar entries appended after the package's files (the attacks in NpmPackage).</summary>
    public IReadOnlyList<TarEntry> ExtraEntries { get; init; } = [];

    /// <summary>Serve this many zero bytes as the tarball's body instead of the tarball.</summary>
    public long? BodyBytes { get; init; }

    /// <summary>With BodyBytes: announce the size in Content-Length (else the body is chunked, its size unknown).</summary>
    public bool AnnounceLength { get; init; } = true;

    /// <summary>The dist-tags that point at this version.</summary>
    public IReadOnlyList<string> Tags { get; init; } = ["latest"];

    public string Description { get; init; } = "";

    public IReadOnlyList<string> Keywords { get; init; } = ["wasmrun-plugin"];
}

internal sealed class LoopbackRegistry : IAsyncDisposable
{
    private readonly HttpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task serving;
    private readonly Dictionary<string, List<PublishedVersion>> packages = [];
    private readonly ConcurrentQueue<string> requests = new();

    private LoopbackRegistry(HttpListener listener, string url)
    {
        this.listener = listener;
        Url = url;
        serving = Task.Run(ServeAsync);
    }

    /// <summary>"http://127.0.0.1:PORT/", what config.toml's `registry` gets.</summary>
    public string Url { get; }

    /// <summary>Every request's path and query, in arrival order.</summary>
    public IReadOnlyCollection<string> Requests => requests;

    /// <summary>When set, every request is answered with this status and an HTML error page.</summary>
    public HttpStatusCode? FailWith { get; set; }

    /// <summary>Starts on a free loopback port.</summary>
    public static LoopbackRegistry Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            var url = $"http://127.0.0.1:{port}/";
            listener.Prefixes.Add(url);
            try
            {
                listener.Start();
                return new LoopbackRegistry(listener, url);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Another process took the port between the probe and Start: try another.
                listener.Close();
            }
        }
    }

    /// <summary>Publishes a package made of text files (paths relative to the package, '/'-separated).</summary>
    public PublishedVersion Publish(string name, string version, IReadOnlyDictionary<string, string> files, PublishOptions? options = null)
    {
        options ??= new PublishOptions();
        return PublishTarball(name, version, NpmPackage.Pack(files, options.ExtraEntries), options);
    }

    /// <summary>Publishes the files of a folder.</summary>
    public PublishedVersion PublishFolder(string name, string version, string folder, PublishOptions? options = null) =>
        Publish(name, version, NpmPackage.ReadFolder(folder), options);

    /// <summary>Publishes a tarball as it is.</summary>
    public PublishedVersion PublishTarball(string name, string version, byte[] tarball, PublishOptions? options = null)
    {
        options ??= new PublishOptions();
        var published = new PublishedVersion(name, version, tarball, options.Integrity ?? NpmPackage.Integrity(tarball),
            $"{Url}{name}/-/{name}-{version}.tgz", options);
        lock (packages)
        {
            if (!packages.TryGetValue(name, out var versions))
            {
                packages[name] = versions = [];
            }
            versions.RemoveAll(v => v.Version == version);
            versions.Add(published);
        }
        return published;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Close();
        await serving;
        stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                // Stop() does not end a pending GetContextAsync: the wait ends with the stop token instead.
                context = await listener.GetContextAsync().WaitAsync(stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => Answer(context));
        }
    }

    private async Task Answer(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var request = context.Request.Url!;
            requests.Enqueue(request.PathAndQuery);
            if (FailWith is { } status)
            {
                await Send(response, (int)status, "text/html", "<!DOCTYPE html><html><body><h1>Registry on fire</h1><p>secret stack trace</p></body></html>");
                return;
            }
            var path = Uri.UnescapeDataString(request.AbsolutePath).Trim('/').Split('/');
            switch (path)
            {
                case ["-", "v1", "search"]:
                    await Send(response, 200, "application/json", Search(context.Request.QueryString["text"] ?? "", int.Parse(context.Request.QueryString["size"] ?? "20")));
                    break;
                case [var name, "-", var file] when Find(name, file) is { } version:
                    await SendTarball(response, version);
                    break;
                case [var name] when Document(name) is { } document:
                    await Send(response, 200, "application/json", document);
                    break;
                default:
                    await Send(response, 404, "application/json", """{"error":"Not found"}""");
                    break;
            }
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client hung up (Wasmrun stops reading an oversized body): nothing to answer.
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // Same: the connection is gone.
            }
        }
    }

    private PublishedVersion? Find(string name, string file)
    {
        lock (packages)
        {
            return packages.GetValueOrDefault(name)?.Find(v => file == $"{name}-{v.Version}.tgz");
        }
    }

    /// <summary>The package document (npm's "packument"), as the abbreviated form has it plus description and keywords.</summary>
    private string? Document(string name)
    {
        lock (packages)
        {
            if (!packages.TryGetValue(name, out var versions))
            {
                return null;
            }
            var tags = new JsonObject();
            var byVersion = new JsonObject();
            foreach (var version in versions)
            {
                foreach (var tag in version.Options.Tags)
                {
                    tags[tag] = version.Version;
                }
                var dist = new JsonObject
                {
                    ["tarball"] = version.TarballUrl,
                    // npm's legacy hash, which Wasmrun must not accept on its own (hence no CA5350 concern: it is served, not trusted)
#pragma warning disable CA5350
                    ["shasum"] = Convert.ToHexStringLower(SHA1.HashData(version.Tarball)),
#pragma warning restore CA5350
                };
                if (version.Integrity.Length > 0)
                {
                    dist["integrity"] = version.Integrity;
                }
                byVersion[version.Version] = new JsonObject
                {
                    ["name"] = name,
                    ["version"] = version.Version,
                    ["description"] = version.Options.Description,
                    ["keywords"] = new JsonArray([.. version.Options.Keywords.Select(k => JsonValue.Create(k))]),
                    ["dist"] = dist,
                };
            }
            return new JsonObject { ["name"] = name, ["dist-tags"] = tags, ["versions"] = byVersion }.ToJsonString();
        }
    }

    /// <summary>npm's search: "keywords:K" words filter by keyword, other words must occur in the name, description or
    /// keywords; each package appears once, with its latest version.</summary>
    private string Search(string text, int size)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var objects = new JsonArray();
        lock (packages)
        {
            foreach (var (name, versions) in packages.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var latest = versions.FindLast(v => v.Options.Tags.Contains("latest")) ?? versions[^1];
                var keywords = latest.Options.Keywords;
                var matches = words.All(word => word.StartsWith("keywords:", StringComparison.Ordinal)
                    ? keywords.Contains(word["keywords:".Length..])
                    : name.Contains(word, StringComparison.OrdinalIgnoreCase) || latest.Options.Description.Contains(word, StringComparison.OrdinalIgnoreCase)
                        || keywords.Any(k => k.Contains(word, StringComparison.OrdinalIgnoreCase)));
                if (matches && objects.Count < size)
                {
                    objects.Add(new JsonObject
                    {
                        ["package"] = new JsonObject
                        {
                            ["name"] = name,
                            ["version"] = latest.Version,
                            ["description"] = latest.Options.Description,
                            ["keywords"] = new JsonArray([.. keywords.Select(k => JsonValue.Create(k))]),
                        },
                        ["score"] = new JsonObject { ["final"] = 1.0 },
                        ["searchScore"] = 1.0,
                    });
                }
            }
        }
        return new JsonObject { ["objects"] = objects, ["total"] = objects.Count, ["time"] = DateTime.UtcNow.ToString("R") }.ToJsonString();
    }

    private static async Task SendTarball(HttpListenerResponse response, PublishedVersion version)
    {
        response.StatusCode = 200;
        response.ContentType = "application/octet-stream";
        if (version.Options.BodyBytes is not { } size)
        {
            response.ContentLength64 = version.Tarball.Length;
            await response.OutputStream.WriteAsync(version.Tarball);
            return;
        }
        if (version.Options.AnnounceLength)
        {
            response.ContentLength64 = size;
        }
        else
        {
            response.SendChunked = true;
        }
        var chunk = new byte[64 * 1024];
        for (long sent = 0; sent < size; sent += chunk.Length)
        {
            await response.OutputStream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, size - sent)));
        }
    }

    private static async Task Send(HttpListenerResponse response, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    }
}

/// <summary>npm-style packages: a gzip-compressed tar with every file under "package/"; sample plugins; attack entries.</summary>
internal static class NpmPackage
{
    public static byte[] Pack(IReadOnlyDictionary<string, string> files, IEnumerable<TarEntry>? extraEntries = null) =>
        Pack(files.ToDictionary(f => f.Key, f => Encoding.UTF8.GetBytes(f.Value)), extraEntries);

    public static byte[] Pack(IReadOnlyDictionary<string, byte[]> files, IEnumerable<TarEntry>? extraEntries = null)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "package/" + path) { DataStream = new MemoryStream(content) });
            }
            foreach (var entry in extraEntries ?? [])
            {
                tar.WriteEntry(entry);
            }
        }
        return output.ToArray();
    }

    /// <summary>npm's integrity string for some bytes: "sha512-" and the base64 of their SHA-512.</summary>
    public static string Integrity(byte[] data) => "sha512-" + Convert.ToBase64String(SHA512.HashData(data));

    /// <summary>The text files of a folder, by '/'-separated relative path.</summary>
    public static Dictionary<string, string> ReadFolder(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllText);

    /// <summary>A small valid plugin: a manifest with a tool, permissions and a template, its script, a package.json.</summary>
    public static Dictionary<string, string> SamplePlugin(string name, string version, string description = "A demo language plugin") => new()
    {
        ["package.json"] = $$"""{ "name": "{{name}}", "version": "{{version}}", "keywords": ["wasmrun-plugin"] }""",
        ["wasmrun.toml"] = $"""
            api = 1

            [plugin]
            name = "{name}"
            version = "{version}"
            description = "{description}"
            author = "Test Author"
            license = "MIT"
            languages = ["demo"]
            extensions = ["demo"]
            entry = "plugin.js"

            [detect]
            markers = ["demo.toml"]

            [[tools]]
            name = "Demo compiler"
            programs = ["democc-not-installed"]
            hint = "install democc from example.org"

            [permissions]
            run = ["democc-not-installed"]
            env = ["DEMO_HOME"]

            [build]
            targets = ["wasm", "wasi"]

            [[templates]]
            name = "demo"
            description = "A demo project"
            path = "templates/demo"
            """,
        ["plugin.js"] = "export function build(ctx) { return { wasm: 'out.wasm' }; }\n",
        ["templates/demo/main.demo"] = "print 42\n",
    };

    /// <summary>A file entry whose path climbs out of the package.</summary>
    public static TarEntry Traversal(string path = "package/../../escaped.txt") =>
        new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream("escaped"u8.ToArray()) };

    /// <summary>A file entry with an absolute path.</summary>
    public static TarEntry Absolute(string path) =>
        new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream("absolute"u8.ToArray()) };

    /// <summary>A file entry beside package/ instead of in it.</summary>
    public static TarEntry OutsidePackage() =>
        new PaxTarEntry(TarEntryType.RegularFile, "other/file.txt") { DataStream = new MemoryStream("outside"u8.ToArray()) };

    public static TarEntry Symlink(string target = "/etc/passwd") =>
        new PaxTarEntry(TarEntryType.SymbolicLink, "package/link") { LinkName = target };

    public static TarEntry HardLink(string target = "/etc/passwd") =>
        new PaxTarEntry(TarEntryType.HardLink, "package/hard") { LinkName = target };

    public static TarEntry Device() =>
        new PaxTarEntry(TarEntryType.CharacterDevice, "package/zero") { DeviceMajor = 1, DeviceMinor = 5 };

    public static TarEntry Fifo() => new PaxTarEntry(TarEntryType.Fifo, "package/pipe");

    /// <summary>A file of `size` zero bytes: compresses to almost nothing, unpacks to `size`.</summary>
    public static TarEntry Zeros(string path, long size) =>
        new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new ZeroStream(size) };

    /// <summary>Reads as `length` zero bytes without holding them.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long position;

        public override bool CanRead => true;

        // Seekable because TarWriter reads the entry's size from Length and Position.
        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => position;
            set => position = value;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - position);
            Array.Clear(buffer, offset, n);
            position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            _ => length + offset,
        };

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
