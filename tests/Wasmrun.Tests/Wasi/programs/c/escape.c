// Sandbox attack: tries to leave the preopen GUEST_DIR through "..", absolute paths (also raw WASI calls that skip
// wasi-libc's path mapping), symlinks (pre-existing or its own), hard links and renames. One line per attempt.
// usage: escape GUEST_DIR HOST_ROOT   (HOST_ROOT: the host folder holding the preopen, for absolute-path attempts)
#include "sandbox.h"

// The raw import, so a path can carry an embedded NUL (wasi-libc's wrapper takes a C string).
__attribute__((import_module("wasi_snapshot_preview1"), import_name("path_open")))
int raw_path_open(int fd, int dirflags, const char *path, size_t path_len, int oflags, long long rights_base,
                  long long rights_inheriting, int fdflags, int *opened);

int main(int argc, char **argv) {
    if (argc != 3) {
        printf("usage: escape GUEST_DIR HOST_ROOT\n");
        return 2;
    }
    guest_dir = argv[1];
    const char *host_root = argv[2];
    char host_secret[512], host_created[512], host_dir_raw[512], host_moved[512], host_link[512];
    snprintf(host_secret, sizeof host_secret, "%s/secret.txt", host_root);
    snprintf(host_created, sizeof host_created, "%s/created-raw.txt", host_root);
    snprintf(host_dir_raw, sizeof host_dir_raw, "%s/newdir-raw", host_root);
    snprintf(host_moved, sizeof host_moved, "%s/moved-raw.txt", host_root);
    snprintf(host_link, sizeof host_link, "%s/link-raw", host_root);
    __wasi_fd_t dir = preopen_fd(guest_dir);
    struct stat st;
    __wasi_filestat_t filestat;
    __wasi_fd_t opened;
    int fd;

    // Controls: the preopen itself works and is named as the guest was told.
    {
        __wasi_prestat_t prestat;
        char name[512] = "";
        int error = __wasi_fd_prestat_get(dir, &prestat);
        if (error == 0) error = __wasi_fd_prestat_dir_name(dir, (uint8_t *)name, prestat.u.dir.pr_name_len);
        report("control-prestat-name", error, name);
    }
    attempt_read("control-read-inside", in_dir("inside.txt"));
    attempt_read("control-read-subdir", in_dir("sub/nested.txt"));

    // Reading outside through "..".
    attempt_read("read-dotdot", in_dir("../secret.txt"));
    attempt_read("read-dotdot-subdir", in_dir("sub/../../secret.txt"));
    attempt_read("read-dotdot-deep", in_dir("sub/../../../../../../../../../../etc/passwd"));
    attempt_read("read-dotdot-outside-dir", in_dir("../outside/secret2.txt"));
    errno = 0;
    report("stat-dotdot", check(stat(in_dir("../secret.txt"), &st)), NULL);
    attempt_list("list-dotdot", in_dir(".."));
    attempt_list("list-dotdot-subdir", in_dir("sub/../.."));

    // Absolute paths: through wasi-libc (which maps them onto preopens) and raw (relative to the preopen's fd).
    attempt_read("read-host-absolute", host_secret);
    attempt_read("read-etc-passwd", "/etc/passwd");
    report("raw-open-absolute", __wasi_path_open(dir, 0, host_secret, 0, all_rights, all_rights, 0, &opened), NULL);
    report("raw-open-etc-passwd", __wasi_path_open(dir, 0, "/etc/passwd", 0, all_rights, all_rights, 0, &opened), NULL);
    report("raw-open-dotdot", __wasi_path_open(dir, 0, "..", __WASI_OFLAGS_DIRECTORY, all_rights, all_rights, 0, &opened), NULL);
    report("raw-stat-absolute", __wasi_path_filestat_get(dir, 0, host_secret, &filestat), NULL);
    {
        static const char path[] = "inside.txt\0/../../secret.txt";
        int result = raw_path_open(dir, 0, path, sizeof path - 1, 0, all_rights, all_rights, 0, &fd);
        report("raw-open-embedded-nul", result, NULL);
    }

    // Symlinks the host put in the preopen, pointing outside (absolute and relative, to a file and a directory).
    attempt_read("hostlink-abs-read", in_dir("hostlink-abs"));
    attempt_read("hostlink-rel-read", in_dir("hostlink-rel"));
    attempt_read("hostlink-dir-read", in_dir("hostlink-dir/secret2.txt"));
    attempt_read("hostlink-dir-rel-read", in_dir("hostlink-dir-rel/secret2.txt"));
    errno = 0;
    report("hostlink-abs-stat", check(stat(in_dir("hostlink-abs"), &st)), NULL);
    attempt_list("hostlink-dir-list", in_dir("hostlink-dir"));
    report("hostlink-abs-write", write_file(in_dir("hostlink-abs"), O_TRUNC), NULL);
    report("hostlink-dir-create", write_file(in_dir("hostlink-dir/created.txt"), O_CREAT), NULL);
    errno = 0;
    report("hostlink-dir-unlink", check(unlink(in_dir("hostlink-dir/secret2.txt"))), NULL);
    errno = 0;
    report("hostlink-dir-mkdir", check(mkdir(in_dir("hostlink-dir/newdir"), 0755)), NULL);
    attempt_readlink("hostlink-abs-readlink", in_dir("hostlink-abs"));
    attempt_readlink("hostlink-rel-readlink", in_dir("hostlink-rel"));

    // Symlinks the guest creates (creating may be allowed; following them out must not be).
    errno = 0;
    report("guestlink-abs-create", check(symlink(host_secret, in_dir("guestlink-abs"))), NULL);
    attempt_read("guestlink-abs-read", in_dir("guestlink-abs"));
    errno = 0;
    report("guestlink-etc-create", check(symlink("/etc/passwd", in_dir("guestlink-etc"))), NULL);
    attempt_read("guestlink-etc-read", in_dir("guestlink-etc"));
    errno = 0;
    report("guestlink-dotdot-create", check(symlink("../secret.txt", in_dir("guestlink-dotdot"))), NULL);
    attempt_read("guestlink-dotdot-read", in_dir("guestlink-dotdot"));
    errno = 0;
    report("guestlink-dotdot2-create", check(symlink("../../secret.txt", in_dir("sub/guestlink-dotdot2"))), NULL);
    attempt_read("guestlink-dotdot2-read", in_dir("sub/guestlink-dotdot2"));
    errno = 0;
    report("guestlink-up-create", check(symlink("..", in_dir("guestlink-up"))), NULL);
    attempt_read("guestlink-up-read", in_dir("guestlink-up/secret.txt"));
    report("guestlink-up-create-file", write_file(in_dir("guestlink-up/created-via-link.txt"), O_CREAT), NULL);
    errno = 0;
    report("guestlink-chain-create", check(symlink("sub/../guestlink-up/outside", in_dir("guestlink-chain"))), NULL);
    attempt_read("guestlink-chain-read", in_dir("guestlink-chain/secret2.txt"));

    // Hard links: to a file outside, through a symlink (following it), and from inside to outside.
    errno = 0;
    report("link-dotdot-in", check(link(in_dir("../secret.txt"), in_dir("hardlink-in"))), NULL);
    errno = 0;
    report("link-absolute-in", check(link(host_secret, in_dir("hardlink-abs"))), NULL);
    report("raw-link-follow-hostlink", __wasi_path_link(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "hostlink-abs", dir, "hardlink-follow"), NULL);
    attempt_read("raw-link-follow-read", in_dir("hardlink-follow"));
    errno = 0;
    report("link-inside-out", check(link(in_dir("inside.txt"), in_dir("../hardlink-out.txt"))), NULL);
    report("raw-link-absolute-out", __wasi_path_link(dir, 0, "inside.txt", dir, host_link), NULL);

    // Renames that move files out of, or into, the preopen.
    errno = 0;
    report("rename-out", check(rename(in_dir("inside.txt"), in_dir("../moved-out.txt"))), NULL);
    errno = 0;
    report("rename-in", check(rename(in_dir("../secret.txt"), in_dir("stolen.txt"))), NULL);
    errno = 0;
    report("rename-dir-out", check(rename(in_dir("sub"), in_dir("../sub-moved"))), NULL);
    errno = 0;
    report("rename-via-hostlink-dir", check(rename(in_dir("inside.txt"), in_dir("hostlink-dir/moved.txt"))), NULL);
    report("raw-rename-absolute", __wasi_path_rename(dir, "inside.txt", dir, host_moved), NULL);

    // Creating, changing and deleting outside.
    report("create-dotdot", write_file(in_dir("../created.txt"), O_CREAT), NULL);
    report("create-host-absolute", write_file(host_created, O_CREAT), NULL);
    report("raw-create-absolute", __wasi_path_open(dir, 0, host_created, __WASI_OFLAGS_CREAT, all_rights, all_rights, 0, &opened), NULL);
    errno = 0;
    report("mkdir-dotdot", check(mkdir(in_dir("../newdir"), 0755)), NULL);
    report("raw-mkdir-absolute", __wasi_path_create_directory(dir, host_dir_raw), NULL);
    report("write-dotdot", write_file(in_dir("../secret.txt"), O_APPEND), NULL);
    errno = 0;
    report("truncate-dotdot", check(truncate(in_dir("../secret.txt"), 0)), NULL);
    errno = 0;
    report("utimes-dotdot", check(utimensat(AT_FDCWD, in_dir("../secret.txt"), NULL, 0)), NULL);
    errno = 0;
    report("unlink-dotdot", check(unlink(in_dir("../secret.txt"))), NULL);
    report("raw-unlink-absolute", __wasi_path_unlink_file(dir, host_secret), NULL);
    errno = 0;
    report("rmdir-dotdot", check(rmdir(in_dir("../outside/dir"))), NULL);
    report("raw-symlink-absolute-link", __wasi_path_symlink("inside.txt", dir, host_link), NULL);

    attempt_read("control-read-inside-after", in_dir("inside.txt"));
    printf("done\n");
    return 0;
}
