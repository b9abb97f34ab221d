// The host's way into the engine from a file: a module file read with clear errors (missing, directory, too large,
// unreadable), then decoded and validated, each phase timed in --debug logs. Format errors carry the file's name;
// what to advise about them is Cli/UserError's.
using Wasmrun.Cli;
using Wasmrun.Engine;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Text;
using Wasmrun.Engine.Validate;
using ZLogger;

namespace Wasmrun.Host;

internal static class ModuleFile
{
    /// <summary>The largest module read: far above real ones (big games ship ~100 MB), and memory stays bounded.</summary>
    public const long MaxModuleSize = 256L << 20;

    /// <summary>An array for a module's bytes. One of several MiB is allocated where it never moves (the pinned heap)
    /// and the whole 2 MiB pages inside it are offered for transparent huge pages before the file is read into them:
    /// CPython's 6.6 MB otherwise cost 1,600 page faults, half of its start-up's.</summary>
    private static unsafe byte[] NewBuffer(int length)
    {
        if (length < HugePage * 2)
        {
            return new byte[length];
        }
        var buffer = GC.AllocateUninitializedArray<byte>(length, pinned: true);
        fixed (byte* start = buffer)
        {
            var first = ((nuint)start + HugePage - 1) & ~(nuint)(HugePage - 1);
            var end = ((nuint)start + (nuint)length) & ~(nuint)(HugePage - 1);
            if (end > first)
            {
                AddressSpace.AdviseHugePages((byte*)first, end - first);
            }
        }
        return buffer;
    }

    private const int HugePage = 2 << 20;

    public static byte[] ReadFile(string path)
    {
        var file = new FileInfo(path);
        if (Directory.Exists(path))
        {
            throw new WasmrunException($"{path}: is a directory, not a module file") { Hint = "pass the path of a .wasm file" };
        }
        if (!file.Exists)
        {
            throw new WasmrunException($"{path}: no such file") { Hint = "check the path; it is relative to the current directory" };
        }
        if (file.Length > MaxModuleSize)
        {
            throw TooLarge(path, file.Length);
        }
        try
        {
            // A pipe (`<(cat m.wasm)`, a FIFO) has no length and a file being written may change it: read until the end,
            // never more than the limit, whatever Length said. A file of the length it said (the common case) is read
            // into an array of that size and returned as it is: copying Python's 6.6 MB was 9% of its start-up's
            // samples.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var buffer = NewBuffer((int)(stream.CanSeek ? Math.Min(stream.Length, MaxModuleSize) : 64 << 10));
            var read = 0;
            while (true)
            {
                if (read == buffer.Length)
                {
                    var next = stream.ReadByte();
                    if (next < 0)
                    {
                        return buffer;
                    }
                    if (read >= MaxModuleSize)
                    {
                        throw TooLarge(path, null);
                    }
                    Array.Resize(ref buffer, (int)Math.Min(Math.Max(buffer.Length * 2L, 64 << 10), MaxModuleSize));
                    buffer[read++] = (byte)next;
                }
                var count = stream.Read(buffer, read, buffer.Length - read);
                if (count == 0)
                {
                    return buffer[..read];
                }
                read += count;
            }
        }
        catch (UnauthorizedAccessException)
        {
            throw new WasmrunException($"{path}: permission denied") { Hint = "check the file's permissions (ls -l)" };
        }
        catch (IOException error)
        {
            throw new WasmrunException($"{path}: cannot read the file: {error.Message}");
        }
    }

    private static WasmrunException TooLarge(string path, long? bytes) =>
        new($"{path}: the file is {(bytes is { } size ? Units.Size(size) + ", " : "")}larger than the {Units.Size(MaxModuleSize)} a module may have")
        {
            Hint = "is this really a WebAssembly module?",
        };

    /// <summary>Whether a file is WebAssembly text rather than binary: its name says .wat, or its first bytes are
    /// not the binary magic and start as text does (a parenthesis or a comment).</summary>
    private static bool IsText(string path, ReadOnlySpan<byte> bytes)
    {
        if (path.EndsWith(".wat", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (bytes.StartsWith("\0asm"u8))
        {
            return false;
        }
        var start = bytes.TrimStart(" \t\r\n"u8);
        return start.StartsWith("("u8) || start.StartsWith(";;"u8);
    }

    /// <summary>A text file (a .wat module, a .wast script) as strictly decoded UTF-8: a byte that is not UTF-8 is an
    /// error at its line and column, never replaced.</summary>
    public static string ReadText(string path)
    {
        try
        {
            return TextLexer.DecodeUtf8(ReadFile(path));
        }
        catch (TextFormatException error)
        {
            throw error.In(path);
        }
    }

    /// <summary>A module file's binary form: its bytes, or for a text file the encoding of its module (a syntax error
    /// names the file, line and column).</summary>
    public static byte[] ReadBinary(string path)
    {
        var bytes = ReadFile(path);
        if (!IsText(path, bytes))
        {
            return bytes;
        }
        using (Log.Phase(Log.For("engine"), "parse text"))
        {
            try
            {
                return TextModuleParser.ParseFile(TextLexer.DecodeUtf8(bytes));
            }
            catch (TextFormatException error)
            {
                throw error.In(path);
            }
        }
    }

    /// <summary>Reads, decodes and (when asked) validates a module file (.wasm, or .wat text); a format error names
    /// the file.</summary>
    public static Module Load(string path, bool validate = true)
    {
        var logger = Log.For("engine");
        var bytes = ReadBinary(path);
        logger.ZLogDebug($"read {path}: {bytes.Length} bytes");
        Module module;
        using (Log.Phase(logger, "decode"))
        {
            module = Decode(bytes, path);
        }
        if (validate)
        {
            using (Log.Phase(logger, "validate"))
            {
                Validate(module, path);
            }
        }
        return module;
    }

    public static Module Decode(byte[] bytes, string path)
    {
        try
        {
            return ModuleDecoder.Decode(bytes);
        }
        catch (ModuleFormatException error)
        {
            throw error.In(file: path);
        }
    }

    public static void Validate(Module module, string path)
    {
        try
        {
            ModuleValidator.Validate(module);
        }
        catch (ModuleFormatException error)
        {
            throw error.In(file: path);
        }
    }
}
