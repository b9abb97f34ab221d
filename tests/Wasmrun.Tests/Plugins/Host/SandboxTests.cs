// Attacks on the plugin sandbox from a script: the CLR, the network, programs, files, environment variables and
// imports it was not granted, each refused with an error naming the plugin and the rule (one the script cannot
// catch), and the limits on statements, memory, recursion and script time. Controls show the same calls work when
// granted, so a refusal is the rule at work, not a broken function.
using System.Runtime.InteropServices;

namespace Wasmrun.Tests.Plugins.Host;

public sealed partial class SandboxTests
{
    private static async Task RuleBroken(ScriptHarness harness, string rule)
    {
        var error = harness.BuildFails();
        await Assert.That(error.ExitCode).IsEqualTo(ExitCode.PluginFailed);
        await Assert.That(error.Message).Contains("plugin test-plugin 1.0.0 broke a sandbox rule");
        await Assert.That(error.Message).Contains(rule);
    }

    [Test]
    public async Task No_CLR_access_and_no_network_or_node_globals()
    {
        using var harness = new ScriptHarness("""
            export function build() {
              return [typeof importNamespace, typeof System, typeof require, typeof fetch, typeof XMLHttpRequest,
                      typeof process, typeof setTimeout, typeof WebSocket].join(",");
            }
            """);
        await Assert.That(harness.Build()).IsEqualTo("undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined");
    }

    [Test]
    public async Task Reaching_for_the_CLR_is_a_plugin_failure_with_the_script_location()
    {
        using var harness = new ScriptHarness("""
            export function build() {
              return System.IO.File.ReadAllText("/etc/passwd");
            }
            """);
        var error = harness.BuildFails();
        await Assert.That(error.ExitCode).IsEqualTo(ExitCode.PluginFailed);
        await Assert.That(error.Message).Contains("plugin test-plugin 1.0.0 failed: System is not defined at plugin.js:2:");
    }

    [Test]
    public async Task A_program_not_in_permissions_run_is_refused_even_inside_try_catch()
    {
        using var harness = new ScriptHarness("""
            import { run } from "wasmrun";
            export function build() {
              try { run("sh", ["-c", "echo pwned > pwned.txt"]); } catch (e) { return "caught"; }
              return "ran";
            }
            """, """run = ["echo"]""");
        await RuleBroken(harness, "run(\"sh\"): the program is not in [permissions] run");
        await Assert.That(File.Exists(Path.Join(harness.Project, "pwned.txt"))).IsFalse();
    }

    [Test]
    public async Task A_permitted_program_gets_its_arguments_without_a_shell()
    {
        using var harness = new ScriptHarness("""
            import { run } from "wasmrun";
            export function build(ctx) {
              const result = run("echo", ["$(touch pwned.txt)", "a b", ";", "|"], { quiet: true });
              return JSON.stringify(result);
            }
            """, """run = ["echo"]""");
        await Assert.That(harness.Build()).IsEqualTo("""{"code":0,"stdout":"$(touch pwned.txt) a b ; |\n","stderr":""}""");
        await Assert.That(File.Exists(Path.Join(harness.Project, "pwned.txt"))).IsFalse();
    }

    [Test]
    public async Task Reads_outside_the_project_are_refused()
    {
        foreach (var path in new[] { "/etc/passwd", "../outside/secret.txt", "dist/../../outside/secret.txt" })
        {
            using var harness = new ScriptHarness($$"""
                import { readFile } from "wasmrun";
                export function build() { return readFile("{{path}}"); }
                """);
            await RuleBroken(harness, $"readFile(\"{path}\")");
        }
    }

    [Test]
    public async Task A_symlink_in_the_project_that_leads_outside_is_not_a_way_out()
    {
        using var harness = new ScriptHarness("""
            import { readFile } from "wasmrun";
            export function build() { return readFile("link/secret.txt"); }
            """);
        File.CreateSymbolicLink(Path.Join(harness.Project, "link"), harness.Outside);
        await RuleBroken(harness, "readFile(\"link/secret.txt\")");
    }

