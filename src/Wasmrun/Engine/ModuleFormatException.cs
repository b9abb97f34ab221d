// A module that is malformed (does not decode) or invalid (does not validate): the spec's wording plus where.
namespace Wasmrun.Engine;

internal enum ModuleErrorKind
{
    /// <summary>The bytes do not follow the binary format (spec 5); the spec tests call these assert_malformed.</summary>
    Malformed,

    /// <summary>The module decodes but breaks a validation rule (spec 3); the spec tests call these assert_invalid.</summary>
    Invalid,
}

internal sealed class ModuleFormatException(ModuleErrorKind kind, string reason, int offset) : EngineException(reason)
{
    public ModuleErrorKind Kind { get; } = kind;

    /// <summary>The message alone, worded like the spec tests' expected text ("type mismatch", "unexpected end", ...).</summary>
    public string Reason { get; } = reason;

    /// <summary>Byte offset in the module where the problem is.</summary>
    public int Offset { get; } = offset;

    public SectionId? Section { get; private set; }

    /// <summary>Index of the function (in the function index space) whose body holds the problem.</summary>
    public uint? FunctionIndex { get; private set; }

    public string? FunctionName { get; private set; }

    public string? File { get; private set; }

    /// <summary>The bytes that failed to decode, so a host can tell what the file is instead (text, a component).</summary>
    public ReadOnlyMemory<byte> Input { get; private set; }

    public static ModuleFormatException Malformed(string reason, int offset) => new(ModuleErrorKind.Malformed, reason, offset);

    public static ModuleFormatException Invalid(string reason, int offset) => new(ModuleErrorKind.Invalid, reason, offset);

    /// <summary>Adds the context an outer layer knows; what is already set stays (the innermost layer knows best).</summary>
    public ModuleFormatException In(SectionId? section = null, uint? function = null, string? functionName = null, string? file = null,
        ReadOnlyMemory<byte> input = default)
    {
        if (Input.IsEmpty)
        {
            Input = input;
        }
        Section ??= section;
        FunctionIndex ??= function;
        FunctionName ??= functionName;
        File ??= file;
        return this;
    }

    public override string Describe()
    {
        var where = new List<string>();
        if (Section is { } section)
        {
            where.Add($"{section.DisplayName()} section");
        }
        if (FunctionIndex is { } function)
        {
            where.Add(FunctionName is null ? $"function {function}" : $"function {function} '{FunctionName}'");
        }
        var prefix = File is null ? "" : $"{File}: ";
        var suffix = where.Count == 0 ? "" : $" ({string.Join(", ", where)})";
        return $"{prefix}{Reason} at offset 0x{Offset:x}{suffix}";
    }
}
