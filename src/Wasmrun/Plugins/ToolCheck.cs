// The tools a plugin needs for a target: found on PATH (cheap, done for every build) and, before a real build, run
// with their check arguments (once per process and tool file). Every missing tool is reported at once, each with its install hint.
using System.Diagnostics;

namespace Wasmrun.Plugins;

/// <summary>A required or optional tool and the program that provides it (null when none of its programs is on PATH).</summary>
internal sealed record ToolStatus(ToolRequirement Tool, string? Program, string? Path)
{
    /// <summary>Identifies the installed tool for the build cache without running it: a new version is a new file.</summary>
    public string Identity => Path is null ? $"{Tool.Name}:missing" : $"{Tool.Name}:{Path}:{new FileInfo(Path).Length}:{File.GetLastWriteTimeUtc(Path):O}";
}

internal static class ToolCheck
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Tools (by Identity) whose check passed in this process: a dev server rebuilding on every save runs
    /// each check once, and again only when the tool's file changes.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> working = new(StringComparer.Ordinal);

    /// <summary>The plugin's tools for the target (those whose targets list is empty or names it), looked up on PATH.</summary>
    public static List<ToolStatus> Find(PluginPackage plugin, string target) =>
        [.. plugin.Manifest.Tools
            .Where(tool => tool.Targets.Count == 0 || tool.Targets.Contains(target))
            .Select(tool => tool.Programs.Select(program => (Program: program, Path: ProgramPath.Find(program)))
                .Where(found => found.Path is not null)
                .Select(found => new ToolStatus(tool, found.Program, found.Path))
                .FirstOrDefault() ?? new ToolStatus(tool, null, null))];

    /// <summary>Fails with every missing required tool; optional ones only get a warning.</summary>
    public static void RequireFound(PluginPackage plugin, string target, IReadOnlyList<ToolStatus> tools, PluginOutput output)
    {
        foreach (var optional in tools.Where(t => t.Path is null && t.Tool.Optional))
        {
            output.Detail($"optional tool not found: {optional.Tool.Name} ({optional.Tool.Hint})");
        }
        var missing = tools.Where(t => t.Path is null && !t.Tool.Optional).ToList();
        if (missing.Count > 0)
        {
            throw new WasmrunException(
                $"{plugin} needs {string.Join(", ", missing.Select(m => $"{m.Tool.Name} ({string.Join(" or ", m.Tool.Programs)})"))} to build for target {target}, and {(missing.Count == 1 ? "it is" : "they are")} not on PATH",
                ExitCode.MissingTools)
            {
                Hint = string.Join('\n', missing.Select(m => m.Tool.Hint.Length > 0 ? m.Tool.Hint : $"install {m.Tool.Name}")),
            };
        }
    }

    /// <summary>Runs each found tool's check (`PROGRAM ARGS`); a tool that fails it counts as missing.</summary>
    public static void RequireWorking(PluginPackage plugin, string target, IReadOnlyList<ToolStatus> tools, PluginOutput output)
    {
        foreach (var tool in tools.Where(t => t.Path is not null && !working.ContainsKey(t.Identity)))
        {
            var start = new ProcessStartInfo(tool.Path!)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (var argument in tool.Tool.Args)
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(CheckTimeout))
            {
                process.Kill(entireProcessTree: true);
            }
            if (!process.HasExited || process.ExitCode != 0)
            {
                if (tool.Tool.Optional)
                {
                    output.Detail($"optional tool {tool.Tool.Name} does not work: `{tool.Program} {string.Join(' ', tool.Tool.Args)}` failed");
                    continue;
                }
                var said = (stderr.Result + stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
                throw new WasmrunException(
                    $"{plugin} needs {tool.Tool.Name} for target {target}: `{tool.Path} {string.Join(' ', tool.Tool.Args)}` failed{(process.HasExited ? $" with exit code {process.ExitCode}" : " (no answer in 30 s)")}{(said.Length > 0 ? $": {said}" : "")}",
                    ExitCode.MissingTools)
                {
                    Hint = tool.Tool.Hint.Length > 0 ? tool.Tool.Hint : $"reinstall {tool.Tool.Name}",
                };
            }
            working[tool.Identity] = true;
            output.Detail($"{tool.Tool.Name}: {tool.Path}: {stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim()}");
        }
    }
}
