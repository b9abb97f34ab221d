// A `wasmrun run` (or `wasmrun [PATH]`) process of the published binary for a test: started with its own
// WASMRUN_HOME, ready once it printed its URL, with its output collected live, an HTTP client without proxies and
// raw requests for paths HttpClient would normalise. Disposing kills it if the test did not stop it.
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Server;

internal sealed class DevServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly TaskCompletionSource<string> url = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task pumps;

    private DevServerProcess(Process process, string home, string workingDirectory, string[] arguments)
    {
        this.process = process;
        Home = home;
        WorkingDirectory = workingDirectory;
        Arguments = arguments;
        pumps = Task.WhenAll(Pump(process.StandardOutput, stdout, line =>
        {
            if (line.StartsWith("  http://", StringComparison.Ordinal))
            {
                url.TrySetResult(line.Trim());
            }
        }), Pump(process.StandardError, stderr, _ => { }));
    }

    /// <summary>The server's address, "http://127.0.0.1:PORT/".</summary>
    public string Url { get; private set; } = "";

    public int Port => new Uri(Url).Port;

    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public string Stdout
    {
        get
        {
            lock (stdout)
            {
                return stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    public int Pid => process.Id;

    /// <summary>Its WASMRUN_HOME.</summary>
    public string Home { get; }

    public string WorkingDirectory { get; }

    /// <summary>What the server was started with, after "wasmrun".</summary>
    public string[] Arguments { get; }

    public bool HasExited => process.HasExited;

    /// <summary>Starts `wasmrun ARGS` in a folder and waits until it serves (or fails: then the result says why).</summary>
    public static Task<DevServerProcess> StartAsync(string home, string workingDirectory, params string[] arguments) =>
        StartAsync(home, workingDirectory, new Dictionary<string, string?>(), arguments);

    /// <summary>The same with more environment variables, set after the defaults (PATH among them).</summary>
    public static async Task<DevServerProcess> StartAsync(string home, string workingDirectory, IDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(WasmrunBinary.RequirePath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["WASMRUN_HOME"] = home;
        start.Environment["NO_COLOR"] = "1";
        // Debian's rustc and Go come first (a rustup toolchain in ~/.cargo/bin usually lacks the wasm32 targets).
        start.Environment["PATH"] = $"/usr/bin{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var server = new DevServerProcess(Process.Start(start)!, home, workingDirectory, arguments);
        server.process.StandardInput.Close();
        var exited = server.process.WaitForExitAsync();
        var ready = await Task.WhenAny(server.url.Task, exited, Task.Delay(TimeSpan.FromMinutes(2)));
        if (ready != server.url.Task)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"wasmrun {string.Join(' ', arguments)} did not start serving:\n--- stdout\n{server.Stdout}\n--- stderr\n{server.Stderr}");
        }
        server.Url = await server.url.Task;
        return server;
    }

    /// <summary>Waits until stderr contains the text (the server reports rebuilds there).</summary>
    public async Task WaitForStderrAsync(string text, int occurrences = 1, double seconds = 60)
    {
        var deadline = Stopwatch.StartNew();
        while (Count(Stderr, text) < occurrences)
        {
            if (deadline.Elapsed.TotalSeconds > seconds || process.HasExited)
            {
                throw new TimeoutException($"no '{text}' (x{occurrences}) from the server:\n--- stderr\n{Stderr}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Waits for the process to end; its exit code.</summary>
    public async Task<int> WaitForExitAsync(double seconds = 20)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        await process.WaitForExitAsync(timeout.Token);
        await pumps;
        return process.ExitCode;
    }

    /// <summary>SIGTERM, as Ctrl+C or a service manager would stop it.</summary>
    public void Terminate() => Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(Url.TrimEnd('/') + path);

    /// <summary>Sends the request line as written (no normalisation of "..", "%2e" or "//"); the status code.</summary>
    public async Task<int> RawStatusAsync(string target, string host = "127.0.0.1")
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var status = await reader.ReadLineAsync() ?? "";
        return status.Split(' ') is [_, var code, ..] ? int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) : -1;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        await pumps;
        Http.Dispose();
        process.Dispose();
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    private static async Task Pump(StreamReader reader, StringBuilder into, Action<string> onLine)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (into)
            {
                into.Append(line).Append('\n');
            }
            onLine(line);
        }
    }
}
