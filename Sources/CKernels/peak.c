/* The FMA peak probe for the benchmarks: independent multiply-add chains, enough of them to cover
 * the FMA latency on two ports (4 cycles × 2 ports → at least 8; 12 are used), on the widest
 * vectors of a level. What a kernel reaches is then printed as a share of this figure. */
#include "ckernels.h"
#include <time.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

#define CHAINS 12
#define ROUNDS 4096

#if defined(__x86_64__)
__attribute__((target("avx512f"))) static double run512(double seconds) {
  __m512 acc[CHAINS];
  for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_set1_ps((float)i);
  __m512 x = _mm512_set1_ps(0.999999f), y = _mm512_set1_ps(1e-7f);
  double start = now(), flops = 0, elapsed;
  do {
    for (int n = 0; n < ROUNDS; n++)
#pragma clang loop unroll(full)
      for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_fmadd_ps(acc[i], x, y);
    flops += 2.0 * 16 * CHAINS * ROUNDS;
    elapsed = now() - start;
  } while (elapsed < seconds);
  float sink = 0;
  for (int i = 0; i < CHAINS; i++) sink += _mm512_reduce_add_ps(acc[i]);
  __asm__ volatile("" : : "x"(sink));
  return flops / elapsed * 1e-9;
}

__attribute__((target("avx2,fma"))) static double run256(double seconds) {
  __m256 acc[CHAINS];
  for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_set1_ps((float)i);
  __m256 x = _mm256_set1_ps(0.999999f), y = _mm256_set1_ps(1e-7f);
  double start = now(), flops = 0, elapsed;
  do {
    for (int n = 0; n < ROUNDS; n++)
#pragma clang loop unroll(full)
      for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_fmadd_ps(acc[i], x, y);
    flops += 2.0 * 8 * CHAINS * ROUNDS;
    elapsed = now() - start;
  } while (elapsed < seconds);
  __m256 s = acc[0];
  for (int i = 1; i < CHAINS; i++) s = _mm256_add_ps(s, acc[i]);
  __asm__ volatile("" : : "x"(s));
  return flops / elapsed * 1e-9;
}
#endif

/* The baseline has no FMA: a multiply and an add per lane, on SSE's four lanes (x86-64) or whatever
 * the compiler makes of the scalar loop elsewhere. */
static double run_portable(double seconds) {
#if defined(__x86_64__)
  __m128 acc[CHAINS];
  for (int i = 0; i < CHAINS; i++) acc[i] = _mm_set1_ps((float)i);
  __m128 x = _mm_set1_ps(0.999999f), y = _mm_set1_ps(1e-7f);
  double start = now(), flops = 0, elapsed;
  do {
    for (int n = 0; n < ROUNDS; n++)
#pragma clang loop unroll(full)
      for (int i = 0; i < CHAINS; i++) acc[i] = _mm_add_ps(_mm_mul_ps(acc[i], x), y);
    flops += 2.0 * 4 * CHAINS * ROUNDS;
    elapsed = now() - start;
  } while (elapsed < seconds);
  __m128 s = acc[0];
  for (int i = 1; i < CHAINS; i++) s = _mm_add_ps(s, acc[i]);
  __asm__ volatile("" : : "x"(s));
#else
  float acc[CHAINS];
  for (int i = 0; i < CHAINS; i++) acc[i] = (float)i;
  double start = now(), flops = 0, elapsed;
  do {
    for (int n = 0; n < ROUNDS; n++)
      for (int i = 0; i < CHAINS; i++) acc[i] = acc[i] * 0.999999f + 1e-7f;
    flops += 2.0 * CHAINS * ROUNDS;
    elapsed = now() - start;
  } while (elapsed < seconds);
  volatile float sink = acc[0];
  (void)sink;
#endif
  return flops / elapsed * 1e-9;
}

double lyra_fma_peak_gflops(int level, double seconds) {
  int d = lyra_isa_detected();
  if (level > d) level = d;
#if defined(__x86_64__)
  if (level >= LYRA_ISA_AVX512) return run512(seconds);
  if (level >= LYRA_ISA_AVX2) return run256(seconds);
#endif
  return run_portable(seconds);
}
