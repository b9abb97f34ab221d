// The WebSocket hub behind /_wasmrun/ws: every open page gets the state when it connects and each event after
// that. Sends to one socket are serialized (a WebSocket allows one send at a time); a page that is gone is dropped.
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;

namespace Wasmrun.Server;

internal sealed class LiveReload
{
    private readonly ConcurrentDictionary<WebSocket, SemaphoreSlim> clients = new();

    public int Count => clients.Count;

    /// <summary>Serves one connection until the page closes it or the server stops.</summary>
    public async Task ServeAsync(WebSocket socket, ServerEvent hello, CancellationToken stopping)
    {
        var sending = new SemaphoreSlim(1, 1);
        clients[socket] = sending;
        try
        {
            await SendAsync(socket, sending, Serialize(hello)).ConfigureAwait(false);
            var buffer = new byte[1024];
            // Pages send nothing we act on; reading is how a close (or a dead peer) is noticed.
            while (socket.State == WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer, stopping).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The page went away, or the server is stopping: nothing to tell anyone.
        }
        finally
        {
            clients.TryRemove(socket, out _);
        }
    }

    public void Broadcast(ServerEvent message)
    {
        var bytes = Serialize(message);
        foreach (var (socket, sending) in clients)
        {
            _ = SendAsync(socket, sending, bytes);
        }
    }

    /// <summary>Says goodbye to every page (close code 1001, going away), so they reconnect to the next server.</summary>
    public async Task CloseAllAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Task.WhenAll(clients.Keys.Select(async socket =>
        {
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "server stopping", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // Already gone.
            }
        })).ConfigureAwait(false);
    }

    private static byte[] Serialize(ServerEvent message) => JsonSerializer.SerializeToUtf8Bytes(message, ServerJsonContext.Default.ServerEvent);

    private async Task SendAsync(WebSocket socket, SemaphoreSlim sending, byte[] bytes)
    {
        await sending.WaitAsync().ConfigureAwait(false);
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            clients.TryRemove(socket, out _);
        }
        finally
        {
            sending.Release();
        }
    }
}
