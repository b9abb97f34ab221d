// Builds the WASI test programs during the test run, each once per session (C with clang-14 and wasi-libc, Rust with
// Debian's rustc, AssemblyScript with asc from npm); a missing toolchain skips, or fails under WASMRUN_REQUIRE_TOOLS=1.
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Security.Cryptography;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Wasi;

internal static class WasiTools
{
    public const string RequireVariable = "WASMRUN_REQUIRE_TOOLS";

    /// <summary>Debian's rustc: the rustup toolchain on these machines has no wasm32-wasi standard library.</summary>
    public const string Rustc = "/usr/bin/rustc";

    /// <summary>tests/Wasmrun.Tests/Wasi/programs: the sources of our own WASI programs.</summary>
    public static string OwnPrograms { get; } = Path.Combine(RepositoryRoot.Path, "tests", "Wasmrun.Tests", "Wasi", "programs");

    private static readonly string[] SimdFlags = ["-msimd128"];
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<string> SessionDirectory = new(() => Directory.CreateTempSubdirectory("wasmrun-wasi-programs-").FullName);
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Builds = new();
    private static readonly Lazy<Task<string?>> ClangProblem = new(ProbeClangAsync);
    private static readonly Lazy<Task<string?>> RustcProblem = new(ProbeRustcAsync);
    private static readonly Lazy<Task<(string? Directory, string? Problem)>> AscInstall = new(InstallAscAsync);

    /// <summary>Builds a C program: <c>clang-14 --target=wasm32-wasi -O2 [-msimd128] -Wl,--strip-debug X.c -o X.wasm -lm</c>.
    /// The module is named after the source (hello.c gives hello.wasm) in a folder of its own per variant.</summary>
    public static async Task<string> BuildCAsync(string source, bool simd = false)
    {
        Require(await ClangProblem.Value, "clang-14 with wasi-libc (Debian: clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32)");
        var variant = simd ? "simd128" : "plain";
        var output = OutputPath($"c-{variant}", source, ".wasm");
        return await OnceAsync(output, async () =>
        {
            string[] arguments = ["--target=wasm32-wasi", "-O2", .. simd ? SimdFlags : [], "-Wl,--strip-debug", source, "-o", output, "-lm"];
            var result = await RunToolAsync("clang-14", arguments, Path.GetDirectoryName(source)!)
                ?? throw new InvalidOperationException("clang-14 disappeared during the test run");
            return result.ExitCode == 0 ? output : throw new InvalidOperationException($"clang-14 could not build {source}:\n{result}");
        });
    }

    /// <summary>Builds a Rust program: <c>/usr/bin/rustc --target wasm32-wasi -O -C strip=debuginfo main.rs -o NAME.wasm</c>.</summary>
    public static async Task<string> BuildRustAsync(string source, string name)
    {
        Require(await RustcProblem.Value, "Debian's rustc for wasm32-wasi (Debian: rustc libstd-rust-dev-wasm32; call /usr/bin/rustc)");
        var output = Path.Combine(SessionDirectory.Value, "rust", name + ".wasm");
        return await OnceAsync(output, async () =>
        {
            var result = await RunToolAsync(Rustc, ["--target", "wasm32-wasi", "-O", "-C", "strip=debuginfo", source, "-o", output], SessionDirectory.Value)
                ?? throw new InvalidOperationException($"{Rustc} disappeared during the test run");
            return result.ExitCode == 0 ? output : throw new InvalidOperationException($"rustc could not build {source}:\n{result}");
        });
    }

    /// <summary>Builds an AssemblyScript WASI command from a folder with package.json, package-lock.json and
    /// assembly/index.ts: <c>npx asc assembly/index.ts -O3 --config ./node_modules/@assemblyscript/wasi-shim/asconfig.json -o NAME.wasm</c>,
    /// with node_modules installed by <c>npm ci</c> into artifacts/cache (outside the sources, reused while the lock file is unchanged).</summary>
    public static async Task<string> BuildAssemblyScriptAsync(string project, string name)
    {
        var (modules, problem) = await AscInstall.Value;
        Require(problem, "AssemblyScript (node 20+, npm and the npm registry: npm ci of " + Path.Combine(project, "package-lock.json") + ")");
        var output = Path.Combine(SessionDirectory.Value, "asc", name + ".wasm");
        return await OnceAsync(output, async () =>
        {
            var entry = Path.Combine(project, "assembly", "index.ts");
            var result = await RunToolAsync("npx", ["--no-install", "asc", entry, "-O3", "--config", "./node_modules/@assemblyscript/wasi-shim/asconfig.json", "-o", output], modules!)
                ?? throw new InvalidOperationException("npx disappeared during the test run");
            return result.ExitCode == 0 && File.Exists(output) ? output : throw new InvalidOperationException($"asc could not build {entry}:\n{result}");
        });
    }

    /// <summary>Deletes this session's build folder (the npm cache in artifacts/cache stays).</summary>
    public static void DeleteSessionBuilds()
    {
        if (SessionDirectory.IsValueCreated && Directory.Exists(SessionDirectory.Value))
        {
            Directory.Delete(SessionDirectory.Value, recursive: true);
        }
    }

    private static string OutputPath(string folder, string source, string extension) =>
        Path.Combine(SessionDirectory.Value, folder, Path.GetFileName(Path.GetDirectoryName(source)!), Path.GetFileNameWithoutExtension(source) + extension);

