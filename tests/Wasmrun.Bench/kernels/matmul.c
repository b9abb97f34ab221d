// Dense double matrix multiply, i-k-j order (the algorithm of the shared programs' matmul.c): f64 multiply-add.
// run(reps) multiplies 400x400 matrices reps times.
#include "kernel.h"

#define MAX 400
static double a[MAX * MAX], b[MAX * MAX], c[MAX * MAX];

KERNEL int run(int reps) {
    int n = MAX;
    double sum = 0;
    for (int r = 0; r < reps; r++) {
        for (int i = 0; i < n * n; i++) { a[i] = (double)(i % 17) / 7.0; b[i] = (double)(i % 13) / 5.0; c[i] = 0; }
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++) {
                double aik = a[i * n + k];
                for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
            }
        for (int i = 0; i < n * n; i++) sum += c[i];
    }
    return (int)sum;
}
