/* Branch and price over the set-partitioning formulation (Mehrotra & Trick
 * 1998, "Cliques and clustering: a combinatorial approach"): a consortium is a
 * column, every participant a row covered at most (or exactly) once. GLPK
 * solves the restricted master LP; an exact combinatorial search prices new
 * consortia (every per-consortium rule and min_fit hold inside a column, the
 * pair rules and the branching decisions restrict which columns may exist).
 * Ryan-Foster branching on pairs (together / apart), then on whether a
 * participant is placed, then (lots) on its lot.
 *
 * Its LP bound sees how capped consortia must spread the members, which the
 * combinatorial branch and bound (bnb.c) does not: balanced partitions of a
 * few dozen participants with weakly structured ratings, where bnb's root gap
 * is 30-50 %, have an LP gap of a few percent here. */
#ifndef CONSORT_SRC_BNP_H
#define CONSORT_SRC_BNP_H

#include "bnb.h"

/* Largest n: columns are 64-bit masks. */
#define CONSORT_BNP_MAX_N 64

/* Whether the engine handles p: 1 <= n <= 64, at most 64 services in cover
 * rules, no exclusions and no maxmin objective (bnb and GLPK take those). */
int consort__bnp_supported(const consort__problem *p);

/* The most members a consortium of p can have in any solution: its size cap,
 * or fewer when the other consortia every solution has need their minimum
 * members (p->n when p is not supported). Pricing builds no larger column. */
int consort__bnp_column_cap(const consort__problem *p);

/* Solves p (consort__bnp_supported must hold), with bnb's options and result
 * (nodes: branch-and-price nodes; doll_seconds: 0). Returns 0 with a result
 * whatever its status, CONSORT_EUSAGE when p is not supported, CONSORT_ENOMEM,
 * CONSORT_ESOLVER when GLPK fails (it never aborts the process). */
int consort__bnp_solve(consort__bnb_result *res, const consort__problem *p,
	const consort__bnb_options *o, consort_error *err);

#endif
