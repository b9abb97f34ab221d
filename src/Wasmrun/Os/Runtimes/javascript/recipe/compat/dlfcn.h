/* QuickJS compat for wasi-libc: no dynamic loading, so importing a ".so" module fails cleanly */
#pragma once
#define RTLD_NOW 2
#define RTLD_LAZY 1
#define RTLD_GLOBAL 0x100
#define RTLD_LOCAL 0
static inline void *dlopen(const char *file, int mode) { (void)file; (void)mode; return 0; }
static inline void *dlsym(void *h, const char *name) { (void)h; (void)name; return 0; }
static inline int dlclose(void *h) { (void)h; return 0; }
static inline char *dlerror(void) { return (char *)"no dynamic loading in WASI"; }
