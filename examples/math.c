// A small library module for `wasmrun inspect`, `verify` and `exec --invoke`: integer and float exports,
// a loop, recursion, a memory with a data segment and a mutable global.
// Build: clang-14 --target=wasm32 -O2 -nostdlib -Wl,--no-entry -Wl,--export=calls -o math.wasm math.c

#define EXPORT(name) __attribute__((export_name(#name)))

static const char greeting[] = "Hello from WebAssembly";
int calls = 0;

EXPORT(add) int add(int a, int b) { calls++; return a + b; }

EXPORT(fib) int fib(int n) { calls++; return n < 2 ? n : fib(n - 1) + fib(n - 2); }

EXPORT(factorial) long long factorial(int n)
{
    calls++;
    long long result = 1;
    for (int i = 2; i <= n; i++) {
        result *= i;
    }
    return result;
}

EXPORT(hypotenuse) double hypotenuse(double a, double b) { calls++; return __builtin_sqrt(a * a + b * b); }

EXPORT(message) const char *message(void) { return greeting; }

EXPORT(message_length) int message_length(void)
{
    int length = 0;
    while (greeting[length] != 0) {
        length++;
    }
    return length;
}
