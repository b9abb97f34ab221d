// `wasmrun verify FILE`: full decoding and validation; a summary when valid, the spec's reason and where when not.
using System.Text.Json;
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Engine;
using Wasmrun.Host;
using Wasmrun.Inspect;

namespace Wasmrun.Commands;

public sealed class VerifyCommand
{
    /// <summary>Check that a file is a valid WebAssembly module (2.0, and the 3.0 parts implemented: full decoding and validation); exit code 1 when not.</summary>
    /// <param name="file">The module file (.wasm, or .wat text).</param>
    /// <param name="json">Print the result as one JSON object on stdout, for an invalid module too.</param>
    [Command("verify")]
    public void Verify([Argument] string file, bool json = false)
    {
        Module module;
        try
        {
            module = ModuleFile.Load(file);
        }
        catch (ModuleFormatException error) when (json)
        {
            var failed = ReportBuilder.Verify(file, new FileInfo(file).Length, error);
            Terminal.Out.WriteLine(JsonSerializer.Serialize(failed, ReportJsonContext.Default.VerifyReport));
            Environment.ExitCode = (int)ExitCode.InvalidInput;
            return;
        }
        var report = ReportBuilder.Verify(file, module);
        if (json)
        {
            Terminal.Out.WriteLine(JsonSerializer.Serialize(report, ReportJsonContext.Default.VerifyReport));
        }
        else
        {
            TextReport.WriteVerify(report, Terminal.Out);
        }
    }
}
