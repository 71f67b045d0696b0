/*
 * rand and srand as the Microsoft CRT has them: a linear congruential
 * generator whose results span 0..RAND_MAX with RAND_MAX 0x7fff, seeded
 * per thread (a thread that never calls srand starts as after srand(1)).
 * Programs size buffers and loop counts by rand(), so glibc's 31-bit range
 * would turn a sample's "up to 32 KB" into gigabytes.
 */
#include "internal.h"

static _Thread_local unsigned int rand_state = 1;

/* srand: seeds the calling thread's sequence. Any thread; no locks. */
KMH_EXPORT void kmh_srand(unsigned int seed)
{
    rand_state = seed;
}

/* rand: the calling thread's next value, 0..0x7fff. Any thread; no locks. */
KMH_EXPORT int kmh_rand(void)
{
    rand_state = rand_state * 214013u + 2531011u;
    return (int)((rand_state >> 16) & 0x7fff);
}
