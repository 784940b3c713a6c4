/* The optimization problem behind a session, in the form every engine uses:
 * a symmetric weight matrix and the rules resolved to integer indexes.
 * Engines (ILP, heuristic, the tests' brute force) share this and its checker. */
#ifndef CONSORT_SRC_PROBLEM_H
#define CONSORT_SRC_PROBLEM_H

#include "consort/session.h"

/* Constraints on one consortium, global rules already merged in. */
typedef struct consort__group {
	int size_min, size_max;  /* size_max <= n */
	int *sec_min, *sec_max;  /* per sector index (nsec entries); sec_max <= n */
	int ncover;
	int *cover;              /* service indexes every such consortium must offer */
} consort__group;

/* A pin's "no pin" value in consort__problem.fixed. */
#define CONSORT__FREE (-2)

/* An earlier solution a new one must differ from by at least `differ` members
 * (consort__problem_distance): the alternatives' rule. */
typedef struct consort__exclude {
	int *assign;             /* n entries, owned */
	int k;
	int differ;              /* >= 1 */
} consort__exclude;

typedef struct consort__problem {
	int n;
	double *w;               /* n*n, symmetric, zero diagonal */
	const char **id;         /* participant ids, borrowed from the session (NULL without one) */

	int nsec;
	int *sector;             /* sector index of each participant */
	const char **sector_name;/* borrowed from the session */

	int nserv;               /* services named in any cover rule */
	unsigned char *offers;   /* n*nserv: offers[i*nserv + c] != 0 when i offers c */
	const char **service_name;

	int kmin, kmax;          /* number of consortia; with lots kmin == kmax == nlots */
	int everyone;            /* 1: every participant is placed */

	int nlots;               /* 0: consortia are interchangeable and use `global` */
	consort__group global;
	consort__group *lot;     /* nlots groups: lot rules merged with the global ones */
	const char **lot_name;

	int ntogether, napart;
	int (*together)[2];
	int (*apart)[2];

	/* Rules beyond the first formats.md (consort__problem_has_extended_rules). */
	int has_min_fit;         /* every placed member's fit >= min_fit */
	double min_fit;
	int *fixed;              /* NULL, or n pins: CONSORT__FREE, -1 outside, or lot g */
	unsigned char *absent;   /* NULL, or n flags: outside and exempt from everyone */
	int maxmin;              /* objective option maxmin (solve.c runs it in two phases) */
	int nexclude;
	consort__exclude *exclude;
} consort__problem;

/* Builds the problem from a session (weights from its scoring options). */
int consort__problem_build(consort__problem **out, const consort_session *s, consort_error *err);

/* Builds a problem directly from a weight matrix with no rules but `everyone`
 * and free consortia count (benchmarks, tests). w is copied. */
int consort__problem_from_weights(consort__problem **out, int n, const double *w, consort_error *err);

void consort__problem_free(consort__problem *p);

/* A deep copy (names stay borrowed); NULL when out of memory. */
consort__problem *consort__problem_clone(const consort__problem *p);

/* The constraints of consortium slot k (its lot's, or the global ones). */
const consort__group *consort__problem_group(const consort__problem *p, int k);

/* Checks a solution. assign[i] is the consortium of i in 0..k-1 or -1 for
 * outside; with lots, consortium g is lot g and k == nlots. Every consortium
 * 0..k-1 must be non-empty. Returns 1 when every rule holds; otherwise 0 and,
 * when why is not NULL, a short description of the first violated rule. */
int consort__problem_feasible(const consort__problem *p, const int *assign, int k,
	char *why, size_t whylen);

/* 1 when p uses min_fit, pins, absent members, exclusions or maxmin: rules that
 * engines other than the ILP and the heuristic may not implement (and decline). */
int consort__problem_has_extended_rules(const consort__problem *p);

/* The problem without its absent members (participant i of *out is orig[i] of
 * p; orig malloc'ed, n entries of *out). Without absent members a plain clone
 * and the identity. Returns 0 or CONSORT_ENOMEM. */
int consort__problem_drop_absent(consort__problem **out, int **orig, const consort__problem *p,
	consort_error *err);

/* Members placed differently in a and b: with lots, lot by lot; otherwise up
 * to relabelling of consortia (consort__moved). moved may be NULL. -1 on memory. */
int consort__problem_distance(const consort__problem *p, const int *a, int ka, const int *b, int kb,
	int *moved);

/* Adds an exclusion (a copy of assign). Returns 0 or -1 on memory. */
int consort__problem_add_exclude(consort__problem *p, const int *assign, int k, int differ);

/* The fit of member i (sum of w to the rest of its consortium; 0 outside). */
double consort__problem_fit(const consort__problem *p, const int *assign, int i);

/* The weakest placed member's fit; 0 when nobody is placed (nobody is harmed). */
double consort__problem_min_fit(const consort__problem *p, const int *assign);

/* The tolerance of the min_fit rule: a fit counts as >= x when >= x - this. */
double consort__min_fit_tolerance(double x);

/* Objective of a solution: sum of w over pairs sharing a consortium. */
double consort__problem_objective(const consort__problem *p, const int *assign);

#endif
