// wasi_snapshot_preview1 poll_oneoff (clock and fd subscriptions, stdin included) and the sock_* functions, which
// act on sockets the program inherited and fail with EBADF or ENOTSOCK on anything else.
using Wasmrun.Engine.Runtime;
using Wasmrun.Wasi.Posix;

namespace Wasmrun.Wasi;

internal sealed unsafe partial class Preview1
{
    private const byte EventClock = 0, EventFdRead = 1, EventFdWrite = 2;
    private const ushort SubclockAbstime = 1;
    private const ushort EventFdReadwriteHangup = 1;

    /// <summary>The most subscriptions one poll_oneoff takes (EINVAL beyond, as poll(2) refuses more fds than the
    /// process may open): far above what programs poll, and the host's bookkeeping for them stays small.</summary>
    private const uint MaxSubscriptions = 1 << 16;

    /// <summary>Waits until a subscribed fd is ready or the earliest clock subscription expires, then reports every
    /// subscription that is ready (spec: at least one event).</summary>
    private Errno PollOneoff(HostCall call, GuestMemory memory)
    {
        uint input = (uint)call.I32(0), output = (uint)call.I32(1), count = (uint)call.I32(2);
        if (count == 0 || count > MaxSubscriptions)
        {
            return Errno.Inval;
        }
        // Both arrays must be in memory before anything is allocated for them.
        memory.Check(input, count * (uint)Layout.SubscriptionSize);
        memory.Check(output, count * (uint)Layout.EventSize);
        var subscriptions = new (ulong UserData, byte Type, int Fd, ulong Deadline, Errno Error)[count];
        var polled = new List<LibC.PollFd>();
        var pollIndex = new List<int>();
        ulong? earliest = null;
        Now(Clocks.Monotonic, out var now);
        for (var i = 0u; i < count; i++)
        {
            var at = input + i * Layout.SubscriptionSize;
            var userData = memory.U64(at);
            var type = memory.U8(at + 8);
            switch (type)
            {
                case EventClock:
                    {
                        var clock = (int)memory.U32(at + 16);
                        var timeout = memory.U64(at + 24);
                        var flags = memory.U16(at + 40);
                        var errno = Now(clock, out var clockNow);
                        var deadline = (flags & SubclockAbstime) != 0
                            ? now + (timeout > clockNow ? timeout - clockNow : 0)
                            : now + timeout;
                        subscriptions[i] = (userData, type, -1, deadline, errno);
                        if (errno == Errno.Success)
                        {
                            earliest = Math.Min(earliest ?? ulong.MaxValue, deadline);
                        }
                        break;
                    }
                case EventFdRead or EventFdWrite:
                    {
                        var guestFd = (int)memory.U32(at + 16);
                        var errno = fds.Get(guestFd, Rights.PollFdReadwrite, out var fd);
                        subscriptions[i] = (userData, type, errno == Errno.Success ? fd.HostFd : -1, 0, errno);
                        if (errno == Errno.Success)
                        {
                            polled.Add(new LibC.PollFd { Fd = fd.HostFd, Events = type == EventFdRead ? LibC.PollIn : LibC.PollOut });
                            pollIndex.Add((int)i);
                        }
                        break;
                    }
                default:
                    subscriptions[i] = (userData, type, -1, 0, Errno.Inval);
                    break;
            }
        }

        var anyFailed = subscriptions.Any(s => s.Error != Errno.Success);
        var pollArray = polled.ToArray();
        if (!anyFailed && Wait(pollArray, earliest) < 0)
        {
            return Errnos.FromLinux(LibC.Errno);
        }

        Now(Clocks.Monotonic, out var after);
        uint events = 0;
        for (var i = 0; i < subscriptions.Length; i++)
        {
            var (userData, type, hostFd, deadline, error) = subscriptions[i];
            ushort flags = 0;
            ulong bytes = 0;
            var ready = error != Errno.Success;
            if (!ready && type == EventClock)
            {
                ready = after >= deadline && !anyFailed;
            }
            else if (!ready)
            {
                var revents = pollArray[pollIndex.IndexOf(i)].Revents;
                ready = revents != 0;
                flags = (revents & LibC.PollHup) != 0 ? EventFdReadwriteHangup : (ushort)0;
                bytes = type == EventFdRead ? Readable(hostFd) : 0;
            }
            if (!ready)
            {
                continue;
            }
            var at = output + events * Layout.EventSize;
            memory.Bytes(at, Layout.EventSize).Clear();
            memory.SetU64(at, userData);
            memory.SetU16(at + 8, (ushort)error);
            memory.SetU8(at + 10, type);
            memory.SetU64(at + 16, bytes);
            memory.SetU16(at + 24, flags);
            events++;
        }
        memory.SetU32((uint)call.I32(3), events);
        return Errno.Success;
    }

