// Sandbox attack: tries every way to change a read-only preopen (--dir-ro), RO_DIR, including moving or linking its
// files into a writable preopen, RW_DIR. One line per attempt; the controls show reading (and writing RW_DIR) works.
// usage: readonly RO_DIR RW_DIR
#include "sandbox.h"
#include <sys/time.h>

static const char *rw_dir;

static const char *in_rw(const char *relative) {
    static char buffer[512];
    snprintf(buffer, sizeof buffer, "%s/%s", rw_dir, relative);
    return buffer;
}

// Opens with `flags`, then runs one operation on the descriptor: the line reports whichever step failed.
static void attempt_on_fd(const char *name, const char *path, int flags, int operation) {
    errno = 0;
    int fd = open(path, flags);
    if (fd < 0) {
        report(name, errno, NULL);
        return;
    }
    int error = 0;
    errno = 0;
    switch (operation) {
    case 0: error = check((int)write(fd, "x", 1)); break;
    case 1: error = check(ftruncate(fd, 0)); break;
    case 2: error = check(futimens(fd, NULL)); break;
    case 3: error = posix_fallocate(fd, 0, 4096); break;
    case 4: error = check((int)pwrite(fd, "x", 1, 0)); break;
    }
    close(fd);
    report(name, error, NULL);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        printf("usage: readonly RO_DIR RW_DIR\n");
        return 2;
    }
    guest_dir = argv[1];
    rw_dir = argv[2];
    __wasi_fd_t dir = preopen_fd(guest_dir);
    __wasi_fd_t opened;

    attempt_read("control-read", in_dir("file.txt"));
    attempt_read("control-read-subdir", in_dir("sub/nested.txt"));
    attempt_list("control-list", in_dir("sub"));
    report("control-write-rw", write_file(in_rw("control.txt"), O_CREAT), NULL);

    // Opening for writing.
    report("open-write", write_file(in_dir("file.txt"), 0), NULL);
    report("open-append", write_file(in_dir("file.txt"), O_APPEND), NULL);
    report("open-truncate", write_file(in_dir("file.txt"), O_TRUNC), NULL);
    attempt_on_fd("open-read-write", in_dir("file.txt"), O_RDWR, 0);
    report("create", write_file(in_dir("new.txt"), O_CREAT), NULL);
    report("create-exclusive", write_file(in_dir("new-excl.txt"), O_CREAT | O_EXCL), NULL);
    report("create-subdir", write_file(in_dir("sub/new.txt"), O_CREAT), NULL);
    report("write-subdir", write_file(in_dir("sub/nested.txt"), 0), NULL);
    {
        // Raw path_open asking for write rights without O_CREAT/O_TRUNC: the open or the write must fail.
        int error = __wasi_path_open(dir, 0, "file.txt", 0, all_rights, all_rights, 0, &opened);
        if (error == 0) {
            __wasi_size_t written;
            __wasi_ciovec_t data = {(const uint8_t *)"x", 1};
            error = __wasi_fd_write(opened, &data, 1, &written);
            (void)__wasi_fd_close(opened);
        }
        report("raw-open-write-rights", error, NULL);
    }

    // Changing through a read-only descriptor.
    attempt_on_fd("fd-write", in_dir("file.txt"), O_RDONLY, 0);
    attempt_on_fd("fd-pwrite", in_dir("file.txt"), O_RDONLY, 4);
    attempt_on_fd("fd-truncate", in_dir("file.txt"), O_RDONLY, 1);
    attempt_on_fd("fd-set-times", in_dir("file.txt"), O_RDONLY, 2);
    attempt_on_fd("fd-allocate", in_dir("file.txt"), O_RDONLY, 3);

    // Changing the tree.
    errno = 0;
    report("truncate", check(truncate(in_dir("file.txt"), 0)), NULL);
    errno = 0;
    report("set-times", check(utimensat(AT_FDCWD, in_dir("file.txt"), NULL, 0)), NULL);
    errno = 0;
    report("mkdir", check(mkdir(in_dir("newdir"), 0755)), NULL);
    errno = 0;
    report("rmdir", check(rmdir(in_dir("empty"))), NULL);
    errno = 0;
    report("unlink", check(unlink(in_dir("file.txt"))), NULL);
    errno = 0;
    report("unlink-subdir", check(unlink(in_dir("sub/nested.txt"))), NULL);
    errno = 0;
    report("rename-within", check(rename(in_dir("file.txt"), in_dir("renamed.txt"))), NULL);
    errno = 0;
    report("rename-to-rw", check(rename(in_dir("file.txt"), in_rw("moved.txt"))), NULL);
    errno = 0;
    report("rename-from-rw", check(rename(in_rw("control.txt"), in_dir("moved-in.txt"))), NULL);
    errno = 0;
    report("rename-over", check(rename(in_rw("control.txt"), in_dir("file.txt"))), NULL);
    errno = 0;
    report("link-within", check(link(in_dir("file.txt"), in_dir("hard.txt"))), NULL);
    errno = 0;
    report("link-to-rw", check(link(in_dir("file.txt"), in_rw("hard.txt"))), NULL);
    errno = 0;
    report("link-from-rw", check(link(in_rw("control.txt"), in_dir("hard-in.txt"))), NULL);
    errno = 0;
    report("symlink", check(symlink("file.txt", in_dir("link"))), NULL);

    attempt_read("control-read-after", in_dir("file.txt"));
    printf("done\n");
    return 0;
}
