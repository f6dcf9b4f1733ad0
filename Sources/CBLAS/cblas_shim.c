#include "CBLAS.h"
int lyra_cblas_available(void) { return 1; }
