// A process's stdin, stdout and stderr: the terminal's own fds (`os run`), or three pipes whose far ends the kernel
// holds (the OS page): two pump threads turn output into text events, and the page writes lines into stdin.
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

    /// <summary>Completes once every byte the process wrote has been delivered.</summary>
    public abstract Task Drained { get; }

    /// <summary>The process's thread is done with its fds.</summary>
    public abstract void ProcessEnded();

    /// <summary>The host's own stdio: output goes straight to the terminal, in order, with no copy.</summary>
    public sealed class Inherited : ProcessStdio
    {
        public override StdioFds Fds => StdioFds.Inherited;

        public override Task Drained => Task.CompletedTask;

        public override void ProcessEnded()
        {
        }
    }

    /// <summary>Pipes: output arrives as UTF-8 text in chunks of at most a pipe's read (split characters are kept
    /// whole); input is written by the kernel's owner.</summary>
    public sealed unsafe class Piped : ProcessStdio
    {
        private readonly int stdinWrite, stdinRead, stdoutRead, stdoutWrite, stderrRead, stderrWrite;
        private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int pumping = 2;
        private readonly Lock input = new();
        private bool inputClosed;

        public Piped(Action<OutputStream, string> output)
        {
            (stdinRead, stdinWrite) = Pipe();
            // The kernel's end never blocks: a process that does not read its input must not stall the page.
            LibC.fcntl(stdinWrite, LibC.FSetFl, LibC.ONonBlock);
            (stdoutRead, stdoutWrite) = Pipe();
            (stderrRead, stderrWrite) = Pipe();
            Fds = new StdioFds(stdinRead, stdoutWrite, stderrWrite);
            Pump(stdoutRead, OutputStream.Stdout, output);
            Pump(stderrRead, OutputStream.Stderr, output);
        }

        public override StdioFds Fds { get; }

        public override Task Drained => drained.Task;

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
            // The pumps read to EOF now that the only writer is gone.
            LibC.close(stdoutWrite);
            LibC.close(stderrWrite);
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

        private void Pump(int fd, OutputStream stream, Action<OutputStream, string> output)
        {
            var thread = new Thread(() =>
            {
                var decoder = Encoding.UTF8.GetDecoder();
                var bytes = new byte[16384];
                var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
                while (true)
                {
                    nint read;
                    fixed (byte* buffer = bytes)
                    {
                        read = LibC.read(fd, buffer, (nuint)bytes.Length);
                    }
                    if (read < 0 && LibC.Errno == LibC.EIntr)
                    {
                        continue;
                    }
                    var count = decoder.GetChars(bytes, 0, (int)Math.Max(read, 0), chars, 0, flush: read <= 0);
                    if (count > 0)
                    {
                        output(stream, new string(chars, 0, count));
                    }
                    if (read <= 0)
                    {
                        break;
                    }
                }
                LibC.close(fd);
                if (Interlocked.Decrement(ref pumping) == 0)
                {
                    drained.SetResult();
                }
            })
            { IsBackground = true, Name = $"os-{stream}".ToLowerInvariant() };
            thread.Start();
        }
    }
}
