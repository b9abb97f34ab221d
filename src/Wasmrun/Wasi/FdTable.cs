// The guest's file descriptors: each maps to a host POSIX fd with the WASI rights and flags it was given.
namespace Wasmrun.Wasi;

internal sealed class WasiFd
{
    public required int HostFd { get; init; }

    public required FileType Type { get; init; }

    public ulong RightsBase { get; set; }

    public ulong RightsInheriting { get; set; }

    public ushort Flags { get; set; }

    /// <summary>For a preopened directory: the name the guest sees it under.</summary>
    public string? PreopenName { get; init; }

    /// <summary>Stdin, stdout and stderr are the process's own: closing them in the guest leaves the host's open.</summary>
    public bool OwnsHostFd { get; init; } = true;

    /// <summary>For a captured stdout or stderr: where its writes go instead of HostFd.</summary>
    public Action<ReadOnlySpan<byte>>? Capture { get; init; }

    public bool IsSocket => Type is FileType.SocketStream or FileType.SocketDgram;
}

internal sealed class FdTable(int capacity)
{
    private readonly List<WasiFd?> entries = [];
    private int open;

    /// <summary>Whether one more fd may be opened (EMFILE otherwise).</summary>
    public bool HasRoom => open < capacity;

    /// <summary>The entry for a guest fd with all of the given rights: EBADF when there is none, ENOTCAPABLE when it
    /// lacks a right.</summary>
    public Errno Get(int fd, ulong rights, out WasiFd entry)
    {
        entry = null!;
        if (fd < 0 || fd >= entries.Count || entries[fd] is not { } found)
        {
            return Errno.BadF;
        }
        entry = found;
        return (found.RightsBase & rights) == rights ? Errno.Success : Errno.NotCapable;
    }

    /// <summary>Adds at the lowest free number, as POSIX does.</summary>
    public int Add(WasiFd fd)
    {
        open++;
        var free = entries.IndexOf(null);
        if (free >= 0)
        {
            entries[free] = fd;
            return free;
        }
        entries.Add(fd);
        return entries.Count - 1;
    }

    public Errno Close(int fd)
    {
        var errno = Get(fd, 0, out var entry);
        if (errno != Errno.Success)
        {
            return errno;
        }
        entries[fd] = null;
        open--;
        Release(entry);
        return Errno.Success;
    }

    /// <summary>fd_renumber: `to` (which must be open) is closed and `from` takes its number.</summary>
    public Errno Renumber(int from, int to)
    {
        var errno = Get(from, 0, out var source);
        if (errno != Errno.Success || (errno = Get(to, 0, out var target)) != Errno.Success)
        {
            return errno;
        }
        if (from != to)
        {
            Release(target);
            open--;
            entries[to] = source;
            entries[from] = null;
        }
        return Errno.Success;
    }

    public void CloseAll()
    {
        foreach (var entry in entries)
        {
            if (entry is not null)
            {
                Release(entry);
            }
        }
        entries.Clear();
        open = 0;
    }

    private static void Release(WasiFd entry)
    {
        if (entry.OwnsHostFd)
        {
            Posix.LibC.close(entry.HostFd);
        }
    }
}
