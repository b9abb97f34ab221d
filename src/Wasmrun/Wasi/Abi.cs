// The wasi_snapshot_preview1 ABI: flag values, enumerations and the byte layout of the structures guests pass.
namespace Wasmrun.Wasi;

internal static class Rights
{
    public const ulong FdDatasync = 1UL << 0, FdRead = 1UL << 1, FdSeek = 1UL << 2, FdFdstatSetFlags = 1UL << 3;
    public const ulong FdSync = 1UL << 4, FdTell = 1UL << 5, FdWrite = 1UL << 6, FdAdvise = 1UL << 7, FdAllocate = 1UL << 8;
    public const ulong PathCreateDirectory = 1UL << 9, PathCreateFile = 1UL << 10, PathLinkSource = 1UL << 11;
    public const ulong PathLinkTarget = 1UL << 12, PathOpen = 1UL << 13, FdReaddir = 1UL << 14, PathReadlink = 1UL << 15;
    public const ulong PathRenameSource = 1UL << 16, PathRenameTarget = 1UL << 17, PathFilestatGet = 1UL << 18;
    public const ulong PathFilestatSetSize = 1UL << 19, PathFilestatSetTimes = 1UL << 20, FdFilestatGet = 1UL << 21;
    public const ulong FdFilestatSetSize = 1UL << 22, FdFilestatSetTimes = 1UL << 23, PathSymlink = 1UL << 24;
    public const ulong PathRemoveDirectory = 1UL << 25, PathUnlinkFile = 1UL << 26, PollFdReadwrite = 1UL << 27;
    public const ulong SockShutdown = 1UL << 28, SockAccept = 1UL << 29;
    public const ulong All = (1UL << 30) - 1;

    /// <summary>What writes: a read-only preopen (--dir-ro) and everything opened below it lose these.</summary>
    public const ulong Writing = FdDatasync | FdFdstatSetFlags | FdSync | FdWrite | FdAllocate | PathCreateDirectory
        | PathCreateFile | PathLinkTarget | PathRenameSource | PathRenameTarget | PathFilestatSetSize | PathFilestatSetTimes
        | FdFilestatSetSize | FdFilestatSetTimes | PathSymlink | PathRemoveDirectory | PathUnlinkFile | PathLinkSource;

    public const ulong Directory = PathCreateDirectory | PathCreateFile | PathLinkSource | PathLinkTarget | PathOpen
        | FdReaddir | PathReadlink | PathRenameSource | PathRenameTarget | PathFilestatGet | PathFilestatSetSize
        | PathFilestatSetTimes | FdFilestatGet | FdFilestatSetTimes | PathSymlink | PathRemoveDirectory | PathUnlinkFile
        | FdFdstatSetFlags | FdSync | FdDatasync | PollFdReadwrite;

    public const ulong File = FdDatasync | FdRead | FdSeek | FdFdstatSetFlags | FdSync | FdTell | FdWrite | FdAdvise
        | FdAllocate | FdFilestatGet | FdFilestatSetSize | FdFilestatSetTimes | PollFdReadwrite;
}

internal enum FileType : byte
{
    Unknown = 0,
    BlockDevice = 1,
    CharacterDevice = 2,
    Directory = 3,
    RegularFile = 4,
    SocketDgram = 5,
    SocketStream = 6,
    SymbolicLink = 7,
}

internal static class FdFlags
{
    public const ushort Append = 1, DSync = 2, NonBlock = 4, RSync = 8, Sync = 16;
}

internal static class OFlags
{
    public const ushort Creat = 1, Directory = 2, Excl = 4, Trunc = 8;
}

internal static class FstFlags
{
    public const ushort Atim = 1, AtimNow = 2, Mtim = 4, MtimNow = 8;
}

internal static class Clocks
{
    public const int Realtime = 0, Monotonic = 1, ProcessCpu = 2, ThreadCpu = 3;
}

/// <summary>Byte offsets of the structures of the ABI.</summary>
internal static class Layout
{
    public const int FdstatSize = 24, FdstatFlags = 2, FdstatRightsBase = 8, FdstatRightsInheriting = 16;
    public const int FilestatSize = 64, FilestatIno = 8, FilestatType = 16, FilestatNlink = 24, FilestatSize_ = 32;
    public const int FilestatAtim = 40, FilestatMtim = 48, FilestatCtim = 56;
    public const int DirentSize = 24, DirentIno = 8, DirentNamlen = 16, DirentType = 20;
    public const int SubscriptionSize = 48, EventSize = 32;
}
