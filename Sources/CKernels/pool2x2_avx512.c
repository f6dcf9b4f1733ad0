/* 2×2 stride-2 max pooling of one plane on the AVX-512 path: 16 outputs per step from 32 inputs
 * of each of the two rows, the even and odd columns split by one two-source permute each, row
 * tails under lane masks (the reference CNN's rows are 14 and 7 outputs wide, shorter than one
 * vector). Semantics are PyTorch's: scanning a, b (top row), c, d (bottom row), a later value
 * wins when greater or NaN, so NaN propagates and ties keep the first index. The portable and
 * AVX2 paths are Swift's SIMD loop in LyraKernels/Pooling.swift. */
#include "ckernels.h"
#include <stdint.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define TARGET __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl")))

/* Picks `cand` over `best` where cand > best or cand is NaN. */
TARGET static inline __mmask16 wins(__m512 cand, __m512 best) {
  return _mm512_cmp_ps_mask(cand, best, _CMP_GT_OQ) | _mm512_cmp_ps_mask(cand, cand, _CMP_UNORD_Q);
}

TARGET static int plane_avx512(const float *x, float *y, int32_t *ind, size_t W, size_t OH, size_t OW) {
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
  for (size_t oy = 0; oy < OH; oy++) {
    const float *r0 = x + 2 * oy * W, *r1 = r0 + W;
    float *yr = y + oy * OW;
    for (size_t ox = 0; ox < OW; ox += 16) {
      size_t n = OW - ox < 16 ? OW - ox : 16;                 /* outputs this step */
      size_t in = 2 * n;                                      /* inputs per row */
      __mmask16 lo_m = (__mmask16)(in >= 16 ? 0xFFFF : (1u << in) - 1);
      __mmask16 hi_m = (__mmask16)(in <= 16 ? 0 : in >= 32 ? 0xFFFF : (1u << (in - 16)) - 1);
      __mmask16 out_m = (__mmask16)(n >= 16 ? 0xFFFF : (1u << n) - 1);
      const float *p0 = r0 + 2 * ox, *p1 = r1 + 2 * ox;
      __m512 t0 = _mm512_maskz_loadu_ps(lo_m, p0), t1 = _mm512_maskz_loadu_ps(hi_m, p0 + 16);
      __m512 u0 = _mm512_maskz_loadu_ps(lo_m, p1), u1 = _mm512_maskz_loadu_ps(hi_m, p1 + 16);
      __m512 a = _mm512_permutex2var_ps(t0, even, t1), b = _mm512_permutex2var_ps(t0, odd, t1);
      __m512 c = _mm512_permutex2var_ps(u0, even, u1), d = _mm512_permutex2var_ps(u0, odd, u1);
      __m512 best = a;
      __mmask16 tb = wins(b, best); best = _mm512_mask_mov_ps(best, tb, b);
      __mmask16 tc = wins(c, best); best = _mm512_mask_mov_ps(best, tc, c);
      __mmask16 td = wins(d, best); best = _mm512_mask_mov_ps(best, td, d);
      _mm512_mask_storeu_ps(yr + ox, out_m, best);
      if (ind) {
        __m512i i0 = _mm512_add_epi32(_mm512_set1_epi32((int32_t)(2 * oy * W + 2 * ox)), _mm512_slli_epi32(
            _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), 1));
        __m512i bi = i0;
        bi = _mm512_mask_mov_epi32(bi, tb, _mm512_add_epi32(i0, _mm512_set1_epi32(1)));
        bi = _mm512_mask_mov_epi32(bi, tc, _mm512_add_epi32(i0, _mm512_set1_epi32((int32_t)W)));
        bi = _mm512_mask_mov_epi32(bi, td, _mm512_add_epi32(i0, _mm512_set1_epi32((int32_t)W + 1)));
        _mm512_mask_storeu_epi32(ind + oy * OW + ox, out_m, bi);
      }
    }
  }
  return 1;
}
#endif

int lyra_maxpool2x2_plane(const float *x, float *y, int32_t *ind, size_t W, size_t OH, size_t OW) {
#if defined(__x86_64__)
  if (lyra_isa_active() >= LYRA_ISA_AVX512) return plane_avx512(x, y, ind, W, OH, OW);
#endif
  (void)x; (void)y; (void)ind; (void)W; (void)OH; (void)OW;
  return 0;
}
