// The playground and live reload in a real browser: each test starts `wasmrun run` (the published binary) on a real
// module or project, then tests/browser/run.mjs drives Debian's Chromium through playwright-core against it.
// Screenshots land in artifacts/screenshots/ (CI keeps them).
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Server;

public sealed class BrowserTests
{
    private const string MainC = """
        #include <stdio.h>

        __attribute__((export_name("add"))) int add(int a, int b) { return a + b; }

        int main(int argc, char **argv) {
            printf("Hello,");
            for (int i = 1; i < argc; i++) {
                printf(" %s", argv[i]);
            }
            printf("! 2 + 3 = %d\n", add(2, 3));
            return 0;
        }

        """;

    /// <summary>A module without WASI for the page's own checks (`clang-14 --target=wasm32 -nostdlib`).</summary>
    private const string ChecksC = """
        #define EXPORT(name) __attribute__((export_name(#name)))

        EXPORT(add) int add(int a, int b) { return a + b; }

        EXPORT(spin) void spin(void) {
            volatile int forever = 1;
            while (forever) {
            }
        }

        EXPORT(d) double d(double x) { return x; }

        EXPORT(f) float f(float x) { return x; }

        EXPORT(divide) double divide(double a, double b) { return a / b; }

        EXPORT(payload) double payload(void) { return __builtin_nan("0x1234"); }

        """;

    [Test]
    public async Task The_playground_calls_exports_with_typed_arguments_and_shows_console_memory_and_info() =>
        await ServeMathModuleAndRunAsync("playground");

    [Test]
    public async Task A_WASI_command_runs_in_the_terminal_panel() =>
        await ServeMainCAndRunAsync("wasi");

    [Test]
    public async Task An_edit_shows_its_result_without_a_refresh_a_broken_build_the_overlay_and_a_fix_recovers() =>
        await ServeMainCAndRunAsync("liveReload", "--watch");

    [Test]
    public async Task After_a_restart_the_page_shows_the_new_builds_exports_without_a_reload() =>
        await ServeMainCAndRunAsync("restart");

    [Test]
    public async Task A_lost_server_is_shown_by_a_banner_across_the_top_until_it_is_back() =>
        await ServeMathModuleAndRunAsync("disconnected");

    [Test]
    public async Task At_420_px_every_tab_and_all_of_module_info_is_in_view() =>
        await ServeMainCAndRunAsync("narrow");

    [Test]
    public async Task A_call_that_never_returns_leaves_the_page_alive_and_Stop_ends_it()
    {
        using var temp = new TempDirectory();
        var module = await CompileAsync(temp.Path, ChecksC);
        await using var server = await DevServerProcess.StartAsync(ServerFolders.Home(temp), temp.Path, "run", module, "--port", "0");
        await RunScenarioAsync("stop", server, temp.Path);
    }

    [Test]
    public async Task Results_print_as_the_CLI_prints_them()
    {
        using var temp = new TempDirectory();
        var module = await CompileAsync(temp.Path, ChecksC);
        (string Function, string[] Args)[] calls =
        [
            ("d", ["inf"]), ("d", ["-inf"]), ("d", ["nan"]), ("d", ["-nan"]), ("d", ["nan:0x8000000001234"]), ("payload", []),
            ("divide", ["0", "0"]), ("d", ["-0"]), ("d", ["0.1"]), ("d", ["1e21"]), ("d", ["1e17"]), ("d", ["1e16"]),
            ("d", ["12345678901234567"]), ("d", ["0.0001"]), ("d", ["1e-5"]), ("d", ["1.2345e-7"]), ("d", ["5e-324"]),
            ("d", ["1.5e300"]), ("f", ["inf"]), ("f", ["-nan"]), ("f", ["0.1"]), ("f", ["1e8"]), ("f", ["1e9"]),
            ("f", ["123456789"]), ("f", ["1e-5"]), ("f", ["3.4e38"]), ("f", ["-0"]),
        ];
        var cases = new System.Text.Json.Nodes.JsonArray();
        foreach (var (function, args) in calls)
        {
            var cli = await WasmrunBinary.RunAsync(["exec", "--invoke", function, module, "--", .. args]);
            await Assert.That(cli.ExitCode).IsEqualTo(0).Because(cli.ToString());
            cases.Add(new System.Text.Json.Nodes.JsonObject
            {
                ["fn"] = function,
                ["args"] = new System.Text.Json.Nodes.JsonArray([.. args.Select(arg => (System.Text.Json.Nodes.JsonNode)arg)]),
                ["expected"] = cli.Stdout.Trim(),
            });
        }
        await Assert.That(cases[0]!["expected"]!.GetValue<string>()).IsEqualTo("inf");
        await using var server = await DevServerProcess.StartAsync(ServerFolders.Home(temp), temp.Path, "run", module, "--port", "0");
        await RunScenarioAsync("values", server, temp.Path, cases.ToJsonString());
    }

