/*
 * The client runtime: the first device-related call of a program (CreateFile,
 * SetupDiGetClassDevs, a CM_ function, OpenSCManager ...) brings up the
 * installed devices of the kmhost root ($KMHOST_ROOT, else the default)
 * inside the program's own process — pnp_start opens the registry and runs
 * DriverEntry, AddDevice and start for each — and an atexit handler takes
 * them down again after closing what the program left open.
 *
 * A failure to start (a corrupt registry, one another process holds
 * locked beyond the timeout) is logged once through kmhost's log handler
 * (stderr unless the program installed one) and is final: every later
 * device call fails with ERROR_DEVICE_NOT_AVAILABLE ("the device is not
 * available" is what a program can act on; the log says why), or
 * ERROR_NOT_ENOUGH_MEMORY.
 */
#include "client/client.h"

#include <pthread.h>
#include <stdlib.h>

enum runtime_state { RUNTIME_DOWN, RUNTIME_UP, RUNTIME_FAILED };

static pthread_mutex_t runtime_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int state = RUNTIME_DOWN;
static DWORD failure;
static bool exit_handler_set;

static void runtime_at_exit(void)
{
    client_runtime_reset();
}

/* Runtime lock held. */
static void runtime_start(void)
{
    char message[PNP_MESSAGE_MAX] = "";
    int err = pnp_start(message, sizeof(message));

    if (err) {
        kmh_log(KMH_LOG_ERROR, "client", "cannot bring up the devices of %s: %s",
                nt_root_dir() ? nt_root_dir() : "the kmhost root",
                message[0] ? message : "the device tree failed to start");
        failure = err == -ENOMEM ? ERROR_NOT_ENOUGH_MEMORY : ERROR_DEVICE_NOT_AVAILABLE;
        state = RUNTIME_FAILED;
        return;
    }
    state = RUNTIME_UP;
    if (!exit_handler_set && atexit(runtime_at_exit) == 0)
        exit_handler_set = true;
}

DWORD client_runtime_ensure(void)
{
    if (kmh_likely(state == RUNTIME_UP))
        return 0;
    pthread_mutex_lock(&runtime_lock);
    if (state == RUNTIME_DOWN)
        runtime_start();
    DWORD error = state == RUNTIME_UP ? 0 : failure;
    pthread_mutex_unlock(&runtime_lock);
    if (error)
        SetLastError(error);
    return error;
}

bool client_runtime_is_up(void)
{
    return state == RUNTIME_UP;
}

void client_runtime_reset(void)
{
    /* Handles first: closing a file sends cleanup and close to its driver,
     * which must still be there. */
    client_handle_close_all();
    pthread_mutex_lock(&runtime_lock);
    if (state == RUNTIME_UP) {
        client_scm_cleanup();
        pnp_stop();
    }
    state = RUNTIME_DOWN;
    failure = 0;
    pthread_mutex_unlock(&runtime_lock);
}
