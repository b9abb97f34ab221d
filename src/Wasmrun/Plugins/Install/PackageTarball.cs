// Unpacks an npm-style package (.tgz, every entry under "package/") into an empty folder, refusing anything that
// could write outside it or that is not a plain file or folder. The caller has already checked the integrity hash.
using System.Formats.Tar;
using System.IO.Compression;
using Wasmrun.Cli;

namespace Wasmrun.Plugins.Install;

internal static class PackageTarball
{
    /// <summary>npm packs every file of a package under this folder; it is stripped when unpacking.</summary>
    public const string Root = "package/";

    /// <summary>Unpacks `tgz` into `destination`, an empty folder; `origin` names the package in messages.</summary>
    public static void Unpack(byte[] tgz, string destination, string origin)
    {
        destination = Path.GetFullPath(destination);
        var files = new HashSet<string>(StringComparer.Ordinal);
        var entries = 0;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(tgz, writable: false), CompressionMode.Decompress);
            using var capped = new CappedStream(gzip, PackageLimits.MaxUnpackedBytes, origin);
            using var reader = new TarReader(capped);
            while (reader.GetNextEntry() is { } entry)
            {
                // git archive writes one pax global header (a comment with the commit): metadata, not a file.
                if (entry.EntryType == TarEntryType.GlobalExtendedAttributes)
                {
                    continue;
                }
                if (++entries > PackageLimits.MaxEntries)
                {
                    throw Refused(origin, $"it has more than {PackageLimits.MaxEntries} entries");
                }
                var relative = RelativePath(entry.Name, origin);
                var target = Inside(destination, relative, origin, entry.Name);
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(target);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                        if (relative.Length == 0)
                        {
                            throw Refused(origin, $"entry '{entry.Name}' is a file where the package's folder should be");
                        }
                        if (!files.Add(relative))
                        {
                            throw Refused(origin, $"entry '{entry.Name}' appears twice");
                        }
                        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                        using (var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write))
                        {
                            entry.DataStream?.CopyTo(file);
                        }
                        break;
                    default:
                        throw Refused(origin, $"entry '{entry.Name}' is a {Describe(entry.EntryType)}; a plugin package holds regular files and folders only");
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new WasmrunException($"{origin}: not a valid .tgz package: {ex.Message}", ExitCode.InvalidInput, ex)
            {
                Hint = "a plugin package is a gzip-compressed tar file with its files under package/, as `npm pack` makes",
            };
        }
        catch (IOException ex)
        {
            throw new WasmrunException($"{origin}: cannot unpack: {ex.Message}", ExitCode.InvalidInput, ex);
        }
    }

    /// <summary>The path of an entry below "package/" ("" for that folder itself), or an error saying why it is refused.</summary>
    private static string RelativePath(string name, string origin)
    {
        // First, so that no message below prints a name that could drive the terminal (escape sequences).
        if (name.Any(char.IsControl))
        {
            throw Refused(origin, $"entry '{UntrustedText.Printable(name)}' has control characters in its name");
        }
        if (name.StartsWith('/') || name.Contains('\\') || Path.IsPathRooted(name))
        {
            throw Refused(origin, $"entry '{name}' is an absolute path or uses '\\'");
        }
        if (name.Split('/').Any(segment => segment is ".." or "."))
        {
            throw Refused(origin, $"entry '{name}' leaves its folder with '..' (or uses '.')");
        }
        if (name == Root.TrimEnd('/'))
        {
            return "";
        }
        if (!name.StartsWith(Root, StringComparison.Ordinal))
        {
            throw Refused(origin, $"entry '{name}' is outside {Root}");
        }
        var relative = name[Root.Length..];
        relative = relative.EndsWith('/') ? relative[..^1] : relative;
        if (relative.Length > 0 && relative.Split('/').Any(segment => segment.Length == 0))
        {
            throw Refused(origin, $"entry '{name}' has an empty path segment");
        }
        return relative;
    }

    /// <summary>The full path of an entry, checked once more to be inside the destination.</summary>
    private static string Inside(string destination, string relative, string origin, string name)
    {
        var full = Path.GetFullPath(Path.Join(destination, relative));
        if (full != destination && !full.StartsWith(destination + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw Refused(origin, $"entry '{name}' leaves the package");
        }
        return full;
    }

    private static string Describe(TarEntryType type) => type switch
    {
        TarEntryType.SymbolicLink => "symbolic link",
        TarEntryType.HardLink => "hard link",
        TarEntryType.CharacterDevice => "character device",
        TarEntryType.BlockDevice => "block device",
        TarEntryType.Fifo => "named pipe",
        _ => $"'{type}' entry",
    };

    internal static WasmrunException Refused(string origin, string why) =>
        new($"{origin}: refused: {why}; nothing was installed", ExitCode.InvalidInput)
        {
            Hint = "the package is damaged or unsafe; tell its publisher, or install another version",
        };

    /// <summary>Reads at most `limit` bytes from a stream; one more is an error (a decompression bomb, a huge package).</summary>
    private sealed class CappedStream(Stream inner, long limit, string origin) : Stream
    {
        private long read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = inner.Read(buffer);
            read += count;
            if (read > limit)
            {
                throw Refused(origin, $"it unpacks to more than {Units.Size(limit)}");
            }
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
