/* The GEMM driver: Goto's blocking (K. Goto and R. van de Geijn, "Anatomy of high-performance
 * matrix multiplication", TOMS 2008) around the active level's micro-kernel. Where a copy is
 * reused enough (`pack_decision`), B is packed once per KC×NC block into NR-wide strips and A
 * once per MC×KC block into MR-tall strips; otherwise the kernels read them in place and only the
 * edge strips are packed. Packed strips are zero-padded, so the micro-kernel always runs a full
 * tile and only its stores are clipped to C's edges. */
#include "ckernels.h"
#include "gemm_internal.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The level's kernel for an m×n C: on AVX-512 the 8-row tile when it pads fewer rows than the
 * 12-row one (m a multiple of 8 but not of 12), and AVX2's 16-column tile when C is at most 16
 * wide (a 32-column tile would compute as many zero columns: the 16-channel weight gradient
 * 144×16×784 ran at 71 GFLOP/s on 12×32 and 76 on 6×16). */
static const lyra_gemm_kernel *kernel_for(int level, size_t m, size_t n) {
  level = lyra_isa_clamp(level);
  if (level >= LYRA_ISA_AVX512 && n <= 16) return &lyra_gemm_kernel_avx2;
  if (level >= LYRA_ISA_AVX512) {
    size_t pad12 = (12 - m % 12) % 12, pad8 = (8 - m % 8) % 8;
    return pad8 < pad12 ? &lyra_gemm_kernel_avx512_8 : &lyra_gemm_kernel_avx512;
  }
  if (level >= LYRA_ISA_AVX2) return &lyra_gemm_kernel_avx2;
  return &lyra_gemm_kernel_portable;
}

const char *lyra_sgemm_tile(int level) {
  return lyra_isa_clamp(level) >= LYRA_ISA_AVX512 ? "12x32|8x32" : kernel_for(level, 12, 32)->tile;
}

/* Per-thread packing buffers, grown on demand and kept: every GEMM of a training step reuses
 * them, so no allocation happens per call after the first (up to MC·KC + KC·NC floats, about
 * 6 MiB, per thread). A thread-specific key frees them when the thread exits: dispatch queues
 * start and retire threads, and buffers held in plain thread-locals would leak with each one. */
typedef struct {
  float *a, *b, *edge;
  size_t a_cap, b_cap, edge_cap;
} pack_buffers;

static pthread_key_t buffers_key;
static pthread_once_t buffers_once = PTHREAD_ONCE_INIT;

static void free_buffers(void *p) {
  pack_buffers *bufs = p;
  free(bufs->a);
  free(bufs->b);
  free(bufs->edge);
  free(bufs);
}

static void make_key(void) { pthread_key_create(&buffers_key, free_buffers); }

static pack_buffers *thread_buffers(void) {
  pthread_once(&buffers_once, make_key);
  pack_buffers *bufs = pthread_getspecific(buffers_key);
  if (bufs == NULL) {
    bufs = calloc(1, sizeof *bufs);
    if (bufs == NULL || pthread_setspecific(buffers_key, bufs) != 0) { free(bufs); return NULL; }
  }
  return bufs;
}

static float *ensure(float **buf, size_t *cap, size_t count) {
  if (*cap >= count) return *buf;
  void *p = NULL;
  if (posix_memalign(&p, 64, count * sizeof(float)) != 0) return NULL;
  free(*buf);
  *buf = p;
  *cap = count;
  return *buf;
}

/* Which operands to pack, for the experiments in docs/performance.md: 0 decides per call
 * (`pack_decision`), 1 packs both, 2 neither (only edge strips). */
int lyra_gemm_pack_policy = 0;

/* Packing copies an operand once so the micro-kernel reads it as one contiguous stream; it pays
 * only when the copy is reused often. B's KC×NC block serves every MR-row strip of A (m/MR uses);
 * A's MC×KC block every NR-column strip of B (n/NR uses). The kernels read either operand in
 * place (A's rows as MR streams, B's rows at stride ldb), so a small reuse count skips the copy:
 * convolutions multiply a small weight by a wide column matrix (forward) or a tall column matrix
 * by a narrow gradient (weight gradient), where packing the big operand cost as much as the
 * multiply (ResNet-mini training: 34 % of the time in packing, 37 % in the kernel). A transposed
 * B is always packed (the kernel reads B's rows contiguously). */