    private static Task<string> OnceAsync(string output, Func<Task<string>> build) =>
        Builds.GetOrAdd(output, _ => new Lazy<Task<string>>(() =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            return build();
        })).Value;

    /// <summary>Skips the test when a tool is missing, or fails it when WASMRUN_REQUIRE_TOOLS=1 (./build.sh test).</summary>
    private static void Require(string? problem, string what)
    {
        if (problem is null)
        {
            return;
        }
        var message = $"{what} is not usable here: {problem}. Run ./build.sh setup";
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            throw new InvalidOperationException($"{RequireVariable}=1 but {message}");
        }
        Skip.Test(message);
    }

    private static async Task<string?> ProbeClangAsync()
    {
        var probe = Path.Combine(SessionDirectory.Value, "probe", "probe.c");
        Directory.CreateDirectory(Path.GetDirectoryName(probe)!);
        await File.WriteAllTextAsync(probe, "#include <stdio.h>\n#include <math.h>\nint main(void) { printf(\"%f\\n\", sqrt(2.0)); return 0; }\n");
        var result = await RunToolAsync("clang-14", ["--target=wasm32-wasi", "-O2", probe, "-o", Path.ChangeExtension(probe, ".wasm"), "-lm"], Path.GetDirectoryName(probe)!);
        return result is null ? "clang-14 is not on PATH"
            : result.ExitCode != 0 ? $"clang-14 cannot link a wasm32-wasi program:\n{result.Stderr.Trim()}"
            : null;
    }

    private static async Task<string?> ProbeRustcAsync()
    {
        if (!File.Exists(Rustc))
        {
            return $"{Rustc} not found";
        }
        var probe = Path.Combine(SessionDirectory.Value, "probe", "probe.rs");
        Directory.CreateDirectory(Path.GetDirectoryName(probe)!);
        await File.WriteAllTextAsync(probe, "fn main() { println!(\"{:?}\", std::env::args().count()); }\n");
        var result = await RunToolAsync(Rustc, ["--target", "wasm32-wasi", probe, "-o", Path.ChangeExtension(probe, ".wasm")], Path.GetDirectoryName(probe)!);
        return result is null ? $"{Rustc} does not start"
            : result.ExitCode != 0 ? $"{Rustc} cannot build for wasm32-wasi (libstd-rust-dev-wasm32 or rust-lld missing?):\n{result.Stderr.Trim()}"
            : null;
    }

    /// <summary>npm ci of programs/asc into artifacts/cache/asc-HASH (HASH of package-lock.json), once; the folder
    /// appears (by rename) only when complete, so an interrupted install is redone.</summary>
    private static async Task<(string?, string?)> InstallAscAsync()
    {
        var project = Path.Combine(OwnPrograms, "asc");
        var lockFile = Path.Combine(project, "package-lock.json");
        var hash = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(lockFile)))[..16];
        var cache = Path.Combine(RepositoryRoot.Path, "artifacts", "cache", $"asc-{hash}");
        var node = await RunToolAsync("node", ["--version"], project);
        var npx = await RunToolAsync("npx", ["--version"], project);
        if (node is null || node.ExitCode != 0 || npx is null || npx.ExitCode != 0)
        {
            return (null, "node or npx is not on PATH");
        }
        if (File.Exists(Path.Combine(cache, "node_modules", "assemblyscript", "bin", "asc.js")))
        {
            return (cache, null);
        }
        var staging = $"{cache}.partial-{Environment.ProcessId}";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
        Directory.CreateDirectory(staging);
        File.Copy(Path.Combine(project, "package.json"), Path.Combine(staging, "package.json"));
        File.Copy(lockFile, Path.Combine(staging, "package-lock.json"));
        var install = await RunToolAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], staging);
        if (install is null || install.ExitCode != 0)
        {
            return (null, install is null ? "npm is not on PATH" : $"npm ci failed in {staging}:\n{install}");
        }
        try
        {
            Directory.Move(staging, cache);
        }
        catch (IOException) when (Directory.Exists(cache))
        {
            // Another test process finished the same install first: use its copy.
            Directory.Delete(staging, recursive: true);
        }
        return (cache, null);
    }

    /// <summary>Runs a build tool; null when it cannot be started (not installed).</summary>
    private static async Task<ProcessResult?> RunToolAsync(string tool, IEnumerable<string> arguments, string workingDirectory)
    {
        try
        {
            return await ExternalProcess.RunAsync(tool, arguments, workingDirectory, new Dictionary<string, string?> { ["NO_COLOR"] = "1" }, ToolTimeout);
        }
        catch (Win32Exception)
        {
            return null;
        }
    }
}

/// <summary>Runs a WASI command under <c>wasmrun exec [OPTIONS...] MODULE [ARGS...]</c> from the module's own
/// folder with the bare file name, so the guest's argv[0] is the module's file name.</summary>
internal static class WasiExec
{
    public static Task<ProcessResult> RunAsync(string module, IEnumerable<string>? options = null, IReadOnlyList<string>? args = null,
        string? stdin = null, IDictionary<string, string?>? environment = null, bool holdStdin = false)
    {
        string[] arguments = ["exec", .. options ?? [], Path.GetFileName(module), .. args ?? []];
        return WasmrunBinary.RunAsync(arguments, environment, workingDirectory: Path.GetDirectoryName(module), stdin: stdin, holdStdin: holdStdin);
    }
}

public static class WasiBuildsCleanupHook
{
    [After(HookType.TestSession)]
    public static void DeleteBuilds() => WasiTools.DeleteSessionBuilds();
}
