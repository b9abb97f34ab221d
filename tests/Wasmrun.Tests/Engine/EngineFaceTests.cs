// The engine's face as an embedder sees it: typed values in and out of Store.Invoke (exact bits, v128 and NaN
// payloads included), arguments checked against the type, one query for unresolved imports, and an engine that
// names nothing of the CLI.
using System.Text.RegularExpressions;
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Validate;
using static Wasmrun.Tests.Support.Wasm;

namespace Wasmrun.Tests.Engine;

public sealed partial class EngineFaceTests
{
    private const byte I32 = 0x7F, F64 = 0x7C, V128 = 0x7B;

    /// <summary>rotate(v: v128, d: f64, i: i32) -> (i32, v128, f64): its arguments, the last first.</summary>
    private static Module Rotate()
    {
        var module = ModuleDecoder.Decode(Module(
            Section(1, Vector(FuncType([V128, F64, I32], [I32, V128, F64]))),
            Section(3, Vector(U32(0))),
            Section(7, Vector([.. Name("rotate"), 0x00, 0x00])),
            Section(10, Vector(Body([0x20, 2, 0x20, 0, 0x20, 1, 0x0B])))));
        ModuleValidator.Validate(module);
        return module;
    }

    [Test]
    public async Task Typed_values_go_in_and_come_out_with_their_exact_bits()
    {
        using var store = new Store(new EngineOptions());
        var rotate = store.Instantiate(Rotate(), new Linker()).ExportedFunction("rotate")!;
        var vector = new V128(0x0123456789ABCDEF, 0xFEDCBA9876543210);
        var nan = BitConverter.UInt64BitsToDouble(0xFFF0000000001234);

        var results = store.Invoke(rotate, [Value.V128(vector), Value.F64(nan), Value.I32(-7)]);

        await Assert.That(results.Select(r => r.Type)).IsEquivalentTo([ValType.I32, ValType.V128, ValType.F64]);
        await Assert.That(results[0].AsI32()).IsEqualTo(-7);
        await Assert.That(results[1].AsV128()).IsEqualTo(vector);
        await Assert.That(results[2].Bits).IsEqualTo(0xFFF0000000001234UL);
        await Assert.That(string.Join(" ", results)).IsEqualTo("-7 0xfedcba98765432100123456789abcdef -nan:0x1234");
    }

    [Test]
    public async Task Arguments_that_do_not_fit_the_type_are_refused_before_anything_runs()
    {
        using var store = new Store(new EngineOptions());
        var rotate = store.Instantiate(Rotate(), new Linker()).ExportedFunction("rotate")!;

        var arity = Assert.Throws<ArgumentException>(() => store.Invoke(rotate, [Value.I32(1)]));
        var type = Assert.Throws<ArgumentException>(() => store.Invoke(rotate, [Value.V128(default), Value.F64(1), Value.I64(1)]));

        await Assert.That(arity.Message).IsEqualTo("rotate takes 3 argument(s), 1 given");
        await Assert.That(type.Message).IsEqualTo("argument 3 of rotate must be i32, not i64");
    }

    [Test]
    [Arguments((byte)0x7F, "-2147483648")]
    [Arguments((byte)0x7E, "9223372036854775807")]
    [Arguments((byte)0x7D, "-nan:0x200000")]
    [Arguments((byte)0x7C, "-0")]
    [Arguments((byte)0x7B, "0x000000000000000100000000000000ff")]
    [Arguments((byte)0x6F, "null")]
    public async Task Value_text_reads_what_it_writes(byte encoding, string text)
    {
        var type = new WasmReader([encoding]).ReadValType();
        await Assert.That(ValueText.TryParse(type, text, out var value)).IsNull();
        await Assert.That(value.Type).IsEqualTo(type);
        await Assert.That(ValueText.Format(value)).IsEqualTo(text);
    }

    [Test]
    public async Task Unresolved_imports_are_one_query_that_instantiation_reports_in_full()
    {
        var module = ModuleDecoder.Decode(Module(
            Section(1, Vector(FuncType([I32], []))),
            Section(2, Vector(
                [.. Name("env"), .. Name("log"), 0x00, 0x00],
                [.. Name("host"), .. Name("tick"), 0x00, 0x00],
                [.. Name("env"), .. Name("memory"), 0x02, 0x00, 0x01]))));
        ModuleValidator.Validate(module);
        using var store = new Store(new EngineOptions());
        var linker = new Linker();
        linker.Define("host", "tick", Extern.Of(FunctionInstance.FromHost(store, module.Types[0], "tick", _ => { })));

        var unresolved = linker.Unresolved(module);
        var error = Assert.Throws<LinkException>(() => store.Instantiate(module, linker));

        await Assert.That(unresolved.Select(i => i.Name)).IsEquivalentTo(["log", "memory"]);
        await Assert.That(error.Unresolved).IsEquivalentTo(unresolved);
        await Assert.That(error.Message).IsEqualTo("unknown import: env.log (func (i32) -> ()), env.memory (memory 1..)");
        await Assert.That(module.ImportsWasi).IsFalse();
    }

    [Test]
    public async Task The_engine_names_nothing_of_the_command_line()
    {
        var engine = Path.Join(RepositoryRoot.Path, "src", "Wasmrun", "Engine");
        var offending = Directory.EnumerateFiles(engine, "*.*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".txt", StringComparison.Ordinal))
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, i)))
            .Where(entry => OutsideTheEngine().IsMatch(entry.line))
            .Select(entry => $"{Path.GetRelativePath(engine, entry.file)}:{entry.i + 1}: {entry.line.Trim()}")
            .ToList();

        await Assert.That(offending).IsEmpty();
    }

    /// <summary>A layer above the engine, the CLI's error type and exit codes, or a command-line flag in a message.</summary>
    [GeneratedRegex(@"using Wasmrun\.(Cli|Config|Commands|Host|Wasi|Plugins|Server|Inspect)\b|\bWasmrunException\b|\bExitCode\b|""[^""]*\s--[a-z][a-z-]+")]
    private static partial Regex OutsideTheEngine();
}
