// The command line as a newcomer meets it, through the published binary: usage errors exit 2 with one line and a
// suggestion, --help of every command reads like a CLI's (no C# leftovers), and wasmrun 0.22's spellings still work.
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Cli;

public sealed class UsageTests
{
    private static string MathWasm => Path.Join(RepositoryRoot.Path, "examples", "math.wasm");

    /// <summary>Command lines that once printed help with status 0 (or took a typo for a path), and the error and
    /// hint each gives now.</summary>
    private static readonly Dictionary<string, (string Error, string Hint)> usageErrors = new()
    {
        ["verify"] = ("`wasmrun verify` needs <FILE>: the module file (.wasm, or .wat text)", "usage: wasmrun verify [OPTIONS] <FILE> (`wasmrun verify --help` says more)"),
        ["exec"] = ("`wasmrun exec` needs <FILE>: the module file (.wasm, or .wat text)", "usage: wasmrun exec [OPTIONS] <FILE> [ARGS]... (`wasmrun exec --help` says more)"),
        ["plugin install"] = ("`wasmrun plugin install` needs <PACKAGE>: NAME, NAME@VERSION or NAME@TAG (bundled with wasmrun, else the registry)", "usage: wasmrun plugin install [OPTIONS] <PACKAGE> (`wasmrun plugin install --help` says more)"),
        ["plugin"] = ("`wasmrun plugin` needs a command: disable, enable, info, install, list, search, uninstall, update", "`wasmrun plugin --help` says what each does"),
        ["os rnu"] = ("unknown command 'wasmrun os rnu'", "did you mean `wasmrun os run`? (`wasmrun os --help` lists the commands)"),
        ["plugin instal foo"] = ("unknown command 'wasmrun plugin instal'", "did you mean `wasmrun plugin install`? (`wasmrun plugin --help` lists the commands)"),
        ["exce"] = ("unknown command or path 'exce'", "did you mean `wasmrun exec`? (`wasmrun --help` lists the commands)"),
        ["frobnicate"] = ("unknown command or path 'frobnicate'", "run `wasmrun --help` for the list of commands"),
        ["run --prot 3"] = ("unknown option '--prot' for `wasmrun run`", "did you mean --port? (`wasmrun run --help` lists the options)"),
        ["verify a.wasm b.wasm"] = ("unexpected argument 'b.wasm' for `wasmrun verify`", "usage: wasmrun verify [OPTIONS] <FILE> (`wasmrun verify --help` says more)"),
        ["exec --fuel"] = ("--fuel needs a value", "usage: wasmrun exec [OPTIONS] <FILE> [ARGS]... (`wasmrun exec --help` says more)"),
        ["stop --version"] = ("unknown option '--version' for `wasmrun stop`", "usage: wasmrun stop [OPTIONS] (`wasmrun stop --help` says more)"),
        ["run --port abc"] = ("--port abc: not a number", "run with --help to see the options"),
        ["-p ./site"] = ("-p ./site: -p is --port in this Wasmrun, and a port is a number", "wasmrun 0.22's -p PATH is the PATH argument here: `wasmrun ./site`"),
        ["run -p ./site"] = ("-p ./site: -p is --port in this Wasmrun, and a port is a number", "wasmrun 0.22's -p PATH is the PATH argument here: `wasmrun run ./site`"),
    };

    public static IEnumerable<string> UsageErrors() => usageErrors.Keys;

