// wasi_snapshot_preview1 for one program: its arguments, environment, clocks, randomness, process functions and
// the file descriptor table; files, paths, polling and sockets are in the other Preview1.*.cs parts. Every function
// is a host function returning an errno; a bad guest pointer is EFAULT.
using System.Text;
using Wasmrun.Engine;
using Wasmrun.Engine.Runtime;
using Wasmrun.Wasi.Posix;

namespace Wasmrun.Wasi;

internal sealed unsafe partial class Preview1 : IDisposable
{
    public const string ModuleName = Module.WasiPreview1;

    public const string UnstableModuleName = Module.WasiUnstable;

    private delegate Errno Handler(HostCall call, GuestMemory memory);

    private readonly byte[][] arguments;
    private readonly byte[][] environment;
    private readonly FdTable fds;

    private Preview1(WasiOptions options)
    {
        fds = new FdTable(options.MaxOpenFiles);
        arguments = [.. options.Arguments.Select(Encoding.UTF8.GetBytes)];
        environment = [.. options.Environment.Select(pair => Encoding.UTF8.GetBytes($"{pair.Key}={pair.Value}"))];
        AddStdio(options.Stdio.In, Rights.FdRead, capture: null);
        AddStdio(options.Stdio.Out, Rights.FdWrite, options.Stdio.Capture is { } capture ? bytes => capture(false, bytes) : null);
        AddStdio(options.Stdio.Err, Rights.FdWrite, options.Stdio.Capture is { } captureErr ? bytes => captureErr(true, bytes) : null);
        foreach (var preopen in options.Preopens)
        {
            var hostFd = LibC.openat(LibC.AtFdCwd, preopen.HostPath, LibC.ORdOnly | LibC.ODirectory | LibC.OCloExec, 0);
            if (hostFd < 0)
            {
                fds.CloseAll();
                throw new WasmrunException($"--dir {preopen.HostPath}: cannot open the directory ({Errnos.FromLinux(LibC.Errno).ToString().ToLowerInvariant()})")
                {
                    Hint = "give an existing directory you can read",
                };
            }
            var rights = preopen.ReadOnly ? Rights.All & ~Rights.Writing : Rights.All;
            fds.Add(new WasiFd
            {
                HostFd = hostFd,
                Type = FileType.Directory,
                RightsBase = rights & Rights.Directory,
                RightsInheriting = rights,
                PreopenName = preopen.GuestPath,
            });
        }
    }

