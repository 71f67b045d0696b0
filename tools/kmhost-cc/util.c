/*
 * Memory, strings, files and child processes for kmhost-cc.
 */
#include "kcc.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* --- Arena ------------------------------------------------------------- */

/* One list of blocks for the whole run: the program allocates a few
 * megabytes at most and never needs to give any of it back early. */
struct arena_block {
	struct arena_block *next;
	size_t used;
	size_t size;
	_Alignas(max_align_t) unsigned char data[];
};

static struct arena_block *arena;

static struct arena_block *arena_grow(size_t size)
{
	size_t want = size > 65536 ? size : 65536;
	struct arena_block *b = calloc(1, sizeof(*b) + want);

	if (!b)
		kcc_die("out of memory");
	b->size = want;
	b->next = arena;
	arena = b;
	return b;
}

void *kcc_alloc(size_t size)
{
	const size_t align = _Alignof(max_align_t);
	struct arena_block *b = arena;
	void *p;

	size = (size + align - 1) & ~(align - 1);
	if (!b || b->size - b->used < size)
		b = arena_grow(size);
	p = b->data + b->used;
	b->used += size;
	return p;
}

void kcc_arena_free(void)
{
	while (arena) {
		struct arena_block *next = arena->next;

		free(arena);
		arena = next;
	}
}

char *kcc_strndup(const char *s, size_t n)
{
	char *p = kcc_alloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *kcc_strdup(const char *s)
{
	return kcc_strndup(s, strlen(s));
}

char *kcc_printf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		kcc_die("bad format string");
	p = kcc_alloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* --- Messages ---------------------------------------------------------- */

void kcc_error(const char *fmt, ...)
{
	va_list ap;

	fputs("kmhost-cc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

_Noreturn void kcc_die(const char *fmt, ...)
{
	va_list ap;

	fputs("kmhost-cc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

bool kcc_env_is_set(const char *name)
{
	const char *v = getenv(name);

	return v && *v && strcmp(v, "0") != 0;
}

/* --- String vectors ---------------------------------------------------- */

void kcc_strvec_push(struct kcc_strvec *sv, const char *s)
{
	if (sv->n + 1 >= sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 16;
		const char **v = kcc_alloc(cap * sizeof(*v));

		if (sv->n)
			memcpy(v, sv->v, sv->n * sizeof(*v));
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void kcc_strvec_push_list(struct kcc_strvec *sv, const char *const *list)
{
	for (; *list; list++)
		kcc_strvec_push(sv, *list);
}

void kcc_strvec_push_unique(struct kcc_strvec *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return;
	kcc_strvec_push(sv, s);
}

/* --- Files and paths --------------------------------------------------- */

char *kcc_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = kcc_alloc((size_t)size + 1);
	*len = fread(buf, 1, (size_t)size, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

int kcc_write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int err = 0;

	if (!f)
		return -errno;
	if (fwrite(data, 1, len, f) != len)
		err = -EIO;
	if (fclose(f) != 0 && !err)
		err = -errno;
	return err;
}

int kcc_mkdir_p(const char *path)
{
	char *p = kcc_strdup(path);

	for (char *s = p + 1; ; s++) {
		bool end = *s == '\0';

		if (*s != '/' && !end)
			continue;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return -errno;
		if (end)
			return 0;
		*s = '/';
	}
}

/* "" (not ".") for a bare name, as the preprocessor's own directory lookup
 * prints "x.h" rather than "./x.h" for a file included from "a.c". */
char *kcc_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return kcc_strdup("");
	if (slash == path)
		return kcc_strdup("/");
	return kcc_strndup(path, (size_t)(slash - path));
}

const char *kcc_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

const char *kcc_extension(const char *path)
{
	const char *base = kcc_basename(path);
	const char *dot = strrchr(base, '.');

	return dot && dot != base ? dot : "";
}

char *kcc_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	if (n == 0 || name[0] == '/')
		return kcc_strdup(name);
	if (dir[n - 1] == '/')
		return kcc_printf("%s%s", dir, name);
	return kcc_printf("%s/%s", dir, name);
}

/* --- Processes --------------------------------------------------------- */

static void trace(const struct kcc_strvec *cmd)
{
	if (!kcc_env_is_set("KMHOST_CC_VERBOSE"))
		return;
	fputs("kmhost-cc:", stderr);
	for (size_t i = 0; i < cmd->n; i++)
		fprintf(stderr, " %s", cmd->v[i]);
	fputc('\n', stderr);
}

static volatile sig_atomic_t child_pid;

static void forward_signal(int sig)
{
	if (child_pid > 0)
		kill((pid_t)child_pid, sig);
}

/* While the compiler runs, an interrupt is passed on to it instead of
 * killing this process, so the shadow tree is still removed afterwards. */
static void catch_signals(void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* Runs cmd and returns its exit status the way a shell reports it, so the
 * caller can pass it on unchanged: 128+N when killed by signal N. */
int kcc_run(const struct kcc_strvec *cmd)
{
	int status;
	pid_t pid;

	trace(cmd);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		kcc_die("fork: %s", strerror(errno));
	if (pid == 0) {
		execvp(cmd->v[0], (char *const *)cmd->v);
		fprintf(stderr, "kmhost-cc: cannot run %s: %s\n", cmd->v[0],
			strerror(errno));
		_exit(127);
	}
	child_pid = pid;
	catch_signals(forward_signal);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			kcc_die("waitpid: %s", strerror(errno));
	catch_signals(SIG_DFL);
	child_pid = 0;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

_Noreturn void kcc_exec(const struct kcc_strvec *cmd)
{
	trace(cmd);
	fflush(NULL);
	execvp(cmd->v[0], (char *const *)cmd->v);
	kcc_error("cannot run %s: %s", cmd->v[0], strerror(errno));
	exit(127);
}
