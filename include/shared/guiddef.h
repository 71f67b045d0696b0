/*
 * GUID and DEFINE_GUID. Without INITGUID a DEFINE_GUID declares the GUID;
 * after <initguid.h> it defines it, once per program: the definition is weak
 * (Microsoft's selectany), so every file that includes initguid.h may define
 * the same GUID.
 */
#ifndef GUID_DEFINED
#define GUID_DEFINED
typedef struct _GUID {
    unsigned int Data1;
    unsigned short Data2;
    unsigned short Data3;
    unsigned char Data4[8];
} GUID;
#endif

#ifndef __LPGUID_DEFINED__
#define __LPGUID_DEFINED__
typedef GUID *LPGUID, *PGUID;
typedef const GUID *LPCGUID, *PCGUID;
typedef GUID IID, CLSID, FMTID;
typedef const GUID *REFGUID, *REFIID, *REFCLSID, *REFFMTID;
typedef IID *LPIID;
#endif

#ifndef _KMH_GUIDDEF_FUNCS
#define _KMH_GUIDDEF_FUNCS
#include <string.h>
#ifdef __cplusplus
#define KMH_GUID_EXTERN extern "C"
#define KMH_GUID_DEFINE extern "C"
#else
#define KMH_GUID_EXTERN extern
#define KMH_GUID_DEFINE
#endif
static inline int InlineIsEqualGUID(const GUID *a, const GUID *b)
{
    return memcmp(a, b, sizeof(GUID)) == 0;
}
#define IsEqualGUID(a, b) InlineIsEqualGUID(a, b)
#define IsEqualIID(a, b) IsEqualGUID(a, b)
#define IsEqualCLSID(a, b) IsEqualGUID(a, b)
#endif

#undef DEFINE_GUID
#ifdef INITGUID
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    KMH_GUID_DEFINE const GUID __attribute__((weak)) name \
        = { l, w1, w2, { b1, b2, b3, b4, b5, b6, b7, b8 } }
#else
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    KMH_GUID_EXTERN const GUID name
#endif
#define DEFINE_OLEGUID(name, l, w1, w2) \
    DEFINE_GUID(name, l, w1, w2, 0xC0, 0, 0, 0, 0, 0, 0, 0x46)
