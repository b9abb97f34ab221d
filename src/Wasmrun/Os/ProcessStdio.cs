// A process's stdin, stdout and stderr: the terminal's own fds (`os run`), or for the OS page output captured as text
// events on the process's own thread (so stdout and stderr keep their order) and a stdin pipe the page writes lines into.
using System.Text;
using System.Text.Json.Serialization;
using Wasmrun.Cli;
using Wasmrun.Wasi;
using Wasmrun.Wasi.Posix;

namespace Wasmrun.Os;

[JsonConverter(typeof(LowercaseEnum<OutputStream>))]
internal enum OutputStream
{
    Stdout,
    Stderr,
}

internal abstract class ProcessStdio
{
    /// <summary>The host fds the process reads and writes as its 0, 1 and 2.</summary>
    public abstract StdioFds Fds { get; }

    /// <summary>The process's thread is done with its fds.</summary>
    public abstract void ProcessEnded();

    /// <summary>The host's own stdio: output goes straight to the terminal, in order, with no copy.</summary>
    public sealed class Inherited : ProcessStdio
    {
        public override StdioFds Fds => StdioFds.Inherited;

        public override void ProcessEnded()
        {
        }
    }

    /// <summary>Output captured as UTF-8 text, in the order the process wrote it across stdout and stderr (split
    /// characters are kept whole); input through a pipe the kernel's owner writes.</summary>
    public sealed unsafe class Piped : ProcessStdio
    {
        private readonly int stdinWrite, stdinRead, outputRead, outputWrite;
        private readonly Action<OutputStream, string> output;
        private readonly Decoder stdoutText = Encoding.UTF8.GetDecoder(), stderrText = Encoding.UTF8.GetDecoder();
        // Only the process's thread writes: one buffer serves both streams.
        private readonly char[] text = new char[16384];
        private readonly Lock input = new();
        private bool inputClosed;

        public Piped(Action<OutputStream, string> output)
        {
            this.output = output;
            (stdinRead, stdinWrite) = Pipe();
            // The kernel's end never blocks: a process that does not read its input must not stall the page.
            LibC.fcntl(stdinWrite, LibC.FSetFl, LibC.ONonBlock);
            // Nothing is written to this pipe: it gives stdout and stderr a pipe's type and state, as a program whose
            // output a shell pipes somewhere sees them.
            (outputRead, outputWrite) = Pipe();
            Fds = new StdioFds(stdinRead, outputWrite, outputWrite) { Capture = Captured };
        }

        public override StdioFds Fds { get; }

        /// <summary>Writes to the process's stdin; false once stdin is closed, the process has gone, or it has left
        /// a pipe's worth of input unread.</summary>
        public bool Write(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            lock (input)
            {
                if (inputClosed)
                {
                    return false;
                }
                fixed (byte* start = bytes)
                {
                    for (var done = 0; done < bytes.Length;)
                    {
                        var written = LibC.write(stdinWrite, start + done, (nuint)(bytes.Length - done));
                        if (written <= 0)
                        {
                            return false;
                        }
                        done += (int)written;
                    }
                }
                return true;
            }
        }

        /// <summary>End of input: the process reads EOF once it has read what was written.</summary>
        public void CloseInput()
        {
            lock (input)
            {
                if (!inputClosed)
                {
                    inputClosed = true;
                    LibC.close(stdinWrite);
                }
            }
        }

        public override void ProcessEnded()
        {
            CloseInput();
            LibC.close(stdinRead);
            LibC.close(outputRead);
            LibC.close(outputWrite);
            Captured(false, []);
            Captured(true, []);
        }

        private static (int Read, int Write) Pipe()
        {
            var ends = stackalloc int[2];
            if (LibC.pipe2(ends, LibC.OCloExec) != 0)
            {
                throw new WasmrunException($"cannot create a pipe for a process's stdio ({Errnos.FromLinux(LibC.Errno).ToString().ToLowerInvariant()})")
                {
                    Hint = "the system is out of file descriptors: end some processes",
                };
            }
            return (ends[0], ends[1]);
        }

        /// <summary>One write of the process, on its thread; an empty one at its end flushes a split character.</summary>
        private void Captured(bool error, ReadOnlySpan<byte> bytes)
        {
            var decoder = error ? stderrText : stdoutText;
            var flush = bytes.IsEmpty;
            do
            {
                // At most what fits: a large write becomes several chunks, each with whole characters.
                decoder.Convert(bytes, text, flush, out var used, out var count, out _);
                bytes = bytes[used..];
                if (count > 0)
                {
                    output(error ? OutputStream.Stderr : OutputStream.Stdout, new string(text, 0, count));
                }
            }
            while (!bytes.IsEmpty);
        }
    }
}
