/* setjmp/longjmp for wasm32-wasi through exception handling: clang (-mllvm -wasm-enable-sjlj) turns each call into a
   call of the __wasm_* helpers of sjlj.c; the buffer layout is the one those helpers and LLVM agree on. */
#pragma once
typedef struct {
    void *func_invocation_id;
    unsigned label;
    struct { void *env; int val; } arg;
} __wasm_jmp_buf;
typedef __wasm_jmp_buf jmp_buf[1];
typedef jmp_buf sigjmp_buf;
int setjmp(jmp_buf env) __attribute__((returns_twice));
_Noreturn void longjmp(jmp_buf env, int val);
#define _setjmp setjmp
#define _longjmp longjmp
#define sigsetjmp(env, save) setjmp(env)
#define siglongjmp longjmp
