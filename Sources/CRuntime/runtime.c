/* Interrupt flag and SIGINT handling shared by every layer (see CRuntime.h). */
#include "CRuntime.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t interrupt_flag = 0;
static volatile sig_atomic_t sigint_total = 0;
static lyra_interrupt_callback interrupt_cb = 0;
static int wake_pipe[2] = {-1, -1};

int lyra_interrupt_requested(void) { return interrupt_flag != 0; }
void lyra_interrupt_request(void) { interrupt_flag = 1; }
void lyra_interrupt_clear(void) { interrupt_flag = 0; }
void lyra_interrupt_set_callback(lyra_interrupt_callback cb) { interrupt_cb = cb; }
long lyra_sigint_count(void) { return (long)sigint_total; }

static void on_sigint(int sig) {
  (void)sig;
  sigint_total++;
  if (interrupt_flag) {
    /* Second Ctrl-C before the first was honoured: give up gracefully, like lua.c. */
    signal(SIGINT, SIG_DFL);
  }
  interrupt_flag = 1;
  if (wake_pipe[1] >= 0) {
    int saved = errno;
    ssize_t r = write(wake_pipe[1], "!", 1);
    (void)r;
    errno = saved;
  }
  if (interrupt_cb) interrupt_cb();
}

int lyra_interrupt_fd(void) { return wake_pipe[0]; }

void lyra_interrupt_drain(void) {
  if (wake_pipe[0] < 0) return;
  char buf[64];
  while (read(wake_pipe[0], buf, sizeof buf) > 0) {}
}

void lyra_sigint_install(void) {
  if (wake_pipe[0] < 0 && pipe(wake_pipe) == 0) {
    for (int i = 0; i < 2; i++) {
      fcntl(wake_pipe[i], F_SETFL, fcntl(wake_pipe[i], F_GETFL) | O_NONBLOCK);
      fcntl(wake_pipe[i], F_SETFD, FD_CLOEXEC);
    }
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; /* no SA_RESTART: poll()/read() return EINTR */
  sigaction(SIGINT, &sa, 0);
}

void lyra_sigint_uninstall(void) { signal(SIGINT, SIG_DFL); }
