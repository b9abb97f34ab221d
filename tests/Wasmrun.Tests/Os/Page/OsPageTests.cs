// The OS page in a real browser: `wasmrun os` (the published binary) on a WASI command and on a JavaScript + Python
// project run by the embedded runtimes, then tests/browser/os-page.mjs drives Debian's Chromium through playwright-core
// against it. Screenshots: artifacts/screenshots/os-page.png, os-files.png and os-runtimes.png.
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

    [Test]
    public async Task The_page_runs_a_node_project_and_a_python_command_with_the_embedded_runtimes()
    {
        using var temp = new TempDirectory();
        var project = ServerFolders.Project(temp,
            ("package.json", """{ "name": "two-runtimes", "main": "index.js" }"""),
            ("index.js", """
                const fs = require("fs");
                fs.writeFileSync("/tmp/note.json", JSON.stringify({ note: "written by node", pid: process.pid }));
                console.log(`node ready in ${process.cwd()}`);
                console.error("node: a warning on stderr");
                process.stdin.setEncoding("utf8");
                process.stdin.on("data", (chunk) => {
                  for (const line of chunk.split("\n").filter(Boolean)) console.log(`node got ${line.toUpperCase()}`);
                });

                """),
            ("main.py", """
                import json, pathlib, sys
                note = json.loads(pathlib.Path("/tmp/note.json").read_text())["note"]
                print(f"python {sys.version_info.major}.{sys.version_info.minor} read node's note: {note}", flush=True)
                count = 0
                for line in sys.stdin:
                    count += 1
                    text = line.rstrip("\n")
                    print("python got", text[::-1] if "--reverse" in sys.argv else text, flush=True)
                print(f"python: end of input after {count} lines")

                """));
        await using var server = await EchoProject.ServeAsync(temp, project);
        await BrowserScript.RunAsync("os-page.mjs", "runtimes", server, project);
    }
}
