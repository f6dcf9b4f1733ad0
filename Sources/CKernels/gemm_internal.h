/* The GEMM micro-kernel table shared by sgemm.c and the per-level kernel files. */
#ifndef LYRA_GEMM_INTERNAL_H
#define LYRA_GEMM_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

/* C[mr×nr] = A·B + beta·C for one register tile, mr ≤ MR and nr ≤ NR (the edges of C), over kc
 * steps. B's step p is the NR contiguous floats at b + p·bstep (a packed strip, bstep = NR, or
 * B's own rows, bstep = ldb). A comes in one of two layouts, one kernel each:
 *   rows: step p's MR values are contiguous at a + p·astride (a packed strip, astride = MR, or a
 *         transposed A's own rows, astride = lda);
 *   cols: row r's kc values are contiguous at a + r·astride (A's own rows, astride = lda).
 * Both read all MR rows and NR columns, so the driver packs (zero-padded) whatever strip would
 * reach past A's or B's edge. beta == 0 never reads C. */
typedef void (*lyra_gemm_ukernel)(size_t kc, const float *a, size_t astride, const float *b, size_t bstep,
                                  float *c, size_t ldc, float beta, size_t mr, size_t nr);

/* The same tile with B's step p read at b + boff[p] (a row-offset table): the implicit-GEMM
 * convolution reads B's rows straight from a zero-padded image (`lyra_sgemm_offsets`). One
 * pointer load per step beside the 2 B loads and up to 24 FMAs. */
typedef void (*lyra_gemm_tkernel)(size_t kc, const float *a, size_t astride, const float *b, const int32_t *boff,
                                  float *c, size_t ldc, float beta, size_t mr, size_t nr);

/* One level's micro-kernels and its cache blocking: MC×KC of A stays in L2, a KC×NR strip of B
 * in L1 while the kernel walks down the MC rows, KC×NC of B in L3. */
typedef struct {
  size_t mr, nr, mc, kc, nc;
  lyra_gemm_ukernel rows, cols;
  const char *tile;
  lyra_gemm_tkernel rows_table, cols_table;
} lyra_gemm_kernel;

/* A transposed B strip into packed form with AVX2 8×8 register transposes (gemm_avx2.c); the
 * caller zero-fills columns cols..<NR. Only on CPUs with AVX2. */
void lyra_pack_bt_avx2(const float *b, size_t ldb, size_t kc, size_t cols, size_t nr_stride, float *dst);

extern const lyra_gemm_kernel lyra_gemm_kernel_portable;
extern const lyra_gemm_kernel lyra_gemm_kernel_avx2;
extern const lyra_gemm_kernel lyra_gemm_kernel_avx512;
extern const lyra_gemm_kernel lyra_gemm_kernel_avx512_8;

/* Expands to a level's four kernels from one always-inlined body
 * `CORE(kc, a, rs, cs, b, bstep, boff, ...)` that reads A(r, p) at a[r·rs + p·cs] and B's step p
 * at b + boff[p] when boff is given, else at b + p·bstep: with rs or cs a constant 1 and boff a
 * constant NULL or not, the compiler gives each layout its own addressing. */
#define LYRA_GEMM_LAYOUTS(ATTR, CORE, ROWS, COLS)                                                   \
  ATTR static void ROWS(size_t kc, const float *a, size_t astride, const float *b, size_t bstep,   \
                        float *c, size_t ldc, float beta, size_t mr, size_t nr) {                  \
    CORE(kc, a, 1, astride, b, bstep, NULL, c, ldc, beta, mr, nr);                                 \
  }                                                                                                \
  ATTR static void COLS(size_t kc, const float *a, size_t astride, const float *b, size_t bstep,   \
                        float *c, size_t ldc, float beta, size_t mr, size_t nr) {                  \
    CORE(kc, a, astride, 1, b, bstep, NULL, c, ldc, beta, mr, nr);                                 \
  }                                                                                                \
  ATTR static void ROWS##_table(size_t kc, const float *a, size_t astride, const float *b,         \
                                const int32_t *boff, float *c, size_t ldc, float beta, size_t mr,  \
                                size_t nr) {                                                       \
    CORE(kc, a, 1, astride, b, 0, boff, c, ldc, beta, mr, nr);                                     \
  }                                                                                                \
  ATTR static void COLS##_table(size_t kc, const float *a, size_t astride, const float *b,         \
                                const int32_t *boff, float *c, size_t ldc, float beta, size_t mr,  \
                                size_t nr) {                                                       \
    CORE(kc, a, astride, 1, b, 0, boff, c, ldc, beta, mr, nr);                                     \
  }
#endif
