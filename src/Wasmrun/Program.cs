// Entry point: registers the commands (one file each under Commands/); cross-cutting behaviour lives in Cli/.
using ConsoleAppFramework;
using Wasmrun.Cli;
using Wasmrun.Commands;

if (args is ["-V" or "--version"])
{
    Console.WriteLine($"wasmrun {AppVersion.Text}");
    return 0;
}
ConsoleApp.Log = text => Terminal.Out.WriteLine(text);
ConsoleApp.LogError = text => Terminal.Error.WriteLine(text);
var app = ConsoleApp.Create();
// A lambda, not a method group: ConsoleAppFramework reads the options from it at compile time for --help.
app.ConfigureGlobalOptions((ref builder) =>
    new GlobalOptions(builder.AddGlobalOption<bool>("--debug", GlobalOptions.DebugDescription)));
app.UseFilter<CommandFilter>();
app.Add<ExecCommand>();
app.Add<VerifyCommand>();
app.Add<InspectCommand>();
app.Add<WastCommand>();
app.Add<ConvertCommand>();
app.Add<ConfigCommand>();
app.Add<PluginCommand>("plugin");
app.Add<CompileCommand>();
app.Add<InitCommand>();
app.Add<CleanCommand>();
app.Add<RunCommand>();
app.Add<StopCommand>();
app.Add<OsCommand>("os");
try
{
    if (CommandLine.Prepare(args) is { } prepared)
    {
        app.Run(prepared);
    }
}
finally
{
    Terminal.Flush();
    Log.Shutdown();
}
return Environment.ExitCode;
