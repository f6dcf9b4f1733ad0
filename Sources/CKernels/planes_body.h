/* Per-plane loops of batch norm (and the sums other kernels share), written once over a GCC/Clang
 * vector type of VW floats and compiled once per ISA path by planes.c, which defines VW (lanes),
 * SUFFIX (the path's name) and ATTR (its target attribute) before each inclusion. Vector
 * extensions rather than intrinsics: the same source gives zmm, ymm and xmm code, and the
 * compiler contracts a·b + c into FMA where the path has it. Sums run over two vector
 * accumulators (2·VW independent lanes), then lanes, then the scalar tail: a fixed order per
 * path, so results are reproducible run to run. */
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define VF CAT(vf_, SUFFIX)
#define VI CAT(vi_, SUFFIX)
#define FN(name) CAT(name, CAT(_, SUFFIX))
#define INLINE static inline __attribute__((always_inline))

typedef float VF __attribute__((vector_size(VW * 4)));
typedef int VI __attribute__((vector_size(VW * 4)));

ATTR INLINE VF FN(load)(const float *p) { VF v; __builtin_memcpy(&v, p, sizeof v); return v; }
ATTR INLINE void FN(store)(float *p, VF v) { __builtin_memcpy(p, &v, sizeof v); }
ATTR INLINE VF FN(splat)(float x) { VF v; for (int i = 0; i < VW; i++) v[i] = x; return v; }
ATTR INLINE float FN(lanes)(VF v) { float s = 0; for (int i = 0; i < VW; i++) s += v[i]; return s; }
/* 0 where v <= 0, else v: ReLU that lets NaN through (as PyTorch's), and the gradient mask of a
 * fused BN+ReLU (g where the forward output was not <= 0). */
ATTR INLINE VF FN(zero_where_nonpositive)(VF v, VF test) {
  VI off = test <= FN(splat)(0);
  return (VF)((VI)v & ~off);
}

ATTR static float FN(lyra_plane_sum)(const float *p, size_t n) {
  VF a = FN(splat)(0), b = a;
  size_t i = 0;
  for (; i + 2 * VW <= n; i += 2 * VW) { a += FN(load)(p + i); b += FN(load)(p + i + VW); }
  float s = FN(lanes)(a + b);
  for (; i < n; i++) s += p[i];
  return s;
}

ATTR static void FN(lyra_plane_shifted_sums)(const float *p, size_t n, float shift, float *sum, float *sum_sq) {
  VF m = FN(splat)(shift), a = FN(splat)(0), b = a, q = a, r = a;
  size_t i = 0;
  for (; i + 2 * VW <= n; i += 2 * VW) {
    VF d0 = FN(load)(p + i) - m, d1 = FN(load)(p + i + VW) - m;
    a += d0; b += d1; q += d0 * d0; r += d1 * d1;
  }
  float s = FN(lanes)(a + b), ss = FN(lanes)(q + r);
  for (; i < n; i++) { float d = p[i] - shift; s += d; ss += d * d; }
  *sum = s; *sum_sq = ss;
}

ATTR static void FN(lyra_plane_grad_sums)(const float *g, const float *x, const float *keep, size_t n, float mean,
                                          float *sum_g, float *sum_gx) {
  VF m = FN(splat)(mean), sg = FN(splat)(0), sgx = sg;
  size_t i = 0;
  if (keep) {
    for (; i + VW <= n; i += VW) {
      VF gv = FN(zero_where_nonpositive)(FN(load)(g + i), FN(load)(keep + i));
      sg += gv; sgx += gv * (FN(load)(x + i) - m);
    }
  } else {
    for (; i + VW <= n; i += VW) {
      VF gv = FN(load)(g + i);
      sg += gv; sgx += gv * (FN(load)(x + i) - m);
    }
  }
  float a = FN(lanes)(sg), b = FN(lanes)(sgx);
  for (; i < n; i++) {
    float gv = (keep && keep[i] <= 0) ? 0 : g[i];
    a += gv; b += gv * (x[i] - mean);
  }
  *sum_g = a; *sum_gx = b;
}

