/*
 * The pool: ExAllocatePool* over malloc, with a header that records the
 * tag, the size and the allocating call site. Live allocations sit on
 * sharded lists so the loader can report, at unload, what a driver left
 * allocated and where it allocated it.
 *
 * The header sits in front of the caller's block, so AddressSanitizer still
 * catches overruns past the end of a pool block.
 */
#include "nt/nt.h"
#include "verifier/verifier.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define POOL_MAGIC 0x6c6f6f50u      /* "Pool" */
#define POOL_FREED_MAGIC 0x65657246u /* "Free" */
#define POOL_SHARDS 16

struct pool_header {
    struct pool_header *prev, *next;
    void *caller;
    SIZE_T size;
    ULONG tag;
    ULONG magic;
    ULONG shard;
    ULONG reserved;
};
_Static_assert(sizeof(struct pool_header) % 16 == 0, "pool blocks must be 16-byte aligned");

static struct pool_shard {
    pthread_mutex_t lock;
    struct pool_header *head;
} shards[POOL_SHARDS] = {
#define S { PTHREAD_MUTEX_INITIALIZER, NULL }
    S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S
#undef S
};
static atomic_size_t live_blocks;

static unsigned pool_shard_for(const void *block)
{
    return (unsigned)(((uintptr_t)block >> 6) % POOL_SHARDS);
}

static void pool_link(struct pool_header *header)
{
    struct pool_shard *shard = &shards[header->shard];
    pthread_mutex_lock(&shard->lock);
    header->prev = NULL;
    header->next = shard->head;
    if (shard->head)
        shard->head->prev = header;
    shard->head = header;
    pthread_mutex_unlock(&shard->lock);
    atomic_fetch_add_explicit(&live_blocks, 1, memory_order_relaxed);
}

static void pool_unlink(struct pool_header *header)
{
    struct pool_shard *shard = &shards[header->shard];
    pthread_mutex_lock(&shard->lock);
    if (header->prev)
        header->prev->next = header->next;
    else
        shard->head = header->next;
    if (header->next)
        header->next->prev = header->prev;
    pthread_mutex_unlock(&shard->lock);
    atomic_fetch_sub_explicit(&live_blocks, 1, memory_order_relaxed);
}

static void *pool_alloc(SIZE_T size, ULONG tag, bool zero, void *caller)
{
    if (size > (SIZE_T)1 << 40)
        return NULL;
    struct pool_header *header = zero ? calloc(1, sizeof(*header) + size) : malloc(sizeof(*header) + size);
    if (!header)
        return NULL;
    header->caller = caller;
    header->size = size;
    header->tag = tag;
    header->magic = POOL_MAGIC;
    header->shard = pool_shard_for(header);
    pool_link(header);
    return header + 1;
}

static struct pool_header *pool_header_checked(void *block, const char *ddi, void *caller)
{
    struct pool_header *header = (struct pool_header *)block - 1;
    if (header->magic == POOL_MAGIC)
        return header;
    vf_report(VF_POOL, ddi, caller, "%p is not a live pool block (%s)", block,
              header->magic == POOL_FREED_MAGIC ? "already freed" : "never allocated");
    return NULL;
}

static void pool_free(void *block, ULONG tag, bool check_tag, const char *ddi, void *caller)
{
    struct pool_header *header;

    if (!block) {
        vf_report(VF_POOL, ddi, caller, "freeing NULL (a bug check on Windows)");
        return;
    }
    if (!(header = pool_header_checked(block, ddi, caller)))
        return;
    if (check_tag && header->tag != tag)
        vf_report(VF_POOL, ddi, caller, "tag 0x%08x does not match the allocation's tag 0x%08x",
                  (unsigned)tag, (unsigned)header->tag);
    pool_unlink(header);
    header->magic = POOL_FREED_MAGIC;
    free(header);
}

/* Which pool a POOL_FLAGS value names; ExAllocatePool2 requires one. */
static bool pool_flags_valid(POOL_FLAGS flags)
{
    POOL_FLAGS type = flags & (POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_PAGED);
    POOL_FLAGS known = POOL_FLAG_USE_QUOTA | POOL_FLAG_UNINITIALIZED | POOL_FLAG_SESSION |
                       POOL_FLAG_CACHE_ALIGNED | POOL_FLAG_RAISE_ON_FAILURE | POOL_FLAG_NON_PAGED |
                       POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_PAGED | POOL_FLAG_SPECIAL_POOL;
    return type && !(type & (type - 1)) && !(flags & ~known & ((POOL_FLAG_REQUIRED_END << 1) - 1));
}

