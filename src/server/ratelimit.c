/* Failed-credential throttling: token buckets by client address in an
 * open-addressing table of fixed size. An address with a full bucket is as
 * good as absent, so those slots are reused first; when a probe window holds
 * only throttled addresses the one closest to full is replaced (an attacker
 * who cycles addresses only frees the slots of other attackers). */
#include "ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PROBE 8
#define KEY_LEN 8 /* IPv4: the address; IPv6: its /64 */

typedef struct slot {
	unsigned char key[KEY_LEN];
	unsigned char used;
	double tokens; /* failures still allowed at `at` */
	double at;
} slot;

struct consort__ratelimit {
	pthread_mutex_t lock;
	slot *slots;
	size_t mask;
	double burst, refill;
};

consort__ratelimit *consort__ratelimit_new(size_t slots, unsigned burst, double refill)
{
	size_t n = 16;
	while (n < slots && n < ((size_t)1 << 24))
		n <<= 1;
	consort__ratelimit *rl = calloc(1, sizeof(*rl));
	if (!rl || !(rl->slots = calloc(n, sizeof(slot)))) {
		free(rl);
		return NULL;
	}
	rl->mask = n - 1;
	rl->burst = burst ? burst : 1;
	rl->refill = refill > 0 ? refill : 1;
	pthread_mutex_init(&rl->lock, NULL);
	return rl;
}

void consort__ratelimit_free(consort__ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl->slots);
	free(rl);
}

static void make_key(unsigned char key[KEY_LEN], const unsigned char *addr, size_t len)
{
	memset(key, 0, KEY_LEN);
	if (len == 4) {
		memcpy(key, addr, 4);
		key[4] = 4; /* never equal to an IPv6 prefix */
	} else {
		memcpy(key, addr, len < KEY_LEN ? len : KEY_LEN);
	}
}

static size_t hash(const unsigned char key[KEY_LEN])
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < KEY_LEN; i++)
		h = (h ^ key[i]) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 29));
}

static double level(const consort__ratelimit *rl, const slot *s, double now)
{
	double t = s->tokens + (now - s->at) / rl->refill;
	return t > rl->burst ? rl->burst : t;
}

/* The address's slot, or NULL when it has none (create: take one). */
static slot *find(consort__ratelimit *rl, const unsigned char key[KEY_LEN], double now, int create)
{
	size_t h = hash(key);
	slot *victim = NULL;
	double victim_level = -1;
	for (size_t i = 0; i < PROBE; i++) {
		slot *s = &rl->slots[(h + i) & rl->mask];
		if (s->used && memcmp(s->key, key, KEY_LEN) == 0)
			return s;
		double l = s->used ? level(rl, s, now) : rl->burst + 1;
		if (l > victim_level) {
			victim = s;
			victim_level = l;
		}
	}
	if (!create)
		return NULL;
	memcpy(victim->key, key, KEY_LEN);
	victim->used = 1;
	victim->tokens = rl->burst;
	victim->at = now;
	return victim;
}

unsigned consort__ratelimit_wait(consort__ratelimit *rl, const unsigned char *addr, size_t len,
	double now)
{
	unsigned char key[KEY_LEN];
	make_key(key, addr, len);
	pthread_mutex_lock(&rl->lock);
	slot *s = find(rl, key, now, 0);
	double l = s ? level(rl, s, now) : rl->burst;
	pthread_mutex_unlock(&rl->lock);
	if (l >= 1)
		return 0;
	double wait = ceil((1 - l) * rl->refill);
	return wait < 1 ? 1 : (unsigned)wait;
}

void consort__ratelimit_fail(consort__ratelimit *rl, const unsigned char *addr, size_t len, double now)
{
	unsigned char key[KEY_LEN];
	make_key(key, addr, len);
	pthread_mutex_lock(&rl->lock);
	slot *s = find(rl, key, now, 1);
	s->tokens = level(rl, s, now) - 1;
	if (s->tokens < 0)
		s->tokens = 0;
	s->at = now;
	pthread_mutex_unlock(&rl->lock);
}
