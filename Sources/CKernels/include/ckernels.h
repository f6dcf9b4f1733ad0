/* CKernels: Lyra's hand-written inner loops in C, one binary for every x86-64 CPU.
 *
 * Each kernel has a portable path, an AVX2+FMA path and an AVX-512 path, compiled side by side
 * with per-function target attributes (never with -mavx* for the whole file, so the portable
 * path and the dispatch code stay runnable on any x86-64). At start-up the CPU's features are
 * read once (cpuid plus the OS's xgetbv state); LYRA_ISA=avx512|avx2|portable lowers the choice,
 * never raises it. Swift keeps the orchestration (threads, shapes, autograd); this target holds
 * only the arithmetic. docs/performance.md has the measurements behind each choice. */
#ifndef LYRA_CKERNELS_H
#define LYRA_CKERNELS_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Instruction-set levels, lowest first. */
enum { LYRA_ISA_PORTABLE = 0, LYRA_ISA_AVX2 = 1, LYRA_ISA_AVX512 = 2 };

/* The highest level this CPU and OS support (cpuid + xgetbv), ignoring LYRA_ISA. */
int lyra_isa_detected(void);
/* The level kernels use now: the detected one, lowered by LYRA_ISA or lyra_isa_set. */
int lyra_isa_active(void);
/* `level` lowered to the detected one: what every entry point taking a level runs, so no caller
 * can reach an instruction the CPU lacks. */
int lyra_isa_clamp(int level);
/* Force a level (clamped to the detected one); returns the level now active. For tests and
 * benchmarks that run every path on one machine. Not thread-safe against running kernels. */
int lyra_isa_set(int level);
/* "portable", "avx2" or "avx512"; "?" for anything else. */
const char *lyra_isa_name(int level);
/* Parses a level name as LYRA_ISA takes it; -1 when it is not one. */
int lyra_isa_parse(const char *name);
/* What LYRA_ISA held when it could not be used (not a level name), or NULL. */
const char *lyra_isa_env_rejected(void);

/* Row-major single-precision GEMM on one thread: C = op(A)·op(B) + beta·C, where op(A) is
 * m×k (A stored k×m when trans_a) and op(B) is k×n (B stored n×k when trans_b). beta == 0
 * never reads C (so C may hold NaN). Packed panels and a register-blocked micro-kernel of the
 * active level. Returns 0, or -1 when the packing buffers could not be allocated (C untouched). */
int lyra_sgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k,
               const float *a, size_t lda, const float *b, size_t ldb,
               float beta, float *c, size_t ldc);
/* The same product on a given level's micro-kernel (clamped to the detected level): what the
 * tests use to check every path against a naive reference on one machine. */
int lyra_sgemm_level(int level, int trans_a, int trans_b, size_t m, size_t n, size_t k,
                     const float *a, size_t lda, const float *b, size_t ldb,
                     float beta, float *c, size_t ldc);
/* Which operands GEMM packs: 0 (default) decides per call from the reuse each copy would get,
 * 1 packs both, 2 only what the kernels cannot read in place. For tests (every layout path
 * against the naive product) and for the measurements in docs/performance.md. */
extern int lyra_gemm_pack_policy;

/* The micro-kernel's register tile (rows × columns of C) on a level: "6x16" and the like;
 * "12x32|8x32" on AVX-512, where a product whose row count is a multiple of 8 but not of 12
 * takes the 8-row tile. */
const char *lyra_sgemm_tile(int level);

/* Per-plane loops (contiguous floats) of batch norm and the sums other kernels share, on the
 * active path. `keep` (may be NULL) masks the gradient to 0 where keep[i] <= 0: the output of a
 * fused ReLU. Sums use 2·lanes accumulators, then the scalar tail (a fixed order per path). */
float lyra_plane_sum(const float *p, size_t n);
/* Σ (p[i] − shift) and Σ (p[i] − shift)² in one pass: batch norm's statistics, shifted by a value
 * of the channel so the variance E[d²] − E[d]² does not cancel when |mean| ≫ std. */
void lyra_plane_shifted_sums(const float *p, size_t n, float shift, float *sum, float *sum_sq);
/* Σ g and Σ g·(x − mean), g masked by keep. */
void lyra_plane_grad_sums(const float *g, const float *x, const float *keep, size_t n, float mean,
                          float *sum_g, float *sum_gx);
/* d = k·(g − mean_g − (x − mean)·x_coef), g masked by keep: batch norm's input gradient. */
void lyra_plane_bn_grad_input(const float *g, const float *x, float *d, const float *keep, size_t n,
                              float k, float mean_g, float mean, float x_coef);
/* y = x·scale + shift, then max(·, 0) when relu (y may alias x). */
void lyra_plane_affine(const float *x, float *y, size_t n, float scale, float shift, int relu);

/* One plane of 2×2 stride-2 max pooling (input rows of W floats, OH×OW outputs; `ind` may be
 * NULL, else gets each output's flat input index), PyTorch's NaN and tie rules. Returns 1 when
 * the active path has a C kernel for it (AVX-512), 0 when the caller's own loop must run. */
int lyra_maxpool2x2_plane(const float *x, float *y, int32_t *ind, size_t W, size_t OH, size_t OW);

/* Peak probe: multiply-adds per second one thread reaches on a level's widest FMA, counted as
 * 2 flops each (an unrolled loop of independent FMAs, `seconds` long). For the benchmarks'
 * "share of peak" column, never for tests. */
double lyra_fma_peak_gflops(int level, double seconds);

#ifdef __cplusplus
}
#endif
#endif
