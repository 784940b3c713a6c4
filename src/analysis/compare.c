/* Comparing the analysed proposal with an earlier one: the earlier one's
 * objective under this session, the difference, and who is placed differently. */
#include "analysis/advice.h"
#include "error.h"

#include <stdlib.h>

/* The assignment of proposal p over n participants (-1 outside); k consortia. */
static int assignment(int **out, int *k, const consort_proposal *p, int n, consort_error *err)
{
	int *as = malloc((size_t)(n ? n : 1) * sizeof(int));
	if (!as)
		return consort__error_nomem(err);
	for (int i = 0; i < n; i++)
		as[i] = -2;
	*k = (int)consort_proposal_count(p);
	for (int c = 0; c < *k; c++) {
		size_t nm;
		const size_t *m = consort_proposal_members(p, (size_t)c, &nm);
		for (size_t x = 0; x < nm; x++) {
			if (m[x] >= (size_t)n || as[m[x]] != -2) {
				free(as);
				return consort__error(err, CONSORT_EUSAGE, "compare: the proposals are for other participants");
			}
			as[m[x]] = c;
		}
	}
	for (int i = 0; i < n; i++)
		if (as[i] == -2)
			as[i] = -1;
	*out = as;
	return 0;
}

int consort_advice_compare(consort_advice *a, const consort_proposal *earlier, consort_error *err)
{
	if (!a || !earlier)
		return consort__error(err, CONSORT_EUSAGE, "compare: no proposal given");
	if (!a->solved)
		return consort__error(err, CONSORT_EUSAGE, "compare: the proposal has no consortia to compare");
	consort_status st = consort_proposal_status(earlier);
	if (st != CONSORT_STATUS_OPTIMAL && st != CONSORT_STATUS_FEASIBLE)
		return consort__error(err, CONSORT_EUSAGE, "compare: the earlier proposal has no consortia (status %s)",
			consort_status_name(st));
	int *b = NULL, kb = 0;
	int rc = assignment(&b, &kb, earlier, a->n, err);
	if (rc < 0)
		return rc;
	int *moved = malloc((size_t)(a->n ? a->n : 1) * sizeof(int));
	int count = moved ? consort__problem_distance(a->pb, a->home, a->k, b, kb, moved) : -1;
	if (count < 0) {
		free(b);
		free(moved);
		return consort__error_nomem(err);
	}
	free(a->moved);
	a->moved = malloc((size_t)(count ? count : 1) * sizeof(size_t));
	if (!a->moved) {
		free(b);
		free(moved);
		return consort__error_nomem(err);
	}
	size_t nm = 0;
	for (int i = 0; i < a->n; i++)
		if (moved[i])
			a->moved[nm++] = (size_t)i;
	/* Recomputed from this session's weights, whatever the earlier file said. */
	a->cmp.objective = consort__problem_objective(a->pb, b);
	a->cmp.difference = consort_proposal_objective(a->p) - a->cmp.objective;
	a->cmp.nmoved = nm;
	a->cmp.moved = a->moved;
	a->compared = 1;
	free(b);
	free(moved);
	return 0;
}

const consort_comparison *consort_advice_comparison(const consort_advice *a)
{
	return a->compared ? &a->cmp : NULL;
}
