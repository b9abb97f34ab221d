// The generated opcode table: complete for WebAssembly 2.0, names unique, and every opcode decodes from its encoding.
using System.Text.RegularExpressions;
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Engine;

public sealed partial class OpcodeTableTests
{
    [Test]
    public async Task The_table_has_every_2_0_instruction_and_the_3_0_ones_implemented()
    {
        var all = OpcodeInfo.All.ToArray();
        await Assert.That(OpcodeInfo.Count).IsEqualTo(all.Length);
        // 183 of 2.0; 3.0's return_call and return_call_indirect, throw, throw_ref and try_table; the legacy try,
        // catch, catch_all, delegate and rethrow; call_ref, return_call_ref, ref.as_non_null, br_on_null and
        // br_on_non_null; GC's ref.eq.
        await Assert.That(all.Count(op => (int)op <= 0xFF)).IsEqualTo(199);
        // GC so far: ref.test and ref.cast (two encodings each), br_on_cast and br_on_cast_fail, the two conversions,
        // ref.i31 and the two i31.get.
        await Assert.That(all.Count(op => (int)op >> 16 == 0xFB)).IsEqualTo(11);
        await Assert.That(all.Count(op => (int)op >> 16 == 0xFC)).IsEqualTo(18);
        // 236 vector instructions of 2.0 and the 20 of relaxed SIMD.
        await Assert.That(all.Count(op => (int)op >> 16 == 0xFD)).IsEqualTo(256);
    }

    [Test]
    public async Task Names_are_unique_text_format_mnemonics()
    {
        var names = OpcodeInfo.All.ToArray().Select(OpcodeInfo.Name).ToList();
        // Three text names have two encodings each: select (untyped 0x1B, typed 0x1C), and GC's ref.test and ref.cast
        // (the reference type's nullability chooses).
        await Assert.That(names.Distinct().Count()).IsEqualTo(names.Count - 3);
        await Assert.That(names.All(name => Mnemonic().IsMatch(name))).IsTrue();
        await Assert.That(OpcodeInfo.Name(Opcode.I32TruncSatF64U)).IsEqualTo("i32.trunc_sat_f64_u");
        await Assert.That(OpcodeInfo.Name(Opcode.F64x2ConvertLowI32x4U)).IsEqualTo("f64x2.convert_low_i32x4_u");
    }

    [Test]
    public async Task Every_opcode_decodes_from_its_own_encoding()
    {
        foreach (var opcode in OpcodeInfo.All.ToArray())
        {
            var code = (int)opcode;
            byte[] encoding = code <= 0xFF ? [(byte)code] : [(byte)(code >> 16), .. Wasm.U32((uint)(code & 0xFFFF))];
            byte[] bytes = [.. encoding, .. Immediates(OpcodeInfo.Immediates(opcode))];
            var reader = new InstructionReader(new WasmReader(bytes));
            var instruction = new Instruction();
            reader.Read(ref instruction);
            await Assert.That(instruction.Opcode).IsEqualTo(opcode);
            await Assert.That(reader.Reader.AtEnd).IsTrue().Because($"{OpcodeInfo.Name(opcode)} must consume exactly its immediates");
        }
    }

    [Test]
    public async Task Bytes_outside_the_table_are_illegal_opcodes()
    {
        foreach (var bytes in new byte[][] { [0x27], [0xC5], [0xFF], [0xFC, 0x12], [0xFD, 0x9A, 0x01], [0xFD, 0x80, 0x04] })
        {
            var reader = new InstructionReader(new WasmReader(bytes));
            var instruction = new Instruction();
            var error = Assert.Throws<ModuleFormatException>(() => reader.Read(ref instruction));
            await Assert.That(error.Reason).StartsWith("illegal opcode");
        }
    }

    [Test]
    public async Task Memory_instructions_know_their_natural_alignment()
    {
        await Assert.That(OpcodeInfo.NaturalAlignment(Opcode.I64Load)).IsEqualTo(3);
        await Assert.That(OpcodeInfo.NaturalAlignment(Opcode.I32Load8U)).IsEqualTo(0);
        await Assert.That(OpcodeInfo.NaturalAlignment(Opcode.V128Load)).IsEqualTo(4);
        await Assert.That(OpcodeInfo.NaturalAlignment(Opcode.V128Store16Lane)).IsEqualTo(1);
        await Assert.That(OpcodeInfo.NaturalAlignment(Opcode.I32Add)).IsEqualTo(-1);
    }

    private static byte[] Immediates(ImmediateKind kind) => kind switch
    {
        ImmediateKind.None => [],
        ImmediateKind.Block => [0x40],
        ImmediateKind.BrTable => [0x02, 0x00, 0x01, 0x00],
        ImmediateKind.CallIndirect or ImmediateKind.ElemTable or ImmediateKind.TableTable => [0x00, 0x00],
        ImmediateKind.MemArg => [0x00, 0x80, 0x01],
        ImmediateKind.MemArgLane => [0x00, 0x00, 0x01],
        ImmediateKind.Lane or ImmediateKind.Memory => [0x00],
        ImmediateKind.MemoryMemory or ImmediateKind.DataMemory => [0x00, 0x00],
        ImmediateKind.Shuffle or ImmediateKind.V128 => new byte[16],
        ImmediateKind.I32 => [0x7F],
        ImmediateKind.I64 => [0x80, 0x7F],
        ImmediateKind.F32 => [0, 0, 0x80, 0x3F],
        ImmediateKind.F64 => [0, 0, 0, 0, 0, 0, 0xF0, 0x3F],
        ImmediateKind.RefType => [0x70],
        // flags (both nullable), label 0, any, i31
        ImmediateKind.BrOnCast => [0x03, 0x00, 0x6E, 0x6C],
        ImmediateKind.SelectTypes => [0x01, 0x7F],
        // an empty block type, then two catch clauses: catch of tag 0 to label 0, catch_all to label 1
        ImmediateKind.TryTable => [0x40, 0x02, 0x00, 0x00, 0x00, 0x02, 0x01],
        _ => [0x05],
    };

    [GeneratedRegex("^[a-z0-9_.]+$")]
    private static partial Regex Mnemonic();
}
