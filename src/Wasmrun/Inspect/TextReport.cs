// Prints the verify and inspect reports for people: aligned columns, colour only when the terminal allows it.
using System.Globalization;
using Wasmrun.Cli;

namespace Wasmrun.Inspect;

internal static class TextReport
{
    public static void WriteVerify(VerifyReport report, Terminal output)
    {
        output.WriteLine($"{output.Bold(report.File)}: {output.Green("valid")} WebAssembly module ({Bytes(report.Size)})");
        var counts = report.Counts!;
        var imported = counts.ImportedFunctions > 0 ? $" ({counts.ImportedFunctions} imported)" : "";
        Rows(output, [
            ["functions", $"{counts.Functions}{imported}"],
            ["imports", Count(counts.Imports)],
            ["exports", Count(counts.Exports)],
            ["memories", Count(counts.Memories)],
            ["tables", Count(counts.Tables)],
            ["globals", Count(counts.Globals)],
            ["segments", $"{counts.DataSegments} data, {counts.ElementSegments} element"],
            ["entry", $"{report.Entry!.Kind}: {report.Entry.Description}"],
        ]);
    }

    public static void WriteInspect(InspectReport report, Terminal output)
    {
        var validity = report.Valid
            ? output.Green("valid")
            : output.Red($"INVALID: {report.ValidationError!.Message} at offset 0x{report.ValidationError.Offset:x}");
        output.WriteLine($"{output.Bold(report.File)}: {Bytes(report.Size)}, binary version {report.Version}, {validity}");
        if (report.ModuleName is not null)
        {
            output.WriteLine($"module name: {report.ModuleName}");
        }
        if (report.NameSectionProblem is not null)
        {
            output.WriteLine(output.Yellow($"warning: {report.NameSectionProblem}"));
        }
        output.WriteLine($"entry: {report.Entry.Kind}: {report.Entry.Description}");

        Table(output, "sections", ["id", "name", "offset", "size"],
            report.Sections.Select(s => new[] { s.Id, s.Name ?? "", Hex(s.Offset), s.Size.ToString(CultureInfo.InvariantCulture) }));
        Table(output, "types", ["index", "signature"],
            report.Types.Select(t => new[] { Number(t.Index), t.Signature }));
        Table(output, "imports", ["index", "kind", "import", "type"],
            report.Imports.Select(i => new[] { Number(i.Index), i.Kind, $"{i.Module}.{i.Name}", i.Type }));
        Table(output, "functions", ["index", "name", "signature", "type", "body", "size", "locals"],
            report.Functions.Select(f => new[]
            {
                Number(f.Index), f.Name ?? "", f.Signature, Number(f.TypeIndex),
                f.ImportedFrom is null ? Hex(f.Offset!.Value) : $"import {f.ImportedFrom}",
                f.Size?.ToString(CultureInfo.InvariantCulture) ?? "", f.Locals?.ToString(CultureInfo.InvariantCulture) ?? "",
            }));
        Table(output, "tables", ["index", "type", "limits", ""],
            report.Tables.Select(t => new[] { Number(t.Index), t.ElementType, Limits(t.Min, t.Max), t.Imported ? "imported" : "" }));
        Table(output, "memories", ["index", "pages", "bytes", ""],
            report.Memories.Select(m => new[] { Number(m.Index), Limits(m.Min, m.Max), Bytes((long)m.Min * 65536), m.Imported ? "imported" : "" }));
        Table(output, "globals", ["index", "type", "init"],
            report.Globals.Select(g => new[] { Number(g.Index), g.Mutable ? $"(mut {g.Type})" : g.Type, g.Imported ? "imported" : g.Init ?? "" }));
        Table(output, "exports", ["name", "kind", "index", "target"],
            report.Exports.Select(e => new[] { e.Name, e.Kind, Number(e.Index), e.Target ?? "" }));
        if (report.Start is { } start)
        {
            output.WriteLine();
            output.WriteLine($"{output.Bold("start")} function {start}");
        }
        Table(output, "element segments", ["index", "mode", "table", "offset", "type", "count"],
            report.Elements.Select(e => new[] { Number(e.Index), e.Mode, e.Table is { } t ? Number(t) : "", e.Offset ?? "", e.Type, Number((uint)e.Count) }));
        Table(output, "data segments", ["index", "mode", "memory", "offset", "size"],
            report.Data.Select(d => new[] { Number(d.Index), d.Mode, d.Memory is { } m ? Number(m) : "", d.Offset ?? "", d.Size.ToString(CultureInfo.InvariantCulture) }));
        Table(output, "custom sections", ["name", "offset", "size"],
            report.CustomSections.Select(c => new[] { c.Name, Hex(c.Offset), c.Size.ToString(CultureInfo.InvariantCulture) }));
        foreach (var function in report.Disassembly ?? [])
        {
            WriteDisassembly(function, output);
        }
    }

    public static void WriteDisassembly(DisassemblyReport function, Terminal output)
    {
        output.WriteLine();
        var name = function.Name is null ? "" : $" {function.Name}";
        var locals = function.Locals.Length == 0 ? "" : $", locals {function.Locals}";
        output.WriteLine(output.Bold($"func[{function.Function}]{name} {function.Signature}") + output.Dim($"  ; body at {Hex(function.Offset)}, {function.Size} bytes{locals}"));
        var width = Hex(function.Offset + function.Size).Length;
        foreach (var instruction in function.Instructions)
        {
            output.WriteLine($"  {output.Dim(Hex(instruction.Offset).PadLeft(width))}  {new string(' ', 2 * instruction.Depth)}{instruction.Text}");
        }
    }

    public static void WriteIr(IrReport report, Terminal output)
    {
        var name = report.Name is null ? "" : $" {report.Name}";
        output.WriteLine(output.Bold($"func[{report.Function}]{name}: {report.Instructions.Length} IR instructions for {report.WasmBytes} bytes of code")
            + output.Dim($"  ; frame {report.FrameSlots} slots: {report.ParamSlots} parameter, {report.LocalSlots} local"));
        foreach (var i in report.Instructions)
        {
            output.WriteLine($"  {i.Index,5}  {output.Dim($"0x{i.Offset:x}"),-8}  {i.Op,-22} {i.A,6} {i.B,6} {i.C,11}");
        }
    }

    private static void Table(Terminal output, string title, string[] headers, IEnumerable<string[]> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return;
        }
        output.WriteLine();
        output.WriteLine(output.Bold($"{title} ({list.Count})"));
        var widths = headers.Select((h, i) => Math.Max(h.Length, list.Max(r => r[i].Length))).ToArray();
        output.WriteLine(output.Dim("  " + string.Join("  ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd()));
        foreach (var row in list)
        {
            output.WriteLine("  " + string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    private static void Rows(Terminal output, string[][] rows)
    {
        var width = rows.Max(r => r[0].Length);
        foreach (var row in rows)
        {
            output.WriteLine($"  {output.Dim(row[0].PadRight(width))}  {row[1]}");
        }
    }

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);

    private static string Number(uint value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Hex(int offset) => $"0x{offset:x}";

    private static string Limits(ulong min, ulong? max) => max is { } m ? $"{min}..{m}" : $"{min}..";

    /// <summary>The exact count, and from 1 KiB on the size as people read it: "70,000 bytes, 68.4 KiB".</summary>
    public static string Bytes(long size) => size >= 1L << 10 ? $"{size:N0} bytes, {Units.Size(size)}" : $"{size} bytes";
}