void *nt_pool_alloc_for(POOL_FLAGS flags, SIZE_T size, ULONG tag, void *caller)
{
    if (!pool_flags_valid(flags) || tag == 0) {
        vf_report(VF_POOL, "ExAllocatePool2", caller, "invalid flags 0x%llx or zero tag",
                  (unsigned long long)flags);
        return NULL;
    }
    void *block = pool_alloc(size, tag, !(flags & POOL_FLAG_UNINITIALIZED), caller);
    if (!block && (flags & POOL_FLAG_RAISE_ON_FAILURE))
        ExRaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
    return block;
}

KMH_EXPORT PVOID ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag)
{
    return nt_pool_alloc_for(Flags, NumberOfBytes, Tag, __builtin_return_address(0));
}

KMH_EXPORT PVOID ExAllocatePool3(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag,
                                 PCPOOL_EXTENDED_PARAMETER ExtendedParameters, ULONG ExtendedParametersCount)
{
    (void)ExtendedParameters;
    (void)ExtendedParametersCount;
    return nt_pool_alloc_for(Flags, NumberOfBytes, Tag, __builtin_return_address(0));
}

static PVOID pool_alloc_typed(POOL_TYPE type, SIZE_T size, ULONG tag, void *caller)
{
    void *block = pool_alloc(size, tag, (type & POOL_ZERO_ALLOCATION) != 0, caller);
    if (!block && (type & POOL_RAISE_IF_ALLOCATION_FAILURE))
        ExRaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
    return block;
}

KMH_EXPORT PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    return pool_alloc_typed(PoolType, NumberOfBytes, Tag, __builtin_return_address(0));
}

KMH_EXPORT PVOID ExAllocatePoolWithTagPriority(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag,
                                               EX_POOL_PRIORITY Priority)
{
    (void)Priority;
    return pool_alloc_typed(PoolType, NumberOfBytes, Tag, __builtin_return_address(0));
}

/* Quota allocations raise on failure unless told not to, as documented. */
KMH_EXPORT PVOID ExAllocatePoolWithQuotaTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    POOL_TYPE type = PoolType;
    if (!(type & POOL_QUOTA_FAIL_INSTEAD_OF_RAISE))
        type = (POOL_TYPE)(type | POOL_RAISE_IF_ALLOCATION_FAILURE);
    return pool_alloc_typed(type, NumberOfBytes, Tag, __builtin_return_address(0));
}

KMH_EXPORT PVOID ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes)
{
    return pool_alloc_typed(PoolType, NumberOfBytes, ' mdW', __builtin_return_address(0));
}

KMH_EXPORT PVOID ExAllocatePoolWithQuota(POOL_TYPE PoolType, SIZE_T NumberOfBytes)
{
    return pool_alloc_typed((POOL_TYPE)(PoolType | POOL_RAISE_IF_ALLOCATION_FAILURE), NumberOfBytes,
                            ' mdW', __builtin_return_address(0));
}

KMH_EXPORT void ExFreePool(PVOID P)
{
    pool_free(P, 0, false, "ExFreePool", __builtin_return_address(0));
}

KMH_EXPORT void ExFreePoolWithTag(PVOID P, ULONG Tag)
{
    pool_free(P, Tag, true, "ExFreePoolWithTag", __builtin_return_address(0));
}

KMH_EXPORT void ExFreePool2(PVOID P, ULONG Tag, PCPOOL_EXTENDED_PARAMETER ExtendedParameters,
                            ULONG ExtendedParametersCount)
{
    (void)ExtendedParameters;
    (void)ExtendedParametersCount;
    pool_free(P, Tag, true, "ExFreePool2", __builtin_return_address(0));
}

size_t nt_pool_for_each_in_range(const void *lo, const void *hi,
                                 void (*fn)(const struct nt_pool_leak *leak, void *ctx), void *ctx)
{
    size_t found = 0;

    for (unsigned i = 0; i < POOL_SHARDS; i++) {
        pthread_mutex_lock(&shards[i].lock);
        for (struct pool_header *h = shards[i].head; h; h = h->next) {
            if ((const char *)h->caller < (const char *)lo || (const char *)h->caller >= (const char *)hi)
                continue;
            struct nt_pool_leak leak = { .tag = h->tag, .size = h->size, .caller = h->caller };
            found++;
            if (fn)
                fn(&leak, ctx);
        }
        pthread_mutex_unlock(&shards[i].lock);
    }
    return found;
}

size_t nt_pool_live_count(void)
{
    return atomic_load(&live_blocks);
}
