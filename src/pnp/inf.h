/*
 * INF files: the parser and the install plan. Private to the pnp module:
 * only the files of src/pnp, the tests of the pnp module and
 * fuzz/fuzz-inf.c include this header. The second half (after "Shared by the inf*.c files") is for the
 * parser's own files only.
 *
 * inf_load() reads an INF (or an .inx template, stamped as stampinf would)
 * into sections of lines whose %strkey% tokens are already replaced from
 * [Strings]. An install plan says, as plain data, what installing one model
 * of that INF on amd64 means: the files to copy, the services to create, and
 * every registry operation with the key HKR stands for in its context. The
 * plan touches nothing; the PnP manager applies it through the registry.
 *
 * Strings are UTF-8. A plan or model list points into the inf it came
 * from: free it first. Functions return 0 or a negative errno; when they fail and an
 * error struct was given, it names the file, the line (0: the whole file)
 * and what is wrong.
 */
#ifndef KMHOST_PNP_INF_H
#define KMHOST_PNP_INF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct inf;
struct inf_arena;

struct inf_error {
    char file[512];
    unsigned line;
    char message[256];
};

/* One entry of a section: "key = f0, f1, ..." or "f0, f1, ..." (key NULL).
 * Fields have their quotes removed and their %strkey% tokens replaced;
 * %dirid% tokens such as %12% are kept as written. */
struct inf_line {
    unsigned lineno;
    const char *key;
    size_t nfields;
    const char **fields;
};

/* Sections of the same name (case-insensitive) are merged, as Windows does. */
struct inf_section {
    const char *name;
    unsigned lineno;
    size_t nlines;
    struct inf_line *lines;
    size_t cap; /* private */
};

/* Load flags. INF_LOAD_INX applies stampinf's substitutions; inf_load()
 * sets it by itself for a file named *.inx. */
#define INF_LOAD_INX 0x1u

/* What stampinf puts in an .inx (amd64, KMDF 1.33, UMDF 2.33). */
#define INF_STAMP_ARCH "amd64"
#define INF_STAMP_KMDF_VERSION "1.33"
#define INF_STAMP_KMDF_COINSTALLER_VERSION "01033"
#define INF_STAMP_UMDF_VERSION "2.33"
#define INF_STAMP_UMDF_COINSTALLER_VERSION "02033"

/*
 * inf_load - read and check an INF or .inx file.
 * Any thread; the result is not shared. Returns -ENOENT/-EACCES/-EIO when
 * the file cannot be read, -EFBIG past 64 MiB, -EINVAL for a malformed INF
 * (err says where and why: unterminated quote, line outside any section,
 * missing [Version], bad Signature, undefined %string%...), -ENOMEM.
 */
int inf_load(const char *path, struct inf **out, struct inf_error *err);
/* inf_load on bytes already in memory; name is what errors call the file. */
int inf_load_buffer(const char *name, const void *data, size_t size, unsigned flags,
                    struct inf **out, struct inf_error *err);
void inf_free(struct inf *inf);

const char *inf_path(const struct inf *inf);
size_t inf_section_count(const struct inf *inf);
const struct inf_section *inf_section_at(const struct inf *inf, size_t index);
/* The section of that name, case-insensitive, or NULL. */
const struct inf_section *inf_section_find(const struct inf *inf, const char *name);
/* The first line of section whose key is key (case-insensitive), or NULL. */
const struct inf_line *inf_section_find_key(const struct inf_section *section, const char *key);
/* First field of that line, or NULL when the section, key or field is missing. */
const char *inf_value(const struct inf *inf, const char *section, const char *key);

/* ---- Install plans ---- */

/* Registry value types, as REG_* in winnt.h. */
#define INF_REG_NONE 0u
#define INF_REG_SZ 1u
#define INF_REG_EXPAND_SZ 2u
#define INF_REG_BINARY 3u
#define INF_REG_DWORD 4u
#define INF_REG_MULTI_SZ 7u
#define INF_REG_QWORD 11u

