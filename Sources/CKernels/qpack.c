/* Quantising activations and packing them for the integer product (ckernels.h): the layout is
 * groups of four k steps, each column's four bytes side by side, which is what one 32-bit lane
 * of vpdpbusd (and two of AVX2's vpmaddwd) multiplies with a row's four weights. */
#include "qgemm_internal.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define QUANTIZE_BODY                                                   \
  for (size_t i = 0; i < count; i++) {                                  \
    float q = nearbyintf(x[i] / scale) + zero_point;                    \
    if (!(q >= 0)) q = 0; /* NaN too */                                 \
    if (q > levels) q = levels;                                         \
    dst[i] = (uint8_t)q;                                                \
  }

static void quantize_portable(const float *x, size_t count, float scale, float zero_point, float levels, uint8_t *dst) {
  QUANTIZE_BODY
}

#if defined(__x86_64__)
/* The same loop compiled for AVX2, which the compiler vectorises with vroundps. */
__attribute__((target("avx2,fma"))) static void quantize_avx2(const float *x, size_t count, float scale, float zero_point,
                                                           float levels, uint8_t *dst) {
  QUANTIZE_BODY
}
#endif

void lyra_quantize_u8(const float *x, size_t count, float scale, float zero_point, float levels, uint8_t *dst) {
  int level = lyra_isa_active();
#if defined(__x86_64__)
  if (level >= LYRA_ISA_AVX512) { lyra_quantize_u8_avx512(x, count, scale, zero_point, levels, dst); return; }
  if (level >= LYRA_ISA_AVX2) { quantize_avx2(x, count, scale, zero_point, levels, dst); return; }
#endif
  (void)level;
  quantize_portable(x, count, scale, zero_point, levels, dst);
}

/* Four rows of n bytes to n four-byte columns at dst (16 columns per step with SSE2's byte and
 * word interleaves; the rows are readable up to n rounded up to 16). */
static void interleave4(const uint8_t *r0, const uint8_t *r1, const uint8_t *r2, const uint8_t *r3, size_t n, uint8_t *dst) {
  size_t j = 0;
#if defined(__SSE2__)
  for (; j + 16 <= n; j += 16) {
    __m128i a = _mm_loadu_si128((const __m128i *)(r0 + j)), b = _mm_loadu_si128((const __m128i *)(r1 + j));
    __m128i c = _mm_loadu_si128((const __m128i *)(r2 + j)), d = _mm_loadu_si128((const __m128i *)(r3 + j));
    __m128i ab_lo = _mm_unpacklo_epi8(a, b), ab_hi = _mm_unpackhi_epi8(a, b);
    __m128i cd_lo = _mm_unpacklo_epi8(c, d), cd_hi = _mm_unpackhi_epi8(c, d);
    __m128i *o = (__m128i *)(dst + 4 * j);
    _mm_storeu_si128(o, _mm_unpacklo_epi16(ab_lo, cd_lo));
    _mm_storeu_si128(o + 1, _mm_unpackhi_epi16(ab_lo, cd_lo));
    _mm_storeu_si128(o + 2, _mm_unpacklo_epi16(ab_hi, cd_hi));
    _mm_storeu_si128(o + 3, _mm_unpackhi_epi16(ab_hi, cd_hi));
  }
#endif
  for (; j < n; j++) {
    dst[4 * j] = r0[j];
    dst[4 * j + 1] = r1[j];
    dst[4 * j + 2] = r2[j];
    dst[4 * j + 3] = r3[j];
  }
}

/* Copies n bytes in 16-byte steps, writing up to 15 bytes past dst + n and reading as far past
 * src + n: the buffers below keep 16 bytes of slack, and every overshoot lands where a later
 * write (or nothing that is read) goes. Small rows (a 14-wide feature map) become one vector
 * move instead of a libc call: the call and its size dispatch had cost more than the GEMM. */
static inline void copy16(uint8_t *dst, const uint8_t *src, size_t n) {
  for (size_t i = 0; i < n; i += 16) memcpy(dst + i, src + i, 16);
}

/* The quantised image with its padding made explicit (every border byte `pad`), rows of
 * Wp = W + 2·pw bytes, so each tap row of the im2col matrix is a plain slice of it. */
