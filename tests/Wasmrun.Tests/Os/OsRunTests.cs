// `wasmrun os run` through the binary with a WASI module as the project (programs/proc.c, built with clang-14 during
// the run): exact stdout, stderr and exit status; stdin forwarded; the limits (memory, time, fuel, open files) end a
// process with a one-line reason and their exit codes; no path outside the mounts; the bad inputs' one-line errors.
// `wasmrun os --licenses` names the embedded runtimes.
using Wasmrun.Tests.Support;
using Wasmrun.Tests.Wasi;

namespace Wasmrun.Tests.Os;

public sealed class OsRunTests
{
    private static readonly string Source = Path.Combine(RepositoryRoot.Path, "tests", "Wasmrun.Tests", "Os", "programs", "proc.c");

    /// <summary>A project folder holding proc.wasm (and whatever the test adds), and `wasmrun os run OPTIONS PROJECT -- ARGS`.</summary>
    private static async Task<(TempDirectory Project, string Module)> Project()
    {
        var module = await WasiTools.BuildCAsync(Source);
        var project = new TempDirectory();
        File.Copy(module, Path.Combine(project.Path, "proc.wasm"));
        return (project, module);
    }

    private static Task<ProcessResult> OsRun(TempDirectory project, string[] options, string[] arguments, string? stdin = null) =>
        WasmrunBinary.RunAsync(["os", "run", .. options, project.Path, "--", .. arguments], stdin: stdin);

    [Test]
    public async Task The_process_gets_its_arguments_environment_and_streams_and_its_status_is_ours()
    {
        var (project, _) = await Project();
        using var _project = project;
        var result = await OsRun(project, ["--env", "EXTRA=1"], ["hello", "7"]);
        await Assert.That(result.ExitCode).IsEqualTo(7).Because(result.ToString());
        await Assert.That(result.Stdout).IsEqualTo("argv: proc.wasm hello 7\nPWD=/app HOME=/tmp\n");
        await Assert.That(result.Stderr).IsEqualTo("to stderr\n");
    }

