/*
 * Private header of kmhost-cc; included only by the .c files beside it.
 *
 * kmhost-cc is a short-lived program, so it keeps memory simple: everything
 * comes from one arena (kcc_alloc and friends) released once by
 * kcc_arena_free() before a normal exit, and a failure of the tool itself
 * (out of memory, an unwritable temp dir) ends the process through kcc_die().
 * Failures of the compiler it runs are not the tool's: they are passed on as
 * the exit status, with the compiler's own messages.
 */
#ifndef KCC_H
#define KCC_H

#include <stdbool.h>
#include <stddef.h>

#define KCC_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* --- util.c: arena, string vectors, files, processes ------------------- */

void *kcc_alloc(size_t size);
char *kcc_strdup(const char *s);
char *kcc_strndup(const char *s, size_t n);
char *kcc_printf(const char *fmt, ...) KCC_PRINTF(1, 2);
void kcc_arena_free(void);

_Noreturn void kcc_die(const char *fmt, ...) KCC_PRINTF(1, 2);
void kcc_error(const char *fmt, ...) KCC_PRINTF(1, 2);
bool kcc_env_is_set(const char *name);

/* A growable, always NULL-terminated array of strings (argv-shaped). */
struct kcc_strvec {
	const char **v;
	size_t n;
	size_t cap;
};

void kcc_strvec_push(struct kcc_strvec *sv, const char *s);
void kcc_strvec_push_list(struct kcc_strvec *sv, const char *const *list);
void kcc_strvec_push_unique(struct kcc_strvec *sv, const char *s);

char *kcc_read_file(const char *path, size_t *len);
int kcc_write_file(const char *path, const char *data, size_t len);
int kcc_mkdir_p(const char *path);
char *kcc_dirname(const char *path);
const char *kcc_basename(const char *path);
const char *kcc_extension(const char *path);
char *kcc_join(const char *dir, const char *name);

int kcc_run(const struct kcc_strvec *cmd);
_Noreturn void kcc_exec(const struct kcc_strvec *cmd);

/* --- args.c: the gcc-style command line -------------------------------- */

enum kcc_lang {
	KCC_LANG_NONE, /* not ours to compile: objects, archives, assembler */
	KCC_LANG_C,
	KCC_LANG_CXX,
};

struct kcc_arg {
	const char *text;     /* the token as given */
	const char *value;    /* the separate value of "-o x", "-I x"... */
	enum kcc_lang lang;   /* for inputs: the language we compile it as */
	bool is_input;        /* a file operand rather than an option */
	bool user_lang;       /* a user "-x" governs it: leave it alone */
	const char *replaced; /* the shadow copy compiled in its place */
	int node;             /* its kcc_graph file, -1 if none */
};

struct kcc_cmdline {
	struct kcc_arg *args;
	size_t nargs;
	struct kcc_strvec iquote;    /* include dirs in option order */
	struct kcc_strvec idirs;
	struct kcc_strvec isystem;   /* -isystem and -idirafter */
	const char *output;          /* -o */
	const char *depfile;         /* -MF, or the file of -Wp,-MD,<file> */
	bool deps;                   /* -MD/-MMD: a .d file is written */
	bool compile_only;           /* -c, -S or -E: no link step */
	size_t nsources;             /* inputs in C or C++ */
};

void kcc_cmdline_parse(struct kcc_cmdline *cl, int argc, char **argv);
void kcc_cmdline_render(const struct kcc_cmdline *cl, struct kcc_strvec *out,
			bool cxx_driver);

/* --- graph.c: the include closure of the sources ----------------------- */

enum kcc_origin {
	KCC_ORIGIN_TREE,   /* the driver's own files: shadowed when needed */
	KCC_ORIGIN_KMHOST, /* kmhost's headers: never copied */
	KCC_ORIGIN_SYSTEM, /* found through -isystem/-idirafter: never copied */
};

