// A WASI command for the OS-mode kernel tests: one behaviour per first argument (see main).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int try_open(const char *path) {
  FILE *f = fopen(path, "r");
  if (f) {
    fclose(f);
    return 0;
  }
  return errno;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "hello";
  if (!strcmp(mode, "hello")) {
    // argv, environment and the two streams
    printf("argv:");
    for (int i = 0; i < argc; i++) printf(" %s", argv[i]);
    printf("\nPWD=%s HOME=%s\n", getenv("PWD"), getenv("HOME"));
    fprintf(stderr, "to stderr\n");
    return argc > 2 ? atoi(argv[2]) : 0;
  }
  if (!strcmp(mode, "echo")) {
    // echoes stdin lines until end of file
    char line[256];
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("ready\n");
    while (fgets(line, sizeof line, stdin)) printf("got: %s", line);
    printf("eof\n");
    return 0;
  }
  if (!strcmp(mode, "interleave")) {
    // the two streams in turn, by write(2) past stdio's buffers; then a two-byte character split across two writes
    for (int i = 0; i < 100; i++) {
      char text[32];
      int n = snprintf(text, sizeof text, "out %d\n", i);
      write(1, text, n);
      n = snprintf(text, sizeof text, "err %d\n", i);
      write(2, text, n);
    }
    write(1, "\xc3", 1);
    write(1, "\xa9\n", 2);
    return 0;
  }
  if (!strcmp(mode, "spin")) {
    // runs until something stops it
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("spinning\n");
    volatile unsigned long n = 0;
    for (;;) n++;
  }
  if (!strcmp(mode, "alloc")) {
    // grows memory 16 MiB at a time until malloc fails (the blocks are kept, so the compiler cannot drop them)
    static char *blocks[1024];
    size_t total = 0;
    for (int i = 0; i < 1024; i++) {
      blocks[i] = malloc(16 << 20);
      if (!blocks[i]) break;
      memset(blocks[i], 1, 16 << 20);
      total += 16;
    }
    printf("allocated %zu MiB, then malloc failed\n", total);
    return 3;
  }
  if (!strcmp(mode, "files")) {
    // opens files until the limit
    int count = 0, error = 0;
    for (;;) {
      char name[64];
      snprintf(name, sizeof name, "/tmp/f%d", count);
      int fd = open(name, O_CREAT | O_WRONLY, 0644);
      if (fd < 0) {
        error = errno;
        break;
      }
      count++;
    }
    printf("opened %d, then %s\n", count, error == EMFILE ? "EMFILE" : strerror(error));
    return 0;
  }
  if (!strcmp(mode, "escape")) {
    // every way out of the mounts must fail
    const char *paths[] = {"/etc/passwd", "/app/../etc/passwd", "/tmp/../etc/passwd", "/app/outside/secret.txt",
                           "../secret.txt", "/proc/self/environ", "/usr/local/../../etc/hostname"};
    for (unsigned i = 0; i < sizeof paths / sizeof *paths; i++)
      printf("%s: %s\n", paths[i], try_open(paths[i]) ? "refused" : "OPEN");
    printf("/app/inside.txt: %s\n", try_open("/app/inside.txt") ? "refused" : "readable");
    return 0;
  }
  if (!strcmp(mode, "write")) {
    // writes into the project and /tmp, then reads both back
    int status = 0;
    const char *files[] = {"/app/written.txt", "/tmp/written.txt"};
    for (int i = 0; i < 2; i++) {
      FILE *f = fopen(files[i], "w");
      if (!f) {
        printf("%s: cannot write (%s)\n", files[i], strerror(errno));
        status = 1;
        continue;
      }
      fprintf(f, "hello %d\n", i);
      fclose(f);
      char buffer[32] = {0};
      f = fopen(files[i], "r");
      fgets(buffer, sizeof buffer, f);
      fclose(f);
      printf("%s: %s", files[i], buffer);
    }
    return status;
  }
  fprintf(stderr, "proc: unknown mode %s\n", mode);
  return 2;
}
