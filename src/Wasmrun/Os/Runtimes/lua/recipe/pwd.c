// OS mode gives a process its working directory as PWD (the project at /app); wasi-libc starts every program in "/",
// so relative paths would not find the project's files. Lua has no startup hook of its own: this runs before main.
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor)) static void wasmrun_chdir_to_pwd(void) {
  const char *pwd = getenv("PWD");
  if (pwd && *pwd) chdir(pwd);
}
