/*
 * Compiler-launcher mode: CMake runs "kmhost-cc --launch <compiler> <args>"
 * for every source of a kmhost_add_driver target (C_COMPILER_LAUNCHER in
 * cmake/KmhostDriver.cmake). The command is CMake's own, flags and all; this
 * only swaps the source for its shadow copy when its includes need one and
 * maps the .d file back, so the build's dependencies name the originals.
 */
#include "kcc.h"

int kcc_launch(int argc, char **argv)
{
	struct kcc_job job;
	struct kcc_strvec cmd = { 0 };

	if (argc < 1)
		kcc_die("--launch needs a compiler command after it");
	/* the include dirs searched are exactly those of the command: CMake
	 * already passed kmhost's */
	kcc_job_prepare(&job, argc - 1, argv + 1, NULL);
	kcc_strvec_push(&cmd, argv[0]);
	kcc_cmdline_render(&job.cl, &cmd, false);
	kcc_shadow_add_flags(&job.shadow, &cmd);
	return kcc_job_run(&job, &cmd, true);
}
