// `wasmrun wast PATH...`: runs spec scripts (.wast files, or every .wast under a folder) and reports each failing
// command with its line, a summary per file and in all; exit code 1 when anything failed.
using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Engine;
using Wasmrun.Host;
using Wasmrun.Wast;

namespace Wasmrun.Commands;

public sealed class WastCommand
{
    /// <summary>Run WebAssembly spec scripts (.wast): modules, invocations and every assertion, against Wasmrun's engine; exit code 1 when any command fails.</summary>
    /// <param name="paths">Script files, or folders whose .wast files (recursively) are run in name order.</param>
    /// <param name="json">Print one JSON object: every script's counts and failures.</param>
    /// <param name="spec">The specification version modules are checked against: 3.0 (default), or 2.0 for scripts that assert 3.0 additions invalid (the 2.0 suite).</param>
    [Command("wast")]
    public void Wast(bool json = false, string spec = "3.0", [Argument] params string[] paths)
    {
        var features = spec switch
        {
            "3.0" => WasmFeatures.Wasm30,
            "2.0" => WasmFeatures.Wasm20,
            _ => throw new WasmrunException($"--spec {spec}: not a specification version Wasmrun checks", ExitCode.Usage) { Hint = "use --spec 2.0 or --spec 3.0" },
        };
        if (paths.Length == 0)
        {
            throw new WasmrunException("wast: name at least one .wast file or folder", ExitCode.Usage) { Hint = "e.g. `wasmrun wast tests/spec/`" };
        }
        var scripts = new List<WastScriptReport>();
        foreach (var path in ScriptFiles(paths))
        {
            var text = ModuleFile.ReadText(path);
            var outcomes = WastRunner.Run(text, Path.GetFileNameWithoutExtension(path), features);
            var failures = outcomes.Where(outcome => !outcome.Passed).Select(outcome => new WastFailure(outcome.Line, outcome.Kind.ToString(), outcome.Failure!)).ToList();
            scripts.Add(new WastScriptReport(DisplayPath.Of(path), outcomes.Count, outcomes.Count - failures.Count, failures));
        }
        var report = new WastReport(scripts, scripts.Sum(s => s.Commands), scripts.Sum(s => s.Passed));
        if (json)
        {
            Terminal.Out.WriteLine(JsonSerializer.Serialize(report, WastJsonContext.Default.WastReport));
        }
        else
        {
            foreach (var script in scripts)
            {
                foreach (var failure in script.Failures)
                {
                    Terminal.Out.WriteLine($"{script.Path}:{failure.Line}: {failure.Kind}: {failure.Message}");
                }
                Terminal.Out.WriteLine($"{script.Path}: {script.Passed}/{script.Commands} commands passed");
            }
            if (scripts.Count > 1)
            {
                Terminal.Out.WriteLine($"all {scripts.Count} scripts: {report.Passed}/{report.Commands} commands passed");
            }
        }
        if (report.Passed != report.Commands)
        {
            Environment.ExitCode = (int)ExitCode.InvalidInput;
        }
    }

    private static IEnumerable<string> ScriptFiles(string[] paths)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*.wast", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    yield return file;
                }
            }
            else if (File.Exists(path))
            {
                yield return path;
            }
            else
            {
                throw new WasmrunException($"{path}: no such file or folder", ExitCode.InvalidInput) { Hint = "name a .wast script or a folder of them" };
            }
        }
    }
}

internal sealed record WastFailure(int Line, string Kind, string Message);

internal sealed record WastScriptReport(string Path, int Commands, int Passed, List<WastFailure> Failures);

internal sealed record WastReport(List<WastScriptReport> Scripts, int Commands, int Passed);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(WastReport))]
internal sealed partial class WastJsonContext : JsonSerializerContext;
