// Sandbox attacks (programs/c/escape.c, readonly.c, built with clang-14 during the run): every way out of a preopen
// and into a read-only one fails with an errno, the host files outside are untouched, and no host path reaches the guest.
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Wasi;

public sealed partial class SandboxTests
{
    private const string Secret = "top secret host data";
    private const string Secret2 = "outside secret two";

    // WASI errno values (wasi-libc's errno is the WASI errno).
    private const int EACCES = 2, EBADF = 8, EINVAL = 28, ELOOP = 32, ENOENT = 44, ENOTDIR = 54, EPERM = 63, EROFS = 69, EXDEV = 75, ENOTCAPABLE = 76;

    /// <summary>What a refused escape may report: not capable / not permitted, not found in the guest's view, or an
    /// invalid request (path_link with SYMLINK_FOLLOW). Not ENOSYS or EIO: a stub is not a sandbox.</summary>
    private static readonly int[] EscapeErrors = [ENOTCAPABLE, EPERM, EACCES, ENOENT, ELOOP, ENOTDIR, EXDEV, EINVAL];

    /// <summary>What a refused change to a read-only preopen may report.</summary>
    private static readonly int[] ReadOnlyErrors = [EROFS, ENOTCAPABLE, EPERM, EACCES, EBADF, EINVAL, EXDEV];

    private enum Expect
    {
        /// <summary>A control: must succeed (with the data given, when any).</summary>
        Ok,

        /// <summary>An attack: must fail with one of the allowed errnos.</summary>
        Refused,

        /// <summary>Must fail, with any errno (a path with an embedded NUL names no file).</summary>
        AnyError,

        /// <summary>May succeed or fail (creating a symlink, reading a link): what follows it is checked instead.</summary>
        Either,
    }

    /// <summary>escape.c's attempts in the order it prints them.</summary>
    private static readonly (string Name, Expect Expect)[] EscapeAttempts =
    [
        ("control-prestat-name", Expect.Ok), ("control-read-inside", Expect.Ok), ("control-read-subdir", Expect.Ok),
        ("read-dotdot", Expect.Refused), ("read-dotdot-subdir", Expect.Refused), ("read-dotdot-deep", Expect.Refused),
        ("read-dotdot-outside-dir", Expect.Refused), ("stat-dotdot", Expect.Refused), ("list-dotdot", Expect.Refused),
        ("list-dotdot-subdir", Expect.Refused),
        ("read-host-absolute", Expect.Refused), ("read-etc-passwd", Expect.Refused), ("raw-open-absolute", Expect.Refused),
        ("raw-open-etc-passwd", Expect.Refused), ("raw-open-dotdot", Expect.Refused), ("raw-stat-absolute", Expect.Refused),
        ("raw-open-embedded-nul", Expect.AnyError),
        ("hostlink-abs-read", Expect.Refused), ("hostlink-rel-read", Expect.Refused), ("hostlink-dir-read", Expect.Refused),
        ("hostlink-dir-rel-read", Expect.Refused), ("hostlink-abs-stat", Expect.Refused), ("hostlink-dir-list", Expect.Refused),
        ("hostlink-abs-write", Expect.Refused), ("hostlink-dir-create", Expect.Refused), ("hostlink-dir-unlink", Expect.Refused),
        ("hostlink-dir-mkdir", Expect.Refused), ("hostlink-abs-readlink", Expect.Either), ("hostlink-rel-readlink", Expect.Either),
        ("guestlink-abs-create", Expect.Either), ("guestlink-abs-read", Expect.Refused),
        ("guestlink-etc-create", Expect.Either), ("guestlink-etc-read", Expect.Refused),
        ("guestlink-dotdot-create", Expect.Either), ("guestlink-dotdot-read", Expect.Refused),
        ("guestlink-dotdot2-create", Expect.Either), ("guestlink-dotdot2-read", Expect.Refused),
        ("guestlink-up-create", Expect.Either), ("guestlink-up-read", Expect.Refused), ("guestlink-up-create-file", Expect.Refused),
        ("guestlink-chain-create", Expect.Either), ("guestlink-chain-read", Expect.Refused),
        ("link-dotdot-in", Expect.Refused), ("link-absolute-in", Expect.Refused), ("raw-link-follow-hostlink", Expect.Refused),
        ("raw-link-follow-read", Expect.Refused), ("link-inside-out", Expect.Refused), ("raw-link-absolute-out", Expect.Refused),
        ("rename-out", Expect.Refused), ("rename-in", Expect.Refused), ("rename-dir-out", Expect.Refused),
        ("rename-via-hostlink-dir", Expect.Refused), ("raw-rename-absolute", Expect.Refused),
        ("create-dotdot", Expect.Refused), ("create-host-absolute", Expect.Refused), ("raw-create-absolute", Expect.Refused),
        ("mkdir-dotdot", Expect.Refused), ("raw-mkdir-absolute", Expect.Refused), ("write-dotdot", Expect.Refused),
        ("truncate-dotdot", Expect.Refused), ("utimes-dotdot", Expect.Refused), ("unlink-dotdot", Expect.Refused),
        ("raw-unlink-absolute", Expect.Refused), ("rmdir-dotdot", Expect.Refused), ("raw-symlink-absolute-link", Expect.Refused),
        ("control-read-inside-after", Expect.Ok),
    ];

