// Builds the verify and inspect reports from a decoded module: counts, entry point, every index space.
using Wasmrun.Engine;

namespace Wasmrun.Inspect;

internal static class ReportBuilder
{
    public static VerifyReport Verify(string file, Module module) =>
        new(file, module.Bytes.Length, true, Counts(module), Entry(module), null);

    public static VerifyReport Verify(string file, long size, ModuleFormatException error) =>
        new(file, size, false, null, null, ErrorReport.From(error));

    public static CountsReport Counts(Module module) => new(
        module.Types.Length, module.FunctionCount, module.ImportedFunctionCount, module.Imports.Length, module.Exports.Length,
        module.Tables.Length, module.Memories.Length, module.Globals.Length, module.Elements.Length, module.Data.Length,
        module.CustomSections.Length);

    public static EntryReport Entry(Module module)
    {
        if (module.StartFunction is { } start)
        {
            return new EntryReport("start", null, start, $"start function {FunctionLabel(module, start)} runs at instantiation");
        }
        foreach (var (export, kind, description) in new[]
        {
            ("_start", "command", "a WASI command: it exports _start"),
            ("_initialize", "reactor", "a WASI reactor: it exports _initialize, to run before its other exports"),
        })
        {
            var found = module.Exports.FirstOrDefault(e => e.Kind == ExternalKind.Function && e.Name == export);
            if (found is not null)
            {
                return new EntryReport(kind, export, found.Index, description);
            }
        }
        return new EntryReport("library", null, null, "exports only: no start function, no WASI _start or _initialize");
    }

    public static InspectReport Inspect(string file, Module module, ModuleFormatException? validationError, DisassemblyReport[]? disassembly)
    {
        var names = module.Names;
        return new InspectReport(
            file, module.Bytes.Length, 1, validationError is null, validationError is null ? null : ErrorReport.From(validationError),
            names.ModuleName, names.Problem, Entry(module),
            [.. module.Sections.Select(s => new SectionReport(s.Id.DisplayName(), s.CustomName, s.Offset, s.Size))],
            [.. module.Types.Select((t, i) => new TypeReport((uint)i, [.. t.Parameters.Select(ValTypes.Name)], [.. t.Results.Select(ValTypes.Name)], t.ToString()))],
            [.. Imports(module)],
            [.. Functions(module)],
            [.. module.Tables.Select((t, i) => new TableReport((uint)i, t.ElementType.Name(), t.Limits.Min, t.Limits.Max, i < module.ImportedTableCount))],
            [.. module.Memories.Select((m, i) => new MemoryReport((uint)i, m.Limits.Min, m.Limits.Max, i < module.ImportedMemoryCount))],
            [.. module.Globals.Select((g, i) => new GlobalReport((uint)i, g.Type.Name(), g.Mutable,
                i < module.ImportedGlobalCount ? null : ExpressionText(module, module.GlobalInitializers[i - module.ImportedGlobalCount]),
                i < module.ImportedGlobalCount))],
            [.. module.Exports.Select(e => new ExportReport(e.Name, e.Kind.Name(), e.Index,
                e.Kind == ExternalKind.Function ? module.FunctionDisplayName(e.Index) : null))],
            module.StartFunction,
            [.. module.Elements.Select((e, i) => new ElementReport((uint)i, ModeName(e.Mode),
                e.Mode == SegmentMode.Active ? e.TableIndex : null,
                e.Mode == SegmentMode.Active ? ExpressionText(module, e.Offset) : null, e.Type.Name(), e.Items.Length))],
            [.. module.Data.Select((d, i) => new DataReport((uint)i, ModeName(d.Mode),
                d.Mode == SegmentMode.Active ? d.MemoryIndex : null,
                d.Mode == SegmentMode.Active ? ExpressionText(module, d.Offset) : null, d.DataLength))],
            [.. module.CustomSections.Select(c => new CustomReport(c.Name, c.Offset, c.ContentLength))],
            disassembly);
    }

    /// <summary>"fib (3)" when the name section names it, else "3".</summary>
    public static string FunctionLabel(Module module, uint index) =>
        module.Names.FunctionName(index) is { } name ? $"{name} ({index})" : index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A constant expression as text, e.g. "i32.const 1024" or "global.get 0".</summary>
    public static string ExpressionText(Module module, ConstExpr expr) =>
        expr.Opcode == Opcode.End ? "(empty)" : Disassembler.Format(module, new Engine.Decode.Instruction
        {
            Opcode = expr.Opcode,
            Bits = expr.Bits,
            Vector = expr.Vector,
            Index = expr.Index,
            Type = expr.Type,
        }, []);

    private static string ModeName(SegmentMode mode) => mode.ToString().ToLowerInvariant();

    private static IEnumerable<ImportReport> Imports(Module module)
    {
        uint functions = 0, tables = 0, memories = 0, globals = 0;
        foreach (var import in module.Imports)
        {
            var (index, type) = import.Kind switch
            {
                ExternalKind.Function => (functions++, module.Types.Length > import.TypeIndex ? module.Types[(int)import.TypeIndex].ToString() : $"type {import.TypeIndex}"),
                ExternalKind.Table => (tables++, $"{import.Table.ElementType.Name()} {import.Table.Limits}"),
                ExternalKind.Memory => (memories++, $"{import.Memory.Limits} pages"),
                _ => (globals++, import.Global.ToString()),
            };
            yield return new ImportReport(import.ModuleName, import.Name, import.Kind.Name(), index, type);
        }
    }

    private static IEnumerable<FunctionReport> Functions(Module module)
    {
        var imports = module.Imports.Where(i => i.Kind == ExternalKind.Function).ToList();
        for (var i = 0; i < module.FunctionCount; i++)
        {
            var index = (uint)i;
            var typeIndex = module.FunctionTypeIndices[i];
            var signature = module.FunctionType(index)?.ToString() ?? $"(unknown type {typeIndex})";
            if (i < module.ImportedFunctionCount)
            {
                var import = imports[i];
                yield return new FunctionReport(index, module.FunctionDisplayName(index), typeIndex, signature,
                    $"{import.ModuleName}.{import.Name}", null, null, null);
            }
            else
            {
                var body = module.Bodies[i - module.ImportedFunctionCount];
                yield return new FunctionReport(index, module.FunctionDisplayName(index), typeIndex, signature, null,
                    body.Offset, body.End - body.Offset, body.LocalCount);
            }
        }
    }
}
