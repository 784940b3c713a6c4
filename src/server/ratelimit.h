/* Failed-credential throttling for consort serve: a token bucket per client
 * address in a fixed-size table, so guessing tokens is slow and memory bounded. */
#ifndef CONSORT_SERVER_RATELIMIT_H
#define CONSORT_SERVER_RATELIMIT_H

#include <stddef.h>

typedef struct consort__ratelimit consort__ratelimit;

/* A table for at most `slots` addresses (rounded up to a power of two): each
 * may fail `burst` times at once, then once per `refill` seconds. The caller
 * frees it with consort__ratelimit_free. NULL when out of memory. */
consort__ratelimit *consort__ratelimit_new(size_t slots, unsigned burst, double refill);
void consort__ratelimit_free(consort__ratelimit *rl);

/* 0 when `addr` (len bytes: 4 for IPv4, 16 for IPv6, of which the /64 counts)
 * may try a credential now; else the seconds to wait (>= 1). now: seconds on
 * a monotonic clock. */
unsigned consort__ratelimit_wait(consort__ratelimit *rl, const unsigned char *addr, size_t len,
	double now);

/* Counts a failed attempt of addr. */
void consort__ratelimit_fail(consort__ratelimit *rl, const unsigned char *addr, size_t len, double now);

#endif
