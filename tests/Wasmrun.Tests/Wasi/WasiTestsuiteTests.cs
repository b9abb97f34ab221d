// One test per program of the official WASI preview-1 test suite, run under `wasmrun exec` by the suite's rules; the
// counts per language are written to TestResults/wasi-summary.txt (build.sh prints it after the run).
using System.Collections.Concurrent;
using System.Text;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Wasi;

internal sealed record WasiTestResult(string Name, bool Passed, bool ExpectedFailure);

public sealed class WasiTestsuiteTests
{
    internal static readonly ConcurrentBag<WasiTestResult> Results = [];

    public static IEnumerable<string> Tests() => WasiTestsuite.TestNames();

    [Test]
    [MethodDataSource(nameof(Tests))]
    public async Task Test(string name)
    {
        if (WasiTestsuite.Directory is null)
        {
            Skip.Test(WasiTestsuite.MissingMessage);
        }
        var test = WasiTestsuite.Read(name);
        using var root = new TempDirectory();
        var options = new List<string>();
        if (test.Root is not null)
        {
            // Tests write and delete files: never on the suite's own folder.
            CopyTree(test.Root, root.Path);
            options.AddRange(["--dir", $"{root.Path}::/"]);
        }
        foreach (var (key, value) in test.Env)
        {
            options.AddRange(["--env", $"{key}={value}"]);
        }
        var result = await WasiExec.RunAsync(test.Module, options, test.Args);

        var failures = new List<string>();
        if (result.ExitCode != test.ExitCode)
        {
            failures.Add($"exit status {result.ExitCode}, expected {test.ExitCode}");
        }
        if (test.Stdout is not null && result.Stdout != test.Stdout)
        {
            failures.Add($"stdout {Quote(result.Stdout)}, expected {Quote(test.Stdout)}");
        }
        var listed = WasiExpectedFailures.Reasons.TryGetValue(name, out var reason);
        Results.Add(new WasiTestResult(name, failures.Count == 0, listed));
        if (listed)
        {
            await Assert.That(failures).IsNotEmpty()
                .Because($"{name} passes but WasiExpectedFailures lists it ({reason}): remove it from the list");
            return;
        }
        await Assert.That(failures).IsEmpty().Because($"wasmrun {string.Join(' ', options)} {test.Module} {string.Join(' ', test.Args)}\n{result}");
    }

    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Copies a test's root folder: files writable by their owner (the shared copy is read-only), symlinks as symlinks.</summary>
    private static void CopyTree(string source, string destination)
    {
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(destination, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo)
            {
                Directory.CreateDirectory(target);
                CopyTree(entry.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                }
            }
        }
    }
}

public static class WasiSummaryHook
{
    [After(HookType.TestSession)]
    public static void WriteSummary()
    {
        var path = Path.Combine(RepositoryRoot.Path, "TestResults", "wasi-summary.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (WasiTestsuite.Directory is null)
        {
            File.WriteAllText(path, WasiTestsuite.MissingMessage + "\n");
            return;
        }
        if (WasiTestsuiteTests.Results.IsEmpty)
        {
            return;
        }
        File.WriteAllText(path, Format([.. WasiTestsuiteTests.Results.OrderBy(result => result.Name, StringComparer.Ordinal)]));
    }

    internal static string Format(IReadOnlyList<WasiTestResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine($"wasi-testsuite: {WasiTestsuite.Directory}");
        foreach (var language in results.GroupBy(result => WasiTestsuite.Language(result.Name)).OrderBy(group => group.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"{language.Key,-16} {language.Count(result => result.Passed),4} passed of {language.Count(),4}");
        }
        text.AppendLine($"{"all",-16} {results.Count(result => result.Passed),4} passed of {results.Count,4}");
        var failing = results.Where(result => !result.Passed && !result.ExpectedFailure).ToList();
        text.AppendLine($"{"failing",-16} {failing.Count,4}{(failing.Count > 0 ? ": " + string.Join(", ", failing.Select(result => result.Name)) : "")}");
        var expected = results.Where(result => result.ExpectedFailure).ToList();
        text.AppendLine($"{"expected fail",-16} {expected.Count,4} (listed in WasiExpectedFailures with reasons)");
        foreach (var result in expected)
        {
            text.AppendLine($"  {result.Name}{(result.Passed ? " (PASSES NOW: remove it from the list)" : "")}  -- {WasiExpectedFailures.Reasons[result.Name]}");
        }
        return text.ToString();
    }
}
