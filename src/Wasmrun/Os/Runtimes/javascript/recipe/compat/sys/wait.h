/* QuickJS compat for wasi-libc: no child processes, only the macros os.waitpid's code names */
#pragma once
#include <sys/types.h>
#define WNOHANG 1
#define WIFEXITED(s) (((s) & 0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WIFSIGNALED(s) 0
#define WTERMSIG(s) 0