    /// <summary>Bytes available to read: FIONREAD for pipes, sockets and terminals; the rest of a regular file.</summary>
    private static ulong Readable(int hostFd)
    {
        int available;
        if (LibC.ioctl(hostFd, LibC.FionRead, &available) == 0 && available > 0)
        {
            return (ulong)available;
        }
        LibC.Statx stat;
        if (LibC.statx(hostFd, Empty, LibC.AtEmptyPath, LibC.StatxBasicStats, &stat) == 0 && (stat.Mode & LibC.SIfMt) == LibC.SIfReg)
        {
            var position = LibC.lseek(hostFd, 0, LibC.SeekCur);
            return position >= 0 && (ulong)position < stat.Size ? stat.Size - (ulong)position : 0;
        }
        return 0;
    }

    private Errno Socket(int guestFd, out WasiFd fd)
    {
        var errno = fds.Get(guestFd, 0, out fd);
        return errno != Errno.Success ? errno : fd.IsSocket ? Errno.Success : Errno.NotSock;
    }

    private Errno SockAccept(HostCall call, GuestMemory memory)
    {
        var errno = Socket(call.I32(0), out var fd);
        if (errno != Errno.Success)
        {
            return errno;
        }
        if ((fd.RightsBase & Rights.SockAccept) == 0)
        {
            return Errno.NotCapable;
        }
        if (!fds.HasRoom)
        {
            return Errno.MFile;
        }
        if (MayBlock(fd))
        {
            AwaitReady(fd.HostFd, LibC.PollIn);
        }
        var flags = (ushort)call.I32(1);
        var accepted = LibC.accept4(fd.HostFd, null, null, LibC.OCloExec | ((flags & FdFlags.NonBlock) != 0 ? LibC.ONonBlock : 0));
        if (accepted < 0)
        {
            return Errnos.FromLinux(LibC.Errno);
        }
        var connection = new WasiFd
        {
            HostFd = accepted,
            Type = FileType.SocketStream,
            RightsBase = Rights.FdRead | Rights.FdWrite | Rights.PollFdReadwrite | Rights.SockShutdown | Rights.FdFdstatSetFlags | Rights.FdFilestatGet,
            RightsInheriting = 0,
            Flags = flags,
        };
        memory.SetU32((uint)call.I32(2), (uint)fds.Add(connection));
        return Errno.Success;
    }

    private Errno SockRecv(HostCall call, GuestMemory memory)
    {
        var errno = Socket(call.I32(0), out var fd);
        if (errno != Errno.Success)
        {
            return errno;
        }
        // riflags: 1 = peek, 2 = waitall (MSG_PEEK = 2, MSG_WAITALL = 0x100 on Linux).
        var riflags = call.I32(3);
        var flags = ((riflags & 1) != 0 ? 2 : 0) | ((riflags & 2) != 0 ? 0x100 : 0);
        var host = fd.HostFd;
        IovecStep step = (pointer, length, _) => LibC.recv(host, pointer, length, flags);
        errno = EachIovec(memory, (uint)call.I32(1), (uint)call.I32(2), MayBlock(fd) ? Interruptible(step, host, write: false) : step, out var total);
        if (errno == Errno.Success)
        {
            memory.SetU32((uint)call.I32(4), (uint)total);
            memory.SetU16((uint)call.I32(5), 0);
        }
        return errno;
    }

    private Errno SockSend(HostCall call, GuestMemory memory)
    {
        var errno = Socket(call.I32(0), out var fd);
        if (errno != Errno.Success)
        {
            return errno;
        }
        var host = fd.HostFd;
        // MSG_NOSIGNAL: a closed peer is EPIPE to the guest, not SIGPIPE to wasmrun.
        IovecStep step = (pointer, length, _) => LibC.send(host, pointer, length, 0x4000);
        errno = EachIovec(memory, (uint)call.I32(1), (uint)call.I32(2), MayBlock(fd) ? Interruptible(step, host, write: true) : step, out var total);
        if (errno == Errno.Success)
        {
            memory.SetU32((uint)call.I32(4), (uint)total);
        }
        return errno;
    }

    private Errno SockShutdown(HostCall call, GuestMemory memory)
    {
        var errno = Socket(call.I32(0), out var fd);
        if (errno != Errno.Success)
        {
            return errno;
        }
        if ((fd.RightsBase & Rights.SockShutdown) == 0)
        {
            return Errno.NotCapable;
        }
        // sdflags: 1 = read, 2 = write; SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2.
        var how = call.I32(1) switch { 1 => 0, 2 => 1, 3 => 2, _ => -1 };
        return how < 0 ? Errno.Inval : Result(LibC.shutdown(fd.HostFd, how));
    }
}
