// Hostile and edge-case WASI calls, one per mode (argv[1]), for HostileProgramTests: exit statuses a process cannot
// have, waits a --timeout must end, writes with bad or huge iovecs, absurd poll_oneoff counts, and Go's way of
// opening a file read-only.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

static int sleep_then_print(void) {
    printf("before\n");
    fflush(stdout);
    sleep(5);
    printf("woke\n");
    return 0;
}

static int read_stdin(void) {
    printf("reading\n");
    fflush(stdout);
    char buffer[16];
    ssize_t got = read(0, buffer, sizeof buffer);
    printf("read %zd\n", got);
    return 0;
}

// iovec 0 is good, iovec 1 points past the end of memory: the 6 bytes of the first are written and reported.
static int write_fault(void) {
    static const char hello[] = "hello\n";
    __wasi_ciovec_t iovs[2] = {{(const uint8_t *)hello, 6}, {(const uint8_t *)0xFFFFFF00u, 100}};
    __wasi_size_t written = 0;
    __wasi_errno_t error = __wasi_fd_write(1, iovs, 2, &written);
    fprintf(stderr, "errno=%d written=%u\n", error, (unsigned)written);
    return 0;
}

// Three iovecs of nearly 2 GiB each (untouched memory) to /dev/null: more than a u32 can count.
static int write_huge(const char *null_device) {
    if (__builtin_wasm_memory_grow(0, 32768) == (size_t)-1) {
        fprintf(stderr, "cannot grow memory\n");
        return 1;
    }
    __wasi_fd_t fd;
    __wasi_errno_t error = __wasi_path_open(3, 0, null_device, 0, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd);
    if (error != 0) {
        fprintf(stderr, "open %s: errno %d\n", null_device, error);
        return 1;
    }
    __wasi_ciovec_t iovs[3];
    for (int i = 0; i < 3; i++) {
        iovs[i].buf = (const uint8_t *)0x10000;
        iovs[i].buf_len = 0x7FFFF000u;
    }
    __wasi_size_t written = 0;
    error = __wasi_fd_write(fd, iovs, 3, &written);
    printf("errno=%d written=%u\n", error, (unsigned)written);
    return 0;
}

static int poll_huge(void) {
    static __wasi_subscription_t subscription;
    static __wasi_event_t event;
    __wasi_size_t count = 0;
    subscription.u.tag = __WASI_EVENTTYPE_CLOCK;
    __wasi_errno_t a = __wasi_poll_oneoff(&subscription, &event, 0x7FFFFFFFu, &count);
    __wasi_errno_t b = __wasi_poll_oneoff(&subscription, &event, 0xFFFFFFFFu, &count);
    printf("errno=%d errno=%d\n", a, b);
    return 0;
}

// As Go's os.Open does (syscall/fs_wasip1.go): O_RDONLY, asking for every file right it might use, writes included.
static int go_open(const char *name) {
    __wasi_rights_t rights = __WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK |
        __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | __WASI_RIGHTS_FD_SYNC | __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_ADVISE |
        __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE |
        __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | __WASI_RIGHTS_POLL_FD_READWRITE;
    __wasi_fd_t fd;
    __wasi_errno_t error = __wasi_path_open(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, name, 0, rights, rights, 0, &fd);
    if (error != 0) {
        printf("open: errno %d\n", error);
        return 1;
    }
    char buffer[64] = {0};
    __wasi_iovec_t iov = {(uint8_t *)buffer, sizeof buffer - 1};
    __wasi_size_t got = 0;
    error = __wasi_fd_read(fd, &iov, 1, &got);
    printf("read errno=%d: %s", error, buffer);
    return 0;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    if (strcmp(mode, "exit") == 0 && argc > 2) {
        __wasi_proc_exit((__wasi_exitcode_t)strtoul(argv[2], NULL, 10));
    }
    if (strcmp(mode, "sleep") == 0) {
        return sleep_then_print();
    }
    if (strcmp(mode, "read") == 0) {
        return read_stdin();
    }
    if (strcmp(mode, "write-fault") == 0) {
        return write_fault();
    }
    if (strcmp(mode, "write-huge") == 0 && argc > 2) {
        return write_huge(argv[2]);
    }
    if (strcmp(mode, "poll-huge") == 0) {
        return poll_huge();
    }
    if (strcmp(mode, "go-open") == 0 && argc > 2) {
        return go_open(argv[2]);
    }
    fprintf(stderr, "usage: hostile exit N | sleep | read | write-fault | write-huge NAME | poll-huge | go-open NAME\n");
    return 2;
}
