// ../shared/programs' C programs built with clang-14 (plain and -msimd128) during the run, under `wasmrun exec`: quick
// workloads against expected/<name>.quick.txt, hello.c with a preopen, environment and stdin, exitcode.c's exit status.
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Wasi;

internal static class SharedPrograms
{
    public const string Variable = "WASMRUN_PROGRAMS_DIR";

    /// <summary>The programs folder (src/, expected/), or null when it is absent.</summary>
    public static string? Directory { get; } = Locate();

    public static string MissingMessage =>
        $"SHARED PROGRAMS NOT FOUND: set {Variable} to the programs folder (default: ../shared/programs beside the repository); WASI programs were NOT run";

    public static string Source(string program) => Path.Combine(Directory!, "src", program + ".c");

    /// <summary>expected/quick-args.txt: "name arg..." per line.</summary>
    public static IReadOnlyDictionary<string, string[]> QuickArgs() =>
        File.ReadAllLines(Path.Combine(Directory!, "expected", "quick-args.txt"))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(words => words.Length > 0)
            .ToDictionary(words => words[0], words => words[1..]);

    private static string? Locate()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        var root = !string.IsNullOrEmpty(configured) ? configured : Path.Combine(RepositoryRoot.Path, "..", "shared", "programs");
        return File.Exists(Path.Combine(root, "expected", "quick-args.txt")) ? Path.GetFullPath(root) : null;
    }
}

public sealed class ProgramsTests
{
    private static readonly string[] Variants = ["plain", "simd128"];

    public static IEnumerable<(string Program, string Variant)> QuickPrograms() =>
        SharedPrograms.Directory is null
            ? [("(programs missing)", "plain")]
            : SharedPrograms.QuickArgs().Keys.Order(StringComparer.Ordinal).SelectMany(program => Variants.Select(variant => (program, variant)));

    public static IEnumerable<string> BuildVariants() => Variants;

    private static async Task<string> Build(string program, string variant)
    {
        if (SharedPrograms.Directory is null)
        {
            Skip.Test(SharedPrograms.MissingMessage);
        }
        return await WasiTools.BuildCAsync(SharedPrograms.Source(program), simd: variant == "simd128");
    }

    [Test]
    [MethodDataSource(nameof(QuickPrograms))]
    public async Task Quick_workload_prints_the_expected_output(string program, string variant)
    {
        var module = await Build(program, variant);
        var result = await WasiExec.RunAsync(module, args: SharedPrograms.QuickArgs()[program]);
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        var expected = await File.ReadAllTextAsync(Path.Combine(SharedPrograms.Directory!, "expected", program + ".quick.txt"));
        await Assert.That(result.Stdout).IsEqualTo(expected).Because(result.ToString());
    }

    [Test]
    [MethodDataSource(nameof(BuildVariants))]
    public async Task Hello_uses_its_preopen_environment_clock_random_and_stdin(string variant)
    {
        var module = await Build("hello", variant);
        using var data = new TempDirectory();
        var result = await WasiExec.RunAsync(
            module,
            ["--dir", $"{data.Path}::/data", "--env", "GREETING", "--env", "MODE=quick"],
            ["/data", "two words"],
            stdin: "a line from the test\nnot read: hello.c reads one line\n",
            environment: new Dictionary<string, string?> { ["GREETING"] = "Hello from the host", ["NOT_PASSED"] = "hidden" });

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        // readdir lists ".", ".." and the file (fd_readdir returns the dot entries, as wasmtime and the suite's fd_readdir test expect).
        await Assert.That(result.Stdout).IsEqualTo(
            """
            Hello, WASI! argc=3
            argv[0]=hello.wasm
            argv[1]=/data
            argv[2]=two words
            env count=2 GREETING=Hello from the host
            realtime ok=1
            getentropy rc=0
            read back 28 bytes: written by hello.wasm
            line2
            stat size=28
            readdir entries=3 found=1
            unlink ok
            stdin: a line from the test

            """).Because(result.ToString());
        await Assert.That(result.Stderr).IsEqualTo("this goes to stderr\n");
        // The guest unlinked its file: the preopened host folder is empty again.
        await Assert.That(Directory.EnumerateFileSystemEntries(data.Path).ToList()).IsEmpty();
    }

    [Test]
    public async Task Hello_reads_end_of_file_from_an_empty_stdin()
    {
        var module = await Build("hello", "plain");
        using var data = new TempDirectory();
        var result = await WasiExec.RunAsync(module, ["--dir", $"{data.Path}::/data"], ["/data"]);
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stdout).Contains("env count=0 GREETING=(unset)\n");
        await Assert.That(result.Stdout).EndsWith("unlink ok\nstdin: EOF\n");
    }

    [Test]
    [Arguments("", 42)]
    [Arguments("0", 0)]
    [Arguments("7", 7)]
    [Arguments("255", 255)]
    public async Task Exitcode_exits_with_its_argument(string argument, int expected)
    {
        var module = await Build("exitcode", "plain");
        var result = await WasiExec.RunAsync(module, args: argument.Length == 0 ? [] : [argument]);
        await Assert.That(result.ExitCode).IsEqualTo(expected).Because(result.ToString());
        await Assert.That(result.Stdout).IsEmpty();
        await Assert.That(result.Stderr).IsEmpty();
    }

    [Test]
    public async Task Every_shared_program_has_a_test()
    {
        if (SharedPrograms.Directory is null)
        {
            Skip.Test(SharedPrograms.MissingMessage);
        }
        var sources = Directory.EnumerateFiles(Path.Combine(SharedPrograms.Directory!, "src"), "*.c").Select(file => Path.GetFileNameWithoutExtension(file)).Order(StringComparer.Ordinal).ToList();
        var tested = SharedPrograms.QuickArgs().Keys.Append("hello").Append("exitcode").Order(StringComparer.Ordinal).ToList();
        await Assert.That(sources).IsEquivalentTo(tested);
    }
}
