/* readline glue for the REPL (see CReadline.h). */
#include "CReadline.h"
#include "CRuntime.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <readline/readline.h>
#include <readline/history.h>

static lyra_rl_completer swift_completer = NULL;
static char *got_line = NULL;
static int got_done = 0;

static const char *lua_breaks = " \t\n\"\\'><=;+-*/%^~#{}()[],";
static const char *string_breaks = " \t\n\"'";
static int no_fallback = 0;

/* 1 when the cursor is inside an unterminated '...' or "..." string. */
static int point_in_string(void) {
  char quote = 0;
  for (int i = 0; i < rl_point && rl_line_buffer[i]; i++) {
    char c = rl_line_buffer[i];
    if (quote) {
      if (c == '\\') i++;
      else if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '-' && rl_line_buffer[i + 1] == '-') {
      return 0;
    }
  }
  return quote != 0;
}

/* Inside a string the word is a file name (slashes and dots included). */
static char *word_breaks(void) { return (char *)(point_in_string() ? string_breaks : lua_breaks); }

static char **attempted_completion(const char *text, int start, int end) {
  (void)start;
  (void)end;
  rl_attempted_completion_over = 1; /* we decide: Lua names, or file names in strings */
  if (point_in_string()) {
    rl_filename_completion_desired = 1;
    return rl_completion_matches(text, rl_filename_completion_function);
  }
  if (!swift_completer) return NULL;
  rl_completion_append_character = '\0'; /* candidates carry their own suffix: ( . : */
  char *before = strndup(rl_line_buffer, (size_t)rl_point);
  no_fallback = 0;
  char **m = swift_completer(before ? before : "", text);
  free(before);
  return m;
}

void lyra_rl_init(const char *name, lyra_rl_completer completer) {
  rl_readline_name = name;
  /* A pasted block arrives as one line (newlines kept) and runs as one chunk, instead of
   * line by line (locals lost, ":add(" lines syntax errors). Set before ~/.inputrc is
   * read, so "set enable-bracketed-paste off" there still wins. */
  rl_variable_bind("enable-bracketed-paste", "on");
  swift_completer = completer;
  rl_attempted_completion_function = attempted_completion;
  /* Keep '.' and ':' inside words so "x:si<TAB>" completes methods. */
  rl_basic_word_break_characters = (char *)lua_breaks;
  rl_completion_word_break_hook = word_breaks;
  rl_completion_append_character = '\0';
  rl_catch_signals = 0; /* Lyra's handler owns SIGINT */
  rl_catch_sigwinch = 1;
}

/* Keys are read from a second, non-blocking open of the terminal. Why: a Ctrl-C typed
 * right after other keys makes the terminal driver flush its input queue, so a poll()
 * that saw "readable" can be followed by a read() that blocks forever (the keys are gone,
 * and the SIGINT may have been handled just before the read, or on another thread, so
 * no EINTR comes). readline's own rl_getc then sits in that read with the line on
 * screen and Ctrl-C dead (seen as a rare hang in ReplTests under load). A private open
 * file description keeps O_NONBLOCK off the descriptor shared with the shell; waiting is
 * a poll() on the terminal and on the SIGINT self-pipe, which cannot lose a wake-up. */
static int key_fd = -1;

static int lyra_getc(FILE *stream) {
  int fd = key_fd >= 0 ? key_fd : fileno(stream);
  for (;;) {
    /* EOF ends whatever readline is reading (a key sequence, a bracketed paste); the
     * caller sees the interrupt flag and discards the line. */
    if (lyra_interrupt_requested()) return EOF;
    unsigned char c;
    ssize_t r = read(fd, &c, 1);
    if (r == 1) return c;
    if (r == 0) return EOF;
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return EOF;
    struct pollfd p[2];
    p[0].fd = fd;
    p[0].events = POLLIN;
    p[0].revents = 0;
    p[1].fd = lyra_interrupt_fd();
    p[1].events = POLLIN;
    p[1].revents = 0;
    if (!lyra_interrupt_requested()) poll(p, p[1].fd >= 0 ? 2 : 1, -1);
  }
}

static void open_key_fd(void) {
  int in = fileno(rl_instream ? rl_instream : stdin);
  if (key_fd >= 0 || !isatty(in)) return;
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", in);
  key_fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (key_fd >= 0) rl_getc_function = lyra_getc;
}

static void on_line(char *line) {
  got_line = line;
  got_done = 1;
  rl_callback_handler_remove();
}

/* The prompt's Ctrl-C: the typed line is dropped and "^C" ends the screen line. */
static char *interrupted_at_prompt(int *status) {
  lyra_interrupt_drain();
  lyra_interrupt_clear();
  rl_callback_sigcleanup();
  rl_replace_line("", 0);
  rl_point = rl_end = 0;
  rl_callback_handler_remove();
  fputs("^C\n", rl_outstream ? rl_outstream : stdout);
  fflush(rl_outstream ? rl_outstream : stdout);
  *status = 1;
  return NULL;
}

char *lyra_rl_readline(const char *prompt, int *status) {
  *status = 0;
  got_line = NULL;
  got_done = 0;
  open_key_fd();
  rl_callback_handler_install(prompt, on_line);
  while (!got_done) {
    struct pollfd p[2];
    p[0].fd = fileno(rl_instream ? rl_instream : stdin);
    p[0].events = POLLIN;
    p[0].revents = 0;
    p[1].fd = lyra_interrupt_fd(); /* the SIGINT self-pipe: no lost wake-ups */
    p[1].events = POLLIN;
    p[1].revents = 0;
    int r = lyra_interrupt_requested() ? 0 : poll(p, p[1].fd >= 0 ? 2 : 1, -1);
    if (r < 0 && errno != EINTR) { /* input gone */
      rl_callback_handler_remove();
      return NULL;
    }
    if (lyra_interrupt_requested()) return interrupted_at_prompt(status);
    if (r > 0 && (p[0].revents & (POLLIN | POLLHUP))) rl_callback_read_char();
  }
  /* lyra_getc answers EOF once interrupted, which readline may have taken as the end of
   * the line: the flag says it was Ctrl-C. */
  if (lyra_interrupt_requested()) {
    free(got_line);
    got_line = NULL;
    return interrupted_at_prompt(status);
  }
  return got_line;
}

void lyra_rl_history_setup(int max_entries) {
  using_history();
  stifle_history(max_entries);
  history_comment_char = '#';      /* timestamps are written as "#<seconds>" lines ... */
  history_write_timestamps = 1;   /* ... and mark where each entry starts ... */
  history_multiline_entries = 1;  /* ... so an entry spanning lines reads back as one */
}

int lyra_rl_history_read(const char *path) { return read_history(path); }

void lyra_rl_history_add(const char *line) {
  HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
  if (last && last->line && strcmp(last->line, line) == 0) return; /* no consecutive duplicates */
  add_history(line);
}

int lyra_rl_history_write(const char *path) { return write_history(path); }

const char *lyra_rl_history_last(void) {
  HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
  return last ? last->line : NULL;
}

char **lyra_rl_alloc_matches(int count) { return (char **)calloc((size_t)count + 1, sizeof(char *)); }

void lyra_rl_no_fallback(void) { no_fallback = 1; rl_attempted_completion_over = 1; }
