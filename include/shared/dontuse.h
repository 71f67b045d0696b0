/*
 * <dontuse.h>: the WDK header that deprecates unsafe string functions in
 * favour of strsafe. kmhost's compilers do not enforce that; including it
 * changes nothing.
 */
#ifndef _DONTUSE_H_INCLUDED_
#define _DONTUSE_H_INCLUDED_
#endif
