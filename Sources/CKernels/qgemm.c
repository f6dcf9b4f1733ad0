/* The integer product behind quantised inference (ckernels.h): weights prepared once per call,
 * then a register-tiled kernel per path. Why integers: AVX-512 VNNI's vpdpbusd does 64 u8·s8
 * multiply-adds per instruction where an FMA does 16 float ones, and the sums are exact, so the
 * integer layer computes what the fake-quantised float layer computes up to the float rounding
 * of the latter (Jacob et al., "Quantization and Training of Neural Networks for Efficient
 * Integer-Arithmetic-Only Inference", CVPR 2018, §2.3's zero-point expansion). */
#include "qgemm_internal.h"
#include <stdlib.h>
#include <string.h>

static int qpath_for(int level) {
  level = lyra_isa_clamp(level);
  if (level >= LYRA_ISA_AVX512 && lyra_cpu_has_vnni()) return LYRA_QPATH_VNNI;
  if (level >= LYRA_ISA_AVX2) return LYRA_QPATH_AVX2;
  return LYRA_QPATH_PORTABLE;
}

const char *lyra_qgemm_path(int level) {
  switch (qpath_for(level)) {
    case LYRA_QPATH_VNNI: return "avx512-vnni";
    case LYRA_QPATH_AVX2: return "avx2";
    default: return "portable";
  }
}

size_t lyra_qpack_size(size_t k, size_t n) { return lyra_qround(k, 4) * lyra_qround(n, 16); }

void lyra_qweights_free(lyra_qweights *w) {
  if (w == NULL) return;
  free(w->a8);
  free(w->a16);
  free(w->zsum);
  free(w->scale);
  free(w->bias);
  free(w);
}

/* The tile height of a path: VNNI 12 rows, or 8 when that pads fewer rows (16, 32, 64 channels:
 * the same rule as the float kernels); AVX2 6 (12 of 16 ymm accumulate); portable 4. */
static size_t tile_rows(int path, size_t m) {
  if (path == LYRA_QPATH_VNNI) return (8 - m % 8) % 8 < (12 - m % 12) % 12 ? 8 : 12;
  return path == LYRA_QPATH_AVX2 ? 6 : 4;
}

lyra_qweights *lyra_qweights_new(int level, size_t m, size_t k, const int8_t *src, size_t ldw,
                                 const float *scale, const float *bias, int32_t zero_point) {
  lyra_qweights *w = calloc(1, sizeof *w);
  if (w == NULL) return NULL;
  w->path = qpath_for(level);
  w->m = m;
  w->k = k;
  w->kp = lyra_qround(k > 0 ? k : 1, 4);
  w->mr = tile_rows(w->path, m);
  w->mpad = lyra_qround(m > 0 ? m : 1, w->mr);
  size_t cells = w->mpad * w->kp;
  w->zsum = calloc(w->mpad, sizeof *w->zsum);
  w->scale = calloc(w->mpad, sizeof *w->scale);
  w->bias = calloc(w->mpad, sizeof *w->bias);
  if (w->path == LYRA_QPATH_AVX2) w->a16 = aligned_alloc(64, lyra_qround(cells * 2, 64));
  else w->a8 = aligned_alloc(64, lyra_qround(cells, 64));
  if (!w->zsum || !w->scale || !w->bias || (!w->a16 && !w->a8)) {
    lyra_qweights_free(w);
    return NULL;
  }
  if (w->a8) memset(w->a8, 0, cells);
  if (w->a16) memset(w->a16, 0, cells * 2);
  for (size_t r = 0; r < m; r++) {
    int32_t sum = 0;
    for (size_t j = 0; j < k; j++) {
      int8_t v = src[r * ldw + j];
      sum += v;
      if (w->a8) w->a8[r * w->kp + j] = v;
      else w->a16[r * w->kp + j] = v;
    }
    w->zsum[r] = zero_point * sum;
    w->scale[r] = scale[r];
    w->bias[r] = bias ? bias[r] : 0.0f;
  }
  return w;
}

/* Portable: 4 rows × 16 columns of 32-bit sums per tile, plain C. */
static void qgemm_portable(const lyra_qweights *w, size_t n, const uint8_t *b, float *c, size_t rs, size_t cs, int relu) {
  size_t npad = lyra_qround(n, 16), k4 = w->kp / 4;
  for (size_t c0 = 0; c0 < n; c0 += 16) {
    size_t cols = n - c0 < 16 ? n - c0 : 16;
    for (size_t r0 = 0; r0 < w->m; r0 += 4) {
      int32_t acc[4][16];
      memset(acc, 0, sizeof acc);
      for (size_t p = 0; p < k4; p++) {
        const uint8_t *bp = b + (p * npad + c0) * 4;
        for (size_t r = 0; r < 4; r++) {
          const int8_t *ap = w->a8 + (r0 + r) * w->kp + 4 * p;
          for (size_t j = 0; j < 16; j++)
            acc[r][j] += ap[0] * bp[4 * j] + ap[1] * bp[4 * j + 1] + ap[2] * bp[4 * j + 2] + ap[3] * bp[4 * j + 3];
        }
      }
      for (size_t r = 0; r < 4 && r0 + r < w->m; r++) lyra_qstore_row(w, r0 + r, acc[r], c0, cols, c, rs, cs, relu);
    }
  }
}

void lyra_qgemm(const lyra_qweights *w, size_t n, const uint8_t *b, float *c, size_t rs, size_t cs, int relu) {
  if (w == NULL || n == 0 || w->m == 0) return;
  switch (w->path) {
    case LYRA_QPATH_VNNI: lyra_qgemm_vnni(w, n, b, c, rs, cs, relu); break;
    case LYRA_QPATH_AVX2: lyra_qgemm_avx2(w, n, b, c, rs, cs, relu); break;
    default: qgemm_portable(w, n, b, c, rs, cs, relu); break;
  }
}
