/* matmul: C = A x B for n x n int32 matrices (n <= MAX_N) filled from a linear
   congruential generator, then an FNV-1a hash of C (integer arithmetic and memory). */
#include "freestanding.h"

#define MAX_N 400

static int32_t a[MAX_N * MAX_N], b[MAX_N * MAX_N], c[MAX_N * MAX_N];

static uint32_t next(uint32_t *state) {
  *state = *state * 1664525u + 1013904223u;
  return *state >> 16;
}

EXPORT("matmul") uint32_t matmul(int32_t n, uint32_t seed) {
  if (n < 0 || n > MAX_N) __builtin_trap();
  uint32_t state = seed;
  for (int i = 0; i < n * n; i++) a[i] = (int32_t)(next(&state) & 0xff) - 128;
  for (int i = 0; i < n * n; i++) b[i] = (int32_t)(next(&state) & 0xff) - 128;
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < n; j++) {
      int32_t sum = 0;
      for (int k = 0; k < n; k++) sum += a[i * n + k] * b[k * n + j];
      c[i * n + j] = sum;
    }
  }
  uint32_t hash = 2166136261u;
  for (int i = 0; i < n * n; i++) {
    hash ^= (uint32_t)c[i];
    hash *= 16777619u;
  }
  return hash;
}
