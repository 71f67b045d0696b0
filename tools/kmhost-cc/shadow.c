/*
 * The shadow tree: rewritten copies of the driver files whose includes the
 * compiler on Linux would not find. A copy lives at <root><realpath>, so the
 * root is one prefix that -ffile-prefix-map and the .d rewrite can strip to
 * get the original path back. Each copy starts with #line naming the
 * original, which is what diagnostics, __FILE__ and the line table see.
 */
#include "kcc.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct buf {
	char *p;
	size_t n;
	size_t cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->n + n > b->cap) {
		size_t cap = (b->n + n) * 2 + 256;
		char *p = kcc_alloc(cap);

		if (b->n)
			memcpy(p, b->p, b->n);
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

bool kcc_shadow_needed(const struct kcc_graph *g, const struct kcc_cmdline *cl)
{
	for (size_t i = 0; i < cl->nargs; i++) {
		int node = cl->args[i].node;

		if (node >= 0 && g->files[node].dirty)
			return true;
	}
	return false;
}

/* The root goes into compiler flags and .d files verbatim, so a $TMPDIR
 * that make or a shell would need quoted is passed over for /tmp. */
static char *make_root(void)
{
	const char *tmp = getenv("TMPDIR");
	char *root;

	if (!tmp || !*tmp || tmp[strcspn(tmp, " \t\n\"'\\#$:=%")])
		tmp = "/tmp";
	root = kcc_printf("%s/kmhost-cc.XXXXXX", tmp);
	if (!mkdtemp(root))
		kcc_die("cannot create a temporary directory in %s: %s", tmp,
			strerror(errno));
	return root;
}

/* #line takes a string literal, so the original path is escaped; a byte
 * order mark must go, since it is only skipped at the very start. */
static void add_line_directive(struct buf *b, const struct kcc_file *f,
			       size_t *skip)
{
	buf_str(b, "#line 1 \"");
	for (const char *p = f->shown; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_add(b, "\\", 1);
		buf_add(b, p, 1);
	}
	buf_str(b, "\"\n");
	*skip = f->len >= 3 && memcmp(f->text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* Driver files are named by absolute path, their shadow when they have
 * one; kmhost's and system headers by the name that finds them. */
static const char *replacement(const struct kcc_graph *g,
			       const struct kcc_include *inc)
{
	const struct kcc_file *t = &g->files[inc->target];

	if (t->origin != KCC_ORIGIN_TREE)
		return inc->fixed;
	return t->dirty ? t->shadow : t->real;
}

static void check_name(const char *name)
{
	if (name[strcspn(name, "\"<>\n")])
		kcc_die("cannot name %s in an #include line", name);
}

static void write_copy(const struct kcc_graph *g, const struct kcc_file *f)
{
	struct buf b = { 0 };
	size_t pos;
	int err;

	add_line_directive(&b, f, &pos);
	for (size_t i = 0; i < f->ninc; i++) {
		const struct kcc_include *inc = &f->inc[i];
		const char *name;

		if (inc->target < 0)
			continue;
		name = replacement(g, inc);
		check_name(name);
		buf_add(&b, f->text + pos, inc->start - pos);
		buf_str(&b, name);
		pos = inc->end;
	}
	buf_add(&b, f->text + pos, f->len - pos);
	err = kcc_mkdir_p(kcc_dirname(f->shadow));
	if (!err)
		err = kcc_write_file(f->shadow, b.p, b.n);
	if (err)
		kcc_die("cannot write %s: %s", f->shadow, strerror(-err));
}

void kcc_shadow_write(struct kcc_shadow *sh, struct kcc_graph *g)
{
	sh->root = make_root();
	for (size_t i = 0; i < g->nfiles; i++)
		if (g->files[i].dirty)
			g->files[i].shadow = kcc_printf("%s%s", sh->root,
							g->files[i].real);
	for (size_t i = 0; i < g->nfiles; i++) {
		if (!g->files[i].dirty)
			continue;
		write_copy(g, &g->files[i]);
		kcc_strvec_push_unique(&sh->dirs, kcc_dirname(g->files[i].real));
	}
}

void kcc_shadow_apply(const struct kcc_shadow *sh, const struct kcc_graph *g,
		      struct kcc_cmdline *cl)
{
	if (!sh->root)
		return;
	for (size_t i = 0; i < cl->nargs; i++) {
		int node = cl->args[i].node;

		if (node >= 0 && g->files[node].dirty)
			cl->args[i].replaced = g->files[node].shadow;
	}
}

/* -iquote: a shadow copy no longer sits next to its siblings, and an
 * include the scan could not follow (#include MACRO) still looks there.
 * -ffile-prefix-map: the compile unit's own name in the debug info is the
 * shadow path; this maps it back to the original. */
void kcc_shadow_add_flags(const struct kcc_shadow *sh, struct kcc_strvec *cmd)
{
	if (!sh->root)
		return;
	for (size_t i = 0; i < sh->dirs.n; i++) {
		kcc_strvec_push(cmd, "-iquote");
		kcc_strvec_push(cmd, sh->dirs.v[i]);
	}
	kcc_strvec_push(cmd, kcc_printf("-ffile-prefix-map=%s=", sh->root));
}

static void unshadow_file(const char *root, const char *path)
{
	size_t len, rlen = strlen(root);
	char *text = kcc_read_file(path, &len);
	struct buf b = { 0 };
	const char *p, *hit;

	if (!text)
		return; /* no .d written: the compile failed or made none */
	for (p = text; (hit = strstr(p, root)) != NULL; p = hit + rlen) {
		buf_add(&b, p, (size_t)(hit - p));
		if (hit[rlen] != '/')
			buf_add(&b, hit, rlen);
	}
	buf_add(&b, p, strlen(p));
	if (kcc_write_file(path, b.p, b.n) != 0)
		kcc_error("cannot rewrite %s", path);
}

/* Where gcc puts the .d of -MD without -MF: next to the -o file when there
 * is one output, otherwise <source stem>.d in the current directory. */
static const char *default_depfile(const struct kcc_cmdline *cl,
				   const struct kcc_arg *src)
{
	const char *base = cl->output && cl->nsources == 1 ? cl->output :
			   kcc_basename(src->text);
	size_t stem = strlen(base) - strlen(kcc_extension(base));

	return kcc_printf("%.*s.d", (int)stem, base);
}

void kcc_shadow_fix_depfiles(const struct kcc_shadow *sh,
			     const struct kcc_cmdline *cl)
{
	if (!sh->root || !cl->deps)
		return;
	if (cl->depfile) {
		unshadow_file(sh->root, cl->depfile);
		return;
	}
	for (size_t i = 0; i < cl->nargs; i++)
		if (cl->args[i].replaced)
			unshadow_file(sh->root, default_depfile(cl, &cl->args[i]));
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path) != 0)
		kcc_error("cannot remove %s: %s", path, strerror(errno));
	return 0;
}

void kcc_shadow_remove(struct kcc_shadow *sh)
{
	if (!sh->root)
		return;
	if (kcc_env_is_set("KMHOST_CC_KEEP"))
		kcc_error("shadow tree kept in %s", sh->root);
	else
		nftw(sh->root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	sh->root = NULL;
}