    [Test]
    [MethodDataSource(nameof(UsageErrors))]
    public async Task A_usage_error_exits_2_with_one_line_and_a_hint(string commandLine)
    {
        var (error, hint) = usageErrors[commandLine];

        var result = await WasmrunBinary.RunAsync(commandLine.Split(' '));

        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stdout).IsEmpty();
        await Assert.That(result.Stderr).IsEqualTo($"error: {error}\n  hint: {hint}\n");
    }

    [Test]
    public async Task Every_command_has_a_help_with_the_program_name_and_no_leftovers()
    {
        var root = await WasmrunBinary.RunAsync(["--help"]);
        var commands = root.Stdout.Split("Commands:\n")[1].Split("\n\n")[0].Split('\n')
            .Select(line => line.Trim().Split("  ")[0]).ToList();
        await Assert.That(commands).Contains("plugin install");
        await Assert.That(commands.Count).IsGreaterThanOrEqualTo(17);

        foreach (var command in commands.Prepend(""))
        {
            var words = command.Length == 0 ? Array.Empty<string>() : command.Split(' ');
            var help = await WasmrunBinary.RunAsync([.. words, "--help"]);
            var usage = command.Length == 0 ? "Usage: wasmrun [OPTIONS]" : $"Usage: wasmrun {command} ";
            await Assert.That(help.ExitCode).IsEqualTo(0).Because(command);
            await Assert.That(help.Stdout).Contains($"\n\n{usage}");
            await Assert.That(help.Stdout).DoesNotContain("[Default");
            await Assert.That(help.Stdout).DoesNotContain("<string");
            await Assert.That(help.Stdout).DoesNotContain("<int");
            await Assert.That(help.Stdout).Contains("  -h, --help ");
            await Assert.That(help.Stdout.Contains("--version", StringComparison.Ordinal)).IsEqualTo(command.Length == 0).Because(command);
        }
    }

    [Test]
    public async Task A_group_without_its_command_word_lists_its_commands()
    {
        var result = await WasmrunBinary.RunAsync(["plugin", "--help"]);

        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Stdout).Contains("Usage: wasmrun plugin <COMMAND>");
        await Assert.That(result.Stdout).Contains("\n  install    Install a plugin");
    }

    [Test]
    public async Task A_command_that_heads_a_group_lists_its_commands_under_its_own_usage()
    {
        var result = await WasmrunBinary.RunAsync(["os", "--help"]);

        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Stdout).Contains("Usage: wasmrun os [OPTIONS] [PATH] [ARGS]...\n       wasmrun os <COMMAND> [OPTIONS] [ARGS]...\n");
        await Assert.That(result.Stdout).Contains("\n  run  Run a JavaScript, Python or Go project");
        await Assert.That(result.Stdout).Contains("  -p, --port <PORT> ");
        await Assert.That(result.Stdout).Contains("      --licenses ");
    }

    [Test]
    public async Task Options_show_what_their_value_is()
    {
        var result = await WasmrunBinary.RunAsync(["exec", "--help"]);

        await Assert.That(result.Stdout).Contains("  -c, --invoke <NAME> ");
        await Assert.That(result.Stdout).Contains("      --dir <HOST[::GUEST]> ");
        await Assert.That(result.Stdout).Contains("      --timeout <DURATION> ");
        await Assert.That(result.Stdout).Contains("Usage: wasmrun exec [OPTIONS] <FILE> [ARGS]...\n");
    }

    [Test]
    public async Task The_spellings_of_wasmrun_0_22_work_with_a_note()
    {
        var call = await WasmrunBinary.RunAsync(["exec", "--call", "add", MathWasm, "2", "3"]);
        await Assert.That(call.ExitCode).IsEqualTo(0);
        await Assert.That(call.Stdout).IsEqualTo("5\n");
        await Assert.That(call.Stderr).IsEqualTo("note: `--call` is `--invoke` (or -c) in this Wasmrun\n");

        var kill = await WasmrunBinary.RunAsync(["kill", "--help"]);
        await Assert.That(kill.ExitCode).IsEqualTo(0);
        await Assert.That(kill.Stdout).Contains("Usage: wasmrun stop ");
        await Assert.That(kill.Stderr).IsEqualTo("note: `wasmrun kill` is `wasmrun stop` in this Wasmrun\n");

        using var temp = new TempDirectory();
        var build = await WasmrunBinary.RunAsync(["build", "--explain", "-p", temp.Path]);
        await Assert.That(build.Stderr).StartsWith(
            $"note: `wasmrun build` is `wasmrun compile` in this Wasmrun\nnote: `-p PATH` is the PATH argument in this Wasmrun: `wasmrun compile {temp.Path}`\n");
        await Assert.That(build.Stdout + build.Stderr).Contains(temp.Path);

        foreach (var word in new[] { "serve", "dev" })
        {
            var serve = await WasmrunBinary.RunAsync([word, "--help"]);
            await Assert.That(serve.Stdout).Contains("Usage: wasmrun run ");
        }
    }

    [Test]
    public async Task A_host_that_is_not_this_machines_is_an_address_error()
    {
        var result = await WasmrunBinary.RunAsync(["run", MathWasm, "--port", "0", "--host", "8.8.8.8"]);

        await Assert.That(result.ExitCode).IsEqualTo(7);
        await Assert.That(result.Stderr).StartsWith("error: cannot listen on 8.8.8.8 port 0: ");
        await Assert.That(result.Stderr).DoesNotContain("internal error");
        await Assert.That(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Count().IsEqualTo(2);
    }
}
