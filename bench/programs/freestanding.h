/* What the C benchmarks need from a C library, for a freestanding wasm32 build
   (clang may turn loops into memset/memcpy calls, so both are defined here). */
#ifndef BENCH_FREESTANDING_H
#define BENCH_FREESTANDING_H

typedef unsigned char uint8_t;
typedef unsigned int uint32_t;
typedef int int32_t;
typedef long long int64_t;
typedef unsigned long long uint64_t;
typedef unsigned long size_t;

#define EXPORT(name) __attribute__((export_name(name)))

void *memset(void *dst, int c, size_t n) {
  uint8_t *d = dst;
  while (n--) *d++ = (uint8_t)c;
  return dst;
}

void *memcpy(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  while (n--) *d++ = *s++;
  return dst;
}

/* Never called by the benchmarks: the debugger benchmark sets its breakpoints on the
   lines of this function, so a run with breakpoints that are never hit can be
   compared with a plain run. Exported so that the linker keeps it. */
EXPORT("never_called") uint32_t never_called(uint32_t x) {
  uint8_t scratch[16];
  uint32_t y = x * 3;
  y += 1;
  y ^= x;
  y <<= 2;
  y -= x;
  memset(scratch, (int)y, sizeof scratch);
  memcpy(scratch + 8, &y, sizeof y);
  y = (y << 5) | (y >> 27);
  y |= scratch[3];
  return y & 0xffff;
}

#endif
