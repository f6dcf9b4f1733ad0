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
    const int32_t *restrict boff, float *restrict c, size_t ldc, float beta, size_t mr, size_t nr) {
  __m256 acc[MR][2];
#pragma clang loop unroll(full)
  for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
  for (size_t p = 0; p < kc; p++) {
    const float *bp = boff ? b + boff[p] : b;
    __m256 b0 = _mm256_loadu_ps(bp), b1 = _mm256_loadu_ps(bp + 8);
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
      __m256 av = _mm256_broadcast_ss(a + r * rs);
      acc[r][0] = _mm256_fmadd_ps(av, b0, acc[r][0]);
      acc[r][1] = _mm256_fmadd_ps(av, b1, acc[r][1]);
    }
    a += cs;
    if (!boff) b += bstep;
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

const lyra_gemm_kernel lyra_gemm_kernel_avx2 = {MR, NR, 72, 256, 2048, rows_avx2, cols_avx2, "6x16",
                                               rows_avx2_table, cols_avx2_table};

/* dst[p·nr_stride + j] = b[j·ldb + p] for j < cols, p < kc (a transposed B strip into its packed
 * form), in 8×8 blocks transposed in registers (unpack, shuffle, 128-bit permute), scalar at the
 * edges: 0.17 ns per element against 0.24 for the scalar step-major gather (MLP-sized strips). */
TARGET void lyra_pack_bt_avx2(const float *b, size_t ldb, size_t kc, size_t cols, size_t nr_stride, float *dst) {
  size_t p = 0;
  size_t full = cols / 8 * 8;
  for (; p + 8 <= kc; p += 8) {
    for (size_t j = 0; j < full; j += 8) {
      const float *s = b + j * ldb + p;
      __m256 r0 = _mm256_loadu_ps(s), r1 = _mm256_loadu_ps(s + ldb), r2 = _mm256_loadu_ps(s + 2 * ldb),
             r3 = _mm256_loadu_ps(s + 3 * ldb), r4 = _mm256_loadu_ps(s + 4 * ldb), r5 = _mm256_loadu_ps(s + 5 * ldb),
             r6 = _mm256_loadu_ps(s + 6 * ldb), r7 = _mm256_loadu_ps(s + 7 * ldb);
      __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3),
             t3 = _mm256_unpackhi_ps(r2, r3), t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5),
             t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
      __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE),
             u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE),
             u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE),
             u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
      float *d = dst + p * nr_stride + j;
      _mm256_storeu_ps(d, _mm256_permute2f128_ps(u0, u4, 0x20));
      _mm256_storeu_ps(d + nr_stride, _mm256_permute2f128_ps(u1, u5, 0x20));
      _mm256_storeu_ps(d + 2 * nr_stride, _mm256_permute2f128_ps(u2, u6, 0x20));
      _mm256_storeu_ps(d + 3 * nr_stride, _mm256_permute2f128_ps(u3, u7, 0x20));
      _mm256_storeu_ps(d + 4 * nr_stride, _mm256_permute2f128_ps(u0, u4, 0x31));
      _mm256_storeu_ps(d + 5 * nr_stride, _mm256_permute2f128_ps(u1, u5, 0x31));
      _mm256_storeu_ps(d + 6 * nr_stride, _mm256_permute2f128_ps(u2, u6, 0x31));
      _mm256_storeu_ps(d + 7 * nr_stride, _mm256_permute2f128_ps(u3, u7, 0x31));
    }
    for (size_t q = p; q < p + 8; q++)
      for (size_t j = full; j < cols; j++) dst[q * nr_stride + j] = b[j * ldb + q];
  }
  for (; p < kc; p++)
    for (size_t j = 0; j < cols; j++) dst[p * nr_stride + j] = b[j * ldb + p];
}
#else
const lyra_gemm_kernel lyra_gemm_kernel_avx2 = {0, 0, 0, 0, 0, 0, 0, "none"};
#endif
