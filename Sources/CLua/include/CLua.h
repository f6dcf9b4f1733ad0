/* CLua: the only door between Swift and Lua 5.4 (Debian's liblua5.4).
 *
 * Swift cannot see Lua's macros and must never be unwound by a Lua error (a
 * longjmp). So this header gives
 *   - inline wrappers for the API macros (stack effects noted as in the manual),
 *   - the closure trampoline: a Swift function reports an error by returning
 *     LYRA_LUA_ERROR with the error value on top; the C trampoline raises it only
 *     after the Swift frame has returned,
 *   - protected helpers for API calls that can raise (tags `e`/`v`), each run
 *     under lua_pcall and returning a status code instead,
 *   - the interrupt hook armed by SIGINT.
 * Calls tagged `m` (memory errors only) are used directly; running out of memory
 * inside the interpreter is treated like running out of memory anywhere else. */
#ifndef LYRA_CLUA_H
#define LYRA_CLUA_H

#include <stddef.h>
#include <lua5.4/lua.h>
#include <lua5.4/lauxlib.h>
#include <lua5.4/lualib.h>

/* ---- Return codes of Swift functions called through the trampoline. ---- */
/* Error value on top; the trampoline prefixes "chunk:line:" when it is a string. */
#define LYRA_LUA_ERROR (-1)
/* Error value on top; raised as is (no position prefix). */
#define LYRA_LUA_ERROR_RAW (-2)

/* ---- Macro wrappers. ---- */
static inline int lyra_registryindex(void) { return LUA_REGISTRYINDEX; }       /* pseudo-index */
static inline int lyra_upvalueindex(int i) { return lua_upvalueindex(i); }     /* pseudo-index */
static inline void lyra_pop(lua_State *L, int n) { lua_pop(L, n); }             /* [-n,+0,-] */
static inline void lyra_newtable(lua_State *L) { lua_newtable(L); }              /* [-0,+1,m] */
static inline const char *lyra_tolstring(lua_State *L, int i, size_t *len) {   /* [-0,+0,m] */
  return lua_tolstring(L, i, len);
}
static inline lua_Number lyra_tonumber(lua_State *L, int i, int *isnum) { return lua_tonumberx(L, i, isnum); }
static inline lua_Integer lyra_tointeger(lua_State *L, int i, int *isnum) { return lua_tointegerx(L, i, isnum); }
static inline void lyra_insert(lua_State *L, int i) { lua_insert(L, i); }       /* [-1,+1,-] */
static inline void lyra_remove(lua_State *L, int i) { lua_remove(L, i); }       /* [-1,+0,-] */
static inline void lyra_replace(lua_State *L, int i) { lua_replace(L, i); }     /* [-1,+0,-] */
static inline int lyra_isnoneornil(lua_State *L, int i) { return lua_type(L, i) <= 0; }
static inline void lyra_pushglobaltable(lua_State *L) { lua_pushglobaltable(L); } /* [-0,+1,-] */
static inline int lyra_absindex(lua_State *L, int i) { return lua_absindex(L, i); }

/* ---- States. ---- */
/* A new state with a panic handler that prints before aborting; NULL if no memory. */
lua_State *lyra_newstate(void);
/* Opens the standard libraries under protection. [-0,+0,-]; returns a status, message on top if not OK. */
int lyra_openlibs(lua_State *L);

/* ---- Protected calls. ---- */
/* lua_pcall with a traceback message handler. [-(nargs+1),+(nresults|1),-]
 * On error the message (with traceback) is on top and the status is returned. */
int lyra_pcall(lua_State *L, int nargs, int nresults);
/* lua_pcall without a message handler: the error value is left untouched (for
 * re-raising it unchanged). [-(nargs+1),+(nresults|1),-] */
int lyra_pcall_raw(lua_State *L, int nargs, int nresults);
/* Loads a text chunk (never bytecode). [-0,+1,-]: the function or an error message. */
int lyra_loadtext(lua_State *L, const char *buf, size_t len, const char *chunkname);
/* luaL_tolstring under protection (calls __tostring/__name). [-0,+1,-]: the string, or the error message. */
int lyra_ptostring(lua_State *L, int idx);
/* t[k] with metamethods, t at idx, key on top. [-1,+1,-]: value or error message. */
int lyra_pgettable(lua_State *L, int idx);
/* t[k] = v with metamethods, t at idx, k and v on top. [-2,+(0|1),-]: error message on failure. */
int lyra_psettable(lua_State *L, int idx);

