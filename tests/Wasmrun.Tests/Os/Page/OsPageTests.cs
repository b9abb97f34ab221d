// The OS page in a real browser: `wasmrun os` (the published binary) on a WASI command, then tests/browser/os-page.mjs
// drives Debian's Chromium through playwright-core against it. Screenshots: artifacts/screenshots/os-page.png and
// os-files.png.
using Wasmrun.Tests.Server;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Os.Page;

public sealed class OsPageTests
{
    [Test]
    public async Task The_page_shows_live_output_takes_stdin_kills_and_browses_the_files_a_process_wrote()
    {
        using var temp = new TempDirectory();
        var project = await EchoProject.CreateAsync(temp);
        await using var server = await EchoProject.ServeAsync(temp, project);
        await BrowserScript.RunAsync("os-page.mjs", "console", server, project);
    }

    [Test]
    public async Task After_a_restart_the_page_reconnects_and_shows_the_new_kernel_without_a_reload()
    {
        using var temp = new TempDirectory();
        var project = await EchoProject.CreateAsync(temp);
        await using var server = await EchoProject.ServeAsync(temp, project);
        await BrowserScript.RunAsync("os-page.mjs", "restart", server, project);
    }
}
