/*
 * The definitions behind wdmguid.h, exported so drivers that include it
 * without INITGUID resolve them here.
 */
#pragma GCC visibility push(default)
#include <initguid.h>
#include "pnp/pnp_private.h"
#include <wdmguid.h>
#pragma GCC visibility pop
