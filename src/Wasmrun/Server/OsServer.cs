// The OS server's routes (docs/os.md, "The OS page and server"): the page, one WebSocket that sends a snapshot of
// the kernel and then its events live and takes the page's requests (spawn, kill, restart, stdin), and the file
// browser over the processes' mounts (OsFiles); behind the checks and the Kestrel setup it shares with the dev
// server (WebHost). Each socket has a queue of its own: a page that cannot keep up with the output is disconnected
// and reconnects to a fresh snapshot instead of making the server hold every chunk for it.
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Wasmrun.Cli;
using Wasmrun.Os;
using Wasmrun.Templates;
using Wasmrun.Wasi;

namespace Wasmrun.Server;

internal sealed class OsServer : IAsyncDisposable
{
    private const string Internal = WebHost.Internal;

    /// <summary>Events a socket may have waiting; past this the page is disconnected (it reconnects to a snapshot).</summary>
    private const int QueueLimit = 4096;

    /// <summary>Output chunks of one process and stream waiting together go out as one message of at most this many characters.</summary>
    private const int CoalescedChars = 64 * 1024;

    /// <summary>The largest request a page sends (a line of stdin, a command).</summary>
    private const int RequestLimit = 256 * 1024;

    private readonly Kernel kernel;
    private readonly OsProject project;
    private readonly OsFiles files;
    private readonly string instance = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
    private readonly Lock gate = new();
    private readonly List<Client> clients = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly Timer ticker;
    private WebHost? host;

