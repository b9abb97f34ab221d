// Shared by the benchmark kernels: `run` is the exported entry (wasm) or called by native.c (native builds).
#ifdef __wasm__
#define KERNEL __attribute__((export_name("run")))
#else
#define KERNEL
#endif

// The fixed workload of a build (-DWORKLOAD=n) as an export without parameters, for peers that cannot pass
// arguments (wabt's wasm-interp runs exports with none).
#if defined(__wasm__) && defined(WORKLOAD)
int run(int argument);
__attribute__((export_name("bench"))) int bench(void) { return run(WORKLOAD); }
#endif
