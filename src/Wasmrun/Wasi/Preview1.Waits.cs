// Waiting inside host calls, so that a --timeout or a kill ends a program blocked in poll_oneoff or on a pipe,
// terminal or socket: every wait polls the fds it needs beside an eventfd that the machine's interruption signals,
// and ends with the "interrupted" trap when that fires. Reads and writes that could block wait here first.
using Wasmrun.Engine.Runtime;
using Wasmrun.Wasi.Posix;

namespace Wasmrun.Wasi;

internal sealed unsafe partial class Preview1
{
    /// <summary>At most this much of a write to a pipe, terminal or socket at a time: a pipe that polls writable has
    /// room for one page (PIPE_BUF), so the write cannot block past a wait that can be interrupted.</summary>
    private const uint BlockingWriteChunk = 4096;

    private const int Eintr = 4, Eagain = 11;

    /// <summary>An eventfd that becomes readable, for good, when the machine is interrupted.</summary>
    private int wakeFd = -1;
    private CancellationTokenRegistration wakeOnInterrupt;

    private void WakeOn(CancellationToken interruption)
    {
        wakeFd = LibC.eventfd(0, LibC.EfdCloExec | LibC.EfdNonBlock);
        if (wakeFd < 0)
        {
            throw new WasmrunException($"cannot create an eventfd for WASI's waits ({Errnos.FromLinux(LibC.Errno).ToString().ToLowerInvariant()})");
        }
        wakeOnInterrupt = interruption.Register(() =>
        {
            ulong one = 1;
            _ = LibC.write(wakeFd, (byte*)&one, sizeof(ulong));
        });
    }

    private void CloseWake()
    {
        // Unregistering waits for a callback that is running, so the fd is not written after it is closed.
        wakeOnInterrupt.Dispose();
        if (wakeFd >= 0)
        {
            _ = LibC.close(wakeFd);
            wakeFd = -1;
        }
    }

    /// <summary>Whether an operation on the fd can wait for another party: a pipe, terminal or socket in blocking mode.</summary>
    private static bool MayBlock(WasiFd fd) =>
        (fd.Flags & FdFlags.NonBlock) == 0 && fd.Type is FileType.CharacterDevice or FileType.SocketStream or FileType.SocketDgram or FileType.Unknown;

    /// <summary>poll(2) over `set` until one is ready or the monotonic deadline (ns, null: none) passes; fills each
    /// Revents. Returns the number ready (0: the deadline passed) or -1 with errno. Traps when interrupted.</summary>
    private int Wait(Span<LibC.PollFd> set, ulong? deadline)
    {
        var all = set.Length + 1 <= 64 ? stackalloc LibC.PollFd[set.Length + 1] : new LibC.PollFd[set.Length + 1];
        set.CopyTo(all);
        all[set.Length] = new LibC.PollFd { Fd = wakeFd, Events = LibC.PollIn };
        while (true)
        {
            var timeout = -1;
            if (deadline is { } end)
            {
                Now(Clocks.Monotonic, out var now);
                // Rounded up: a wait never ends before its deadline.
                timeout = (int)Math.Min(end > now ? (end - now + 999_999) / 1_000_000 : 0, int.MaxValue);
            }
            int ready;
            fixed (LibC.PollFd* pointer = all)
            {
                ready = LibC.poll(pointer, (nuint)all.Length, timeout);
            }
            if (ready < 0 && LibC.Errno == Eintr)
            {
                continue;
            }
            if (all[set.Length].Revents != 0)
            {
                throw new TrapException(TrapCode.Interrupted, []);
            }
            if (ready == 0 && deadline is { } limit && Now(Clocks.Monotonic, out var after) == Errno.Success && after < limit)
            {
                continue;
            }
            all[..set.Length].CopyTo(set);
            return ready;
        }
    }

    /// <summary>Waits until a host fd is ready for `events` (or has an error or hangup); traps when interrupted.</summary>
    private void AwaitReady(int hostFd, short events)
    {
        Span<LibC.PollFd> one = [new LibC.PollFd { Fd = hostFd, Events = events }];
        Wait(one, deadline: null);
    }

    /// <summary>Whether a host fd is ready for `events` now, without waiting.</summary>
    private static bool IsReady(int hostFd, short events)
    {
        var one = new LibC.PollFd { Fd = hostFd, Events = events };
        return LibC.poll(&one, 1, 0) > 0;
    }

    /// <summary>Wraps a read or write step for an fd that may block: a read waits (interruptibly) for data before the
    /// first buffer and takes later buffers only while data is there, as readv returns what has arrived; a write
    /// goes a page at a time, each after waiting for room.</summary>
    private IovecStep Interruptible(IovecStep step, int hostFd, bool write) => write
        ? (pointer, length, done) => WriteInterruptibly(step, hostFd, pointer, length, done)
        : (pointer, length, done) => ReadInterruptibly(step, hostFd, pointer, length, done);

    private nint ReadInterruptibly(IovecStep read, int hostFd, byte* pointer, uint length, ulong done)
    {
        if (done == 0)
        {
            AwaitReady(hostFd, LibC.PollIn);
        }
        else if (!IsReady(hostFd, LibC.PollIn))
        {
            return 0;
        }
        return read(pointer, length, done);
    }

    private nint WriteInterruptibly(IovecStep write, int hostFd, byte* pointer, uint length, ulong done)
    {
        var moved = 0u;
        while (moved < length)
        {
            AwaitReady(hostFd, LibC.PollOut);
            var chunk = Math.Min(length - moved, BlockingWriteChunk);
            var result = write(pointer + moved, chunk, done + moved);
            if (result < 0 && LibC.Errno is Eagain or Eintr)
            {
                continue;
            }
            if (result < 0)
            {
                return moved > 0 ? (nint)moved : result;
            }
            moved += (uint)result;
            if (result < chunk)
            {
                break;
            }
        }
        return (nint)moved;
    }
}
