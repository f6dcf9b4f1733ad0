/* Sandbox caps enforced where Lua cannot dodge them: the allocator (--max-memory) and a
 * deadline (--max-seconds). Both raise ordinary Lua errors from C frames only, so no
 * Swift frame is ever unwound (the rule of CLua.h). See docs/guide.md, "Sandbox". */
#include "CLua.h"
#include "CRuntime.h"
#include <pthread.h>
#include <stdio.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>

/* ---- Memory ---- */

/* The wrapped allocator's state: one per process (only the sandboxed state is capped). */
static struct {
  lua_Alloc f;
  void *ud;
  size_t used, limit;
} mem;

/* Refuses growth past the limit by returning NULL: Lua turns that into a "not enough
 * memory" error at the allocation site, under whatever pcall is active. Frees and
 * shrinks always succeed (Lua requires it). */
static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  size_t old = ptr ? osize : 0;
  if (nsize > old && mem.used - old + nsize > mem.limit) return NULL;
  void *p = mem.f(mem.ud, ptr, osize, nsize);
  if (p || nsize == 0) mem.used = mem.used - old + nsize;
  return p;
}

void lyra_set_memory_limit(lua_State *L, size_t bytes) {
  if (mem.f == NULL) {
    mem.f = lua_getallocf(L, &mem.ud);
    mem.used = (size_t)lua_gc(L, LUA_GCCOUNT) * 1024 + (size_t)lua_gc(L, LUA_GCCOUNTB);
    lua_setallocf(L, limited_alloc, NULL);
  }
  mem.limit = bytes;
}

size_t lyra_memory_used(void) { return mem.used; }

/* ---- Time ---- */

/* A count hook (every 1000 instructions; coroutines inherit it from the thread that
 * creates them) checks a flag that a watchdog thread sets at the deadline of the running
 * top-level call. The watchdog also raises the interrupt flag, so long native operations
 * (training, lyra.sleep) stop too, and arms the hook at every instruction of the main
 * thread. The check is one load per 1000 instructions. */
static struct {
  pthread_mutex_t lock;
  pthread_cond_t wake;
  pthread_t thread;
  int started;
  double seconds;
  lua_State *L;       /* the state of the running call, NULL when none */
  struct timespec deadline;
  volatile int expired;
} tl = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};

const char *lyra_time_limit_message(void);

static const int all_events = LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT;

/* Once expired the hook stays armed: a pcall that catches this error is stopped again at
 * its next instruction, so a script cannot outlive its limit by catching errors. */
static void limit_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  if (!tl.expired) return;
  luaL_where(L, 1);
  lua_pushstring(L, lyra_time_limit_message());
  lua_concat(L, 2);
  lua_error(L);
}

/* Seconds after the deadline before the watchdog gives up on stopping the code: a C
 * function (a pathological string.find, a long table.sort without Lua calls) runs no hook
 * and checks no flag, so the process is ended instead of running on past its limit. */
static const double grace_seconds = 5;

static void *watchdog(void *arg) {
  (void)arg;
  pthread_mutex_lock(&tl.lock);
  for (;;) {
    if (tl.L == NULL) { pthread_cond_wait(&tl.wake, &tl.lock); continue; }
    int rc = pthread_cond_timedwait(&tl.wake, &tl.lock, &tl.deadline);
    if (rc != ETIMEDOUT || tl.L == NULL) continue;
    if (!tl.expired) {
      tl.expired = 1;
      lyra_interrupt_request();
      lua_sethook(tl.L, limit_hook, all_events, 1);
      tl.deadline.tv_sec += (time_t)grace_seconds;
    } else {
      static const char msg[] = "lyra: time limit exceeded (--max-seconds) inside code that cannot be interrupted; exiting\n";
      if (write(2, msg, sizeof msg - 1) < 0) { /* nothing more to say */ }
      _exit(124);
    }
  }
  return NULL;
}

void lyra_time_limit_configure(double seconds) { tl.seconds = seconds; }
int lyra_time_limit_expired(void) { return tl.expired; }

int lyra_time_limit_start(lua_State *L) {
  if (tl.seconds <= 0) return 0;
  pthread_mutex_lock(&tl.lock);
  if (!tl.started) {
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&tl.wake, &attr);
    if (pthread_create(&tl.thread, NULL, watchdog, NULL) != 0) { pthread_mutex_unlock(&tl.lock); return -1; }
    pthread_detach(tl.thread);
    tl.started = 1;
  }
  clock_gettime(CLOCK_MONOTONIC, &tl.deadline);
  double whole = (double)(time_t)tl.seconds;
  tl.deadline.tv_sec += (time_t)whole;
  tl.deadline.tv_nsec += (long)((tl.seconds - whole) * 1e9);
  if (tl.deadline.tv_nsec >= 1000000000L) { tl.deadline.tv_sec += 1; tl.deadline.tv_nsec -= 1000000000L; }
  tl.L = L;
  tl.expired = 0;
  lua_sethook(L, limit_hook, LUA_MASKCOUNT, 1000);
  pthread_cond_signal(&tl.wake);
  pthread_mutex_unlock(&tl.lock);
  return 1;
}

void lyra_time_limit_stop(lua_State *L) {
  pthread_mutex_lock(&tl.lock);
  tl.L = NULL;
  lua_sethook(L, NULL, 0, 0);
  if (tl.expired) { tl.expired = 0; lyra_interrupt_clear(); }
  pthread_cond_signal(&tl.wake);
  pthread_mutex_unlock(&tl.lock);
}

int lyra_time_limit_rearm(lua_State *L) {
  if (tl.L != L) return 0;
  if (tl.expired) lua_sethook(L, limit_hook, all_events, 1);
  else lua_sethook(L, limit_hook, LUA_MASKCOUNT, 1000);
  return 1;
}

const char *lyra_time_limit_message(void) {
  static char text[96];
  snprintf(text, sizeof text, "time limit exceeded (--max-seconds %g)", tl.seconds);
  return text;
}