/* ---- Swift closures and objects. ---- */
/* The function Swift gives to run a Swift closure: gets the state and the box
 * pointer stored with the closure; returns nresults or LYRA_LUA_ERROR[_RAW]. */
typedef int (*lyra_swift_dispatch)(lua_State *L, void *box);
/* Releases one retained Swift object (an Unmanaged pointer). */
typedef void (*lyra_swift_release)(void *object);
/* Must be called once before any closure or object is pushed. */
void lyra_set_swift_hooks(lyra_swift_dispatch dispatch, lyra_swift_release release);

/* Pushes a C closure that runs box through the dispatcher; box is a retained Swift
 * object released when the closure is collected. nup values on the stack become
 * upvalues 2..nup+1. [-nup,+1,m] */
void lyra_pushswiftclosure(lua_State *L, void *box, int nup);
/* Pushes a full userdata holding a retained Swift object, with metatable tname
 * (created by lyra_newclass) and the Lyra marker as its user value. [-0,+1,m] */
void lyra_pushobject(lua_State *L, void *object, const char *tname);
/* The retained object of a Lyra userdata at idx, or NULL (any other value, or already freed). [-0,+0,-] */
void *lyra_toobject(lua_State *L, int idx);
/* Releases the object of a Lyra userdata now (t:free(), __gc, __close). [-0,+0,-] */
void lyra_freeobject(lua_State *L, int idx);
/* Creates (or fetches) the metatable tname: __name, __gc and __close. [-0,+1,m];
 * returns 1 if it was new. */
int lyra_newclass(lua_State *L, const char *tname);

/* Pops a methods table and a fallback function and pushes an __index function:
 * string keys found in the methods table are returned directly (fast method calls,
 * and completion can list the table as __methods); any other key calls the fallback
 * with (object, key). [-2,+1,m] */
void lyra_pushindexer(lua_State *L);

/* Tells the collector about size bytes of native memory now owned by a userdata,
 * so scripts never need collectgarbage(). [-0,+0,-] */
void lyra_report_native_bytes(lua_State *L, size_t size);
/* Full collection. [-0,+0,-] */
void lyra_gc_collect(lua_State *L);
/* Incremental collection that starts a cycle when the heap has grown by pause - 100
 * percent (see shim.c for why Lyra does not keep Lua's 200). [-0,+0,-] */
void lyra_gc_set_pause(lua_State *L, int pause);
/* Kilobytes in use by Lua. */
int lyra_gc_count_kb(lua_State *L);

/* ---- Interrupts (Ctrl-C). ---- */
/* Makes L the state a SIGINT stops (NULL: none). The handler arms a hook that
 * raises "interrupted!" at the next Lua instruction, call or return. */
void lyra_set_interrupt_target(lua_State *L);
/* Removes an armed stop hook. [-0,+0,-] */
void lyra_disarm_interrupt(lua_State *L);

/* ---- Sandbox caps (limits.c, sandbox.c). ---- */
/* Caps the bytes Lua's allocator may hold (counting what it holds now); growth past it
 * fails as a Lua "not enough memory" error. */
void lyra_set_memory_limit(lua_State *L, size_t bytes);
/* Bytes Lua holds under the capped allocator (0 before lyra_set_memory_limit). */
size_t lyra_memory_used(void);
/* Seconds each top-level call may run (0: no limit). */
void lyra_time_limit_configure(double seconds);
/* Starts the deadline of a top-level call on L: 1 if armed, 0 if no limit is set, -1 if the
 * watchdog thread could not start. */
int lyra_time_limit_start(lua_State *L);
/* Ends it (removes the hook; clears the interrupt flag it raised). */
void lyra_time_limit_stop(lua_State *L);
/* Re-installs the limit hook on L if a limited call is running there: 1 if so. */
int lyra_time_limit_rearm(lua_State *L);
/* Whether the running call passed its deadline. */
int lyra_time_limit_expired(void);
/* "time limit exceeded (--max-seconds N)". */
const char *lyra_time_limit_message(void);
/* Kernel-enforced second fence (Linux Landlock): from now on this thread and the threads
 * it creates may create, write, rename or remove files only under root (and scratch, when not NULL: the sandbox's private temporary folder) (and write to
 * existing files under /dev), and may not execute programs. Returns the Landlock ABI
 * version used, or a negative value when the kernel does not support it (then only the
 * Lua-level checks apply). */
int lyra_landlock_confine_writes(const char *root, const char *scratch);

#endif
