// {{name}}: a WebAssembly program in C.
//   wasmrun compile                        builds dist/{{projectName}}.wasm, a WASI command
//   wasmrun exec dist/{{projectName}}.wasm Ada     runs it
#include <stdio.h>
#include <string.h>

// Exported too, so a page or `wasmrun exec --invoke` can call it.
__attribute__((export_name("add"))) int add(int a, int b) { return a + b; }

int main(int argc, char **argv) {
  const char *who = argc > 1 ? argv[1] : "world";
  printf("Hello, %s, from {{name}}! 2 + 3 = %d\n", who, add(2, 3));
  return strcmp(who, "error") == 0 ? 1 : 0;
}
