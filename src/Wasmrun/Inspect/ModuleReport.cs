// What verify and inspect say about a module, as plain records: built once from the decoded module, then printed
// as text or serialized as JSON (System.Text.Json source generation, snake_case), so both forms always agree.
using System.Text.Json.Serialization;
using Wasmrun.Engine;

namespace Wasmrun.Inspect;

internal sealed record ErrorReport(string Kind, string Message, int Offset, string? Section, uint? Function, string? FunctionName)
{
    public static ErrorReport From(ModuleFormatException error) => new(
        error.Kind == ModuleErrorKind.Malformed ? "malformed" : "invalid",
        error.Reason, error.Offset, error.Section?.DisplayName(), error.FunctionIndex, error.FunctionName);
}

internal sealed record CountsReport(
    int Types, int Functions, int ImportedFunctions, int Imports, int Exports, int Tables, int Memories, int Globals,
    int ElementSegments, int DataSegments, int CustomSections);

/// <summary>How the module is meant to be started: "start" (start section), "command" (WASI _start),
/// "reactor" (WASI _initialize), or "library" (exports only).</summary>
internal sealed record EntryReport(string Kind, string? Export, uint? Function, string Description);

internal sealed record VerifyReport(string File, long Size, bool Valid, CountsReport? Counts, EntryReport? Entry, ErrorReport? Error);

internal sealed record SectionReport(string Id, string? Name, int Offset, int Size);

internal sealed record TypeReport(uint Index, string[] Params, string[] Results, string Signature);

internal sealed record ImportReport(string Module, string Name, string Kind, uint Index, string Type);

internal sealed record FunctionReport(uint Index, string? Name, uint TypeIndex, string Signature, string? ImportedFrom, int? Offset, int? Size, ulong? Locals);

internal sealed record TableReport(uint Index, string ElementType, ulong Min, ulong? Max, bool Imported);

internal sealed record MemoryReport(uint Index, ulong Min, ulong? Max, bool Imported);

internal sealed record GlobalReport(uint Index, string Type, bool Mutable, string? Init, bool Imported);

internal sealed record ExportReport(string Name, string Kind, uint Index, string? Target);

internal sealed record ElementReport(uint Index, string Mode, uint? Table, string? Offset, string Type, int Count);

internal sealed record DataReport(uint Index, string Mode, uint? Memory, string? Offset, int Size);

internal sealed record CustomReport(string Name, int Offset, int Size);

internal sealed record InstructionReport(int Offset, int Depth, string Text);

internal sealed record DisassemblyReport(uint Function, string? Name, string Signature, string Locals, int Offset, int Size, InstructionReport[] Instructions);

internal sealed record InspectReport(
    string File, long Size, int Version, bool Valid, ErrorReport? ValidationError, string? ModuleName, string? NameSectionProblem,
    EntryReport Entry, SectionReport[] Sections, TypeReport[] Types, ImportReport[] Imports, FunctionReport[] Functions,
    TableReport[] Tables, MemoryReport[] Memories, GlobalReport[] Globals, ExportReport[] Exports, uint? Start,
    ElementReport[] Elements, DataReport[] Data, CustomReport[] CustomSections, DisassemblyReport[]? Disassembly);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(VerifyReport))]
[JsonSerializable(typeof(InspectReport))]
[JsonSerializable(typeof(IrReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
