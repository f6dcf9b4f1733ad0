/* Interrupt flag and SIGINT handling shared by every layer (see CRuntime.h). */
#include "CRuntime.h"
#include <string.h>

static volatile sig_atomic_t interrupt_flag = 0;
static volatile sig_atomic_t sigint_total = 0;
static lyra_interrupt_callback interrupt_cb = 0;

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
  if (interrupt_cb) interrupt_cb();
}

void lyra_sigint_install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; /* no SA_RESTART: poll()/read() return EINTR */
  sigaction(SIGINT, &sa, 0);
}

void lyra_sigint_uninstall(void) { signal(SIGINT, SIG_DFL); }
