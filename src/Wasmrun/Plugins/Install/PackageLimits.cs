// The caps on what `wasmrun plugin` downloads and unpacks: a plugin is a script, a manifest and a few templates, so
// anything far bigger is a mistake or an attack, refused before it fills the disk (docs/plugin-registry.md lists them).
namespace Wasmrun.Plugins.Install;

internal static class PackageLimits
{
    /// <summary>A plugin's .tgz, downloaded or read from a file.</summary>
    public const long MaxTarballBytes = 16 << 20;

    /// <summary>A package document or a search answer from the registry (npm's abbreviated documents of even large
    /// packages stay well below this).</summary>
    public const long MaxDocumentBytes = 32 << 20;

    /// <summary>Files and folders in one package.</summary>
    public const int MaxEntries = 4096;

    /// <summary>A package unpacked: the tar stream inside the .tgz, headers included (this also stops a small .tgz
    /// that inflates to gigabytes), or the files of a folder.</summary>
    public const long MaxUnpackedBytes = 64 << 20;

    /// <summary>One HTTP request, from connecting to the last byte of the body.</summary>
    public static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(60);
}
