// `wasmrun wat2wasm FILE` and `wasmrun wasm2wat FILE`: convert a module between the text and the binary format, checking
// it on the way (only a valid module is written), as wabt's tools of the same names do.
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Engine.Text;
using Wasmrun.Host;

namespace Wasmrun.Commands;

public sealed class ConvertCommand
{
    /// <summary>Convert WebAssembly text (.wat) to a binary module, checked first: written beside the input as FILE.wasm, or where -o says.</summary>
    /// <param name="file">The text module (.wat).</param>
    /// <param name="output">-o, Where to write the binary module (default: the input's name with .wasm; `-` for stdout).</param>
    [Command("wat2wasm")]
    public void WatToWasm([Argument] string file, string? output = null)
    {
        var bytes = ModuleFile.ReadBinary(file);
        ModuleFile.Validate(ModuleFile.Decode(bytes, file), file);
        var target = output ?? Path.ChangeExtension(file, ".wasm");
        if (target == "-")
        {
            if (!Console.IsOutputRedirected)
            {
                throw new WasmrunException("wat2wasm: will not write a binary module to a terminal", ExitCode.Usage) { Hint = "redirect stdout, or give -o FILE" };
            }
            using var stdout = Console.OpenStandardOutput();
            stdout.Write(bytes);
            return;
        }
        Write(file, target, stream => stream.Write(bytes));
    }

    /// <summary>Convert a binary module to WebAssembly text (.wat) that converts back to the same bytes (custom sections aside); printed, or written where -o says.</summary>
    /// <param name="file">The binary module (.wasm).</param>
    /// <param name="output">-o, Where to write the text (default: stdout).</param>
    [Command("wasm2wat")]
    public void WasmToWat([Argument] string file, string? output = null)
    {
        var module = ModuleFile.Load(file);
        if (output is null or "-")
        {
            TextPrinter.Print(module, Terminal.Out.Writer);
            return;
        }
        Write(file, output, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false));
            TextPrinter.Print(module, writer);
        });
    }

    // Written to a temporary file beside the target, then moved over it: a failure leaves no half-written file, and
    // the input is never the target.
    private static void Write(string input, string target, Action<Stream> write)
    {
        if (Path.GetFullPath(target) == Path.GetFullPath(input))
        {
            throw new WasmrunException($"{target}: is the input file; refusing to overwrite it", ExitCode.Usage) { Hint = "give another path with -o" };
        }
        var temporary = target + ".tmp-" + Environment.ProcessId;
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new WasmrunException($"{target}: cannot write: {error.Message}") { Hint = "check that the folder exists and is writable" };
        }
    }
}
