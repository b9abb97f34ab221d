// The published binary's code layout: every method named in Engine/Execute/HotMethods.order exists under that symbol
// (a rename would silently drop it from the order), and the interpreter's dispatch method opens the managed code at
// a 64-byte boundary.
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
        await Assert.That(code[order[0]]).IsEqualTo(start);
        // the AlignManagedCode target (Wasmrun.csproj) raised the section's alignment from ILC's 32 to 64
        await Assert.That(start % 64).IsEqualTo(0UL);
    }
}
