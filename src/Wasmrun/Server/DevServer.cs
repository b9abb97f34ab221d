// The dev server's routes (docs/dev-server.md has them): the playground or the project's own page, the state, the
// module, the project's files and the live-reload socket, behind the checks and the Kestrel setup it shares with the
// OS server (WebHost).
using System.Text;
using Microsoft.AspNetCore.Http;
using Wasmrun.Plugins;

namespace Wasmrun.Server;

internal sealed class DevServer : IAsyncDisposable
{
    private const string Internal = WebHost.Internal;

    private readonly DevSession session;
    private readonly CancellationTokenSource stopping = new();
    private WebHost? host;

    private DevServer(DevSession session)
    {
        this.session = session;
        session.Changed += Live.Broadcast;
    }

    public LiveReload Live { get; } = new();

    public WebHost Host => host!;

    /// <summary>Starts listening; `moved` is told when the asked port was taken and another one is used.</summary>
    public static async Task<DevServer> StartAsync(DevSession session, ServerOptions options, Action<int, int> moved)
    {
        var server = new DevServer(session);
        try
        {
            server.host = await WebHost.StartAsync(options, server.HandleAsync, moved).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return server;
    }

    /// <summary>Stops accepting, says goodbye to the pages, and lets running requests finish (at most 5 s).</summary>
    public async ValueTask DisposeAsync()
    {
        session.Changed -= Live.Broadcast;
        await stopping.CancelAsync().ConfigureAwait(false);
        if (host is not null)
        {
            await Live.CloseAllAsync().ConfigureAwait(false);
            await host.DisposeAsync().ConfigureAwait(false);
        }
        stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Path.Value ?? "/";
        if (path == Internal + "ws")
        {
            await WebSocketAsync(context).ConfigureAwait(false);
            return;
        }
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.Headers.Allow = "GET, HEAD";
            await Text(response, StatusCodes.Status405MethodNotAllowed, "method not allowed").ConfigureAwait(false);
            return;
        }
        var current = session.Current;
        switch (path)
        {
            case "/":
                await IndexAsync(response, current).ConfigureAwait(false);
                return;
            case Internal + "api/state":
                await Bytes(response, "application/json", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(session.State(), ServerJsonContext.Default.ServerState)).ConfigureAwait(false);
                return;
            case Internal + "api/module" when current is not null:
                await Bytes(response, "application/json", Encoding.UTF8.GetBytes(current.ReportJson)).ConfigureAwait(false);
                return;
            case Internal + "module.wasm" when current is not null:
                await Bytes(response, "application/wasm", current.Wasm).ConfigureAwait(false);
                return;
            case Internal + "reload.js":
                await Embedded(response, "reload.js").ConfigureAwait(false);
                return;
        }
        if (path.StartsWith(Internal + "ui/", StringComparison.Ordinal))
        {
            await Embedded(response, path[(Internal.Length + 3)..]).ConfigureAwait(false);
            return;
        }
        var file = path.StartsWith(Internal, StringComparison.Ordinal) || current is null ? null : StaticFiles.Resolve(current.Roots, path);
        if (file is not null)
        {
            await FileAsync(response, file).ConfigureAwait(false);
        }
        else if (path == "/favicon.ico")
        {
            // Browsers ask every page for one; a project without its own gets ours instead of a 404 in its console.
            await Embedded(response, "favicon.svg").ConfigureAwait(false);
        }
        else
        {
            await Text(response, StatusCodes.Status404NotFound, "not found").ConfigureAwait(false);
        }
    }

    private static async Task IndexAsync(HttpResponse response, ServedBuild? current)
    {
        if (current is null || current.Mode == PageMode.Playground)
        {
            await Embedded(response, "index.html").ConfigureAwait(false);
            return;
        }
        if (current.GluePage is { } glue)
        {
            await Bytes(response, StaticFiles.MimeType(".html"), Encoding.UTF8.GetBytes(glue)).ConfigureAwait(false);
            return;
        }
        var page = current.Page!;
        var root = current.Roots.First(r => SandboxScope.IsInside(page, r));
        var relative = Path.GetRelativePath(root, page).Replace('\\', '/');
        if (relative == "index.html")
        {
            await FileAsync(response, page).ConfigureAwait(false);
            return;
        }
        // A page deeper down: its relative links must resolve against its own folder.
        response.Redirect("/" + string.Join('/', relative.Split('/').Select(Uri.EscapeDataString)));
    }

    private static async Task FileAsync(HttpResponse response, string file)
    {
        var type = StaticFiles.MimeType(file);
        if (type.StartsWith("text/html", StringComparison.Ordinal))
        {
            var html = AppPages.InjectReloadClient(await File.ReadAllTextAsync(file).ConfigureAwait(false));
            await Bytes(response, type, Encoding.UTF8.GetBytes(html)).ConfigureAwait(false);
            return;
        }
        response.ContentType = type;
        response.ContentLength = new FileInfo(file).Length;
        await response.SendFileAsync(file).ConfigureAwait(false);
    }

    private async Task WebSocketAsync(HttpContext context)
    {
        using var socket = await WebHost.AcceptWebSocketAsync(context).ConfigureAwait(false);
        if (socket is not null)
        {
            await Live.ServeAsync(socket, new ServerEvent(ServerEventType.State, session.State(), null), stopping.Token).ConfigureAwait(false);
        }
    }

    private static Task Embedded(HttpResponse response, string name) => WebHost.Embedded(response, name);

    private static Task Bytes(HttpResponse response, string type, byte[] bytes) => WebHost.Bytes(response, type, bytes);

    private static Task Text(HttpResponse response, int status, string text) => WebHost.Text(response, status, text);
}
