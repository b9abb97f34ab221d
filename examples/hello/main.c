// The bundled example project (`./build.sh run` serves it): a WASI command whose exports the playground calls.
// Edit and save while `wasmrun run examples/hello --watch` runs: the page follows.
#include <stdio.h>
#include <string.h>

__attribute__((export_name("add"))) int add(int a, int b) { return a + b; }

__attribute__((export_name("fib"))) long long fib(int n) {
    long long a = 0, b = 1;
    for (int i = 0; i < n; i++) {
        long long next = a + b;
        a = b;
        b = next;
    }
    return a;
}

// Divides by zero when b is 0: the playground shows the trap.
__attribute__((export_name("divide"))) int divide(int a, int b) { return a / b; }

__attribute__((export_name("average"))) double average(double a, double b) { return (a + b) / 2; }

int main(int argc, char **argv) {
    const char *who = argc > 1 ? argv[1] : "world";
    printf("Hello, %s! add(2, 3) = %d, fib(50) = %lld\n", who, add(2, 3), fib(50));
    if (argc > 2 && strcmp(argv[2], "fail") == 0) {
        fprintf(stderr, "asked to fail\n");
        return 1;
    }
    return 0;
}