static void pack_decision(const lyra_gemm_kernel *K, int trans_b, size_t m, size_t n, int *pack_a, int *pack_b) {
  if (lyra_gemm_pack_policy == 1) { *pack_a = 1; *pack_b = 1; return; }
  if (lyra_gemm_pack_policy == 2) { *pack_a = 0; *pack_b = trans_b; return; }
  *pack_b = trans_b || m >= 8 * K->mr;
  *pack_a = n >= 8 * K->nr;
}

/* The two moves every packed strip is made of: kc steps of `count` values into rows of `stride`
 * floats, zero-padded from count to stride. `pack_steps` copies runs that are already contiguous
 * per step (src + p·ld, or src + off[p] through a row-offset table); `pack_gather` takes value r of step p from src[r·ld + p] (a row-major A,
 * a transposed B), step-major: one value from each of the count streams, then the next step
 * (4x faster than row-major with strided writes). `transposes` does it in AVX2 8×8 register
 * transposes (0.17 against 0.24 ns per element on MLP-sized strips). */
static void pack_steps(const float *src, size_t ld, const int32_t *off, size_t kc, size_t count, size_t stride,
                       float *dst) {
  for (size_t p = 0; p < kc; p++) {
    const float *s = off ? src + off[p] : src + p * ld;
    float *d = dst + p * stride;
    size_t r = 0;   /* a loop, not memcpy: a call per 64-128 bytes cost more than the copy */
    for (; r < count; r++) d[r] = s[r];
    for (; r < stride; r++) d[r] = 0;
  }
}

static void pack_gather(const float *src, size_t ld, size_t kc, size_t count, size_t stride, float *dst,
                        int transposes) {
#if defined(__x86_64__)
  if (transposes) {
    lyra_pack_bt_avx2(src, ld, kc, count, stride, dst);
    if (count < stride)
      for (size_t p = 0; p < kc; p++)
        for (size_t r = count; r < stride; r++) dst[p * stride + r] = 0;
    return;
  }
#endif
  (void)transposes;
  for (size_t p = 0; p < kc; p++) {
    float *d = dst + p * stride;
    size_t r = 0;
    for (; r < count; r++) d[r] = src[r * ld + p];
    for (; r < stride; r++) d[r] = 0;
  }
}

/* op(A)[i][p] for rows i0..<i0+mc, steps p0..<p0+kc, into MR-tall strips (p-major within a strip).
 * A stored k×m (trans) holds each step's values contiguously. The row-major gather stays scalar:
 * the register transposes measured no gain there. */
static void pack_a(size_t MR, int trans, const float *a, size_t lda, size_t i0, size_t mc, size_t p0, size_t kc,
                   float *dst) {
  for (size_t s = 0; s < mc; s += MR, dst += kc * MR) {
    size_t rows = mc - s < MR ? mc - s : MR;
    if (trans) pack_steps(a + p0 * lda + i0 + s, lda, NULL, kc, rows, MR, dst);
    else pack_gather(a + (i0 + s) * lda + p0, lda, kc, rows, MR, dst, 0);
  }
}

/* op(B)[p][j] for steps p0..<p0+kc, columns j0..<j0+nc, into NR-wide strips. B stored n×k
 * (trans): column j of op(B) is row j of B. With a row-offset table (never transposed), step p's
 * row starts at b + boff[p]. */
static void pack_b(size_t NR, int trans, const float *b, size_t ldb, const int32_t *boff, size_t p0, size_t kc,
                   size_t j0, size_t nc, float *dst, int level) {
  for (size_t s = 0; s < nc; s += NR, dst += kc * NR) {
    size_t cols = nc - s < NR ? nc - s : NR;
    if (trans) pack_gather(b + (j0 + s) * ldb + p0, ldb, kc, cols, NR, dst, level >= LYRA_ISA_AVX2);
    else if (boff) pack_steps(b + j0 + s, 0, boff + p0, kc, cols, NR, dst);
    else pack_steps(b + p0 * ldb + j0 + s, ldb, NULL, kc, cols, NR, dst);
  }
}

static void scale_c(size_t m, size_t n, float beta, float *c, size_t ldc) {
  for (size_t i = 0; i < m; i++) {
    float *row = c + i * ldc;
    if (beta == 0) memset(row, 0, n * sizeof(float));
    else if (beta != 1) for (size_t j = 0; j < n; j++) row[j] *= beta;
  }
}

