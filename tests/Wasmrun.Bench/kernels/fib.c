// Recursive Fibonacci (the algorithm of the shared programs' fib.c): call-heavy. run(n) computes fib(n).
#include "kernel.h"

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

KERNEL int run(int n) { return fib(n); }
