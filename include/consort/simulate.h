/* Simulated networking sessions with planted consortia: realistic test data for
 * the solvers at any size, reproducible from a seed on every machine. */
#ifndef CONSORT_SIMULATE_H
#define CONSORT_SIMULATE_H

#include <stdint.h>
#include "session.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest number of participants consort_simulate accepts (N^2 ratings). */
#define CONSORT_SIMULATE_MAX 5000

typedef struct consort_simulate_sector {
	const char *name; /* 1-32 characters of A-Z a-z 0-9 _ - */
	double share;     /* relative weight, >= 0; the shares need not add up to 1 */
} consort_simulate_sector;

typedef struct consort_simulate_options {
	int participants;   /* N, 1..CONSORT_SIMULATE_MAX */
	int consortia;      /* K planted consortia, 1..N */
	uint64_t seed;
	double missing;     /* probability that a directed rating is missing, 0..1 */
	double bias;        /* standard deviation of a rater's leniency, in scale points */
	double noise;       /* standard deviation of one rating's noise, in scale points */
	int scale_min, scale_max; /* an integer scale, min < max, within -1000..1000 */
	size_t nsectors;    /* 0: association 0.45, firm 0.45, public 0.1 */
	const consort_simulate_sector *sectors;
	int rules;          /* also set rules: exactly K consortia, size min 2, and at least
	                     * one member of each of the two largest sectors (needs N >= 2K) */
} consort_simulate_options;

/* Defaults: N 30, K 5, seed 1, missing 0.2, bias 0.4, noise 0.8, scale 1..5,
 * the default sector mix, no rules. */
void consort_simulate_defaults(consort_simulate_options *o);

/* Generates a session by this model, drawing in this order from xoshiro256**
 * seeded with splitmix64(seed) (normals by Box-Muller):
 *
 * 1. K planted consortia of random sizes around N/K: consortium g gets a share
 *    proportional to 1 + U(-0.3, 0.3), at least 2 members when N >= 2K (else 1);
 *    members are shuffled, so a consortium is not a run of ids.
 * 2. Sectors: in a consortium of two or more, one member from each of the two
 *    largest sectors (so the --rules sector rule holds for the planted partition);
 *    everyone else is drawn from the mix. Ids are the sector's initial and a
 *    running number ("a1", "f2", "p3"); names are generated, Finnish-flavoured and
 *    unique ("Karilan Valmennus ry", "Puhdas Oy", "Salmelan kaupunki").
 * 3. Offers: 1-3 distinct services from a list of 20 (cleaning, property care,
 *    coaching, rehabilitation, kitchen, ...); then each planted consortium is made
 *    to cover the core services cleaning, coaching and job training.
 * 4. Ratings: rater i has leniency b_i ~ N(0, bias). Each directed pair i -> j is
 *    missing with probability `missing`; otherwise its score is
 *    round(mu + b_i + e), e ~ N(0, noise), clamped to the scale, where mu is
 *    min + 0.8 (max - min) for two members of one planted consortium (4.2 on 1..5)
 *    and min + 0.325 (max - min) otherwise (2.3 on 1..5).
 *
 * Scoring stays at the defaults. *out receives the session; *planted (when
 * planted is not NULL) a malloc'ed array of N consortium numbers 0..K-1 in
 * participant order, which the caller frees. On failure both are NULL. */
int consort_simulate(consort_session **out, int **planted, const consort_simulate_options *o,
	consort_error *err);

#ifdef __cplusplus
}
#endif
#endif
