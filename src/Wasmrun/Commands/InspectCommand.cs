// `wasmrun inspect FILE [FUNCTION]`: every section and index space of a module, and on request the disassembly or
// the module as text.
using System.Globalization;
using System.Text.Json;
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Engine;
using Wasmrun.Engine.Text;
using Wasmrun.Host;
using Wasmrun.Inspect;

namespace Wasmrun.Commands;

public sealed class InspectCommand
{
    /// <summary>Show a module's sections, types, imports, functions, tables, memories, globals, exports and segments; disassemble its code.</summary>
    /// <param name="file">The module file (.wasm, or .wat text).</param>
    /// <param name="function">Disassemble only this function: its index, its name (name section) or an export name.</param>
    /// <param name="disasm">Disassemble every function body.</param>
    /// <param name="ir">With a function: show the interpreter's translation of it instead of its Wasm code.</param>
    /// <param name="json">Print one JSON object instead of text.</param>
    /// <param name="wat">Print the module as WebAssembly text (round-trips to the same bytes).</param>
    [Command("inspect")]
    public void Inspect([Argument] string file, [Argument] string? function = null, bool disasm = false, bool ir = false, bool json = false, bool wat = false)
    {
        var module = ModuleFile.Load(file, validate: false);
        ModuleFormatException? invalid = null;
        try
        {
            ModuleFile.Validate(module, file);
        }
        catch (ModuleFormatException error)
        {
            invalid = error;
        }
        if (wat)
        {
            WriteText(module, function is not null || disasm || ir || json, invalid);
            return;
        }
        if (ir)
        {
            WriteIr(module, file, function, invalid, json);
            return;
        }
        DisassemblyReport[]? disassembly = function is not null
            ? [Disassembler.Function(module, ResolveFunction(module, file, function))]
            : disasm
                ? [.. Enumerable.Range(module.ImportedFunctionCount, module.Bodies.Length).Select(i => Disassembler.Function(module, (uint)i))]
                : null;
        var report = ReportBuilder.Inspect(file, module, invalid, disassembly);
        if (json)
        {
            Terminal.Out.WriteLine(JsonSerializer.Serialize(report, ReportJsonContext.Default.InspectReport));
        }
        else if (function is not null)
        {
            // A named function asks for its code, not the whole module again.
            TextReport.WriteDisassembly(disassembly![0], Terminal.Out);
        }
        else
        {
            TextReport.WriteInspect(report, Terminal.Out);
        }
    }

    private static void WriteText(Module module, bool otherOutputAsked, ModuleFormatException? invalid)
    {
        if (otherOutputAsked)
        {
            throw new WasmrunException("--wat prints the whole module: it takes no FUNCTION, --disasm, --ir or --json", ExitCode.Usage);
        }
        // The printer promises text that encodes back to the module, which only a valid module can keep (an invalid
        // body may not even decode: bodies are read only as they are printed).
        if (invalid is not null)
        {
            throw invalid;
        }
        TextPrinter.Print(module, Terminal.Out.Writer);
    }

    private static void WriteIr(Module module, string file, string? function, ModuleFormatException? invalid, bool json)
    {
        if (function is null)
        {
            throw new WasmrunException("--ir needs a function: wasmrun inspect FILE FUNCTION --ir", ExitCode.Usage);
        }
        if (invalid is not null)
        {
            throw invalid;
        }
        var report = IrListing.Function(module, ResolveFunction(module, file, function));
        if (json)
        {
            Terminal.Out.WriteLine(JsonSerializer.Serialize(report, ReportJsonContext.Default.IrReport));
        }
        else
        {
            TextReport.WriteIr(report, Terminal.Out);
        }
    }

    private static uint ResolveFunction(Module module, string file, string function)
    {
        uint? index = uint.TryParse(function, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : module.Names.Functions.FirstOrDefault(n => n.Value == function) is { Value: not null } named
                ? named.Key
                : module.Exports.FirstOrDefault(e => e.Kind == ExternalKind.Function && e.Name == function)?.Index;
        if (index is not { } found || found >= (uint)module.FunctionCount)
        {
            var range = module.FunctionCount == 0 ? "no functions" : $"functions 0..{module.FunctionCount - 1}";
            throw new WasmrunException($"{file}: no function '{function}' (the module has {range})", ExitCode.Usage)
            {
                Hint = "name a function by index, by its name-section name or by an export name; `wasmrun inspect FILE` lists them",
            };
        }
        if (found < (uint)module.ImportedFunctionCount)
        {
            throw new WasmrunException($"{file}: function {found} ({module.FunctionDisplayName(found)}) is imported: it has no body to disassemble", ExitCode.Usage);
        }
        return found;
    }
}
