/*
 * <dontuse.h>: the WDK header that deprecates unsafe string functions in
 * favour of strsafe. Drivers include it, and so do headers a driver shares
 * with its program (the WDK samples' public.h), so it sits in shared/ where
 * both compilers find it. kmhost's compilers do not enforce the
 * deprecations; including it changes nothing.
 */
#ifndef _DONTUSE_H_INCLUDED_
#define _DONTUSE_H_INCLUDED_
#endif
