/* The AVX-512 micro-kernel body, included by gemm_avx512.c once per register tile: MR rows
 * (12 or 8) × 32 columns, named CORE. See gemm_avx512.c for the choice between them. */
TARGET static inline __attribute__((always_inline)) void CORE(
    size_t kc, const float *restrict a, size_t rs, size_t cs, const float *restrict b, size_t bstep,
    const int32_t *restrict boff, float *restrict c, size_t ldc, float beta, size_t mr, size_t nr) {
  __m512 acc[MR][2];
#pragma clang loop unroll(full)
  for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  for (size_t p = 0; p < kc; p++) {
    const float *bp = boff ? b + boff[p] : b;
    __m512 b0 = _mm512_loadu_ps(bp), b1 = _mm512_loadu_ps(bp + 16);
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
      __m512 av = _mm512_set1_ps(a[r * rs]);
      acc[r][0] = _mm512_fmadd_ps(av, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(av, b1, acc[r][1]);
    }
    a += cs;
    if (!boff) b += bstep;
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

