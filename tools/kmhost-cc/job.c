/*
 * What every mode does around the compiler: parse the command line, follow
 * the sources' includes, shadow what needs it, then run the compiler and
 * clean up after it.
 */
#include "kcc.h"

#include <string.h>

void kcc_job_prepare(struct kcc_job *job, int argc, char **argv,
		     const char *const *extra_dirs)
{
	memset(job, 0, sizeof(*job));
	kcc_cmdline_parse(&job->cl, argc, argv);
	kcc_graph_init(&job->graph, &job->cl, extra_dirs);
	for (size_t i = 0; i < job->cl.nargs; i++) {
		struct kcc_arg *a = &job->cl.args[i];

		if (a->is_input && a->lang != KCC_LANG_NONE)
			a->node = kcc_graph_add_source(&job->graph, a->text);
	}
	kcc_graph_mark_dirty(&job->graph);
	if (!kcc_shadow_needed(&job->graph, &job->cl))
		return;
	kcc_shadow_write(&job->shadow, &job->graph);
	kcc_shadow_apply(&job->shadow, &job->graph, &job->cl);
}

/* Without a shadow tree there is nothing to do afterwards, so the compiler
 * may replace this process (may_exec) and report for itself. */
int kcc_job_run(struct kcc_job *job, const struct kcc_strvec *cmd,
		bool may_exec)
{
	int status;

	if (!job->shadow.root && may_exec)
		kcc_exec(cmd);
	status = kcc_run(cmd);
	kcc_shadow_fix_depfiles(&job->shadow, &job->cl);
	kcc_shadow_remove(&job->shadow);
	return status;
}
