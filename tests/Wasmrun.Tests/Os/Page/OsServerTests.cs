// `wasmrun os` over real HTTP and WebSockets (the published binary): the file API stays inside the mounts, read-only
// mounts refuse uploads, the socket refuses other origins and speaks the contract (snapshot, output, stdin, kill),
// and `wasmrun stop` stops an OS server as it stops a dev server.
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Os.Page;

public sealed class OsServerTests
{
    [Test]
    public async Task The_file_API_refuses_dot_dot_absolute_escapes_and_symlinks_out_of_a_mount()
    {
        using var temp = new TempDirectory();
        var project = await EchoProject.CreateAsync(temp);
        File.WriteAllText(Path.Join(temp.Path, "secret.txt"), "outside the project\n");
        File.CreateSymbolicLink(Path.Join(project, "leak.txt"), Path.Join(temp.Path, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Join(project, "up"), temp.Path);
        File.CreateSymbolicLink(Path.Join(project, "inside.txt"), "echo.c");
        await using var server = await EchoProject.ServeAsync(temp, project);

        async Task<(HttpStatusCode Status, string Text)> Get(string route, string path)
        {
            using var response = await server.GetAsync($"/_wasmrun/api/{route}?path={Uri.EscapeDataString(path)}");
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        foreach (var (path, status, says) in new[]
        {
            ("/app/../../secret.txt", HttpStatusCode.Forbidden, "\"..\" is not followed"),
            ("/app/..", HttpStatusCode.Forbidden, "\"..\" is not followed"),
            ("/tmp/../app/echo.c", HttpStatusCode.Forbidden, "\"..\" is not followed"),
            ("app/echo.c", HttpStatusCode.BadRequest, "give a guest path from the root"),
            // A host path is a guest path like any other: here one under the kernel's own /tmp, where nothing is.
            (Path.Join(temp.Path, "secret.txt"), HttpStatusCode.NotFound, "no such file"),
            ("/etc/passwd", HttpStatusCode.NotFound, "the processes see only /app, /tmp"),
            ("/app/leak.txt", HttpStatusCode.Forbidden, "leads out of its mount"),
            ("/app/up/secret.txt", HttpStatusCode.Forbidden, "leads out of its mount"),
        })
        {
            var (got, text) = await Get("file", path);
            await Assert.That(got).IsEqualTo(status).Because($"{path}: {text}");
            await Assert.That(text).Contains(says).Because(path);
            await Assert.That(text).DoesNotContain("outside the project");
        }
        var (listed, up) = await Get("files", "/app/up");
        await Assert.That(listed).IsEqualTo(HttpStatusCode.Forbidden).Because(up);

        // Inside the mount a symlink is followed, and a listing shows links as links.
        var (inside, source) = await Get("file", "/app/inside.txt");
        await Assert.That(inside).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(source).Contains("echo started with");
        var (ok, json) = await Get("files", "/app");
        await Assert.That(ok).IsEqualTo(HttpStatusCode.OK);
        using var listing = JsonDocument.Parse(json);
        var kinds = listing.RootElement.GetProperty("entries").EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("kind").GetString());
        await Assert.That(kinds["leak.txt"]).IsEqualTo("symlink");
        await Assert.That(kinds["echo.wasm"]).IsEqualTo("file");
        await Assert.That(listing.RootElement.GetProperty("writable").GetBoolean()).IsTrue();

        // An upload does not write through a symlink out of the mount.
        using var put = await server.Http.PutAsync(server.Url + "_wasmrun/api/file?path=" + Uri.EscapeDataString("/app/up/secret.txt"), new StringContent("overwritten"));
        await Assert.That(put.StatusCode).IsEqualTo(HttpStatusCode.Forbidden);
        await Assert.That(File.ReadAllText(Path.Join(temp.Path, "secret.txt"))).IsEqualTo("outside the project\n");
    }

    [Test]
    public async Task An_upload_into_a_read_only_mount_is_refused_and_one_into_tmp_is_taken()
    {
        using var temp = new TempDirectory();
        var project = await EchoProject.CreateAsync(temp);
        await using var server = await EchoProject.ServeAsync(temp, project, "--read-only");

        using var refused = await server.Http.PutAsync(server.Url + "_wasmrun/api/file?path=/app/new.txt", new StringContent("no"));
        await Assert.That(refused.StatusCode).IsEqualTo(HttpStatusCode.Forbidden);
        await Assert.That(await refused.Content.ReadAsStringAsync()).IsEqualTo("/app is mounted read-only: upload into /tmp\n");
        await Assert.That(File.Exists(Path.Join(project, "new.txt"))).IsFalse();

        using var taken = await server.Http.PutAsync(server.Url + "_wasmrun/api/file?path=/tmp/new.txt", new StringContent("yes\n"));
        await Assert.That(taken.StatusCode).IsEqualTo(HttpStatusCode.Created);
        using var back = await server.GetAsync("/_wasmrun/api/file?path=/tmp/new.txt");
        await Assert.That(await back.Content.ReadAsStringAsync()).IsEqualTo("yes\n");
        await Assert.That(back.Content.Headers.ContentType!.MediaType).IsEqualTo("text/plain");

        using var foreign = new HttpRequestMessage(HttpMethod.Put, server.Url + "_wasmrun/api/file?path=/tmp/evil.txt") { Content = new StringContent("x") };
        foreign.Headers.Add("Origin", "http://evil.example");
        using var refusedForeign = await server.Http.SendAsync(foreign);
        await Assert.That(refusedForeign.StatusCode).IsEqualTo(HttpStatusCode.Forbidden);

        // Refused on its Content-Length, before a byte of it is read.
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync("127.0.0.1", server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"PUT /_wasmrun/api/file?path=/tmp/big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {(64 << 20) + 1}\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await Assert.That(await reader.ReadLineAsync()).IsEqualTo("HTTP/1.1 413 Payload Too Large");
        await Assert.That(File.Exists(Path.Join(project, "big.bin"))).IsFalse();
    }

    [Test]
    public async Task The_socket_refuses_other_origins_and_sends_a_snapshot_then_output_stdin_echo_and_a_kill()
    {
        using var temp = new TempDirectory();
        var project = await EchoProject.CreateAsync(temp);
        await using var server = await EchoProject.ServeAsync(temp, project);
        var socketUrl = new Uri(server.Url.Replace("http://", "ws://", StringComparison.Ordinal) + "_wasmrun/ws");

        using (var foreign = new ClientWebSocket())
        {
            foreign.Options.SetRequestHeader("Origin", "http://evil.example");
            foreign.Options.CollectHttpResponseDetails = true;
            await Assert.That(async () => await foreign.ConnectAsync(socketUrl, CancellationToken.None)).Throws<WebSocketException>();
            await Assert.That(foreign.HttpStatusCode).IsEqualTo(HttpStatusCode.Forbidden);
        }

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", server.Url.TrimEnd('/'));
        await socket.ConnectAsync(socketUrl, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await ReceiveAsync(socket, timeout.Token);
        await Assert.That(first.GetProperty("type").GetString()).IsEqualTo("snapshot");
        var snapshot = first.GetProperty("snapshot");
        await Assert.That(snapshot.GetProperty("main_pid").GetInt32()).IsEqualTo(1);
        await Assert.That(snapshot.GetProperty("language").GetString()).IsEqualTo("wasm");
        await Assert.That(string.Join(' ', snapshot.GetProperty("mounts").EnumerateArray().Select(m => m.GetProperty("path").GetString()))).IsEqualTo("/app /tmp");

        var output = new StringBuilder(string.Concat(snapshot.GetProperty("output").EnumerateArray().Where(o => o.GetProperty("pid").GetInt32() == 1).Select(o => o.GetProperty("text").GetString())));
        async Task<JsonElement> Until(Func<JsonElement, bool> wanted)
        {
            while (true)
            {
                var message = await ReceiveAsync(socket, timeout.Token);
                if (message.GetProperty("type").GetString() == "output" && message.GetProperty("output").GetProperty("pid").GetInt32() == 1)
                {
                    output.Append(message.GetProperty("output").GetProperty("text").GetString());
                }
                if (wanted(message))
                {
                    return message;
                }
            }
        }

        if (!output.ToString().Contains("echo started", StringComparison.Ordinal))
        {
            await Until(_ => output.ToString().Contains("echo started", StringComparison.Ordinal));
        }
        await SendAsync(socket, """{"type":"input","id":7,"pid":1,"text":"over the socket\n"}""");
        var reply = await Until(m => m.GetProperty("type").GetString() == "reply");
        await Assert.That(reply.GetProperty("reply").GetProperty("id").GetInt32()).IsEqualTo(7);
        await Assert.That(reply.GetProperty("reply").GetProperty("ok").GetBoolean()).IsTrue();
        await Until(_ => output.ToString().Contains("echo: over the socket\n", StringComparison.Ordinal));

        await SendAsync(socket, """{"type":"spawn","id":8,"command":"missing.wasm"}""");
        var refused = await Until(m => m.GetProperty("type").GetString() == "reply");
        await Assert.That(refused.GetProperty("reply").GetProperty("ok").GetBoolean()).IsFalse();
        await Assert.That(refused.GetProperty("reply").GetProperty("message").GetString()).Contains("missing.wasm: no such file in the project");

        await SendAsync(socket, """{"type":"kill","id":9,"pid":1}""");
        var killed = await Until(m => m.GetProperty("type").GetString() == "process" && m.GetProperty("process").GetProperty("state").GetString() == "killed");
        await Assert.That(killed.GetProperty("process").GetProperty("exit_status").GetInt32()).IsEqualTo(137);
        await Assert.That(killed.GetProperty("process").GetProperty("cause").GetString()).IsEqualTo("killed");
        await Until(m => m.GetProperty("type").GetString() == "status");
    }

    [Test]
    public async Task Stop_stops_an_OS_server_and_its_processes()
    {
        using var temp = new TempDirectory();
        var project = await EchoProject.CreateAsync(temp);
        await using var server = await EchoProject.ServeAsync(temp, project);
        await Assert.That(server.Stdout).StartsWith("serving project (OS mode: `echo.wasm` is pid 1)\n");

        var stop = await WasmrunBinary.RunAsync(["stop"], new Dictionary<string, string?> { ["WASMRUN_HOME"] = server.Home });

        await Assert.That(stop.ExitCode).IsEqualTo(0).Because(stop.ToString());
        await Assert.That(stop.Stdout).IsEqualTo($"stopped the OS server on port {server.Port} ({project}, pid {server.Pid})\n");
        await Assert.That(await server.WaitForExitAsync()).IsEqualTo(0);
        await Assert.That(server.Stderr).EndsWith("stopping (asked by wasmrun stop)\n");
        await Assert.That(Directory.EnumerateFiles(Path.Join(server.Home, "run")).ToList()).IsEmpty();
    }

    private static async Task SendAsync(ClientWebSocket socket, string json) =>
        await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket, CancellationToken cancel)
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        WebSocketReceiveResult received;
        do
        {
            received = await socket.ReceiveAsync(buffer, cancel);
            message.Write(buffer, 0, received.Count);
        }
        while (!received.EndOfMessage);
        using var json = JsonDocument.Parse(message.ToArray());
        return json.RootElement.Clone();
    }
}
