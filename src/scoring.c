/* Scoring (formats.md section 2): directed ratings -> symmetric pair weights. */
#include "consort/scoring.h"
#include "session.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>

/* Per-rater leniency offsets for normalize = "rater" (see scoring.h). */
static int rater_offsets(double **out, const consort_session *s, consort_error *err)
{
	double *sum = calloc(s->n ? s->n : 1, sizeof(double));
	double *cnt = calloc(s->n ? s->n : 1, sizeof(double));
	if (!sum || !cnt) {
		free(sum);
		free(cnt);
		return consort__error_nomem(err);
	}
	double all = 0;
	for (size_t k = 0; k < s->nratings; k++) {
		sum[s->ratings[k].from] += s->ratings[k].score;
		cnt[s->ratings[k].from] += 1;
		all += s->ratings[k].score;
	}
	double mean_all = s->nratings ? all / (double)s->nratings : 0;
	for (size_t i = 0; i < s->n; i++) {
		double k = cnt[i];
		sum[i] = k > 0 ? (sum[i] / k - mean_all) * k / (k + 1) : 0;
	}
	free(cnt);
	*out = sum;
	return 0;
}

int consort_scoring_weights(double **out, const consort_session *s, consort_error *err)
{
	*out = NULL;
	size_t n = s->n;
	consort_scoring sc = consort_session_scoring(s);
	double *w = malloc((n ? n * n : 1) * sizeof(double));
	if (!w)
		return consort__error_nomem(err);
	/* First the directed scores (NAN = unrated), then combine in place. */
	for (size_t i = 0; i < n * n; i++)
		w[i] = NAN;
	double *offset = NULL;
	if (sc.normalize == CONSORT_NORMALIZE_RATER) {
		int rc = rater_offsets(&offset, s, err);
		if (rc < 0) {
			free(w);
			return rc;
		}
	}
	for (size_t k = 0; k < s->nratings; k++) {
		const consort_rating *r = &s->ratings[k];
		double v = r->score;
		if (offset) {
			v -= offset[r->from];
			v = fmin(s->scale_max, fmax(s->scale_min, v));
		}
		w[r->from * n + r->to] = v;
	}
	free(offset);
	for (size_t i = 0; i < n; i++) {
		w[i * n + i] = 0;
		for (size_t j = i + 1; j < n; j++) {
			double a = w[i * n + j], b = w[j * n + i], pair;
			if (isnan(a) && isnan(b))
				pair = sc.unmet;
			else if (isnan(a))
				pair = b;
			else if (isnan(b))
				pair = a;
			else
				pair = sc.combine == CONSORT_COMBINE_MIN ? fmin(a, b) : (a + b) / 2;
			w[i * n + j] = w[j * n + i] = pair - sc.neutral;
		}
	}
	*out = w;
	return 0;
}

double consort_scoring_objective(const double *w, size_t n, const int *group)
{
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		if (group[i] < 0)
			continue;
		for (size_t j = i + 1; j < n; j++)
			if (group[j] == group[i])
				total += w[i * n + j];
	}
	return total;
}
