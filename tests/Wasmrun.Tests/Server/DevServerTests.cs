// `wasmrun run` over real HTTP against the published binary: what each route answers and with which headers, the
// playground and app modes, requests that try to leave the served folders, Host and Origin checks, the port
// fallback, the control endpoint and `wasmrun stop`, and live rebuilds pushed over the WebSocket.
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Server;

public sealed class DevServerTests
{
    private const string MainC = """
        #include <stdio.h>

        __attribute__((export_name("add"))) int add(int a, int b) { return a + b; }

        int main(void) {
            printf("sum %d\n", add(2, 3));
            return 0;
        }

        """;

    private static string Example(string name) => Path.Join(RepositoryRoot.Path, "examples", name);

    [Test]
    public async Task A_text_module_is_served_as_its_binary()
    {
        using var temp = new TempDirectory();
        await using var server = await DevServerProcess.StartAsync(ServerFolders.Home(temp), temp.Path, "run", Example("fac.wat"), "--port", "0");
        await Assert.That(server.Stdout).StartsWith("serving fac (a module)\n");
        using var state = JsonDocument.Parse(await server.Http.GetStringAsync(server.Url + "_wasmrun/api/state"));
        var moduleUrl = state.RootElement.GetProperty("module").GetProperty("url").GetString()!;
        using var wasm = await server.GetAsync(moduleUrl);
        await Assert.That(wasm.Content.Headers.ContentType!.MediaType).IsEqualTo("application/wasm");
        var expected = Wasmrun.Engine.Text.TextModuleParser.ParseFile(await File.ReadAllTextAsync(Example("fac.wat")));
        await Assert.That(await wasm.Content.ReadAsByteArrayAsync()).IsEquivalentTo(expected);
        using var report = JsonDocument.Parse(await server.Http.GetStringAsync(server.Url + "_wasmrun/api/module"));
        await Assert.That(report.RootElement.GetProperty("exports").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList())
            .Contains("fac");
    }

