// Sieve of Eratosthenes (the algorithm of the shared programs' sieve.c): byte loads and stores over 20 MB.
// run(reps) sieves reps times.
#include "kernel.h"

#define LIMIT 20000000
static char s[LIMIT + 1];

KERNEL int run(int reps) {
    int n = LIMIT, count = 0;
    for (int r = 0; r < reps; r++) {
        __builtin_memset(s, 1, n + 1);
        s[0] = s[1] = 0;
        for (long i = 2; i * i <= n; i++)
            if (s[i])
                for (long j = i * i; j <= n; j += i) s[j] = 0;
        count = 0;
        for (int i = 0; i <= n; i++) count += s[i];
    }
    return count;
}