/* Where block (jc, pc) of a B packed whole (`lyra_sgemm_pack_b`) starts: the column blocks
 * before jc are NC wide (a multiple of NR) and k deep; within jc's block the K blocks before pc
 * are pc steps of its NR-rounded width. */
static size_t prepacked_offset(size_t NR, size_t NC, size_t n, size_t k, size_t jc, size_t pc) {
  size_t nc = n - jc < NC ? n - jc : NC;
  return jc * k + pc * ((nc + NR - 1) / NR * NR);
}

/* The driver behind `lyra_sgemm_level`, `lyra_sgemm_offsets` and `lyra_sgemm_prepacked`: B's
 * step p is row p of B (b + p·ldb, or row p of a transposed B), with a table the row at
 * b + boff[p]; or B comes packed whole (`prepacked`, in `lyra_sgemm_pack_b`'s layout). */
static int gemm_driver(int level, int trans_a, int trans_b, size_t m, size_t n, size_t k,
                       const float *a, size_t lda, const float *b, size_t ldb, const int32_t *boff,
                       const float *prepacked, float beta, float *c, size_t ldc) {
  if (m == 0 || n == 0) return 0;
  if (k == 0) { scale_c(m, n, beta, c, ldc); return 0; }
  level = lyra_isa_clamp(level);   /* never run what the CPU lacks */
  const lyra_gemm_kernel *K = kernel_for(level, m, n);
  const size_t MR = K->mr, NR = K->nr;
  const size_t MC = K->mc, KC = K->kc, NC = K->nc;
  int packs_a, packs_b;
  pack_decision(K, trans_b, m, n, &packs_a, &packs_b);
  if (prepacked) packs_b = 1;
  size_t kc_max = k < KC ? k : KC;
  size_t mc_max = m < MC ? (m + MR - 1) / MR * MR : MC;
  size_t nc_max = n < NC ? (n + NR - 1) / NR * NR : NC;
  pack_buffers *bufs = thread_buffers();
  if (bufs == NULL) return -1;
  float *ap = packs_a ? ensure(&bufs->a, &bufs->a_cap, mc_max * kc_max) : NULL;
  float *bp = packs_b && !prepacked ? ensure(&bufs->b, &bufs->b_cap, kc_max * nc_max) : NULL;
  float *edges = ensure(&bufs->edge, &bufs->edge_cap, (MR + NR) * kc_max);
  if ((packs_a && ap == NULL) || (packs_b && !prepacked && bp == NULL) || edges == NULL) return -1;
  float *a_edge = edges, *b_edge = edges + MR * kc_max;

  for (size_t jc = 0; jc < n; jc += NC) {
    size_t nc = n - jc < NC ? n - jc : NC;
    for (size_t pc = 0; pc < k; pc += KC) {
      size_t kc = k - pc < KC ? k - pc : KC;
      float beta_here = pc == 0 ? beta : 1.0f;   /* later K blocks add onto the first one's result */
      size_t full_cols = nc / NR * NR;
      if (prepacked) bp = (float *)prepacked + prepacked_offset(NR, NC, n, k, jc, pc);
      else if (packs_b) pack_b(NR, trans_b, b, ldb, boff, pc, kc, jc, nc, bp, level);
      else if (full_cols < nc) pack_b(NR, 0, b, ldb, boff, pc, kc, jc + full_cols, nc - full_cols, b_edge, level);
      for (size_t ic = 0; ic < m; ic += MC) {
        size_t mc = m - ic < MC ? m - ic : MC;
        size_t full_rows = mc / MR * MR;
        if (packs_a) pack_a(MR, trans_a, a, lda, ic, mc, pc, kc, ap);
        else if (full_rows < mc) pack_a(MR, trans_a, a, lda, ic + full_rows, mc - full_rows, pc, kc, a_edge);
        for (size_t jr = 0; jr < nc; jr += NR) {
          size_t nr = nc - jr < NR ? nc - jr : NR;
          const float *bs = b_edge;
          size_t bstep = NR;
          const int32_t *table = NULL;   /* B's strip read in place through the offsets */
          if (packs_b) bs = bp + (jr / NR) * kc * NR;
          else if (nr == NR && boff) { bs = b + jc + jr; table = boff + pc; }
          else if (nr == NR) { bs = b + pc * ldb + jc + jr; bstep = ldb; }
          for (size_t ir = 0; ir < mc; ir += MR) {
            size_t mr = mc - ir < MR ? mc - ir : MR;
            float *ct = c + (ic + ir) * ldc + jc + jr;
            if (table) {   /* A as the plain GEMM reads it, only B's rows differ */
              if (packs_a) K->rows_table(kc, ap + (ir / MR) * kc * MR, MR, bs, table, ct, ldc, beta_here, mr, nr);
              else if (mr < MR) K->rows_table(kc, a_edge, MR, bs, table, ct, ldc, beta_here, mr, nr);
              else K->cols_table(kc, a + (ic + ir) * lda + pc, lda, bs, table, ct, ldc, beta_here, mr, nr);
            } else if (packs_a) K->rows(kc, ap + (ir / MR) * kc * MR, MR, bs, bstep, ct, ldc, beta_here, mr, nr);
            else if (mr < MR) K->rows(kc, a_edge, MR, bs, bstep, ct, ldc, beta_here, mr, nr);
            else if (trans_a) K->rows(kc, a + pc * lda + ic + ir, lda, bs, bstep, ct, ldc, beta_here, mr, nr);
            else K->cols(kc, a + (ic + ir) * lda + pc, lda, bs, bstep, ct, ldc, beta_here, mr, nr);
          }
        }
      }
    }
  }
  return 0;
}