struct kcc_include {
	size_t start;      /* offsets of the name between the delimiters */
	size_t end;
	const char *fixed; /* what finds a kmhost/system header on Linux */
	int target;        /* index in kcc_graph.files, -1 when unresolved */
	bool needs_fix;    /* the name as written does not find the file */
};

struct kcc_file {
	const char *real;  /* realpath: the file's identity */
	const char *shown; /* path as the compiler would print it */
	const char *text;
	size_t len;
	enum kcc_origin origin;
	struct kcc_include *inc;
	size_t ninc;
	bool scanned;
	bool dirty;          /* it or its closure needs rewriting */
	const char *shadow;  /* path of its rewritten copy, when dirty */
};

struct kcc_search_dir {
	const char *path;
	bool system;
};

struct kcc_graph {
	struct kcc_file *files;
	size_t nfiles;
	size_t cap;
	struct kcc_search_dir *quote; /* after the includer's own dir */
	size_t nquote;
	struct kcc_search_dir *angle;
	size_t nangle;
	const char *kmhost_root;      /* realpath of kmhost's include/ */
	bool saw_wdf;                 /* some file includes wdf.h: KMDF */
};

void kcc_graph_init(struct kcc_graph *g, const struct kcc_cmdline *cl,
		    const char *const *extra_dirs);
int kcc_graph_add_source(struct kcc_graph *g, const char *path);
void kcc_graph_mark_dirty(struct kcc_graph *g);

/* lex.c */
struct kcc_rawinc {
	size_t start; /* offsets of the name between the delimiters */
	size_t end;
	bool angle;
};

size_t kcc_find_includes(const char *text, size_t len,
			 struct kcc_rawinc **out);

/* resolve.c */
struct kcc_found {
	const char *fixed; /* the name, case-corrected, '/'-separated */
	const char *shown; /* search dir joined with fixed */
	const char *real;
	bool system;       /* found in an -isystem/-idirafter dir */
	bool own_dir;      /* found next to the including file */
};

bool kcc_lookup(const struct kcc_graph *g, const char *includer_dir,
		const char *name, bool angle, struct kcc_found *f);

/* --- shadow.c: the rewritten copies ------------------------------------ */

struct kcc_shadow {
	char *root;             /* private dir under $TMPDIR; NULL: none */
	struct kcc_strvec dirs; /* original dirs of shadowed files */
};

bool kcc_shadow_needed(const struct kcc_graph *g, const struct kcc_cmdline *cl);
void kcc_shadow_write(struct kcc_shadow *sh, struct kcc_graph *g);
void kcc_shadow_apply(const struct kcc_shadow *sh, const struct kcc_graph *g,
		      struct kcc_cmdline *cl);
void kcc_shadow_add_flags(const struct kcc_shadow *sh, struct kcc_strvec *cmd);
void kcc_shadow_fix_depfiles(const struct kcc_shadow *sh,
			     const struct kcc_cmdline *cl);
void kcc_shadow_remove(struct kcc_shadow *sh);

/* --- job.c: what the modes share: parse, resolve, shadow, run ---------- */

struct kcc_job {
	struct kcc_cmdline cl;
	struct kcc_graph graph;
	struct kcc_shadow shadow;
};

void kcc_job_prepare(struct kcc_job *job, int argc, char **argv,
		     const char *const *extra_dirs);
int kcc_job_run(struct kcc_job *job, const struct kcc_strvec *cmd,
		bool may_exec);

/* --- build.c / launch.c: the modes ------------------------------------- */

enum kcc_kmdf { KCC_KMDF_AUTO, KCC_KMDF_ON, KCC_KMDF_OFF };

struct kcc_options {
	bool app;
	enum kcc_kmdf kmdf;
};

int kcc_build(const struct kcc_options *opt, int argc, char **argv);
void kcc_print_flags(const struct kcc_options *opt, bool cflags);
int kcc_launch(int argc, char **argv);

#endif
