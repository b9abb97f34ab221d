/* What Lua's os and io libraries call that WASI preview 1 does not have: no processes, no anonymous temporary files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int system(const char *command) {
    if (command == NULL) return 0;
    errno = ENOSYS;
    return -1;
}

FILE *tmpfile(void) {
    errno = ENOSYS;
    return NULL;
}