    /// <summary>Defines every function for a program under both module names.</summary>
    public static Preview1 Define(Store store, Linker linker, WasiOptions options)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new WasmrunException("WASI programs need a Linux host: the WASI sandbox is built on Linux's openat2")
            {
                Hint = "run WASI programs on Linux (modules without WASI imports run anywhere)",
            };
        }
        var wasi = new Preview1(options);
        wasi.WakeOn(store.Interruption);
        wasi.Register(store, linker);
        return wasi;
    }

    public void Dispose()
    {
        CloseWake();
        fds.CloseAll();
    }

    private void AddStdio(int hostFd, ulong rights, Action<ReadOnlySpan<byte>>? capture)
    {
        var type = LibC.isatty(hostFd) == 1 ? FileType.CharacterDevice : TypeOf(hostFd);
        fds.Add(new WasiFd
        {
            HostFd = hostFd,
            Type = type,
            RightsBase = rights | Rights.FdFdstatSetFlags | Rights.FdFilestatGet | Rights.PollFdReadwrite | Rights.FdSync | Rights.FdDatasync,
            RightsInheriting = 0,
            OwnsHostFd = false,
            Capture = capture,
        });
    }

    private void Register(Store store, Linker linker)
    {
        // Signatures: one letter per parameter (i = i32, l = i64); every function returns an errno (i32).
        void Add(string name, string signature, Handler handler, bool unstableToo = true)
        {
            var type = new FuncType([.. signature.Select(c => c == 'l' ? ValType.I64 : ValType.I32)], [ValType.I32]);
            var function = FunctionInstance.FromHost(store, type, name, call => call.Slots[0] = (ushort)Invoke(handler, call));
            linker.Define(ModuleName, name, Extern.Of(function));
            if (unstableToo)
            {
                linker.Define(UnstableModuleName, name, Extern.Of(function));
            }
        }

        Add("args_get", "ii", (c, m) => WriteStrings(m, arguments, (uint)c.I32(0), (uint)c.I32(1)));
        Add("args_sizes_get", "ii", (c, m) => WriteSizes(m, arguments, (uint)c.I32(0), (uint)c.I32(1)));
        Add("environ_get", "ii", (c, m) => WriteStrings(m, environment, (uint)c.I32(0), (uint)c.I32(1)));
        Add("environ_sizes_get", "ii", (c, m) => WriteSizes(m, environment, (uint)c.I32(0), (uint)c.I32(1)));
        Add("clock_res_get", "ii", ClockResGet);
        Add("clock_time_get", "ili", ClockTimeGet);
        Add("random_get", "ii", (c, m) => RandomGet(m.Bytes((uint)c.I32(0), (uint)c.I32(1))));
        Add("sched_yield", "", (_, _) =>
        {
            Thread.Yield();
            return Errno.Success;
        });
        Add("proc_raise", "i", ProcRaise);
        var exitType = new FuncType([ValType.I32], []);
        var exit = FunctionInstance.FromHost(store, exitType, "proc_exit", call => throw ProcExit((uint)call.I32(0)));
        linker.Define(ModuleName, "proc_exit", Extern.Of(exit));
        linker.Define(UnstableModuleName, "proc_exit", Extern.Of(exit));

        Add("fd_advise", "illi", FdAdvise);
        Add("fd_allocate", "ill", FdAllocate);
        Add("fd_close", "i", (c, _) => fds.Close(c.I32(0)));
        Add("fd_datasync", "i", (c, _) => Sync(c.I32(0), Rights.FdDatasync, data: true));
        Add("fd_sync", "i", (c, _) => Sync(c.I32(0), Rights.FdSync, data: false));
        Add("fd_fdstat_get", "ii", FdFdstatGet);
        Add("fd_fdstat_set_flags", "ii", FdFdstatSetFlags);
        Add("fd_fdstat_set_rights", "ill", FdFdstatSetRights);
        Add("fd_filestat_get", "ii", FdFilestatGet, unstableToo: false);
        Add("fd_filestat_set_size", "il", FdFilestatSetSize);
        Add("fd_filestat_set_times", "illi", FdFilestatSetTimes);
        Add("fd_pread", "iiili", FdPread);
        Add("fd_pwrite", "iiili", FdPwrite);
        Add("fd_prestat_get", "ii", FdPrestatGet);
        Add("fd_prestat_dir_name", "iii", FdPrestatDirName);
        Add("fd_read", "iiii", FdRead);
        Add("fd_write", "iiii", FdWrite);
        Add("fd_readdir", "iiili", FdReaddir);
        Add("fd_renumber", "ii", (c, _) => fds.Renumber(c.I32(0), c.I32(1)));
        Add("fd_seek", "ilii", FdSeek, unstableToo: false);
        Add("fd_tell", "ii", FdTell);

        Add("path_create_directory", "iii", PathCreateDirectory);
        Add("path_filestat_get", "iiiii", PathFilestatGet, unstableToo: false);
        Add("path_filestat_set_times", "iiiilli", PathFilestatSetTimes);
        Add("path_link", "iiiiiii", PathLink);
        Add("path_open", "iiiiillii", PathOpen);
        Add("path_readlink", "iiiiii", PathReadlink);
        Add("path_remove_directory", "iii", PathRemoveDirectory);
        Add("path_rename", "iiiiii", PathRename);
        Add("path_symlink", "iiiii", PathSymlink);
        Add("path_unlink_file", "iii", PathUnlinkFile);

        Add("poll_oneoff", "iiii", PollOneoff, unstableToo: false);
        Add("sock_accept", "iii", SockAccept);
        Add("sock_recv", "iiiiii", SockRecv);
        Add("sock_send", "iiiii", SockSend);
        Add("sock_shutdown", "ii", SockShutdown);
    }

    private static Errno Invoke(Handler handler, HostCall call)
    {
        try
        {
            return handler(call, new GuestMemory(call.Caller?.Memory0));
        }
        catch (GuestFault)
        {
            return Errno.Fault;
        }
    }

    // --- Arguments and environment: an array of pointers into one buffer of NUL-terminated strings ---

    private static Errno WriteStrings(GuestMemory memory, byte[][] strings, uint pointers, uint buffer)
    {
        foreach (var text in strings)
        {
            memory.SetU32(pointers, buffer);
            pointers += 4;
            text.CopyTo(memory.Bytes(buffer, (uint)text.Length));
            memory.SetU8(buffer + (uint)text.Length, 0);
            buffer += (uint)text.Length + 1;
        }
        return Errno.Success;
    }

    private static Errno WriteSizes(GuestMemory memory, byte[][] strings, uint count, uint size)
    {
        memory.SetU32(count, (uint)strings.Length);
        memory.SetU32(size, (uint)strings.Sum(s => s.Length + 1));
        return Errno.Success;
    }

    /// <summary>The kernel's CSPRNG (getrandom(2)), read directly: the managed RandomNumberGenerator would load OpenSSL,
    /// which costs a short program more than it runs.</summary>
    private static Errno RandomGet(Span<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            for (var done = 0; done < buffer.Length;)
            {
                var read = LibC.getrandom(start + done, (nuint)(buffer.Length - done), 0);
                if (read < 0)
                {
                    if (LibC.Errno == 4)
                    {
                        continue;
                    }
                    return Errnos.FromLinux(LibC.Errno);
                }
                done += (int)read;
            }
        }
        return Errno.Success;
    }

    // --- Clocks (realtime, monotonic, process and thread CPU time), in nanoseconds ---

    private static Errno ClockResGet(HostCall call, GuestMemory memory)
    {
        var clock = call.I32(0);
        if (clock is < Clocks.Realtime or > Clocks.ThreadCpu)
        {
            return Errno.Inval;
        }
        LibC.Timespec resolution;
        if (LibC.clock_getres(clock, &resolution) != 0)
        {
            return Errnos.FromLinux(LibC.Errno);
        }
        memory.SetU64((uint)call.I32(1), (ulong)(resolution.Seconds * 1_000_000_000 + resolution.Nanoseconds));
        return Errno.Success;
    }

    private static Errno ClockTimeGet(HostCall call, GuestMemory memory)
    {
        var errno = Now(call.I32(0), out var time);
        if (errno == Errno.Success)
        {
            memory.SetU64((uint)call.I32(2), time);
        }
        return errno;
    }

    private static Errno Now(int clock, out ulong nanoseconds)
    {
        nanoseconds = 0;
        if (clock is < Clocks.Realtime or > Clocks.ThreadCpu)
        {
            return Errno.Inval;
        }
        LibC.Timespec time;
        if (LibC.clock_gettime(clock, &time) != 0)
        {
            return Errnos.FromLinux(LibC.Errno);
        }
        nanoseconds = (ulong)(time.Seconds * 1_000_000_000 + time.Nanoseconds);
        return Errno.Success;
    }

    /// <summary>A process status is one byte: a larger one would reach the parent as its low byte (256 as 0, success),
    /// so it is a failure of its own, a trap, as wasmtime refuses statuses it cannot pass on.</summary>
    private static Exception ProcExit(uint status) => status <= 255
        ? new WasiExit((int)status)
        : new TrapException(TrapCode.HostFailure, [], $"proc_exit({status}): an exit status must be 0 to 255");

    /// <summary>A signal ends the program as the signal would end a process: status 128 + the signal number.</summary>
    private static Errno ProcRaise(HostCall call, GuestMemory memory)
    {
        var signal = call.I32(0);
        if (signal is < 0 or > 30)
        {
            return Errno.Inval;
        }
        if (signal == 0)
        {
            return Errno.Success;
        }
        throw new WasiExit(128 + signal);
    }

    private static FileType TypeOf(int hostFd)
    {
        LibC.Statx stat;
        return LibC.statx(hostFd, Empty, LibC.AtEmptyPath, LibC.StatxBasicStats, &stat) == 0 ? TypeOf(stat.Mode) : FileType.Unknown;
    }

    private static FileType TypeOf(ushort mode) => (mode & LibC.SIfMt) switch
    {
        LibC.SIfReg => FileType.RegularFile,
        LibC.SIfDir => FileType.Directory,
        LibC.SIfLnk => FileType.SymbolicLink,
        LibC.SIfChr => FileType.CharacterDevice,
        LibC.SIfBlk => FileType.BlockDevice,
        LibC.SIfSock => FileType.SocketStream,
        _ => FileType.Unknown,
    };

    /// <summary>An empty C string, for the *at calls that act on the fd itself (AT_EMPTY_PATH).</summary>
    private static readonly byte* Empty = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(1);
}
