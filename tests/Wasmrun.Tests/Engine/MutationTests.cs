// Robustness: thousands of corrupted spec modules (flipped bytes, truncations, insertions) must decode and validate
// or fail with a ModuleFormatException, never another exception, a hang or a runaway allocation; the ones that stay
// valid are instantiated and their exports called (with zero arguments and little fuel): only traps, link errors and
// limits may stop them.
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Validate;
using Wasmrun.Tests.Spec;

namespace Wasmrun.Tests.Engine;

public sealed class MutationTests
{
    [Test]
    public async Task Corrupted_modules_only_ever_fail_as_malformed_or_invalid()
    {
        if (SpecSuite.CoreDirectory is null)
        {
            Skip.Test(SpecSuite.MissingMessage);
        }
        var random = new Random(20261125);
        var seeds = Directory.EnumerateFiles(SpecSuite.CoreDirectory!, "*.wasm")
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes)
            .Where(bytes => bytes.Length is > 8 and < 16 * 1024)
            .ToList();
        var crashes = new List<string>();
        int accepted = 0, rejected = 0;
        foreach (var seed in seeds)
        {
            for (var round = 0; round < 8; round++)
            {
                var mutant = Mutate(seed, random);
                try
                {
                    var module = ModuleDecoder.Decode(mutant);
                    ModuleValidator.Validate(module);
                    accepted++;
                    Run(module);
                }
                catch (ModuleFormatException)
                {
                    rejected++;
                }
                catch (Exception crash)
                {
                    crashes.Add($"{Convert.ToHexString(mutant)}: {crash.GetType().Name}: {crash.Message}");
                }
            }
        }
        await Assert.That(crashes).IsEmpty();
        await Assert.That(accepted + rejected).IsGreaterThan(10_000);
        await Assert.That(rejected).IsGreaterThan(accepted / 10);
    }

    /// <summary>Instantiates the module against no imports, then calls every exported function with zero arguments.</summary>
    private static void Run(Module module)
    {
        if (!module.Imports.IsEmpty)
        {
            return;
        }
        using var store = new Store(new EngineOptions { Fuel = 10_000, MaxCallDepth = 200, MaxMemoryBytes = 1 << 20, StackSlots = 1 << 16 });
        try
        {
            var instance = store.Instantiate(module, new Linker());
            foreach (var export in instance.Exports.Values.Where(e => e.Kind == ExternalKind.Function))
            {
                var zeros = export.Function.Type.Parameters.Select(type => Value.FromBits(type, 0)).ToArray();
                try
                {
                    store.Invoke(export.Function, zeros);
                }
                catch (TrapException)
                {
                }
            }
        }
        catch (EngineException)
        {
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = seed.ToList();
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            var at = random.Next(8, bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                default:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 8), bytes.Count - at));
                    break;
            }
            if (bytes.Count <= 8)
            {
                break;
            }
        }
        return [.. bytes];
    }
}
