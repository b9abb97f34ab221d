// Subresource-integrity hashes as npm records them ("sha512-BASE64"): only sha512 is accepted, and a package is
// checked against it before a single entry of it is unpacked.
using System.Security.Cryptography;

namespace Wasmrun.Plugins.Install;

internal static class Integrity
{
    private const string Sha512Prefix = "sha512-";

    /// <summary>The integrity string of some bytes: "sha512-" and the base64 of their SHA-512.</summary>
    public static string Of(byte[] data) => Sha512Prefix + Convert.ToBase64String(SHA512.HashData(data));

    /// <summary>The SHA-512 digests in an integrity string. npm's may list several hashes separated by spaces
    /// ("sha512-... sha1-..."); weaker algorithms are ignored, as npm does when a sha512 is present.</summary>
    public static List<byte[]> Sha512Digests(string? integrity)
    {
        var digests = new List<byte[]>();
        foreach (var item in (integrity ?? "").Split(' ', '\t', '\n', '\r'))
        {
            if (!item.StartsWith(Sha512Prefix, StringComparison.Ordinal))
            {
                continue;
            }
            // SRI allows options after '?'; none of them change the digest.
            var value = item[Sha512Prefix.Length..].Split('?')[0];
            var digest = new byte[64];
            if (Convert.TryFromBase64String(value, digest, out var written) && written == 64)
            {
                digests.Add(digest);
            }
        }
        return digests;
    }

    /// <summary>True when `integrity` holds a well-formed sha512 hash.</summary>
    public static bool HasSha512(string? integrity) => Sha512Digests(integrity).Count > 0;

    /// <summary>Throws unless the data's SHA-512 is one of the integrity string's.</summary>
    public static void Verify(byte[] data, string integrity, string what)
    {
        var digests = Sha512Digests(integrity);
        if (digests.Count == 0)
        {
            throw new WasmrunException($"{what}: '{integrity}' is not a sha512 integrity hash: refused", ExitCode.InvalidInput)
            {
                Hint = "Wasmrun installs packages only with a sha512 integrity hash (\"sha512-\" and 88 base64 characters)",
            };
        }
        var actual = SHA512.HashData(data);
        if (!digests.Any(expected => CryptographicOperations.FixedTimeEquals(expected, actual)))
        {
            throw new WasmrunException($"{what}: integrity check failed: expected {integrity}, got {Of(data)}: nothing was installed", ExitCode.InvalidInput)
            {
                Hint = "the download is damaged or was tampered with; try again later, or tell the plugin's publisher",
            };
        }
    }
}
