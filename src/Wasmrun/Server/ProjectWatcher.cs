// Watches a project (or a served file's folder) and reports the changed files in batches: a batch ends when
// nothing has changed for the quiet time (an editor's save is often several events), or at the latest after the
// longest wait. Folders that hold no inputs (node_modules, .git, target, the output folder) are not watched at all:
// on Linux every watched folder costs an inotify watch, and node_modules alone can have thousands.
namespace Wasmrun.Server;

internal sealed class ProjectWatcher : IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(400);
    private const string ManyFiles = "(many files)";

    private readonly string root;
    private readonly Func<string, bool> isInput;
    private readonly Func<string, bool> isSkippedFolder;
    private readonly Action<IReadOnlyList<string>> onChange;
    private readonly Lock gate = new();
    private readonly SortedSet<string> pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileSystemWatcher> watchers = new(StringComparer.Ordinal);
    private readonly Timer timer;
    private DateTime firstPending;
    private bool disposed;

    /// <param name="root">The folder to watch.</param>
    /// <param name="isInput">Whether a changed file (relative, '/'-separated) counts.</param>
    /// <param name="isSkippedFolder">Whether a top-level folder (relative) is left unwatched.</param>
    /// <param name="onChange">Called with each batch (relative paths, sorted), one batch at a time.</param>
    public ProjectWatcher(string root, Func<string, bool> isInput, Func<string, bool> isSkippedFolder, Action<IReadOnlyList<string>> onChange)
    {
        this.root = root;
        this.isInput = isInput;
        this.isSkippedFolder = isSkippedFolder;
        this.onChange = onChange;
        timer = new Timer(_ => Flush());
        // The root itself without its subfolders, then each top-level folder with all of its own.
        Watch(root, recursive: false);
        foreach (var folder in Directory.EnumerateDirectories(root))
        {
            WatchTopLevel(folder);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            timer.Dispose();
            foreach (var watcher in watchers.Values)
            {
                watcher.Dispose();
            }
            watchers.Clear();
        }
    }

    private void WatchTopLevel(string folder)
    {
        var name = Path.GetFileName(folder);
        if (!isSkippedFolder(name) && new DirectoryInfo(folder).LinkTarget is null)
        {
            Watch(folder, recursive: true);
        }
    }

    private void Watch(string folder, bool recursive)
    {
        var watcher = new FileSystemWatcher(folder)
        {
            IncludeSubdirectories = recursive,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            InternalBufferSize = 64 * 1024,
        };
        watcher.Changed += (_, e) => Seen(e.FullPath);
        watcher.Created += (_, e) => Created(e.FullPath, recursive);
        watcher.Deleted += (_, e) => Seen(e.FullPath);
        watcher.Renamed += (_, e) =>
        {
            Seen(e.OldFullPath);
            Created(e.FullPath, recursive);
        };
        // Too many events at once (the kernel's queue overflowed): which files changed is lost, so build anyway.
        watcher.Error += (_, _) => Add(ManyFiles);
        lock (gate)
        {
            if (disposed)
            {
                watcher.Dispose();
                return;
            }
            watchers[folder] = watcher;
        }
        watcher.EnableRaisingEvents = true;
    }

    private void Created(string path, bool underRecursiveWatch)
    {
        if (!underRecursiveWatch && Directory.Exists(path))
        {
            // A new top-level folder: watch it from now on, and take what is already in it (a `git checkout`, a copy).
            WatchTopLevel(path);
            if (!isSkippedFolder(Path.GetFileName(path)))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
                {
                    Seen(file);
                }
            }
            return;
        }
        Seen(path);
    }

    private void Seen(string path)
    {
        var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
        if (isInput(relative))
        {
            Add(relative);
        }
    }

    private void Add(string relative)
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }
            if (pending.Count == 0)
            {
                firstPending = DateTime.UtcNow;
            }
            pending.Add(relative);
            var waited = DateTime.UtcNow - firstPending;
            timer.Change(waited + Quiet >= Longest ? TimeSpan.Zero : Quiet, Timeout.InfiniteTimeSpan);
        }
    }

    private void Flush()
    {
        string[] batch;
        lock (gate)
        {
            if (disposed || pending.Count == 0)
            {
                return;
            }
            batch = [.. pending];
            pending.Clear();
        }
        // The callback serializes builds itself; changes seen during one make the next batch.
        onChange(batch);
    }
}
