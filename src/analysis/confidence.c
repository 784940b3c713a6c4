/* Confidence of a proposal: re-solving on ratings perturbed by a per-rater
 * residual bootstrap (the model is documented in consort/advice.h), in parallel,
 * and counting how often each pair of members ends up together. */
#include "analysis/advice.h"
#include "session.h"
#include "error.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void consort_confidence_options_init(consort_confidence_options *o)
{
	memset(o, 0, sizeof(*o));
	o->samples = 100;
	o->seed = 1;
	o->time_limit = 2;
}

/* splitmix64 (Steele, Lea, Flood 2014): a fresh stream per (seed, sample). */
static uint64_t mix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static size_t draw(uint64_t *x, size_t n)
{
	return (size_t)(mix(x) % (uint64_t)n);
}

/* The bootstrap's pieces: the common part of every rating and each rater's residuals. */
typedef struct model {
	size_t nratings;
	double *fitted;     /* per rating */
	size_t *res_start;  /* n + 1: rater r's residuals are res[res_start[r] .. res_start[r+1]) */
	double *res;
	double smin, smax;
} model;

static void model_free(model *m)
{
	free(m->fitted);
	free(m->res_start);
	free(m->res);
}

static int model_build(model *m, const consort_session *s)
{
	size_t n = consort_session_count(s), nr = consort_session_rating_count(s);
	memset(m, 0, sizeof(*m));
	m->nratings = nr;
	m->smin = consort_session_scale_min(s);
	m->smax = consort_session_scale_max(s);
	m->fitted = malloc((nr ? nr : 1) * sizeof(double));
	m->res_start = calloc(n + 1, sizeof(size_t));
	m->res = malloc((nr ? nr : 1) * sizeof(double));
	size_t *fill = calloc(n + 1, sizeof(size_t));
	if (!m->fitted || !m->res_start || !m->res || !fill) {
		free(fill);
		model_free(m);
		return -1;
	}
	for (size_t k = 0; k < nr; k++) {
		const consort_rating *r = consort_session_rating(s, k);
		double back;
		if (consort_session_score(s, r->to, r->from, &back) == 0) {
			m->fitted[k] = (r->score + back) / 2;
			m->res_start[r->from + 1]++;
		} else {
			m->fitted[k] = r->score;
		}
	}
	for (size_t i = 0; i < n; i++)
		m->res_start[i + 1] += m->res_start[i];
	for (size_t k = 0; k < nr; k++) {
		const consort_rating *r = consort_session_rating(s, k);
		double back;
		if (consort_session_score(s, r->to, r->from, &back) == 0)
			m->res[m->res_start[r->from] + fill[r->from]++] = sqrt(2.0) * (r->score - m->fitted[k]);
	}
	free(fill);
	return 0;
}

/* Ratings of sample `index` into out (in the session's order). */
static void perturb(consort_rating *out, const consort_session *s, const model *m, unsigned long seed,
	size_t index)
{
	uint64_t x = (uint64_t)seed * 0x100000001B3ULL ^ ((uint64_t)index + 1) * 0xD1B54A32D192ED03ULL;
	size_t all = m->res_start[consort_session_count(s)];
	for (size_t k = 0; k < m->nratings; k++) {
		const consort_rating *r = consort_session_rating(s, k);
		size_t lo = m->res_start[r->from], hi = m->res_start[r->from + 1];
		double e = 0;
		if (hi > lo)
			e = m->res[lo + draw(&x, hi - lo)];
		else if (all)
			e = m->res[draw(&x, all)];
		out[k] = *r;
		out[k].score = fmin(m->smax, fmax(m->smin, m->fitted[k] + e));
	}
}

typedef struct job {
	const consort_session *s;
	const model *m;
	const consort_confidence_options *o;
	int n;
	int *assign;            /* samples * n: consortium per member, -1 outside */
	unsigned char *status;  /* per sample: 0 none, 1 solved, 2 proved */
	pthread_mutex_t lock;
	size_t next, done;
	int rc;
	consort_error err;
} job;

static int solve_one(job *j, consort_rating *ratings, size_t index, consort_error *err)
{
	perturb(ratings, j->s, j->m, j->o->seed, index);
	/* The same session but for the scores: the index of (from, to) pairs stays
	 * valid since the ratings keep their order. Read-only, shared by threads. */
	consort_session copy = *j->s;
	copy.ratings = ratings;
	consort_solve_options so;
	consort_solve_options_init(&so);
	so.time_limit = j->o->time_limit > 0 ? j->o->time_limit : 2;
	so.explain = 0;
	consort_proposal *p = NULL;
	int rc = consort_solve(&p, &copy, &so, err);
	if (rc < 0)
		return rc;
	int *as = j->assign + index * (size_t)j->n;
	for (int i = 0; i < j->n; i++)
		as[i] = -1;
	consort_status st = consort_proposal_status(p);
	if (st == CONSORT_STATUS_OPTIMAL || st == CONSORT_STATUS_FEASIBLE) {
		for (size_t c = 0; c < consort_proposal_count(p); c++) {
			size_t nm;
			const size_t *mem = consort_proposal_members(p, c, &nm);
			for (size_t x = 0; x < nm; x++)
				as[mem[x]] = (int)c;
		}
		j->status[index] = st == CONSORT_STATUS_OPTIMAL ? 2 : 1;
	}
	consort_proposal_free(p);
	return 0;
}

