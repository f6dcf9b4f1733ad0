/* CBLAS: OpenBLAS's C interface from Debian's libopenblas-dev. */
#ifndef LYRA_CBLAS_H
#define LYRA_CBLAS_H
#include <cblas.h>
/* OpenBLAS extensions (declared in its cblas.h, repeated here for clarity). */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
/* LAPACK (single precision, column-major, 32-bit integers), which Debian's libopenblas
   exports itself (nm -D libopenblas.so.0 lists sgetrf_, sgesdd_, ...), so no extra library
   is linked. Fortran passes the length of each character argument as a hidden trailing
   size_t; Lyra passes them (1), since leaving them out is undefined behaviour that newer
   gfortran builds of LAPACK are known to trip over. */
#include <stddef.h>
void sgetrf_(const int *m, const int *n, float *a, const int *lda, int *ipiv, int *info);
void sgetri_(const int *n, float *a, const int *lda, const int *ipiv, float *work, const int *lwork, int *info);
void sgetrs_(const char *trans, const int *n, const int *nrhs, const float *a, const int *lda, const int *ipiv,
             float *b, const int *ldb, int *info, size_t trans_len);
void sgesdd_(const char *jobz, const int *m, const int *n, float *a, const int *lda, float *s, float *u, const int *ldu,
             float *vt, const int *ldvt, float *work, const int *lwork, int *iwork, int *info, size_t jobz_len);
void ssyev_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda, float *w, float *work,
            const int *lwork, int *info, size_t jobz_len, size_t uplo_len);
void sgeev_(const char *jobvl, const char *jobvr, const int *n, float *a, const int *lda, float *wr, float *wi,
            float *vl, const int *ldvl, float *vr, const int *ldvr, float *work, const int *lwork, int *info,
            size_t jobvl_len, size_t jobvr_len);
void sgeqrf_(const int *m, const int *n, float *a, const int *lda, float *tau, float *work, const int *lwork, int *info);
void sorgqr_(const int *m, const int *n, const int *k, float *a, const int *lda, const float *tau, float *work,
             const int *lwork, int *info);
void spotrf_(const char *uplo, const int *n, float *a, const int *lda, int *info, size_t uplo_len);
/* A no-op that keeps this target a real C library (SwiftPM needs a source file). */
int lyra_cblas_available(void);
#endif
