#include "CPostgres.h"
int lyra_postgres_available(void) { return 1; }
