/*
 * kmhost-cc: builds Windows drivers and their test programs for kmhost from
 * scripts and other build systems, the way kmhost_add_driver and
 * kmhost_add_app do in CMake, and serves as CMake's compiler launcher for
 * driver sources. See usage() for the command line.
 */
#include "kcc.h"
#include "config.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fputs(
"usage: kmhost-cc [--kmdf|--wdm] [gcc options] -o <driver>.sys <sources>\n"
"       kmhost-cc --app [gcc options] -o <program> <sources>\n"
"       kmhost-cc -c [gcc options] [-o <object>] <source>\n"
"       kmhost-cc --launch <compiler> <compiler args>\n"
"       kmhost-cc [--app|--kmdf] --cflags | --app-cflags | --libs | --app-libs\n"
"\n"
"Builds a Windows driver's unmodified sources into a shared object kmhost\n"
"can load (or, with --app, a test program linked to libkmhost), with the\n"
"flags kmhost's CMake functions use. KMDF is detected from #include <wdf.h>\n"
"unless --kmdf or --wdm says so. Includes spelled the Windows way (wrong\n"
"case, backslashes) are resolved and compiled from rewritten copies in a\n"
"temporary directory; diagnostics still name the original files.\n"
"\n"
"  --launch     run the compiler command that follows (CMake launcher)\n"
"  --cflags     print driver compile flags (--app-cflags: a program's)\n"
"  --libs       print driver link flags (--app-libs: a program's)\n"
"\n"
"Environment: KMHOST_CC_KEEP=1 keeps the temporary directory,\n"
"KMHOST_CC_VERBOSE=1 prints each command run, KMHOST_CC_CC and\n"
"KMHOST_CC_CXX replace the C and C++ compilers.\n", f);
}

enum action { ACT_BUILD, ACT_CFLAGS, ACT_LIBS, ACT_HELP, ACT_VERSION };

/* Returns true when arg was one of kmhost-cc's own options. */
static bool take_option(const char *arg, struct kcc_options *opt,
			enum action *act)
{
	static const struct {
		const char *name;
		enum action act;
		int app;        /* -1: leaves opt->app alone */
		enum kcc_kmdf kmdf;
	} table[] = {
		{ "--kmdf", ACT_BUILD, -1, KCC_KMDF_ON },
		{ "--wdm", ACT_BUILD, -1, KCC_KMDF_OFF },
		{ "--app", ACT_BUILD, 1, KCC_KMDF_AUTO },
		{ "--cflags", ACT_CFLAGS, -1, KCC_KMDF_AUTO },
		{ "--app-cflags", ACT_CFLAGS, 1, KCC_KMDF_AUTO },
		{ "--libs", ACT_LIBS, -1, KCC_KMDF_AUTO },
		{ "--app-libs", ACT_LIBS, 1, KCC_KMDF_AUTO },
		{ "--help", ACT_HELP, -1, KCC_KMDF_AUTO },
		{ "--version", ACT_VERSION, -1, KCC_KMDF_AUTO },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (strcmp(arg, table[i].name) != 0)
			continue;
		if (table[i].act != ACT_BUILD || *act == ACT_BUILD)
			*act = table[i].act;
		if (table[i].app >= 0)
			opt->app = table[i].app;
		if (table[i].kmdf != KCC_KMDF_AUTO)
			opt->kmdf = table[i].kmdf;
		return true;
	}
	return false;
}

static int dispatch(int argc, char **argv)
{
	struct kcc_options opt = { .app = false, .kmdf = KCC_KMDF_AUTO };
	enum action act = ACT_BUILD;
	char **rest = kcc_alloc(((size_t)argc + 1) * sizeof(*rest));
	int nrest = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--launch") == 0)
			return kcc_launch(argc - i - 1, argv + i + 1);
		if (!take_option(argv[i], &opt, &act))
			rest[nrest++] = argv[i];
	}
	switch (act) {
	case ACT_HELP:
		usage(stdout);
		return 0;
	case ACT_VERSION:
		printf("kmhost-cc %s\n", KCC_VERSION);
		return 0;
	case ACT_CFLAGS:
	case ACT_LIBS:
		kcc_print_flags(&opt, act == ACT_CFLAGS);
		return 0;
	case ACT_BUILD:
		break;
	}
	if (nrest == 0) {
		usage(stderr);
		return 2;
	}
	return kcc_build(&opt, nrest, rest);
}

int main(int argc, char **argv)
{
	int status = dispatch(argc, argv);

	kcc_arena_free();
	return status;
}
