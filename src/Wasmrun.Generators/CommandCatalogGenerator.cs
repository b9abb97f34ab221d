// Derives Wasmrun's command catalog from the [Command] methods under src/Wasmrun/Commands: each command's words,
// summary, arguments and options with their doc comments, the same source ConsoleAppFramework routes and parses
// from (a class registered as `app.Add<T>("plugin")` puts its methods' words under "plugin", as the framework does). Our help text, usage checks and "did you mean" suggestions read the catalog, so a parameter added to a
// command appears in all of them at once. Syntax only: ConsoleAppFramework's attributes are themselves generated,
// so no generator sees them as symbols.
using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Wasmrun.Generators;

[Generator]
public sealed class CommandCatalogGenerator : IIncrementalGenerator
{
    private static readonly DiagnosticDescriptor UndocumentedParameter = new(
        "WRG004", "Undocumented command parameter", "{0}: every argument and option needs a <param> doc comment, which is its --help text",
        "Wasmrun.Generators", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var commands = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is MethodDeclarationSyntax method && CommandAttribute(method) is not null,
                static (syntax, _) => Read((MethodDeclarationSyntax)syntax.Node))
            .Collect();
        var groups = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => GroupRegistration(node) is not null,
                static (syntax, _) => GroupRegistration(syntax.Node)!.Value)
            .Collect();
        context.RegisterSourceOutput(commands.Combine(groups), static (output, input) =>
        {
            var prefixes = input.Right.ToDictionary(g => g.Class, g => g.Words, StringComparer.Ordinal);
            var found = input.Left
                .Select(c => prefixes.TryGetValue(c.Class, out var group) ? c with { Words = (group + " " + c.Words).Trim() } : c)
                .ToImmutableArray();
            foreach (var command in found)
            {
                foreach (var missing in command.Undocumented)
                {
                    output.ReportDiagnostic(Diagnostic.Create(UndocumentedParameter, command.Location, $"{command.Method}({missing})"));
                }
            }
            output.AddSource("CommandCatalog.g.cs", Emit(found));
        });
    }

    private sealed record Parameter(string Name, string Type, bool IsArgument, bool Required, string Short, string Description, bool Variadic);

    private sealed record Command(
        string Words, string Class, string Method, string Summary, string? Trailing, ImmutableArray<Parameter> Parameters,
        ImmutableArray<string> Undocumented, string File, int Line, Location Location);

    private static AttributeSyntax? CommandAttribute(MethodDeclarationSyntax method) =>
        method.AttributeLists.SelectMany(list => list.Attributes)
            .FirstOrDefault(a => a.Name.ToString() is "Command" or "ConsoleAppFramework.Command");

    private static Command Read(MethodDeclarationSyntax method)
    {
        var words = CommandAttribute(method)!.ArgumentList?.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax literal
            ? literal.Token.ValueText
            : "";
        var docs = DocComment.Of(method);
        var parameters = new List<Parameter>();
        var undocumented = new List<string>();
        string? trailing = null;
        foreach (var parameter in method.ParameterList.Parameters)
        {
            var type = parameter.Type?.ToString() ?? "";
            if (type.EndsWith("ConsoleAppContext", StringComparison.Ordinal))
            {
                // the context carries the words after `--` (exec's program arguments); its doc says what they are
                trailing = docs.Params.TryGetValue(parameter.Identifier.ValueText, out var what) ? what : "";
                continue;
            }
            if (type.EndsWith("CancellationToken", StringComparison.Ordinal))
            {
                continue;
            }
            var name = parameter.Identifier.ValueText;
            if (!docs.Params.TryGetValue(name, out var text))
            {
                undocumented.Add(name);
                text = "";
            }
            var (shortName, description) = SplitAlias(text);
            var isArgument = parameter.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "Argument" or "ConsoleAppFramework.Argument");
            var variadic = parameter.Modifiers.Any(modifier => modifier.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.ParamsKeyword));
            parameters.Add(new Parameter(
                isArgument ? name : KebabCase(name), type, isArgument, Required: parameter.Default is null, shortName, description, variadic));
        }
        var line = method.GetLocation().GetLineSpan();
        var declaringClass = method.Parent is TypeDeclarationSyntax declaring ? declaring.Identifier.ValueText : "";
        return new Command(words, declaringClass, method.Identifier.ValueText, docs.Summary, trailing, parameters.ToImmutableArray(),
            undocumented.ToImmutableArray(), line.Path, line.StartLinePosition.Line + 1, method.Identifier.GetLocation());
    }

    /// <summary>`app.Add&lt;PluginCommand&gt;("plugin")`: the class whose commands sit under a group's words.</summary>
    private static (string Class, string Words)? GroupRegistration(SyntaxNode node)
    {
        if (node is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name: GenericNameSyntax generic } } invocation
            || generic.Identifier.ValueText != "Add" || generic.TypeArgumentList.Arguments.Count != 1
            || invocation.ArgumentList.Arguments.Count != 1
            || invocation.ArgumentList.Arguments[0].Expression is not LiteralExpressionSyntax literal
            || !literal.IsKind(SyntaxKind.StringLiteralExpression))
        {
            return null;
        }
        var registered = generic.TypeArgumentList.Arguments[0];
        return (registered is QualifiedNameSyntax qualified ? qualified.Right.Identifier.ValueText : registered.ToString(), literal.Token.ValueText);
    }

    /// <summary>ConsoleAppFramework's alias convention: a doc text "-p, The port" gives -p to --port.</summary>
    private static (string Short, string Description) SplitAlias(string text)
    {
        var comma = text.IndexOf(", ", StringComparison.Ordinal);
        if (text.StartsWith("-", StringComparison.Ordinal) && comma > 0 && text.Substring(0, comma).IndexOf(' ') < 0)
        {
            return (text.Substring(0, comma), text.Substring(comma + 2));
        }
        return ("", text);
    }

    /// <summary>An option's value as --help names it: a doc text "HOST[::GUEST]: let the program..." gives
    /// `--dir &lt;HOST[::GUEST]&gt;`; without one, the option's own name (`--port &lt;PORT&gt;`).</summary>
    private static (string Value, string Description) SplitValueName(string option, string text)
    {
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0 && text.Substring(0, colon).All(c => char.IsUpper(c) || char.IsDigit(c) || "[]:=_".IndexOf(c) >= 0))
        {
            var rest = text.Substring(colon + 2);
            return (text.Substring(0, colon), rest.Length > 0 ? char.ToUpperInvariant(rest[0]) + rest.Substring(1) : rest);
        }
        return (option.ToUpperInvariant(), text);
    }

    /// <summary>How ConsoleAppFramework names an option: strictPort is --strict-port.</summary>
    private static string KebabCase(string name)
    {
        var text = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('-');
            }
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }

    private static string Emit(ImmutableArray<Command> commands)
    {
        var source = new StringBuilder()
            .AppendLine("// <auto-generated>Generated by Wasmrun.Generators (CommandCatalogGenerator) from the [Command] methods; edit them, not this file.</auto-generated>")
            .AppendLine("#nullable enable")
            .AppendLine("namespace Wasmrun.Cli;")
            .AppendLine()
            .AppendLine("internal static partial class CommandCatalog")
            .AppendLine("{")
            .AppendLine("    /// <summary>Every command, sorted by its words (\"\" is `wasmrun [PATH]`).</summary>")
            .AppendLine("    public static readonly CommandSpec[] All =")
            .AppendLine("    [");
        foreach (var command in commands.OrderBy(c => c.Words, StringComparer.Ordinal))
        {
            source.AppendLine($"#line {command.Line} {Literal(command.File)}")
                  .AppendLine($"        new CommandSpec({Literal(command.Words)}, {Literal(command.Summary)}, {(command.Trailing is null ? "null" : Literal(command.Trailing))},")
                  .AppendLine("        [");
            foreach (var p in command.Parameters.Where(p => p.IsArgument))
            {
                source.AppendLine($"            new ArgumentSpec({Literal(p.Name)}, {(p.Required ? "true" : "false")}, {Literal(p.Description)}{(p.Variadic ? ", Variadic: true" : "")}),");
            }
            source.AppendLine("        ],")
                  .AppendLine("        [");
            foreach (var p in command.Parameters.Where(p => !p.IsArgument))
            {
                var (value, description) = p.Type is "bool" or "bool?" ? ("", p.Description) : SplitValueName(p.Name, p.Description);
                source.AppendLine($"            new OptionSpec({Literal(p.Name)}, {Literal(p.Short)}, {Literal(value)}, {Literal(description)}),");
            }
            source.AppendLine("        ]),")
                  .AppendLine("#line default");
        }
        source.AppendLine("    ];")
              .AppendLine("}");
        return source.ToString();
    }

    private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);
}
