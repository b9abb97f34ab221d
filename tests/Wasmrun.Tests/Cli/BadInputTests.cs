// Bad files get one clear line and exit code 1: empty, truncated, random, text format, huge, a directory, missing,
// unreadable. Never a crash, a hang, a stack trace or an attempt to read a huge file into memory.
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Cli;

public sealed class BadInputTests
{
    private static async Task<ProcessResult> Verify(string path, string? runAsUser = null)
    {
        var result = await WasmrunBinary.RunAsync(["verify", path], runAsUser: runAsUser);
        await Assert.That(result.ExitCode).IsEqualTo(1).Because(result.ToString());
        await Assert.That(result.Stdout).IsEmpty();
        await Assert.That(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length).IsBetween(1, 2).Because(result.Stderr);
        await Assert.That(result.Stderr).DoesNotContain("   at ");
        return result;
    }

    [Test]
    public async Task Empty_file()
    {
        using var dir = new TempDirectory();
        var result = await Verify(dir.File("empty.wasm", []));
        await Assert.That(result.Stderr).Contains("unexpected end of file");
        await Assert.That(result.Stderr).Contains("hint: the file is empty");
    }

    [Test]
    public async Task Truncated_header()
    {
        using var dir = new TempDirectory();
        var result = await Verify(dir.File("short.wasm", [0x00, 0x61, 0x73, 0x6D, 0x01]));
        await Assert.That(result.Stderr).Contains("unexpected end of file");
    }

    [Test]
    public async Task Truncated_module()
    {
        using var dir = new TempDirectory();
        var whole = File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "examples", "math.wasm"));
        var result = await Verify(dir.File("cut.wasm", whole[..(whole.Length / 2)]));
        // The code section's size now points past the end of the file: the spec calls that "length out of bounds".
        await Assert.That(result.Stderr).Contains("length out of bounds at offset 0x9f (code section)");
        await Assert.That(result.Stderr).Contains("is it truncated");
    }

    [Test]
    public async Task Random_bytes()
    {
        using var dir = new TempDirectory();
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        var result = await Verify(dir.File("random.bin", bytes));
        await Assert.That(result.Stderr).Contains("magic header not detected at offset 0x0");
    }

    [Test]
    public async Task Broken_text_gets_its_line_and_column()
    {
        using var dir = new TempDirectory();
        var file = dir.File("add.wat", "(module\n  (func (export \"f\")\n    (i32.ad)))\n"u8.ToArray());
        var result = await Verify(file);
        await Assert.That(result.ExitCode).IsEqualTo(1);
        await Assert.That(result.Stderr).IsEqualTo($"{file}:3:6: error: unknown operator i32.ad\n");
    }

    [Test]
    public async Task A_component_is_named_as_such()
    {
        using var dir = new TempDirectory();
        var result = await Verify(dir.File("component.wasm", [0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00]));
        await Assert.That(result.Stderr).Contains("unknown binary version at offset 0x4");
        await Assert.That(result.Stderr).Contains("this is a WebAssembly component");
    }

    [Test]
    public async Task A_one_gigabyte_file_is_refused_without_reading_it()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "huge.wasm");
        using (var file = File.Create(path))
        {
            file.SetLength(1L << 30);
        }
        var result = await Verify(path);
        await Assert.That(result.Stderr).Contains("the file is 1 GiB, larger than the 256 MiB a module may have");
    }

    [Test]
    public async Task A_directory()
    {
        using var dir = new TempDirectory();
        var result = await Verify(dir.Path);
        await Assert.That(result.Stderr).Contains("is a directory, not a module file");
    }

    [Test]
    public async Task A_missing_file()
    {
        var result = await Verify("missing.wasm");
        await Assert.That(result.Stderr).StartsWith("error: missing.wasm: no such file");
    }

    [Test]
    public async Task An_unreadable_file()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip.Test("Unix file modes");
            return;
        }
        using var dir = new TempDirectory();
        var path = dir.File("secret.wasm", File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "examples", "math.wasm")));
        File.SetUnixFileMode(path, UnixFileMode.None);
        // root reads any file: run as nobody (uid 65534) then, which needs the binary and the file's folder reachable.
        var asNobody = Environment.UserName == "root" ? "65534" : null;
        if (asNobody is not null)
        {
            File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute | UnixFileMode.OtherRead);
        }
        var result = await Verify(path, asNobody);
        await Assert.That(result.Stderr).StartsWith($"error: {path}: permission denied");
    }
}
