/*
 * Spin locks and interlocked lists (src/nt/spinlock.c, slist.c): IRQL
 * handling, exclusion under contention, try and test, queued and
 * reader/writer locks, the verifier's lock rules, SLISTs and the
 * ExInterlocked list helpers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>

#include "nt/nt.h"
#include "verifier/verifier.h"
#include "test-support.h"

#define THREADS 4
#define ROUNDS 20000

static int setup(void **state)
{
    (void)state;
    vf_reset_counts();
    return 0;
}

static void acquire_raises_and_release_restores(void **state)
{
    KSPIN_LOCK lock;
    KIRQL old;

    (void)state;
    KeInitializeSpinLock(&lock);
    assert_true(KeTestSpinLock(&lock));
    KeAcquireSpinLock(&lock, &old);
    assert_int_equal(old, PASSIVE_LEVEL);
    assert_int_equal(KeGetCurrentIrql(), DISPATCH_LEVEL);
    assert_false(KeTestSpinLock(&lock));
    KeReleaseSpinLock(&lock, old);
    assert_int_equal(KeGetCurrentIrql(), PASSIVE_LEVEL);
    old = KeAcquireSpinLockRaiseToDpc(&lock);
    assert_int_equal(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeReleaseSpinLock(&lock, old);
    assert_true(KeTestSpinLock(&lock));
    assert_int_equal(vf_report_total(), 0);
}

struct shared_counter {
    KSPIN_LOCK lock;
    EX_SPIN_LOCK rw;
    LONG value;
    int kind;
};

static void *count_up(void *arg)
{
    struct shared_counter *c = arg;
    for (int i = 0; i < ROUNDS; i++) {
        KIRQL old = PASSIVE_LEVEL;
        KLOCK_QUEUE_HANDLE handle;
        if (c->kind == 0)
            KeAcquireSpinLock(&c->lock, &old);
        else if (c->kind == 1)
            KeAcquireInStackQueuedSpinLock(&c->lock, &handle);
        else
            old = ExAcquireSpinLockExclusive(&c->rw);
        LONG v = c->value; /* a lost update shows if exclusion fails */
        c->value = v + 1;
        if (c->kind == 0)
            KeReleaseSpinLock(&c->lock, old);
        else if (c->kind == 1)
            KeReleaseInStackQueuedSpinLock(&handle);
        else
            ExReleaseSpinLockExclusive(&c->rw, old);
    }
    return NULL;
}

static void locks_exclude_under_contention(void **state)
{
    struct shared_counter c = { 0 };
    pthread_t ids[THREADS];

    (void)state;
    for (c.kind = 0; c.kind < 3; c.kind++) {
        c.value = 0;
        for (int i = 0; i < THREADS; i++)
            assert_int_equal(pthread_create(&ids[i], NULL, count_up, &c), 0);
        for (int i = 0; i < THREADS; i++)
            pthread_join(ids[i], NULL);
        assert_int_equal(c.value, THREADS * ROUNDS);
    }
    assert_int_equal(vf_report_total(), 0);
}

static void *try_lock(void *arg)
{
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    BOOLEAN got = KeTryToAcquireSpinLockAtDpcLevel(arg);
    if (got)
        KeReleaseSpinLockFromDpcLevel(arg);
    KeLowerIrql(old);
    return (void *)(uintptr_t)got;
}

static void try_acquire_fails_while_held(void **state)
{
    KSPIN_LOCK lock = 0;
    KIRQL old;
    pthread_t id;
    void *got;

    (void)state;
    KeAcquireSpinLock(&lock, &old);
    assert_int_equal(pthread_create(&id, NULL, try_lock, &lock), 0);
    pthread_join(id, &got);
    assert_false((uintptr_t)got);
    KeReleaseSpinLock(&lock, old);
    assert_int_equal(pthread_create(&id, NULL, try_lock, &lock), 0);
    pthread_join(id, &got);
    assert_true((uintptr_t)got);
}

