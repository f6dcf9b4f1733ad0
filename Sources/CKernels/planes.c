/* The per-plane loops of planes_body.h on each ISA path, and their dispatch (ckernels.h). */
#include "ckernels.h"
#include <stddef.h>

#define VW 4
#define SUFFIX portable
#define ATTR
#include "planes_body.h"
#undef VW
#undef SUFFIX
#undef ATTR

#if defined(__x86_64__)
#define VW 8
#define SUFFIX avx2
#define ATTR __attribute__((target("avx2,fma")))
#include "planes_body.h"
#undef VW
#undef SUFFIX
#undef ATTR

#define VW 16
#define SUFFIX avx512
#define ATTR __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,fma"), min_vector_width(512)))
#include "planes_body.h"
#undef VW
#undef SUFFIX
#undef ATTR
#define PICK(name, ...)                                                      \
  switch (lyra_isa_active()) {                                               \
    case LYRA_ISA_AVX512: return name##_avx512(__VA_ARGS__);                 \
    case LYRA_ISA_AVX2: return name##_avx2(__VA_ARGS__);                     \
    default: return name##_portable(__VA_ARGS__);                            \
  }
#else
#define PICK(name, ...) return name##_portable(__VA_ARGS__);
#endif

float lyra_plane_sum(const float *p, size_t n) { PICK(lyra_plane_sum, p, n) }
void lyra_plane_shifted_sums(const float *p, size_t n, float shift, float *sum, float *sum_sq) {
  PICK(lyra_plane_shifted_sums, p, n, shift, sum, sum_sq)
}
void lyra_plane_grad_sums(const float *g, const float *x, const float *keep, size_t n, float mean,
                          float *sum_g, float *sum_gx) {
  PICK(lyra_plane_grad_sums, g, x, keep, n, mean, sum_g, sum_gx)
}
void lyra_plane_bn_grad_input(const float *g, const float *x, float *d, const float *keep, size_t n,
                              float k, float mean_g, float mean, float x_coef) {
  PICK(lyra_plane_bn_grad_input, g, x, d, keep, n, k, mean_g, mean, x_coef)
}
void lyra_plane_affine(const float *x, float *y, size_t n, float scale, float shift, int relu) {
  PICK(lyra_plane_affine, x, y, n, scale, shift, relu)
}
void lyra_sgd_momentum(float *w, const float *g, float *v, size_t n, float neg_lr, float wd, float mu, float keep,
                       int decay, int nesterov, int first) {
  PICK(lyra_sgd_momentum, w, g, v, n, neg_lr, wd, mu, keep, decay, nesterov, first)
}