    [Test]
    public async Task Files_outside_the_project_listed_in_permissions_read_are_readable()
    {
        using var harness = new ScriptHarness("""
            import { readFile } from "wasmrun";
            export function build(ctx) { return readFile(ctx.projectDir + "/../outside/secret.txt"); }
            """, $"""read = ["{ScriptHarnessPaths.Glob}"]""");
        await Assert.That(harness.Build()).IsEqualTo("outside secret");
    }

    [Test]
    public async Task Writes_go_only_into_the_output_folder()
    {
        using var harness = new ScriptHarness("""
            import { writeFile } from "wasmrun";
            export function build(ctx) {
              writeFile(ctx.outputDir + "/ok.txt", "fine");
              writeFile("main.c", "overwritten");
            }
            """);
        File.WriteAllText(Path.Join(harness.Project, "main.c"), "int main(void) { return 0; }");
        await RuleBroken(harness, "writeFile(\"main.c\")");
        await Assert.That(File.ReadAllText(Path.Join(harness.Output, "ok.txt"))).IsEqualTo("fine");
        await Assert.That(File.ReadAllText(Path.Join(harness.Project, "main.c"))).IsEqualTo("int main(void) { return 0; }");
    }

    [Test]
    public async Task A_symlink_in_the_output_folder_does_not_lead_a_write_outside()
    {
        using var harness = new ScriptHarness("""
            import { writeFile } from "wasmrun";
            export function build(ctx) { writeFile(ctx.outputDir + "/escape/secret.txt", "overwritten"); }
            """);
        File.CreateSymbolicLink(Path.Join(harness.Output, "escape"), harness.Outside);
        await RuleBroken(harness, "writeFile(");
        await Assert.That(File.ReadAllText(Path.Join(harness.Outside, "secret.txt"))).IsEqualTo("outside secret");
    }

    [Test]
    public async Task A_link_whose_target_climbs_out_through_another_link_is_not_a_way_out()
    {
        using var harness = new ScriptHarness("""
            import { readFile, writeFile } from "wasmrun";
            export function build(ctx) {
              let read = "refused";
              try { read = readFile("dist/up/secret.txt"); } finally { writeFile("dist/up/pwned.txt", read); }
            }
            """);
        // dist/up -> deep/.. is dist itself only when ".." is taken before "deep" is resolved; the kernel resolves
        // deep first (a link to outside/inner), so dist/up is outside.
        var inner = Directory.CreateDirectory(Path.Join(harness.Outside, "inner")).FullName;
        File.CreateSymbolicLink(Path.Join(harness.Output, "deep"), inner);
        File.CreateSymbolicLink(Path.Join(harness.Output, "up"), "deep/..");
        await RuleBroken(harness, "readFile(\"dist/up/secret.txt\")");
        await Assert.That(File.Exists(Path.Join(harness.Outside, "pwned.txt"))).IsFalse();
    }