    /// <summary>readonly.c's attempts in the order it prints them.</summary>
    private static readonly (string Name, Expect Expect)[] ReadOnlyAttempts =
    [
        ("control-read", Expect.Ok), ("control-read-subdir", Expect.Ok), ("control-list", Expect.Ok), ("control-write-rw", Expect.Ok),
        ("open-write", Expect.Refused), ("open-append", Expect.Refused), ("open-truncate", Expect.Refused),
        ("open-read-write", Expect.Refused), ("create", Expect.Refused), ("create-exclusive", Expect.Refused),
        ("create-subdir", Expect.Refused), ("write-subdir", Expect.Refused), ("raw-open-write-rights", Expect.Refused),
        ("fd-write", Expect.Refused), ("fd-pwrite", Expect.Refused), ("fd-truncate", Expect.Refused),
        ("fd-set-times", Expect.Refused), ("fd-allocate", Expect.Refused),
        ("truncate", Expect.Refused), ("set-times", Expect.Refused), ("mkdir", Expect.Refused), ("rmdir", Expect.Refused),
        ("unlink", Expect.Refused), ("unlink-subdir", Expect.Refused), ("rename-within", Expect.Refused),
        ("rename-to-rw", Expect.Refused), ("rename-from-rw", Expect.Refused), ("rename-over", Expect.Refused),
        ("link-within", Expect.Refused), ("link-to-rw", Expect.Refused), ("link-from-rw", Expect.Refused), ("symlink", Expect.Refused),
        ("control-read-after", Expect.Ok),
    ];

    [Test]
    [Arguments("/sandbox")]
    [Arguments("/")]
    public async Task Nothing_outside_a_preopen_can_be_reached(string guestDirectory)
    {
        var module = await WasiTools.BuildCAsync(Path.Combine(WasiTools.OwnPrograms, "c", "escape.c"));
        using var root = new TempDirectory();
        var sandbox = Path.Combine(root.Path, "sandbox");
        // Outside the preopen: a secret beside it, a folder with another; inside: files and the host's own symlinks out.
        File.WriteAllText(Path.Combine(root.Path, "secret.txt"), Secret + "\n");
        Directory.CreateDirectory(Path.Combine(root.Path, "outside", "dir"));
        File.WriteAllText(Path.Combine(root.Path, "outside", "secret2.txt"), Secret2 + "\n");
        Directory.CreateDirectory(Path.Combine(sandbox, "sub"));
        File.WriteAllText(Path.Combine(sandbox, "inside.txt"), "inside data\n");
        File.WriteAllText(Path.Combine(sandbox, "sub", "nested.txt"), "nested data\n");
        File.CreateSymbolicLink(Path.Combine(sandbox, "hostlink-abs"), Path.Combine(root.Path, "secret.txt"));
        File.CreateSymbolicLink(Path.Combine(sandbox, "hostlink-rel"), "../secret.txt");
        Directory.CreateSymbolicLink(Path.Combine(sandbox, "hostlink-dir"), Path.Combine(root.Path, "outside"));
        Directory.CreateSymbolicLink(Path.Combine(sandbox, "hostlink-dir-rel"), "../outside");
        var before = Snapshot(root.Path, skip: sandbox);

        var result = await WasiExec.RunAsync(module, ["--dir", $"{sandbox}::{guestDirectory}"], [guestDirectory, root.Path]);

        var problems = CheckAttempts(result, EscapeAttempts, EscapeErrors, new Dictionary<string, string>
        {
            ["control-prestat-name"] = guestDirectory,
            ["control-read-inside"] = "inside data",
            ["control-read-subdir"] = "nested data",
            ["control-read-inside-after"] = "inside data",
        });
        problems.AddRange(Changes(before, Snapshot(root.Path, skip: sandbox), "outside the preopen"));
        foreach (var file in RegularFiles(sandbox))
        {
            var content = File.ReadAllText(file);
            if (content.Contains(Secret, StringComparison.Ordinal) || content.Contains(Secret2, StringComparison.Ordinal))
            {
                problems.Add($"{Path.GetRelativePath(root.Path, file)} in the preopen holds a secret from outside (a hard link or a copy)");
            }
        }
        problems.AddRange(Leaks(result, root.Path));
        await Assert.That(problems).IsEmpty().Because(Report(problems, result));
    }

