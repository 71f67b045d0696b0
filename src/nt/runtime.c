/*
 * The runtime: the threads that run DPCs, timers and work items.
 *
 * nt_runtime_start/nt_runtime_stop are reference counted: the first start
 * starts the threads, the last stop stops them. Queueing a DPC, setting a
 * timer or queueing a work item while the runtime is stopped starts it
 * lazily (without a reference), so nothing queued is ever stranded in a
 * test or program that never called nt_runtime_start; the next stop that
 * brings the count to zero (or finds it zero) stops those threads too.
 *
 * Stopping forgets pending timers, then runs every queued DPC and work
 * item, including those they queue in turn, until all are idle, then
 * joins the threads. What another thread queues after that waits for the
 * next start (or starts the runtime again, lazily).
 */
#include "nt/kernel.h"

static pthread_mutex_t runtime_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned runtime_refs;
static bool runtime_running; /* read without the lock by nt_runtime_ensure */

/* Runtime lock held. */
static int start_threads(void)
{
    int err = nt_dpc_start();
    if (err)
        return err;
    err = nt_worker_start();
    if (err)
        goto err_stop_dpc;
    err = nt_timer_start();
    if (err)
        goto err_stop_workers;
    __atomic_store_n(&runtime_running, true, __ATOMIC_RELEASE);
    return 0;

err_stop_workers:
    nt_worker_stop();
err_stop_dpc:
    nt_dpc_stop();
    return err;
}

/* Runtime lock held. DPCs queue work items and work items queue DPCs, so
 * drain both until a pass finds them idle together. */
static void stop_threads(void)
{
    nt_timer_stop();
    do {
        nt_dpc_flush();
        nt_worker_wait_idle();
    } while (!nt_dpc_is_idle() || !nt_worker_is_idle());
    nt_worker_stop();
    nt_dpc_stop();
    __atomic_store_n(&runtime_running, false, __ATOMIC_RELEASE);
}

int nt_runtime_start(void)
{
    int err = 0;

    pthread_mutex_lock(&runtime_lock);
    if (!runtime_running)
        err = start_threads();
    if (!err)
        runtime_refs++;
    pthread_mutex_unlock(&runtime_lock);
    return err;
}

void nt_runtime_stop(void)
{
    if (nt_tls.runtime) {
        kmh_log(KMH_LOG_ERROR, "nt", "nt_runtime_stop called from a %s thread; ignored",
                nt_thread_role());
        return;
    }
    pthread_mutex_lock(&runtime_lock);
    if (runtime_refs > 0)
        runtime_refs--;
    if (runtime_refs == 0 && runtime_running)
        stop_threads();
    pthread_mutex_unlock(&runtime_lock);
}

bool nt_runtime_is_running(void)
{
    return __atomic_load_n(&runtime_running, __ATOMIC_ACQUIRE);
}

void nt_runtime_ensure(void)
{
    if (kmh_likely(__atomic_load_n(&runtime_running, __ATOMIC_ACQUIRE)))
        return;
    pthread_mutex_lock(&runtime_lock);
    if (!runtime_running && start_threads() != 0)
        kmh_log(KMH_LOG_ERROR, "nt", "cannot start the DPC, timer and worker threads");
    pthread_mutex_unlock(&runtime_lock);
}