/* AddReg flags, as FLG_ADDREG_* in setupapi.h. */
#define INF_FLG_ADDREG_BINVALUETYPE 0x00000001u
#define INF_FLG_ADDREG_NOCLOBBER 0x00000002u
#define INF_FLG_ADDREG_DELVAL 0x00000004u
#define INF_FLG_ADDREG_APPEND 0x00000008u
#define INF_FLG_ADDREG_KEYONLY 0x00000010u
#define INF_FLG_ADDREG_OVERWRITEONLY 0x00000020u
#define INF_FLG_ADDREG_64BITKEY 0x00001000u
#define INF_FLG_ADDREG_KEYONLY_COMMON 0x00002000u
#define INF_FLG_ADDREG_32BITKEY 0x00004000u
#define INF_FLG_ADDREG_TYPE_MASK 0xFFFF0001u
#define INF_FLG_ADDREG_TYPE_SZ 0x00000000u
#define INF_FLG_ADDREG_TYPE_MULTI_SZ 0x00010000u
#define INF_FLG_ADDREG_TYPE_EXPAND_SZ 0x00020000u
#define INF_FLG_ADDREG_TYPE_BINARY 0x00000001u
#define INF_FLG_ADDREG_TYPE_DWORD 0x00010001u
#define INF_FLG_ADDREG_TYPE_NONE 0x00020001u
#define INF_FLG_DELREG_MULTI_SZ_DELSTRING 0x00018002u

/* AddService flags, as SPSVCINST_* in setupapi.h. */
#define INF_SPSVCINST_TAGTOFRONT 0x00000001u
#define INF_SPSVCINST_ASSOCSERVICE 0x00000002u

/* Directory ids (Using Dirids); INF_DIRID_ABSOLUTE for a path with none. */
#define INF_DIRID_ABSOLUTE (-1)
#define INF_DIRID_WINDOWS 10
#define INF_DIRID_SYSTEM 11
#define INF_DIRID_DRIVERS 12
#define INF_DIRID_DRIVER_STORE 13

/* The key a registry operation starts from: what HKR meant where it was
 * written, or the predefined root the INF named. */
enum inf_reg_root {
    INF_ROOT_SERVICE,   /* service-install AddReg: Services\<root_name> */
    INF_ROOT_EVENTLOG,  /* event-log AddReg: Services\EventLog\<root_name> */
    INF_ROOT_HARDWARE,  /* DDInstall.HW AddReg: the device's hardware key */
    INF_ROOT_DRIVER,    /* DDInstall and .CoInstallers AddReg: the driver key */
    INF_ROOT_INTERFACE, /* add-interface AddReg: root_name is the GUID (+ "\\ref") */
    INF_ROOT_HKLM,
    INF_ROOT_HKCR,
    INF_ROOT_HKCU,
    INF_ROOT_HKU,
};

enum inf_reg_action {
    INF_REG_SET,           /* set value_name to type/data (flags say how) */
    INF_REG_CREATE_KEY,    /* create subkey, no value */
    INF_REG_DELETE_VALUE,  /* delete value_name */
    INF_REG_DELETE_KEY,    /* delete subkey */
    INF_REG_DELETE_STRING, /* remove data's string from a REG_MULTI_SZ */
};

struct inf_reg_op {
    enum inf_reg_action action;
    enum inf_reg_root root;
    const char *root_name; /* service, event log or interface; else NULL */
    const char *subkey;    /* "" for the root key itself */
    const char *value_name; /* NULL or "": the key's default value */
    uint32_t type;          /* INF_REG_* */
    uint32_t flags;         /* the FLG_ADDREG_* or FLG_DELREG_* as written */
    const uint8_t *data;    /* strings are UTF-16LE with their NULs */
    size_t size;
    const char *section;
    unsigned line;
};

/* One line of a models section, in the section chosen for amd64. */
struct inf_model {
    const char *manufacturer;
    const char *models_section;
    const char *description;
    const char *install_section; /* as the models line names it */
    const char *hardware_id;     /* NULL when the line has none */
    const char **compatible_ids;
    size_t ncompatible_ids;
    bool undecorated; /* came from an undecorated models section */
    unsigned line;
};

struct inf_model_list {
    size_t count;
    struct inf_model *models;
    struct inf_arena *arena; /* private */
};

