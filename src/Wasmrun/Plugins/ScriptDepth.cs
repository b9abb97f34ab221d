// The nesting limit of a plugin's modules, checked on their syntax tree before Jint prepares them: Jint walks and
// evaluates a tree recursively, so a script of 300,000 `1+1+…` terms overflowed the stack and ended the process.
// Runtime recursion is bounded separately (plugin_limits.recursion and Jint's stack guard).
using Acornima;
using Acornima.Ast;

namespace Wasmrun.Plugins;

internal static class ScriptDepth
{
    /// <summary>The deepest syntax tree a module may have: real scripts stay under 100; 1000 levels of Jint's
    /// recursion fit the script thread's stack many times over.</summary>
    public const int Max = 1000;

    // What Jint's own module parser accepts (its Engine.BaseParserOptions), so nothing Jint runs escapes the check.
    private static readonly ParserOptions options = new()
    {
        EcmaVersion = EcmaVersion.Latest,
        ExperimentalESFeatures = ExperimentalESFeatures.Decorators | ExperimentalESFeatures.SourcePhaseImports | ExperimentalESFeatures.DeferImportEvaluation,
        AllowTopLevelUsing = true,
    };

    /// <summary>Throws ScriptTooDeep when the module nests deeper than Max. A module that does not parse passes:
    /// Jint reports its syntax error.</summary>
    public static void Check(string code, string file)
    {
        Acornima.Ast.Module module;
        try
        {
            module = new Parser(options).ParseModule(code, file);
        }
        catch (ParseErrorException)
        {
            return;
        }
        catch (InsufficientExecutionStackException)
        {
            throw new ScriptTooDeep($"{file} nests too deeply to parse (the most is {Max} levels)");
        }
        // An explicit stack: walking a tree this deep recursively is the very overflow being prevented.
        var pending = new Stack<(Node Node, int Depth)>();
        pending.Push((module, 1));
        while (pending.TryPop(out var entry))
        {
            if (entry.Depth > Max)
            {
                var at = entry.Node.Location.Start;
                throw new ScriptTooDeep($"{file}:{at.Line}:{at.Column + 1} nests more than {Max} levels deep");
            }
            foreach (var child in entry.Node.ChildNodes)
            {
                pending.Push((child, entry.Depth + 1));
            }
        }
    }
}

/// <summary>A plugin module nested too deeply to run safely; the sandbox names the plugin.</summary>
internal sealed class ScriptTooDeep(string message) : Exception(message);
