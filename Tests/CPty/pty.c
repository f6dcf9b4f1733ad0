#include "CPty.h"
#include <pty.h>
#include <stdlib.h>
#include <unistd.h>
#include <termios.h>
#include <sys/ioctl.h>

pid_t lyra_pty_spawn(const char *path, char *const argv[], char *const envp[], int rows, int cols, int *master_fd) {
  struct winsize ws;
  ws.ws_row = (unsigned short)rows;
  ws.ws_col = (unsigned short)cols;
  ws.ws_xpixel = ws.ws_ypixel = 0;
  int fd = -1;
  pid_t pid = forkpty(&fd, NULL, NULL, &ws);
  if (pid < 0) return -1;
  if (pid == 0) {
    execve(path, argv, envp);
    _exit(127);
  }
  *master_fd = fd;
  return pid;
}
