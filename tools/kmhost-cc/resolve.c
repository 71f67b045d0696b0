/*
 * Finds the file an #include names, the way the preprocessor searches, but
 * forgiving the two Windows habits the preprocessor on Linux is not:
 * backslashes between path components, and names whose case differs from
 * the file on disk. Exact matches in any directory win over case-folded
 * ones, so whatever the compiler finds unaided is left exactly as it is.
 */
#include "kcc.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static bool has_type(const char *path, bool want_dir)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return false;
	return want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode);
}

/* The entry of dir that matches comp ignoring case. When a directory holds
 * several spellings (foo.h and FOO.h), the first in byte order is taken so
 * the result never depends on readdir order. */
static const char *match_component(const char *dir, const char *comp,
				   bool want_dir)
{
	const char *best = NULL;
	struct dirent *de;
	DIR *d;

	if (has_type(kcc_join(dir, comp), want_dir))
		return comp;
	d = opendir(*dir ? dir : ".");
	if (!d)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if (strcasecmp(de->d_name, comp) != 0)
			continue;
		if (best && strcmp(de->d_name, best) >= 0)
			continue;
		if (has_type(kcc_join(dir, de->d_name), want_dir))
			best = kcc_strdup(de->d_name);
	}
	closedir(d);
	return best;
}

/* Walks name one component at a time below dir, folding case where the
 * exact component is missing. "." and ".." are kept for the kernel to
 * resolve, as it would for the compiler. Returns the corrected name. */
static const char *match_path(const char *dir, const char *name)
{
	const char *fixed = "";
	const char *p = name;

	while (*p) {
		size_t n = strcspn(p, "/");
		bool last = p[n] == '\0';
		const char *comp = kcc_strndup(p, n);
		const char *got = comp;

		if (n != 0 && strcmp(comp, ".") != 0 && strcmp(comp, "..") != 0)
			got = match_component(kcc_join(dir, fixed), comp, !last);
		if (!got)
			return NULL;
		if (n != 0)
			fixed = *fixed ? kcc_printf("%s/%s", fixed, got) : got;
		p += n + !last;
	}
	return *fixed ? fixed : NULL;
}

static bool try_dir(const char *dir, const char *name, bool fold,
		    struct kcc_found *f)
{
	char real[PATH_MAX];
	const char *fixed = name;

	if (fold && name[0] != '/')
		fixed = match_path(dir, name);
	if (!fixed || !has_type(kcc_join(dir, fixed), false))
		return false;
	f->fixed = fixed;
	f->shown = kcc_join(dir, fixed);
	if (!realpath(f->shown, real))
		return false;
	f->real = kcc_strdup(real);
	return true;
}

static bool search(const struct kcc_graph *g, const char *includer_dir,
		   const char *name, bool angle, bool fold, struct kcc_found *f)
{
	const struct kcc_search_dir *dirs = angle ? g->angle : g->quote;
	size_t n = angle ? g->nangle : g->nquote;

	f->system = false;
	f->own_dir = !angle || name[0] == '/';
	if (name[0] == '/')
		return try_dir("", name, fold, f);
	if (!angle && try_dir(includer_dir, name, fold, f))
		return true;
	f->own_dir = false;
	for (size_t i = 0; i < n; i++) {
		f->system = dirs[i].system;
		if (try_dir(dirs[i].path, name, fold, f))
			return true;
	}
	return false;
}

bool kcc_lookup(const struct kcc_graph *g, const char *includer_dir,
		const char *name, bool angle, struct kcc_found *f)
{
	char *norm = kcc_strdup(name);

	for (char *p = norm; *p; p++)
		if (*p == '\\')
			*p = '/';
	if (!*norm)
		return false;
	return search(g, includer_dir, norm, angle, false, f) ||
	       search(g, includer_dir, norm, angle, true, f);
}
