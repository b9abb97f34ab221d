// Modules written as WebAssembly text for engine tests: encoded by the text parser, decoded, and validated on request.
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Text;
using Wasmrun.Engine.Validate;

namespace Wasmrun.Tests.Support;

internal static class TextModule
{
    public static Module Decode(string text) => ModuleDecoder.Decode(TextModuleParser.ParseFile(text));

    /// <summary>Printed module text from `(module` on: the comment before it names custom sections, which encoding
    /// text drops, so only this part can come back the same.</summary>
    public static string Body(string printed) => printed[printed.IndexOf("(module", StringComparison.Ordinal)..];

    /// <summary>A valid module's text as the printer gives it back (from `(module` on).</summary>
    public static string Printed(string text) => Body(TextPrinter.Print(Valid(text)));

    public static Module Valid(string text)
    {
        var module = Decode(text);
        ModuleValidator.Validate(module);
        return module;
    }
}
