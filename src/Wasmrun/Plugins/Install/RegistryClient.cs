// Talks to a plugin registry in the npm registry protocol (the subset in docs/plugin-registry.md): a package's
// document, its tarball, and search. Every answer is size-capped and timed, and an error says what failed without
// ever showing the body the server sent (an HTML error page is no message).
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Wasmrun.Cli;

namespace Wasmrun.Plugins.Install;

/// <summary>One version of a package as the registry describes it.</summary>
internal sealed record PackageVersion(string Name, string Version, Uri Tarball, string Integrity);

/// <summary>A search result.</summary>
internal sealed record SearchHit(string Name, string Version, string Description);

internal sealed class RegistryClient
{
    /// <summary>What `plugin search` asks for: packages carrying this keyword are Wasmrun plugins.</summary>
    public const string Keyword = "wasmrun-plugin";

    /// <summary>npm's abbreviated package document: the versions with their dist, without readmes (much smaller).</summary>
    private const string AbbreviatedDocument = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*";

    private static readonly Lazy<HttpClient> http = new(CreateHttpClient);

    private readonly Uri root;

    /// <param name="registry">The registry's base URL.</param>
    /// <param name="setting">Where the URL came from, for the error when it is not one ("--registry", or config.toml's path).</param>
    public RegistryClient(string registry, string setting)
    {
        if (Root(registry) is not { } uri)
        {
            throw new WasmrunException($"{setting}: registry '{registry}' is not an http or https URL",
                setting == "--registry" ? ExitCode.Usage : ExitCode.InvalidInput)
            {
                Hint = "use the registry's base URL, such as https://registry.npmjs.org",
            };
        }
        root = uri;
        Url = registry;
    }

    /// <summary>The registry URL as configured, for messages.</summary>
    public string Url { get; }

    public static bool IsHttp(Uri uri) => uri.Scheme is "http" or "https";