    [Test]
    public async Task A_read_only_preopen_cannot_be_changed()
    {
        var module = await WasiTools.BuildCAsync(Path.Combine(WasiTools.OwnPrograms, "c", "readonly.c"));
        using var root = new TempDirectory();
        var readOnly = Path.Combine(root.Path, "ro");
        var writable = Path.Combine(root.Path, "rw");
        Directory.CreateDirectory(Path.Combine(readOnly, "sub"));
        Directory.CreateDirectory(Path.Combine(readOnly, "empty"));
        Directory.CreateDirectory(writable);
        File.WriteAllText(Path.Combine(readOnly, "file.txt"), "read-only data\n");
        File.WriteAllText(Path.Combine(readOnly, "sub", "nested.txt"), "nested ro\n");
        // The tests run as root on CI: the host's permission bits would not stop a write, only Wasmrun can.
        var before = Snapshot(readOnly, skip: null);

        var result = await WasiExec.RunAsync(module, ["--dir-ro", $"{readOnly}::/ro", "--dir", $"{writable}::/rw"], ["/ro", "/rw"]);

        var problems = CheckAttempts(result, ReadOnlyAttempts, ReadOnlyErrors, new Dictionary<string, string>
        {
            ["control-read"] = "read-only data",
            ["control-read-subdir"] = "nested ro",
            ["control-list"] = "nested.txt,",
            ["control-read-after"] = "read-only data",
        });
        problems.AddRange(Changes(before, Snapshot(readOnly, skip: null), "in the read-only preopen"));
        var written = Directory.EnumerateFileSystemEntries(writable).Select(Path.GetFileName).ToList();
        if (written is not ["control.txt"])
        {
            problems.Add($"the writable preopen holds [{string.Join(", ", written)}], expected only control.txt: something moved or linked out of the read-only one");
        }
        problems.AddRange(Leaks(result, root.Path));
        await Assert.That(problems).IsEmpty().Because(Report(problems, result));
    }

    /// <summary>Every problem on its own line (the assertion message shortens long lists), then the guest's output.</summary>
    private static string Report(List<string> problems, ProcessResult result) =>
        $"{problems.Count} problem(s):\n  {string.Join("\n  ", problems)}\n{result}";

    [GeneratedRegex(@"^(?<name>[a-z0-9-]+): (?:ok(?: (?<data>.*))?|errno (?<errno>\d+) .*)$")]
    private static partial Regex AttemptLine();

