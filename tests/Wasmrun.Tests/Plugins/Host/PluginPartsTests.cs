// The plugin host's smaller parts on their own: compiler output recognised in each format the first-party toolchains
// print, glob patterns, and the manifest's strict reading (unknown keys in tables and arrays of tables, the rules
// beyond types).
using Wasmrun.Cli;
using Wasmrun.Plugins;

namespace Wasmrun.Tests.Plugins.Host;

public sealed class PluginPartsTests
{
    /// <summary>The diagnostics found, one per line.</summary>
    private static string Diagnose(string workingDirectory, string output)
    {
        var diagnostics = new CompilerDiagnostics(workingDirectory);
        foreach (var line in output.Split('\n'))
        {
            diagnostics.Add(line);
        }
        return string.Join('\n', diagnostics.Found.Select(d => $"{d.File}:{d.Line}:{d.Column}: {LowercaseEnum.Name(d.Severity)}: {d.Message}"));
    }

    [Test]
    public async Task Clang_gcc_and_emcc_diagnostics_skip_notes_and_keep_warnings()
    {
        // clang colours its output when it thinks it writes to a terminal.
        const string Colored = "\u001b[1msrc/util.c:7:3: \u001b[0;1;35mwarning: \u001b[0munused variable 'y' [-Wunused-variable]";
        var found = Diagnose("/p", $$"""
            main.c:2:10: error: use of undeclared identifier 'x'
              return x;
                     ^
            main.c:4:1: note: declared here
            {{Colored}}
            In file included from main.c:1:
            lib.h:3:5: fatal error: 'missing.h' file not found
            2 errors generated.
            """);
        await Assert.That(found).IsEqualTo("/p/main.c:2:10: error: use of undeclared identifier 'x'\n/p/src/util.c:7:3: warning: unused variable 'y' [-Wunused-variable]\n/p/lib.h:3:5: error: 'missing.h' file not found");
    }

    [Test]
    public async Task Go_rustc_and_AssemblyScript_diagnostics()
    {
        await Assert.That(Diagnose("/p", "# hello\n./main.go:5:2: undefined: fmt.Printn\n")).IsEqualTo("/p/main.go:5:2: error: undefined: fmt.Printn");
        await Assert.That(Diagnose("/p", """
            error[E0425]: cannot find value `x` in this scope
             --> src/main.rs:2:20
              |
            2 |     println!("{}", x);
              |                    ^ not found in this scope
            warning: unused variable: `y`
             --> src/lib.rs:1:5
            error: could not compile `demo` due to previous error
            """)).IsEqualTo("/p/src/main.rs:2:20: error: cannot find value `x` in this scope\n/p/src/lib.rs:1:5: warning: unused variable: `y`");
        await Assert.That(Diagnose("/p", """
            ERROR TS2304: Cannot find name 'nope'.
               :
             3 │ return nope;
               │        ~~~~
               └─ in assembly/index.ts(3,10)

            FAILURE 1 compile error(s)
            """)).IsEqualTo("/p/assembly/index.ts:3:10: error: Cannot find name 'nope'.");
    }

    [Test]
    public async Task An_absolute_path_in_a_diagnostic_stays_absolute()
    {
        // A header outside the project (a system or sibling folder) is named by its full path; joining it to the
        // working directory would name a file that does not exist.
        await Assert.That(Diagnose("/p", "/usr/include/stdio.h:12:3: error: unknown type name 'x'"))
            .IsEqualTo("/usr/include/stdio.h:12:3: error: unknown type name 'x'");
        await Assert.That(Diagnose("/p", "error[E0425]: cannot find value `x`\n --> /home/u/lib/src/lib.rs:2:5"))
            .IsEqualTo("/home/u/lib/src/lib.rs:2:5: error: cannot find value `x`");
        await Assert.That(Diagnose("/p/sub", "../shared/util.c:1:1: warning: w")).IsEqualTo("/p/shared/util.c:1:1: warning: w");
    }

    [Test]
    public async Task Globs_match_within_and_across_segments()
    {
        await Assert.That(new Glob("src/**/*.rs").IsMatch("src/main.rs")).IsTrue();
        await Assert.That(new Glob("src/**/*.rs").IsMatch("src/a/b/c.rs")).IsTrue();
        await Assert.That(new Glob("src/**/*.rs").IsMatch("srcx/main.rs")).IsFalse();
        await Assert.That(new Glob("*.c").IsMatch("main.c")).IsTrue();
        await Assert.That(new Glob("*.c").IsMatch("src/main.c")).IsFalse();
        await Assert.That(new Glob("**").IsMatch("any/depth/file")).IsTrue();
        await Assert.That(new Glob("target/**").IsMatch("target/")).IsTrue();
        await Assert.That(new Glob("file?.txt").IsMatch("file1.txt")).IsTrue();
        await Assert.That(new Glob("file?.txt").IsMatch("file/.txt")).IsFalse();
        await Assert.That(new Glob("a.b").IsMatch("aXb")).IsFalse();
    }

    [Test]
    public async Task Manifests_are_read_strictly()
    {
        static string Error(string text)
        {
            try
            {
                PluginManifest.Parse("wasmrun.toml", text);
            }
            catch (WasmrunException error)
            {
                return error.Message;
            }
            return "accepted";
        }

        const string Plugin = "[plugin]\nname = \"ok\"\nversion = \"1.0.0\"\n";
        await Assert.That(Error(Plugin)).IsEqualTo("accepted");
        await Assert.That(Error(Plugin + "langauges = [\"c\"]\n")).IsEqualTo("wasmrun.toml:4:1: unknown key 'plugin.langauges'");
        await Assert.That(Error(Plugin + "[[tools]]\nname = \"cc\"\nprogram = \"cc\"\n")).IsEqualTo("wasmrun.toml:4:3: unknown key 'program' in entry 1 of 'tools'");
        await Assert.That(Error(Plugin + "[[tools]]\nname = \"cc\"\nprograms = [\"cc\"]\n")).IsEqualTo("wasmrun.toml:4:3: tool 'cc': its programs must be listed in permissions.run");
        await Assert.That(Error("api = 2\n" + Plugin)).IsEqualTo("wasmrun.toml:1:1: the plugin needs host API 2; this Wasmrun offers 1");
        await Assert.That(Error(Plugin.Replace("\"ok\"", "\"Bad Name\""))).IsEqualTo("wasmrun.toml:2:1: plugin.name 'Bad Name' is not a plugin name");
        await Assert.That(Error(Plugin + "entry = \"../evil.js\"\n")).IsEqualTo("wasmrun.toml:4:1: plugin.entry '../evil.js' is not a file inside the plugin");
        await Assert.That(Error(Plugin + "[permissions]\nrun = [\"bin/sh\"]\n")).IsEqualTo("wasmrun.toml:5:1: permissions.run: 'bin/sh' is not a program name or an absolute path");
        await Assert.That(Error(Plugin + "[build]\ntargets = [\"native\"]\n")).IsEqualTo("wasmrun.toml:5:1: build.targets: unknown target 'native'");
        await Assert.That(Error(Plugin + "[build]\nclean = [\"../..\"]\n")).IsEqualTo("wasmrun.toml:5:1: build.clean: '../..' is not a path inside the project");
    }
}
