/* QuickJS compat for wasi-libc: process and pipe calls WASI preview 1 lacks fail with ENOSYS, so
   os.exec/os.pipe/std.popen report an error instead of failing to link; realpath is lexical. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

pid_t fork(void) { errno = ENOSYS; return -1; }
int execve(const char *path, char *const argv[], char *const envp[]) { (void)path; (void)argv; (void)envp; errno = ENOSYS; return -1; }
pid_t waitpid(pid_t pid, int *status, int options) { (void)pid; (void)status; (void)options; errno = ECHILD; return -1; }
int kill(pid_t pid, int sig) { (void)pid; (void)sig; errno = ENOSYS; return -1; }
int pipe(int fds[2]) { (void)fds; errno = ENOSYS; return -1; }
int dup(int fd) { (void)fd; errno = ENOSYS; return -1; }
int dup2(int from, int to) { (void)from; (void)to; errno = ENOSYS; return -1; }
int setuid(uid_t uid) { (void)uid; errno = ENOSYS; return -1; }
int setgid(gid_t gid) { (void)gid; errno = ENOSYS; return -1; }
FILE *popen(const char *cmd, const char *mode) { (void)cmd; (void)mode; errno = ENOSYS; return NULL; }
int pclose(FILE *f) { (void)f; errno = ENOSYS; return -1; }
FILE *tmpfile(void) { errno = ENOSYS; return NULL; }

/* wasi-libc has no realpath. The module loader needs it for import.meta.url; the
   lexical form ("." and ".." folded, symlinks kept) matches what the guest sees. */
char *realpath(const char *path, char *resolved)
{
    char in[PATH_MAX];
    char *out = resolved ? resolved : malloc(PATH_MAX);
    size_t n = 0;
    struct stat st;

    if (!out)
        return NULL;
    if (path[0] == '/') {
        if (strlen(path) >= sizeof in) goto too_long;
        strcpy(in, path);
    } else {
        if (!getcwd(in, sizeof in)) strcpy(in, "/");
        if (strlen(in) + 1 + strlen(path) >= sizeof in) goto too_long;
        strcat(in, "/");
        strcat(in, path);
    }
    out[0] = '\0';
    for (char *seg = strtok(in, "/"); seg; seg = strtok(NULL, "/")) {
        if (!strcmp(seg, "."))
            continue;
        if (!strcmp(seg, "..")) {
            while (n > 0 && out[--n] != '/')
                ;
            out[n] = '\0';
            continue;
        }
        out[n++] = '/';
        strcpy(out + n, seg);
        n += strlen(seg);
    }
    if (n == 0)
        strcpy(out, "/");
    if (stat(out, &st) == 0)
        return out;
    goto fail;
too_long:
    errno = ENAMETOOLONG;
fail:
    if (!resolved)
        free(out);
    return NULL;
}