struct inf_service {
    const char *name;            /* "" for AddService=,2 (no driver) */
    uint32_t flags;              /* SPSVCINST_* */
    bool is_function_driver;     /* SPSVCINST_ASSOCSERVICE */
    const char *install_section; /* NULL for the null driver */
    uint32_t service_type, start_type, error_control;
    const char *binary;      /* ServiceBinary as written */
    int binary_dirid;        /* its %dirid%, or INF_DIRID_ABSOLUTE */
    const char *binary_path; /* what follows the dirid: "sub\\x.sys" */
    const char *binary_file; /* its last component: "x.sys" */
    const char *display_name, *description, *load_order_group, *start_name;
    const char **dependencies; /* "+Group" names a load order group */
    size_t ndependencies;
    const char *eventlog_section;
    unsigned line;
};

/* A file to copy from the driver package (next to the INF) into place. */
struct inf_file_copy {
    const char *source;   /* relative to the INF's directory, '/' separated */
    const char *dest_name;
    int dest_dirid;
    const char *dest_subdir; /* NULL when none */
    uint32_t flags;          /* COPYFLG_* as written */
    unsigned line;
};

struct inf_interface {
    const char *class_guid;
    const char *reference; /* NULL when none */
    const char *section;   /* add-interface section, NULL when none */
    uint32_t flags;
    unsigned line;
};

struct inf_plan {
    const char *inf_path;
    const char *class_name, *class_guid, *provider, *catalog_file;
    const char *driver_date, *driver_version; /* DriverVer's two parts */
    struct inf_model model;
    const char *install_section; /* decorated: "Toaster_Device.NTamd64" */
    struct inf_service *services;
    size_t nservices;
    const char *function_service; /* the ASSOCSERVICE one, or NULL */
    struct inf_reg_op *regs;      /* in the order Windows applies them */
    size_t nregs;
    struct inf_file_copy *files;
    size_t nfiles;
    struct inf_interface *interfaces;
    size_t ninterfaces;
    bool has_kmdf;
    const char *kmdf_service, *kmdf_section, *kmdf_library_version;
    const char **warnings; /* what the plan could not follow */
    size_t nwarnings;
    struct inf_arena *arena; /* private */
};

/*
 * inf_plan_models - every model the INF offers on amd64, manufacturer by
 * manufacturer, each from its best-matching decorated models section.
 * Returns -EINVAL (err set) when a referenced section is missing, -ENOMEM.
 */
int inf_plan_models(const struct inf *inf, struct inf_model_list **out,
                    struct inf_error *err);
void inf_models_free(struct inf_model_list *list);

/*
 * inf_plan_for_hardware_id - plan the install of the model whose hardware
 * ID (else one of whose compatible IDs) is hwid, case-insensitive; NULL
 * takes the first model. Returns -ENOENT (err set) when no model matches,
 * -EINVAL (err set) for a missing section or malformed directive, -ENOMEM.
 */
int inf_plan_for_hardware_id(const struct inf *inf, const char *hwid,
                             struct inf_plan **out, struct inf_error *err);
/* The same for one model of inf_plan_models(). */
int inf_plan_for_model(const struct inf *inf, const struct inf_model *model,
                       struct inf_plan **out, struct inf_error *err);
/* The same for [DefaultInstall] (a non-PnP, legacy driver's INF); HKR is
 * an error there. -ENOENT when the INF has no DefaultInstall section. */
int inf_plan_default_install(const struct inf *inf, struct inf_plan **out,
                             struct inf_error *err);
void inf_plan_free(struct inf_plan *plan);

/* The last SET of value_name (case-insensitive) under root, or NULL. */
const struct inf_reg_op *inf_plan_find_reg(const struct inf_plan *plan,
                                           enum inf_reg_root root,
                                           const char *value_name);
/* The service of that name, or NULL. */
const struct inf_service *inf_plan_find_service(const struct inf_plan *plan,
                                                const char *name);
/* "file:line: message" (or "file: message" for line 0) into buf;
 * returns what snprintf returns. */
int inf_error_format(const struct inf_error *err, char *buf, size_t size);

/* ---- Shared by the inf*.c files; nothing else uses what follows ---- */