static void lock_misuse_is_reported(void **state)
{
    KSPIN_LOCK lock = 0;
    KIRQL old, inner;

    (void)state;
    KeAcquireSpinLockAtDpcLevel(&lock); /* at PASSIVE_LEVEL */
    assert_int_equal(vf_report_count(VF_IRQL), 1);
    KeReleaseSpinLockFromDpcLevel(&lock);
    assert_int_equal(vf_report_count(VF_IRQL), 2);
    KeAcquireSpinLock(&lock, &old);
    KeAcquireSpinLock(&lock, &inner); /* recursion: reported, not a hang */
    assert_int_equal(vf_report_count(VF_LOCK), 1);
    KeReleaseSpinLock(&lock, inner);
    KeReleaseSpinLock(&lock, old); /* no longer held */
    assert_int_equal(vf_report_count(VF_LOCK), 2);
    assert_int_equal(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

static void lowering_while_holding_a_lock_is_reported(void **state)
{
    KSPIN_LOCK a = 0, b = 0;
    KIRQL old;

    (void)state;
    KeAcquireSpinLock(&a, &old);
    KeAcquireSpinLockAtDpcLevel(&b);
    KeReleaseSpinLock(&a, old); /* b still held */
    assert_int_equal(vf_report_count(VF_IRQL), 1);
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    KeReleaseSpinLockFromDpcLevel(&b);
    KeLowerIrql(old);
}

static void *read_shared(void *arg)
{
    KIRQL old = ExAcquireSpinLockShared(arg);
    ExReleaseSpinLockShared(arg, old);
    return NULL;
}

static void reader_writer_spin_lock_shares(void **state)
{
    EX_SPIN_LOCK lock = 0;
    pthread_t id;

    (void)state;
    KIRQL old = ExAcquireSpinLockShared(&lock);
    assert_int_equal(KeGetCurrentIrql(), DISPATCH_LEVEL);
    assert_int_equal(pthread_create(&id, NULL, read_shared, (void *)&lock), 0);
    pthread_join(id, NULL); /* a second reader got in */
    ExReleaseSpinLockShared(&lock, old);
    assert_int_equal(lock, 0);
    old = ExAcquireSpinLockExclusive(&lock);
    ExReleaseSpinLockExclusive(&lock, old);
    ExReleaseSpinLockExclusive(&lock, old); /* not held */
    assert_int_equal(vf_report_count(VF_LOCK), 1);
}

struct node {
    SLIST_ENTRY entry; /* first: SLIST entries are 16-byte aligned */
    int value;
};

struct pusher {
    PSLIST_HEADER head;
    struct node *nodes;
};

static void *push_many(void *arg)
{
    struct pusher *p = arg;
    for (int i = 0; i < 1000; i++)
        InterlockedPushEntrySList(p->head, &p->nodes[i].entry);
    return NULL;
}

static void slist_push_pop_flush(void **state)
{
    SLIST_HEADER head;
    struct node *nodes = aligned_alloc(16, 2000 * sizeof(struct node));
    struct pusher pushers[2] = { { &head, nodes }, { &head, nodes + 1000 } };
    pthread_t ids[2];

    (void)state;
    InitializeSListHead(&head);
    assert_null(InterlockedPopEntrySList(&head));
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&ids[i], NULL, push_many, &pushers[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(ids[i], NULL);
    assert_int_equal(ExQueryDepthSList(&head), 2000);
    int popped = 0;
    while (InterlockedPopEntrySList(&head))
        popped++;
    assert_int_equal(popped, 2000);
    assert_null(InterlockedPushEntrySList(&head, &nodes[0].entry));
    assert_ptr_equal(InterlockedPushEntrySList(&head, &nodes[1].entry), &nodes[0].entry);
    assert_ptr_equal(InterlockedPopEntrySList(&head), &nodes[1].entry); /* last in, first out */
    InterlockedPushEntrySList(&head, &nodes[1].entry);
    PSLIST_ENTRY chain = InterlockedFlushSList(&head);
    assert_ptr_equal(chain, &nodes[1].entry);
    assert_ptr_equal(chain->Next, &nodes[0].entry); /* the chain stays linked */
    assert_int_equal(ExQueryDepthSList(&head), 0);
    assert_null(InterlockedPopEntrySList(&head));
    free(nodes);
}

static void interlocked_lists(void **state)
{
    LIST_ENTRY head, a, b;
    SINGLE_LIST_ENTRY shead = { NULL }, sa, sb;
    KSPIN_LOCK lock = 0;

    (void)state;
    InitializeListHead(&head);
    assert_null(ExInterlockedInsertTailList(&head, &a, &lock));
    assert_ptr_equal(ExInterlockedInsertHeadList(&head, &b, &lock), &a);
    assert_ptr_equal(ExInterlockedRemoveHeadList(&head, &lock), &b);
    assert_ptr_equal(ExInterlockedRemoveHeadList(&head, &lock), &a);
    assert_null(ExInterlockedRemoveHeadList(&head, &lock));
    assert_null(ExInterlockedPushEntryList(&shead, &sa, &lock));
    assert_ptr_equal(ExInterlockedPushEntryList(&shead, &sb, &lock), &sa);
    assert_ptr_equal(ExInterlockedPopEntryList(&shead, &lock), &sb);
    assert_int_equal(KeGetCurrentIrql(), PASSIVE_LEVEL);
    assert_true(KeTestSpinLock(&lock));
    assert_int_equal(vf_report_total(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(acquire_raises_and_release_restores, setup),
        cmocka_unit_test_setup(locks_exclude_under_contention, setup),
        cmocka_unit_test_setup(try_acquire_fails_while_held, setup),
        cmocka_unit_test_setup(lock_misuse_is_reported, setup),
        cmocka_unit_test_setup(lowering_while_holding_a_lock_is_reported, setup),
        cmocka_unit_test_setup(reader_writer_spin_lock_shares, setup),
        cmocka_unit_test_setup(slist_push_pop_flush, setup),
        cmocka_unit_test_setup(interlocked_lists, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
