/*
 * .inx templates: what stampinf does to one before it is an INF. Its
 * documented keywords are replaced for amd64 and the KMDF/UMDF versions
 * kmhost provides (-a, -k, -u); unknown $WORDS$ stay, as stampinf leaves
 * them. A template without DriverVer gets one, dated as stampinf would:
 * STAMPINF_DATE and STAMPINF_VERSION from the environment, else today and
 * 1.0.0.0. A DriverVer already there is left as the author wrote it.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "inf.h"

static const struct {
    const char *word, *value;
} stamp_words[] = {
    { "$ARCH$", INF_STAMP_ARCH },
    { "$KMDFVERSION$", INF_STAMP_KMDF_VERSION },
    { "$KMDFCOINSTALLERVERSION$", INF_STAMP_KMDF_COINSTALLER_VERSION },
    { "$UMDFVERSION$", INF_STAMP_UMDF_VERSION },
    { "$UMDFCOINSTALLERVERSION$", INF_STAMP_UMDF_COINSTALLER_VERSION },
};

/* inf_stamp_text writes in place of the keywords: no value may be longer. */
_Static_assert(sizeof(INF_STAMP_ARCH) <= sizeof("$ARCH$"), "arch");
_Static_assert(sizeof(INF_STAMP_KMDF_VERSION) <= sizeof("$KMDFVERSION$"), "kmdf");
_Static_assert(sizeof(INF_STAMP_KMDF_COINSTALLER_VERSION) <= sizeof("$KMDFCOINSTALLERVERSION$"),
               "kmdf coinstaller");
_Static_assert(sizeof(INF_STAMP_UMDF_VERSION) <= sizeof("$UMDFVERSION$"), "umdf");
_Static_assert(sizeof(INF_STAMP_UMDF_COINSTALLER_VERSION) <= sizeof("$UMDFCOINSTALLERVERSION$"),
               "umdf coinstaller");

/* The keyword at p, or -1. */
static int stamp_word_at(const char *p, size_t left)
{
    for (size_t i = 0; i < KMH_ARRAY_SIZE(stamp_words); i++) {
        size_t n = strlen(stamp_words[i].word);
        if (n <= left && inf_strncaseeq(p, stamp_words[i].word, n))
            return (int)i;
    }
    return -1;
}

int inf_stamp_text(const char *text, size_t len, char **out, size_t *outlen)
{
    char *buf = malloc(len + 1);
    size_t n = 0;

    if (!buf)
        return -ENOMEM;
    for (size_t i = 0; i < len;) {
        int w = text[i] == '$' ? stamp_word_at(text + i, len - i) : -1;
        if (w < 0) {
            buf[n++] = text[i++];
            continue;
        }
        size_t vlen = strlen(stamp_words[w].value);
        memcpy(buf + n, stamp_words[w].value, vlen);
        n += vlen;
        i += strlen(stamp_words[w].word);
    }
    buf[n] = 0;
    *out = buf;
    *outlen = n;
    return 0;
}

static const char *stamp_date(struct inf_arena *arena)
{
    const char *env = getenv("STAMPINF_DATE");
    if (env && *env)
        return inf_arena_strdup(arena, env);
    time_t now = time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm))
        return inf_arena_strdup(arena, "01/01/1970");
    return inf_arena_printf(arena, "%02d/%02d/%04d", tm.tm_mon + 1, tm.tm_mday,
                            tm.tm_year + 1900);
}

int inf_stamp_driver_ver(struct inf *inf)
{
    struct inf_section *v = (struct inf_section *)inf_section_find(inf, "Version");
    if (!v || inf_section_find_key(v, "DriverVer"))
        return 0; /* a missing [Version] is reported by the caller */
    const char *env = getenv("STAMPINF_VERSION");
    const char **fields = inf_arena_alloc(inf->arena, 2 * sizeof(*fields));
    struct inf_line *line = fields ? inf_section_add_line(inf, v) : NULL;
    if (!line)
        return -ENOMEM;
    fields[0] = stamp_date(inf->arena);
    fields[1] = inf_arena_strdup(inf->arena, env && *env ? env : "1.0.0.0");
    if (!fields[0] || !fields[1])
        return -ENOMEM;
    line->key = "DriverVer";
    line->fields = fields;
    line->nfields = 2;
    line->lineno = 0; /* stamped, not written */
    return 0;
}
