/*
 * Parsing I/O scripts (the language is described in script.h). Every error
 * names its line, and nothing runs until the whole script parsed.
 */
#include "host/script.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 16
#define MAX_DATA (16u << 20)

struct line {
    char *tokens[MAX_TOKENS];
    int count;
};

/* Splits on blanks, keeping "quoted strings" (with \" and \\) together. */
static int tokenize(char *text, struct line *line)
{
    char *p = text;
    line->count = 0;
    while (*p) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p || *p == '#')
            break;
        if (line->count == MAX_TOKENS)
            return -E2BIG;
        char *start = p, *out = p;
        if (*p == '"') {
            *out++ = *p++;
            while (*p && *p != '"') {
                if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                    p++;
                *out++ = *p++;
            }
            if (*p != '"')
                return -EINVAL;
            p++;
            *out++ = '"';
        } else {
            while (*p && !isspace((unsigned char)*p))
                *out++ = *p++;
        }
        if (*p)
            p++;
        *out = 0;
        line->tokens[line->count++] = start;
    }
    return 0;
}

static int parse_hex(const char *text, struct script_step *step)
{
    size_t n = strlen(text);
    if (n % 2 || !(step->data = malloc(n / 2 + 1)))
        return -EINVAL;
    for (size_t i = 0; i < n; i += 2) {
        if (!isxdigit((unsigned char)text[i]) || !isxdigit((unsigned char)text[i + 1]))
            return -EINVAL;
        unsigned value;
        sscanf(text + i, "%2x", &value);
        step->data[step->data_size++] = (unsigned char)value;
    }
    return 0;
}

static int parse_u32(const char *text, struct script_step *step)
{
    size_t count = 1;
    for (const char *c = text; *c; c++)
        count += *c == ',';
    if (!(step->data = malloc(count * 4)))
        return -ENOMEM;
    for (const char *c = text; *c;) {
        char *end;
        unsigned long value = strtoul(c, &end, 0);
        if (end == c || value > 0xffffffffUL || (*end && *end != ','))
            return -EINVAL;
        for (int b = 0; b < 4; b++)
            step->data[step->data_size++] = (unsigned char)(value >> (8 * b));
        c = *end ? end + 1 : end;
    }
    return 0;
}

static int parse_data(const char *text, struct script_step *step)
{
    size_t n = strlen(text);
    char *end;
    if (n >= 2 && text[0] == '"' && text[n - 1] == '"') {
        step->data = malloc(n);
        if (!step->data)
            return -ENOMEM;
        memcpy(step->data, text + 1, n - 2);
        step->data_size = n - 2;
        return 0;
    }
    if (strncmp(text, "hex:", 4) == 0)
        return parse_hex(text + 4, step);
    if (strncmp(text, "u32:", 4) == 0)
        return parse_u32(text + 4, step);
    if (strncmp(text, "zero:", 5) == 0) {
        step->data_size = strtoul(text + 5, &end, 0);
        if (*end || step->data_size > MAX_DATA)
            return -EINVAL;
        step->data = calloc(1, step->data_size + 1);
        return step->data ? 0 : -ENOMEM;
    }
    return -EINVAL;
}

static int parse_handle(const char *text, struct script_step *step)
{
    char *end;
    if (text[0] != 'h' || !isdigit((unsigned char)text[1]))
        return -EINVAL;
    step->handle = (int)strtol(text + 1, &end, 10);
    return *end ? -EINVAL : 0;
}

static int parse_size(const char *text, size_t *out)
{
    char *end;
    *out = strtoul(text, &end, 0);
    return *end || *out > MAX_DATA ? -EINVAL : 0;
}

/* The optional "in X", "out N", "async NAME" that follow a request. */
static int parse_options(struct line *line, int from, struct script_step *step)
{
    for (int i = from; i < line->count; i += 2) {
        if (i + 1 >= line->count)
            return -EINVAL;
        const char *key = line->tokens[i], *value = line->tokens[i + 1];
        int err = strcmp(key, "in") == 0 && step->op == SCRIPT_IOCTL    ? parse_data(value, step)
                  : strcmp(key, "out") == 0 && step->op == SCRIPT_IOCTL ? parse_size(value, &step->out_size)
                  : strcmp(key, "async") == 0 && strlen(value) < SCRIPT_NAME_MAX
                      ? (snprintf(step->async, sizeof(step->async), "%s", value), 0)
                      : -EINVAL;
        if (err)
            return err;
    }
    return 0;
}

