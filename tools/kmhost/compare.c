/*
 * kmhost compare: the porting check. One I/O script runs against a WDM
 * driver and against its KMDF port, each in a fresh root; the transcripts
 * (status, bytes, data, order of completions) must be identical.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    long size;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (text = calloc(1, (size_t)size + 1)) != NULL && fread(text, 1, (size_t)size, f) != (size_t)size) {
        free(text);
        text = NULL;
    }
    fclose(f);
    return text;
}

/* Line by line: the first difference matters most, the rest follow. */
static void print_differences(const char *a, const char *b)
{
    unsigned line = 1;
    while (*a || *b) {
        size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
        if (la != lb || strncmp(a, b, la) != 0)
            printf("line %u:\n  - %.*s\n  + %.*s\n", line, (int)la, a, (int)lb, b);
        a += la + (a[la] == '\n');
        b += lb + (b[lb] == '\n');
        line++;
    }
}

int cli_compare(int argc, char **argv)
{
    char message[1024] = "", *ta = NULL, *tb = NULL;
    bool same = false;

    if (argc != 6) {
        cli_error("usage: kmhost compare <script> <inf-a> <hardware-id-a> <inf-b> <hardware-id-b>\n"
                  "script lines: open <\\\\.\\Name|\\\\?\\path|{interface-guid}> [overlapped]; "
                  "ioctl hN <code> [in <data>] [out <bytes>] [async <name>]; read hN <bytes> [async <name>]; "
                  "write hN <data> [async <name>]; cancel hN; wait <name>; close hN; remove hN; "
                  "surprise-remove hN. <data>: \"text\", hex:0a0b, u32:1,2, zero:<bytes>");
        return 2;
    }
    char *script = read_file(argv[1]);
    if (!script) {
        cli_error("cannot read %s", argv[1]);
        return 2;
    }
    struct kmh_compare_side a = { argv[2], argv[3] }, b = { argv[4], argv[5] };
    int err = kmh_compare(script, &a, &b, &same, &ta, &tb, message, sizeof(message));
    free(script);
    if (err) {
        cli_error("%s", message);
    } else if (same) {
        printf("%sidentical: both drivers gave the transcript above\n", ta);
    } else {
        printf("the drivers differ:\n");
        print_differences(ta, tb);
    }
    free(ta);
    free(tb);
    return err ? 2 : same ? 0 : 1;
}