    /// <summary>A registry's base URL as the root its package paths resolve against, or null when it is not an
    /// http(s) URL (the rule config.toml's `registry` is checked by too).</summary>
    public static Uri? Root(string registry) =>
        Uri.TryCreate(registry.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && IsHttp(uri) ? uri : null;

    /// <summary>The version of `name` to install: `wanted` is an exact version or a dist-tag; null means "latest".</summary>
    public async Task<PackageVersion> ResolveAsync(string name, string? wanted, CancellationToken cancellationToken)
    {
        var address = new Uri(root, name);
        var bytes = await DownloadAsync(address, PackageLimits.MaxDocumentBytes, AbbreviatedDocument, cancellationToken,
            notFound: () => new WasmrunException($"no plugin named '{name}' in {Url}", ExitCode.Usage)
            {
                Hint = "check the name (`wasmrun plugin search WORD` lists plugins) and the registry (config.toml `registry`, or --registry)",
            }).ConfigureAwait(false);
        using var document = ParseJson(bytes, address);
        var package = document.RootElement;
        var tags = Strings(package, "dist-tags");
        var versions = package.TryGetProperty("versions", out var v) && v.ValueKind == JsonValueKind.Object ? v : default;
        var known = versions.ValueKind == JsonValueKind.Object ? versions.EnumerateObject().Select(p => p.Name).ToList() : [];
        string version;
        if (wanted is not null && SemanticVersion.TryParse(wanted) is not null)
        {
            // "v1.2.0" as npm accepts it; the registry's keys are plain versions.
            version = wanted.StartsWith('v') ? wanted[1..] : wanted;
            if (!known.Contains(version))
            {
                throw new WasmrunException($"{name} has no version {version} in {Url}", ExitCode.Usage) { Hint = Available(known, tags) };
            }
        }
        else
        {
            var tag = wanted ?? "latest";
            if (!tags.TryGetValue(tag, out var tagged) || !known.Contains(tagged))
            {
                throw new WasmrunException(wanted is null ? $"{name} in {Url} has no 'latest' version" : $"{name} has no version or dist-tag '{wanted}' in {Url}",
                    wanted is null ? ExitCode.Network : ExitCode.Usage)
                {
                    Hint = Available(known, tags) + (wanted is null ? "" : "; give an exact version (NAME@1.2.3) or a dist-tag (NAME@latest); ranges are not supported"),
                };
            }
            version = tagged;
        }
        var dist = versions.GetProperty(version).TryGetProperty("dist", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        var tarball = dist.ValueKind == JsonValueKind.Object && dist.TryGetProperty("tarball", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (tarball is null || !Uri.TryCreate(tarball, UriKind.Absolute, out var tarballUri) || !IsHttp(tarballUri))
        {
            throw new WasmrunException($"{address}: version {version} has no http(s) tarball address", ExitCode.Network)
            {
                Hint = "the registry's package document is incomplete; try again later or tell the registry's operator",
            };
        }
        var integrity = dist.TryGetProperty("integrity", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : "";
        if (!Integrity.HasSha512(integrity))
        {
            throw new WasmrunException($"{name} {version} in {Url} has no sha512 integrity hash: refused", ExitCode.InvalidInput)
            {
                Hint = "Wasmrun installs only packages it can verify; the publisher can republish with a current npm, which records sha512",
            };
        }
        return new PackageVersion(name, version, tarballUri, integrity);
    }

    /// <summary>Plugins (packages with the keyword wasmrun-plugin) matching `term`, at most 20.</summary>
    public async Task<List<SearchHit>> SearchAsync(string term, CancellationToken cancellationToken)
    {
        var text = $"keywords:{Keyword}" + (term.Length == 0 ? "" : "+" + Uri.EscapeDataString(term));
        var address = new Uri(root, $"-/v1/search?text={text}&size=20");
        var bytes = await DownloadAsync(address, PackageLimits.MaxDocumentBytes, "application/json", cancellationToken).ConfigureAwait(false);
        using var document = ParseJson(bytes, address);
        var hits = new List<SearchHit>();
        if (!document.RootElement.TryGetProperty("objects", out var objects) || objects.ValueKind != JsonValueKind.Array)
        {
            throw new WasmrunException($"{address}: the answer has no search results ('objects')", ExitCode.Network)
            {
                Hint = "the registry may not support npm's search API (/-/v1/search)",
            };
        }
        foreach (var item in objects.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("package", out var package) && package.ValueKind == JsonValueKind.Object)
            {
                var fields = Strings(package, null);
                if (fields.TryGetValue("name", out var name))
                {
                    hits.Add(new SearchHit(name, fields.GetValueOrDefault("version", ""), fields.GetValueOrDefault("description", "")));
                }
            }
        }
        return hits;
    }

    /// <summary>
    /// GETs `address` into memory, at most `maxBytes` (refused by Content-Length before reading, and by counting while
    /// reading). Within PackageLimits.HttpTimeout including the body.
    /// </summary>
    public static async Task<byte[]> DownloadAsync(Uri address, long maxBytes, string accept, CancellationToken cancellationToken, Func<WasmrunException>? notFound = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PackageLimits.HttpTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        request.Headers.Accept.ParseAdd(accept);
        try
        {
            using var response = await http.Value.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound && notFound is not null)
            {
                throw notFound();
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new WasmrunException($"{address} answered {(int)response.StatusCode} {response.ReasonPhrase}", ExitCode.Network)
                {
                    Hint = "check the address (config.toml `registry`, or --registry) and try again later",
                };
            }
            if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
            {
                throw TooLarge(address, maxBytes);
            }
            var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var data = new MemoryStream();
                var buffer = new byte[81920];
                int count;
                while ((count = await body.ReadAsync(buffer, timeout.Token).ConfigureAwait(false)) > 0)
                {
                    if (data.Length + count > maxBytes)
                    {
                        throw TooLarge(address, maxBytes);
                    }
                    data.Write(buffer, 0, count);
                }
                return data.ToArray();
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WasmrunException($"{address} did not answer within {PackageLimits.HttpTimeout.TotalSeconds:0} s", ExitCode.Network, ex)
            {
                Hint = "check the network and the address, and try again",
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new WasmrunException($"cannot fetch {address}: {ex.Message}", ExitCode.Network, ex)
            {
                Hint = "check the network and the address (config.toml `registry`, or --registry)",
            };
        }
    }

    private static WasmrunException TooLarge(Uri address, long maxBytes) =>
        new($"{address}: refused: the download is larger than {Units.Size(maxBytes)}; nothing was installed", ExitCode.InvalidInput)
        {
            Hint = "plugin packages are small; this is not one (see docs/plugin-registry.md for the limits)",
        };

    private static JsonDocument ParseJson(byte[] bytes, Uri address)
    {
        try
        {
            var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new JsonException("not an object");
            }
            return document;
        }
        catch (JsonException ex)
        {
            throw new WasmrunException($"{address} answered with something that is not a JSON object ({ex.Message})", ExitCode.Network, ex)
            {
                Hint = "check that the registry address points at an npm registry",
            };
        }
    }

    /// <summary>The string-valued properties of an object (of `element`, or of its property `name`).</summary>
    private static Dictionary<string, string> Strings(JsonElement element, string? name)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (name is not null && !element.TryGetProperty(name, out element))
        {
            return result;
        }
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String))
            {
                result[property.Name] = property.Value.GetString()!;
            }
        }
        return result;
    }

    /// <summary>The newest versions and the dist-tags, for a hint.</summary>
    private static string Available(List<string> versions, Dictionary<string, string> tags)
    {
        var newest = versions.Select(SemanticVersion.TryParse).OfType<SemanticVersion>().OrderDescending().Take(10).Select(v => v.ToString());
        var tagList = tags.Select(t => UntrustedText.Printable($"{t.Key} → {t.Value}"));
        return $"versions: {(versions.Count == 0 ? "none" : string.Join(", ", newest))}; dist-tags: {(tags.Count == 0 ? "none" : string.Join(", ", tagList))}";
    }

    private static HttpClient CreateHttpClient()
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            MaxAutomaticRedirections = 5,
        };
        // Timeout is per request in DownloadAsync (HttpClient's own would not cover reading the body).
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("wasmrun", AppVersion.Text));
        return client;
    }
}
