// A small WASI command for the README: it greets $NAME and counts the lines of the files named by its arguments,
// which it can open only inside the directories `wasmrun exec --dir` grants.
// Built with: clang-14 --target=wasm32-wasi -O2 -Wl,--strip-debug lines.c -o lines.wasm
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  const char *name = getenv("NAME");
  printf("hello, %s\n", name ? name : "stranger");
  for (int i = 1; i < argc; i++) {
    FILE *file = fopen(argv[i], "r");
    if (!file) {
      perror(argv[i]);
      return 1;
    }
    long lines = 0;
    for (int c; (c = fgetc(file)) != EOF;) {
      lines += c == '\n';
    }
    fclose(file);
    printf("%s: %ld lines\n", argv[i], lines);
  }
  return 0;
}