ATTR static void FN(lyra_plane_bn_grad_input)(const float *g, const float *x, float *d, const float *keep, size_t n,
                                              float k, float mean_g, float mean, float x_coef) {
  VF kv = FN(splat)(k), mg = FN(splat)(mean_g), mv = FN(splat)(mean), xc = FN(splat)(x_coef);
  size_t i = 0;
  for (; i + VW <= n; i += VW) {
    VF gv = FN(load)(g + i);
    if (keep) gv = FN(zero_where_nonpositive)(gv, FN(load)(keep + i));
    FN(store)(d + i, kv * (gv - mg - (FN(load)(x + i) - mv) * xc));
  }
  for (; i < n; i++) {
    float gv = (keep && keep[i] <= 0) ? 0 : g[i];
    d[i] = k * (gv - mean_g - (x[i] - mean) * x_coef);
  }
}

ATTR static void FN(lyra_plane_affine)(const float *x, float *y, size_t n, float scale, float shift, int relu) {
  VF s = FN(splat)(scale), t = FN(splat)(shift);
  size_t i = 0;
  if (relu) {
    for (; i + VW <= n; i += VW) {
      VF v = FN(load)(x + i) * s + t;
      FN(store)(y + i, FN(zero_where_nonpositive)(v, v));
    }
    for (; i < n; i++) { float v = x[i] * scale + shift; y[i] = v <= 0 ? 0 : v; }
  } else {
    for (; i + VW <= n; i += VW) FN(store)(y + i, FN(load)(x + i) * s + t);
    for (; i < n; i++) y[i] = x[i] * scale + shift;
  }
}

/* SGD with momentum over one parameter tensor's n contiguous floats, PyTorch's update in one
 * pass: d = g + wd·w (decay), v = mu·v + keep·d (v = d on the first step), w += neg_lr·v, or
 * w += neg_lr·(d + mu·v) with Nesterov. The flags are constants in each call below, so every
 * combination gets its own branch-free loop. */
ATTR INLINE void FN(sgd_body)(float *w, const float *g, float *v, size_t n, float neg_lr, float wd, float mu,
                              float keep, const int decay, const int nest, const int first) {
  VF vnl = FN(splat)(neg_lr), vwd = FN(splat)(wd), vmu = FN(splat)(mu), vkeep = FN(splat)(keep);
  size_t i = 0;
  for (; i + VW <= n; i += VW) {
    VF wi = FN(load)(w + i), d = FN(load)(g + i);
    if (decay) d = d + vwd * wi;
    VF vi = first ? d : vmu * FN(load)(v + i) + vkeep * d;
    FN(store)(v + i, vi);
    FN(store)(w + i, wi + vnl * (nest ? d + vmu * vi : vi));
  }
  for (; i < n; i++) {
    float d = decay ? g[i] + wd * w[i] : g[i];
    float vi = first ? d : mu * v[i] + keep * d;
    v[i] = vi;
    w[i] += neg_lr * (nest ? d + mu * vi : vi);
  }
}

ATTR static void FN(lyra_sgd_momentum)(float *w, const float *g, float *v, size_t n, float neg_lr, float wd, float mu,
                                       float keep, int decay, int nesterov, int first) {
  int k = (decay ? 4 : 0) | (nesterov ? 2 : 0) | (first ? 1 : 0);
  switch (k) {
    case 0: FN(sgd_body)(w, g, v, n, neg_lr, wd, mu, keep, 0, 0, 0); break;
    case 1: FN(sgd_body)(w, g, v, n, neg_lr, wd, mu, keep, 0, 0, 1); break;
    case 2: FN(sgd_body)(w, g, v, n, neg_lr, wd, mu, keep, 0, 1, 0); break;
    case 3: FN(sgd_body)(w, g, v, n, neg_lr, wd, mu, keep, 0, 1, 1); break;
    case 4: FN(sgd_body)(w, g, v, n, neg_lr, wd, mu, keep, 1, 0, 0); break;
    case 5: FN(sgd_body)(w, g, v, n, neg_lr, wd, mu, keep, 1, 0, 1); break;
    case 6: FN(sgd_body)(w, g, v, n, neg_lr, wd, mu, keep, 1, 1, 0); break;
    default: FN(sgd_body)(w, g, v, n, neg_lr, wd, mu, keep, 1, 1, 1); break;
  }
}

#undef VF
#undef VI
#undef FN
#undef INLINE
