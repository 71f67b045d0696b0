/*
 * Import checking: before a driver file is mapped, every undefined symbol
 * in its dynamic symbol table must name something a Windows kernel would
 * give it — a DDI kmhost implements, a C runtime function ntoskrnl also
 * exports, or the compiler's and sanitizers' own runtime. Everything else
 * is listed by name, all at once, so a user learns the whole gap in one run
 * instead of one symbol per dlopen failure.
 *
 * KMDF methods are not symbols (they are called through the function
 * table); the wdf headers make each one the driver really calls leave an
 * undefined __kmhost_wdfimp_<name> behind, checked like any DDI.
 */
#include "loader/loader.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WDF_IMPORT_PREFIX "__kmhost_wdfimp_"

/* C runtime functions ntoskrnl exports too, so a driver may import them;
 * the C library's implementation is the same function. Wide-character and
 * Microsoft-specific ones are kmhost's own (the headers rename them). */
static const char *const kernel_crt[] = {
    "memcpy", "memmove", "memset", "memcmp", "memchr", "strlen", "strnlen", "strcpy", "strncpy", "strcat",
    "strncat", "strcmp", "strncmp", "strchr", "strrchr", "strstr", "strspn", "strcspn", "strpbrk", "strtok",
    "toupper", "tolower", "isalpha", "isdigit", "isspace", "isxdigit", "isupper", "islower", "isalnum",
    "isprint", "ispunct", "iscntrl", "isgraph", "atoi", "atol", "strtol", "strtoul", "strtoll", "strtoull",
    "qsort", "bsearch", "abs", "labs", "llabs", "rand", "srand", "_setjmp", "setjmp", "longjmp", "_longjmp",
    "__memcpy_chk", "__memset_chk", "__memmove_chk", "__strcpy_chk", "__strncpy_chk", "__strcat_chk",
    "__stack_chk_fail", "__cxa_finalize", "__ctype_b_loc", "__ctype_toupper_loc", "__ctype_tolower_loc",
    "__errno_location", "__assert_fail", "abort",
};

/* Runtimes that come with the compiler, not with Windows. */
static const char *const toolchain_prefixes[] = {
    "__asan_", "__ubsan_", "__sanitizer_", "__tsan_", "__lsan_", "__msan_", "__sancov_", "__llvm_",
    "__gcov_", "__cyg_profile_", "_ITM_", "__gmon_start__",
};

static bool in_list(const char *name, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(name, list[i]) == 0)
            return true;
    return false;
}

static bool has_prefix(const char *name, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strncmp(name, list[i], strlen(list[i])) == 0)
            return true;
    return false;
}

/* The module this file is linked into: the kmhost library, or a program
 * (tests) that contains it. DDIs are the symbols defined there. */
static const void *kmhost_module_base(void)
{
    Dl_info info;
    return dladdr((void *)&ldr_check_imports, &info) ? info.dli_fbase : NULL;
}

static bool from_module_named(const Dl_info *info, const char *fragment)
{
    return info->dli_fname && strstr(info->dli_fname, fragment);
}

static bool import_is_provided(const char *name)
{
    Dl_info info;
    void *address;

    if (has_prefix(name, toolchain_prefixes, KMH_ARRAY_SIZE(toolchain_prefixes)))
        return true;
    address = dlsym(RTLD_DEFAULT, name);
    if (!address || !dladdr(address, &info))
        return false;
    if (info.dli_fbase == kmhost_module_base())
        return true;
    if (from_module_named(&info, "libgcc") || from_module_named(&info, "libclang_rt") ||
        from_module_named(&info, "libasan") || from_module_named(&info, "libubsan") ||
        from_module_named(&info, "libtsan"))
        return true;
    return in_list(name, kernel_crt, KMH_ARRAY_SIZE(kernel_crt));
}

struct missing_list {
    char *text;
    size_t used, size, count;
};

static void missing_add(struct missing_list *list, const char *name)
{
    bool wdf = strncmp(name, WDF_IMPORT_PREFIX, strlen(WDF_IMPORT_PREFIX)) == 0;
    const char *shown = wdf ? name + strlen(WDF_IMPORT_PREFIX) : name;
    int n = snprintf(list->text + list->used, list->size - list->used, "%s%s%s", list->count ? ", " : "",
                     shown, wdf ? " (KMDF)" : "");
    if (n > 0 && (size_t)n < list->size - list->used)
        list->used += (size_t)n;
    list->count++;
}

static int scan_dynsym(Elf *elf, struct missing_list *missing)
{
    Elf_Scn *scn = NULL;
    GElf_Shdr shdr;

    while ((scn = elf_nextscn(elf, scn)) != NULL) {
        if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_DYNSYM)
            continue;
        Elf_Data *data = elf_getdata(scn, NULL);
        size_t count = shdr.sh_entsize ? shdr.sh_size / shdr.sh_entsize : 0;
        for (size_t i = 1; data && i < count; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(data, (int)i, &sym) || sym.st_shndx != SHN_UNDEF ||
                GELF_ST_BIND(sym.st_info) == STB_WEAK)
                continue;
            const char *name = elf_strptr(elf, shdr.sh_link, sym.st_name);
            if (name && *name && !import_is_provided(name))
                missing_add(missing, name);
        }
        return 0;
    }
    return -ENOEXEC;
}

static int check_elf_header(Elf *elf, const char *path, char *message, size_t size)
{
    GElf_Ehdr ehdr;
    if (elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &ehdr) || ehdr.e_ident[EI_CLASS] != ELFCLASS64 ||
        ehdr.e_machine != EM_X86_64 || ehdr.e_type != ET_DYN) {
        snprintf(message, size, "%s is not a driver kmhost can load (an x86-64 ELF shared object built with "
                 "kmhost-cc or kmhost_add_driver)", path);
        return -ENOEXEC;
    }
    return 0;
}

int ldr_check_imports(const char *path, char *message, size_t size)
{
    struct missing_list missing = { .size = 1024 };
    int fd, err;
    Elf *elf;

    message[0] = 0;
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        snprintf(message, size, "driver file %s: %s", path, strerror(errno));
        return errno == ENOENT ? -ENOENT : -errno;
    }
    elf_version(EV_CURRENT);
    elf = elf_begin(fd, ELF_C_READ, NULL);
    err = elf ? check_elf_header(elf, path, message, size) : -ENOEXEC;
    if (!elf)
        snprintf(message, size, "%s is not an ELF file: %s", path, elf_errmsg(-1));
    if (!err && !(missing.text = calloc(1, missing.size)))
        err = -ENOMEM;
    if (!err && scan_dynsym(elf, &missing))
        snprintf(message, size, "%s has no dynamic symbol table", path), err = -ENOEXEC;
    if (!err && missing.count) {
        snprintf(message, size, "%s imports %zu DDI%s kmhost does not implement: %s", path, missing.count,
                 missing.count == 1 ? "" : "s", missing.text);
        err = -ENOSYS;
    }
    free(missing.text);
    if (elf)
        elf_end(elf);
    close(fd);
    return err;
}
