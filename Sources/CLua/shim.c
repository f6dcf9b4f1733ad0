/* The C half of Lyra's Lua host: trampolines, protected helpers, objects and the
 * interrupt hook. Every function here that Swift calls returns normally; errors
 * travel as status codes and values on the stack. See CLua.h. */
#include "CLua.h"
#include "CRuntime.h"
#include <stdio.h>
#include <stdlib.h>

static lyra_swift_dispatch swift_dispatch = 0;
static lyra_swift_release swift_release = 0;

/* Marks Lyra objects: its address, as a light userdata, is the first user value of every
 * userdata lyra_pushobject makes (see lyra_toobject). */
static const char lyra_object_key = 0;
#define LYRA_CLOSURE_META "lyra.SwiftClosure"

static int on_panic(lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  fprintf(stderr, "lyra: unprotected Lua error (this is a bug in Lyra): %s\n", msg ? msg : "?");
  fflush(stderr);
  return 0; /* then Lua aborts */
}

lua_State *lyra_newstate(void) {
  lua_State *L = luaL_newstate();
  if (L) lua_atpanic(L, on_panic);
  return L;
}

static int p_openlibs(lua_State *L) { luaL_openlibs(L); return 0; }
int lyra_openlibs(lua_State *L) {
  lua_pushcfunction(L, p_openlibs);
  return lua_pcall(L, 0, 0, 0);
}

static int msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

int lyra_pcall(lua_State *L, int nargs, int nresults) {
  int base = lua_gettop(L) - nargs; /* function index */
  lua_pushcfunction(L, msghandler);
  lua_insert(L, base);
  int status = lua_pcall(L, nargs, nresults, base);
  lua_remove(L, base);
  return status;
}

int lyra_pcall_raw(lua_State *L, int nargs, int nresults) { return lua_pcall(L, nargs, nresults, 0); }

int lyra_loadtext(lua_State *L, const char *buf, size_t len, const char *chunkname) {
  return luaL_loadbufferx(L, buf, len, chunkname, "t");
}

static int p_tostring(lua_State *L) { luaL_tolstring(L, 1, NULL); return 1; }
int lyra_ptostring(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  lua_pushcfunction(L, p_tostring);
  lua_pushvalue(L, idx);
  return lua_pcall(L, 1, 1, 0);
}

static int p_gettable(lua_State *L) { lua_gettable(L, 1); return 1; }
int lyra_pgettable(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  lua_pushcfunction(L, p_gettable);
  lua_pushvalue(L, idx);
  lua_rotate(L, -3, -1); /* key, fn, t -> fn, t, key */
  return lua_pcall(L, 2, 1, 0);
}

static int p_settable(lua_State *L) { lua_settable(L, 1); return 0; }
int lyra_psettable(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  lua_pushcfunction(L, p_settable);
  lua_pushvalue(L, idx);
  lua_rotate(L, -4, 2); /* k, v, fn, t -> fn, t, k, v */
  return lua_pcall(L, 3, 0, 0);
}

void lyra_set_swift_hooks(lyra_swift_dispatch dispatch, lyra_swift_release release) {
  swift_dispatch = dispatch;
  swift_release = release;
}

/* __gc and __close of every Lyra object and closure box. */
static int object_gc(lua_State *L) {
  void **p = (void **)lua_touserdata(L, 1);
  if (p && *p) {
    void *obj = *p;
    *p = NULL;
    swift_release(obj);
  }
  return 0;
}

static int indexer(lua_State *L) {
  if (lua_type(L, 2) == LUA_TSTRING) {
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
    lua_pop(L, 1);
  }
  lua_settop(L, 2);
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_insert(L, 1);
  lua_call(L, 2, 1); /* errors unwind C and Lua frames only */
  return 1;
}

/* The one C function behind every Swift closure: the Swift frame is gone before
 * lua_error runs, so nothing Swift owns is skipped by the longjmp. */
static int trampoline(lua_State *L) {
  void **p = (void **)lua_touserdata(L, lua_upvalueindex(1));
  int n = swift_dispatch(L, p ? *p : NULL);
  if (n < 0 && lyra_time_limit_expired()) {
    /* A native operation stopped by the deadline reports "interrupted!"; say why. */
    lua_pop(L, 1);
    lua_pushstring(L, lyra_time_limit_message());
  }
  if (n == LYRA_LUA_ERROR) {
    if (lua_type(L, -1) == LUA_TSTRING) {
      /* Position of the nearest Lua caller: skips C frames such as the __index
       * dispatcher that called this closure. */
      int level = 1;
      lua_Debug ar;
      while (level < 4 && lua_getstack(L, level, &ar) && lua_getinfo(L, "f", &ar)) {
        int through_indexer = lua_tocfunction(L, -1) == indexer;
        lua_pop(L, 1);
        if (!through_indexer) break;
        level++;
      }
      luaL_where(L, level);
      lua_insert(L, -2);
      lua_concat(L, 2);
    }
    return lua_error(L);
  }
  if (n == LYRA_LUA_ERROR_RAW) return lua_error(L);
  return n;
}