    private OsServer(Kernel kernel, OsProject project, IEnumerable<Preopen> mounts)
    {
        this.kernel = kernel;
        this.project = project;
        files = new OsFiles(mounts);
        kernel.Events += Broadcast;
        ticker = new Timer(_ => Tick(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public WebHost Host => host!;

    /// <summary>The project's main process, once spawned: the snapshot names it, so the page selects it first.</summary>
    public int MainPid { get; set; }

    /// <summary>Starts listening; `moved` is told when the asked port was taken and another one is used.</summary>
    public static async Task<OsServer> StartAsync(Kernel kernel, OsProject project, IEnumerable<Preopen> mounts, ServerOptions options, Action<int, int> moved)
    {
        var server = new OsServer(kernel, project, mounts);
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

    /// <summary>Starts a command as the page would: `node tool.js`, `python main.py`, a .wasm file of the project.</summary>
    public OsProcess Spawn(ProcessSpec spec)
    {
        files.Add(spec.Mounts);
        return kernel.Spawn(spec);
    }

    /// <summary>Stops accepting, says goodbye to the pages (they reconnect to the next server), lets requests finish.</summary>
    public async ValueTask DisposeAsync()
    {
        kernel.Events -= Broadcast;
        await ticker.DisposeAsync().ConfigureAwait(false);
        List<Client> open;
        lock (gate)
        {
            open = [.. clients];
        }
        foreach (var client in open)
        {
            client.Queue.Writer.TryComplete();
        }
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            try
            {
                await Task.WhenAll(open.Select(c => c.Sent)).WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // A page that does not read: Kestrel's shutdown below ends its connection.
            }
        }
        await stopping.CancelAsync().ConfigureAwait(false);
        if (host is not null)
        {
            await host.DisposeAsync().ConfigureAwait(false);
        }
        stopping.Dispose();
    }

    /// <summary>Everything the page shows, and the output chunks in it (to skip them if their events follow).</summary>
    public (OsSnapshot Snapshot, List<KernelEvent.Output> Chunks) Snapshot()
    {
        var processes = kernel.Processes;
        var chunks = processes.SelectMany(p => kernel.OutputOf(p.Pid)).ToList();
        var snapshot = new OsSnapshot(
            AppVersion.Text, project.Name, instance, LowercaseEnum.Name(project.Language), project.Entry.Replace('\\', '/'), MainPid,
            OsStatus.Of(kernel.Status), [.. processes.Select(OsProcessView.Of)], [.. chunks.Select(c => new OsOutput(c.Pid, c.Stream, c.Text))],
            [.. kernel.Log.Recent], [.. files.Mounts.Select(m => new OsMount(m.GuestPath, !m.ReadOnly))]);
        return (snapshot, chunks);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Path.Value ?? "/";
        if (path == Internal + "ws")
        {
            await SocketAsync(context).ConfigureAwait(false);
            return;
        }
        if (path == Internal + "api/file" && HttpMethods.IsPut(request.Method))
        {
            await UploadAsync(context).ConfigureAwait(false);
            return;
        }
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.Headers.Allow = path == Internal + "api/file" ? "GET, HEAD, PUT" : "GET, HEAD";
            await WebHost.Text(response, StatusCodes.Status405MethodNotAllowed, "method not allowed").ConfigureAwait(false);
            return;
        }
        switch (path)
        {
            case "/" or "/index.html":
                var page = TemplateText.Fill(TemplateFiles.Page("os.html"), new Dictionary<string, string> { ["title"] = WebUtility.HtmlEncode(project.Name) });
                await WebHost.Bytes(response, StaticFiles.MimeType(".html"), Encoding.UTF8.GetBytes(page)).ConfigureAwait(false);
                return;
            case Internal + "api/os":
                await WebHost.Bytes(response, "application/json", JsonSerializer.SerializeToUtf8Bytes(Snapshot().Snapshot, ServerJsonContext.Default.OsSnapshot)).ConfigureAwait(false);
                return;
            case Internal + "api/files":
                await FileRequestAsync(response, async () =>
                {
                    var listing = files.List(request.Query["path"].ToString() is { Length: > 0 } folder ? folder : "/");
                    await WebHost.Bytes(response, "application/json", JsonSerializer.SerializeToUtf8Bytes(listing, ServerJsonContext.Default.OsDirectory)).ConfigureAwait(false);
                }).ConfigureAwait(false);
                return;
            case Internal + "api/file":
                await FileRequestAsync(response, () => files.SendAsync(response, request.Query["path"].ToString(), request.Query["download"] == "1")).ConfigureAwait(false);
                return;
            case "/favicon.ico":
                await WebHost.Embedded(response, "favicon.svg").ConfigureAwait(false);
                return;
        }
        if (path.StartsWith(Internal + "ui/", StringComparison.Ordinal))
        {
            await WebHost.Embedded(response, path[(Internal.Length + 3)..]).ConfigureAwait(false);
            return;
        }
        await WebHost.Text(response, StatusCodes.Status404NotFound, "not found").ConfigureAwait(false);
    }

    private async Task UploadAsync(HttpContext context)
    {
        // A page of another site may not write into the processes' files (PUT needs a preflight we never grant, but
        // the check does not rely on the browser).
        if (!WebHost.IsOwnOrigin(context.Request))
        {
            await WebHost.Text(context.Response, StatusCodes.Status403Forbidden, "uploads only from this server's own pages").ConfigureAwait(false);
            return;
        }
        var path = context.Request.Query["path"].ToString();
        await FileRequestAsync(context.Response, async () =>
        {
            var size = await files.UploadAsync(context.Request, path).ConfigureAwait(false);
            await WebHost.Text(context.Response, StatusCodes.Status201Created, $"wrote {Units.Size(size)} to {path}").ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private static async Task FileRequestAsync(HttpResponse response, Func<Task> answer)
    {
        try
        {
            await answer().ConfigureAwait(false);
        }
        catch (OsFileException refused) when (!response.HasStarted)
        {
            await WebHost.Text(response, refused.Status, refused.Message).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException && !response.HasStarted)
        {
            await WebHost.Text(response, StatusCodes.Status500InternalServerError, error.Message).ConfigureAwait(false);
        }
    }

    private async Task SocketAsync(HttpContext context)
    {
        using var socket = await WebHost.AcceptWebSocketAsync(context).ConfigureAwait(false);
        if (socket is null)
        {
            return;
        }
        var client = new Client(socket);
        // Subscribed before the snapshot is taken: no event falls between them. One that the snapshot already holds
        // is skipped by the sender (output) or is harmless twice (a process's state, a log entry the page dedupes).
        lock (gate)
        {
            clients.Add(client);
        }
        try
        {
            var (snapshot, chunks) = Snapshot();
            client.Sent = SendAsync(client, new OsEvent(OsEventType.Snapshot, Snapshot: snapshot), chunks);
            await ReceiveAsync(client).ConfigureAwait(false);
        }
        finally
        {
            lock (gate)
            {
                clients.Remove(client);
            }
            client.Queue.Writer.TryComplete();
            await client.Sent.ConfigureAwait(false);
        }
    }

    private void Broadcast(KernelEvent change) => Enqueue(change);

    private void Tick()
    {
        lock (gate)
        {
            if (clients.Count == 0)
            {
                return;
            }
        }
        var running = kernel.Processes.Where(p => p.State == ProcessState.Running).Select(OsProcessView.Of).ToArray();
        Enqueue(new OsEvent(OsEventType.Status, Status: OsStatus.Of(kernel.Status), Processes: running));
    }

    private void Enqueue(object item)
    {
        lock (gate)
        {
            foreach (var client in clients)
            {
                if (!client.Queue.Writer.TryWrite(item))
                {
                    // Too far behind: the sender closes the socket once the queue is drained, and the page reconnects.
                    client.Overflowed = true;
                    client.Queue.Writer.TryComplete();
                }
            }
        }
    }

    private async Task SendAsync(Client client, OsEvent hello, List<KernelEvent.Output> inSnapshot)
    {
        var socket = client.Socket;
        var skip = new HashSet<object>(inSnapshot, ReferenceEqualityComparer.Instance);
        var reader = client.Queue.Reader;
        try
        {
            await SendAsync(socket, hello).ConfigureAwait(false);
            while (await reader.WaitToReadAsync(stopping.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    switch (item)
                    {
                        case KernelEvent.Output chunk when skip.Count > 0 && skip.Remove(chunk):
                            break;
                        case KernelEvent.Output chunk:
                            var text = new StringBuilder(chunk.Text);
                            while (text.Length < CoalescedChars && reader.TryPeek(out var next)
                                && next is KernelEvent.Output more && more.Pid == chunk.Pid && more.Stream == chunk.Stream && !skip.Contains(more))
                            {
                                reader.TryRead(out _);
                                text.Append(more.Text);
                            }
                            await SendAsync(socket, new OsEvent(OsEventType.Output, Output: new OsOutput(chunk.Pid, chunk.Stream, text.ToString()))).ConfigureAwait(false);
                            break;
                        case KernelEvent.ProcessChanged changed:
                            await SendAsync(socket, new OsEvent(OsEventType.Process, Process: OsProcessView.Of(changed.Process))).ConfigureAwait(false);
                            break;
                        case KernelEvent.Logged logged:
                            await SendAsync(socket, new OsEvent(OsEventType.Log, Log: logged.Entry)).ConfigureAwait(false);
                            break;
                        case OsEvent message:
                            await SendAsync(socket, message).ConfigureAwait(false);
                            break;
                    }
                }
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(
                client.Overflowed ? WebSocketCloseStatus.PolicyViolation : WebSocketCloseStatus.EndpointUnavailable,
                client.Overflowed ? "too far behind: reconnect for a fresh snapshot" : "server stopping", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The page went away, or the server is stopping.
        }
    }

    private static async Task SendAsync(WebSocket socket, OsEvent message)
    {
        if (socket.State != WebSocketState.Open)
        {
            throw new WebSocketException("closed");
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, ServerJsonContext.Default.OsEvent);
        await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, timeout.Token).ConfigureAwait(false);
    }

    private async Task ReceiveAsync(Client client)
    {
        var socket = client.Socket;
        var buffer = new byte[16384];
        var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer, stopping.Token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                message.Write(buffer, 0, received.Count);
                if (message.Length > RequestLimit)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "a request is at most 256 KiB", CancellationToken.None).ConfigureAwait(false);
                    break;
                }
                if (!received.EndOfMessage)
                {
                    continue;
                }
                var reply = await AnswerAsync(message.ToArray()).ConfigureAwait(false);
                message.SetLength(0);
                if (!client.Queue.Writer.TryWrite(new OsEvent(OsEventType.Reply, Reply: reply)))
                {
                    break;
                }
            }
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException or IOException)
        {
            // The page went away, or the server is stopping.
        }
    }

    private async Task<OsReply> AnswerAsync(byte[] json)
    {
        OsRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(json, ServerJsonContext.Default.OsRequest);
        }
        catch (JsonException error)
        {
            return new OsReply(0, false, null, $"not a request: {error.Message}");
        }
        if (request is null)
        {
            return new OsReply(0, false, null, "not a request");
        }
        var id = request.Id;
        OsReply Done(int? pid = null) => new(id, true, pid, null);
        OsReply Refused(string why) => new(id, false, null, why);
        var pid = request.Pid ?? 0;
        if (request.Type != OsRequestType.Spawn && request.Pid is null)
        {
            return Refused($"{LowercaseEnum.Name(request.Type)} needs a pid");
        }
        switch (request.Type)
        {
            case OsRequestType.Spawn:
                try
                {
                    // Loading a module decodes and validates it: off the socket's loop.
                    var spec = await Task.Run(() => project.Command(request.Command ?? "")).ConfigureAwait(false);
                    return Done(Spawn(spec).Pid);
                }
                catch (Exception error) when (error is WasmrunException or Engine.EngineException or ObjectDisposedException)
                {
                    return Refused(error is WasmrunException { Hint: { } hint } ? $"{error.Message} ({hint})" : error.Message);
                }
            case OsRequestType.Kill:
                return kernel.Kill(pid) ? Done(pid) : Refused($"pid {pid} is not running");
            case OsRequestType.Restart:
                try
                {
                    return kernel.Restart(pid) is { } restarted ? Done(restarted.Pid) : Refused($"no process {pid}");
                }
                catch (ObjectDisposedException)
                {
                    return Refused("the kernel is stopping");
                }
            case OsRequestType.Input:
                var text = request.Text ?? "";
                if (!kernel.WriteInput(pid, text))
                {
                    return Refused($"pid {pid} takes no input: it has ended, its stdin is closed, or it left a pipe's worth unread");
                }
                kernel.Log.Write(KernelEventKind.Input, pid, $"{Units.Size(Encoding.UTF8.GetByteCount(text))} to stdin from the page");
                return Done(pid);
            case OsRequestType.CloseInput:
                if (kernel.Find(pid) is not { Info.State: ProcessState.Running } || !kernel.CloseInput(pid))
                {
                    return Refused($"pid {pid} is not running");
                }
                kernel.Log.Write(KernelEventKind.Input, pid, "stdin closed from the page (end of file)");
                return Done(pid);
            default:
                return Refused("unknown request");
        }
    }

    private sealed class Client(WebSocket socket)
    {
        public WebSocket Socket { get; } = socket;

        public Channel<object> Queue { get; } = Channel.CreateBounded<object>(new BoundedChannelOptions(QueueLimit) { SingleReader = true });

        public Task Sent { get; set; } = Task.CompletedTask;

        public bool Overflowed { get; set; }
    }
}
