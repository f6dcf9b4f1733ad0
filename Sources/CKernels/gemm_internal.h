/* The GEMM micro-kernel table shared by sgemm.c and the per-level kernel files. */
#ifndef LYRA_GEMM_INTERNAL_H
#define LYRA_GEMM_INTERNAL_H
#include <stddef.h>

/* C[mr×nr] = Ap·Bp + beta·C for one register tile, mr ≤ MR and nr ≤ NR (the edges of C). Ap holds
 * kc steps of MR values (a column of the tile's rows each step), Bp kc steps of NR values, both
 * zero-padded to the full tile and 64-byte aligned. beta == 0 never reads C. */
typedef void (*lyra_gemm_ukernel)(size_t kc, const float *ap, const float *bp, float *c, size_t ldc,
                                  float beta, size_t mr, size_t nr);

/* One level's micro-kernel and its cache blocking: MC×KC of A stays in L2, a KC×NR strip of B in
 * L1 while the kernel walks down the MC rows, KC×NC of B in L3. */
typedef struct {
  size_t mr, nr, mc, kc, nc;
  lyra_gemm_ukernel kernel;
  const char *tile;
} lyra_gemm_kernel;

extern const lyra_gemm_kernel lyra_gemm_kernel_portable;
extern const lyra_gemm_kernel lyra_gemm_kernel_avx2;
extern const lyra_gemm_kernel lyra_gemm_kernel_avx512;
#endif
