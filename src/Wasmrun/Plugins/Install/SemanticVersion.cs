// Semantic versions (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], semver.org 2.0.0) and their precedence: how
// `plugin update` tells whether the registry's latest version is newer than the installed one.
using System.Globalization;
using System.Text.RegularExpressions;

namespace Wasmrun.Plugins.Install;

internal sealed partial class SemanticVersion(long major, long minor, long patch, string[] prerelease) : IComparable<SemanticVersion>
{
    public long Major { get; } = major;

    public long Minor { get; } = minor;

    public long Patch { get; } = patch;

    /// <summary>The pre-release fields ("beta.2" → ["beta", "2"]); empty for a release.</summary>
    public IReadOnlyList<string> Prerelease { get; } = prerelease;

    public static SemanticVersion? TryParse(string text)
    {
        var match = Pattern().Match(text);
        if (!match.Success
            || !long.TryParse(match.Groups["major"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !long.TryParse(match.Groups["minor"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            || !long.TryParse(match.Groups["patch"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var patch))
        {
            return null;
        }
        var prerelease = match.Groups["pre"].Success ? match.Groups["pre"].Value.Split('.') : [];
        return new SemanticVersion(major, minor, patch, prerelease);
    }

    /// <summary>Precedence (semver 11): numbers first; a pre-release sorts before its release; pre-release fields
    /// compare numerically when both are numbers, numbers before words, and a shorter list first. Build metadata
    /// does not count.</summary>
    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }
        var order = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (order != 0)
        {
            return order;
        }
        if (Prerelease.Count == 0 || other.Prerelease.Count == 0)
        {
            return other.Prerelease.Count.CompareTo(Prerelease.Count);
        }
        foreach (var (mine, theirs) in Prerelease.Zip(other.Prerelease))
        {
            var mineIsNumber = long.TryParse(mine, NumberStyles.None, CultureInfo.InvariantCulture, out var mineNumber);
            var theirsIsNumber = long.TryParse(theirs, NumberStyles.None, CultureInfo.InvariantCulture, out var theirsNumber);
            order = (mineIsNumber, theirsIsNumber) switch
            {
                (true, true) => mineNumber.CompareTo(theirsNumber),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(mine, theirs),
            };
            if (order != 0)
            {
                return order;
            }
        }
        return Prerelease.Count.CompareTo(other.Prerelease.Count);
    }

    public override string ToString() =>
        $"{Major}.{Minor}.{Patch}{(Prerelease.Count > 0 ? "-" + string.Join('.', Prerelease) : "")}";

    [GeneratedRegex(@"^v?(?<major>0|[1-9]\d*)\.(?<minor>0|[1-9]\d*)\.(?<patch>0|[1-9]\d*)(-(?<pre>[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex Pattern();
}
