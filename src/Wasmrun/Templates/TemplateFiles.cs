// The repository's templates/ folder as the binary carries it: the first-party languages' project starters
// (projects/NAME/, which their plugins' packages carry as the [[templates]] named NAME) and the pages the dev server
// renders (pages/). templates/README.md describes the layout.
using System.Text;

namespace Wasmrun.Templates;

internal static class TemplateFiles
{
    /// <summary>The starter of the first-party template named `name`: templates/projects/NAME.</summary>
    public static EmbeddedFolder Project(string name) => new($"templates/projects/{name}/");

    /// <summary>The text of templates/pages/NAME; every page is embedded, so a missing one is a build mistake.</summary>
    public static string Page(string name) =>
        Encoding.UTF8.GetString(new EmbeddedFolder("templates/pages/").Read(name)
            ?? throw new InvalidOperationException($"templates/pages/{name} is not embedded in this binary (Wasmrun.csproj)"));
}
