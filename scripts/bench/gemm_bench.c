/* GEMM throughput of CKernels on every ISA path beside OpenBLAS, one thread, on the shapes Lyra's
 * reference models multiply (convolution forward and both backward products, linear layers) and
 * on squares. Built and run by scripts/bench/gemm; prints a Markdown table in GFLOP/s. */
#include "ckernels.h"
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void openblas_set_num_threads(int);
char *openblas_get_corename(void);

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

typedef struct { int m, n, k, ta, tb; const char *what; } shape;

/* One product on a Lyra level, or on OpenBLAS for level < 0. */
static void once(int level, const shape *s, float *a, float *b, float *c) {
  size_t lda = s->ta ? s->m : s->k, ldb = s->tb ? s->k : s->n;
  if (level < 0) cblas_sgemm(CblasRowMajor, s->ta ? CblasTrans : CblasNoTrans, s->tb ? CblasTrans : CblasNoTrans,
                             s->m, s->n, s->k, 1, a, lda, b, ldb, 0, c, s->n);
  else lyra_sgemm_level(level, s->ta, s->tb, s->m, s->n, s->k, a, lda, b, ldb, 0, c, s->n);
}

/* GFLOP/s: the best of 5 repeats of 0.1 s each, after 2 warm-up calls. */
static double run(int level, const shape *s, float *a, float *b, float *c) {
  double flop = 2.0 * s->m * s->n * s->k, best = 0;
  for (int warm = 0; warm < 2; warm++) once(level, s, a, b, c);
  for (int rep = 0; rep < 5; rep++) {
    double t0 = now();
    int it = 0;
    while (now() - t0 < 0.1) { once(level, s, a, b, c); it++; }
    double g = flop * it / (now() - t0) * 1e-9;
    if (g > best) best = g;
  }
  return best;
}

int main(void) {
  openblas_set_num_threads(1);
  static const shape shapes[] = {
    {16, 784, 144, 0, 0, "ResNet-mini conv 16→16 28×28, forward"},
    {32, 196, 288, 0, 0, "ResNet-mini conv 32→32 14×14, forward"},
    {64, 49, 576, 0, 0, "ResNet-mini conv 64→64 7×7, forward"},
    {64, 196, 288, 0, 0, "CNN conv 32→64 14×14, forward"},
    {144, 16, 784, 0, 1, "conv 16→16 weight gradient (dWᵀ = col·dyᵀ)"},
    {288, 32, 196, 0, 1, "conv 32→32 weight gradient"},
    {144, 784, 16, 1, 0, "conv 16→16 input gradient (Wᵀ·dy)"},
    {128, 256, 784, 0, 1, "MLP 784→256 forward (x·Wᵀ), batch 128"},
    {128, 784, 256, 0, 0, "MLP 784→256 input gradient"},
    {256, 784, 128, 1, 0, "MLP 784→256 weight gradient"},
    {512, 512, 512, 0, 0, "square 512"},
    {1024, 1024, 1024, 0, 0, "square 1024"},
  };
  int nshapes = sizeof shapes / sizeof shapes[0];
  size_t maxf = 1024 * 1024 * 2;
  float *a = calloc(maxf, 4), *b = calloc(maxf, 4), *c = calloc(maxf, 4);
  for (size_t i = 0; i < maxf; i++) { a[i] = (float)(i % 7) * 0.1f; b[i] = (float)(i % 5) * 0.1f; }
  int detected = lyra_isa_detected();
  printf("OpenBLAS core: %s; Lyra paths up to %s. FMA peak, 1 thread:", openblas_get_corename(), lyra_isa_name(detected));
  for (int l = 0; l <= detected; l++) printf(" %s %.0f", lyra_isa_name(l), lyra_fma_peak_gflops(l, 0.3));
  printf(" GFLOP/s\n\n| m×n×k | product |");
  for (int l = detected; l >= 0; l--) printf(" Lyra %s |", lyra_isa_name(l));
  printf(" OpenBLAS |\n|---|---|");
  for (int l = detected; l >= -1; l--) printf("---|");
  printf("\n");
  for (int i = 0; i < nshapes; i++) {
    const shape *s = &shapes[i];
    printf("| %d×%d×%d%s%s | %s |", s->m, s->n, s->k, s->ta ? " (Aᵀ)" : "", s->tb ? " (Bᵀ)" : "", s->what);
    for (int l = detected; l >= 0; l--) printf(" %.0f |", run(l, s, a, b, c));
    printf(" %.0f |\n", run(-1, s, a, b, c));
    fflush(stdout);
  }
  return 0;
}
