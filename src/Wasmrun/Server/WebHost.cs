// The HTTP side both servers share (`wasmrun run`'s dev server, `wasmrun os`'s OS server): Kestrel (AOT-clean,
// keep-alive, WebSockets, graceful shutdown) with one request handler of the server's own behind the checks every
// route needs. Binds loopback unless told otherwise, moves to the next free port when the asked one is taken (unless
// --strict-port), refuses Host headers that are not this machine's while bound to loopback (DNS rebinding) and
// WebSocket connections from other origins, and answers `wasmrun stop` on the control endpoint with its token.
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Wasmrun.Server;

/// <param name="Host">The address to bind, as given: 127.0.0.1 (default), localhost, ::1, 0.0.0.0, or another of this machine's.</param>
/// <param name="Address">The address parsed.</param>
/// <param name="Port">The port to try first; 0 for any free one.</param>
/// <param name="StrictPort">Fail when the port is taken instead of trying the next ones.</param>
/// <param name="CrossOriginIsolate">Send COOP/COEP headers (SharedArrayBuffer, threads).</param>
internal sealed record ServerOptions(string Host, IPAddress Address, int Port, bool StrictPort, bool CrossOriginIsolate)
{
    /// <summary>The options from the command line; a --host that is not an address is a usage error, before any build.</summary>
    public static ServerOptions Parse(string host, int port, bool strictPort, bool crossOriginIsolate)
    {
        var address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed
            : throw new WasmrunException($"--host {host}: not an IP address", ExitCode.Usage)
            {
                Hint = "give an address of this machine: 127.0.0.1 (the default), ::1, or 0.0.0.0 for every interface",
            };
        if (port is < 0 or > IPEndPoint.MaxPort)
        {
            throw new WasmrunException($"--port {port}: not a port", ExitCode.Usage) { Hint = "give a port from 1 to 65535, or 0 for any free one" };
        }
        return new ServerOptions(host, address, port, strictPort, crossOriginIsolate);
    }
}

internal sealed class WebHost : IAsyncDisposable
{
    /// <summary>How many ports after the asked one are tried before giving up.</summary>
    public const int PortAttempts = 20;

    /// <summary>The prefix of the server's own routes; everything else is the served project's.</summary>
    public const string Internal = "/_wasmrun/";

    private const string ControlStop = Internal + "control/stop";

    private readonly ServerOptions options;
    private readonly Func<HttpContext, Task> handle;
    private readonly CancellationTokenSource stopRequested = new();
    private WebApplication? app;

    private WebHost(ServerOptions options, Func<HttpContext, Task> handle)
    {
        this.options = options;
        this.handle = handle;
    }

    /// <summary>The secret `wasmrun stop` sends (from the server's record) to shut this server down.</summary>
    public string Token { get; } = ServerRecords.NewToken();

    public int Port { get; private set; }

    /// <summary>The address to open in a browser (loopback when bound to every interface).</summary>
    public string Url => $"http://{UrlHost}:{Port}/";

    /// <summary>True when other machines can connect (not bound to loopback).</summary>
    public bool IsExposed => !IPAddress.IsLoopback(options.Address);

    /// <summary>Cancelled when a client asked the server to stop through the control endpoint.</summary>
    public CancellationToken StopRequested => stopRequested.Token;

