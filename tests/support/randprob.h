/* Seeded random problems for the engine tests: small instances of every rule
 * kind (often infeasible when the rules are tight) and planted large ones. */
#ifndef CONSORT_TEST_RANDPROB_H
#define CONSORT_TEST_RANDPROB_H

#include "problem.h"

/* Rule kinds for randprob_make's mask; unset kinds are left at their defaults
 * (free consortia count, size 1..n or 2..n, no sector, cover, pair rules). */
enum {
	RP_K_FIXED = 1 << 0,  /* consortia count fixed (1..3) */
	RP_K_RANGE = 1 << 1,  /* consortia count in a range (ignored with RP_K_FIXED) */
	RP_SIZE = 1 << 2,     /* consortium size min and max */
	RP_SECTOR = 1 << 3,   /* 2-3 sectors with per-consortium min/max */
	RP_COVER = 1 << 4,    /* 1-3 services, random offers, a cover list */
	RP_TOGETHER = 1 << 5, /* 1-2 together pairs */
	RP_APART = 1 << 6,    /* 1-3 apart pairs */
	RP_OPTIONAL = 1 << 7, /* everyone = 0: participants may stay outside */
	RP_LOTS = 1 << 8,     /* 2-3 lots with their own size, sector and cover rules */
	RP_REAL = 1 << 9,     /* weights uniform reals in [-2, 2] instead of halves */
	RP_ALL = (1 << 10) - 1,
	/* The extended rules (not in RP_ALL nor randprob_mask: engines that know only
	 * the formats.md rules are tested with those). */
	RP_MIN_FIT = 1 << 10, /* min_fit: a half in [-1.5, 1.5] */
	RP_PIN = 1 << 11,     /* 1-2 members fixed to a lot (with RP_LOTS) or outside (RP_OPTIONAL) */
	RP_ALL_EXT = (1 << 12) - 1
};

/* A random mask over every kind, the extended ones included. */
int randprob_mask_ext(unsigned seed);

/* A random problem with n >= 1 participants and the rule kinds in mask,
 * allocated the way consort__problem_build does (free with
 * consort__problem_free; ids are NULL, sectors, services and lots have
 * fixed names). Weights are halves in [-2, 2]
 * (a 1-5 rating pair minus the neutral 3), about a third of them 0 (never
 * met), or reals with RP_REAL. NULL when out of memory. */
consort__problem *randprob_make(unsigned seed, int n, int mask);

/* A random rule mask (each kind with probability about 2/5). */
int randprob_mask(unsigned seed);

/* Short text naming the kinds in mask, e.g. "k-fixed size apart" (static buffer). */
const char *randprob_describe(int mask);

/* A planted instance: n participants in `groups` groups of near-equal size
 * (truth[i] = group of i, in 0..groups-1), weights in [0.5, 2] inside a group
 * and in [-2, -0.5] across, everyone placed, free count, size 1..n. Its unique
 * optimum is the planted partition. NULL when out of memory. */
consort__problem *randprob_planted(unsigned seed, int n, int groups, int *truth);

#endif
