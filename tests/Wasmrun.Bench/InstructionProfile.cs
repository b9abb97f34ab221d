// `./build.sh bench profile`: the interpreter's instruction profile of the three real programs, from which its hot set
// and fusions are chosen (docs/performance.md). It builds a copy of wasmrun that counts every IR instruction it
// dispatches and the pair it forms with the one before (WASMRUN_OPPROFILE, Engine/Execute/OpProfile.cs), runs each
// program under `exec` with the benchmark's workload, and prints the totals and the most frequent instructions and pairs.
namespace Wasmrun.Bench;

internal static class InstructionProfile
{
    private const int Shown = 25;

    public static IEnumerable<string> Run(string root, string outputDirectory)
    {
        if (OsRuntimes.UnpackRuntimes(root, outputDirectory) is { } problem)
        {
            yield return "instruction profile skipped: " + problem;
            yield break;
        }
        var build = Path.Combine(outputDirectory, "opprofile");
        Runner.Tool("dotnet", ["build", Path.Combine(root, "src", "Wasmrun"), "-c", "Release", "--nologo", "-v", "quiet",
            "-p:WasmrunOpProfile=true", $"-p:IntermediateOutputPath={Path.Combine(build, "obj")}/", "-o", Path.Combine(build, "bin")]);
        var counting = Path.Combine(build, "bin", "wasmrun");
        var programs = OsRuntimes.RealPrograms(root, outputDirectory, out var missing);
        foreach (var program in programs)
        {
            var counts = Path.Combine(build, program.Name.Split(' ')[0] + ".tsv");
            File.Delete(counts);
            Runner.Tool("env", [$"WASMRUN_OPPROFILE={counts}", counting, .. program.Exec]);
            foreach (var line in Report(program.Name, counts))
            {
                yield return line;
            }
        }
        if (missing is not null)
        {
            yield return missing;
        }
    }

    private static IEnumerable<string> Report(string name, string counts)
    {
        var singles = new Dictionary<string, long>();
        var pairs = new Dictionary<string, long>();
        foreach (var fields in File.ReadLines(counts).Select(line => line.Split('\t')))
        {
            if (fields[0] == "op")
            {
                singles[fields[1]] = long.Parse(fields[2]);
            }
            else
            {
                pairs[$"{fields[1]} -> {fields[2]}"] = long.Parse(fields[3]);
            }
        }
        var total = (double)singles.Values.Sum();
        yield return $"{name}: {total / 1e9:F3} G instructions dispatched; the most frequent, and pairs (this one, then the next):";
        var top = singles.OrderByDescending(kv => kv.Value).Take(Shown).ToList();
        var topPairs = pairs.OrderByDescending(kv => kv.Value).Take(Shown).ToList();
        for (var i = 0; i < Shown; i++)
        {
            var single = i < top.Count ? $"{top[i].Key,-22} {100 * top[i].Value / total,5:F2}%" : "";
            var pair = i < topPairs.Count ? $"{topPairs[i].Key,-40} {100 * topPairs[i].Value / total,5:F2}%" : "";
            yield return $"  {single,-30}   {pair}";
        }
    }
}
