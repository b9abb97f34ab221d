// The host module "wasmrun": everything a plugin's script can do outside itself, each call checked against its
// manifest and the call's scope. Asking for what is not granted ends the script (SandboxRuleBroken, kept as fatal); an
// ordinary failure (a missing file, a program not installed, a file system error) is a JS Error the script may catch.
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Modules;
using Wasmrun.Cli;

namespace Wasmrun.Plugins;

internal sealed partial class PluginSandbox
{
    /// <summary>The largest file readFile() returns, and the most output run() keeps per stream.</summary>
    private const int MaxTextBytes = 16 << 20;

    /// <summary>Compiler messages found in the output of every program the script ran, in order.</summary>
    public List<Diagnostic> Diagnostics { get; } = [];

    private void DefineHostModule(ModuleBuilder module)
    {
        void Export(string name, Func<JsValue[], JsValue> function) =>
            module.ExportFunction(name, arguments =>
            {
                // For a call whose arguments are all literals, Jint passes its cached object[] typed as JsValue[];
                // covariant use of that array (LINQ, spans) aborts a NativeAOT process. A fresh JsValue[] is safe.
                var own = new JsValue[arguments.Length];
                for (var i = 0; i < own.Length; i++)
                {
                    own[i] = arguments[i];
                }
                // Once a rule is broken the script does nothing more, even if it caught the error (an import()).
                fatal?.Throw();
                using (time.EnterHost())
                {
                    try
                    {
                        return function(own);
                    }
                    catch (SandboxRuleBroken broken)
                    {
                        throw Fatal(broken);
                    }
                    catch (Exception failed) when (failed is IOException or UnauthorizedAccessException or ArgumentException
                        or RegexMatchTimeoutException or System.ComponentModel.Win32Exception)
                    {
                        // A missing or looping path, a NUL in it, a folder gone mid-write: an ordinary failure.
                        throw Error($"{name}: {failed.Message}");
                    }
                }
            });

        Export("run", Run);
        Export("which", arguments => ProgramPath.Find(Permitted(Text(arguments, 0, "which", "program"))) is { } path ? path : JsValue.Null);
        Export("canRead", arguments => scope.CanRead(scope.Absolute(Text(arguments, 0, "canRead", "path"))));
        Export("exists", arguments => Readable(Text(arguments, 0, "exists", "path"), "exists") is var path && (File.Exists(path) || Directory.Exists(path)));
        Export("isDirectory", arguments => Directory.Exists(Readable(Text(arguments, 0, "isDirectory", "path"), "isDirectory")));
        Export("list", List);
        Export("glob", GlobFiles);
        Export("readFile", ReadFile);
        Export("writeFile", WriteFile);
        Export("copyFile", CopyFile);
        Export("mkdir", arguments =>
        {
            var (folder, relative) = Writable(Text(arguments, 0, "mkdir", "path"), "mkdir");
            using var beneath = new FolderBeneath(folder);
            beneath.CreateDirectory(relative);
            return JsValue.Undefined;
        });
        Export("remove", Remove);
        Export("env", Env);
        Export("join", arguments => string.Join('/', arguments.Select(TypeConverter.ToString)).Replace("//", "/"));
        Export("log", arguments => Say(output.Info, arguments));
        Export("warn", arguments => Say(output.Warn, arguments));
        Export("debug", arguments => Say(output.Detail, arguments));
        Export("progress", arguments => Say(output.Step, arguments));
        Export("fail", arguments => throw new BuildFailure(arguments.Length > 0 ? TypeConverter.ToString(arguments[0]) : "the plugin gave no reason"));
        Export("missing", arguments => throw new ToolMissing(Text(arguments, 0, "missing", "tool"), Text(arguments, 1, "missing", "hint")));
        module.ExportValue("platform", Object(engine,
            ("os", OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macos" : "linux"),
            ("arch", System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant())));
    }

    /// <summary>run(program, args, {cwd, env, quiet}): runs a permitted program (no shell) in a clean environment
    /// (ProgramEnvironment), streams its output live and returns {code, stdout, stderr}.</summary>
    private JsValue Run(JsValue[] arguments)
    {
        var program = Permitted(Text(arguments, 0, "run", "program"));
        var path = ProgramPath.Find(program) ?? throw Error($"run: {program} is not installed (not found on PATH)");
        var list = arguments.Length > 1 && arguments[1] is JsArray array
            ? [.. Enumerable.Range(0, (int)array.Length).Select(i => TypeConverter.ToString(array[i]))]
            : arguments.Length > 1 && !arguments[1].IsUndefined() ? throw Error("run: args must be an array of strings") : Array.Empty<string>();
        var options = arguments.Length > 2 ? arguments[2] : JsValue.Undefined;
        var cwd = options.IsObject() && options.AsObject().Get("cwd") is { } given && !given.IsUndefined()
            ? Readable(TypeConverter.ToString(given), "run's cwd")
            : scope.Project;
        if (!Directory.Exists(cwd))
        {
            throw Error($"run: the folder {cwd} does not exist");
        }
        var quiet = options.IsObject() && TypeConverter.ToBoolean(options.AsObject().Get("quiet"));
        var start = new ProcessStartInfo(path)
        {
            WorkingDirectory = cwd,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in list)
        {
            start.ArgumentList.Add(argument);
        }
        List<(string, string)> variables = options.IsObject() && options.AsObject().Get("env") is ObjectInstance env
            ? [.. env.GetOwnPropertyKeys().Select(key => (key.ToString(), TypeConverter.ToString(env.Get(key))))]
            : [];
        ProgramEnvironment.Apply(start.Environment, program, Plugin.Manifest.Permissions.Env, variables, scope);
        if (!quiet)
        {
            output.Step(string.Join(' ', [program, .. list.Select(Quote)]));
        }
        var diagnostics = new CompilerDiagnostics(cwd);
        var stdout = new CappedText();
        var stderr = new CappedText();
        using var process = Process.Start(start) ?? throw Error($"run: {program} did not start");
        using var running = quiet ? null : output.Running(program);
        process.StandardInput.Close();
        void Pump(StreamReader reader, CappedText into)
        {
            while (reader.ReadLine() is { } line)
            {
                into.AppendLine(line);
                lock (diagnostics)
                {
                    diagnostics.Add(line);
                }
                if (!quiet)
                {
                    output.ProgramLine(line);
                }
            }
        }
        var errors = Task.Run(() => Pump(process.StandardError, stderr));
        Pump(process.StandardOutput, stdout);
        errors.Wait();
        process.WaitForExit();
        Diagnostics.AddRange(diagnostics.Found.Where(d => !Diagnostics.Contains(d)));
        return Object(engine, ("code", process.ExitCode), ("stdout", stdout.ToString()), ("stderr", stderr.ToString()));
    }

    private JsValue List(JsValue[] arguments)
    {
        var path = Readable(Text(arguments, 0, "list", "path"), "list");
        if (!Directory.Exists(path))
        {
            throw Error($"list: no folder {path}");
        }
        var names = new DirectoryInfo(path).EnumerateFileSystemInfos()
            .Select(entry => entry is DirectoryInfo ? entry.Name + "/" : entry.Name)
            .Order(StringComparer.Ordinal)
            .Select(name => (JsValue)name);
        return new JsArray(engine, [.. names]);
    }

    /// <summary>glob(pattern): project files matching it, relative and sorted; .git and node_modules are not searched
    /// unless the pattern starts with them.</summary>
    private JsValue GlobFiles(JsValue[] arguments)
    {
        var pattern = Text(arguments, 0, "glob", "pattern");
        var glob = new Glob(pattern);
        var files = Glob.Files(scope.Project, [glob], [],
            folder => (folder is ".git" or "node_modules" && !pattern.StartsWith(folder, StringComparison.Ordinal)) || !scope.CanRead(Path.Join(scope.Project, folder)));
        return new JsArray(engine, [.. files.Select(file => (JsValue)file)]);
    }

    private JsValue ReadFile(JsValue[] arguments)
    {
        var path = Readable(Text(arguments, 0, "readFile", "path"), "readFile");
        if (!File.Exists(path))
        {
            throw Error($"readFile: no file {path}");
        }
        if (new FileInfo(path).Length > MaxTextBytes)
        {
            throw Error($"readFile: {path} is larger than {Units.Size(MaxTextBytes)}");
        }
        return File.ReadAllText(path);
    }

    private JsValue WriteFile(JsValue[] arguments)
    {
        var (folder, relative) = Writable(Text(arguments, 0, "writeFile", "path"), "writeFile");
        var text = Text(arguments, 1, "writeFile", "text");
        using var beneath = new FolderBeneath(folder);
        using var content = new MemoryStream(new UTF8Encoding(false).GetBytes(text));
        beneath.Write(relative, content);
        return JsValue.Undefined;
    }

    private JsValue CopyFile(JsValue[] arguments)
    {
        var from = Readable(Text(arguments, 0, "copyFile", "from"), "copyFile");
        var (folder, relative) = Writable(Text(arguments, 1, "copyFile", "to"), "copyFile");
        if (!File.Exists(from))
        {
            throw Error($"copyFile: no file {from}");
        }
        using var beneath = new FolderBeneath(folder);
        using var content = File.OpenRead(from);
        beneath.Write(relative, content, OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(content.SafeFileHandle));
        return JsValue.Undefined;
    }

    private JsValue Remove(JsValue[] arguments)
    {
        var path = Text(arguments, 0, "remove", "path");
        var absolute = scope.Absolute(path);
        if (scope.WritableAt(absolute) is (var root, "."))
        {
            throw new SandboxRuleBroken($"remove(\"{path}\"): {root} is a folder the plugin writes into, not something in it");
        }
        // The entry itself goes, not what a link leads to: only the folder above it is resolved.
        var (folder, parent) = scope.WritableAt(Path.GetDirectoryName(absolute)!) ?? throw NotWritable(path, "remove");
        using var beneath = new FolderBeneath(folder);
        beneath.Delete(parent == "." ? Path.GetFileName(absolute) : $"{parent}/{Path.GetFileName(absolute)}");
        return JsValue.Undefined;
    }

    private JsValue Env(JsValue[] arguments)
    {
        var name = Text(arguments, 0, "env", "name");
        if (!Plugin.Manifest.Permissions.Env.Contains(name))
        {
            throw new SandboxRuleBroken($"env(\"{name}\"): the variable is not in [permissions] env");
        }
        return Environment.GetEnvironmentVariable(name) is { } value ? value : JsValue.Null;
    }

    private static JsValue Say(Action<string> sink, JsValue[] arguments)
    {
        sink(string.Join(' ', arguments.Select(TypeConverter.ToString)));
        return JsValue.Undefined;
    }

    /// <summary>A program name listed in permissions.run, or an absolute path that one of its absolute patterns matches
    /// and the system owns (SandboxScope.IsSystemPath): a plugin never runs a file it or its programs could have
    /// written, which would turn a grant to run one program into running anything.</summary>
    private string Permitted(string program)
    {
        if (!Path.IsPathFullyQualified(program))
        {
            return Plugin.Manifest.Permissions.Run.Contains(program)
                ? program
                : throw new SandboxRuleBroken($"run(\"{program}\"): the program is not in [permissions] run");
        }
        var path = Path.GetFullPath(program);
        if (!Plugin.Manifest.Permissions.Run.Any(pattern => Path.IsPathFullyQualified(pattern) && new Glob(pattern.Replace('\\', '/')).IsMatch(path)))
        {
            throw new SandboxRuleBroken($"run(\"{program}\"): no path pattern in [permissions] run matches it");
        }
        if (File.Exists(path) && !(OperatingSystem.IsLinux() && scope.IsSystemPath(path)))
        {
            throw new SandboxRuleBroken($"run(\"{program}\"): a program run by its path must be the system's (owned by root, writable by no one else, outside the project)");
        }
        return path;
    }

    private string Readable(string path, string function)
    {
        var absolute = scope.Absolute(path);
        return scope.CanRead(absolute)
            ? absolute
            : throw new SandboxRuleBroken($"{function}(\"{path}\"): {absolute} is outside the project, the output folder and [permissions] read");
    }

    /// <summary>The writable folder that holds the path, and the path inside it.</summary>
    private (string Folder, string Relative) Writable(string path, string function)
    {
        return scope.WritableAt(scope.Absolute(path)) ?? throw NotWritable(path, function);
    }

    private SandboxRuleBroken NotWritable(string path, string function) =>
        new($"{function}(\"{path}\"): {scope.Absolute(path)} is outside the folders the plugin may write ({string.Join(", ", scope.Writable)})");

    private string Text(JsValue[] arguments, int index, string function, string parameter) =>
        arguments.Length > index && arguments[index].IsString()
            ? arguments[index].AsString()
            : throw Error($"{function}: {parameter} must be a string");

    private JavaScriptException Error(string message) => new(engine.Intrinsics.Error, message);

    private static string Quote(string argument) => argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_=./:,@+".Contains(c)) ? argument : $"'{argument}'";

    /// <summary>Program output kept for the script, up to MaxTextBytes characters; the rest is dropped (it was shown).</summary>
    private sealed class CappedText
    {
        private readonly StringBuilder text = new();

        public void AppendLine(string line)
        {
            if (text.Length + line.Length < MaxTextBytes)
            {
                text.Append(line).Append('\n');
            }
        }

        public override string ToString() => text.ToString();
    }
}
