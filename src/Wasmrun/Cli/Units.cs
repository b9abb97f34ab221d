// Parses the quantities options take: durations (500ms, 2s, 1.5m), byte sizes (65536, 64KiB, 512MiB, 4GiB) and
// fuel; and prints byte sizes and durations, the one way every message and table shows them (Size, Duration).
using System.Globalization;

namespace Wasmrun.Cli;

internal static class Units
{
    /// <summary>The longest duration: what System.Threading.Timer accepts (2^32 - 2 ms, about 49 days).</summary>
    private static readonly TimeSpan MaxDuration = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    public static TimeSpan Duration(string text, string option)
    {
        var units = new (string Suffix, double Milliseconds)[] { ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000) };
        foreach (var (suffix, milliseconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                && value > 0)
            {
                return value * milliseconds <= MaxDuration.TotalMilliseconds
                    ? TimeSpan.FromMilliseconds(value * milliseconds)
                    : throw new WasmrunException($"{option}: '{text}' is longer than {Math.Floor(MaxDuration.TotalDays)} days, the longest a timer can wait", ExitCode.Usage);
            }
        }
        throw Invalid(option, text, "a duration such as 500ms, 2s, 1.5m or 1h");
    }

    /// <summary>An instruction budget (--fuel): none, or a count that is not negative.</summary>
    public static long? Fuel(long? fuel) =>
        fuel is < 0 ? throw new WasmrunException($"--fuel: {fuel} is negative", ExitCode.Usage) : fuel;

    public static ulong Bytes(string text, string option)
    {
        var units = new (string Suffix, ulong Factor)[]
        {
            ("KiB", 1UL << 10), ("MiB", 1UL << 20), ("GiB", 1UL << 30), ("KB", 1UL << 10), ("MB", 1UL << 20), ("GB", 1UL << 30),
            ("K", 1UL << 10), ("M", 1UL << 20), ("G", 1UL << 30), ("B", 1), ("", 1),
        };
        foreach (var (suffix, factor) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && ulong.TryParse(text[..^suffix.Length], NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                && value <= ulong.MaxValue / factor)
            {
                return value * factor;
            }
        }
        throw Invalid(option, text, "a size in bytes, optionally with KiB, MiB or GiB (65536, 64KiB, 512MiB)");
    }

    /// <summary>A byte size as people read it: 512 B, 12.3 KiB, 16 MiB, 2.5 GiB (one decimal, none when whole).</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => Scaled(bytes, 1L << 30, "GiB"),
        >= 1L << 20 => Scaled(bytes, 1L << 20, "MiB"),
        >= 1L << 10 => Scaled(bytes, 1L << 10, "KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    /// <summary>A duration the way the options take it: 500ms, 2s, 1.5m, 2h.</summary>
    public static string Duration(TimeSpan duration) => duration switch
    {
        { TotalHours: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalHours:0.#}h"),
        { TotalMinutes: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMinutes:0.#}m"),
        { TotalSeconds: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.##}s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0}ms"),
    };

    private static string Scaled(long bytes, long unit, string name) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)unit:0.#} {name}");

    private static WasmrunException Invalid(string option, string text, string expected) =>
        new($"{option}: '{text}' is not {expected}", ExitCode.Usage);
}