static void pad_image(const uint8_t *x, size_t C, size_t H, size_t W, size_t ph, size_t pw, uint8_t pad, uint8_t *dst) {
  size_t Hp = H + 2 * ph, Wp = W + 2 * pw;
  for (size_t c = 0; c < C; c++) {
    uint8_t *plane = dst + c * Hp * Wp;
    memset(plane, pad, ph * Wp);
    for (size_t h = 0; h < H; h++) {
      uint8_t *row = plane + (ph + h) * Wp;
      memset(row, pad, pw);
      size_t at = (c * H + h) * W;
      if (at + lyra_qround(W, 16) <= C * H * W) copy16(row + pw, x + at, W);
      else memcpy(row + pw, x + at, W); /* the image's last rows: no slack to read past */
      memset(row + pw + W, pad, pw);
    }
    memset(plane + (ph + H) * Wp, pad, ph * Wp);
  }
}

/* Row `krow` = (c, i, j) of the im2col matrix (OH·OW bytes) from the padded image. */
static void im2col_row(const uint8_t *xp, size_t Hp, size_t Wp, size_t kh, size_t kw, size_t sh, size_t sw, size_t dh,
                       size_t dw, size_t OH, size_t OW, size_t krow, uint8_t *row) {
  size_t c = krow / (kh * kw), i = krow / kw % kh, j = krow % kw;
  const uint8_t *src = xp + (c * Hp + i * dh) * Wp + j * dw;
  for (size_t oh = 0; oh < OH; oh++, src += sh * Wp, row += OW) {
    if (sw == 1) copy16(row, src, OW);
    else for (size_t ow = 0; ow < OW; ow++) row[ow] = src[ow * sw];
  }
}

void lyra_qpack_im2col(const uint8_t *x, size_t C, size_t H, size_t W, size_t kh, size_t kw,
                       size_t sh, size_t sw, size_t ph, size_t pw, size_t dh, size_t dw,
                       size_t OH, size_t OW, uint8_t pad, uint8_t *dst) {
  size_t k = C * kh * kw, n = OH * OW, npad = lyra_qround(n, 16), k4 = lyra_qround(k, 4) / 4;
  size_t Hp = H + 2 * ph, Wp = W + 2 * pw, padded = C * Hp * Wp + 16, rows_size = 4 * (npad + 16);
  uint8_t stack[16 * 1024];
  uint8_t *buf = padded + rows_size <= sizeof stack ? stack : malloc(padded + rows_size);
  if (buf == NULL) { memset(dst, pad, k4 * npad * 4); return; }
  uint8_t *xp = buf, *rows = buf + padded;
  pad_image(x, C, H, W, ph, pw, pad, xp);
  for (size_t p = 0; p < k4; p++) {
    for (size_t t = 0; t < 4; t++) {
      uint8_t *r = rows + t * (npad + 16);
      size_t krow = 4 * p + t;
      if (krow < k) im2col_row(xp, Hp, Wp, kh, kw, sh, sw, dh, dw, OH, OW, krow, r);
      else memset(r, 0, n);
      memset(r + n, 0, npad - n);
    }
    interleave4(rows, rows + (npad + 16), rows + 2 * (npad + 16), rows + 3 * (npad + 16), npad, dst + p * npad * 4);
  }
  if (buf != stack) free(buf);
}

void lyra_qpack_rows(const uint8_t *x, size_t n, size_t k, size_t ldx, uint8_t *dst) {
  size_t npad = lyra_qround(n, 16), k4 = lyra_qround(k, 4) / 4, full = k / 4;
  int32_t *out = (int32_t *)dst;
  for (size_t p = 0; p < k4; p++) {
    int32_t *o = out + p * npad;
    if (p < full) {
      for (size_t j = 0; j < n; j++) o[j] = *(const lyra_i32u *)(x + j * ldx + 4 * p);
    } else {
      for (size_t j = 0; j < n; j++) {
        uint8_t w[4] = {0, 0, 0, 0};
        for (size_t t = 0; 4 * p + t < k; t++) w[t] = x[j * ldx + 4 * p + t];
        memcpy(o + j, w, 4);
      }
    }
    memset(o + n, 0, (npad - n) * 4);
  }
}
