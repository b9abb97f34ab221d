// Hostile plugin scripts through the published binary: whatever a script does, the process ends with one error line
// that names the plugin and a plugin's exit code, never with a crash, an "internal error" or a stack trace. Every
// host function works with literal, variable and template arguments (a NativeAOT abort once hid behind literals).
using Wasmrun.Tests.Server;

namespace Wasmrun.Tests.Plugins;

public sealed class HostilePluginTests
{
    private const string Imports = """
        import { run, which, canRead, exists, isDirectory, list, glob, readFile, writeFile, copyFile, mkdir, remove,
                 env, join, log, warn, debug, progress, fail, missing, platform } from "wasmrun";
        """;

    /// <summary>One call of each host function: its text with {0}, {1} for its string arguments, the arguments, and
    /// the exit code the build ends with.</summary>
    private static readonly Dictionary<string, (string Call, string[] Texts, int Exit)> hostCalls = new()
    {
        ["run"] = ("run({0}, [{1}], {{ quiet: true }})", ["echo", "a"], 0),
        ["which"] = ("which({0})", ["echo"], 0),
        ["canRead"] = ("canRead({0})", ["hostile.txt"], 0),
        ["exists"] = ("exists({0})", ["hostile.txt"], 0),
        ["isDirectory"] = ("isDirectory({0})", ["dist"], 0),
        ["list"] = ("list({0})", ["."], 0),
        ["glob"] = ("glob({0})", ["*.txt"], 0),
        ["readFile"] = ("readFile({0})", ["hostile.txt"], 0),
        ["writeFile"] = ("writeFile({0}, {1})", ["dist/a.txt", "text"], 0),
        ["copyFile"] = ("copyFile({0}, {1})", ["hostile.txt", "dist/b.txt"], 0),
        ["mkdir"] = ("mkdir({0})", ["dist/made"], 0),
        ["remove"] = ("remove({0})", ["dist/gone.txt"], 0),
        ["env"] = ("env({0})", ["HOME"], 0),
        ["join"] = ("join({0}, {1})", ["a", "b"], 0),
        ["log"] = ("log({0}, {1})", ["a", "b"], 0),
        ["warn"] = ("warn({0})", ["a"], 0),
        ["debug"] = ("debug({0})", ["a"], 0),
        ["progress"] = ("progress({0})", ["a"], 0),
        ["fail"] = ("fail({0})", ["no luck"], 3),
        ["missing"] = ("missing({0}, {1})", ["a tool", "install it"], 4),
    };

    private static readonly string[] argumentForms = ["literal", "variable", "template"];

    public static IEnumerable<(string Function, string Form)> HostCalls() =>
        hostCalls.Keys.SelectMany(function => argumentForms.Select(form => (function, form)));

    [Test]
    [MethodDataSource(nameof(HostCalls))]
    public async Task Every_host_function_takes_literal_variable_and_template_arguments(string function, string form)
    {
        var (call, texts, exit) = hostCalls[function];
        var arguments = form switch
        {
            "literal" => texts.Select(text => $"\"{text}\""),
            "variable" => texts.Select((_, i) => $"v{i}"),
            _ => texts.Select(text => $"`{text}`"),
        };
        var variables = string.Concat(texts.Select((text, i) => $"const v{i} = \"{text}\"; "));
        using var plugin = new ScriptedPlugin($$"""
            {{Imports}}
            export function build(ctx) {
              {{variables}}
              {{string.Format(System.Globalization.CultureInfo.InvariantCulture, call, [.. arguments])}};
              writeFile("dist/out.wasm", {{ScriptedPlugin.EmptyModule}});
              return { wasm: "out.wasm" };
            }
            """, """
            run = ["echo"]
            env = ["HOME"]
            """);
        Directory.CreateDirectory(plugin.Output);
        File.WriteAllText(Path.Join(plugin.Output, "gone.txt"), "removed by the build");

        var result = await plugin.CompileAsync();

        await Assert.That(result.ExitCode).IsEqualTo(exit).Because(result.ToString());
        await Assert.That(result.Stderr).DoesNotContain("internal error");
    }