static int parse_step(struct line *line, struct script_step *step)
{
    const char *verb = line->tokens[0];
    int n = line->count;

    if (strcmp(verb, "open") == 0 && (n == 2 || (n == 3 && strcmp(line->tokens[2], "overlapped") == 0))) {
        step->op = SCRIPT_OPEN;
        step->overlapped = n == 3;
        return strlen(line->tokens[1]) < sizeof(step->target)
                   ? (snprintf(step->target, sizeof(step->target), "%s", line->tokens[1]), 0)
                   : -EINVAL;
    }
    if (strcmp(verb, "ioctl") == 0 && n >= 3) {
        char *end;
        step->op = SCRIPT_IOCTL;
        step->code = (unsigned)strtoul(line->tokens[2], &end, 0);
        if (*end || parse_handle(line->tokens[1], step))
            return -EINVAL;
        return parse_options(line, 3, step);
    }
    if ((strcmp(verb, "read") == 0 || strcmp(verb, "write") == 0) && n >= 3) {
        step->op = verb[0] == 'r' ? SCRIPT_READ : SCRIPT_WRITE;
        if (parse_handle(line->tokens[1], step))
            return -EINVAL;
        int err = step->op == SCRIPT_READ ? parse_size(line->tokens[2], &step->out_size)
                                          : parse_data(line->tokens[2], step);
        return err ? err : parse_options(line, 3, step);
    }
    if (strcmp(verb, "wait") == 0 && n == 2 && strlen(line->tokens[1]) < SCRIPT_NAME_MAX) {
        step->op = SCRIPT_WAIT;
        snprintf(step->async, sizeof(step->async), "%s", line->tokens[1]);
        return 0;
    }
    static const struct { const char *verb; enum script_op op; } simple[] = {
        { "cancel", SCRIPT_CANCEL }, { "close", SCRIPT_CLOSE }, { "remove", SCRIPT_REMOVE },
        { "surprise-remove", SCRIPT_SURPRISE_REMOVE },
    };
    for (size_t i = 0; i < KMH_ARRAY_SIZE(simple); i++)
        if (strcmp(verb, simple[i].verb) == 0 && n == 2) {
            step->op = simple[i].op;
            return parse_handle(line->tokens[1], step);
        }
    return -EINVAL;
}

static int add_step(struct script *script, size_t *capacity, struct script_step **out)
{
    if (script->count == *capacity) {
        size_t grown = *capacity ? *capacity * 2 : 16;
        struct script_step *steps = realloc(script->steps, grown * sizeof(*steps));
        if (!steps)
            return -ENOMEM;
        script->steps = steps;
        *capacity = grown;
    }
    *out = &script->steps[script->count++];
    memset(*out, 0, sizeof(**out));
    return 0;
}

int script_parse(const char *text, struct script *out, char *message, size_t size)
{
    char *copy = strdup(text), *save = NULL;
    size_t capacity = 0;
    unsigned number = 0;
    int err = copy ? 0 : -ENOMEM;

    memset(out, 0, sizeof(*out));
    for (char *raw = copy ? strtok_r(copy, "\n", &save) : NULL; raw && !err; raw = strtok_r(NULL, "\n", &save)) {
        struct line line;
        struct script_step *step;
        number++;
        if (tokenize(raw, &line) || (line.count && (err = add_step(out, &capacity, &step)) == 0 &&
                                     (step->line = number, parse_step(&line, step)))) {
            snprintf(message, size, "line %u: cannot read \"%s\" (see the script language in kmhost compare --help)",
                     number, raw);
            err = -EINVAL;
        }
    }
    free(copy);
    if (err)
        script_free(out);
    return err;
}

void script_free(struct script *script)
{
    for (size_t i = 0; i < script->count; i++)
        free(script->steps[i].data);
    free(script->steps);
    memset(script, 0, sizeof(*script));
}

void script_printf(struct script_text *text, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        size_t room = text->size - text->used;
        va_start(ap, fmt);
        int n = vsnprintf(text->data ? text->data + text->used : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0)
            return;
        if ((size_t)n < room) {
            text->used += (size_t)n;
            return;
        }
        size_t grown = (text->size + (size_t)n + 1) * 2;
        char *data = realloc(text->data, grown);
        if (!data)
            return;
        text->data = data;
        text->size = grown;
    }
}
