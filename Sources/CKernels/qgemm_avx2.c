/* The AVX2 integer kernel (also the path of AVX-512 CPUs without VNNI): 6 rows × 8 columns.
 * vpmaddubsw would saturate (255·127·2 > 32767), so activations are widened to 16 bits and
 * multiplied with vpmaddwd, which is exact: per group of four k steps, two 16-byte loads widened
 * to 4 columns × 4 steps each, one 8-byte broadcast of the row's four 16-bit weights, and per
 * row two vpmaddwd + vpaddd into 12 accumulators that hold each column's sum as two halves
 * (folded by vphaddd at the end). */
#include "qgemm_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

#define TARGET __attribute__((target("avx2,fma")))
#define MR 6

TARGET static void tile6x8(const lyra_qweights *w, size_t r0, size_t c0, size_t cols, const uint8_t *b, size_t bstep,
                           float *c, size_t rs, size_t cs, int relu) {
  __m256i acc[MR][2];
  for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
  const int16_t *a = w->a16 + r0 * w->kp;
  size_t kp = w->kp, k4 = kp / 4;
  for (size_t p = 0; p < k4; p++) {
    const uint8_t *bp = b + p * bstep;
    __m256i b0 = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)bp));
    __m256i b1 = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(bp + 16)));
    for (int r = 0; r < MR; r++) {
      __m256i wv = _mm256_set1_epi64x(*(const lyra_i64u *)(a + r * kp + 4 * p));
      acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(b0, wv));
      acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(b1, wv));
    }
  }
  for (int r = 0; r < MR; r++) {
    size_t row = r0 + r;
    if (row >= w->m) break;
    /* hadd: [c0 c1 c4 c5 | c2 c3 c6 c7]; the permute puts the columns in order. */
    __m256i sums = _mm256_permute4x64_epi64(_mm256_hadd_epi32(acc[r][0], acc[r][1]), 0xD8);
    if (cols == 8 && cs == 1) {
      __m256 f = _mm256_cvtepi32_ps(_mm256_sub_epi32(sums, _mm256_set1_epi32(w->zsum[row])));
      f = _mm256_add_ps(_mm256_mul_ps(f, _mm256_set1_ps(w->scale[row])), _mm256_set1_ps(w->bias[row]));
      if (relu) f = _mm256_max_ps(f, _mm256_setzero_ps());
      _mm256_storeu_ps(c + row * rs + c0, f);
    } else {
      int32_t tmp[8];
      _mm256_storeu_si256((__m256i *)tmp, sums);
      lyra_qstore_row(w, row, tmp, c0, cols, c, rs, cs, relu);
    }
  }
}

TARGET void lyra_qgemm_avx2(const lyra_qweights *w, size_t n, const uint8_t *b, float *c, size_t rs, size_t cs, int relu) {
  size_t npad = lyra_qround(n, 16);
  for (size_t c0 = 0; c0 < n; c0 += 8) {
    size_t cols = n - c0 < 8 ? n - c0 : 8;
    for (size_t r0 = 0; r0 < w->m; r0 += MR) tile6x8(w, r0, c0, cols, b + c0 * 4, npad * 4, c, rs, cs, relu);
  }
}
#else
void lyra_qgemm_avx2(const lyra_qweights *w, size_t n, const uint8_t *b, float *c, size_t rs, size_t cs, int relu) {
  (void)w; (void)n; (void)b; (void)c; (void)rs; (void)cs; (void)relu;
}
#endif
