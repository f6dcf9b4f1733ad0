/* The AVX-512 GEMM micro-kernels. 12×32: twenty-four zmm accumulators, two B vectors and an
 * embedded broadcast per row (27 of the 32 zmm registers). Per k step: 2 loads, 12 broadcasts,
 * 24 FMAs, so the two FMA ports stay busy and each accumulator is touched every 12 cycles,
 * well past the 4-cycle FMA latency. 8×32 (sixteen accumulators, 10 loads per 16 FMAs) runs
 * when C's rows are a multiple of 8 but not of 12 — every channel count of the reference
 * models (16, 32, 64, 128): 12-row tiles would compute 8 zero rows in every third tile or so
 * (16 rows: 33 % waste; measured 16×784×144 49 → 66 GFLOP/s on a loaded core). Edges use
 * AVX-512's lane masks for the columns. */
#include "gemm_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

/* Blocking measured on an AVX-512 Xeon (docs/performance.md): MC 96-192, KC 256-384 and NC 4096 were
 * within noise of each other on 512³ and on convolution shapes; 144/256/2048 was 5-10 % slower. */
#ifndef AVX512_MC
#define AVX512_MC 96
#define AVX512_KC 384
#define AVX512_NC 4096
#endif
#define NR 32
#define TARGET __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,fma")))

#define MR 12
#define CORE core_avx512_12
#include "gemm_avx512_core.h"
#undef MR
#undef CORE
#define MR 8
#define CORE core_avx512_8
#include "gemm_avx512_core.h"
#undef MR
#undef CORE

LYRA_GEMM_LAYOUTS(TARGET, core_avx512_12, rows_avx512_12, cols_avx512_12)
LYRA_GEMM_LAYOUTS(TARGET, core_avx512_8, rows_avx512_8, cols_avx512_8)


const lyra_gemm_kernel lyra_gemm_kernel_avx512 = {12, NR, AVX512_MC, AVX512_KC, AVX512_NC, rows_avx512_12, cols_avx512_12, "12x32",
                                                 rows_avx512_12_table, cols_avx512_12_table};
const lyra_gemm_kernel lyra_gemm_kernel_avx512_8 = {8, NR, AVX512_MC, AVX512_KC, AVX512_NC, rows_avx512_8, cols_avx512_8, "8x32",
                                                   rows_avx512_8_table, cols_avx512_8_table};
#else
const lyra_gemm_kernel lyra_gemm_kernel_avx512 = {0, 0, 0, 0, 0, 0, 0, "none"};
const lyra_gemm_kernel lyra_gemm_kernel_avx512_8 = {0, 0, 0, 0, 0, 0, 0, "none"};
#endif
