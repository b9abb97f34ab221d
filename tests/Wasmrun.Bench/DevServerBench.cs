// The dev server's figures: save-to-reloaded latency in a real browser beyond the compiler's own time (a C WASI
// project under `wasmrun run --watch`, tests/browser/reload-latency.mjs), and requests per second under wrk for the
// module and the playground page, against Python's http.server serving the same module in the same run.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Wasmrun.Bench;

internal static partial class DevServerBench
{
    private const string MainC = """
        #include <stdio.h>

        __attribute__((export_name("add"))) int add(int a, int b) { return a + b; }

        int main(void) {
            printf("%d\n", add(2, 3));
            return 0;
        }

        """;

    public static IEnumerable<string> Run(string binary, string root, string output)
    {
        yield return "dev server:";
        foreach (var line in ReloadLatency(binary, root, output))
        {
            yield return line;
        }
        foreach (var line in Load(binary, root, output))
        {
            yield return line;
        }
    }

    private static IEnumerable<string> ReloadLatency(string binary, string root, string output)
    {
        if (Missing("clang-14", "node", "npm", "/usr/bin/chromium") is { } missing)
        {
            yield return $"  reload latency: skipped ({missing} not installed)";
            yield break;
        }
        var scripts = Path.Combine(root, "tests", "browser");
        if (!Directory.Exists(Path.Combine(scripts, "node_modules", "playwright-core")))
        {
            Runner.Tool("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], scripts);
        }
        var work = Fresh(Path.Combine(output, "reload"));
        var project = Directory.CreateDirectory(Path.Combine(work, "project")).FullName;
        File.WriteAllText(Path.Combine(project, "main.c"), MainC);
        const int rounds = 10;
        List<(double Total, double Build)> samples;
        using (var server = Server.Start(binary, Path.Combine(work, "home"), project, ["run", "--watch", "--port", "0"]))
        {
            var result = Runner.Tool("node", [Path.Combine(scripts, "reload-latency.mjs"), server.Url, project, rounds.ToString(CultureInfo.InvariantCulture)], scripts);
            using var json = JsonDocument.Parse(result);
            samples = [.. json.RootElement.GetProperty("samples").EnumerateArray()
                .Select(s => (s.GetProperty("milliseconds").GetDouble(), s.GetProperty("build").GetDouble()))];
        }
        // The compiler alone, on the same file, the way the C plugin runs it.
        var compiler = Enumerable.Range(0, rounds).Select(_ =>
        {
            var clock = Stopwatch.StartNew();
            Runner.Tool("clang-14", ["--target=wasm32-wasi", "-O2", "-Wl,--strip-debug", "main.c", "-o", Path.Combine(work, "alone.wasm"), "-lm"], project);
            return clock.Elapsed.TotalMilliseconds;
        }).ToList();
        var total = Median(samples.Select(s => s.Total));
        var build = Median(samples.Select(s => s.Build));
        var clang = Median(compiler);
        yield return $"  save-to-reloaded (C WASI project, {rounds} edits, medians): {total:F0} ms in all; the server's build {build:F0} ms; " +
            $"clang alone {clang:F0} ms";
        yield return $"  beyond the compiler: {total - clang:F0} ms (watch, plugin, cache, push, re-instantiate, re-call); beyond the build: {total - build:F0} ms";
    }

    private static IEnumerable<string> Load(string binary, string root, string output)
    {
        if (Missing("wrk", "python3") is { } missing)
        {
            yield return $"  load: skipped ({missing} not installed)";
            yield break;
        }
        var examples = Path.Combine(root, "examples");
        var work = Fresh(Path.Combine(output, "load"));
        using var server = Server.Start(binary, Path.Combine(work, "home"), work, ["run", Path.Combine(examples, "math.wasm"), "--port", "0"]);
        var ours = Wrk(server.Url + "_wasmrun/module.wasm");
        var page = Wrk(server.Url);
        var port = FreePort();
        using var peer = Process.Start(new ProcessStartInfo("python3", ["-m", "http.server", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1"])
        {
            WorkingDirectory = examples,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            WaitForPort(port);
            var python = Wrk($"http://127.0.0.1:{port}/math.wasm");
            yield return $"  wrk -t2 -c32 -d5s, GET the module (748 B): wasmrun {ours.RequestsPerSecond:F0} req/s, {ours.Errors} errors; " +
                $"python3 -m http.server {python.RequestsPerSecond:F0} req/s, {python.Errors} errors; ratio {ours.RequestsPerSecond / python.RequestsPerSecond:F1}x";
            yield return $"  wrk -t2 -c32 -d5s, GET / (the playground page): wasmrun {page.RequestsPerSecond:F0} req/s, {page.Errors} errors";
        }
        finally
        {
            peer.Kill(entireProcessTree: true);
        }
    }

    private sealed record WrkResult(double RequestsPerSecond, long Errors);

    private static WrkResult Wrk(string url)
    {
        var text = Runner.Tool("wrk", ["-t2", "-c32", "-d5s", url], Environment.CurrentDirectory);
        var rate = double.Parse(WrkRate().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = WrkErrors().Matches(text).Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            + (WrkNon2xx().Match(text) is { Success: true } non2xx ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
        return new WrkResult(rate, errors);
    }

    private static string? Missing(params string[] programs) =>
        programs.FirstOrDefault(p => Path.IsPathRooted(p) ? !File.Exists(p) : Runner.Which(p) is null);

    private static string Fresh(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        return Directory.CreateDirectory(folder).FullName;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void WaitForPort(int port)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient("127.0.0.1", port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new InvalidOperationException($"nothing listens on port {port}");
    }

    /// <summary>A `wasmrun run` process, ready once it printed its URL; killed on dispose.</summary>
    private sealed class Server : IDisposable
    {
        private readonly Process process;

        private Server(Process process, string url)
        {
            this.process = process;
            Url = url;
        }

        public string Url { get; }

        public static Server Start(string binary, string home, string workingDirectory, string[] arguments)
        {
            var start = new ProcessStartInfo(binary) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["WASMRUN_HOME"] = home;
            start.Environment["NO_COLOR"] = "1";
            var process = Process.Start(start)!;
            // The build's output goes to stderr; drain it so the server never blocks on a full pipe.
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            while (process.StandardOutput.ReadLine() is { } line)
            {
                if (line.StartsWith("  http://", StringComparison.Ordinal))
                {
                    _ = process.StandardOutput.ReadToEndAsync();
                    return new Server(process, line.Trim());
                }
            }
            throw new InvalidOperationException($"wasmrun {string.Join(' ', arguments)} ended before serving");
        }

        public void Dispose()
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
        }
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex WrkRate();

    [GeneratedRegex(@"(?:connect|read|write|timeout) (\d+)")]
    private static partial Regex WrkErrors();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex WrkNon2xx();
}
