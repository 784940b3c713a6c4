/* Internal state of the consultant's analysis of a proposal (consort/advice.h),
 * shared by its parts: fits and why (advice.c), rule checks of moves (moves.c),
 * stability, compare, confidence and the JSON and text views. */
#ifndef CONSORT_SRC_ANALYSIS_ADVICE_H
#define CONSORT_SRC_ANALYSIS_ADVICE_H

#include "consort/advice.h"
#include "problem.h"

#include <cjson/cJSON.h>

/* A growable list of rule hits, strings owned. */
typedef struct consort__hits {
	consort_rule_hit *v;
	size_t n, cap;
	int failed;
} consort__hits;

struct consort_advice {
	const consort_proposal *p;
	const consort_session *s;
	consort__problem *pb;
	int n, k, solved;
	int *home;              /* n: consortium index or -1 */
	unsigned char *absent;  /* n: in neither consortia nor outside (rules.absent): never moved */
	double *fitto;          /* n*k: fit of i to consortium c */
	int *size;              /* k: members per consortium */
	int *scratch;           /* n: assignment scratch for move checks */
	int *seccount;          /* nsec: sector counts scratch */
	int *list;              /* n: member list scratch */

	consort_fairness fair;
	size_t *weakest;

	consort_why *why;       /* n */

	consort_mover *movers;
	size_t nmovers;
	consort_pair_gain *pairs;
	size_t npairs;
	int pairs_checked;

	int compared;
	consort_comparison cmp;
	size_t *moved;

	int confident;
	consort_confidence conf;
	double *together;       /* n*n fractions */
	double *mconf;          /* n, NAN when none */

	long why_only;
};

/* Checks a move of the members `who` (nwho) given the assignment `after`
 * (n entries; the proposal's consortium indexes, -1 outside). Lists the broken
 * rules in hits (may be NULL). Returns 1 feasible, 0 not, -1 out of memory. */
int consort__move_check(consort_advice *a, const int *after, const int *who, int nwho, consort__hits *hits);
void consort__hits_free(consort__hits *h);

/* Parts of consort_advice_new. */
int consort__advice_stability(consort_advice *a);

/* Adds the advice's fields to a proposal's JSON tree (root from
 * consort__proposal_json); a may be NULL (fits, fairness and stability of a
 * fresh analysis). Returns 0 or a negative code with err. */
int consort__advice_json(cJSON *root, const consort_proposal *p, const consort_session *s,
	const consort_advice *a, unsigned sections, consort_error *err);
/* Text sections after the consortia (malloc'ed in *out), same rules as above. */
int consort__advice_text(char **out, const consort_proposal *p, const consort_session *s,
	const consort_advice *a, unsigned sections, consort_error *err);

/* "consortium 2", "consortium 1 (lot North)" or "outside", for messages. */
const char *consort__advice_place(const consort_advice *a, int c, char *buf, size_t len);

#endif
