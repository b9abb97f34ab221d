// The engine's front door: a module file read with clear errors (missing, directory, too large, unreadable),
// then decoded and validated, each phase timed in --debug logs. Errors name the file and suggest a next step.
using System.Text;
using Wasmrun.Cli;
using Wasmrun.Engine.Decode;
using Wasmrun.Engine.Validate;
using ZLogger;

namespace Wasmrun.Engine;

internal static class ModuleLoader
{
    /// <summary>The largest module read: far above real ones (big games ship ~100 MB), and memory stays bounded.</summary>
    public const long MaxModuleSize = 256L << 20;

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
            // never more than the limit, whatever Length said.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var buffer = new byte[stream.CanSeek ? Math.Min(stream.Length, MaxModuleSize) + 1 : 64 << 10];
            var read = 0;
            while (stream.Read(buffer, read, buffer.Length - read) is var count and > 0)
            {
                read += count;
                if (read > MaxModuleSize)
                {
                    throw TooLarge(path, null);
                }
                if (read == buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, MaxModuleSize + 1));
                }
            }
            return buffer[..read];
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
        new($"{path}: the file is {(bytes is { } size ? Size(size) + ", " : "")}larger than the {Size(MaxModuleSize)} a module may have")
        {
            Hint = "is this really a WebAssembly module?",
        };

    /// <summary>Decodes (and, when asked, validates) a module file; errors carry the file name and a hint.</summary>
    public static Module Load(string path, bool validate = true)
    {
        var logger = Log.For("engine");
        var bytes = ReadFile(path);
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
            error.In(file: path).Hint = DecodeHint(bytes, error);
            throw;
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
            error.In(file: path).Hint = "the module breaks a WebAssembly 2.0 validation rule: the compiler that produced it, or a tool that changed it afterwards, has a bug";
            throw;
        }
    }

    private static string DecodeHint(byte[] bytes, ModuleFormatException error)
    {
        var start = Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 64)).TrimStart();
        if (bytes.Length == 0)
        {
            return "the file is empty";
        }
        if (error.Offset == 0 && start.StartsWith('('))
        {
            return "this looks like the WebAssembly text format (.wat); Wasmrun reads binary modules: convert it with `wat2wasm`";
        }
        if (error.Offset == 4 && bytes.Length >= 8 && bytes[4] == 0x0D && bytes[6] == 0x01)
        {
            return "this is a WebAssembly component, not a core module; Wasmrun runs core modules (binary version 1)";
        }
        if (error.Offset == 0)
        {
            return "a WebAssembly module starts with the bytes 00 61 73 6d (\"\\0asm\"); this file is something else";
        }
        return "the file is not a well-formed WebAssembly 2.0 binary: is it truncated, or built for a later proposal?";
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.#} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes} bytes",
    };
}
