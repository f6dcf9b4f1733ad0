/* The AVX2+FMA GEMM micro-kernel: 6×16, twelve ymm accumulators, two B vectors and one broadcast
 * (15 of the 16 ymm registers), the shape BLIS and OpenBLAS use on Haswell through Zen 3. */
#include "gemm_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

#define MR 6
#define NR 16
#define TARGET __attribute__((target("avx2,fma")))

TARGET static inline __m256i lane_mask(size_t count) {
  __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)count), idx);
}

TARGET static inline __attribute__((always_inline)) void core_avx2(
    size_t kc, const float *restrict a, size_t rs, size_t cs, const float *restrict b, size_t bstep,
    float *restrict c, size_t ldc, float beta, size_t mr, size_t nr) {
  __m256 acc[MR][2];
#pragma clang loop unroll(full)
  for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
  for (size_t p = 0; p < kc; p++) {
    __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
      __m256 av = _mm256_broadcast_ss(a + r * rs);
      acc[r][0] = _mm256_fmadd_ps(av, b0, acc[r][0]);
      acc[r][1] = _mm256_fmadd_ps(av, b1, acc[r][1]);
    }
    a += cs;
    b += bstep;
  }
  __m256 vbeta = _mm256_set1_ps(beta);
  __m256i m0 = lane_mask(nr), m1 = lane_mask(nr > 8 ? nr - 8 : 0);
#pragma clang loop unroll(full)
  for (int r = 0; r < MR; r++) {
    if ((size_t)r >= mr) break;
    float *cr = c + r * ldc;
    if (nr == NR) {
      if (beta != 0) {
        acc[r][0] = _mm256_fmadd_ps(vbeta, _mm256_loadu_ps(cr), acc[r][0]);
        acc[r][1] = _mm256_fmadd_ps(vbeta, _mm256_loadu_ps(cr + 8), acc[r][1]);
      }
      _mm256_storeu_ps(cr, acc[r][0]);
      _mm256_storeu_ps(cr + 8, acc[r][1]);
    } else {
      if (beta != 0) {
        acc[r][0] = _mm256_fmadd_ps(vbeta, _mm256_maskload_ps(cr, m0), acc[r][0]);
        acc[r][1] = _mm256_fmadd_ps(vbeta, _mm256_maskload_ps(cr + 8, m1), acc[r][1]);
      }
      _mm256_maskstore_ps(cr, m0, acc[r][0]);
      _mm256_maskstore_ps(cr + 8, m1, acc[r][1]);
    }
  }
}

LYRA_GEMM_LAYOUTS(TARGET, core_avx2, rows_avx2, cols_avx2)

const lyra_gemm_kernel lyra_gemm_kernel_avx2 = {MR, NR, 72, 256, 2048, rows_avx2, cols_avx2, "6x16"};
#else
const lyra_gemm_kernel lyra_gemm_kernel_avx2 = {0, 0, 0, 0, 0, 0, 0, "none"};
#endif
