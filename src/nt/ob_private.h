/*
 * The object header, shared by ob.c and handle.c only.
 */
#ifndef KMHOST_NT_OB_PRIVATE_H
#define KMHOST_NT_OB_PRIVATE_H

#include "nt/nt.h"
#include <stdatomic.h>

#define NT_OBJECT_MAGIC 0x6a624f4bu /* "KObj" */

/* 32 bytes, so a 16-byte aligned body follows. */
struct nt_object_header {
    _Atomic LONG_PTR pointer_count;
    _Atomic LONG_PTR handle_count;
    nt_object_type *type;
    ULONG magic;
    ULONG reserved;
};
_Static_assert(sizeof(struct nt_object_header) % 16 == 0, "bodies must stay 16-byte aligned");

/* The header of body, or NULL if body was not made by nt_object_new. */
struct nt_object_header *nt_object_header_of(const void *body);
long nt_object_live_count(void);

#endif /* KMHOST_NT_OB_PRIVATE_H */
