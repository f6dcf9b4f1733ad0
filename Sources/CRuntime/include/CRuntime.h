/* CRuntime: process-wide state that every layer may poll without importing Lua.
 *
 * The interrupt flag is set from the SIGINT handler (async-signal-safe: a single
 * sig_atomic_t store) and polled by long Swift loops (an epoch, a search) so that
 * Ctrl-C stops native work as well as Lua code. */
#ifndef LYRA_CRUNTIME_H
#define LYRA_CRUNTIME_H

#include <signal.h>

/* Returns 1 when an interrupt was requested and not yet cleared. Never blocks. */
int lyra_interrupt_requested(void);
/* Requests an interrupt (what the SIGINT handler does); safe from any thread. */
void lyra_interrupt_request(void);
/* Clears the request; the REPL calls this before each prompt. */
void lyra_interrupt_clear(void);

/* Called from the SIGINT handler after the flag is set; the Lua host installs a
 * function that arms a stop hook on the running state. Must be async-signal-safe. */
typedef void (*lyra_interrupt_callback)(void);
void lyra_interrupt_set_callback(lyra_interrupt_callback cb);

/* Installs the SIGINT handler (without SA_RESTART, so a blocking poll() returns
 * EINTR). A second Ctrl-C while the first is still pending restores the default
 * action and re-raises, as lua.c does, so a stuck native call can always be killed. */
void lyra_sigint_install(void);
/* Restores the default SIGINT action. */
void lyra_sigint_uninstall(void);

/* A file descriptor that becomes readable when SIGINT arrives (a self-pipe), so a
 * poll() loop cannot miss a Ctrl-C that lands between its flag check and its wait.
 * -1 before lyra_sigint_install. Drain it with lyra_interrupt_drain(). */
int lyra_interrupt_fd(void);
void lyra_interrupt_drain(void);

/* Number of SIGINTs received since start (for tests and diagnostics). */
long lyra_sigint_count(void);

#endif
