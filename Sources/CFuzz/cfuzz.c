/* See CFuzz.h. */
#include "CFuzz.h"
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

extern int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*cb)(const uint8_t *, size_t)) __attribute__((weak));

int lyra_fuzz_has_libfuzzer(void) { return LLVMFuzzerRunDriver != 0; }

int lyra_fuzz_run_libfuzzer(int argc, char **argv, lyra_fuzz_callback callback) {
  if (!LLVMFuzzerRunDriver) return 2;
  return LLVMFuzzerRunDriver(&argc, &argv, callback);
}

static const uint8_t *current_data;
static size_t current_size;
static char crash_path[4096];

void lyra_fuzz_set_current(const uint8_t *data, size_t size) {
  current_data = data;
  current_size = size;
}

static void on_fatal(int sig) {
  if (crash_path[0] && current_data) {
    int fd = open(crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      size_t done = 0;
      while (done < current_size) {
        ssize_t n = write(fd, current_data + done, current_size - done);
        if (n <= 0) break;
        done += (size_t)n;
      }
      close(fd);
    }
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

void lyra_fuzz_install_crash_writer(const char *path) {
  strncpy(crash_path, path, sizeof crash_path - 1);
  int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) signal(sigs[i], on_fatal);
}
