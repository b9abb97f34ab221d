// `wasmrun stop [--port N | --all]`: asks running servers (`wasmrun run`'s dev servers, `wasmrun os`'s OS servers)
// to shut down gracefully, through each one's control endpoint with the token from its record (ServerRecords), waits
// until its process has ended, and deletes the records of servers that are gone.
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Config;
using Wasmrun.Server;

namespace Wasmrun.Commands;

public sealed class StopCommand
{
    /// <summary>Stop a server of this user (`wasmrun run`, `wasmrun os`): the only one running, the one on --port, or --all.</summary>
    /// <param name="port">-p, Stop the server on this port.</param>
    /// <param name="all">-a, Stop every running server.</param>
    [Command("stop")]
    public async Task Stop(int? port = null, bool all = false)
    {
        var records = new ServerRecords(ConfigFile.Current.Paths);
        var running = records.Running();
        var output = Terminal.Out;
        var chosen = port is { } wanted ? running.Where(r => r.Record.Port == wanted).ToList() : running;
        if (chosen.Count == 0)
        {
            output.WriteLine(port is null ? "no Wasmrun server is running" : $"no Wasmrun server is running on port {port}");
            return;
        }
        if (chosen.Count > 1 && !all)
        {
            throw new WasmrunException($"{chosen.Count} Wasmrun servers are running: {string.Join(", ", chosen.Select(r => $"port {r.Record.Port} ({r.Record.Project})"))}", ExitCode.Usage)
            {
                Hint = "choose one with --port N, or stop them all with --all",
            };
        }
        // No proxy: the servers are on this machine, whatever http_proxy says.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var (file, record) in chosen)
        {
            output.WriteLine(await StopOneAsync(http, file, record).ConfigureAwait(false));
        }
    }

    private static async Task<string> StopOneAsync(HttpClient http, string file, ServerRecordData record)
    {
        var what = $"the {(record.Kind == ServerKind.Os ? "OS server" : "server")} on port {record.Port} ({record.Project}, pid {record.Pid})";
        using var request = new HttpRequestMessage(HttpMethod.Post, record.Url.TrimEnd('/') + "/_wasmrun/control/stop");
        request.Headers.Add(ServerRecords.TokenHeader, record.Token);
        try
        {
            using var response = await http.SendAsync(request).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new WasmrunException($"{what} refused to stop: {(int)response.StatusCode} {response.ReasonPhrase}")
                {
                    Hint = $"its record {file} does not match it; stop the process yourself (kill {record.Pid})",
                };
            }
        }
        catch (HttpRequestException)
        {
            // Nothing answers there: the process with that pid is not our server (it ended and the pid was reused).
            ServerRecords.Delete(file);
            return $"{what} is gone; removed its record";
        }
        for (var waited = 0; ServerRecords.IsAlive(record.Pid) && waited < 100; waited++)
        {
            await Task.Delay(100).ConfigureAwait(false);
        }
        if (ServerRecords.IsAlive(record.Pid))
        {
            throw new WasmrunException($"{what} was asked to stop but is still running after 10 s")
            {
                Hint = $"stop the process yourself (kill {record.Pid})",
            };
        }
        ServerRecords.Delete(file);
        return $"stopped {what}";
    }
}
