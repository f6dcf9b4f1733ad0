#include "CSQLite.h"
int lyra_sqlite_available(void) { return 1; }
