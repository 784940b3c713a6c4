/* Scoring (formats.md section 2): turns directed ratings into symmetric pair
 * weights w(i,j) = combine(r(i->j), r(j->i)) - neutral. */
#ifndef CONSORT_SCORING_H
#define CONSORT_SCORING_H

#include "session.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The n x n weight matrix of a session (row-major, symmetric, zero diagonal),
 * using the session's scoring options. *out is malloc'ed; the caller frees it.
 *
 * normalize = "rater" corrects each rater's leniency before combining: every
 * score s given by rater r becomes s - (mean_r - mean_all), where mean_r is the
 * mean of the scores r gave and mean_all the mean of all scores in the session,
 * then is clamped to the scale. A rater's offset is shrunk towards zero by
 * k_r / (k_r + 1) for a rater with k_r ratings, so one rating alone moves little. */
int consort_scoring_weights(double **out, const consort_session *s, consort_error *err);

/* The objective of a grouping: sum of w(i,j) over pairs in the same group.
 * group[i] < 0 means participant i is outside every consortium. */
double consort_scoring_objective(const double *w, size_t n, const int *group);

#ifdef __cplusplus
}
#endif
#endif