struct inf {
    const char *path;
    struct inf_arena *arena;
    struct inf_section **sections; /* in file order */
    size_t nsections, capsections;
    size_t *table; /* open hash of section indexes + 1, by lowercase name */
    size_t tablesize;
};

struct inf_arena *inf_arena_new(void);
void inf_arena_delete(struct inf_arena *arena);
/* Zeroed memory that lives as long as the arena; NULL when out of memory. */
void *inf_arena_alloc(struct inf_arena *arena, size_t size);
char *inf_arena_strndup(struct inf_arena *arena, const char *s, size_t n);
char *inf_arena_strdup(struct inf_arena *arena, const char *s);
char *inf_arena_printf(struct inf_arena *arena, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Makes room for one more element of an arena array; NULL when out of
 * memory. The array moves as it doubles. */
void *inf_arena_grow(struct inf_arena *arena, void *items_ptr, size_t *count,
                     size_t *cap, size_t elem_size);

/* Fills err (when not NULL) and returns code. */
int inf_error_set(struct inf_error *err, const char *file, unsigned line, int code,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

bool inf_strcaseeq(const char *a, const char *b);
bool inf_strncaseeq(const char *a, const char *b, size_t n);
size_t inf_hash_caseless(const char *s);
/* An INF number: "0x" hex or decimal, optionally negative. -EINVAL if not. */
int inf_parse_u32(const char *s, uint32_t *out);
int inf_parse_u64(const char *s, uint64_t *out);
/* UTF-8 (bytes that are not UTF-8 taken as Latin-1) to UTF-16LE units;
 * out may be NULL to count. Returns the number of bytes written. */
size_t inf_utf16le_encode(const char *s, uint8_t *out);

/* Parser internals (inf_parse.c, inf_lex.c, inf_strings.c, inf_stamp.c). */
struct inf_section *inf_section_open(struct inf *inf, const char *name, unsigned lineno);
struct inf_line *inf_section_add_line(struct inf *inf, struct inf_section *section);
int inf_lex(struct inf *inf, const char *text, size_t len, struct inf_error *err);
/* Bytes of the file (BOM-detected UTF-16LE/BE or UTF-8) to NUL-free UTF-8. */
int inf_decode(const char *name, const uint8_t *data, size_t size, char **text,
               size_t *len, struct inf_error *err);
int inf_strings_substitute(struct inf *inf, struct inf_error *err);
bool inf_is_strings_section(const char *name);
/* stampinf's $ARCH$ & co. replaced in a malloc'd copy of text. */
int inf_stamp_text(const char *text, size_t len, char **out, size_t *outlen);
int inf_stamp_driver_ver(struct inf *inf);

/* Plan internals (inf_plan.c, inf_models.c, inf_addreg.c, inf_service.c,
 * inf_files.c). */
struct inf_plan_ctx {
    const struct inf *inf;
    struct inf_plan *plan;
    struct inf_error *err;
    size_t capservices, capregs, capfiles, capinterfaces, capwarnings;
};
int inf_models_collect(const struct inf *inf, struct inf_arena *arena,
                       struct inf_model **models, size_t *count, struct inf_error *err);
/* The section Windows would use on amd64: base.NTamd64, base.NT, base. */
const struct inf_section *inf_section_for_platform(const struct inf *inf,
                                                   const char *base);
int inf_plan_warn(struct inf_plan_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Runs the AddReg (or DelReg when del) directive of line: each section it
 * names, with HKR meaning root/root_name. */
int inf_addreg_run(struct inf_plan_ctx *ctx, const struct inf_line *line, bool del,
                   enum inf_reg_root root, const char *root_name, bool hkr_allowed);
/* The AddReg and DelReg directives of a section (an event-log or
 * add-interface section), HKR meaning root/root_name. */
int inf_addreg_directives(struct inf_plan_ctx *ctx, const struct inf_section *section,
                          enum inf_reg_root root, const char *root_name);
int inf_service_add(struct inf_plan_ctx *ctx, const struct inf_line *line);
int inf_files_copy(struct inf_plan_ctx *ctx, const struct inf_line *line);

#endif /* KMHOST_PNP_INF_H */