void lyra_pushswiftclosure(lua_State *L, void *box, int nup) {
  void **p = (void **)lua_newuserdatauv(L, sizeof(void *), 0);
  *p = box;
  if (luaL_newmetatable(L, LYRA_CLOSURE_META)) {
    lua_pushcfunction(L, object_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  lua_insert(L, -(nup + 1)); /* box userdata below the other upvalues */
  lua_pushcclosure(L, trampoline, nup + 1);
}

int lyra_newclass(lua_State *L, const char *tname) {
  if (!luaL_newmetatable(L, tname)) return 0;
  lua_pushcfunction(L, object_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, object_gc);
  lua_setfield(L, -2, "__close");
  return 1;
}

void lyra_pushobject(lua_State *L, void *object, const char *tname) {
  void **p = (void **)lua_newuserdatauv(L, sizeof(void *), 1);
  *p = object;
  lua_pushlightuserdata(L, (void *)&lyra_object_key);
  lua_setiuservalue(L, -2, 1); /* the mark lyra_toobject reads */
  luaL_setmetatable(L, tname);
}

/* A Lyra object is a userdata whose first user value is the marker: set only by
 * lyra_pushobject, and no other userdata (Lua's own have no user values) can carry it, as
 * scripts cannot make light userdata. Reading it costs a quarter of looking the marker up
 * in the metatable, and every tensor argument is checked this way (issue 15). */
void *lyra_toobject(lua_State *L, int idx) {
  if (lua_type(L, idx) != LUA_TUSERDATA) return NULL;
  int marked = lua_getiuservalue(L, idx, 1) == LUA_TLIGHTUSERDATA && lua_touserdata(L, -1) == (void *)&lyra_object_key;
  lua_pop(L, 1);
  if (!marked) return NULL;
  void **p = (void **)lua_touserdata(L, idx);
  return p ? *p : NULL;
}

void lyra_freeobject(lua_State *L, int idx) {
  if (lyra_toobject(L, idx) == NULL) return;
  void **p = (void **)lua_touserdata(L, idx);
  void *obj = *p;
  *p = NULL;
  swift_release(obj);
}

void lyra_pushindexer(lua_State *L) {
  lua_pushcclosure(L, indexer, 2);
}

/* Native bytes are reported in batches of at least 1 MiB: a GC step per small tensor
 * would cost more than the op itself, and the collector only needs the rate. */
static size_t pending_native = 0;
void lyra_report_native_bytes(lua_State *L, size_t size) {
  pending_native += size;
  if (pending_native >= ((size_t)1 << 20)) {
    int kb = (int)(pending_native / 1024);
    pending_native = 0;
    lua_gc(L, LUA_GCSTEP, kb);
  }
}
void lyra_gc_collect(lua_State *L) { lua_gc(L, LUA_GCCOLLECT); }
/* Why not Lua's default pause (200: wait until the heap doubles): every Lyra object has a
 * finalizer, and garbage still waiting for its finalizer counts as live when the collector
 * sets the next threshold, so in a loop of small tensor ops each cycle's threshold grew from
 * the last one's garbage: the Lua heap reached 3-80 MB, the tensors behind it stayed
 * allocated, and a 4-element x + y took 0.6-2.2 us depending on where the cycle stood.
 * With 130 the heap stays near 0.5 MB and the op at 0.58 us (issue 15, scripts/bench/lua_overhead);
 * the price is marking the live Lua heap about three times as often, small for Lyra's
 * scripts, whose data lives in native tensors. Stepmul and step size stay Lua's. */
void lyra_gc_set_pause(lua_State *L, int pause) { lua_gc(L, LUA_GCINC, pause, 0, 0); }
int lyra_gc_count_kb(lua_State *L) { return lua_gc(L, LUA_GCCOUNT); }

/* ---- Interrupts ---- */
static lua_State *volatile interrupt_target = NULL;

static void stop_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, NULL, 0, 0);
  /* The flag stays set: a Swift loop that called this Lua code sees it too and
   * stops instead of treating the error as one failed trial. The REPL clears it. */
  luaL_error(L, "interrupted!");
}

static void on_interrupt(void) {
  lua_State *L = interrupt_target;
  if (L) lua_sethook(L, stop_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
}

void lyra_set_interrupt_target(lua_State *L) {
  interrupt_target = L;
  lyra_interrupt_set_callback(L ? on_interrupt : NULL);
}

/* Keeps the sandbox time-limit hook (limits.c) of a running call. */
void lyra_disarm_interrupt(lua_State *L) {
  if (!lyra_time_limit_rearm(L)) lua_sethook(L, NULL, 0, 0);
}
