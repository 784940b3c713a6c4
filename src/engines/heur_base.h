/* What the heuristic engines share (heuristic.c and its fast paths heuristic_cpp.c,
 * heuristic_mdgp.c): the clock, a seeded generator, and the budget and progress rules. */
#ifndef CONSORT_SRC_HEUR_BASE_H
#define CONSORT_SRC_HEUR_BASE_H

#include "engines/heuristic.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

/* The clock of time limits. Benchmark builds on a busy machine may define it
 * as CLOCK_PROCESS_CPUTIME_ID to compare methods by CPU time. */
#ifndef CONSORT_HEUR_CLOCK
#define CONSORT_HEUR_CLOCK CLOCK_MONOTONIC
#endif

static inline double consort__heur_now(void)
{
	struct timespec ts;
	clock_gettime(CONSORT_HEUR_CLOCK, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A tuning parameter: the environment variable `name` when set (for the
 * measurements of bench/README.md), else dflt. */
static inline double consort__heur_param(const char *name, double dflt)
{
	const char *e = getenv(name);
	return e ? atof(e) : dflt;
}

/* The tolerance below which two objective values count as equal: 1e-9 of the
 * largest weight (1e-9 when all are 0). */
static inline double consort__heur_tolerance(const consort__problem *p)
{
	double maxw = 0;
	for (size_t i = 0; i < (size_t)p->n * p->n; i++)
		if (fabs(p->w[i]) > maxw)
			maxw = fabs(p->w[i]);
	return 1e-9 * (maxw > 0 ? maxw : 1);
}

/* splitmix64 (Steele, Lea & Flood 2014): tiny, the same on every platform. */
typedef struct consort__rng {
	unsigned long long s;
} consort__rng;

static inline void consort__rng_seed(consort__rng *r, unsigned long seed)
{
	r->s = (unsigned long long)seed * 0x2545f4914f6cdd1dULL + 0x1234567ULL;
}

static inline unsigned long long consort__rng_next(consort__rng *r)
{
	unsigned long long z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in 0..n-1 (0 when n <= 0). */
static inline int consort__rng_below(consort__rng *r, int n)
{
	return n > 0 ? (int)(consort__rng_next(r) % (unsigned long long)n) : 0;
}

/* Uniform in [0, 1). */
static inline double consort__rng_unit(consort__rng *r)
{
	return (double)(consort__rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static inline void consort__rng_shuffle(consort__rng *r, int *v, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = consort__rng_below(r, i + 1), t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

/* Budget and progress of one engine run: iterations counted by the engine,
 * the clock read only every 64 iterations (a step costs microseconds). The
 * engine reports progress itself when report_due is set, with the exact
 * objective of its best solution (incremental sums drift in the last bits, and
 * the values reported must never decrease). */
typedef struct consort__budget {
	const consort__heur_options *o;
	double start, last_report;
	long iter, next_clock;
	int stop;
	int dirty;      /* a better solution since the last report */
	int report_due; /* dirty, and 0.1 s since the last report */
} consort__budget;

static inline void consort__budget_init(consort__budget *b, const consort__heur_options *o)
{
	b->o = o;
	b->start = consort__heur_now();
	b->last_report = -1;
	b->iter = 0;
	b->next_clock = 64;
	b->stop = 0;
	b->dirty = 0;
	b->report_due = 0;
}

static inline double consort__budget_elapsed(const consort__budget *b)
{
	return consort__heur_now() - b->start;
}

/* 1 when the run must end: target met, iterations spent or time up. */
static inline int consort__budget_over(consort__budget *b)
{
	if (b->stop)
		return 1;
	const consort__heur_options *o = b->o;
	if (o->max_iters > 0 && b->iter >= o->max_iters)
		return b->stop = 1;
	if ((o->time_limit > 0 || o->progress) && b->iter >= b->next_clock) {
		b->next_clock = b->iter + 64;
		double t = consort__budget_elapsed(b);
		if (o->time_limit > 0 && t >= o->time_limit)
			return b->stop = 1;
		if (o->progress && b->dirty && t - b->last_report >= 0.1)
			b->report_due = 1;
	}
	return 0;
}

/* Forces the next consort__budget_over to read the clock (after a costly step). */
static inline void consort__budget_touch(consort__budget *b)
{
	b->next_clock = b->iter;
}

/* A better feasible objective was found (value as the engine tracks it). */
static inline void consort__budget_improved(consort__budget *b, double value)
{
	b->dirty = 1;
	if (b->o->has_target && value >= b->o->target - 1e-9 * (1 + fabs(b->o->target)))
		b->stop = 1;
}

/* Calls the progress callback with the exact best objective. */
static inline void consort__budget_report(consort__budget *b, double best)
{
	b->dirty = 0;
	b->report_due = 0;
	b->last_report = consort__budget_elapsed(b);
	if (b->o->progress)
		b->o->progress(b->last_report, best, b->o->progress_data);
}

#endif
