/* CFuzz: the door to libFuzzer when lyra-fuzz is built with -sanitize=fuzzer.
 * LLVMFuzzerRunDriver is declared weak: in an ordinary build it is absent (NULL) and
 * lyra-fuzz uses its own mutation loop; in a libFuzzer build, libFuzzer drives the same
 * targets with coverage feedback. */
#ifndef LYRA_CFUZZ_H
#define LYRA_CFUZZ_H
#include <stddef.h>
#include <stdint.h>

typedef int (*lyra_fuzz_callback)(const uint8_t *data, size_t size);
/* 1 when libFuzzer is linked in. */
int lyra_fuzz_has_libfuzzer(void);
/* Runs libFuzzer's driver with argv (argv[0] first); returns its exit status. */
int lyra_fuzz_run_libfuzzer(int argc, char **argv, lyra_fuzz_callback callback);
/* Async-signal-safe: writes the current input to path when a fatal signal arrives (for
 * in-process runs: replay, libFuzzer already saves its own crash files). */
void lyra_fuzz_set_current(const uint8_t *data, size_t size);
void lyra_fuzz_install_crash_writer(const char *path);
#endif
