/* The runtime half of LLVM's wasm setjmp/longjmp lowering (the protocol of wasi-libc's libsetjmp, which Debian
   bookworm's wasi-libc lacks): setjmp records which call frame and label it returns to; longjmp throws the buffer
   with tag 1 (__c_longjmp), and the frame that called setjmp catches it and tests it. */
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

void __wasm_setjmp(void *env, uint32_t label, void *func_invocation_id) {
    __wasm_jmp_buf *buffer = env;
    if (label == 0 || func_invocation_id == NULL) __builtin_trap();
    buffer->func_invocation_id = func_invocation_id;
    buffer->label = label;
}

uint32_t __wasm_setjmp_test(void *env, void *func_invocation_id) {
    __wasm_jmp_buf *buffer = env;
    return buffer->func_invocation_id == func_invocation_id ? buffer->label : 0;
}

void __wasm_longjmp(void *env, int val) {
    __wasm_jmp_buf *buffer = env;
    buffer->arg.env = env;
    buffer->arg.val = val == 0 ? 1 : val;
    __builtin_wasm_throw(1, &buffer->arg);
}
