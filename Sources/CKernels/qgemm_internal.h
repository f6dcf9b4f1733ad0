/* The integer product's prepared weights and per-path drivers, shared by qgemm*.c. */
#ifndef LYRA_QGEMM_INTERNAL_H
#define LYRA_QGEMM_INTERNAL_H
#include "ckernels.h"

/* No fused multiply-adds in the epilogues: every path rounds (sum − z)·scale + bias the same way. */
#pragma STDC FP_CONTRACT OFF

enum { LYRA_QPATH_PORTABLE = 0, LYRA_QPATH_AVX2 = 1, LYRA_QPATH_VNNI = 2 };

/* Rows are padded to the path's tile height (mr) with zero weights, k to a multiple of 4 (kp);
 * a8 is row-major mpad×kp (VNNI and portable), a16 the same widened to 16 bits (AVX2's
 * vpmaddwd). zsum[r] = zero_point·Σ_k A[r,k]; scale and bias are padded with zeros. */
struct lyra_qweights {
  int path;
  size_t m, k, kp, mr, mpad;
  int8_t *a8;
  int16_t *a16;
  int32_t *zsum;
  float *scale, *bias;
};

/* Unaligned, aliasing-safe loads of the packed words. */
typedef int32_t __attribute__((may_alias, aligned(1))) lyra_i32u;
typedef int64_t __attribute__((may_alias, aligned(1))) lyra_i64u;

static inline size_t lyra_qround(size_t x, size_t to) { return (x + to - 1) / to * to; }

/* Row r's outputs for columns c0 ..< c0 + cols from their integer sums: the one epilogue every
 * path ends in for partial tiles and strided C, so the paths agree to the last bit there too. */
static inline void lyra_qstore_row(const lyra_qweights *w, size_t r, const int32_t *acc, size_t c0, size_t cols,
                                   float *c, size_t rs, size_t cs, int relu) {
  float s = w->scale[r], b = w->bias[r];
  int32_t z = w->zsum[r];
  for (size_t j = 0; j < cols; j++) {
    float v = (float)(acc[j] - z) * s + b;
    if (relu && v < 0) v = 0;
    c[r * rs + (c0 + j) * cs] = v;
  }
}

void lyra_qgemm_vnni(const lyra_qweights *w, size_t n, const uint8_t *b, float *c, size_t rs, size_t cs, int relu);
void lyra_qgemm_avx2(const lyra_qweights *w, size_t n, const uint8_t *b, float *c, size_t rs, size_t cs, int relu);
void lyra_quantize_u8_avx512(const float *x, size_t count, float scale, float zero_point, float levels, uint8_t *dst);
#endif
