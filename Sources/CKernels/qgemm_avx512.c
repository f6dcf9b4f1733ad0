/* The AVX-512 VNNI integer kernel: 12 (or 8) rows × 32 columns of 32-bit sums in 24 (16) zmm.
 * Per group of four k steps: two 64-byte loads of packed activations (16 columns × 4 bytes
 * each), then per row one 4-byte weight broadcast and two vpdpbusd — 64 multiply-adds each,
 * 4× an FMA's 16. The 16-column variant takes the last strip when n is not a multiple of 32.
 * Also the AVX-512 activation quantiser (16 floats to 16 bytes per step). */
#include "qgemm_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

#define TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
#define INLINE __attribute__((always_inline)) static inline

TARGET INLINE void tile(const int MR, const int NV, const lyra_qweights *w, size_t r0, size_t c0, size_t cols,
                        const uint8_t *b, size_t bstep, float *c, size_t rs, size_t cs, int relu) {
  __m512i acc[12][2];
  for (int r = 0; r < MR; r++)
    for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_si512();
  const int8_t *a = w->a8 + r0 * w->kp;
  size_t kp = w->kp, k4 = kp / 4;
  for (size_t p = 0; p < k4; p++) {
    const uint8_t *bp = b + p * bstep;
    __m512i b0 = _mm512_loadu_si512(bp);
    __m512i b1 = NV > 1 ? _mm512_loadu_si512(bp + 64) : b0;
    for (int r = 0; r < MR; r++) {
      __m512i wv = _mm512_set1_epi32(*(const lyra_i32u *)(a + r * kp + 4 * p));
      acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], b0, wv);
      if (NV > 1) acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], b1, wv);
    }
  }
  for (int r = 0; r < MR; r++) {
    size_t row = r0 + r;
    if (row >= w->m) break;
    __m512i z = _mm512_set1_epi32(w->zsum[row]);
    __m512 s = _mm512_set1_ps(w->scale[row]), bias = _mm512_set1_ps(w->bias[row]);
    for (int v = 0; v < NV; v++) {
      size_t first = (size_t)v * 16;
      if (first >= cols) break;
      size_t nc = cols - first < 16 ? cols - first : 16;
      __m512 f = _mm512_add_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(acc[r][v], z)), s), bias);
      if (relu) f = _mm512_max_ps(f, _mm512_setzero_ps());
      if (cs == 1) {
        _mm512_mask_storeu_ps(c + row * rs + c0 + first, (__mmask16)((1u << nc) - 1), f);
      } else {
        float tmp[16];
        _mm512_storeu_ps(tmp, f);
        for (size_t j = 0; j < nc; j++) c[row * rs + (c0 + first + j) * cs] = tmp[j];
      }
    }
  }
}

#define STRIP(MR)                                                                                         \
  TARGET static void strip_##MR(const lyra_qweights *w, size_t n, const uint8_t *b, float *c, size_t rs,  \
                                size_t cs, int relu) {                                                     \
    size_t npad = lyra_qround(n, 16);                                                                      \
    for (size_t c0 = 0; c0 < n; c0 += 32) {                                                                \
      size_t cols = n - c0 < 32 ? n - c0 : 32;                                                             \
      const uint8_t *bs = b + c0 * 4;                                                                      \
      for (size_t r0 = 0; r0 < w->m; r0 += MR) {                                                           \
        if (cols > 16) tile(MR, 2, w, r0, c0, cols, bs, npad * 4, c, rs, cs, relu);                        \
        else tile(MR, 1, w, r0, c0, cols, bs, npad * 4, c, rs, cs, relu);                                 \
      }                                                                                                    \
    }                                                                                                      \
  }
STRIP(12)
STRIP(8)

void lyra_qgemm_vnni(const lyra_qweights *w, size_t n, const uint8_t *b, float *c, size_t rs, size_t cs, int relu) {
  if (w->mr == 8) strip_8(w, n, b, c, rs, cs, relu);
  else strip_12(w, n, b, c, rs, cs, relu);
}

/* x/scale rounded half-to-even (the MXCSR default that roundscale's mode 0 uses), plus the zero
 * point, clamped to [0, levels] (max_ps returns its second operand for NaN: NaN → 0), then
 * narrowed with unsigned saturation. */
__attribute__((target("avx512f,avx512bw,avx512vl"))) void lyra_quantize_u8_avx512(const float *x, size_t count, float scale, float zero_point,
                                                                         float levels, uint8_t *dst) {
  __m512 s = _mm512_set1_ps(scale), z = _mm512_set1_ps(zero_point), hi = _mm512_set1_ps(levels), lo = _mm512_setzero_ps();
  size_t i = 0;
  for (; i < count; i += 16) {
    size_t nc = count - i < 16 ? count - i : 16;
    __mmask16 m = (__mmask16)((1u << nc) - 1);
    __m512 v = _mm512_maskz_loadu_ps(m, x + i);
    __m512 q = _mm512_add_ps(_mm512_roundscale_ps(_mm512_div_ps(v, s), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC), z);
    q = _mm512_min_ps(_mm512_max_ps(q, lo), hi);
    _mm_mask_storeu_epi8(dst + i, m, _mm512_cvtusepi32_epi8(_mm512_cvtps_epu32(q)));
  }
}
#else
void lyra_qgemm_vnni(const lyra_qweights *w, size_t n, const uint8_t *b, float *c, size_t rs, size_t cs, int relu) {
  (void)w; (void)n; (void)b; (void)c; (void)rs; (void)cs; (void)relu;
}
void lyra_quantize_u8_avx512(const float *x, size_t count, float scale, float zero_point, float levels, uint8_t *dst) {
  (void)x; (void)count; (void)scale; (void)zero_point; (void)levels; (void)dst;
}
#endif
