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
/* Whether the CPU (and OS) have AVX-512 VNNI: the integer kernels' fastest path (lyra_qgemm). */
int lyra_cpu_has_vnni(void);
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
/* C = A·B + beta·C (A row-major m×k, not transposed) where B's row p is the n floats at
 * b + boff[p]: the implicit-GEMM convolution, whose B rows are shifted windows of one
 * zero-padded image (no im2col matrix). Reads exactly the n floats of each row; level as in
 * lyra_sgemm_level (pass lyra_isa_active() for the active path). Returns 0, or -1 as lyra_sgemm. */
int lyra_sgemm_offsets(int level, size_t m, size_t n, size_t k, const float *a, size_t lda,
                       const float *b, const int32_t *boff, float beta, float *c, size_t ldc);
/* A B operand packed once for many products (weights kept between inference calls): the count
 * of floats its packed form takes on a level, the packing (op(B) k×n; B stored n×k when
 * trans_b), and the product C = op(A)·B + beta·C reading it. The layout depends on the level
 * and n only (not on m), so one packed B serves every batch size; pack and multiply on the same
 * level. lyra_sgemm_prepacked returns 0, or -1 as lyra_sgemm. */
size_t lyra_sgemm_packed_b_count(int level, size_t n, size_t k);
void lyra_sgemm_pack_b(int level, int trans_b, size_t n, size_t k, const float *b, size_t ldb, float *dst);
int lyra_sgemm_prepacked(int level, int trans_a, size_t m, size_t n, size_t k, const float *a, size_t lda,
                         const float *packed_b, float beta, float *c, size_t ldc);
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

/* One SGD-with-momentum step over a parameter's n floats (PyTorch's update, one pass): d = g + wd·w
 * when decay, v = mu·v + keep·d (v = d when first), then w += neg_lr·v, or w += neg_lr·(d + mu·v)
 * with Nesterov. v must not alias w or g. */
void lyra_sgd_momentum(float *w, const float *g, float *v, size_t n, float neg_lr, float wd, float mu, float keep,
                       int decay, int nesterov, int first);

/* One plane of 2×2 stride-2 max pooling (input rows of W floats, OH×OW outputs; `ind` may be
 * NULL, else gets each output's flat input index), PyTorch's NaN and tie rules. Returns 1 when
 * the active path has a C kernel for it (AVX-512), 0 when the caller's own loop must run. */
int lyra_maxpool2x2_plane(const float *x, float *y, int32_t *ind, size_t W, size_t OH, size_t OW);


/* ---- Integer (int8) products for quantised inference (qgemm.c, qpack.c) ----
 * C[m×n] = scale[r]·(Σ_k A[r,k]·B[k,c] − zero_point·Σ_k A[r,k]) + bias[r], optionally ReLU'd:
 * A holds a layer's signed weights (|A| ≤ 127, one row per output channel), B unsigned
 * activations (0…255) with the zero point `zero_point`, so the product is exactly the float
 * layer's on the quantised grid (the sums are exact in 32-bit integers), rescaled once per
 * output. B is packed by the caller into groups of four k steps: byte (p·npad + c)·4 + i holds
 * B[4p + i, c], npad = n rounded up to 16, k rounded up to 4 with zero bytes (what
 * vpdpbusd reads: four u8·s8 products per 32-bit lane). Paths: AVX-512 VNNI, AVX2 (16-bit
 * multiply-adds, also taken on AVX-512 CPUs without VNNI) and portable C; every path computes
 * the same integers. */

/* Bytes of packed B for k×n. */
size_t lyra_qpack_size(size_t k, size_t n);
/* x (count floats) to `levels`+1 unsigned steps: clamp(round_half_even(x / scale) + zero_point,
 * 0, levels), as the fake-quantised layers compute it. NaN becomes step 0. */
void lyra_quantize_u8(const float *x, size_t count, float scale, float zero_point, float levels, uint8_t *dst);
/* The im2col matrix of one quantised C×H×W image, packed: k = C·kh·kw rows in (c, i, j) order,
 * n = OH·OW columns; taps outside the image read `pad` (the zero point: 0 is exact on the grid). */
void lyra_qpack_im2col(const uint8_t *x, size_t C, size_t H, size_t W, size_t kh, size_t kw,
                       size_t sh, size_t sw, size_t ph, size_t pw, size_t dh, size_t dw,
                       size_t OH, size_t OW, uint8_t pad, uint8_t *dst);
/* B = xᵀ packed, for x n rows of k bytes (row stride ldx): a linear layer's batch. */
void lyra_qpack_rows(const uint8_t *x, size_t n, size_t k, size_t ldx, uint8_t *dst);

/* A layer's weights prepared for one level (padded rows, the zero-point row sums, the combined
 * scales), built once per forward call and shared read-only by every thread. NULL when memory
 * runs out. */
typedef struct lyra_qweights lyra_qweights;
lyra_qweights *lyra_qweights_new(int level, size_t m, size_t k, const int8_t *w, size_t ldw,
                                 const float *scale, const float *bias, int32_t zero_point);
void lyra_qweights_free(lyra_qweights *w);
/* C = the product above for packed B (n columns); C(r, c) is written at c_out[r·rs + c·cs]. */
void lyra_qgemm(const lyra_qweights *w, size_t n, const uint8_t *b_packed, float *c_out, size_t rs, size_t cs, int relu);
/* Which integer kernel a level runs: "avx512-vnni", "avx2" or "portable". */
const char *lyra_qgemm_path(int level);

/* Peak probe: multiply-adds per second one thread reaches on a level's widest FMA, counted as
 * 2 flops each (an unrolled loop of independent FMAs, `seconds` long). For the benchmarks'
 * "share of peak" column, never for tests. */
double lyra_fma_peak_gflops(int level, double seconds);

#ifdef __cplusplus
}
#endif
#endif
