// In-process engine timings: translation throughput (ns per byte of function code, and IR size per code byte) over
// every function of the large generated module, and instantiation time of each kernel module.
using System.Diagnostics;
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Translate;
using Wasmrun.Engine.Validate;

namespace Wasmrun.Bench;

internal static class EngineTimings
{
    public static IEnumerable<string> Translation(string modulePath)
    {
        // A first pass on another copy warms the JIT (the AOT binary has no warm-up to do).
        Translate(Load(modulePath), out _, out _);
        var module = Load(modulePath);
        var elapsed = Translate(module, out var codeBytes, out var irBytes);
        yield return $"translation: {module.Bodies.Length:N0} functions, {codeBytes / 1e6:F1} MB of code: " +
                     $"{elapsed.TotalMilliseconds * 1e6 / codeBytes:F1} ns/byte, IR {irBytes / (double)codeBytes:F1}x the code size";
    }

    public static IEnumerable<string> Instantiation(IEnumerable<string> modulePaths)
    {
        foreach (var path in modulePaths)
        {
            var module = Load(path);
            var times = new List<double>();
            for (var i = 0; i < 21; i++)
            {
                using var store = new Store(new EngineOptions());
                var clock = Stopwatch.StartNew();
                store.Instantiate(module, new Linker());
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            yield return $"instantiate {Path.GetFileName(path),-12} median {times[times.Count / 2]:F3} ms (memory {module.Memories.FirstOrDefault().Limits.Min} pages)";
        }
    }

    private static Module Load(string path)
    {
        var module = ModuleDecoder.Decode(File.ReadAllBytes(path));
        ModuleValidator.Validate(module);
        return module;
    }

    private static TimeSpan Translate(Module module, out long codeBytes, out long irBytes)
    {
        var translated = TranslatedModule.For(module);
        codeBytes = module.Bodies.Sum(b => (long)(b.End - b.CodeStart));
        irBytes = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < module.Bodies.Length; i++)
        {
            irBytes += translated.Function((uint)(module.ImportedFunctionCount + i)).Length * 16L;
        }
        return clock.Elapsed;
    }
}
