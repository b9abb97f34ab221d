// The published binary's code layout: every method named in Engine/Execute/HotMethods.order exists under that symbol
// (a rename would silently drop it from the order), the interpreter's dispatch method opens the managed code (at a
// 64-byte boundary, or up to 48 bytes after it), and the dispatch sequence every instruction ends in lies inside one
// 64-byte line (Engine/Execute/place-dispatch.sh, which the build uses to place it and this test to find it).
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Cli;

public sealed class HotMethodsTests
{
    [Test]
    public async Task The_interpreter_comes_first_in_the_managed_code()
    {
        var symbols = Path.Combine(RepositoryRoot.Path, "src", "Wasmrun", "bin", "Release", "net10.0", "linux-x64", "native", "wasmrun.dbg");
        if (!File.Exists(symbols))
        {
            Skip.Test($"{symbols} not found: run ./build.sh build first");
        }
        var nm = RequiredTool.Program("nm", "apt-get install binutils");
        var listing = await ExternalProcess.RunAsync(nm, ["--defined-only", symbols], RepositoryRoot.Path);
        await Assert.That(listing.ExitCode).IsEqualTo(0);

        // "ADDRESS t NAME" for code symbols (a name may repeat: local symbols of several objects)
        var code = listing.Stdout.Split('\n')
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length == 3 && parts[1] is "t" or "T")
            .GroupBy(parts => parts[2])
            .ToDictionary(group => group.Key, group => Convert.ToUInt64(group.First()[0], 16));
        var order = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "src", "Wasmrun", "Engine", "Execute", "HotMethods.order"))
            .Where(line => line.Length > 0)
            .ToArray();
        foreach (var method in order)
        {
            await Assert.That(code.ContainsKey(method)).IsTrue().Because($"{method} (HotMethods.order) is not in the binary");
        }
        // "[17] __managedcode PROGBITS ADDRESS ...": ILC's section of compiled methods
        var sections = await ExternalProcess.RunAsync(RequiredTool.Program("readelf", "apt-get install binutils"),
            ["-SW", symbols], RepositoryRoot.Path);
        var managedCode = sections.Stdout.Split('\n').Single(line => line.Contains(" __managedcode ", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = Convert.ToUInt64(managedCode[Array.IndexOf(managedCode, "__managedcode") + 2], 16);
        // the AlignManagedCode target (Wasmrun.csproj) raised the section's alignment from ILC's 32 to 64 and
        // shifted it by 16, 32 or 48 bytes of padding where the dispatch sequence needed it
        await Assert.That(start % 64).IsEqualTo(0UL);
        var run = code[order[0]];
        await Assert.That(run - start).IsLessThan(64UL);
        await Assert.That((run - start) % 16).IsEqualTo(0UL);

        var next = code.Values.Where(address => address > run).Min();
        var binary = Path.ChangeExtension(symbols, null);
        var script = Path.Combine(RepositoryRoot.Path, "src", "Wasmrun", "Engine", "Execute", "place-dispatch.sh");
        var block = await ExternalProcess.RunAsync("bash", [script, "show", binary, $"0x{run:x}", $"0x{next:x}"], RepositoryRoot.Path);
        await Assert.That(block.ExitCode).IsEqualTo(0).Because(block.Stderr);
        var bounds = block.Stdout.Trim().Split(' ').Select(hex => Convert.ToUInt64(hex, 16)).ToArray();
        await Assert.That(bounds[1] - bounds[0]).IsLessThanOrEqualTo(64UL);
        await Assert.That(bounds[0] / 64).IsEqualTo((bounds[1] - 1) / 64)
            .Because($"the dispatch sequence at 0x{bounds[0]:x}-0x{bounds[1]:x} crosses a 64-byte line");
    }
}
