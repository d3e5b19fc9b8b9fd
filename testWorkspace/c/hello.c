// A small C program for wat-debugger, built for wasm32-wasi by build.sh.
// It greets its arguments, then computes the first N primes (N = first argument, default 10)
// and their sum, printing through WASI's fd_write. An argument that is not a positive number
// makes it report on stderr and exit with status 2 (WASI proc_exit).
#include <stdio.h>
#include <stdlib.h>

static int is_prime(int n) {
  if (n < 2) return 0;
  for (int d = 2; d * d <= n; d++) {
    if (n % d == 0) return 0;
  }
  return 1;
}

static int fill_primes(int *out, int count) {
  int found = 0;
  for (int candidate = 2; found < count; candidate++) {
    if (is_prime(candidate)) out[found++] = candidate;
  }
  return found;
}

int main(int argc, char **argv) {
  printf("hello from C, %d argument(s)\n", argc - 1);
  for (int i = 1; i < argc; i++) printf("  argv[%d] = %s\n", i, argv[i]);

  int count = 10;
  if (argc > 1) {
    char *end;
    long parsed = strtol(argv[1], &end, 10);
    if (*end != '\0' || parsed <= 0 || parsed > 1000) {
      fprintf(stderr, "not a count between 1 and 1000: %s\n", argv[1]);
      exit(2);
    }
    count = (int)parsed;
  }

  int *primes = malloc(sizeof(int) * count);
  fill_primes(primes, count);
  long sum = 0;
  printf("first %d primes:", count);
  for (int i = 0; i < count; i++) {
    printf(" %d", primes[i]);
    sum += primes[i];
  }
  printf("\nsum = %ld\n", sum);
  free(primes);
  return 0;
}
