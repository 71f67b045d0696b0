/*
 * libFuzzer target for the INF parser and install planner: every input is
 * loaded as an INF and as an .inx template, and every model of what loads
 * is planned. Its seeds are fuzz/corpus/inf; tests/test-pnp-inf.c replays
 * them the same way as an ordinary test.
 */
#include <stddef.h>
#include <stdint.h>

#include "pnp/inf.h"

static void run(const uint8_t *data, size_t size, unsigned flags)
{
    struct inf *inf;
    struct inf_model_list *models;
    struct inf_error err;

    if (inf_load_buffer("fuzz.inf", data, size, flags, &inf, &err) < 0)
        return;
    if (inf_plan_models(inf, &models, &err) == 0) {
        for (size_t i = 0; i < models->count; i++) {
            struct inf_plan *plan;
            if (inf_plan_for_model(inf, &models->models[i], &plan, &err) == 0)
                inf_plan_free(plan);
        }
        inf_models_free(models);
    }
    struct inf_plan *plan;
    if (inf_plan_default_install(inf, &plan, &err) == 0)
        inf_plan_free(plan);
    inf_free(inf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run(data, size, 0);
    run(data, size, INF_LOAD_INX);
    return 0;
}