    [Test]
    public async Task Host_calls_after_a_top_level_await_and_a_promise_job_work()
    {
        using var plugin = new ScriptedPlugin($$"""
            {{Imports}}
            const answer = await Promise.resolve("from the top level");
            Promise.resolve().then(() => log("from a promise job"));
            export function build(ctx) {
              log("build", answer);
              writeFile("dist/out.wasm", {{ScriptedPlugin.EmptyModule}});
              return { wasm: "out.wasm" };
            }
            """);

        var result = await plugin.CompileAsync();

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stderr).Contains("from a promise job\n");
        await Assert.That(result.Stderr).Contains("build from the top level\n");
    }

    [Test]
    public async Task A_dev_server_whose_plugin_logs_serves_and_rebuilds()
    {
        using var plugin = new ScriptedPlugin($$"""
            {{Imports}}
            export function build(ctx) {
              log("building");
              log(readFile("hostile.txt").trim());
              writeFile("dist/out.wasm", {{ScriptedPlugin.EmptyModule}});
              return { wasm: "out.wasm" };
            }
            """);
        await using var server = await DevServerProcess.StartAsync(plugin.Home, plugin.Project, "run", "--watch", "--port", "0");
        await Assert.That(server.Stderr).Contains("building\nthe marker\n");
        await Assert.That(Directory.GetFiles(Path.Join(plugin.Home, "run"))).Count().IsEqualTo(1);

        await File.WriteAllTextAsync(Path.Join(plugin.Project, "hostile.txt"), "a change\n");
        await server.WaitForStderrAsync("building\na change\n");
        await server.WaitForStderrAsync("rebuilt in ");
        await Assert.That(server.HasExited).IsFalse();

        server.Terminate();
        await Assert.That(await server.WaitForExitAsync()).IsEqualTo(130);
        await Assert.That(Directory.GetFiles(Path.Join(plugin.Home, "run"))).IsEmpty();
    }

    /// <summary>Scripts that overflow the stack without the guards (SIGSEGV, no message), and a pattern for the plugin
    /// error each ends with.</summary>
    private static readonly Dictionary<string, (string Script, string Limits, string Error)> deepScripts = new()
    {
        ["String() of a deeply nested array"] = (NestedArray("String(a)"), "", "Maximum call stack size exceeded"),
        ["JSON.stringify() of a deeply nested array"] = (NestedArray("JSON.stringify(a)"), "", "Maximum call stack size exceeded"),
        ["a flat(Infinity) of a deeply nested array"] = (NestedArray("a.flat(Infinity)"), "", "Maximum call stack size exceeded"),
        ["300,000 terms of 1+1+..."] = ($"export const sum = {string.Join('+', Enumerable.Repeat('1', 300_000))};\n{Builds}", "",
            @"failed: plugin\.js:1:\d+ nests more than 1000 levels deep$"),
        ["100,000 nested brackets"] = ($"export const a = {new string('[', 100_000)}{new string(']', 100_000)};\n{Builds}", "",
            "plugin.js nests too deeply to parse"),
        ["a deep module imported inside try"] = ($$"""
            let caught = "no";
            try { await import("./deep.js"); } catch (e) { caught = "caught"; }
            {{Builds}}
            """, "", @"failed: deep\.js:1:\d+ nests more than 1000 levels deep$"),
        ["eval of 300,000 terms"] = ($"export const sum = eval(\"1+\".repeat(300000) + \"1\");\n{Builds}", "", @"its script nests too deeply \(it ran out of stack\)$"),
        ["new Function of 300,000 terms"] = ($"export const sum = new Function(\"return \" + \"1+\".repeat(300000) + \"1\")();\n{Builds}", "", "Script nesting exceeds maximum depth of 256 levels"),
        ["recursion with the recursion limit out of the way"] = ($"const f = n => f(n + 1) + 1;\nf(0);\n{Builds}", "recursion = 100000000",
            "Maximum call stack size exceeded"),
    };

    private const string Builds = """
        import { writeFile } from "wasmrun";
        export function build(ctx) { writeFile("dist/out.wasm", "\0asm\x01\0\0\0"); return { wasm: "out.wasm" }; }
        """;

    public static IEnumerable<string> DeepScripts() => deepScripts.Keys;

    private static string NestedArray(string use) => $"let a = [];\nfor (let i = 0; i < 1e6; i++) a = [a];\n{use};\n{Builds}";

    [Test]
    [MethodDataSource(nameof(DeepScripts))]
    public async Task A_script_nested_too_deeply_ends_as_a_plugin_error(string name)
    {
        var (script, limits, error) = deepScripts[name];
        using var plugin = new ScriptedPlugin(script, limits: limits, files: ("deep.js", $"export const a = {string.Join('+', Enumerable.Repeat('1', 300_000))};"));

        var result = await plugin.CompileAsync();

        await Assert.That(result.ExitCode).IsEqualTo(5).Because(result.ToString());
        await Assert.That(result.Stderr).StartsWith("error: plugin hostile 1.0.0 ");
        await Assert.That(result.Stderr.Split('\n')[0]).Matches(error);
        await Assert.That(result.Stderr).DoesNotContain("   at ");
    }

    [Test]
    public async Task A_script_nested_200_levels_deep_runs()
    {
        // Jint itself refuses most constructs nested deeper than 256 levels (cleanly); the depth check must not
        // refuse what Jint runs.
        const int Levels = 200;
        using var plugin = new ScriptedPlugin($$"""
            const f = x => x;
            export const a = {{new string('[', Levels)}}{{new string(']', Levels)}};
            export const b = {{string.Join('+', Enumerable.Repeat('1', Levels))}};
            export const c = {{string.Concat(Enumerable.Repeat("f(", Levels))}}1{{new string(')', Levels)}};
            export const d = {{string.Concat(Enumerable.Repeat("{ d: ", Levels / 2))}}1{{new string('}', Levels / 2)}};
            {{Builds}}
            """);

        var result = await plugin.CompileAsync();

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
    }

    [Test]
    public async Task A_program_named_by_path_runs_only_when_a_pattern_grants_it_and_the_system_owns_it()
    {
        // The output folder is writable by the plugin: a copy of a system program there is the plugin's file, even
        // when root owns it, and a grant of "/**" must not run it; the system's own file under the same grant runs.
        using var plugin = new ScriptedPlugin($$"""
            {{Imports}}
            export function build(ctx) {
              run("/usr/bin/echo", ["system echo ran"]);
              try { run("/usr/bin/true"); } catch (e) { log("unreachable"); }
              writeFile("dist/out.wasm", {{ScriptedPlugin.EmptyModule}});
              return { wasm: "out.wasm" };
            }
            """, """run = ["/usr/bin/ec*o"]""");
        var refused = await plugin.CompileAsync();
        await Assert.That(refused.Stderr).Contains("system echo ran\n").Because(refused.ToString());
        await Assert.That(refused.ExitCode).IsEqualTo(5).Because(refused.ToString());
        await Assert.That(refused.Stderr).Contains("broke a sandbox rule: run(\"/usr/bin/true\"): no path pattern in [permissions] run matches it");

        using var planted = new ScriptedPlugin($$"""
            {{Imports}}
            export function build(ctx) {
              copyFile("/usr/bin/echo", "dist/evil");
              try { run(ctx.outputDir + "/evil", ["planted echo ran"]); } catch (e) { log("caught"); }
              writeFile("dist/out.wasm", {{ScriptedPlugin.EmptyModule}});
              return { wasm: "out.wasm" };
            }
            """, """
            run = ["/**"]
            read = ["/usr/bin/echo"]
            """);
        var result = await planted.CompileAsync();
        await Assert.That(result.ExitCode).IsEqualTo(5).Because(result.ToString());
        await Assert.That(result.Stderr).Contains("/evil\"): a program run by its path must be the system's");
        await Assert.That(result.Stderr).DoesNotContain("planted echo ran");
    }

    public static IEnumerable<string> LoaderVariables() =>
        ["LD_PRELOAD", "LD_LIBRARY_PATH", "DYLD_INSERT_LIBRARIES", "PATH", "NODE_OPTIONS", "NODE_PATH", "PYTHONSTARTUP", "PERL5OPT", "BASH_ENV"];

    [Test]
    [MethodDataSource(nameof(LoaderVariables))]
    public async Task A_variable_that_makes_a_program_load_other_code_is_refused(string name)
    {
        using var plugin = new ScriptedPlugin($$"""
            {{Imports}}
            export function build(ctx) {
              writeFile("dist/evil.so", "planted");
              try { run("echo", ["ran"], { env: { {{name}}: ctx.outputDir + "/evil.so" } }); } catch (e) { log("caught"); }
              writeFile("dist/out.wasm", {{ScriptedPlugin.EmptyModule}});
              return { wasm: "out.wasm" };
            }
            """, """run = ["echo"]""");

        var result = await plugin.CompileAsync();

        await Assert.That(result.ExitCode).IsEqualTo(5).Because(result.ToString());
        await Assert.That(result.Stderr).Contains($"\nerror: plugin hostile 1.0.0 broke a sandbox rule: run(\"echo\"): env {name} ");
        await Assert.That(result.Stderr).DoesNotContain("ran\n");
    }

    [Test]
    public async Task Programs_get_a_clean_environment_with_the_granted_variables_and_what_the_script_sets()
    {
        using var plugin = new ScriptedPlugin($$"""
            {{Imports}}
            export function build(ctx) {
              run("printenv", [], { env: { GOOS: "wasip1", PYTHONPATH: "/usr/lib", NODE_PATH: env("NODE_PATH") } });
              writeFile("dist/out.wasm", {{ScriptedPlugin.EmptyModule}});
              return { wasm: "out.wasm" };
            }
            """, """
            run = ["printenv"]
            env = ["WASMRUN_TEST_GRANTED", "NODE_PATH"]
            """);

        var result = await plugin.CompileAsync(new()
        {
            ["WASMRUN_TEST_SECRET"] = "hunter2",
            ["WASMRUN_TEST_GRANTED"] = "granted value",
            ["NODE_PATH"] = Path.Join(plugin.Outside, "the users own modules"),
        });

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stderr).DoesNotContain("hunter2");
        await Assert.That(result.Stderr).DoesNotContain("WASMRUN_HOME=");
        await Assert.That(result.Stderr).Contains("    WASMRUN_TEST_GRANTED=granted value\n");
        await Assert.That(result.Stderr).Contains($"    NODE_PATH={Path.Join(plugin.Outside, "the users own modules")}\n");
        await Assert.That(result.Stderr).Contains("    GOOS=wasip1\n");
        await Assert.That(result.Stderr).Contains("    PYTHONPATH=/usr/lib\n");
        await Assert.That(result.Stderr).Contains($"    PATH={Environment.GetEnvironmentVariable("PATH")}\n");
    }

    /// <summary>Scripts that once ended as "internal error" (exit 70, or after minutes), and a pattern for the one
    /// error line that names the plugin now. Their project has a symlink loop (loop -> loop, and dist/loop too).</summary>
    private static readonly Dictionary<string, (string Script, string Error)> hostileScripts = new()
    {
        ["a catastrophic regular expression"] = (Returns("""String(/(a+)+$/.test("a".repeat(40) + "b"))"""),
            @"exceeded its time limit: a regular expression ran longer than 1 s"),
        ["a result whose getter throws"] = ("""export function build() { return { get wasm() { throw new Error("boom"); } }; }""",
            @"failed: boom at plugin\.js:1:"),
        ["a result whose getter loops"] = ("""export function build() { return { get wasm() { for (;;) {} } }; }""",
            @"exceeded its (time|statements) limit"),
        ["a result whose trap loops"] = ("""export function build() { return new Proxy({}, { get() { for (;;) {} } }); }""",
            @"exceeded its (time|statements) limit"),
        ["a result path whose toString throws"] = ("""export function build() { return { wasm: { toString() { throw new Error("boom"); } } }; }""",
            @"returned a wrong build result: wasm is not a string$"),
        ["a sparse files array of length 2e8"] = ($$"""
            {{Builds.Replace("return { wasm: \"out.wasm\" }", "const files = []; files.length = 2e8; return { wasm: \"out.wasm\", files }", StringComparison.Ordinal)}}
            """, @"returned a wrong build result: files has 200000000 entries \(the most is 10000\)$"),
        ["a NUL in a path"] = ("""
            import { readFile } from "wasmrun";
            export function build() { return readFile("hostile\0.txt"); }
            """, @"failed: readFile: .* at plugin\.js:2:"),
        ["a NUL in a result path"] = (ReturnsWasm("\"out\\0.wasm\""), @"returned a wrong build result: wasm contains a NUL character$"),
        ["a symlink loop in the project"] = ("""
            import { readFile } from "wasmrun";
            export function build() { return readFile("loop/x.txt"); }
            """, @"failed: readFile: too many levels of symbolic links at .*loop at plugin\.js:2:"),
        ["a result path through a symlink loop"] = (ReturnsWasm("\"loop/out.wasm\""), @"returned a wrong build result: wasm .*: too many levels of symbolic links"),
        ["a top-level await that never settles"] = ($"await new Promise(() => {{}});\n{Builds}", @"failed: its module did not finish loading"),
        ["a ShadowRealm re-importing the plugin"] = ($"await new ShadowRealm().importValue(\"./plugin.js\", \"build\");\n{Builds}",
            @"failed: ShadowRealm is not defined"),
        ["Atomics.wait, which blocks past every limit"] = (Returns("typeof Atomics.wait"), @"kind ""undefined"" \(expected"),
        ["a sandbox violation caught from an import()"] = ($$"""
            let caught = "no";
            await Promise.resolve().then(() => import("fs")).catch(e => { caught = "yes"; });
            {{Builds}}
            """, @"broke a sandbox rule: import 'fs': a plugin imports only"),
    };

    public static IEnumerable<string> HostileScripts() => hostileScripts.Keys;

    /// <summary>A build that writes out.wasm and returns it, with `kind` set to the expression.</summary>
    private static string Returns(string kind) => Builds.Replace("return { wasm: \"out.wasm\" }", $"return {{ wasm: \"out.wasm\", kind: {kind} }}", StringComparison.Ordinal);

    /// <summary>A build that writes out.wasm and returns the expression as its wasm.</summary>
    private static string ReturnsWasm(string wasm) => Builds.Replace("return { wasm: \"out.wasm\" }", $"return {{ wasm: {wasm} }}", StringComparison.Ordinal);

    [Test]
    [MethodDataSource(nameof(HostileScripts))]
    public async Task A_hostile_script_ends_as_an_error_that_names_the_plugin(string name)
    {
        var (script, error) = hostileScripts[name];
        using var plugin = new ScriptedPlugin(script, limits: """time = "1s" """);
        File.CreateSymbolicLink(Path.Join(plugin.Project, "loop"), "loop");
        Directory.CreateDirectory(plugin.Output);
        File.CreateSymbolicLink(Path.Join(plugin.Output, "loop"), "loop");

        var result = await plugin.CompileAsync();

        await Assert.That(result.ExitCode).IsEqualTo(5).Because(result.ToString());
        var line = result.Stderr.Split('\n').Single(line => line.StartsWith("error: ", StringComparison.Ordinal));
        await Assert.That(line).StartsWith("error: plugin hostile 1.0.0 ");
        await Assert.That(line).Matches(error);
        await Assert.That(result.Stderr).DoesNotContain("   at ");
    }

    [Test]
    public async Task A_folder_that_vanishes_while_the_plugin_writes_is_an_error_the_script_can_catch()
    {
        using var plugin = new ScriptedPlugin($$"""
            {{Imports}}
            export function build(ctx) {
              let failed = 0;
              for (let i = 0; i < 3000; i++) {
                try { writeFile(`dist/sub/deeper/f${i % 10}.txt`, "x"); } catch (e) { failed++; }
              }
              writeFile("dist/out.wasm", {{ScriptedPlugin.EmptyModule}});
              return { wasm: "out.wasm" };
            }
            """);
        var sub = Path.Join(plugin.Output, "sub");
        using var stop = new CancellationTokenSource();
        var remover = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    Directory.Delete(sub, recursive: true);
                }
                catch (IOException)
                {
                    // Not there yet, or the plugin wrote into it meanwhile.
                }
            }
        });

        var result = await plugin.CompileAsync();
        await stop.CancelAsync();
        await remover;

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
    }
}
