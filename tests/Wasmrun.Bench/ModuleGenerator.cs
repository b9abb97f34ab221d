// Writes a large valid module for the decode/validate benchmark: thousands of functions whose bodies mix what
// compilers emit (loops, branches, locals, memory access, i64/f64/v128 arithmetic, calls), not a repeated no-op.
using static Wasmrun.Tests.Support.Wasm;

namespace Wasmrun.Bench;

internal static class ModuleGenerator
{
    private const int LoopsPerFunction = 16;

    public static void Write(string path, int targetBytes)
    {
        var body = Body(0);
        var functions = Math.Max(1, targetBytes / (body.Length + 3));
        var code = new List<byte>(targetBytes + 1024);
        code.AddRange(U32((uint)functions));
        for (var i = 0; i < functions; i++)
        {
            var function = Body(i);
            code.AddRange(U32((uint)function.Length));
            code.AddRange(function);
        }
        var module = new List<byte> { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00 };
        module.AddRange(Section(1, [0x01, 0x60, 0x02, 0x7F, 0x7F, 0x01, 0x7F]));
        module.AddRange(Section(3, [.. U32((uint)functions), .. Enumerable.Repeat((byte)0, functions)]));
        module.AddRange(Section(5, [0x01, 0x00, 0x01]));
        module.AddRange(Section(7, [0x01, 0x04, (byte)'m', (byte)'a', (byte)'i', (byte)'n', 0x00, 0x00]));
        module.AddRange(Section(10, [.. code]));
        File.WriteAllBytes(path, [.. module]);
    }

    /// <summary>(i32 a, i32 b) -> i32 with locals i32 i, i32 acc, i64 sum, f64 x, v128 v.</summary>
    private static byte[] Body(int index)
    {
        var callee = U32((uint)Math.Max(0, index - 1));
        var bytes = new List<byte> { 0x04, 0x02, 0x7F, 0x01, 0x7E, 0x01, 0x7C, 0x01, 0x7B };
        bytes.AddRange([0x02, 0x7F]);
        for (var loop = 0; loop < LoopsPerFunction; loop++)
        {
            bytes.AddRange([0x03, 0x40]);
            bytes.AddRange([0x20, 0x02, 0x41, 0x01, 0x6A, 0x21, 0x02]);
            bytes.AddRange([0x20, 0x02, 0x41, 0xFF, 0x07, 0x71, 0x28, 0x02, 0x10, 0x20, 0x01, 0x6C, 0x21, 0x03]);
            bytes.AddRange([0x20, 0x03, 0xAC, 0x20, 0x04, 0x7C, 0x21, 0x04]);
            bytes.AddRange([0x20, 0x02, 0xB7, 0x20, 0x05, 0xA2, 0x9F, 0x21, 0x05]);
            bytes.AddRange([0x20, 0x06, 0x20, 0x06, 0xFD, 0xAE, 0x01, 0x21, 0x06]);
            bytes.AddRange([0x20, 0x00, 0x20, 0x01, 0x10, .. callee, 0x1A]);
            bytes.AddRange([0x20, 0x02, 0x41, 0xE4, 0x00, 0x48, 0x0D, 0x00]);
            bytes.Add(0x0B);
        }
        bytes.AddRange([0x20, 0x02, 0x20, 0x03, 0x36, 0x02, 0x00, 0x20, 0x03, 0x0B, 0x0B]);
        return [.. bytes];
    }
}
