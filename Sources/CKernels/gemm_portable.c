/* The portable GEMM micro-kernel: plain C the compiler vectorises for the baseline (SSE2 on
 * x86-64, NEON on arm64). 4×16 keeps its 64 accumulators in 16 SSE registers' worth of floats. */
#include "gemm_internal.h"

#define MR 4
#define NR 16

static inline __attribute__((always_inline)) void core_portable(
    size_t kc, const float *restrict a, size_t rs, size_t cs, const float *restrict b, size_t bstep,
    const int32_t *restrict boff, float *restrict c, size_t ldc, float beta, size_t mr, size_t nr) {
  float acc[MR][NR] = {{0}};
  for (size_t p = 0; p < kc; p++) {
    const float *bp = boff ? b + boff[p] : b + p * bstep;
    for (int r = 0; r < MR; r++) {
      float av = a[r * rs + p * cs];
      for (int j = 0; j < NR; j++) acc[r][j] += av * bp[j];
    }
  }
  for (size_t r = 0; r < mr; r++) {
    float *cr = c + r * ldc;
    if (beta == 0) {
      for (size_t j = 0; j < nr; j++) cr[j] = acc[r][j];
    } else {
      for (size_t j = 0; j < nr; j++) cr[j] = beta * cr[j] + acc[r][j];
    }
  }
}

LYRA_GEMM_LAYOUTS(, core_portable, rows_portable, cols_portable)

const lyra_gemm_kernel lyra_gemm_kernel_portable = {MR, NR, 64, 256, 2048, rows_portable, cols_portable, "4x16",
                                                   rows_portable_table, cols_portable_table};