    [Test]
    public async Task A_module_is_served_with_the_playground_its_state_its_report_and_no_caching()
    {
        using var temp = new TempDirectory();
        await using var server = await DevServerProcess.StartAsync(ServerFolders.Home(temp), temp.Path, "run", Example("math.wasm"), "--port", "0");
        await Assert.That(server.Stdout).StartsWith("serving math (a module)\n  http://127.0.0.1:");
        await Assert.That(server.Url).Matches(@"^http://127\.0\.0\.1:\d+/$");

        using var index = await server.GetAsync("/");
        await Assert.That(index.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(index.Content.Headers.ContentType!.MediaType).IsEqualTo("text/html");
        await Assert.That(index.Headers.CacheControl!.NoStore).IsTrue();
        await Assert.That(await index.Content.ReadAsStringAsync()).Contains("/_wasmrun/ui/app.js");
        using var script = await server.GetAsync("/_wasmrun/ui/app.js");
        await Assert.That(script.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(script.Content.Headers.ContentType!.MediaType).IsEqualTo("text/javascript");

        using var state = JsonDocument.Parse(await server.Http.GetStringAsync(server.Url + "_wasmrun/api/state"));
        var root = state.RootElement;
        await Assert.That(root.GetProperty("mode").GetString()).IsEqualTo("playground");
        await Assert.That(root.GetProperty("kind").GetString()).IsEqualTo("module");
        await Assert.That(root.GetProperty("generation").GetInt32()).IsEqualTo(1);
        await Assert.That(root.GetProperty("build").ValueKind).IsEqualTo(JsonValueKind.Null);
        var moduleUrl = root.GetProperty("module").GetProperty("url").GetString()!;
        await Assert.That(moduleUrl).IsEqualTo("/_wasmrun/module.wasm?g=1");

        using var wasm = await server.GetAsync(moduleUrl);
        await Assert.That(wasm.Content.Headers.ContentType!.MediaType).IsEqualTo("application/wasm");
        await Assert.That(await wasm.Content.ReadAsByteArrayAsync()).IsEquivalentTo(await File.ReadAllBytesAsync(Example("math.wasm")));

        using var report = JsonDocument.Parse(await server.Http.GetStringAsync(server.Url + "_wasmrun/api/module"));
        var exports = report.RootElement.GetProperty("exports").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        await Assert.That(exports).Contains("add");
        await Assert.That(exports).Contains("factorial");
        await Assert.That(report.RootElement.GetProperty("types").EnumerateArray().Select(t => t.GetProperty("signature").GetString()))
            .Contains("(i32) -> i64");

        using var missing = await server.GetAsync("/nothing.wasm");
        await Assert.That(missing.StatusCode).IsEqualTo(HttpStatusCode.NotFound);
        using var post = await server.Http.PostAsync(server.Url + "_wasmrun/api/state", null);
        await Assert.That(post.StatusCode).IsEqualTo(HttpStatusCode.MethodNotAllowed);
        // DNS rebinding: a page on another site whose name resolves to 127.0.0.1 sends its own Host.
        await Assert.That(await server.RawStatusAsync("/_wasmrun/api/state", host: "attacker.example")).IsEqualTo(403);
        await Assert.That(await server.RawStatusAsync("/_wasmrun/api/state", host: $"localhost:{server.Port}")).IsEqualTo(200);
    }

    [Test]
    public async Task Requests_outside_the_served_folders_get_404_and_files_inside_are_served_with_their_type()
    {
        RequiredTool.Program("clang-14", "apt install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32");
        using var temp = new TempDirectory();
        var project = ServerFolders.Project(temp, ("main.c", MainC), ("index.html", "<!doctype html><html><body><h1>own page</h1></body></html>\n"),
            ("style.css", "h1 { color: red; }\n"), (".env", "SECRET=1\n"));
        File.WriteAllText(Path.Join(temp.Path, "secret.txt"), "outside the project\n");
        File.CreateSymbolicLink(Path.Join(project, "leak.txt"), Path.Join(temp.Path, "secret.txt"));
        File.CreateSymbolicLink(Path.Join(project, "up"), temp.Path);
        await using var server = await DevServerProcess.StartAsync(ServerFolders.Home(temp), project, "run", "--port", "0");

        // The project's own page is the app, with the reload client put in; its files and the build's are served.
        using var index = await server.GetAsync("/");
        var html = await index.Content.ReadAsStringAsync();
        await Assert.That(html).Contains("<h1>own page</h1><script type=\"module\" src=\"/_wasmrun/reload.js\"></script>\n</body>");
        using var css = await server.GetAsync("/style.css");
        await Assert.That(css.Content.Headers.ContentType!.ToString()).IsEqualTo("text/css; charset=utf-8");
        using var wasm = await server.GetAsync("/project.wasm");
        await Assert.That(wasm.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(wasm.Content.Headers.ContentType!.MediaType).IsEqualTo("application/wasm");
        await Assert.That(await server.RawStatusAsync("/dist/project.wasm")).IsEqualTo(200);
        using var reload = await server.GetAsync("/_wasmrun/reload.js");
        await Assert.That(reload.StatusCode).IsEqualTo(HttpStatusCode.OK);

        string[] attempts =
        [
            "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/..%2fsecret.txt", "/..%5csecret.txt", "/..\\secret.txt",
            "/dist/../../secret.txt", "/dist/%2e%2e/%2e%2e/secret.txt", "//etc/passwd", "/%2fetc%2fpasswd", "/etc/passwd",
            "/leak.txt", "/up/secret.txt", "/.env", "/%2eenv", "/dist/.wasmrun-output", "/C:/Windows/win.ini", "/main.c%00.html",
            $"http://127.0.0.1:{server.Port}/../secret.txt",
        ];
        foreach (var attempt in attempts)
        {
            await Assert.That(await server.RawStatusAsync(attempt)).IsIn(400, 404).Because(attempt);
        }
        await Assert.That(await server.RawStatusAsync("/main.c")).IsEqualTo(200);
    }

    [Test]
    public async Task Binding_every_interface_is_said_out_loud_and_then_any_host_name_is_answered()
    {
        using var temp = new TempDirectory();
        await using var server = await DevServerProcess.StartAsync(ServerFolders.Home(temp), temp.Path, "run", Example("math.wasm"), "--port", "0", "--host", "0.0.0.0");
        await Assert.That(server.Url).StartsWith("http://127.0.0.1:");
        await Assert.That(server.Stdout).Contains("  note: bound to 0.0.0.0: other machines on your network can reach this server\n");
        await Assert.That(await server.RawStatusAsync("/_wasmrun/api/state", host: "my-laptop.example")).IsEqualTo(200);
    }

    [Test]
    public async Task A_taken_port_moves_to_the_next_free_one_unless_strict_port_says_fail()
    {
        using var temp = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        await using (var server = await DevServerProcess.StartAsync(ServerFolders.Home(temp), temp.Path, "run", Example("math.wasm"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            await Assert.That(server.Port).IsGreaterThan(port);
            await server.WaitForStderrAsync($"note: port {port} is in use; serving on {server.Port} instead (--strict-port fails instead)\n");
        }

        var strict = await WasmrunBinary.RunAsync(["run", Example("math.wasm"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--strict-port"],
            new Dictionary<string, string?> { ["WASMRUN_HOME"] = ServerFolders.Home(temp) });
        await Assert.That(strict.ExitCode).IsEqualTo(7).Because(strict.ToString());
        await Assert.That(strict.Stderr).StartsWith($"error: port {port} is in use\n  hint: stop what uses it");
    }

    [Test]
    public async Task Stop_asks_the_server_through_its_token_and_cleans_stale_records()
    {
        using var temp = new TempDirectory();
        var home = ServerFolders.Home(temp);
        await using var first = await DevServerProcess.StartAsync(home, temp.Path, "run", Example("math.wasm"), "--port", "0");
        await using var second = await DevServerProcess.StartAsync(home, temp.Path, Example("math.wasm"), "--port", "0");
        var records = Path.Join(home, "run");
        await Assert.That(Directory.GetFiles(records, "*.json").Length).IsEqualTo(2);
        var record = JsonDocument.Parse(File.ReadAllText(Path.Join(records, $"{first.Pid}.json"))).RootElement;
        await Assert.That(record.GetProperty("port").GetInt32()).IsEqualTo(first.Port);
        await Assert.That(record.GetProperty("token").GetString()!.Length).IsEqualTo(64);
        if (!OperatingSystem.IsWindows())
        {
            await Assert.That(File.GetUnixFileMode(Path.Join(records, $"{first.Pid}.json"))).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // Without the token (another site, another user) the control endpoint refuses.
        using var forged = new HttpRequestMessage(HttpMethod.Post, first.Url + "_wasmrun/control/stop");
        forged.Headers.Add("X-Wasmrun-Token", new string('0', 64));
        using (var refused = await first.Http.SendAsync(forged))
        {
            await Assert.That(refused.StatusCode).IsEqualTo(HttpStatusCode.Forbidden);
        }
        await Assert.That(first.HasExited).IsFalse();

        var environment = new Dictionary<string, string?> { ["WASMRUN_HOME"] = home };
        var ambiguous = await WasmrunBinary.RunAsync(["stop"], environment);
        await Assert.That(ambiguous.ExitCode).IsEqualTo(2).Because(ambiguous.ToString());
        await Assert.That(ambiguous.Stderr).Contains("error: 2 Wasmrun servers are running: port ");
        await Assert.That(ambiguous.Stderr).Contains("hint: choose one with --port N, or stop them all with --all");

        var one = await WasmrunBinary.RunAsync(["stop", "--port", first.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)], environment);
        await Assert.That(one.ExitCode).IsEqualTo(0).Because(one.ToString());
        await Assert.That(one.Stdout).IsEqualTo($"stopped the server on port {first.Port} ({Example("math.wasm")}, pid {first.Pid})\n");
        await Assert.That(await first.WaitForExitAsync()).IsEqualTo(0);
        await Assert.That(first.Stderr).EndsWith("stopping (asked by wasmrun stop)\n");
        await Assert.That(second.HasExited).IsFalse();

        // A record whose process is gone is stale: removed, and not counted.
        File.WriteAllText(Path.Join(records, "999999999.json"),
            """{"pid":999999999,"url":"http://127.0.0.1:1/","port":1,"project":"/gone","token":"x","started":"2026-01-01T00:00:00Z"}""");
        var all = await WasmrunBinary.RunAsync(["stop", "--all"], environment);
        await Assert.That(all.ExitCode).IsEqualTo(0).Because(all.ToString());
        await Assert.That(all.Stdout).IsEqualTo($"stopped the server on port {second.Port} ({Example("math.wasm")}, pid {second.Pid})\n");
        await Assert.That(await second.WaitForExitAsync()).IsEqualTo(0);
        await Assert.That(Directory.GetFiles(records)).IsEmpty();

        var none = await WasmrunBinary.RunAsync(["stop"], environment);
        await Assert.That(none.Stdout).IsEqualTo("no Wasmrun server is running\n");
    }

    [Test]
    public async Task Sigterm_stops_gracefully_with_exit_code_130_and_removes_the_record()
    {
        using var temp = new TempDirectory();
        var home = ServerFolders.Home(temp);
        await using var server = await DevServerProcess.StartAsync(home, temp.Path, "run", Example("math.wasm"), "--port", "0", "--cross-origin-isolate");
        using (var page = await server.GetAsync("/"))
        {
            await Assert.That(page.Headers.GetValues("Cross-Origin-Opener-Policy")).IsEquivalentTo(["same-origin"]);
            await Assert.That(page.Headers.GetValues("Cross-Origin-Embedder-Policy")).IsEquivalentTo(["require-corp"]);
        }
        server.Terminate();
        await Assert.That(await server.WaitForExitAsync()).IsEqualTo(130);
        await Assert.That(server.Stderr).EndsWith("stopping (interrupted)\n");
        await Assert.That(Directory.GetFiles(Path.Join(home, "run"))).IsEmpty();
    }

    [Test]
    public async Task Watch_pushes_building_built_and_failed_with_the_compiler_errors_over_the_websocket()
    {
        RequiredTool.Program("clang-14", "apt install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32");
        using var temp = new TempDirectory();
        var project = ServerFolders.Project(temp, ("main.c", MainC));
        await using var server = await DevServerProcess.StartAsync(ServerFolders.Home(temp), project, "run", "--watch", "--port", "0");
        await Assert.That(server.Stdout).Matches(@"^serving project \(plugin c 1\.1\.0, target wasi, release, built in \d+\.\d\d s\)\n");
        await Assert.That(server.Stdout).Contains("watching for changes; Ctrl+C or `wasmrun stop` stops the server\n");

        // Another site's page may not listen in.
        using (var foreign = new ClientWebSocket())
        {
            foreign.Options.SetRequestHeader("Origin", "http://attacker.example");
            await Assert.That(async () => await foreign.ConnectAsync(new Uri($"ws://127.0.0.1:{server.Port}/_wasmrun/ws"), CancellationToken.None))
                .Throws<WebSocketException>();
        }

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", server.Url.TrimEnd('/'));
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{server.Port}/_wasmrun/ws"), CancellationToken.None);
        var hello = await ReceiveAsync(socket);
        await Assert.That(hello.GetProperty("type").GetString()).IsEqualTo("state");
        await Assert.That(hello.GetProperty("state").GetProperty("kind").GetString()).IsEqualTo("wasi");
        await Assert.That(hello.GetProperty("state").GetProperty("build").GetProperty("plugin").GetString()).IsEqualTo("c 1.1.0");

        await File.WriteAllTextAsync(Path.Join(project, "main.c"), MainC.Replace("a + b", "a + b + 100", StringComparison.Ordinal));
        var building = await ReceiveAsync(socket);
        await Assert.That(building.GetProperty("type").GetString()).IsEqualTo("building");
        await Assert.That(building.GetProperty("files").EnumerateArray().Select(f => f.GetString()!)).IsEquivalentTo(["main.c"]);
        var built = await ReceiveAsync(socket);
        await Assert.That(built.GetProperty("type").GetString()).IsEqualTo("built");
        await Assert.That(built.GetProperty("state").GetProperty("generation").GetInt32()).IsEqualTo(2);
        var rebuilt = await server.Http.GetByteArrayAsync(server.Url + "_wasmrun/module.wasm");
        await Assert.That(rebuilt).IsEquivalentTo(await File.ReadAllBytesAsync(Path.Join(project, "dist", "project.wasm")));

        // A file that is not an input (the output folder, an editor's backup) does not rebuild.
        await File.WriteAllTextAsync(Path.Join(project, "dist", "note.txt"), "not an input\n");
        await File.WriteAllTextAsync(Path.Join(project, "notes.txt"), "not an input\n");

        await File.WriteAllTextAsync(Path.Join(project, "main.c"), MainC.Replace("return a + b;", "return a + missing;", StringComparison.Ordinal));
        await Assert.That((await ReceiveAsync(socket)).GetProperty("type").GetString()).IsEqualTo("building");
        var failed = await ReceiveAsync(socket);
        // On a loaded machine the last write's events can arrive as two batches: the second rebuilds the same sources
        // (from the cache, the same module) before the broken file's build.
        var live = 2;
        while (failed.GetProperty("type").GetString() == "built")
        {
            await Assert.That(failed.GetProperty("state").GetProperty("build").GetProperty("from_cache").GetBoolean()).IsTrue();
            live = failed.GetProperty("state").GetProperty("generation").GetInt32();
            await Assert.That((await ReceiveAsync(socket)).GetProperty("type").GetString()).IsEqualTo("building");
            failed = await ReceiveAsync(socket);
        }
        await Assert.That(failed.GetProperty("type").GetString()).IsEqualTo("failed");
        var state = failed.GetProperty("state");
        await Assert.That(state.GetProperty("generation").GetInt32()).IsEqualTo(live);
        await Assert.That(state.GetProperty("module").GetProperty("url").GetString()).IsEqualTo($"/_wasmrun/module.wasm?g={live}");
        var build = state.GetProperty("build");
        await Assert.That(build.GetProperty("status").GetString()).IsEqualTo("failed");
        await Assert.That(build.GetProperty("message").GetString()).StartsWith("build failed: ");
        var error = build.GetProperty("errors")[0];
        await Assert.That((error.GetProperty("file").GetString(), error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32()))
            .IsEqualTo(("main.c", 3, 72));
        await Assert.That(error.GetProperty("message").GetString()).IsEqualTo("use of undeclared identifier 'missing'");
        // The last good build stays live.
        await Assert.That(await server.Http.GetByteArrayAsync(server.Url + "_wasmrun/module.wasm")).IsEquivalentTo(rebuilt);
        await Assert.That(server.Stderr).Contains("error: build failed: ");

        await File.WriteAllTextAsync(Path.Join(project, "main.c"), MainC);
        await Assert.That((await ReceiveAsync(socket)).GetProperty("type").GetString()).IsEqualTo("building");
        var fixedAgain = await ReceiveAsync(socket);
        await Assert.That(fixedAgain.GetProperty("type").GetString()).IsEqualTo("built");
        await Assert.That(fixedAgain.GetProperty("state").GetProperty("generation").GetInt32()).IsEqualTo(live + 1);
        // The first build's inputs again: the cache has it.
        await Assert.That(fixedAgain.GetProperty("state").GetProperty("build").GetProperty("from_cache").GetBoolean()).IsTrue();
        await Assert.That(server.Stderr).Contains("↻ main.c changed: rebuilding\n");
    }

    [Test]
    public async Task A_first_build_that_fails_ends_run_but_under_watch_the_server_waits_for_a_fix()
    {
        RequiredTool.Program("clang-14", "apt install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32");
        using var temp = new TempDirectory();
        var project = ServerFolders.Project(temp, ("main.c", "int main(void) { return missing; }\n"));
        var once = await WasmrunBinary.RunAsync(["run", "--port", "0"], new Dictionary<string, string?> { ["WASMRUN_HOME"] = ServerFolders.Home(temp) }, project);
        await Assert.That(once.ExitCode).IsEqualTo(3).Because(once.ToString());
        await Assert.That(once.Stderr).Contains("main.c:1:25: error: use of undeclared identifier 'missing'");

        await using var server = await DevServerProcess.StartAsync(ServerFolders.Home(temp), project, "run", "--watch", "--port", "0");
        await Assert.That(server.Stdout).StartsWith("serving project (the build failed; the page shows the errors until a change fixes them)");
        using (var state = JsonDocument.Parse(await server.Http.GetStringAsync(server.Url + "_wasmrun/api/state")))
        {
            await Assert.That(state.RootElement.GetProperty("module").ValueKind).IsEqualTo(JsonValueKind.Null);
            await Assert.That(state.RootElement.GetProperty("build").GetProperty("status").GetString()).IsEqualTo("failed");
        }
        using (var report = await server.GetAsync("/_wasmrun/api/module"))
        {
            await Assert.That(report.StatusCode).IsEqualTo(HttpStatusCode.NotFound);
        }
        await File.WriteAllTextAsync(Path.Join(project, "main.c"), MainC);
        await server.WaitForStderrAsync("rebuilt in ");
        using var fixedState = JsonDocument.Parse(await server.Http.GetStringAsync(server.Url + "_wasmrun/api/state"));
        await Assert.That(fixedState.RootElement.GetProperty("generation").GetInt32()).IsEqualTo(1);
        await Assert.That(fixedState.RootElement.GetProperty("kind").GetString()).IsEqualTo("wasi");
    }

    [Test]
    public async Task A_failed_builds_errors_carry_code_frames_of_the_projects_files_only()
    {
        RequiredTool.Program("clang-14", "apt install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32");
        using var temp = new TempDirectory();
        var outside = Path.Join(temp.Path, "secret.txt");
        await File.WriteAllTextAsync(outside, "do not show\n");
        // #line makes clang name any file it is told to; the server must not read it into the page.
        var project = ServerFolders.Project(temp, ("main.c", "int first(void) {\n  return missing;\n}\n#line 1 \"../secret.txt\"\nint second(void) { return absent; }\n"));
        await using var server = await DevServerProcess.StartAsync(ServerFolders.Home(temp), project, "run", "--watch", "--port", "0");
        using var state = JsonDocument.Parse(await server.Http.GetStringAsync(server.Url + "_wasmrun/api/state"));
        var errors = state.RootElement.GetProperty("build").GetProperty("errors").EnumerateArray().ToList();
        await Assert.That(errors.Count).IsEqualTo(2);
        await Assert.That(errors[0].GetProperty("file").GetString()).IsEqualTo("main.c");
        var frame = errors[0].GetProperty("frame");
        await Assert.That(frame.GetProperty("first_line").GetInt32()).IsEqualTo(1);
        await Assert.That(frame.GetProperty("lines").EnumerateArray().Select(line => line.GetString()!).ToList()).IsEquivalentTo(
            ["int first(void) {", "  return missing;", "}", "#line 1 \"../secret.txt\""]);
        await Assert.That(errors[1].GetProperty("file").GetString()).IsEqualTo(outside);
        await Assert.That(errors[1].TryGetProperty("frame", out _)).IsFalse();
    }

    [Test]
    public async Task Glue_without_a_page_gets_a_page_that_loads_it_and_a_web_target_is_served_as_its_own_page()
    {
        RequiredTool.Program("emcc", "apt install emscripten");
        using var temp = new TempDirectory();
        var project = ServerFolders.Project(temp, ("main.c", MainC));
        await using (var glue = await DevServerProcess.StartAsync(ServerFolders.Home(temp), project, "run", "--target", "wasm", "--port", "0"))
        {
            var page = await glue.Http.GetStringAsync(glue.Url);
            await Assert.That(page).Contains("<script src=\"project.js\"></script>\n<script type=\"module\" src=\"/_wasmrun/reload.js\"></script>");
            await Assert.That(page).Contains("<pre id=\"output\" data-role=\"output\"></pre>");
            using var script = await glue.GetAsync("/project.js");
            await Assert.That(script.Content.Headers.ContentType!.ToString()).IsEqualTo("text/javascript; charset=utf-8");
        }
        await using var web = await DevServerProcess.StartAsync(ServerFolders.Home(temp), project, "run", "--target", "web", "--port", "0");
        var html = await web.Http.GetStringAsync(web.Url);
        await Assert.That(html).Contains("<script async type=\"text/javascript\" src=\"index.js\"></script>");
        await Assert.That(html).Contains("<script type=\"module\" src=\"/_wasmrun/reload.js\"></script>\n</body>");
    }

    [Test]
    public async Task Open_says_in_one_line_when_no_browser_opened_and_which_URL_to_open()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip.Test("xdg-open is the opener on Linux only");
            return;
        }
        using var temp = new TempDirectory();
        // xdg-open without a browser to hand the page to exits with 3 and prints nothing useful to us.
        var failing = Directory.CreateDirectory(Path.Join(temp.Path, "failing")).FullName;
        var opener = Path.Join(failing, "xdg-open");
        await File.WriteAllTextAsync(opener, "#!/bin/sh\necho 'xdg-open: no method available for opening' >&2\nexit 3\n");
        File.SetUnixFileMode(opener, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using (var server = await DevServerProcess.StartAsync(ServerFolders.Home(temp), temp.Path, new Dictionary<string, string?> { ["PATH"] = failing },
            "run", Example("math.wasm"), "--port", "0", "--open"))
        {
            await server.WaitForStderrAsync("note:", seconds: 20);
            await Assert.That(server.Stderr).IsEqualTo($"note: no browser opened (xdg-open exited with code 3): open {server.Url} in a browser\n");
        }
        var empty = Directory.CreateDirectory(Path.Join(temp.Path, "empty")).FullName;
        await using var none = await DevServerProcess.StartAsync(ServerFolders.Home(temp), temp.Path, new Dictionary<string, string?> { ["PATH"] = empty },
            "run", Example("math.wasm"), "--port", "0", "--open");
        await none.WaitForStderrAsync("note:", seconds: 20);
        await Assert.That(none.Stderr).IsEqualTo($"note: no browser opened (xdg-open is not installed): open {none.Url} in a browser\n");
    }

    [Test]
    public async Task A_word_that_is_no_command_and_no_path_is_a_usage_error_not_a_server()
    {
        var result = await WasmrunBinary.RunAsync(["exce"]);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).StartsWith("error: unknown command or path 'exce'\n  hint: did you mean `wasmrun exec`? (`wasmrun --help` lists the commands)\n");
        var notIp = await WasmrunBinary.RunAsync(["run", Example("math.wasm"), "--host", "example.com"]);
        await Assert.That(notIp.ExitCode).IsEqualTo(2);
        await Assert.That(notIp.Stderr).StartsWith("error: --host example.com: not an IP address\n");
    }

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray())).RootElement.Clone();
    }
}
