/*
 * The include closure of the sources being compiled: one node per file
 * (identified by its realpath), each driver-tree file scanned once for its
 * #include lines, and a dirty mark on every file that must be rewritten,
 * either for its own includes or because something it includes is.
 */
#include "kcc.h"
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void search_list(struct kcc_search_dir **out, size_t *n,
			const struct kcc_strvec *lists[3],
			const char *const *extra)
{
	size_t cap = lists[0]->n + lists[1]->n + lists[2]->n;
	struct kcc_search_dir *v;

	for (const char *const *p = extra; p && *p; p++)
		cap++;
	v = kcc_alloc((cap + 1) * sizeof(*v));
	*n = 0;
	/* lists[2] holds -isystem/-idirafter dirs, searched after kmhost's
	 * own -I dirs that the caller appends as extra */
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; i < lists[l]->n; i++)
			v[(*n)++] = (struct kcc_search_dir){ lists[l]->v[i], false };
	for (const char *const *p = extra; p && *p; p++)
		v[(*n)++] = (struct kcc_search_dir){ *p, false };
	for (size_t i = 0; i < lists[2]->n; i++)
		v[(*n)++] = (struct kcc_search_dir){ lists[2]->v[i], true };
	*out = v;
}

void kcc_graph_init(struct kcc_graph *g, const struct kcc_cmdline *cl,
		    const char *const *extra_dirs)
{
	static const struct kcc_strvec none;
	const struct kcc_strvec *quote[3] = { &cl->iquote, &cl->idirs, &cl->isystem };
	const struct kcc_strvec *angle[3] = { &cl->idirs, &none, &cl->isystem };
	char real[PATH_MAX];

	memset(g, 0, sizeof(*g));
	search_list(&g->quote, &g->nquote, quote, extra_dirs);
	search_list(&g->angle, &g->nangle, angle, extra_dirs);
	g->kmhost_root = kcc_strdup(realpath(KCC_INCLUDE_ROOT, real) ?
				    real : KCC_INCLUDE_ROOT);
}

static int add_file(struct kcc_graph *g, const char *real, const char *shown,
		    enum kcc_origin origin)
{
	struct kcc_file *f;

	for (size_t i = 0; i < g->nfiles; i++)
		if (strcmp(g->files[i].real, real) == 0)
			return (int)i;
	if (g->nfiles == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 32;
		struct kcc_file *v = kcc_alloc(cap * sizeof(*v));

		if (g->nfiles)
			memcpy(v, g->files, g->nfiles * sizeof(*v));
		g->files = v;
		g->cap = cap;
	}
	f = &g->files[g->nfiles];
	memset(f, 0, sizeof(*f));
	f->real = real;
	f->shown = shown;
	f->origin = origin;
	return (int)g->nfiles++;
}

static enum kcc_origin origin_of(const struct kcc_graph *g,
				 const struct kcc_found *f)
{
	size_t n = strlen(g->kmhost_root);

	if (strncmp(f->real, g->kmhost_root, n) == 0 && f->real[n] == '/')
		return KCC_ORIGIN_KMHOST;
	return f->system ? KCC_ORIGIN_SYSTEM : KCC_ORIGIN_TREE;
}

/* KMDF is decided by what the sources include, as the WDK decides it by
 * the project type: a driver that includes wdf.h needs the framework. */
static void note_wdf(struct kcc_graph *g, const char *name)
{
	const char *base = name;

	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	if (strcasecmp(base, "wdf.h") == 0)
		g->saw_wdf = true;
}

static void resolve_one(struct kcc_graph *g, const char *dir, const char *text,
			const struct kcc_rawinc *raw, struct kcc_include *inc)
{
	const char *name = kcc_strndup(text + raw->start, raw->end - raw->start);
	struct kcc_found found;

	inc->start = raw->start;
	inc->end = raw->end;
	inc->target = -1;
	note_wdf(g, name);
	if (!kcc_lookup(g, dir, name, raw->angle, &found))
		return;
	inc->needs_fix = strcmp(found.fixed, name) != 0;
	/* a name relative to the includer would not survive the move into the
	 * shadow tree; one found through the search path still will */
	inc->fixed = found.own_dir ? found.real : found.fixed;
	inc->target = add_file(g, found.real, found.shown, origin_of(g, &found));
}

static void scan(struct kcc_graph *g, int idx)
{
	struct kcc_file *f = &g->files[idx];
	struct kcc_rawinc *raw;
	struct kcc_include *inc;
	const char *dir = kcc_dirname(f->shown);
	size_t n;

	f->scanned = true;
	f->text = kcc_read_file(f->real, &f->len);
	if (!f->text)
		return; /* the compiler will say why */
	n = kcc_find_includes(f->text, f->len, &raw);
	inc = kcc_alloc((n + 1) * sizeof(*inc));
	for (size_t i = 0; i < n; i++)
		resolve_one(g, dir, f->text, &raw[i], &inc[i]);
	f = &g->files[idx]; /* resolve_one may have moved the array */
	f->inc = inc;
	f->ninc = n;
	for (size_t i = 0; i < n; i++) {
		const struct kcc_file *t;

		if (inc[i].target < 0)
			continue;
		t = &g->files[inc[i].target];
		if (!t->scanned && t->origin == KCC_ORIGIN_TREE)
			scan(g, inc[i].target);
	}
}

int kcc_graph_add_source(struct kcc_graph *g, const char *path)
{
	char real[PATH_MAX];
	int idx;

	if (!realpath(path, real))
		return -1;
	idx = add_file(g, kcc_strdup(real), path, KCC_ORIGIN_TREE);
	if (!g->files[idx].scanned)
		scan(g, idx);
	return idx;
}

static bool includes_dirty(const struct kcc_graph *g, const struct kcc_file *f)
{
	for (size_t i = 0; i < f->ninc; i++) {
		int t = f->inc[i].target;

		if (t >= 0 && g->files[t].dirty)
			return true;
	}
	return false;
}

/* Dirtiness spreads from a file to everything that includes it, through
 * include cycles too, so it is iterated to a fixed point. */
void kcc_graph_mark_dirty(struct kcc_graph *g)
{
	bool changed = true;

	for (size_t i = 0; i < g->nfiles; i++) {
		struct kcc_file *f = &g->files[i];

		for (size_t j = 0; j < f->ninc; j++)
			f->dirty |= f->inc[j].target >= 0 && f->inc[j].needs_fix;
	}
	while (changed) {
		changed = false;
		for (size_t i = 0; i < g->nfiles; i++) {
			struct kcc_file *f = &g->files[i];

			if (!f->dirty && includes_dirty(g, f))
				f->dirty = changed = true;
		}
	}
}