int lyra_sgemm_level(int level, int trans_a, int trans_b, size_t m, size_t n, size_t k,
                     const float *a, size_t lda, const float *b, size_t ldb,
                     float beta, float *c, size_t ldc) {
  return gemm_driver(level, trans_a, trans_b, m, n, k, a, lda, b, ldb, NULL, NULL, beta, c, ldc);
}

int lyra_sgemm_offsets(int level, size_t m, size_t n, size_t k, const float *a, size_t lda,
                       const float *b, const int32_t *boff, float beta, float *c, size_t ldc) {
  return gemm_driver(level, 0, 0, m, n, k, a, lda, b, 0, boff, NULL, beta, c, ldc);
}

/* B's packed layout depends on the level's NR, KC and NC only, which every kernel that
 * kernel_for picks for an n-column product shares whatever m is (the AVX-512 12- and 8-row
 * tiles have the same NR and blocking). */
static const lyra_gemm_kernel *b_layout(int level, size_t n) { return kernel_for(level, 12, n); }

size_t lyra_sgemm_packed_b_count(int level, size_t n, size_t k) {
  const lyra_gemm_kernel *K = b_layout(lyra_isa_clamp(level), n);
  return prepacked_offset(K->nr, K->nc, n, k, n / K->nc * K->nc, 0) + k * ((n % K->nc + K->nr - 1) / K->nr * K->nr);
}

void lyra_sgemm_pack_b(int level, int trans_b, size_t n, size_t k, const float *b, size_t ldb, float *dst) {
  level = lyra_isa_clamp(level);
  const lyra_gemm_kernel *K = b_layout(level, n);
  for (size_t jc = 0; jc < n; jc += K->nc) {
    size_t nc = n - jc < K->nc ? n - jc : K->nc;
    for (size_t pc = 0; pc < k; pc += K->kc) {
      size_t kc = k - pc < K->kc ? k - pc : K->kc;
      pack_b(K->nr, trans_b, b, ldb, NULL, pc, kc, jc, nc, dst + prepacked_offset(K->nr, K->nc, n, k, jc, pc), level);
    }
  }
}

int lyra_sgemm_prepacked(int level, int trans_a, size_t m, size_t n, size_t k, const float *a, size_t lda,
                         const float *packed_b, float beta, float *c, size_t ldc) {
  return gemm_driver(level, trans_a, 0, m, n, k, a, lda, NULL, 0, NULL, packed_b, beta, c, ldc);
}

int lyra_sgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k,
               const float *a, size_t lda, const float *b, size_t ldb,
               float beta, float *c, size_t ldc) {
  return lyra_sgemm_level(lyra_isa_active(), trans_a, trans_b, m, n, k, a, lda, b, ldb, beta, c, ldc);
}
