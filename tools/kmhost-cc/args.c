/*
 * The gcc-style part of a command line: which tokens are inputs, which are
 * include directories, where the output and the dependency file go.
 * Everything is kept in order so the command can be rendered again with only
 * the sources swapped for their shadow copies.
 */
#include "kcc.h"

#include <string.h>
#include <strings.h>

/* Options whose value is the next token when not joined ("-o x", "-I x").
 * Getting one wrong would take its value for an input file. */
static const char *const separate_value_opts[] = {
	"-o", "-I", "-D", "-U", "-L", "-l", "-x", "-u", "-T", "-z", "-e",
	"-include", "-imacros", "-iquote", "-isystem", "-idirafter",
	"-iprefix", "-iwithprefix", "-iwithprefixbefore", "-isysroot",
	"-MF", "-MT", "-MQ", "-Xlinker", "-Xpreprocessor", "-Xassembler",
	"-Xclang", "-aux-info", "--param", "-target", "-arch", "-dumpbase",
	"-dumpdir", NULL,
};

static bool takes_separate_value(const char *opt)
{
	for (const char *const *p = separate_value_opts; *p; p++)
		if (strcmp(*p, opt) == 0)
			return true;
	return false;
}

/* Windows trees name C files *.C; on Linux gcc would take them for C++, and
 * they are C. Only the lower-case C++ spellings (and their upper-case
 * forms other than a bare .C) are C++. */
static bool is_cxx_name(const char *path)
{
	static const char *const cxx_exts[] = {
		".cpp", ".cc", ".cxx", ".c++", ".cp", NULL,
	};
	const char *ext = kcc_extension(path);

	for (const char *const *p = cxx_exts; *p; p++)
		if (strcasecmp(ext, *p) == 0)
			return true;
	return false;
}

static enum kcc_lang lang_of(const char *path)
{
	const char *ext = kcc_extension(path);

	if (strcmp(ext, ".c") == 0 || strcmp(ext, ".C") == 0)
		return KCC_LANG_C;
	if (is_cxx_name(path))
		return KCC_LANG_CXX;
	return KCC_LANG_NONE;
}

/* Include directories, joined or separate, in the order the compiler
 * searches them within each kind. */
static bool note_include_dir(struct kcc_cmdline *cl, const char *opt,
			     const char *dir)
{
	if (strcmp(opt, "-I") == 0)
		kcc_strvec_push(&cl->idirs, dir);
	else if (strcmp(opt, "-iquote") == 0)
		kcc_strvec_push(&cl->iquote, dir);
	else if (strcmp(opt, "-isystem") == 0 || strcmp(opt, "-idirafter") == 0)
		kcc_strvec_push(&cl->isystem, dir);
	else
		return false;
	return true;
}

static void note_joined(struct kcc_cmdline *cl, const char *t)
{
	static const char *const dir_opts[] = {
		"-isystem", "-idirafter", "-iquote", "-I", NULL,
	};

	for (const char *const *p = dir_opts; *p; p++) {
		size_t n = strlen(*p);

		if (strncmp(t, *p, n) == 0 && t[n]) {
			note_include_dir(cl, *p, t + n);
			return;
		}
	}
	if (strncmp(t, "-o", 2) == 0 && t[2])
		cl->output = t + 2;
	else if (strncmp(t, "-MF", 3) == 0 && t[3])
		cl->depfile = t + 3;
	else if (strncmp(t, "-Wp,-MD,", 8) == 0 || strncmp(t, "-Wp,-MMD,", 9) == 0) {
		cl->deps = true;
		cl->depfile = strchr(t + 4, ',') + 1;
	}
}

static void note_option(struct kcc_cmdline *cl, const char *t, const char *v)
{
	if (v) {
		if (strcmp(t, "-o") == 0)
			cl->output = v;
		else if (strcmp(t, "-MF") == 0)
			cl->depfile = v;
		else
			note_include_dir(cl, t, v);
		return;
	}
	if (!strcmp(t, "-c") || !strcmp(t, "-S") || !strcmp(t, "-E"))
		cl->compile_only = true;
	else if (!strcmp(t, "-MD") || !strcmp(t, "-MMD"))
		cl->deps = true;
	else
		note_joined(cl, t);
}

static const char *current_x(const char *t, const char *v, const char *cur)
{
	if (strcmp(t, "-x") == 0 && v)
		return strcmp(v, "none") == 0 ? NULL : v;
	if (strncmp(t, "-x", 2) == 0 && t[2])
		return strcmp(t + 2, "none") == 0 ? NULL : t + 2;
	return cur;
}

void kcc_cmdline_parse(struct kcc_cmdline *cl, int argc, char **argv)
{
	const char *x = NULL;

	memset(cl, 0, sizeof(*cl));
	cl->args = kcc_alloc(((size_t)argc + 1) * sizeof(*cl->args));
	for (int i = 0; i < argc; i++) {
		struct kcc_arg *a = &cl->args[cl->nargs++];

		a->text = argv[i];
		a->node = -1;
		if (argv[i][0] != '-' || argv[i][1] == '\0') {
			a->is_input = true;
			a->lang = lang_of(a->text);
			a->user_lang = x != NULL;
			cl->nsources += a->lang != KCC_LANG_NONE;
			continue;
		}
		if (takes_separate_value(a->text) && i + 1 < argc)
			a->value = argv[++i];
		note_option(cl, a->text, a->value);
		x = current_x(a->text, a->value, x);
	}
}

/* gcc picks the language from the extension unless told: a .C file needs
 * "-x c", and so does any C file when the C++ driver compiles it. The
 * trailing "-x none" gives later inputs back their own extension. */
static bool needs_x(const struct kcc_arg *a, bool cxx_driver)
{
	if (!a->is_input || a->lang == KCC_LANG_NONE || a->user_lang)
		return false;
	if (a->lang == KCC_LANG_C)
		return cxx_driver || strcmp(kcc_extension(a->text), ".C") == 0;
	return false;
}

void kcc_cmdline_render(const struct kcc_cmdline *cl, struct kcc_strvec *out,
			bool cxx_driver)
{
	for (size_t i = 0; i < cl->nargs; i++) {
		const struct kcc_arg *a = &cl->args[i];
		bool x = needs_x(a, cxx_driver);

		if (x) {
			kcc_strvec_push(out, "-x");
			kcc_strvec_push(out, "c");
		}
		kcc_strvec_push(out, a->replaced ? a->replaced : a->text);
		if (a->value)
			kcc_strvec_push(out, a->value);
		if (x) {
			kcc_strvec_push(out, "-x");
			kcc_strvec_push(out, "none");
		}
	}
}