static void *worker(void *arg)
{
	job *j = arg;
	consort_rating *ratings = malloc((j->m->nratings ? j->m->nratings : 1) * sizeof(*ratings));
	consort_error err;
	consort_error_clear(&err);
	for (;;) {
		pthread_mutex_lock(&j->lock);
		size_t index = j->next++;
		int stop = j->rc < 0 || index >= j->o->samples;
		if (!ratings && !stop) {
			j->rc = consort__error_nomem(&j->err);
			stop = 1;
		}
		pthread_mutex_unlock(&j->lock);
		if (stop)
			break;
		int rc = solve_one(j, ratings, index, &err);
		pthread_mutex_lock(&j->lock);
		if (rc < 0 && j->rc == 0) {
			j->rc = rc;
			j->err = err;
		}
		j->done++;
		if (j->o->progress && rc == 0)
			j->o->progress(j->done, j->o->samples, j->o->progress_data);
		pthread_mutex_unlock(&j->lock);
	}
	free(ratings);
	consort_solve_thread_cleanup();
	return NULL;
}

static int threads_for(const consort_confidence_options *o)
{
	long t = o->threads > 0 ? o->threads : sysconf(_SC_NPROCESSORS_ONLN);
	if (t < 1)
		t = 1;
	if ((size_t)t > o->samples)
		t = (long)o->samples;
	return t > 256 ? 256 : (int)t;
}

static int run(job *j, consort_error *err)
{
	int nt = threads_for(j->o);
	pthread_t *tid = malloc((size_t)nt * sizeof(pthread_t));
	if (!tid)
		return consort__error_nomem(err);
	int started = 0;
	for (; started < nt; started++)
		if (pthread_create(&tid[started], NULL, worker, j) != 0)
			break;
	if (started == 0)
		worker(j); /* no thread could start: do the work here */
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	free(tid);
	if (j->rc < 0) {
		if (err)
			*err = j->err;
		return j->rc;
	}
	return 0;
}

/* Co-membership fractions over the solved samples, in sample order. */
static int aggregate(consort_advice *a, const job *j)
{
	size_t n = (size_t)a->n;
	free(a->together);
	free(a->mconf);
	a->together = calloc(n > 0 ? n * n : 1, sizeof(double));
	a->mconf = malloc((n ? n : 1) * sizeof(double));
	if (!a->together || !a->mconf)
		return -1;
	memset(&a->conf, 0, sizeof(a->conf));
	a->conf.samples = j->o->samples;
	a->conf.seed = j->o->seed;
	for (size_t smp = 0; smp < j->o->samples; smp++) {
		if (!j->status[smp])
			continue;
		a->conf.solved++;
		a->conf.proved += j->status[smp] == 2;
		const int *as = j->assign + smp * n;
		for (size_t x = 0; x < n; x++)
			for (size_t y = x + 1; y < n; y++)
				if (as[x] >= 0 && as[x] == as[y])
					a->together[x * n + y] += 1;
	}
	double div = a->conf.solved ? (double)a->conf.solved : 1;
	for (size_t x = 0; x < n; x++)
		for (size_t y = x + 1; y < n; y++)
			a->together[y * n + x] = a->together[x * n + y] /= div;
	for (size_t i = 0; i < n; i++) {
		double sum = 0;
		size_t mates = 0;
		for (size_t m = 0; m < n; m++)
			if (m != i && a->home[i] >= 0 && a->home[m] == a->home[i]) {
				sum += a->together[i * n + m];
				mates++;
			}
		a->mconf[i] = mates && a->conf.solved ? sum / (double)mates : NAN;
	}
	return 0;
}

int consort_advice_confidence(consort_advice *a, const consort_confidence_options *o, consort_error *err)
{
	if (!a || !o || o->samples < 1)
		return consort__error(err, CONSORT_EUSAGE, "confidence: at least one sample is needed");
	if (o->samples > 1000000)
		return consort__error(err, CONSORT_EUSAGE, "confidence: %zu samples is too many", o->samples);
	model m;
	if (model_build(&m, a->s) < 0)
		return consort__error_nomem(err);
	job j;
	memset(&j, 0, sizeof(j));
	j.s = a->s;
	j.m = &m;
	j.o = o;
	j.n = a->n;
	j.assign = malloc(o->samples * (size_t)(a->n ? a->n : 1) * sizeof(int));
	j.status = calloc(o->samples, 1);
	int rc;
	if (!j.assign || !j.status) {
		rc = consort__error_nomem(err);
	} else {
		pthread_mutex_init(&j.lock, NULL);
		rc = run(&j, err);
		pthread_mutex_destroy(&j.lock);
	}
	if (rc == 0 && aggregate(a, &j) < 0)
		rc = consort__error_nomem(err);
	if (rc == 0)
		a->confident = 1;
	free(j.assign);
	free(j.status);
	model_free(&m);
	return rc;
}

const consort_confidence *consort_advice_confidence_info(const consort_advice *a)
{
	return a->confident ? &a->conf : NULL;
}

double consort_advice_together(const consort_advice *a, size_t i, size_t j)
{
	if (!a->confident || i >= (size_t)a->n || j >= (size_t)a->n)
		return 0;
	return i == j ? 1 : a->together[i * (size_t)a->n + j];
}

double consort_advice_member_confidence(const consort_advice *a, size_t i)
{
	if (!a->confident || i >= (size_t)a->n)
		return NAN;
	return a->mconf[i];
}