    [Test]
    public async Task Stdin_is_forwarded_to_the_process()
    {
        var (project, _) = await Project();
        using var _project = project;
        var result = await OsRun(project, [], ["echo"], stdin: "one\ntwo\n");
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stdout).IsEqualTo("ready\ngot: one\ngot: two\neof\n");
    }

    [Test]
    public async Task The_project_and_tmp_are_writable_and_read_only_refuses_writes_to_the_project()
    {
        var (project, _) = await Project();
        using var _project = project;
        var writable = await OsRun(project, [], ["write"]);
        await Assert.That(writable.Stdout).IsEqualTo("/app/written.txt: hello 0\n/tmp/written.txt: hello 1\n").Because(writable.ToString());
        await Assert.That(File.ReadAllText(Path.Combine(project.Path, "written.txt"))).IsEqualTo("hello 0\n");
        File.Delete(Path.Combine(project.Path, "written.txt"));
        var readOnly = await OsRun(project, ["--read-only"], ["write"]);
        await Assert.That(readOnly.ExitCode).IsEqualTo(1);
        await Assert.That(readOnly.Stdout).StartsWith("/app/written.txt: cannot write (");
        await Assert.That(readOnly.Stdout).EndsWith("/tmp/written.txt: hello 1\n");
        await Assert.That(File.Exists(Path.Combine(project.Path, "written.txt"))).IsFalse();
    }

    [Test]
    public async Task A_process_cannot_read_outside_its_mounts()
    {
        var (project, _) = await Project();
        using var _project = project;
        using var outside = new TempDirectory();
        File.WriteAllText(Path.Combine(outside.Path, "secret.txt"), "secret");
        File.WriteAllText(Path.Combine(project.Path, "inside.txt"), "inside");
        // A symlink in the project that points out of it: the kernel's mounts follow the WASI sandbox's rules.
        Directory.CreateSymbolicLink(Path.Combine(project.Path, "outside"), outside.Path);
        var result = await OsRun(project, [], ["escape"]);
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await Assert.That(lines.Length).IsEqualTo(8);
        await Assert.That(lines[..^1].All(l => l.EndsWith(": refused", StringComparison.Ordinal))).IsTrue().Because(result.Stdout);
        await Assert.That(lines[^1]).IsEqualTo("/app/inside.txt: readable");
    }

    [Test]
    public async Task The_memory_limit_ends_a_process_that_runs_out_with_a_note()
    {
        var (project, _) = await Project();
        using var _project = project;
        var result = await OsRun(project, ["--max-memory", "64MiB"], ["alloc"]);
        await Assert.That(result.ExitCode).IsEqualTo(3).Because(result.ToString());
        await Assert.That(result.Stdout).IsEqualTo("allocated 48 MiB, then malloc failed\n");
        await Assert.That(result.Stderr).IsEqualTo("note: `proc.wasm alloc`: memory limit of 64 MiB reached (exit status 3); raise it with --max-memory\n");
    }

    [Test]
    public async Task The_time_limit_ends_a_spinning_process_with_exit_code_124()
    {
        var (project, _) = await Project();
        using var _project = project;
        var result = await OsRun(project, ["--timeout", "300ms"], ["spin"]);
        await Assert.That(result.ExitCode).IsEqualTo(124).Because(result.ToString());
        await Assert.That(result.Stdout).IsEqualTo("spinning\n");
        await Assert.That(result.Stderr).StartsWith("error: `proc.wasm spin`: time limit of 300ms reached\n");
    }

    [Test]
    public async Task The_fuel_limit_ends_a_spinning_process_as_a_trap()
    {
        var (project, _) = await Project();
        using var _project = project;
        var result = await OsRun(project, ["--fuel", "1000000"], ["spin"]);
        await Assert.That(result.ExitCode).IsEqualTo(134).Because(result.ToString());
        await Assert.That(result.Stderr).StartsWith("error: `proc.wasm spin`: wasm trap: all fuel consumed");
        await Assert.That(result.Stderr).Contains("hint: the budget was --fuel 1000000");
    }

    [Test]
    public async Task The_open_file_limit_gives_emfile()
    {
        var (project, _) = await Project();
        using var _project = project;
        // stdin, stdout, stderr, /app and /tmp take 5 of the 12.
        var result = await OsRun(project, ["--max-files", "12"], ["files"]);
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stdout).IsEqualTo("opened 7, then EMFILE\n");
    }

    [Test]
    public async Task Bad_input_gets_one_clear_line_each()
    {
        using var empty = new TempDirectory();
        var nothing = await WasmrunBinary.RunAsync(["os", "run", empty.Path]);
        await Assert.That(nothing.ExitCode).IsNotEqualTo(0);
        await Assert.That(nothing.Stderr).StartsWith("error: ");
        await Assert.That(nothing.Stderr).DoesNotContain("   at ");

        using var both = new TempDirectory();
        File.WriteAllText(Path.Combine(both.Path, "a.js"), "");
        File.WriteAllText(Path.Combine(both.Path, "b.py"), "");
        var ambiguous = await WasmrunBinary.RunAsync(["os", "run", both.Path]);
        await Assert.That(ambiguous.ExitCode).IsEqualTo(2);
        await Assert.That(ambiguous.Stderr).Contains("both JavaScript and Python files");
        await Assert.That(ambiguous.Stderr).Contains("hint: choose with --language javascript|python, or --entry FILE");

        using var two = new TempDirectory();
        File.WriteAllText(Path.Combine(two.Path, "a.py"), "");
        File.WriteAllText(Path.Combine(two.Path, "b.py"), "");
        var noEntry = await WasmrunBinary.RunAsync(["os", "run", two.Path]);
        await Assert.That(noEntry.ExitCode).IsEqualTo(1);
        await Assert.That(noEntry.Stderr).Contains("no entry to run: a.py, b.py could each be an entry");
        await Assert.That(noEntry.Stderr).Contains("hint: give --entry FILE");

        var missingEntry = await WasmrunBinary.RunAsync(["os", "run", "--entry", "nope.py", two.Path]);
        await Assert.That(missingEntry.ExitCode).IsEqualTo(1);
        await Assert.That(missingEntry.Stderr).StartsWith("error: --entry nope.py: no such file in ");

        var unknownLanguage = await WasmrunBinary.RunAsync(["os", "run", "--language", "cobol", two.Path]);
        await Assert.That(unknownLanguage.ExitCode).IsEqualTo(2).Because(unknownLanguage.ToString());
        await Assert.That(unknownLanguage.Stderr).Contains("cobol");

        var missing = await WasmrunBinary.RunAsync(["os", "run", Path.Combine(two.Path, "nope")]);
        await Assert.That(missing.ExitCode).IsEqualTo(1);
        await Assert.That(missing.Stderr).Contains("no such file or folder");
    }

    [Test]
    public async Task Licenses_name_each_embedded_runtime_with_its_version_and_licence()
    {
        var result = await WasmrunBinary.RunAsync(["os", "--licenses"]);
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stdout).Contains("QuickJS 2021-03-27, the JavaScript runtime");
        await Assert.That(result.Stdout).Contains("Permission is hereby granted");
        await Assert.That(result.Stdout).Contains("CPython 3.11.2, the Python runtime");
        await Assert.That(result.Stdout).Contains("PYTHON SOFTWARE FOUNDATION LICENSE");
        await Assert.That(result.Stdout).Contains("Lua 5.4.4, the Lua runtime");
        await Assert.That(result.Stdout).Contains("Copyright (C) 1994-2022 Lua.org, PUC-Rio.");
    }
}
