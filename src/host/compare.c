/*
 * kmh_script_run and kmh_compare: the porting check. The same I/O script
 * runs against a WDM driver and against its KMDF port, each in a fresh
 * kmhost root of its own, and the transcripts must match line for line.
 */
#include "internal.h"
#include "kmhost.h"
#include "host/script.h"
#include "nt/registry.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

KMH_EXPORT int kmh_script_run(const char *text, char **transcript, char *message, size_t size)
{
    struct script script;
    struct script_text out = { 0 };
    int err = script_parse(text, &script, message, size);

    *transcript = NULL;
    if (err)
        return err;
    err = script_execute(&script, &out, message, size);
    script_free(&script);
    *transcript = out.data ? out.data : strdup("");
    return err;
}

static void remove_tree(const char *path)
{
    DIR *dir = opendir(path);
    struct dirent *entry;
    char child[4096];

    while (dir && (entry = readdir(dir)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        snprintf(child, sizeof(child), "%s/%s", path, entry->d_name);
        struct stat st;
        if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(child);
        else
            unlink(child);
    }
    if (dir)
        closedir(dir);
    rmdir(path);
}

/* One side: a fresh root, the package installed, the device added and
 * started, the script run, everything torn down again. */
static int run_side(const char *script, const struct kmh_compare_side *side, char **transcript, char *message,
                    size_t size)
{
    char root[] = "/tmp/kmhost-compare.XXXXXX", instance[256], installed[64];
    const char *tmp = getenv("TMPDIR");
    char template[512];
    int err;

    snprintf(template, sizeof(template), "%s/kmhost-compare.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    char *dir = mkdtemp(strlen(template) < sizeof(template) ? template : root);
    if (!dir) {
        snprintf(message, size, "cannot make a temporary root: %s", strerror(errno));
        return -errno;
    }
    err = nt_set_root_dir(dir);
    if (!err)
        err = kmh_inf_install(side->inf_path, installed, sizeof(installed), message, size);
    if (!err && (err = kmh_runtime_start(message, size)) == 0) {
        err = kmh_device_add(side->hardware_id, instance, sizeof(instance), message, size);
        if (!err)
            err = kmh_script_run(script, transcript, message, size);
        kmh_runtime_stop();
    }
    remove_tree(dir);
    return err;
}

KMH_EXPORT int kmh_compare(const char *script, const struct kmh_compare_side *a, const struct kmh_compare_side *b,
                           bool *same, char **transcript_a, char **transcript_b, char *message, size_t size)
{
    char previous[4096];
    int err;

    *same = false;
    *transcript_a = *transcript_b = NULL;
    snprintf(previous, sizeof(previous), "%s", nt_root_dir());
    err = run_side(script, a, transcript_a, message, size);
    if (!err)
        err = run_side(script, b, transcript_b, message, size);
    nt_set_root_dir(previous);
    if (!err)
        *same = strcmp(*transcript_a, *transcript_b) == 0;
    return err;
}