    /// <summary>Every attempt printed once, in order, with its expected outcome; then "done" and exit status 0.</summary>
    private static List<string> CheckAttempts(ProcessResult result, (string Name, Expect Expect)[] attempts, int[] refusals, Dictionary<string, string> controlData)
    {
        var problems = new List<string>();
        if (result.ExitCode != 0)
        {
            problems.Add($"exit status {result.ExitCode}, expected 0");
        }
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (lines.LastOrDefault() != "done")
        {
            problems.Add("the program did not finish (no \"done\" line)");
        }
        var outcomes = lines.Select(line => AttemptLine().Match(line)).Where(match => match.Success).ToList();
        var printed = outcomes.Select(match => match.Groups["name"].Value).ToList();
        var names = attempts.Select(attempt => attempt.Name).ToList();
        if (!printed.SequenceEqual(names))
        {
            problems.Add($"attempts printed: [{string.Join(", ", printed)}], expected: [{string.Join(", ", names)}]");
        }
        foreach (var match in outcomes)
        {
            var name = match.Groups["name"].Value;
            var expect = attempts.FirstOrDefault(attempt => attempt.Name == name).Expect;
            var succeeded = !match.Groups["errno"].Success;
            var errno = succeeded ? 0 : int.Parse(match.Groups["errno"].Value);
            switch (expect)
            {
                case Expect.Ok when !succeeded:
                    problems.Add($"{name}: the control failed ({match.Value})");
                    break;
                case Expect.Ok when controlData.TryGetValue(name, out var data) && match.Groups["data"].Value != data:
                    problems.Add($"{name}: read \"{match.Groups["data"].Value}\", expected \"{data}\"");
                    break;
                case Expect.Refused when succeeded:
                case Expect.AnyError when succeeded:
                    problems.Add($"{name}: SUCCEEDED ({match.Value}), it must be refused");
                    break;
                case Expect.Refused when !refusals.Contains(errno):
                    problems.Add($"{name}: refused with errno {errno}, expected one of {string.Join(", ", refusals)} ({match.Value})");
                    break;
                default:
                    break;
            }
        }
        return problems;
    }

    /// <summary>No host path (the test's temp folder) and no secret appears in what the guest printed.</summary>
    private static IEnumerable<string> Leaks(ProcessResult result, string hostRoot)
    {
        foreach (var line in result.Stdout.Split('\n'))
        {
            if (line.Contains(hostRoot, StringComparison.Ordinal))
            {
                yield return $"a host path reached the guest: {line}";
            }
            if (line.Contains(Secret, StringComparison.Ordinal) || line.Contains(Secret2, StringComparison.Ordinal))
            {
                yield return $"a secret from outside reached the guest: {line}";
            }
        }
    }

    /// <summary>Every entry below <paramref name="folder"/> (symlinks not followed, <paramref name="skip"/> left out):
    /// kind, size, content hash and modification time of files, modification time of folders, targets of links.</summary>
    private static SortedDictionary<string, string> Snapshot(string folder, string? skip)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["."] = $"folder modified {Directory.GetLastWriteTimeUtc(folder):O}",
        };
        void Walk(DirectoryInfo directory)
        {
            foreach (var entry in directory.EnumerateFileSystemInfos())
            {
                if (entry.FullName == skip)
                {
                    continue;
                }
                var relative = Path.GetRelativePath(folder, entry.FullName);
                if (entry.LinkTarget is { } target)
                {
                    entries[relative] = $"symlink to {target}";
                }
                else if (entry is DirectoryInfo subdirectory)
                {
                    entries[relative] = $"folder modified {entry.LastWriteTimeUtc:O}";
                    Walk(subdirectory);
                }
                else
                {
                    var hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry.FullName)))[..16];
                    entries[relative] = $"file of {((FileInfo)entry).Length} bytes, sha256 {hash}, modified {entry.LastWriteTimeUtc:O}";
                }
            }
        }
        Walk(new DirectoryInfo(folder));
        return entries;
    }

    private static IEnumerable<string> Changes(SortedDictionary<string, string> before, SortedDictionary<string, string> after, string where)
    {
        foreach (var (path, state) in before)
        {
            if (!after.TryGetValue(path, out var now))
            {
                yield return $"{path} {where} was deleted or moved away (was: {state})";
            }
            else if (now != state)
            {
                yield return $"{path} {where} changed: {state} -> {now}";
            }
        }
        foreach (var path in after.Keys.Where(path => !before.ContainsKey(path)))
        {
            yield return $"{path} {where} was created ({after[path]})";
        }
    }

    private static IEnumerable<string> RegularFiles(string folder) =>
        new DirectoryInfo(folder).EnumerateFileSystemInfos().SelectMany(entry =>
            entry.LinkTarget is not null ? []
            : entry is DirectoryInfo directory ? RegularFiles(directory.FullName)
            : [entry.FullName]);
}
