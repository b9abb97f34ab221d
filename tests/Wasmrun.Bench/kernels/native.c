// The native driver: the same kernel compiled for the host, run once with the argument, printing the checksum.
#include <stdio.h>
#include <stdlib.h>

int run(int argument);

int main(int argc, char **argv) {
    printf("%d\n", run(argc > 1 ? atoi(argv[1]) : 0));
    return 0;
}
