// A trap: execution stopped by a TrapCode, with the Wasm frames that were active, innermost first.
using System.Collections.Immutable;

namespace Wasmrun.Engine.Runtime;

/// <summary>One active Wasm frame at the trap: the function (index in its instance) and the byte offset in the module.</summary>
internal sealed record TrapFrame(uint FunctionIndex, string? FunctionName, int Offset, string? ModuleName);

internal sealed class TrapException(TrapCode code, ImmutableArray<TrapFrame> backtrace, string? detail = null)
    : EngineException(detail is null ? code.Message() : $"{code.Message()}: {detail}")
{
    /// <summary>A trap at a table element: "uninitialized element 7", as the spec interpreter says.</summary>
    public TrapException(TrapCode code, ImmutableArray<TrapFrame> backtrace, uint? element)
        : this(code, backtrace, (string?)null)
    {
        Element = element;
    }

    public uint? Element { get; }

    public override string Message => Element is { } element ? $"{base.Message} {element}" : base.Message;

    public TrapCode Code { get; } = code;

    private const int MaxFrames = 32;

    /// <summary>Set after the fact for a host function's trap, by the machine that called it.</summary>
    public ImmutableArray<TrapFrame> Backtrace { get; set; } = backtrace;

    /// <summary>"wasm trap: MESSAGE" and the backtrace, one Wasm frame a line, innermost first.</summary>
    public override string Describe()
    {
        var lines = new List<string> { $"wasm trap: {Message}" };
        if (!Backtrace.IsEmpty)
        {
            lines.Add("  backtrace:");
            // Deep recursion leaves thousands of frames: the innermost ones say where it went wrong.
            var shown = Backtrace.Length > MaxFrames ? MaxFrames - 1 : Backtrace.Length;
            for (var i = 0; i < shown; i++)
            {
                var frame = Backtrace[i];
                var name = frame.FunctionName is null ? "" : $" {frame.FunctionName}";
                var offset = frame.Offset >= 0 ? $" at offset 0x{frame.Offset:x}" : "";
                lines.Add($"    #{i} func[{frame.FunctionIndex}]{name}{offset}");
            }
            if (shown < Backtrace.Length)
            {
                lines.Add($"    ... {Backtrace.Length - shown} more frames");
            }
        }
        return string.Join('\n', lines);
    }
}
