/*
 * Shared by the core files of src/fx (object model, handles, table,
 * binding) only; the object families use fx.h.
 */
#ifndef KMHOST_FX_PRIVATE_H
#define KMHOST_FX_PRIVATE_H

#include "fx/fx.h"

const struct fx_type_ops *fx_type_ops(enum fx_type type);
/* Gives the object its handle; -ENOMEM when the table cannot grow. */
int fx_handle_insert(struct fx_object *object);
/* Retires the handle: later lookups of it are stale. */
void fx_handle_remove(struct fx_object *object);
/* Live objects made by a driver (leak report at unbind). */
size_t fx_handle_count_for(const struct fx_globals *globals);
void fx_handle_for_each_of(const struct fx_globals *globals, void (*fn)(struct fx_object *object, void *ctx),
                           void *ctx);

#endif /* KMHOST_FX_PRIVATE_H */
