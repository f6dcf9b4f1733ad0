/* The AVX-512 GEMM micro-kernel: 12×32, twenty-four zmm accumulators, two B vectors and an
 * embedded broadcast per row (27 of the 32 zmm registers). Per k step: 2 loads, 12 broadcasts,
 * 24 FMAs, so the two FMA ports stay busy and each accumulator is touched every 12 cycles,
 * well past the 4-cycle FMA latency. Edges use AVX-512's lane masks for the columns. */
#include "gemm_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

#define MR 12
/* Blocking measured on an AVX-512 Xeon (docs/performance.md): MC 96-192, KC 256-384 and NC 4096 were
 * within noise of each other on 512³ and on convolution shapes; 144/256/2048 was 5-10 % slower. */
#ifndef AVX512_MC
#define AVX512_MC 96
#define AVX512_KC 384
#define AVX512_NC 4096
#endif
#define NR 32
#define TARGET __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,fma")))

TARGET static inline __attribute__((always_inline)) void core_avx512(
    size_t kc, const float *restrict a, size_t rs, size_t cs, const float *restrict b, size_t bstep,
    float *restrict c, size_t ldc, float beta, size_t mr, size_t nr) {
  __m512 acc[MR][2];
#pragma clang loop unroll(full)
  for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  for (size_t p = 0; p < kc; p++) {
    __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
      __m512 av = _mm512_set1_ps(a[r * rs]);
      acc[r][0] = _mm512_fmadd_ps(av, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(av, b1, acc[r][1]);
    }
    a += cs;
    b += bstep;
  }
  __mmask16 m0 = nr >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << nr) - 1);
  __mmask16 m1 = nr >= 32 ? (__mmask16)0xFFFF : nr > 16 ? (__mmask16)((1u << (nr - 16)) - 1) : 0;
  __m512 vbeta = _mm512_set1_ps(beta);
#pragma clang loop unroll(full)
  for (int r = 0; r < MR; r++) {
    if ((size_t)r >= mr) break;
    float *cr = c + r * ldc;
    if (beta != 0) {
      acc[r][0] = _mm512_fmadd_ps(vbeta, _mm512_maskz_loadu_ps(m0, cr), acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(vbeta, _mm512_maskz_loadu_ps(m1, cr + 16), acc[r][1]);
    }
    _mm512_mask_storeu_ps(cr, m0, acc[r][0]);
    _mm512_mask_storeu_ps(cr + 16, m1, acc[r][1]);
  }
}

LYRA_GEMM_LAYOUTS(TARGET, core_avx512, rows_avx512, cols_avx512)

const lyra_gemm_kernel lyra_gemm_kernel_avx512 = {MR, NR, AVX512_MC, AVX512_KC, AVX512_NC, rows_avx512, cols_avx512, "12x32"};
#else
const lyra_gemm_kernel lyra_gemm_kernel_avx512 = {0, 0, 0, 0, 0, 0, 0, "none"};
#endif
