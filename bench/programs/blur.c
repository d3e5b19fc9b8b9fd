/* blur: a 3x3 binomial blur of a 512 x 512 grayscale image (a horizontal then a vertical
   [1 2 1] / 4 pass on bytes), then a saturating brightness step, repeated `passes` times;
   returns the sum of the pixels and a position-weighted sum mixed together. The same
   source is built twice: scalar, and with -msimd128, where clang vectorises the loops
   (i16x8 widening, averaging and saturating byte arithmetic). */
#include "freestanding.h"

#define W 512
#define H 512

static uint8_t image[W * H], tmp[W * H];

static uint32_t next(uint32_t *state) {
  *state = *state * 1664525u + 1013904223u;
  return *state >> 24;
}

static void horizontal(const uint8_t *restrict in, uint8_t *restrict out) {
  for (int y = 0; y < H; y++) {
    const uint8_t *row = in + y * W;
    uint8_t *o = out + y * W;
    o[0] = row[0];
    for (int x = 1; x < W - 1; x++) o[x] = (uint8_t)((row[x - 1] + 2 * row[x] + row[x + 1] + 2) >> 2);
    o[W - 1] = row[W - 1];
  }
}

static void vertical(const uint8_t *restrict in, uint8_t *restrict out) {
  for (int x = 0; x < W; x++) out[x] = in[x];
  for (int y = 1; y < H - 1; y++) {
    const uint8_t *up = in + (y - 1) * W, *mid = in + y * W, *down = in + (y + 1) * W;
    uint8_t *o = out + y * W;
    for (int x = 0; x < W; x++) o[x] = (uint8_t)((up[x] + 2 * mid[x] + down[x] + 2) >> 2);
  }
  for (int x = 0; x < W; x++) out[(H - 1) * W + x] = in[(H - 1) * W + x];
}

static void brighten(uint8_t *pixels, int amount) {
  for (int i = 0; i < W * H; i++) {
    int v = pixels[i] + amount;
    pixels[i] = (uint8_t)(v > 255 ? 255 : v);
  }
}

EXPORT("blur") uint32_t blur(int32_t passes, uint32_t seed) {
  uint32_t state = seed;
  for (int i = 0; i < W * H; i++) image[i] = (uint8_t)next(&state);
  for (int p = 0; p < passes; p++) {
    horizontal(image, tmp);
    vertical(tmp, image);
    brighten(image, 3);
  }
  uint32_t sum = 0, weighted = 0;
  for (int i = 0; i < W * H; i++) {
    sum += image[i];
    weighted += image[i] * (uint32_t)(i & 0xff);
  }
  return sum * 2654435761u ^ weighted;
}