    [Test]
    public async Task The_projects_own_page_reloads_after_a_rebuild_and_shows_a_failure()
    {
        RequiredTool.Program("clang-14", "apt install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32");
        using var temp = new TempDirectory();
        var project = ServerFolders.Project(temp, ("main.c", MainC), ("index.html", "<!doctype html>\n<html><head><title>app</title></head><body><h1>own page</h1></body></html>\n"));
        await using var server = await DevServerProcess.StartAsync(ServerFolders.Home(temp), project, "run", "--watch", "--port", "0");
        await RunScenarioAsync("app", server, project);
    }

    [Test]
    public async Task A_Go_project_is_served_as_its_page_and_runs_in_the_browser()
    {
        RequiredTool.Program("go", "apt install golang-go");
        using var temp = new TempDirectory();
        var home = ServerFolders.Home(temp);
        var environment = new Dictionary<string, string?> { ["WASMRUN_HOME"] = home };
        var install = await WasmrunBinary.RunAsync(["plugin", "install", "wasmgo"], environment);
        await Assert.That(install.ExitCode).IsEqualTo(0).Because(install.ToString());
        var init = await WasmrunBinary.RunAsync(["init", "gdemo", "--template", "go"], environment, temp.Path);
        await Assert.That(init.ExitCode).IsEqualTo(0).Because(init.ToString());
        var project = Path.Join(temp.Path, "gdemo");
        await using var server = await DevServerProcess.StartAsync(home, project, "run", "--port", "0");
        await Assert.That(server.Stdout).StartsWith("serving gdemo (plugin wasmgo 1.1.0, target web, release, built in ");
        await RunScenarioAsync("goApp", server, project);
    }

    /// <summary>Runs one scenario of run.mjs against the server. The scenario may stop the server and start it again
    /// on the same port (with the same arguments, as `wasmrun stop` and `wasmrun run` would); `data` is handed to it.</summary>
    [Test]
    public async Task An_AssemblyScript_module_that_imports_only_env_abort_gets_the_playground()
    {
        RequiredTool.Program("npx", "npm (node 20 or later)");
        using var temp = new TempDirectory();
        var home = ServerFolders.Home(temp);
        var environment = new Dictionary<string, string?> { ["WASMRUN_HOME"] = home };
        var install = await WasmrunBinary.RunAsync(["plugin", "install", "wasmasc"], environment);
        await Assert.That(install.ExitCode).IsEqualTo(0).Because(install.ToString());
        var init = await WasmrunBinary.RunAsync(["init", "ademo", "--template", "asc"], environment, temp.Path);
        await Assert.That(init.ExitCode).IsEqualTo(0).Because(init.ToString());
        var project = Path.Join(temp.Path, "ademo");
        await File.WriteAllTextAsync(Path.Join(project, "assembly", "index.ts"), """
            export function add(a: i32, b: i32): i32 {
              return a + b;
            }

            export function positive(n: i32): i32 {
              assert(n > 0, "not positive");
              return n;
            }

            """);
        // `run` builds the plugin's web target: a page of its own and ES module bindings, which the playground replaces.
        await using var server = await DevServerProcess.StartAsync(home, project, "run", "--port", "0");
        await Assert.That(server.Stdout).StartsWith("serving ademo (plugin wasmasc 1.1.0, target web, release, built in ");
        await RunScenarioAsync("ascPlayground", server, project);
    }

    /// <summary>Serves examples/math.wasm (`wasmrun run FILE`) and runs the scenario on its page.</summary>
    private static async Task ServeMathModuleAndRunAsync(string scenario)
    {
        using var temp = new TempDirectory();
        await using var server = await DevServerProcess.StartAsync(ServerFolders.Home(temp), temp.Path, "run", Path.Join(RepositoryRoot.Path, "examples", "math.wasm"), "--port", "0");
        await RunScenarioAsync(scenario, server, temp.Path);
    }

    /// <summary>Serves a C project of MainC (`wasmrun run OPTIONS` in it) and runs the scenario on its page.</summary>
    private static async Task ServeMainCAndRunAsync(string scenario, params string[] options)
    {
        RequiredTool.Program("clang-14", "apt install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32");
        using var temp = new TempDirectory();
        var project = ServerFolders.Project(temp, ("main.c", MainC));
        await using var server = await DevServerProcess.StartAsync(ServerFolders.Home(temp), project, ["run", .. options, "--port", "0"]);
        await RunScenarioAsync(scenario, server, project);
    }

    private static Task RunScenarioAsync(string scenario, DevServerProcess server, string project, string data = "") =>
        BrowserScript.RunAsync("run.mjs", scenario, server, project, data);

    /// <summary>checks.wasm in the folder, from C source, as a library module (no WASI, no entry point).</summary>
    private static async Task<string> CompileAsync(string folder, string source)
    {
        var clang = RequiredTool.Program("clang-14", "apt install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32");
        await File.WriteAllTextAsync(Path.Join(folder, "checks.c"), source);
        var result = await ExternalProcess.RunAsync(clang, ["--target=wasm32", "-O2", "-nostdlib", "-Wl,--no-entry", "-o", "checks.wasm", "checks.c"], folder);
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        return Path.Join(folder, "checks.wasm");
    }
}
