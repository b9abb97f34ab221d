// Shared by the sandbox attack programs: each attempt prints exactly one line, "NAME: ok[ DATA]" or
// "NAME: errno N MESSAGE" (N is the WASI errno wasi-libc reports), so the tests can check every attempt by name.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static inline void report(const char *name, int error, const char *data) {
    if (error == 0) {
        printf("%s: ok%s%s\n", name, data ? " " : "", data ? data : "");
    } else {
        printf("%s: errno %d %s\n", name, error, strerror(error));
    }
    fflush(stdout);
}

// Result of a libc call that returns -1 and sets errno on failure.
static inline int check(int result) { return result < 0 ? errno : 0; }

static const char *guest_dir;

// A path inside the preopen the program was given ("/" or "/name").
static inline const char *in_dir(const char *relative) {
    static char buffers[8][512];
    static int next;
    char *buffer = buffers[next++ % 8];
    snprintf(buffer, sizeof buffers[0], "%s%s%s", guest_dir, strcmp(guest_dir, "/") == 0 ? "" : "/", relative);
    return buffer;
}

// Opens and reads a file; on success the content (first line, at most 100 bytes) goes into data.
static inline int read_file(const char *path, char *data, size_t size) {
    errno = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0) return errno;
    ssize_t n = read(fd, data, size - 1);
    int error = n < 0 ? errno : 0;
    close(fd);
    if (n >= 0) {
        data[n] = 0;
        char *newline = strchr(data, '\n');
        if (newline) *newline = 0;
    }
    return error;
}

static inline void attempt_read(const char *name, const char *path) {
    char data[128] = "";
    int error = read_file(path, data, sizeof data);
    report(name, error, error == 0 ? data : NULL);
}

// Creates (or truncates) a file and writes a marker into it.
static inline int write_file(const char *path, int flags) {
    errno = 0;
    int fd = open(path, O_WRONLY | flags, 0644);
    if (fd < 0) return errno;
    int error = check((int)write(fd, "written by the guest\n", 21));
    close(fd);
    return error;
}

// Lists a folder: the names (without "." and "..") in the order readdir gives them, each followed by a comma.
static inline void attempt_list(const char *name, const char *path) {
    errno = 0;
    DIR *dir = opendir(path);
    if (!dir) {
        report(name, errno, NULL);
        return;
    }
    char names[400] = "";
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
        if (strlen(names) + strlen(entry->d_name) + 2 < sizeof names) {
            strcat(names, entry->d_name);
            strcat(names, ",");
        }
    }
    closedir(dir);
    report(name, 0, names);
}

static inline void attempt_readlink(const char *name, const char *path) {
    char target[512];
    errno = 0;
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n < 0) {
        report(name, errno, NULL);
        return;
    }
    target[n] = 0;
    report(name, 0, target);
}

// The file descriptor of the preopen named `name`, found through fd_prestat_get / fd_prestat_dir_name.
static inline __wasi_fd_t preopen_fd(const char *name) {
    for (__wasi_fd_t fd = 3; fd < 64; fd++) {
        __wasi_prestat_t prestat;
        if (__wasi_fd_prestat_get(fd, &prestat) != 0 || prestat.tag != __WASI_PREOPENTYPE_DIR) continue;
        char buffer[512];
        size_t length = prestat.u.dir.pr_name_len;
        if (length >= sizeof buffer || __wasi_fd_prestat_dir_name(fd, (uint8_t *)buffer, length) != 0) continue;
        buffer[length] = 0;
        if (strcmp(buffer, name) == 0) return fd;
    }
    printf("no preopen named %s\n", name);
    exit(3);
}

static const __wasi_rights_t all_rights = 0x1FFFFFFF;
