// What a plugin's function returned, read field by field inside the sandbox's guard (PluginSandbox.Call): a getter,
// a proxy trap or a toString may throw or loop, and that is the plugin's failure under its limits. Read with limits
// of its own too: a field is a string of at most MaxText characters (no conversion runs script code, no NUL can
// reach a path), a list has at most MaxEntries of them (a sparse array of length 2e8 once made the host allocate
// 3.7 GB).
using Jint;
using Jint.Native;
using Jint.Native.Object;

namespace Wasmrun.Plugins;

internal sealed class ScriptResult
{
    public const int MaxText = 4096;
    public const int MaxEntries = 10_000;

    private readonly ObjectInstance value;
    private readonly Func<string, Exception> wrong;

    private ScriptResult(ObjectInstance value, Func<string, Exception> wrong)
    {
        this.value = value;
        this.wrong = wrong;
    }

    /// <summary>The returned object, or null when the function returned anything else.</summary>
    /// <param name="value">What the function returned.</param>
    /// <param name="wrong">Makes the error for a field that breaks the rules, from what is wrong with it.</param>
    public static ScriptResult? Of(JsValue value, Func<string, Exception> wrong) =>
        value is ObjectInstance returned ? new ScriptResult(returned, wrong) : null;

    /// <summary>A string field; null when it is undefined or null.</summary>
    public string? Text(string field) => value.Get(field) is var given && (given.IsUndefined() || given.IsNull()) ? null : Checked(given, field);

    /// <summary>An array of strings; empty when the field is undefined or null.</summary>
    public List<string> Texts(string field)
    {
        var given = value.Get(field);
        if (given.IsUndefined() || given.IsNull())
        {
            return [];
        }
        if (given is not JsArray list)
        {
            throw wrong($"{field} is not an array");
        }
        if (list.Length > MaxEntries)
        {
            throw wrong($"{field} has {list.Length} entries (the most is {MaxEntries})");
        }
        return [.. Enumerable.Range(0, (int)list.Length).Select(i => Checked(list[i], $"{field}[{i}]"))];
    }

    private string Checked(JsValue given, string field) => given.IsString() ? given.AsString() switch
    {
        { Length: > MaxText } => throw wrong($"{field} is longer than {MaxText} characters"),
        var text when text.Contains('\0', StringComparison.Ordinal) => throw wrong($"{field} contains a NUL character"),
        var text => text,
    } : throw wrong($"{field} is not a string");
}
