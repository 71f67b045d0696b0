/*
 * Heaps: the process heap and HeapCreate'd heaps are all the C library's
 * allocator. Each block carries its size in a 16-byte header, so HeapSize
 * and HeapReAlloc with HEAP_ZERO_MEMORY (which zeroes only the growth)
 * work. LocalAlloc/GlobalAlloc are fixed blocks of the same heap; their
 * handles are the pointers. HEAP_GENERATE_EXCEPTIONS raises nothing:
 * failures return NULL.
 */
#include "client/client.h"

#include <stdlib.h>

#define HEAP_HEADER 16
#define PROCESS_HEAP ((HANDLE)(ULONG_PTR)0x10000)

static size_t *header_of(LPCVOID mem)
{
    return (size_t *)((char *)mem - HEAP_HEADER);
}

static void *heap_alloc(SIZE_T size, bool zero)
{
    if (size > MAXSSIZE_T - HEAP_HEADER)
        return NULL;
    size_t *block = zero ? calloc(1, HEAP_HEADER + size) : malloc(HEAP_HEADER + size);
    if (!block)
        return NULL;
    *block = size;
    return (char *)block + HEAP_HEADER;
}

/* The process heap's handle. */
KMH_EXPORT HANDLE WINAPI GetProcessHeap(VOID)
{
    return PROCESS_HEAP;
}

/* A new heap (every heap is the process allocator here). */
KMH_EXPORT HANDLE WINAPI HeapCreate(DWORD flOptions, SIZE_T dwInitialSize, SIZE_T dwMaximumSize)
{
    (void)flOptions, (void)dwInitialSize, (void)dwMaximumSize;
    return PROCESS_HEAP;
}

/* Heaps share one allocator: destroying one frees nothing. */
KMH_EXPORT BOOL WINAPI HeapDestroy(HANDLE hHeap)
{
    return hHeap ? TRUE : client_fail(ERROR_INVALID_HANDLE);
}

/* dwBytes from the heap (zeroed with HEAP_ZERO_MEMORY), or NULL. */
KMH_EXPORT LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes)
{
    (void)hHeap;
    return heap_alloc(dwBytes, dwFlags & HEAP_ZERO_MEMORY);
}

/* Resizes lpMem (HEAP_ZERO_MEMORY zeroes what it grows by); NULL, with
 * lpMem untouched, when that fails or HEAP_REALLOC_IN_PLACE_ONLY forbids a
 * move. */
KMH_EXPORT LPVOID WINAPI HeapReAlloc(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem, SIZE_T dwBytes)
{
    (void)hHeap;
    if (!lpMem || dwBytes > MAXSSIZE_T - HEAP_HEADER)
        return NULL;
    size_t old = *header_of(lpMem);
    if ((dwFlags & HEAP_REALLOC_IN_PLACE_ONLY) && dwBytes > old)
        return NULL;
    size_t *block = realloc(header_of(lpMem), HEAP_HEADER + dwBytes);
    if (!block)
        return NULL;
    *block = dwBytes;
    char *mem = (char *)block + HEAP_HEADER;
    if ((dwFlags & HEAP_ZERO_MEMORY) && dwBytes > old)
        memset(mem + old, 0, dwBytes - old);
    return mem;
}

/* Frees lpMem (NULL is fine). */
KMH_EXPORT BOOL WINAPI HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem)
{
    (void)hHeap, (void)dwFlags;
    if (lpMem)
        free(header_of(lpMem));
    return TRUE;
}

/* The size lpMem was allocated with. */
KMH_EXPORT SIZE_T WINAPI HeapSize(HANDLE hHeap, DWORD dwFlags, LPCVOID lpMem)
{
    (void)hHeap, (void)dwFlags;
    return lpMem ? *header_of(lpMem) : (SIZE_T)-1;
}

/* A fixed block (LMEM_ZEROINIT zeroes it); NULL with
 * ERROR_NOT_ENOUGH_MEMORY. */
KMH_EXPORT HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes)
{
    void *mem = heap_alloc(uBytes, uFlags & LMEM_ZEROINIT);
    if (!mem)
        client_fail(ERROR_NOT_ENOUGH_MEMORY);
    return mem;
}

/* Frees the block; returns NULL. */
KMH_EXPORT HLOCAL WINAPI LocalFree(HLOCAL hMem)
{
    HeapFree(PROCESS_HEAP, 0, hMem);
    return NULL;
}

/* A fixed block's memory is its handle. */
KMH_EXPORT LPVOID WINAPI LocalLock(HLOCAL hMem)
{
    return hMem;
}

KMH_EXPORT BOOL WINAPI LocalUnlock(HLOCAL hMem)
{
    (void)hMem;
    return FALSE; /* fixed blocks are never locked: FALSE with no error, as Windows returns */
}

/* As LocalAlloc (GMEM_ZEROINIT zeroes). */
KMH_EXPORT HGLOBAL WINAPI GlobalAlloc(UINT uFlags, SIZE_T dwBytes)
{
    return LocalAlloc(uFlags & GMEM_ZEROINIT ? LMEM_ZEROINIT : 0, dwBytes);
}

/* As LocalFree. */
KMH_EXPORT HGLOBAL WINAPI GlobalFree(HGLOBAL hMem)
{
    return LocalFree(hMem);
}

KMH_EXPORT LPVOID WINAPI GlobalLock(HGLOBAL hMem)
{
    return hMem;
}

KMH_EXPORT BOOL WINAPI GlobalUnlock(HGLOBAL hMem)
{
    (void)hMem;
    return FALSE;
}
