/* CPostgres: libpq from Debian (libpq-dev), the PostgreSQL trial store's client.
 * Why libpq and not a Swift package (PostgresNIO): the worker loop is blocking (claim, run, finish), like the
 * SQLite store's, so a blocking client fits without an async runtime; libpq brings TLS (sslmode=...), ~/.pgpass,
 * PGPASSWORD and every connection option users already know; and it costs CI nothing to build (docs/pipeline.md). */
#ifndef LYRA_CPOSTGRES_H
#define LYRA_CPOSTGRES_H
#include <postgresql/libpq-fe.h>
int lyra_postgres_available(void);
#endif
