/* CSQLite: SQLite 3 from Debian (libsqlite3-dev), for the trial store. */
#ifndef LYRA_CSQLITE_H
#define LYRA_CSQLITE_H
#include <sqlite3.h>
/* SQLITE_TRANSIENT is a macro over a cast function pointer that Swift cannot import. */
static inline sqlite3_destructor_type lyra_sqlite_transient(void) { return SQLITE_TRANSIENT; }
int lyra_sqlite_available(void);
#endif
