/* CReadline: GNU readline for the REPL, through its callback interface so that
 * Ctrl-C at the prompt returns at once (poll() wakes with EINTR) instead of
 * needing a longjmp out of readline(). */
#ifndef LYRA_CREADLINE_H
#define LYRA_CREADLINE_H

/* Completion: given the text before the cursor (the whole line up to the point)
 * and the word being completed, return a malloc'd NULL-terminated array of
 * malloc'd candidates, or NULL to fall back to file-name completion. */
typedef char **(*lyra_rl_completer)(const char *line_to_point, const char *word);

/* Sets up readline: application name (for ~/.inputrc $if), word breaks that keep
 * '.' and ':' inside words, and the completer. */
void lyra_rl_init(const char *name, lyra_rl_completer completer);

/* Reads one line. Returns a malloc'd line (caller frees) with *status = 0;
 * NULL with *status = 0 at end of input (Ctrl-D); NULL with *status = 1 when
 * Ctrl-C was pressed (the partial line is discarded). */
char *lyra_rl_readline(const char *prompt, int *status);

/* History. Multi-line entries survive a restart (timestamps + multiline mode). */
void lyra_rl_history_setup(int max_entries);
int lyra_rl_history_read(const char *path);
void lyra_rl_history_add(const char *line);
int lyra_rl_history_write(const char *path);
/* Last history entry or NULL. */
const char *lyra_rl_history_last(void);

/* Tells readline not to fall back to file names for this completion (no match). */
void lyra_rl_no_fallback(void);

/* malloc'd array helper for completers written in Swift. */
char **lyra_rl_alloc_matches(int count);

#endif
