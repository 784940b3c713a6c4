/* Explaining why no proposal meets the rules: a small clashing set of rules. */
#ifndef CONSORT_SRC_EXPLAIN_H
#define CONSORT_SRC_EXPLAIN_H

#include "problem.h"

/* When p is infeasible: a small set of its rules that clash, each needed for
 * the clash (unless the deadline cut the search short; the set still clashes).
 * Items are readable strings such as "rules.consortia = 2", malloc'ed; the
 * caller frees each and the array. time_limit in seconds; <= 0: none. */
int consort__explain(char ***items, int *nitems, const consort__problem *p,
	double time_limit, consort_error *err);

#endif
