// Pages in app mode: the reload client put into every HTML page the server sends, and the page made for a module
// whose build gave JS glue but no page (Emscripten's `-o NAME.js`, Go's wasm_exec.js, AssemblyScript's bindings),
// rendered from templates/pages.
using System.Net;
using System.Text.RegularExpressions;
using Wasmrun.Plugins;
using Wasmrun.Templates;

namespace Wasmrun.Server;

internal static partial class AppPages
{
    public const string ReloadScript = "<script type=\"module\" src=\"/_wasmrun/reload.js\"></script>";

    /// <summary>The page with the reload client before its last &lt;/body&gt; (or &lt;/head&gt;, or at its end).</summary>
    public static string InjectReloadClient(string html)
    {
        foreach (var tag in new[] { "</body>", "</head>" })
        {
            var at = html.LastIndexOf(tag, StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                return html.Insert(at, ReloadScript + "\n");
            }
        }
        return html + "\n" + ReloadScript + "\n";
    }

    /// <summary>
    /// A page that runs the glue and shows what it prints: templates/pages/glue.html with the loader of the glue's
    /// kind (glue-KIND.html). The kind is read from the glue's text: Go's wasm_exec.js defines the Go class and needs a
    /// launcher (go); an ES module (AssemblyScript's bindings) is imported and its exports listed as window.wasm
    /// (module); anything else (Emscripten) is a classic script that runs the module itself (script).
    /// </summary>
    public static string GluePage(string name, string outputDirectory, BuildArtifacts artifacts)
    {
        var glue = Path.GetRelativePath(outputDirectory, artifacts.Js!).Replace('\\', '/');
        var wasm = Path.GetRelativePath(outputDirectory, artifacts.Wasm).Replace('\\', '/');
        var text = File.ReadAllText(artifacts.Js!);
        var kind = text.Contains("globalThis.Go = class", StringComparison.Ordinal) || text.Contains("global.Go = class", StringComparison.Ordinal) ? "go"
            : EsModule().IsMatch(text) ? "module"
            : "script";
        var values = new Dictionary<string, string>
        {
            ["title"] = WebUtility.HtmlEncode(name),
            ["wasm"] = WebUtility.HtmlEncode(wasm),
            ["glue"] = WebUtility.HtmlEncode(glue),
            ["wasmUrl"] = Json(wasm),
            ["glueModule"] = Json("./" + glue),
        };
        values["loader"] = TemplateText.Fill(TemplateFiles.Page($"glue-{kind}.html"), values);
        return InjectReloadClient(TemplateText.Fill(TemplateFiles.Page("glue.html"), values));
    }

    private static string Json(string value) => System.Text.Json.JsonSerializer.Serialize(value, ServerJsonContext.Default.String);

    [GeneratedRegex(@"^\s*(export|import)\s", RegexOptions.Multiline)]
    private static partial Regex EsModule();
}
