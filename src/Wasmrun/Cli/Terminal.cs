// Buffered stdout/stderr writers and the colour decision (NO_COLOR, TERM=dumb, redirection, config `color`).
using System.Text;

namespace Wasmrun.Cli;

internal sealed class Terminal(TextWriter writer, bool color)
{
    public static Terminal Out { get; private set; } = Open(Console.OpenStandardOutput(), Console.IsOutputRedirected);

    public static Terminal Error { get; private set; } = Open(Console.OpenStandardError(), Console.IsErrorRedirected);

    public TextWriter Writer { get; } = writer;

    public bool Color { get; private set; } = color;

    /// <summary>Applies the config's `color` setting: "always" and "never" override the detection.</summary>
    public static void ApplyColorSetting(ColorMode mode)
    {
        if (mode == ColorMode.Auto)
        {
            return;
        }
        Out.Color = Error.Color = mode == ColorMode.Always;
    }

    public static void Flush()
    {
        Out.Writer.Flush();
        Error.Writer.Flush();
    }

    public void WriteLine(string text = "") => Writer.WriteLine(text);

    public string Bold(string text) => Paint("1", text);

    public string Dim(string text) => Paint("2", text);

    public string Red(string text) => Paint("31", text);

    public string Green(string text) => Paint("32", text);

    public string Yellow(string text) => Paint("33", text);

    public string Cyan(string text) => Paint("36", text);

    private string Paint(string sgr, string text) => Color ? $"\u001b[{sgr}m{text}\u001b[0m" : text;

    private static Terminal Open(Stream stream, bool redirected)
    {
        // Buffered: disassembly of a large module is millions of lines; Program flushes before exit.
        var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
        return new Terminal(writer, !redirected && ColorAllowedByEnvironment());
    }

    private static bool ColorAllowedByEnvironment() =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && Environment.GetEnvironmentVariable("TERM") != "dumb";
}

internal enum ColorMode
{
    Auto,
    Always,
    Never,
}
