// The README's console examples stay true: every `$ wasmrun ...` line shown with its output is run and compared.
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Cli;

public sealed class ReadmeTests
{
    [Test]
    public async Task Console_examples_print_what_the_readme_shows()
    {
        var examples = Examples(File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "README.md"))).ToList();
        await Assert.That(examples.Count).IsGreaterThanOrEqualTo(2);
        foreach (var (command, expected) in examples)
        {
            var arguments = command.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
            var result = await WasmrunBinary.RunAsync(arguments);
            await Assert.That(result.Stdout + result.Stderr).IsEqualTo(expected).Because($"README example `{command}`");
        }
    }

    /// <summary>Console blocks: a `$ wasmrun ...` line followed by output lines, for commands whose files exist.</summary>
    private static IEnumerable<(string Command, string Output)> Examples(string[] lines)
    {
        var inConsole = false;
        string? command = null;
        var output = new List<string>();
        foreach (var line in lines.Append("```"))
        {
            var isCommand = line.StartsWith("$ wasmrun ", StringComparison.Ordinal) || line.StartsWith("```", StringComparison.Ordinal);
            if (isCommand && command is not null && output.Count > 0)
            {
                yield return (command, string.Join('\n', output).TrimEnd('\n') + "\n");
            }
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inConsole = line == "```console";
                command = null;
                output.Clear();
                continue;
            }
            if (!inConsole)
            {
                continue;
            }
            if (line.StartsWith("$ wasmrun ", StringComparison.Ordinal))
            {
                var text = line[2..].Split('#')[0].Trim();
                var files = text.Split(' ').Where(word => word.EndsWith(".wasm", StringComparison.Ordinal));
                command = files.All(file => File.Exists(Path.Combine(RepositoryRoot.Path, file))) ? text : null;
                output.Clear();
            }
            else
            {
                output.Add(line);
            }
        }
    }
}