    [Test]
    [NotInParallel] // a rename anywhere fails openat2's ".." lookups with EAGAIN, the WASI tests' among them
    public async Task A_folder_swapped_for_a_link_while_the_plugin_writes_does_not_lead_a_write_outside()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip.Test("the swap uses Linux's renameat2");
        }
        using var harness = new ScriptHarness("""
            import { writeFile, mkdir, copyFile } from "wasmrun";
            export function build(ctx) {
              for (let i = 0; i < 100; i++) {
                writeFile(`dist/sub/written${i}.txt`, "escaped");
                mkdir(`dist/sub/made${i}`);
                copyFile("input.txt", `dist/sub/copied${i}.txt`);
              }
            }
            """);
        File.WriteAllText(Path.Join(harness.Project, "input.txt"), "escaped");
        var sub = Directory.CreateDirectory(Path.Join(harness.Output, "sub")).FullName;
        var link = Path.Join(harness.Output, "link");
        File.CreateSymbolicLink(link, harness.Outside);
        using var stop = new CancellationTokenSource();
        // dist/sub is a folder and a link to the outside folder in turn, swapped atomically as fast as it goes.
        var swapper = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                _ = renameat2(AtFdCwd, sub, AtFdCwd, link, RenameExchange);
            }
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(3) && Directory.GetFileSystemEntries(harness.Outside).Length == 1)
        {
            try
            {
                harness.Build();
            }
            catch (Exception)
            {
                // Refused or failed: either is fine while nothing lands outside.
            }
        }
        await stop.CancelAsync();
        await swapper;
        await Assert.That(Directory.GetFileSystemEntries(harness.Outside).Select(entry => Path.GetFileName(entry)!)).IsEquivalentTo(["secret.txt"]);
    }

    private const int AtFdCwd = -100;
    private const uint RenameExchange = 2;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int renameat2(int olddirfd, string oldpath, int newdirfd, string newpath, uint flags);

    [Test]
    public async Task Remove_takes_away_a_link_not_what_it_leads_to()
    {
        using var harness = new ScriptHarness("""
            import { remove } from "wasmrun";
            export function build(ctx) { remove("dist/outside"); remove("dist/inside"); remove("dist/tree"); return "removed"; }
            """);
        File.CreateSymbolicLink(Path.Join(harness.Output, "outside"), harness.Outside);
        var kept = Directory.CreateDirectory(Path.Join(harness.Output, "kept")).FullName;
        File.CreateSymbolicLink(Path.Join(harness.Output, "inside"), kept);
        Directory.CreateDirectory(Path.Join(harness.Output, "tree", "a", "b"));
        File.WriteAllText(Path.Join(harness.Output, "tree", "a", "b", "f.txt"), "gone");
        File.CreateSymbolicLink(Path.Join(harness.Output, "tree", "a", "out"), harness.Outside);

        await Assert.That(harness.Build()).IsEqualTo("removed");
        await Assert.That(Directory.GetFileSystemEntries(harness.Output).Select(entry => Path.GetFileName(entry)!)).IsEquivalentTo(["kept"]);
        await Assert.That(File.ReadAllText(Path.Join(harness.Outside, "secret.txt"))).IsEqualTo("outside secret");
    }

    [Test]
    public async Task The_output_folder_itself_cannot_be_removed()
    {
        using var harness = new ScriptHarness("""
            import { remove } from "wasmrun";
            export function build(ctx) { remove(ctx.outputDir); }
            """);
        await RuleBroken(harness, "is a folder the plugin writes into");
        await Assert.That(Directory.Exists(harness.Output)).IsTrue();
    }

    [Test]
    public async Task Environment_variables_need_permission()
    {
        using var granted = new ScriptHarness("""
            import { env } from "wasmrun";
            export function build() { return env("HOME") === null ? "unset" : "set"; }
            """, """env = ["HOME"]""");
        await Assert.That(granted.Build()).IsEqualTo("set");
        using var refused = new ScriptHarness("""
            import { env } from "wasmrun";
            export function build() { return env("WASMRUN_SECRET_TOKEN"); }
            """, """env = ["HOME"]""");
        await RuleBroken(refused, "env(\"WASMRUN_SECRET_TOKEN\"): the variable is not in [permissions] env");
    }

    [Test]
    public async Task Imports_stay_inside_the_package()
    {
        using var local = new ScriptHarness("""
            import { twice } from "./lib/math.js";
            export function build() { return String(twice(21)); }
            """, "", ("lib/math.js", "import { half } from '../half.js'; export const twice = n => half(n) * 4;"), ("half.js", "export const half = n => n / 2;"));
        await Assert.That(local.Build()).IsEqualTo("42");
        foreach (var specifier in new[] { "fs", "node:child_process", "../outside/evil.js", "/etc/passwd", "https://example.com/x.js" })
        {
            using var harness = new ScriptHarness($$"""
                import x from "{{specifier}}";
                export function build() { return "loaded"; }
                """);
            var error = harness.BuildFails();
            await Assert.That(error.ExitCode).IsEqualTo(ExitCode.PluginFailed);
            await Assert.That(error.Message).Contains("broke a sandbox rule: import");
        }
    }

    [Test]
    public async Task An_endless_loop_hits_the_statement_limit()
    {
        using var harness = new ScriptHarness("export function build() { for (;;) {} }");
        harness.Limits.Statements = 100_000;
        var error = harness.BuildFails();
        await Assert.That(error.Message).IsEqualTo("plugin test-plugin 1.0.0 exceeded its statements limit: its script ran too many statements");
        await Assert.That(error.Hint).Contains("plugin_limits.statements in config.toml");
    }

    [Test]
    public async Task Script_time_is_limited_but_time_in_programs_is_not_counted()
    {
        using var slowScript = new ScriptHarness("export function build() { for (;;) {} }");
        slowScript.Limits.Time = "300ms";
        slowScript.Limits.Statements = long.MaxValue;
        await Assert.That(slowScript.BuildFails().Message).Contains("exceeded its time limit");

        using var slowProgram = new ScriptHarness("""
            import { run } from "wasmrun";
            export function build() { return String(run("sleep", ["1"]).code); }
            """, """run = ["sleep"]""");
        slowProgram.Limits.Time = "300ms";
        await Assert.That(slowProgram.Build()).IsEqualTo("0");
    }

    [Test]
    public async Task A_program_that_prints_nothing_for_a_while_is_reported_as_still_running()
    {
        using var harness = new ScriptHarness("""
            import { run } from "wasmrun";
            export function build() { run("sleep", ["1"]); run("sleep", ["1"], { quiet: true }); return "done"; }
            """, """run = ["sleep"]""");
        harness.QuietInterval = TimeSpan.FromMilliseconds(300);
        await Assert.That(harness.Build()).IsEqualTo("done");
        var lines = harness.Log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await Assert.That(lines[0]).IsEqualTo("→ sleep 1");
        // About three quiet intervals in the first second; none for the quiet run, whose step is not shown either.
        await Assert.That(lines.Skip(1)).All(line => line.StartsWith("    … sleep still running (", StringComparison.Ordinal));
        await Assert.That(lines.Length).IsBetween(2, 4);
    }

    [Test]
    public async Task Memory_and_recursion_are_limited()
    {
        using var hungry = new ScriptHarness("""
            export function build() { const a = []; for (;;) { a.push("x".repeat(1 << 16) + a.length); } }
            """);
        hungry.Limits.Memory = "16MiB";
        hungry.Limits.Statements = long.MaxValue;
        await Assert.That(hungry.BuildFails().Message).Contains("exceeded its memory limit");

        using var deep = new ScriptHarness("const f = n => f(n + 1); export function build() { f(0); }");
        deep.Limits.Recursion = 100;
        await Assert.That(deep.BuildFails().Message).Contains("exceeded its recursion limit");
    }

    [Test]
    public async Task Fail_ends_the_build_as_failed_not_as_a_plugin_error()
    {
        using var harness = new ScriptHarness("""
            import { fail } from "wasmrun";
            export function build() { fail("the compiler said no"); }
            """);
        var error = harness.BuildFails();
        await Assert.That(error.ExitCode).IsEqualTo(ExitCode.BuildFailed);
        await Assert.That(error.Message).IsEqualTo("build failed: the compiler said no");
    }

    [Test]
    public async Task Ordinary_failures_are_errors_the_script_can_catch()
    {
        using var harness = new ScriptHarness("""
            import { readFile, run } from "wasmrun";
            export function build() {
              const caught = [];
              try { readFile("missing.txt"); } catch (e) { caught.push(e.message.startsWith("readFile: no file")); }
              try { run("wasmrun-no-such-program-anywhere", []); } catch (e) { caught.push(e.message.includes("is not installed")); }
              return caught.join(",");
            }
            """, """run = ["wasmrun-no-such-program-anywhere"]""");
        await Assert.That(harness.Build()).IsEqualTo("true,true");
    }
}

/// <summary>A permissions.read pattern for the harness's outside folder (any temporary test folder).</summary>
internal static class ScriptHarnessPaths
{
    public static string Glob => Path.Join(Path.GetTempPath(), "wasmrun-test-*", "outside", "*.txt").Replace('\\', '/');
}
