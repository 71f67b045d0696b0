/*
 * I/O scripts: a small line-based language for driving a device the same
 * way twice — once through a WDM driver, once through its KMDF port — and
 * writing down what happened (status, bytes, data, order of completions)
 * so the two transcripts can be compared. Used by kmh_script_run; src/host
 * only.
 *
 *   open <\\.\Name | \\?\path | {interface-guid}> [overlapped]   -> h1, h2 ...
 *   ioctl <h> <code> [in <data>] [out <bytes>] [async <name>]
 *   read <h> <bytes> [async <name>]
 *   write <h> <data> [async <name>]
 *   cancel <h>            cancel every request outstanding on the handle
 *   wait <name>           wait for an async request and show its result
 *   close <h>
 *   remove <h> | surprise-remove <h>   the device the handle was opened on
 *
 * <data> is "text", hex:0a0b0c, u32:1,2,3 (little-endian) or zero:<bytes>.
 * Lines starting with # are comments.
 */
#ifndef KMHOST_HOST_SCRIPT_H
#define KMHOST_HOST_SCRIPT_H

#include "internal.h"

enum script_op {
    SCRIPT_OPEN, SCRIPT_IOCTL, SCRIPT_READ, SCRIPT_WRITE, SCRIPT_CANCEL, SCRIPT_WAIT, SCRIPT_CLOSE,
    SCRIPT_REMOVE, SCRIPT_SURPRISE_REMOVE,
};

#define SCRIPT_NAME_MAX 32

struct script_step {
    enum script_op op;
    unsigned line;
    char target[512];               /* open: what to open */
    bool overlapped;
    int handle;                     /* h<N>: N */
    unsigned code;
    unsigned char *data;            /* in (ioctl) or the bytes to write */
    size_t data_size;
    size_t out_size;                /* ioctl out, read length */
    char async[SCRIPT_NAME_MAX];    /* "" when synchronous; wait: which one */
};

struct script {
    struct script_step *steps;
    size_t count;
};

/* Parses; on error returns -EINVAL with "line N: what is wrong". */
int script_parse(const char *text, struct script *out, char *message, size_t size);
void script_free(struct script *script);

/* A growing text buffer for the transcript. */
struct script_text {
    char *data;
    size_t used, size;
};
void script_printf(struct script_text *text, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Runs the steps against this process's device tree. */
int script_execute(const struct script *script, struct script_text *transcript, char *message, size_t size);

#endif /* KMHOST_HOST_SCRIPT_H */