    private string UrlHost =>
        options.Address.Equals(IPAddress.Any) ? "127.0.0.1"
        : options.Address.Equals(IPAddress.IPv6Any) ? "[::1]"
        : options.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{options.Address}]"
        : options.Address.ToString();

    /// <summary>Starts listening, with `handle` answering every request that passed the checks; `moved` is told when
    /// the asked port was taken and another one is used.</summary>
    public static async Task<WebHost> StartAsync(ServerOptions options, Func<HttpContext, Task> handle, Action<int, int> moved)
    {
        var host = new WebHost(options, handle);
        for (var attempt = 0; ; attempt++)
        {
            var port = options.Port == 0 ? 0 : options.Port + attempt;
            var app = host.Create(port);
            try
            {
                await app.StartAsync().ConfigureAwait(false);
                host.app = app;
                host.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
                if (attempt > 0)
                {
                    moved(options.Port, host.Port);
                }
                return host;
            }
            catch (IOException ex) when (ex.InnerException is AddressInUseException)
            {
                await app.DisposeAsync().ConfigureAwait(false);
                if (options.StrictPort || options.Port == 0 || attempt + 1 >= PortAttempts || port >= IPEndPoint.MaxPort)
                {
                    throw new WasmrunException(
                        options.StrictPort ? $"port {port} is in use" : $"ports {options.Port} to {port} are in use", ExitCode.AddressUnavailable)
                    {
                        Hint = options.StrictPort
                            ? "stop what uses it (`wasmrun stop` for a Wasmrun server), choose another with --port, or leave out --strict-port to take the next free one"
                            : "choose another with --port, or --port 0 for any free port",
                    };
                }
            }
            // Kestrel wraps some bind failures (a privileged port) in IOException and throws others (an address
            // that is not this machine's) as they are
            catch (Exception ex) when (ex is IOException or SocketException)
            {
                await app.DisposeAsync().ConfigureAwait(false);
                var reason = ex is IOException { InnerException: { } inner } ? inner.Message : ex.Message;
                throw new WasmrunException($"cannot listen on {options.Host} port {port}: {reason}", ExitCode.AddressUnavailable)
                {
                    Hint = port is > 0 and < 1024 ? "ports below 1024 need privileges: choose one from 1024 up with --port" : "check --host: it must be an address of this machine",
                };
            }
        }
    }

    /// <summary>Stops accepting and lets running requests finish (at most 5 s); the owner says goodbye to its
    /// sockets first.</summary>
    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(timeout.Token).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
        stopRequested.Dispose();
    }

    /// <summary>The WebSocket of a request to a WebSocket route, or null when it was refused (and answered): not a
    /// WebSocket request, or from a page of another origin, which must not listen in or send commands (browsers
    /// always send Origin; other clients are not pages).</summary>
    public static async Task<WebSocket?> AcceptWebSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Text(context.Response, StatusCodes.Status400BadRequest, "a WebSocket endpoint").ConfigureAwait(false);
            return null;
        }
        if (!IsOwnOrigin(context.Request))
        {
            await Text(context.Response, StatusCodes.Status403Forbidden, "WebSocket connections only from this server's own pages").ConfigureAwait(false);
            return null;
        }
        return await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
    }

    /// <summary>No Origin (not a browser), or this server's own.</summary>
    public static bool IsOwnOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || origin == $"{request.Scheme}://{request.Host}";
    }

    /// <summary>One of the page's own files (ui/dist), or a 404.</summary>
    public static Task Embedded(HttpResponse response, string name) =>
        UiAssets.Read(name) is { } bytes
            ? Bytes(response, StaticFiles.MimeType(name), bytes)
            : Text(response, StatusCodes.Status404NotFound, "not found");

    public static async Task Bytes(HttpResponse response, string type, byte[] bytes)
    {
        response.ContentType = type;
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes).ConfigureAwait(false);
    }

    public static Task Text(HttpResponse response, int status, string text)
    {
        response.StatusCode = status;
        return Bytes(response, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text + "\n"));
    }

    private WebApplication Create(int port)
    {
        // The empty builder: no appsettings.json, environment or command-line configuration (a project's own
        // appsettings.json must not reconfigure our server), no logging providers.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "wasmrun" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Address, port);
        });
        var web = builder.Build();
        web.UseWebSockets();
        web.Run(HandleAsync);
        return web;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        if (options.CrossOriginIsolate)
        {
            response.Headers["Cross-Origin-Opener-Policy"] = "same-origin";
            response.Headers["Cross-Origin-Embedder-Policy"] = "require-corp";
        }
        if (!IsHostAllowed(context.Request.Host))
        {
            await Text(response, StatusCodes.Status403Forbidden, "this server answers only to its own address (localhost)").ConfigureAwait(false);
            return;
        }
        if (context.Request.Path.Value == ControlStop)
        {
            await StopAsync(context).ConfigureAwait(false);
            return;
        }
        await handle(context).ConfigureAwait(false);
    }

    private async Task StopAsync(HttpContext context)
    {
        var given = context.Request.Headers[ServerRecords.TokenHeader].ToString();
        if (!HttpMethods.IsPost(context.Request.Method)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(Token)))
        {
            await Text(context.Response, StatusCodes.Status403Forbidden, "stopping the server needs its token (wasmrun stop)").ConfigureAwait(false);
            return;
        }
        await Text(context.Response, StatusCodes.Status202Accepted, "stopping").ConfigureAwait(false);
        await stopRequested.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>While bound to loopback, only names of this machine: a page on another site cannot reach us through
    /// a DNS name it points at 127.0.0.1 (DNS rebinding).</summary>
    private bool IsHostAllowed(HostString host)
    {
        if (IsExposed)
        {
            return true;
        }
        var name = host.Host.Trim('[', ']');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(name, out var ip) && IPAddress.IsLoopback(ip));
    }
}
