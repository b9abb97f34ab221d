// Runs one scenario of a script in tests/browser (run.mjs for the playground, os-page.mjs for the OS page) against a
// running server: Debian's Chromium through playwright-core (`npm ci` there once per test run). The script may stop the
// server and start it again on the same port with the same arguments (harness.mjs); screenshots land in
// artifacts/screenshots/ (CI keeps them).
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Server;

internal static class BrowserScript
{
    private static readonly string Scripts = Path.Join(RepositoryRoot.Path, "tests", "browser");

    /// <summary>`npm ci` in tests/browser, once per test run.</summary>
    private static readonly Lazy<Task<string?>> Installed = new(InstallAsync);

    public static async Task RunAsync(string script, string scenario, DevServerProcess server, string project, string data = "")
    {
        var chromium = RequiredTool.Program("chromium", "apt install chromium");
        var problem = await Installed.Value;
        if (problem is not null)
        {
            throw new InvalidOperationException(problem);
        }
        var screenshots = Path.Join(RepositoryRoot.Path, "artifacts", "screenshots");
        var environment = new Dictionary<string, string?>
        {
            ["CHROMIUM"] = chromium,
            ["WASMRUN_BIN"] = WasmrunBinary.RequirePath(),
            ["WASMRUN_HOME"] = server.Home,
            ["WASMRUN_RUN_DIR"] = server.WorkingDirectory,
            ["WASMRUN_RUN_ARGS"] = string.Join('\n', server.Arguments),
        };
        var result = await ExternalProcess.RunAsync("node", [Path.Join(Scripts, script), scenario, server.Url, project, screenshots, data], Scripts,
            environment, TimeSpan.FromMinutes(3));
        await Assert.That(result.ExitCode).IsEqualTo(0).Because($"{result}\n--- server stderr\n{server.Stderr}");
    }

    private static async Task<string?> InstallAsync()
    {
        RequiredTool.Program("npm", "install Node.js 20 or later with npm");
        if (File.Exists(Path.Join(Scripts, "node_modules", "playwright-core", "package.json")))
        {
            return null;
        }
        var install = await ExternalProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], Scripts, timeout: TimeSpan.FromMinutes(5));
        return install.ExitCode == 0 ? null : $"npm ci in tests/browser failed:\n{install}";
    }
}
