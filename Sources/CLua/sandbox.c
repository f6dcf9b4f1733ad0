/* The kernel-enforced fence of `lyra --sandbox` (Linux Landlock): whatever Swift or C
 * code a Lua call reaches, and however a path is spelled (symlinks, `..`), the kernel
 * refuses to create, change or remove files outside the working folder and to execute
 * programs. The Lua-level checks (Host/Sandbox.swift) come first and give the clear
 * error messages; this is the guarantee behind them for writers they do not know of. */
#define _GNU_SOURCE /* O_PATH */
#include "CLua.h"
#include <fcntl.h>
#include <unistd.h>

#if defined(__linux__) && __has_include(<linux/landlock.h>)
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

static int add_rule(int ruleset, const char *path, unsigned long long access) {
  int fd = open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) return -1;
  struct landlock_path_beneath_attr rule = {.allowed_access = access, .parent_fd = fd};
  int rc = (int)syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
  close(fd);
  return rc;
}

int lyra_landlock_confine_writes(const char *root, const char *scratch) {
  int abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
  if (abi < 1) return -1;
  unsigned long long make = LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
    LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM;
  unsigned long long write = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE | make;
#ifdef LANDLOCK_ACCESS_FS_REFER
  if (abi >= 2) write |= LANDLOCK_ACCESS_FS_REFER;
#endif
  unsigned long long truncate = 0;
#ifdef LANDLOCK_ACCESS_FS_TRUNCATE
  if (abi >= 3) truncate = LANDLOCK_ACCESS_FS_TRUNCATE;
#endif
  write |= truncate;
  struct landlock_ruleset_attr attr = {.handled_access_fs = write | LANDLOCK_ACCESS_FS_EXECUTE};
  int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
  if (ruleset < 0) return -2;
  int ok = add_rule(ruleset, root, write) == 0;
  if (ok && scratch) ok = add_rule(ruleset, scratch, write) == 0;
  /* Terminals and /dev/null are opened for writing by readline and by redirections. */
  add_rule(ruleset, "/dev", LANDLOCK_ACCESS_FS_WRITE_FILE | truncate);
  if (ok) ok = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0;
  if (ok) ok = syscall(SYS_landlock_restrict_self, ruleset, 0) == 0;
  close(ruleset);
  return ok ? abi : -3;
}
#else
int lyra_landlock_confine_writes(const char *root, const char *scratch) { (void)root; (void)scratch; return -1; }
#endif
