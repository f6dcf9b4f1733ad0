/* Test support: run a program on a fresh pseudo-terminal as its controlling
 * terminal (so Ctrl-C typed into the master raises SIGINT in the child). */
#ifndef LYRA_CPTY_H
#define LYRA_CPTY_H
#include <sys/types.h>
/* Spawns argv[0] with envp; returns the child's pid (or -1) and the master fd. */
pid_t lyra_pty_spawn(const char *path, char *const argv[], char *const envp[], int rows, int cols, int *master_fd);
#endif
