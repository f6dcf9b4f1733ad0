/* The FMA peak probe for the benchmarks: independent multiply-add chains, enough of them to cover
 * the FMA latency on two ports (4 cycles × 2 ports → at least 8; 12 are used), on the widest
 * vectors of a level. What a kernel reaches is then printed as a share of this figure. */
#include "ckernels.h"
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

#define CHAINS 12
#define ROUNDS 4096

/* One probe per vector width, from one body over a GCC/Clang vector type of LANES floats: in a
 * function whose target has FMA the compiler contracts acc·x + y into one FMA; the baseline
 * (SSE's four lanes on x86-64) has none, so there it is a multiply and an add per lane. */
#define PEAK_PROBE(NAME, ATTR, LANES)                                                 \
  ATTR static double NAME(double seconds) {                                           \
    typedef float vec __attribute__((vector_size(LANES * 4)));                        \
    vec acc[CHAINS], x, y;                                                            \
    for (int l = 0; l < LANES; l++) { x[l] = 0.999999f; y[l] = 1e-7f; }               \
    for (int i = 0; i < CHAINS; i++)                                                  \
      for (int l = 0; l < LANES; l++) acc[i][l] = (float)i;                           \
    double start = now(), flops = 0, elapsed;                                         \
    do {                                                                              \
      for (int n = 0; n < ROUNDS; n++)                                                \
        for (int i = 0; i < CHAINS; i++) acc[i] = acc[i] * x + y;                     \
      flops += 2.0 * LANES * CHAINS * ROUNDS;                                         \
      elapsed = now() - start;                                                        \
    } while (elapsed < seconds);                                                      \
    volatile float sink = 0;                                                          \
    for (int i = 0; i < CHAINS; i++) sink += acc[i][0];                               \
    return flops / elapsed * 1e-9;                                                    \
  }

PEAK_PROBE(run_portable, , 4)
#if defined(__x86_64__)
PEAK_PROBE(run256, __attribute__((target("avx2,fma"))), 8)
PEAK_PROBE(run512, __attribute__((target("avx512f,fma"), min_vector_width(512))), 16)
#endif

double lyra_fma_peak_gflops(int level, double seconds) {
  level = lyra_isa_clamp(level);
#if defined(__x86_64__)
  if (level >= LYRA_ISA_AVX512) return run512(seconds);
  if (level >= LYRA_ISA_AVX2) return run256(seconds);
#endif
  return run_portable(seconds);
}
