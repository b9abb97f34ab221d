// Pages in app mode: the reload client put into every HTML page the server sends, and the page made for a module
// whose build gave JS glue but no page (Emscripten's `-o NAME.js`, Go's wasm_exec.js, AssemblyScript's bindings).
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Wasmrun.Plugins;

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
    /// A page that runs the glue and shows what it prints. The glue's kind is read from its text: Go's wasm_exec.js
    /// defines the Go class and needs a launcher; an ES module (AssemblyScript's bindings) is imported and its exports
    /// listed as window.wasm; anything else (Emscripten) is a classic script that runs the module itself.
    /// </summary>
    public static string GluePage(string name, string outputDirectory, BuildArtifacts artifacts)
    {
        var glue = Path.GetRelativePath(outputDirectory, artifacts.Js!).Replace('\\', '/');
        var wasm = Path.GetRelativePath(outputDirectory, artifacts.Wasm).Replace('\\', '/');
        var text = File.ReadAllText(artifacts.Js!);
        var title = WebUtility.HtmlEncode(name);
        var scripts = new StringBuilder();
        if (text.Contains("globalThis.Go = class", StringComparison.Ordinal) || text.Contains("global.Go = class", StringComparison.Ordinal))
        {
            scripts.Append($"<script src=\"{Attribute(glue)}\"></script>\n<script>\n")
                .Append($"const go = new Go();\nWebAssembly.instantiateStreaming(fetch({Json(wasm)}), go.importObject)\n")
                .Append("  .then((result) => go.run(result.instance))\n  .catch((error) => console.error(String(error)));\n</script>\n");
        }
        else if (EsModule().IsMatch(text))
        {
            scripts.Append("<script type=\"module\">\n")
                .Append($"import * as wasm from {Json("./" + glue)};\nwindow.wasm = wasm;\n")
                .Append("console.log(\"exports (window.wasm): \" + Object.keys(wasm).join(\", \"));\n</script>\n");
        }
        else
        {
            scripts.Append($"<script src=\"{Attribute(glue)}\"></script>\n");
        }
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>{{title}}</title>
              <style>
                body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem; color: #1d2330; background: #fafbfc; }
                @media (prefers-color-scheme: dark) { body { color: #e6e9ef; background: #161a22; } }
                pre { padding: 1rem; border-radius: 8px; background: rgba(127, 127, 127, 0.12); white-space: pre-wrap; min-height: 4rem; }
                .err { color: #d33; }
              </style>
            </head>
            <body>
              <h1>{{title}}</h1>
              <p>The module <code>{{WebUtility.HtmlEncode(wasm)}}</code> with its JavaScript glue <code>{{WebUtility.HtmlEncode(glue)}}</code>. What it prints:</p>
              <pre id="output" data-role="output"></pre>
              <script>
                (() => {
                  const out = document.getElementById("output");
                  const show = (kind, original) => (...args) => {
                    const line = document.createElement("div");
                    if (kind === "err") line.className = "err";
                    line.textContent = args.map((a) => (typeof a === "string" ? a : String(a))).join(" ");
                    out.appendChild(line);
                    original.apply(console, args);
                  };
                  console.log = show("out", console.log);
                  console.info = show("out", console.info);
                  console.warn = show("err", console.warn);
                  console.error = show("err", console.error);
                  addEventListener("error", (event) => console.error(String(event.message)));
                })();
              </script>
            {{scripts}}{{ReloadScript}}
            </body>
            </html>

            """;
    }

    private static string Attribute(string value) => WebUtility.HtmlEncode(value);

    private static string Json(string value) => System.Text.Json.JsonSerializer.Serialize(value, ServerJsonContext.Default.String);

    [GeneratedRegex(@"^\s*(export|import)\s", RegexOptions.Multiline)]
    private static partial Regex EsModule();
}
