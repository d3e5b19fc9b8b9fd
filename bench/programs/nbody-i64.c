/* nbody-i64: a gravitational n-body simulation in 16.16 fixed point held in
   64-bit integers (i64 multiply, divide, shifts, an integer square root).
   Returns a hash of the final positions and velocities. */
#include "freestanding.h"

#define BODIES 8
#define ONE ((int64_t)1 << 16)           /* 1.0 in 16.16 fixed point */
#define SOFTENING (ONE / 16)             /* keeps close encounters finite */
#define DT (ONE / 64)                    /* time step */

typedef struct { int64_t x, y, z, vx, vy, vz, m; } Body;

static Body bodies[BODIES];

/* floor(sqrt(v)) for v >= 0, bit by bit. */
static int64_t isqrt(int64_t v) {
  uint64_t x = (uint64_t)v, result = 0, bit = (uint64_t)1 << 62;
  while (bit > x) bit >>= 2;
  while (bit) {
    if (x >= result + bit) {
      x -= result + bit;
      result = (result >> 1) + bit;
    } else {
      result >>= 1;
    }
    bit >>= 2;
  }
  return (int64_t)result;
}

static int64_t fmul(int64_t a, int64_t b) { return (a * b) >> 16; }

static void init(void) {
  uint32_t state = 12345;
  for (int i = 0; i < BODIES; i++) {
    state = state * 1664525u + 1013904223u;
    bodies[i].x = ((int64_t)(state >> 20) - 2048) * ONE / 256;
    state = state * 1664525u + 1013904223u;
    bodies[i].y = ((int64_t)(state >> 20) - 2048) * ONE / 256;
    state = state * 1664525u + 1013904223u;
    bodies[i].z = ((int64_t)(state >> 20) - 2048) * ONE / 256;
    bodies[i].vx = bodies[i].vy = bodies[i].vz = 0;
    bodies[i].m = ONE + (int64_t)(i * 3 % 5) * ONE / 4;
  }
}

static void step(void) {
  for (int i = 0; i < BODIES; i++) {
    Body *bi = &bodies[i];
    for (int j = i + 1; j < BODIES; j++) {
      Body *bj = &bodies[j];
      int64_t dx = bi->x - bj->x, dy = bi->y - bj->y, dz = bi->z - bj->z;
      int64_t d2 = fmul(dx, dx) + fmul(dy, dy) + fmul(dz, dz) + SOFTENING;
      int64_t d = isqrt(d2 << 16);               /* sqrt in 16.16 */
      int64_t d3 = fmul(d2, d);
      int64_t s = (DT << 16) / d3;               /* dt / d^3 in 16.16 */
      int64_t fx = fmul(dx, s), fy = fmul(dy, s), fz = fmul(dz, s);
      bi->vx -= fmul(fx, bj->m); bi->vy -= fmul(fy, bj->m); bi->vz -= fmul(fz, bj->m);
      bj->vx += fmul(fx, bi->m); bj->vy += fmul(fy, bi->m); bj->vz += fmul(fz, bi->m);
    }
  }
  for (int i = 0; i < BODIES; i++) {
    bodies[i].x += fmul(bodies[i].vx, DT);
    bodies[i].y += fmul(bodies[i].vy, DT);
    bodies[i].z += fmul(bodies[i].vz, DT);
  }
}

EXPORT("nbody") uint32_t nbody(int32_t steps) {
  init();
  for (int s = 0; s < steps; s++) step();
  uint64_t hash = 14695981039346656037ull;
  for (int i = 0; i < BODIES; i++) {
    int64_t fields[6] = {bodies[i].x, bodies[i].y, bodies[i].z,
                         bodies[i].vx, bodies[i].vy, bodies[i].vz};
    for (int f = 0; f < 6; f++) {
      hash ^= (uint64_t)fields[f];
      hash *= 1099511628211ull;
    }
  }
  return (uint32_t)(hash ^ (hash >> 32));
}
