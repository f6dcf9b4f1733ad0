/* CBLAS: OpenBLAS's C interface from Debian's libopenblas-dev. */
#ifndef LYRA_CBLAS_H
#define LYRA_CBLAS_H
#include <cblas.h>
/* OpenBLAS extensions (declared in its cblas.h, repeated here for clarity). */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
/* A no-op that keeps this target a real C library (SwiftPM needs a source file). */
int lyra_cblas_available(void);
#endif
