/*
 * Driver and app modes: a whole compile (and link) from a gcc-style command
 * line, with the flags kmhost_add_driver and kmhost_add_app give CMake
 * targets (cmake/KmhostDriver.cmake), taken from the same CMake lists
 * through config.h.
 */
#include "kcc.h"
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const driver_defines[] = { KCC_DRIVER_DEFINES NULL };
static const char *const driver_cflags[] = { KCC_DRIVER_CFLAGS NULL };
static const char *const app_defines[] = { KCC_APP_DEFINES NULL };
static const char *const app_cflags[] = { KCC_APP_CFLAGS NULL };
static const char *const abi_flags[] = { KCC_ABI_FLAGS NULL };
static const char *const sanitize_flags[] = { KCC_SANITIZE_FLAGS NULL };

/* Where includes are looked for after the user's -I dirs. wdf is listed for
 * drivers even when it is not yet known to be KMDF, so <WDF.H> resolves
 * while the scan is finding out. */
static const char *const driver_dirs[] = {
	KCC_INCLUDE_KM, KCC_INCLUDE_SHARED, KCC_INCLUDE_WDF, NULL,
};
static const char *const app_dirs[] = {
	KCC_INCLUDE_UM, KCC_INCLUDE_SHARED, KCC_INCLUDE_API, NULL,
};

static void push_base_flags(struct kcc_strvec *cmd, bool app)
{
	kcc_strvec_push_list(cmd, app ? app_defines : driver_defines);
	kcc_strvec_push_list(cmd, app ? app_cflags : driver_cflags);
	kcc_strvec_push_list(cmd, abi_flags);
	kcc_strvec_push_list(cmd, sanitize_flags);
	if (!app)
		kcc_strvec_push(cmd, "-fPIC");
}

/* After the user's flags, as the CMake functions put kmhost's directories
 * after the target's own INCLUDE_DIRECTORIES. */
static void push_include_dirs(struct kcc_strvec *cmd, bool app, bool kmdf)
{
	const char *const *dirs = app ? app_dirs : driver_dirs;

	for (; *dirs; dirs++) {
		if (!app && !kmdf && strcmp(*dirs, KCC_INCLUDE_WDF) == 0)
			continue;
		kcc_strvec_push(cmd, kcc_printf("-I%s", *dirs));
	}
}

/* No -Wl,--no-undefined: a driver's DDI imports are bound by kmhost's
 * loader when it loads the driver, not by the linker. */
static int push_driver_link(struct kcc_strvec *cmd, bool kmdf)
{
	kcc_strvec_push(cmd, "-shared");
	kcc_strvec_push(cmd, "-Wl,-Bsymbolic");
	if (!kmdf)
		return 0;
	if (access(KCC_FXSTUB, R_OK) != 0) {
		kcc_error("a KMDF driver links the FxDriverEntry stub library, "
			  "and %s does not exist: build the kmhost_fxstub "
			  "target first", KCC_FXSTUB);
		return -1;
	}
	kcc_strvec_push(cmd, "-Wl,--whole-archive");
	kcc_strvec_push(cmd, KCC_FXSTUB);
	kcc_strvec_push(cmd, "-Wl,--no-whole-archive");
	return 0;
}

static int push_app_link(struct kcc_strvec *cmd)
{
	if (access(KCC_LIBKMHOST, R_OK) != 0) {
		kcc_error("a test program links libkmhost, and %s does not "
			  "exist: build the kmhost target first", KCC_LIBKMHOST);
		return -1;
	}
	kcc_strvec_push(cmd, "-L" KCC_LIB_DIR);
	kcc_strvec_push(cmd, "-lkmhost");
	kcc_strvec_push(cmd, "-Wl,-rpath," KCC_LIB_DIR);
	return 0;
}

static bool has_cxx_source(const struct kcc_cmdline *cl)
{
	for (size_t i = 0; i < cl->nargs; i++)
		if (cl->args[i].is_input && cl->args[i].lang == KCC_LANG_CXX)
			return true;
	return false;
}

static const char *compiler(bool cxx)
{
	const char *env = getenv(cxx ? "KMHOST_CC_CXX" : "KMHOST_CC_CC");

	if (env && *env)
		return env;
	return cxx ? KCC_CXX_COMPILER : KCC_C_COMPILER;
}

int kcc_build(const struct kcc_options *opt, int argc, char **argv)
{
	struct kcc_job job;
	struct kcc_strvec cmd = { 0 };
	bool kmdf, cxx;
	int err = 0;

	kcc_job_prepare(&job, argc, argv, opt->app ? app_dirs : driver_dirs);
	kmdf = !opt->app && (opt->kmdf == KCC_KMDF_ON ||
			     (opt->kmdf == KCC_KMDF_AUTO && job.graph.saw_wdf));
	cxx = opt->app && has_cxx_source(&job.cl);
	kcc_strvec_push(&cmd, compiler(cxx));
	push_base_flags(&cmd, opt->app);
	kcc_cmdline_render(&job.cl, &cmd, cxx);
	push_include_dirs(&cmd, opt->app, kmdf);
	kcc_shadow_add_flags(&job.shadow, &cmd);
	if (!job.cl.compile_only)
		err = opt->app ? push_app_link(&cmd) : push_driver_link(&cmd, kmdf);
	if (err) {
		kcc_shadow_remove(&job.shadow);
		return 1;
	}
	return kcc_job_run(&job, &cmd, true);
}

/* Single quotes for anything a shell would split or expand, so the output
 * can be pasted into a Makefile or used as $(kmhost-cc --cflags). */
static void print_word(const char *w, bool first)
{
	if (!first)
		putchar(' ');
	if (!w[strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_-+=/.,:@%")]) {
		fputs(w, stdout);
		return;
	}
	putchar('\'');
	for (; *w; w++)
		if (*w == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*w);
	putchar('\'');
}

void kcc_print_flags(const struct kcc_options *opt, bool cflags)
{
	struct kcc_strvec v = { 0 };
	bool kmdf = opt->kmdf == KCC_KMDF_ON;

	if (cflags) {
		push_base_flags(&v, opt->app);
		push_include_dirs(&v, opt->app, kmdf);
	} else if (opt->app) {
		kcc_strvec_push_list(&v, sanitize_flags);
		kcc_strvec_push(&v, "-L" KCC_LIB_DIR);
		kcc_strvec_push(&v, "-lkmhost");
		kcc_strvec_push(&v, "-Wl,-rpath," KCC_LIB_DIR);
	} else {
		kcc_strvec_push_list(&v, sanitize_flags);
		kcc_strvec_push(&v, "-shared");
		kcc_strvec_push(&v, "-fPIC");
		kcc_strvec_push(&v, "-Wl,-Bsymbolic");
		if (kmdf) {
			kcc_strvec_push(&v, "-Wl,--whole-archive");
			kcc_strvec_push(&v, KCC_FXSTUB);
			kcc_strvec_push(&v, "-Wl,--no-whole-archive");
		}
	}
	for (size_t i = 0; i < v.n; i++)
		print_word(v.v[i], i == 0);
	putchar('\n');
}
