// Runs the published NativeAOT binary as a subprocess (WASMRUN_BIN), the way users run it: real files, real exit codes.
using System.Diagnostics;
using System.Text;

namespace Wasmrun.Tests.Support;

internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

internal static class WasmrunBinary
{
    /// <summary>The binary, or null (tests then skip, unless WASMRUN_REQUIRE_AOT=1 makes that a failure).</summary>
    public static string? Path { get; } = Locate();

    public static string RequirePath()
    {
        if (Path is not null)
        {
            return Path;
        }
        if (Environment.GetEnvironmentVariable("WASMRUN_REQUIRE_AOT") == "1")
        {
            throw new InvalidOperationException("WASMRUN_REQUIRE_AOT=1 but no binary: set WASMRUN_BIN or run ./build.sh build");
        }
        Skip.Test("the AOT binary is not built: run ./build.sh build (or ./build.sh test)");
        return null!;
    }

    /// <summary>Runs the binary with <paramref name="arguments"/>. Its stdin is a pipe that gets <paramref name="stdin"/>
    /// (UTF-8, no BOM) and is then closed, so the program reads end-of-file after it (at once when null); with
    /// <paramref name="holdStdin"/> the pipe stays open and silent until the program ends.</summary>
    public static async Task<ProcessResult> RunAsync(string[] arguments, IDictionary<string, string?>? environment = null, string? workingDirectory = null, string? runAsUser = null, string? stdin = null, bool holdStdin = false)
    {
        var binary = RequirePath();
        var start = new ProcessStartInfo(runAsUser is null ? binary : "setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryRoot.Path,
        };
        if (runAsUser is not null)
        {
            foreach (var argument in new[] { $"--reuid={runAsUser}", $"--regid={runAsUser}", "--clear-groups", "--", binary })
            {
                start.ArgumentList.Add(argument);
            }
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Tests see the plain output a pipe gets, and never the developer's own config.
        start.Environment["NO_COLOR"] = null;
        start.Environment["WASMRUN_HOME"] = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wasmrun-tests-empty-home");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var feed = holdStdin ? Task.CompletedTask : WriteStdinAsync(process, stdin);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        await feed;
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    private static async Task WriteStdinAsync(Process process, string? stdin)
    {
        try
        {
            if (!string.IsNullOrEmpty(stdin))
            {
                await process.StandardInput.WriteAsync(stdin);
                await process.StandardInput.FlushAsync();
            }
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited (or closed its stdin) without reading everything: its exit status tells the test.
        }
    }

    private static string? Locate()
    {
        var configured = Environment.GetEnvironmentVariable("WASMRUN_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? System.IO.Path.GetFullPath(configured) : null;
        }
        var built = System.IO.Path.Combine(RepositoryRoot.Path, "artifacts", "bin", "wasmrun");
        return File.Exists(built) ? built : null;
    }
}
