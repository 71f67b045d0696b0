/*
 * Lookaside lists: fixed-size blocks from the pool (or the driver's own
 * allocate/free routines), with a small cache of freed blocks.
 *
 * The cache is kept only when the verifier is off: a cached block hides a
 * use after free from AddressSanitizer, which is what drivers come here to
 * find. Every block is still allocated with the list's tag, so a block the
 * driver never returns is reported at unload like any pool leak.
 */
#include "nt/nt.h"
#include "verifier/verifier.h"

#define LOOKASIDE_DEFAULT_DEPTH 32
/* Statistics only: relaxed atomics keep them race-free and cheap. */
#define STAT_INC(field) __atomic_fetch_add(&(field), 1, __ATOMIC_RELAXED)

static bool lookaside_caches(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return false;
#else
    return !vf_is_strict();
#endif
}

static void lookaside_init(PGENERAL_LOOKASIDE L, POOL_TYPE type, SIZE_T size, ULONG tag, USHORT depth)
{
    memset(L, 0, sizeof(*L));
    InitializeSListHead(&L->ListHead);
    L->Type = type;
    L->Tag = tag;
    L->Size = (ULONG)(size < sizeof(SLIST_ENTRY) ? sizeof(SLIST_ENTRY) : size);
    L->MaximumDepth = depth ? depth : LOOKASIDE_DEFAULT_DEPTH;
    L->Depth = lookaside_caches() ? L->MaximumDepth : 0;
    InitializeListHead(&L->ListEntry);
}

/* The allocation is charged to the driver call that asked for the block. */
static PVOID lookaside_new_block(PGENERAL_LOOKASIDE L, bool ex, void *caller)
{
    if (ex && L->AllocateEx)
        return L->AllocateEx(L->Type, L->Size, L->Tag, (PLOOKASIDE_LIST_EX)L);
    if (!ex && L->Allocate)
        return L->Allocate(L->Type, L->Size, L->Tag);
    POOL_FLAGS flags = (L->Type & 1) ? POOL_FLAG_PAGED : POOL_FLAG_NON_PAGED;
    return nt_pool_alloc_for(flags | POOL_FLAG_UNINITIALIZED, L->Size, L->Tag, caller);
}

static void lookaside_free_block(PGENERAL_LOOKASIDE L, PVOID block, bool ex)
{
    if (ex && L->FreeEx)
        L->FreeEx(block, (PLOOKASIDE_LIST_EX)L);
    else if (!ex && L->Free)
        L->Free(block);
    else
        ExFreePoolWithTag(block, L->Tag);
}

static PVOID lookaside_allocate(PGENERAL_LOOKASIDE L, bool ex, void *caller)
{
    PVOID block;

    STAT_INC(L->TotalAllocates);
    block = InterlockedPopEntrySList(&L->ListHead);
    if (block)
        return block;
    STAT_INC(L->AllocateMisses);
    return lookaside_new_block(L, ex, caller);
}

static void lookaside_release(PGENERAL_LOOKASIDE L, PVOID block, bool ex)
{
    STAT_INC(L->TotalFrees);
    if (ExQueryDepthSList(&L->ListHead) < L->Depth) {
        InterlockedPushEntrySList(&L->ListHead, (PSLIST_ENTRY)block);
        return;
    }
    STAT_INC(L->FreeMisses);
    lookaside_free_block(L, block, ex);
}

static void lookaside_flush(PGENERAL_LOOKASIDE L, bool ex)
{
    PSLIST_ENTRY entry;
    while ((entry = InterlockedPopEntrySList(&L->ListHead)) != NULL)
        lookaside_free_block(L, entry, ex);
}

KMH_EXPORT void ExInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside, PALLOCATE_FUNCTION Allocate,
                                                PFREE_FUNCTION Free, ULONG Flags, SIZE_T Size, ULONG Tag,
                                                USHORT Depth)
{
    (void)Flags;
    lookaside_init(&Lookaside->L, NonPagedPool, Size, Tag, Depth);
    Lookaside->L.Allocate = Allocate;
    Lookaside->L.Free = Free;
}

KMH_EXPORT void ExDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside)
{
    lookaside_flush(&Lookaside->L, false);
}

KMH_EXPORT PVOID ExAllocateFromNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside)
{
    return lookaside_allocate(&Lookaside->L, false, __builtin_return_address(0));
}

KMH_EXPORT void ExFreeToNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry)
{
    lookaside_release(&Lookaside->L, Entry, false);
}

KMH_EXPORT void ExInitializePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside, PALLOCATE_FUNCTION Allocate,
                                               PFREE_FUNCTION Free, ULONG Flags, SIZE_T Size, ULONG Tag,
                                               USHORT Depth)
{
    (void)Flags;
    lookaside_init(&Lookaside->L, PagedPool, Size, Tag, Depth);
    Lookaside->L.Allocate = Allocate;
    Lookaside->L.Free = Free;
}

KMH_EXPORT void ExDeletePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside)
{
    lookaside_flush(&Lookaside->L, false);
}

KMH_EXPORT PVOID ExAllocateFromPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside)
{
    return lookaside_allocate(&Lookaside->L, false, __builtin_return_address(0));
}

KMH_EXPORT void ExFreeToPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry)
{
    lookaside_release(&Lookaside->L, Entry, false);
}

KMH_EXPORT NTSTATUS ExInitializeLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, PALLOCATE_FUNCTION_EX Allocate,
                                                PFREE_FUNCTION_EX Free, POOL_TYPE PoolType, ULONG Flags,
                                                SIZE_T Size, ULONG Tag, USHORT Depth)
{
    if (!Lookaside || Size == 0 || (Flags & ~(EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL |
                                              EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE)) ||
        (Flags & EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL && Flags & EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE))
        return STATUS_INVALID_PARAMETER;
    lookaside_init(&Lookaside->L, PoolType, Size, Tag, Depth);
    Lookaside->L.AllocateEx = Allocate;
    Lookaside->L.FreeEx = Free;
    return STATUS_SUCCESS;
}

KMH_EXPORT void ExDeleteLookasideListEx(PLOOKASIDE_LIST_EX Lookaside)
{
    lookaside_flush(&Lookaside->L, true);
}

KMH_EXPORT void ExFlushLookasideListEx(PLOOKASIDE_LIST_EX Lookaside)
{
    lookaside_flush(&Lookaside->L, true);
}

KMH_EXPORT PVOID ExAllocateFromLookasideListEx(PLOOKASIDE_LIST_EX Lookaside)
{
    return lookaside_allocate(&Lookaside->L, true, __builtin_return_address(0));
}

KMH_EXPORT void ExFreeToLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, PVOID Entry)
{
    lookaside_release(&Lookaside->L, Entry, true);
}
