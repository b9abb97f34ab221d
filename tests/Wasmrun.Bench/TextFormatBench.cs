// The text format against wabt, whole processes of the published binary: the 2.0 suite's scripts under `wasmrun wast`
// (parse, encode, decode, validate, instantiate and run every assertion, in one process) against `wast2json` on each
// script (parse, encode and write, no execution), and a large generated .wat under `wasmrun wat2wasm` against wabt's.
using System.Diagnostics;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Text;

namespace Wasmrun.Bench;

internal static class TextFormatBench
{
    public static IEnumerable<string> Run(string binary, string? scripts, string output)
    {
        var wast2json = Runner.Which("wast2json");
        var wat2wasm = Runner.Which("wat2wasm");
        if (scripts is null || !Directory.Exists(scripts))
        {
            yield return "text format: the 2.0 suite's wast/ folder is missing: skipped";
            yield break;
        }
        var files = Directory.EnumerateFiles(scripts, "*.wast").Order(StringComparer.Ordinal).ToList();
        var megabytes = files.Sum(file => new FileInfo(file).Length) / 1e6;
        var ours = Best(3, () => Runner.Tool(binary, ["wast", "--spec", "2.0", scripts]));
        var line = $"text: wasmrun wast on the 2.0 suite ({files.Count} scripts, {megabytes:F1} MB, every assertion run): {ours:F2} s ({megabytes / ours:F1} MB/s)";
        if (wast2json is not null)
        {
            var json = Directory.CreateDirectory(Path.Combine(output, "wast2json")).FullName;
            var theirs = Best(1, () =>
            {
                foreach (var file in files)
                {
                    Runner.Tool(wast2json, [file, "-o", Path.Combine(json, Path.GetFileNameWithoutExtension(file) + ".json")]);
                }
            });
            line += $"; wast2json (parse and convert only, a process per script) {theirs:F2} s; wasmrun / wast2json {ours / theirs:F2}x";
        }
        yield return line;

        // A large module as text: the generated module of a few MB of code, printed by our printer.
        var generated = Path.Combine(output, "text-generated.wasm");
        ModuleGenerator.Write(generated, targetBytes: 2 << 20);
        var text = Path.Combine(output, "text-generated.wat");
        File.WriteAllText(text, TextPrinter.Print(ModuleDecoder.Decode(File.ReadAllBytes(generated))));
        var textMegabytes = new FileInfo(text).Length / 1e6;
        var oursLarge = Best(3, () => Runner.Tool(binary, ["wat2wasm", text, "-o", Path.Combine(output, "text-ours.wasm")]));
        line = $"text: wat2wasm of a {textMegabytes:F1} MB .wat (parse, encode, validate): wasmrun {oursLarge:F2} s ({textMegabytes / oursLarge:F1} MB/s)";
        if (wat2wasm is not null)
        {
            var theirs = Best(3, () => Runner.Tool(wat2wasm, [text, "-o", Path.Combine(output, "text-wabt.wasm")]));
            line += $", wabt {theirs:F2} s; wasmrun / wabt {oursLarge / theirs:F2}x";
        }
        yield return line;
    }

    private static double Best(int runs, Action run)
    {
        var best = double.MaxValue;
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }
}
