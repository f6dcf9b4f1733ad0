/* CZlib: zlib from Debian (zlib1g-dev) for gzip-compressed dataset files. */
#ifndef LYRA_CZLIB_H
#define LYRA_CZLIB_H
#include <zlib.h>
int lyra_zlib_available(void);
#endif
