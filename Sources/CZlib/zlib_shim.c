#include "CZlib.h"
int lyra_zlib_available(void) { return 1; }
