/* The exact engine. Formulation (clique partitioning, Grötschel & Wakabayashi,
 * Math. Programming 45, 1989): a binary y_ij for every pair says "i and j share a
 * consortium"; the triangle inequalities y_ij + y_jk - y_ik <= 1 make y a
 * partition. They are n^3 in number, so they are generated lazily: a cutting-
 * plane loop on the root LP, then GLPK's row-generation callback at every node
 * (presolve off, GLPK's own heuristics off so no incumbent can skip a lazy row).
 * Every rule is stated from one member's point of view, which is exact for a
 * partition: member i sees its consortium as {i} + {j : y_ij = 1}, so
 * size, sector counts and cover are linear rows per participant. The number of
 * consortia counts representatives (the lowest-indexed member of each one);
 * lots add an assignment l_ig of participants to lots. */
#include "engines/ilp.h"
#include "error.h"

#include <float.h>
#include <limits.h>
#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EPS 1e-6
/* Rows added per separation round: enough to converge fast, few enough to keep LPs small. */
#define MAX_CUTS_PER_ROUND(n) ((n) * 4 + 100)

typedef struct model {
	const consort__problem *p;
	const consort__ilp_options *o;
	glp_prob *lp;
	int n, ncols;
	int col_p, col_r, col_l; /* first column of each family, 0 when absent */
	int col_u;               /* slot-used columns (slots without lots) */
	int col_t;               /* maxmin: the weakest placed fit, 0 when absent */
	double t_hi;             /* an upper bound on t */
	int nslots;              /* assignment slots: the lots, or kmax consortia when few */
	int kcuts;               /* separate "at most kmax consortia" inequalities */
	int tmax;                /* largest set in those inequalities */
	int branching;           /* GLPK branching rule */
	double *x;               /* LP values, 1-based */
	int *ind;                /* row buffers, 1-based */
	double *val;
	int *lo, *hi;            /* per-slot bounds, scratch for building rows */
	unsigned char *sel;      /* per-participant flags, scratch */
	double t0, deadline;
	long cuts;
	int rounds;              /* root cutting-plane rounds */
	int base_rows;           /* rows of the model proper; lazy rows follow */
	int cut_limit;           /* rows added per separation round */
	int purge_every;         /* purge slack lazy rows every this many rounds (0: never) */
	long nodes;
	int infeasible;          /* a row with no variables left cannot hold */
	int kmin, kmax;          /* consortia count, tightened by counting */
	int heur_done;
	int lazy_pairs;          /* separate the pair-count row (pairs_lo..pairs_hi) */
	double pairs_lo, pairs_hi;
	int lazy_members;        /* separate per-member size rows of the lots */
	int out_of_time;         /* the time limit came while building the model */
	double give_up_above;    /* a bound above this after give_up_at is hopeless */
	double give_up_at;       /* absolute time; 0: never give up */
	int gave_up;
	int has_inc;
	double inc, bound;
	/* candidate cuts of one round */
	struct cand {
		int i, j, k, type;
		double viol;
	} *cand;
	int ncand, capcand;
} model;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int pair_col(int n, int i, int j)
{
	if (i > j) {
		int t = i;
		i = j;
		j = t;
	}
	return 1 + i * n - i * (i + 1) / 2 + (j - i - 1);
}

void consort__ilp_options_init(consort__ilp_options *o)
{
	memset(o, 0, sizeof(*o));
}

void consort__ilp_result_dispose(consort__ilp_result *r)
{
	free(r->assign);
	memset(r, 0, sizeof(*r));
}

/* ---- rows ---- */

/* A row under construction: sum val*x[ind] + constant within [lo, hi]. */
typedef struct row {
	int nnz;
	double constant;
} row;

static void row_add(model *m, row *r, int col, double coef)
{
	if (coef == 0)
		return;
	r->nnz++;
	m->ind[r->nnz] = col;
	m->val[r->nnz] = coef;
}

/* Adds coef * p_i: a column when participants may stay outside, else the constant 1. */
static void row_add_placed(model *m, row *r, int i, double coef)
{
	if (!m->col_p) {
		r->constant += coef;
		return;
	}
	/* p_i may already be in the row (a member counting itself): merge. */
	for (int k = 1; k <= r->nnz; k++)
		if (m->ind[k] == m->col_p + i) {
			m->val[k] += coef;
			return;
		}
	row_add(m, r, m->col_p + i, coef);
}

static void row_commit(model *m, row *r, int type, double lo, double hi)
{
	if (r->nnz == 0) {
		int lo_bad = type != GLP_UP && type != GLP_FR && lo - r->constant > EPS;
		int hi_bad = (type == GLP_UP || type == GLP_DB || type == GLP_FX) && hi - r->constant < -EPS;
		m->infeasible |= lo_bad || hi_bad;
		return;
	}
	if (type == GLP_DB || type == GLP_FX) {
		if (lo > hi + EPS) { /* contradictory bounds (e.g. a lot's min above its max) */
			m->infeasible = 1;
			return;
		}
		if (lo >= hi)
			type = GLP_FX;
	}
	int k = glp_add_rows(m->lp, 1);
	glp_set_row_bnds(m->lp, k, type, lo - r->constant, hi - r->constant);
	glp_set_mat_row(m->lp, k, r->nnz, m->ind, m->val);
}

/* Adds sum_j y_ij over j in a set (sel == NULL: everyone) plus own * p_i. */
static void row_neighbours(model *m, row *r, int i, const unsigned char *sel, size_t stride, int own)
{
	for (int j = 0; j < m->n; j++)
		if (j != i && (!sel || sel[(size_t)j * stride]))
			row_add(m, r, pair_col(m->n, i, j), 1);
	if (own)
		row_add_placed(m, r, i, 1);
}

/* Lower/upper coefficient of a per-member rule: the consortium's bound times p_i,
 * or with lots sum_g bound_g * l_ig. */
static void row_bound_term(model *m, row *r, int i, const int *per_lot, int global, double sign)
{
	if (m->nslots)
		for (int g = 0; g < m->nslots; g++)
			row_add(m, r, m->col_l + i * m->nslots + g, sign * per_lot[g]);
	else
		row_add_placed(m, r, i, sign * global);
}

/* The rules of slot g (a lot's, or the global ones). */
static const consort__group *slot_group(const model *m, int g)
{
	return m->p->nlots ? &m->p->lot[g] : &m->p->global;
}

/* A measurement knob set to "0". */
static int env_off(const char *name)
{
	const char *e = getenv(name);
	return e && e[0] == '0';
}

static int slot_count(const model *m)
{
	return m->nslots ? m->nslots : 1;
}

static void add_size_rows(model *m, int *lo_g, int *hi_g)
{
	int need_lo = 0, need_hi = m->col_p != 0;
	for (int g = 0; g < slot_count(m); g++) {
		const consort__group *G = slot_group(m, g);
		lo_g[g] = G->size_min - 1;
		hi_g[g] = G->size_max - 1;
		need_lo |= lo_g[g] > 0;
		need_hi |= hi_g[g] < m->n - 1;
	}
	for (int i = 0; i < m->n; i++) {
		row r = {0};
		if (need_lo) {
			row_neighbours(m, &r, i, NULL, 0, 0);
			row_bound_term(m, &r, i, lo_g, lo_g[0], -1);
			row_commit(m, &r, GLP_LO, 0, 0);
		}
		if (need_hi) {
			r = (row){0};
			row_neighbours(m, &r, i, NULL, 0, 0);
			row_bound_term(m, &r, i, hi_g, hi_g[0], -1);
			row_commit(m, &r, GLP_UP, 0, 0);
		}
	}
}

static void add_sector_rows(model *m, int *lo_g, int *hi_g, unsigned char *in_sec)
{
	const consort__problem *p = m->p;
	for (int s = 0; s < p->nsec; s++) {
		int members = 0, need_lo = 0, need_hi = 0;
		for (int i = 0; i < m->n; i++)
			members += (in_sec[i] = p->sector[i] == s);
		for (int g = 0; g < slot_count(m); g++) {
			const consort__group *G = slot_group(m, g);
			lo_g[g] = G->sec_min[s];
			hi_g[g] = G->sec_max[s];
			need_lo |= lo_g[g] > 0;
			need_hi |= hi_g[g] < members;
		}
		for (int i = 0; i < m->n; i++) {
			row r = {0};
			if (need_lo) {
				row_neighbours(m, &r, i, in_sec, 1, in_sec[i]);
				row_bound_term(m, &r, i, lo_g, lo_g[0], -1);
				row_commit(m, &r, GLP_LO, 0, 0);
			}
			if (need_hi) {
				r = (row){0};
				row_neighbours(m, &r, i, in_sec, 1, in_sec[i]);
				row_bound_term(m, &r, i, hi_g, hi_g[0], -1);
				row_commit(m, &r, GLP_UP, 0, 0);
			}
		}
	}
}

static int group_covers(const consort__group *G, int c)
{
	for (int k = 0; k < G->ncover; k++)
		if (G->cover[k] == c)
			return 1;
	return 0;
}

static void add_cover_rows(model *m, int *req_g)
{
	const consort__problem *p = m->p;
	for (int c = 0; c < p->nserv; c++) {
		int any = 0;
		for (int g = 0; g < slot_count(m); g++)
			any |= req_g[g] = group_covers(slot_group(m, g), c);
		if (!any)
			continue;
		for (int i = 0; i < m->n; i++) {
			if (p->offers[i * p->nserv + c])
				continue; /* i covers it for its own consortium */
			row r = {0};
			row_neighbours(m, &r, i, p->offers + c, (size_t)p->nserv, 0);
			row_bound_term(m, &r, i, req_g, req_g[0], -1);
			row_commit(m, &r, GLP_LO, 0, 0);
		}
	}
}

/* Representatives r_i = 1 iff i is placed and no lower-indexed member shares its consortium. */
static void add_count_rows(model *m)
{
	int n = m->n;
	row r;
	for (int i = 0; i < n; i++) {
		int ri = m->col_r + i;
		if (m->col_p) {
			r = (row){0};
			row_add(m, &r, ri, 1);
			row_add_placed(m, &r, i, -1);
			row_commit(m, &r, GLP_UP, 0, 0);
		}
		for (int j = 0; j < i; j++) {
			r = (row){0};
			row_add(m, &r, ri, 1);
			row_add(m, &r, pair_col(n, j, i), 1);
			row_commit(m, &r, GLP_UP, 0, 1);
		}
		r = (row){0};
		row_add(m, &r, ri, 1);
		row_add_placed(m, &r, i, -1);
		for (int j = 0; j < i; j++)
			row_add(m, &r, pair_col(n, j, i), 1);
		row_commit(m, &r, GLP_LO, 0, 0);
	}
	r = (row){0};
	for (int i = 0; i < n; i++)
		row_add(m, &r, m->col_r + i, 1);
	row_commit(m, &r, m->kmin == m->kmax ? GLP_FX : GLP_DB, m->kmin, m->kmax);
}

/* A slot's column for participant i. */
static int xcol(const model *m, int i, int g)
{
	return m->col_l + i * m->nslots + g;
}

/* Slot k's "used" term: the column u_k, or the constant 1 for a lot. */
static void row_add_used(model *m, row *r, int g, double coef)
{
	if (m->col_u)
		row_add(m, r, m->col_u + g, coef);
	else
		r->constant += coef;
}

/* The assignment of participants to slots (lots, or few interchangeable
 * consortia) and its link to the pair variables. */
static void add_slot_rows(model *m)
{
	const consort__problem *p = m->p;
	int n = m->n, L = m->nslots;
	row r;
	for (int i = 0; i < n; i++) {
		r = (row){0};
		for (int g = 0; g < L; g++)
			row_add(m, &r, xcol(m, i, g), 1);
		row_add_placed(m, &r, i, -1);
		row_commit(m, &r, GLP_FX, 0, 0);
	}
	/* y_ij = 1 exactly when i and j are in the same slot. */
	for (int i = 0; i < n; i++) {
		/* 3 n L rows per participant: large models must not outlast the limit. */
		if (m->deadline > 0 && now() >= m->deadline) {
			m->out_of_time = 1;
			return;
		}
		for (int j = i + 1; j < n; j++)
			for (int g = 0; g < L; g++) {
				int y = pair_col(n, i, j), li = xcol(m, i, g), lj = xcol(m, j, g);
				r = (row){0};
				row_add(m, &r, y, 1);
				row_add(m, &r, li, -1);
				row_add(m, &r, lj, -1);
				row_commit(m, &r, GLP_LO, -1, 0);
				r = (row){0};
				row_add(m, &r, y, 1);
				row_add(m, &r, li, 1);
				row_add(m, &r, lj, -1);
				row_commit(m, &r, GLP_UP, 0, 1);
				r = (row){0};
				row_add(m, &r, y, 1);
				row_add(m, &r, li, -1);
				row_add(m, &r, lj, 1);
				row_commit(m, &r, GLP_UP, 0, 1);
			}
	}
	/* Each slot's rules in aggregate form (times u_k: an unused slot is empty). */
	for (int g = 0; g < L; g++) {
		const consort__group *G = slot_group(m, g);
		r = (row){0};
		for (int i = 0; i < n; i++)
			row_add(m, &r, xcol(m, i, g), 1);
		row_add_used(m, &r, g, -(G->size_min > 1 ? G->size_min : 1));
		row_commit(m, &r, GLP_LO, 0, 0);
		r = (row){0};
		for (int i = 0; i < n; i++)
			row_add(m, &r, xcol(m, i, g), 1);
		row_add_used(m, &r, g, -G->size_max);
		row_commit(m, &r, GLP_UP, 0, 0);
		for (int s = 0; s < p->nsec; s++) {
			int members = 0;
			for (int i = 0; i < n; i++)
				members += p->sector[i] == s;
			if (G->sec_min[s] > 0) {
				r = (row){0};
				for (int i = 0; i < n; i++)
					if (p->sector[i] == s)
						row_add(m, &r, xcol(m, i, g), 1);
				row_add_used(m, &r, g, -G->sec_min[s]);
				row_commit(m, &r, GLP_LO, 0, 0);
			}
			if (G->sec_max[s] < members) {
				r = (row){0};
				for (int i = 0; i < n; i++)
					if (p->sector[i] == s)
						row_add(m, &r, xcol(m, i, g), 1);
				row_commit(m, &r, GLP_UP, 0, G->sec_max[s]);
			}
		}
		for (int k = 0; k < G->ncover; k++) {
			r = (row){0};
			for (int i = 0; i < n; i++)
				if (p->offers[i * p->nserv + G->cover[k]])
					row_add(m, &r, xcol(m, i, g), 1);
			row_add_used(m, &r, g, -1);
			row_commit(m, &r, GLP_LO, 0, 0);
		}
	}
	if (!m->col_u)
		return;
	/* Interchangeable slots: x_ik <= u_k, used slots first, at least kmin used,
	 * and labels in order of first members (no symmetric copies): i may open
	 * slot k only if a lower-indexed participant is in slot k-1. */
	r = (row){0};
	for (int g = 0; g < L; g++)
		row_add(m, &r, m->col_u + g, 1);
	row_commit(m, &r, GLP_LO, m->kmin, 0);
	for (int g = 0; g + 1 < L; g++) {
		r = (row){0};
		row_add(m, &r, m->col_u + g, 1);
		row_add(m, &r, m->col_u + g + 1, -1);
		row_commit(m, &r, GLP_LO, 0, 0);
	}
	for (int i = 0; i < n; i++)
		for (int g = 0; g < L; g++) {
			if (g > i) {
				glp_set_col_bnds(m->lp, xcol(m, i, g), GLP_FX, 0, 0);
				continue;
			}
			r = (row){0};
			row_add(m, &r, xcol(m, i, g), 1);
			row_add(m, &r, m->col_u + g, -1);
			row_commit(m, &r, GLP_UP, 0, 0);
			if (g == 0)
				continue;
			r = (row){0};
			row_add(m, &r, xcol(m, i, g), 1);
			for (int j = 0; j < i; j++)
				row_add(m, &r, xcol(m, j, g - 1), -1);
			row_commit(m, &r, GLP_UP, 0, 0);
		}
}

/* The fewest and most pairs that can share a consortium when everyone is
 * placed: over the slot sizes s_g in [size_min, size_max] with sum n, the
 * extremes of sum s_g (s_g - 1) / 2, by dynamic programming over the slots
 * (lots, or kmin..kmax interchangeable consortia). 0 when it does not apply
 * or no sizes fit (the model finds that out itself). */
static int pair_range(const model *m, double *pmin, double *pmax)
{
	const consort__problem *p = m->p;
	int n = m->n;
	if (!p->everyone || n < 2)
		return 0;
	int L = p->nlots ? p->nlots : m->kmax;
	if (L < 1 || L > n)
		return 0;
	/* lo/hi[t]: fewest/most pairs of the first g slots holding t participants. */
	double *lo = malloc((size_t)(n + 1) * sizeof(double)), *hi = malloc((size_t)(n + 1) * sizeof(double));
	double *nlo = malloc((size_t)(n + 1) * sizeof(double)), *nhi = malloc((size_t)(n + 1) * sizeof(double));
	int ok = 0;
	if (!lo || !hi || !nlo || !nhi)
		goto done;
	for (int t = 0; t <= n; t++)
		lo[t] = HUGE_VAL, hi[t] = -HUGE_VAL;
	lo[0] = hi[0] = 0;
	*pmin = HUGE_VAL;
	*pmax = -HUGE_VAL;
	for (int g = 0; g < L; g++) {
		const consort__group *G = p->nlots ? &p->lot[g] : &p->global;
		int a = G->size_min > 1 ? G->size_min : 1, b = G->size_max < n ? G->size_max : n;
		for (int t = 0; t <= n; t++)
			nlo[t] = HUGE_VAL, nhi[t] = -HUGE_VAL;
		for (int t = 0; t <= n; t++) {
			if (hi[t] == -HUGE_VAL)
				continue;
			for (int sz = a; sz <= b && t + sz <= n; sz++) {
				double c = 0.5 * sz * (sz - 1);
				nlo[t + sz] = fmin(nlo[t + sz], lo[t] + c);
				nhi[t + sz] = fmax(nhi[t + sz], hi[t] + c);
			}
		}
		memcpy(lo, nlo, (size_t)(n + 1) * sizeof(double));
		memcpy(hi, nhi, (size_t)(n + 1) * sizeof(double));
		/* Interchangeable consortia: any count from kmin on may be used. */
		if ((p->nlots ? g + 1 == L : g + 1 >= m->kmin) && hi[n] != -HUGE_VAL) {
			*pmin = fmin(*pmin, lo[n]);
			*pmax = fmax(*pmax, hi[n]);
			ok = 1;
		}
	}
done:
	free(lo), free(hi), free(nlo), free(nhi);
	return ok;
}

/* The rule rows that are valid but not needed to state the model, separated
 * lazily when the LP point breaks them: eagerly added they doubled the time
 * of workshop sessions with lots, where the LP rarely breaks them, while on
 * grouping problems (everyone placed, positive weights) they are what makes
 * proofs possible (bench/README.md).
 * - The number of pairs inside consortia lies within pair_range: cuts off the
 *   fractional points that spread everyone a little over every lot.
 * - With lots, each member's consortium size lies within its lot's range (the
 *   per-member form of the lot's aggregate size rows). */
static void setup_lazy_rules(model *m, int with_member_rows)
{
	double pmin, pmax, all = 0.5 * m->n * (m->n - 1);
	if (!env_off("CONSORT_ILP_PAIR_ROW") && pair_range(m, &pmin, &pmax) && (pmin > 0 || pmax < all)) {
		m->lazy_pairs = 1;
		m->pairs_lo = pmin;
		m->pairs_hi = pmax;
	}
	m->lazy_members = with_member_rows && !env_off("CONSORT_ILP_SIZE_ROWS");
}

static int separate_rules(model *m)
{
	int n = m->n, added = 0;
	const double *x = m->x;
	if (m->lazy_pairs) {
		double sum = 0;
		for (int c = 1; c <= n * (n - 1) / 2; c++)
			sum += x[c];
		if (sum > m->pairs_hi + 1e-6 || sum < m->pairs_lo - 1e-6) {
			row r = {0};
			for (int i = 0; i < n; i++)
				for (int j = i + 1; j < n; j++)
					row_add(m, &r, pair_col(n, i, j), 1);
			row_commit(m, &r, m->pairs_lo == m->pairs_hi ? GLP_FX : GLP_DB, m->pairs_lo, m->pairs_hi);
			added++;
		}
	}
	if (!m->lazy_members)
		return added;
	int L = m->nslots;
	for (int i = 0; i < n; i++) {
		double deg = 0, lo = 0, hi = 0;
		for (int j = 0; j < n; j++)
			if (j != i)
				deg += x[pair_col(n, i < j ? i : j, i < j ? j : i)];
		for (int g = 0; g < L; g++) {
			const consort__group *G = slot_group(m, g);
			double xi = x[m->col_l + i * L + g];
			lo += (G->size_min - 1) * xi;
			hi += (G->size_max - 1) * xi;
		}
		int below = deg < lo - 1e-6, above = deg > hi + 1e-6;
		if (!below && !above)
			continue;
		row r = {0};
		row_neighbours(m, &r, i, NULL, 0, 0);
		for (int g = 0; g < L; g++) {
			const consort__group *G = slot_group(m, g);
			row_add(m, &r, m->col_l + i * L + g, -(above ? G->size_max - 1 : G->size_min - 1));
		}
		row_commit(m, &r, above ? GLP_UP : GLP_LO, 0, 0);
		added++;
	}
	return added;
}

/* ---- the model ---- */

/* Tightens the consortia count by counting (interchangeable consortia only):
 * every consortium needs sec_min[s] members of sector s, a member offering each
 * service it must cover, and size_min members; with everyone placed, the
 * maxima bound the count from below. Catches pigeonhole clashes that branch and
 * bound would need many nodes to prove. */
static void tighten_count(model *m)
{
	const consort__problem *p = m->p;
	const consort__group *G = &p->global;
	int n = m->n;
	m->kmin = p->kmin;
	m->kmax = p->kmax;
	if (p->nlots)
		return;
	int *count = calloc((size_t)(p->nsec + p->nserv + 1), sizeof(int));
	if (!count)
		return;
	for (int i = 0; i < n; i++) {
		count[p->sector[i]]++;
		for (int c = 0; c < p->nserv; c++)
			count[p->nsec + c] += p->offers[i * p->nserv + c] != 0;
	}
	if (G->size_min > 0 && n / G->size_min < m->kmax)
		m->kmax = n / G->size_min;
	for (int s = 0; s < p->nsec; s++) {
		if (G->sec_min[s] > 0 && count[s] / G->sec_min[s] < m->kmax)
			m->kmax = count[s] / G->sec_min[s];
		if (p->everyone && count[s] > 0) {
			int need = G->sec_max[s] > 0 ? (count[s] + G->sec_max[s] - 1) / G->sec_max[s] : n + 1;
			if (need > m->kmin)
				m->kmin = need;
		}
	}
	for (int k = 0; k < G->ncover; k++)
		if (count[p->nsec + G->cover[k]] < m->kmax)
			m->kmax = count[p->nsec + G->cover[k]];
	if (p->everyone && G->size_max > 0 && (n + G->size_max - 1) / G->size_max > m->kmin)
		m->kmin = (n + G->size_max - 1) / G->size_max;
	free(count);
	if (m->kmin > m->kmax)
		m->infeasible = 1;
}

/* Member i's fit: sum_j w_ij y_ij. */
static void row_fit(model *m, row *r, int i)
{
	for (int j = 0; j < m->n; j++)
		if (j != i)
			row_add(m, r, pair_col(m->n, i, j), m->p->w[(size_t)i * m->n + j]);
}

/* Exclusions asking for a difference D > 1 without lots are stated exactly
 * with slots: for every injective map pi of the excluded solution's consortia
 * into the K slots, the members it keeps in place number at most n - D (the
 * distance is the minimum over matchings, consort__moved). K!/(K-k)! rows each,
 * so only for few slots; the number of rows, or 0 when not used. */
#define MATCHING_ROWS_MAX 720
static long matching_rows(const consort__problem *p, int K)
{
	if (p->nlots)
		return 0;
	long total = 0;
	for (int e = 0; e < p->nexclude; e++) {
		const consort__exclude *ex = &p->exclude[e];
		if (ex->differ <= 1)
			continue;
		if (ex->k > K)
			return 0;
		long rows = 1;
		for (int j = 0; j < ex->k; j++)
			rows *= K - j;
		if (rows > MATCHING_ROWS_MAX)
			return 0;
		total += rows;
	}
	return total;
}

/* The rows of one exclusion for every injective pi (recursively over its consortia). */
static void add_matching_rows(model *m, const consort__exclude *ex, int *pi, int c, unsigned char *used)
{
	if (c == ex->k) {
		row r = {0};
		for (int i = 0; i < m->n; i++) {
			if (ex->assign[i] >= 0) {
				row_add(m, &r, xcol(m, i, pi[ex->assign[i]]), -1);
				r.constant += 1;
			} else if (m->col_p) {
				row_add(m, &r, m->col_p + i, 1);
			}
		}
		row_commit(m, &r, GLP_LO, ex->differ, 0);
		return;
	}
	for (int g = 0; g < m->nslots; g++) {
		if (used[g])
			continue;
		used[g] = 1;
		pi[c] = g;
		add_matching_rows(m, ex, pi, c + 1, used);
		used[g] = 0;
	}
}

/* Pins, min_fit, maxmin's t and the exclusions' no-goods. */
static void add_extended_rows(model *m)
{
	const consort__problem *p = m->p;
	int n = m->n;
	row r;
	for (int i = 0; p->fixed && i < n; i++) {
		int f = p->fixed[i];
		if (f == CONSORT__FREE)
			continue;
		if (f < 0 ? !m->col_p : f >= p->nlots) {
			m->infeasible = 1; /* outside with everyone placed, or no such lot */
			continue;
		}
		if (m->col_p)
			glp_set_col_bnds(m->lp, m->col_p + i, GLP_FX, f >= 0, f >= 0);
		if (f >= 0)
			glp_set_col_bnds(m->lp, xcol(m, i, f), GLP_FX, 1, 1);
	}
	/* fit_i - X p_i >= 0: any sign of X, and nothing asked of members outside. */
	for (int i = 0; p->has_min_fit && i < n; i++) {
		r = (row){0};
		row_fit(m, &r, i);
		row_add_placed(m, &r, i, -p->min_fit);
		row_commit(m, &r, GLP_LO, 0, 0);
	}
	if (m->col_t) {
		/* t <= fit_i + M_i (1 - p_i), M_i = t_hi - (least fit i can have). */
		for (int i = 0; i < n; i++) {
			double neg = 0;
			for (int j = 0; j < n; j++)
				neg += j != i ? fmin(0, p->w[(size_t)i * n + j]) : 0;
			double big = m->t_hi - neg;
			r = (row){0};
			row_fit(m, &r, i);
			row_add(m, &r, m->col_t, -1);
			if (m->col_p) {
				row_add(m, &r, m->col_p + i, -big);
				row_commit(m, &r, GLP_LO, -big, 0);
			} else {
				row_commit(m, &r, GLP_LO, 0, 0);
			}
		}
		/* Nobody placed counts as a weakest fit of 0: t <= t_hi * sum_i p_i. */
		if (m->col_p) {
			r = (row){0};
			row_add(m, &r, m->col_t, 1);
			for (int i = 0; i < n; i++)
				row_add(m, &r, m->col_p + i, -m->t_hi);
			row_commit(m, &r, GLP_UP, 0, 0);
		}
	}
	for (int e = 0; e < p->nexclude; e++) {
		const consort__exclude *ex = &p->exclude[e];
		r = (row){0};
		if (p->nlots) {
			/* Members away from their lot (or placed when they were outside). */
			for (int i = 0; i < n; i++) {
				if (ex->assign[i] >= 0) {
					row_add(m, &r, xcol(m, i, ex->assign[i]), -1);
					r.constant += 1;
				} else if (m->col_p) {
					row_add(m, &r, m->col_p + i, 1);
				}
			}
			row_commit(m, &r, GLP_LO, ex->differ, 0);
			continue;
		}
		if (m->nslots && ex->differ > 1) {
			int pi[64];
			unsigned char used[64] = {0};
			if (ex->k <= 64 && m->nslots <= 64) {
				add_matching_rows(m, ex, pi, 0, used);
				continue;
			}
		}
		/* Not the same partition: some pair or some placement differs. */
		for (int i = 0; i < n; i++) {
			for (int j = i + 1; j < n; j++) {
				int same = ex->assign[i] >= 0 && ex->assign[i] == ex->assign[j];
				row_add(m, &r, pair_col(n, i, j), same ? -1 : 1);
				r.constant += same;
			}
			if (m->col_p) {
				row_add(m, &r, m->col_p + i, ex->assign[i] >= 0 ? -1 : 1);
				r.constant += ex->assign[i] >= 0;
			}
		}
		row_commit(m, &r, GLP_LO, 1, 0);
	}
}

/* Slot (assignment) variables for interchangeable consortia: they exclude
 * symmetric copies and branch on who goes where, but measured slower than the
 * pair formulation on workshop sessions (bench/README.md), so they are used
 * for lots only unless CONSORT_ILP_SLOTS=1 asks for them. The other knobs
 * below exist for the same measurements. */
#define SLOT_KMAX 0

static int build_model(model *m)
{
	const consort__problem *p = m->p;
	int n = m->n, npairs = n * (n - 1) / 2;
	tighten_count(m);
	const char *force = getenv("CONSORT_ILP_SLOTS"); /* "0"/"1": for measurements */
	int use_slots = p->nlots > 0 ||
		(m->kmax < n && m->kmax >= 1 && (force ? force[0] == '1' : m->kmax <= SLOT_KMAX)) ||
		(m->kmax >= 1 && matching_rows(p, m->kmax) > 0);
	m->nslots = p->nlots ? p->nlots : use_slots ? m->kmax : 0;
	m->ncols = npairs;
	m->col_p = p->everyone ? 0 : (m->ncols += n, m->ncols - n + 1);
	int need_reps = !use_slots && (m->kmin > (p->everyone && n > 0 ? 1 : 0) || m->kmax < n);
	m->col_r = need_reps ? (m->ncols += n, m->ncols - n + 1) : 0;
	m->col_l = m->nslots ? (m->ncols += n * m->nslots, m->ncols - n * m->nslots + 1) : 0;
	m->col_u = use_slots && !p->nlots ? (m->ncols += m->nslots, m->ncols - m->nslots + 1) : 0;
	m->col_t = m->o->maxmin ? ++m->ncols : 0;
	m->kcuts = m->kmax < n && m->kmax >= 1 && !getenv("CONSORT_ILP_NOKCUTS");
	const char *tm = getenv("CONSORT_ILP_TMAX"), *br = getenv("CONSORT_ILP_BRANCH");
	const char *cl = getenv("CONSORT_ILP_CUTS"), *pe = getenv("CONSORT_ILP_PURGE");
	m->cut_limit = cl ? atoi(cl) * n + 100 : MAX_CUTS_PER_ROUND(n);
	/* Purging slack cuts every round made cuts cycle; every third round
	 * measured best on CP-Lib ABR (bench/README.md). */
	m->purge_every = pe ? atoi(pe) : 3;
	m->tmax = tm ? atoi(tm) : m->kmax + 1;
	m->branching = br && atoi(br) >= GLP_BR_FFV && atoi(br) <= GLP_BR_PCH ? atoi(br) : GLP_BR_MFV;

	size_t len = (size_t)(m->ncols > n ? m->ncols : n) + 2;
	m->x = calloc(len, sizeof(double));
	m->ind = calloc(len, sizeof(int));
	m->val = calloc(len, sizeof(double));
	/* Scratch arrays live in the model, so a jump out of GLPK frees them too. */
	int *lo = m->lo = calloc((size_t)slot_count(m), sizeof(int));
	int *hi = m->hi = calloc((size_t)slot_count(m), sizeof(int));
	unsigned char *sel = m->sel = calloc((size_t)n + 1, 1);
	if (!m->x || !m->ind || !m->val || !lo || !hi || !sel)
		return CONSORT_ENOMEM;

	glp_prob *lp = m->lp = glp_create_prob();
	glp_set_obj_dir(lp, GLP_MAX);
	if (m->ncols)
		glp_add_cols(lp, m->ncols);
	for (int c = 1; c <= m->ncols; c++) {
		/* With slots the pairs follow from the assignment: only slots branch. */
		if (use_slots && c <= npairs) {
			glp_set_col_kind(lp, c, GLP_CV);
			glp_set_col_bnds(lp, c, GLP_DB, 0, 1);
		} else {
			glp_set_col_kind(lp, c, GLP_BV);
		}
	}
	if (m->col_t) {
		/* The weakest fit lies between the least and the most any member can have. */
		double tlo = 0, thi = 0;
		for (int i = 0; i < n; i++) {
			double pos = 0, neg = 0;
			for (int j = 0; j < n; j++)
				if (j != i) {
					pos += fmax(0, p->w[i * n + j]);
					neg += fmin(0, p->w[i * n + j]);
				}
			thi = i == 0 ? pos : fmax(thi, pos);
			tlo = i == 0 ? neg : fmin(tlo, neg);
		}
		m->t_hi = thi;
		glp_set_col_kind(lp, m->col_t, GLP_CV);
		glp_set_col_bnds(lp, m->col_t, tlo < thi ? GLP_DB : GLP_FX, tlo, thi);
		if (!m->o->feasibility)
			glp_set_obj_coef(lp, m->col_t, 1);
	} else if (!m->o->feasibility) {
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++)
				glp_set_obj_coef(lp, pair_col(n, i, j), p->w[i * n + j]);
	}
	for (int t = 0; t < p->ntogether; t++) {
		int a = p->together[t][0], b = p->together[t][1];
		glp_set_col_bnds(lp, pair_col(n, a, b), GLP_FX, 1, 1);
		if (m->col_p) {
			glp_set_col_bnds(lp, m->col_p + a, GLP_FX, 1, 1);
			glp_set_col_bnds(lp, m->col_p + b, GLP_FX, 1, 1);
		}
	}
	for (int t = 0; t < p->napart; t++)
		glp_set_col_bnds(lp, pair_col(n, p->apart[t][0], p->apart[t][1]), GLP_FX, 0, 0);
	add_extended_rows(m);

	/* With slots the per-slot aggregate rows already state these rules
	 * exactly; the per-member rows only add LP rows (measured in bench/README.md). */
	const char *pm = getenv("CONSORT_ILP_MEMBER_ROWS");
	if (!m->nslots || (pm && pm[0] == '1')) {
		add_size_rows(m, lo, hi);
		add_sector_rows(m, lo, hi, sel);
		add_cover_rows(m, lo);
	} else if (m->col_p) {
		/* Still needed: y_ij = 0 when i stays outside (p_i = 0). */
		add_size_rows(m, lo, hi);
	}
	if (need_reps)
		add_count_rows(m);
	setup_lazy_rules(m, m->nslots && !m->col_p && !(pm && pm[0] == '1'));
	if (m->nslots)
		add_slot_rows(m);
	return 0;
}

/* ---- separation ---- */

static int cand_push(model *m, int i, int j, int k, int type, double viol)
{
	if (m->ncand == m->capcand) {
		int cap = m->capcand ? m->capcand * 2 : 1024;
		struct cand *bigger = realloc(m->cand, (size_t)cap * sizeof(*bigger));
		if (!bigger)
			return -1;
		m->cand = bigger;
		m->capcand = cap;
	}
	m->cand[m->ncand++] = (struct cand){i, j, k, type, viol};
	return 0;
}

/* Moves the `keep` most violated candidates to the front (in no particular
 * order) by quickselect: O(candidates) instead of sorting them all. */
static void cand_select(struct cand *c, int n, int keep)
{
	int lo = 0, hi = n - 1;
	while (lo < hi && keep > lo && keep <= hi) {
		double a = c[lo].viol, b = c[(lo + hi) / 2].viol, d = c[hi].viol;
		double pivot = a < b ? (b < d ? b : (a < d ? d : a)) : (a < d ? a : (b < d ? d : b));
		int i = lo, j = hi;
		while (i <= j) {
			while (c[i].viol > pivot)
				i++;
			while (c[j].viol < pivot)
				j--;
			if (i <= j) {
				struct cand t = c[i];
				c[i++] = c[j];
				c[j--] = t;
			}
		}
		/* [lo, j] >= pivot >= [i, hi] */
		if (keep <= j)
			hi = j;
		else if (keep >= i)
			lo = i;
		else
			break;
	}
}

/* Most violated triangle inequalities at the point m->x (type 0..2 picks the apex). */
static int separate_triangles(model *m)
{
	int n = m->n;
	const double *x = m->x;
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++) {
			double yij = x[pair_col(n, i, j)];
			for (int k = j + 1; k < n; k++) {
				double yik = x[pair_col(n, i, k)], yjk = x[pair_col(n, j, k)];
				double v0 = yij + yik - yjk - 1; /* apex i */
				double v1 = yij + yjk - yik - 1; /* apex j */
				double v2 = yik + yjk - yij - 1; /* apex k */
				if (v0 > EPS && cand_push(m, i, j, k, 0, v0) < 0)
					return -1;
				if (v1 > EPS && cand_push(m, i, j, k, 1, v1) < 0)
					return -1;
				if (v2 > EPS && cand_push(m, i, j, k, 2, v2) < 0)
					return -1;
			}
		}
	return 0;
}

/* "At most kmax consortia": any kmax+1 placed participants include a pair that
 * shares one, so sum_{pairs in Q} y - sum_{i in Q} p_i >= -kmax for |Q| = kmax+1.
 * Q grows greedily from start s by the participant adding the least; returns
 * the left-hand side at m->x and fills q. */
static double kclique_grow(model *m, int s, int *q)
{
	int n = m->n, K = m->kmax, size = 1;
	q[0] = s;
	double lhs = -(m->col_p ? m->x[m->col_p + s] : 1);
	while (size < K + 1) {
		int best = -1;
		double bestv = DBL_MAX;
		for (int v = 0; v < n; v++) {
			int in = 0;
			for (int t = 0; t < size && !in; t++)
				in = q[t] == v;
			if (in)
				continue;
			double add = -(m->col_p ? m->x[m->col_p + v] : 1);
			for (int t = 0; t < size; t++)
				add += m->x[pair_col(n, q[t], v)];
			if (add < bestv) {
				bestv = add;
				best = v;
			}
		}
		q[size++] = best;
		lhs += bestv;
	}
	return lhs;
}

/* Candidates of type 3; (i) is the start, the set is grown again on commit. */
static int separate_kcliques(model *m, int *q)
{
	if (m->kmax + 1 > m->n)
		return 0;
	for (int s = 0; s < m->n; s++) {
		double viol = -m->kmax - kclique_grow(m, s, q);
		if (viol > EPS && cand_push(m, s, 0, 0, 3, viol) < 0)
			return -1;
	}
	return 0;
}

/* Fewest pairs that share a consortium when t participants are split over at
 * most K consortia (balanced split; Turán's theorem on the complement). */
static double turan_pairs(int t, int K)
{
	int q = t / K, r = t % K;
	return (double)r * (q + 1) * q / 2 + (double)(K - r) * q * (q - 1) / 2;
}

/* Greedy set from start s: repeatedly add the participant with the smallest
 * y-sum to the set. Returns the size with the largest violation of
 * sum_{pairs in Q} y >= turan_pairs(|Q|, K), 0 if none; fills q. */
static int turan_grow(model *m, int s, int stop_at, int *q, double *acc, unsigned char *in, double *viol)
{
	int n = m->n, K = m->kmax, best_t = 0;
	double sum = 0, best = EPS;
	memset(in, 0, (size_t)n);
	q[0] = s;
	in[s] = 1;
	for (int v = 0; v < n; v++)
		acc[v] = v == s ? 0 : m->x[pair_col(n, s, v)];
	for (int t = 2; t <= n && (stop_at == 0 || t <= stop_at); t++) {
		int pick = -1;
		for (int v = 0; v < n; v++)
			if (!in[v] && (pick < 0 || acc[v] < acc[pick]))
				pick = v;
		sum += acc[pick];
		q[t - 1] = pick;
		in[pick] = 1;
		for (int v = 0; v < n; v++)
			if (!in[v])
				acc[v] += m->x[pair_col(n, pick, v)];
		double vt = turan_pairs(t, K) - sum;
		if (vt > best) {
			best = vt;
			best_t = t;
		}
	}
	*viol = best;
	return best_t;
}

/* Turán cuts (everyone placed): type 4, i = start, j = set size. */
static int separate_turan(model *m, int *q, double *acc, unsigned char *in)
{
	for (int s = 0; s < m->n; s++) {
		double viol;
		int t = turan_grow(m, s, m->tmax, q, acc, in, &viol);
		if (t > 0 && cand_push(m, s, t, 0, 4, viol) < 0)
			return -1;
	}
	return 0;
}

static void commit_turan(model *m, int s, int t, int *q, double *acc, unsigned char *in)
{
	double viol;
	turan_grow(m, s, t, q, acc, in, &viol);
	row r = {0};
	for (int a = 0; a < t; a++)
		for (int b = a + 1; b < t; b++)
			row_add(m, &r, pair_col(m->n, q[a], q[b]), 1);
	row_commit(m, &r, GLP_LO, turan_pairs(t, m->kmax), 0);
}

static void commit_kclique(model *m, int s, int *q)
{
	int size = m->kmax + 1;
	kclique_grow(m, s, q);
	row r = {0};
	for (int a = 0; a < size; a++) {
		for (int b = a + 1; b < size; b++)
			row_add(m, &r, pair_col(m->n, q[a], q[b]), 1);
		row_add_placed(m, &r, q[a], -1);
	}
	row_commit(m, &r, GLP_LO, -m->kmax, 0);
}

/* Adds the most violated lazy rows at m->x; returns how many (or -1 on memory). */
static int separate(model *m)
{
	int n = m->n;
	m->ncand = 0;
	int rule_rows = separate_rules(m);
	if (separate_triangles(m) < 0)
		return -1;
	int *q = NULL;
	double *acc = NULL;
	unsigned char *in = NULL;
	int rc = 0;
	if (m->kcuts) {
		q = malloc((size_t)(n + 2) * sizeof(int));
		acc = malloc((size_t)(n + 1) * sizeof(double));
		in = malloc((size_t)n + 1);
		if (!q || !acc || !in)
			rc = -1;
		else if (m->p->everyone)
			rc = separate_turan(m, q, acc, in);
		else
			rc = separate_kcliques(m, q);
	}
	int added = 0;
	if (rc == 0) {
		int limit = m->cut_limit;
		if (m->ncand > limit)
			cand_select(m->cand, m->ncand, limit);
		for (int c = 0; c < m->ncand && added < limit; c++, added++) {
			struct cand *cd = &m->cand[c];
			if (cd->type == 3) {
				commit_kclique(m, cd->i, q);
				continue;
			}
			if (cd->type == 4) {
				commit_turan(m, cd->i, cd->j, q, acc, in);
				continue;
			}
			int a = cd->type == 0 ? cd->i : cd->type == 1 ? cd->j : cd->k; /* apex */
			int b = cd->type == 0 ? cd->j : cd->i;
			int e = cd->type == 2 ? cd->j : cd->k;
			row r = {0};
			row_add(m, &r, pair_col(n, a, b), 1);
			row_add(m, &r, pair_col(n, a, e), 1);
			row_add(m, &r, pair_col(n, b, e), -1);
			row_commit(m, &r, GLP_UP, 0, 1);
		}
	}
	free(q);
	free(acc);
	free(in);
	if (rc < 0)
		return -1;
	m->cuts += added + rule_rows;
	return added + rule_rows;
}

/* ---- decoding ---- */

static int find(int *parent, int i)
{
	while (parent[i] != i)
		i = parent[i] = parent[parent[i]];
	return i;
}

/* Turns 0/1 column values into an assignment; returns the number of consortia. */
static int decode(const model *m, const double *x, int *assign)
{
	const consort__problem *p = m->p;
	int n = m->n;
	if (p->nlots) {
		for (int i = 0; i < n; i++) {
			assign[i] = -1;
			for (int g = 0; g < p->nlots; g++)
				if (x[xcol(m, i, g)] > 0.5)
					assign[i] = g;
		}
		return p->nlots;
	}
	if (m->nslots) {
		/* Interchangeable slots: relabel in order of first members. */
		int label[64], k = 0;
		for (int g = 0; g < m->nslots && g < 64; g++)
			label[g] = -1;
		for (int i = 0; i < n; i++) {
			assign[i] = -1;
			for (int g = 0; g < m->nslots; g++)
				if (x[xcol(m, i, g)] > 0.5) {
					if (label[g] < 0)
						label[g] = k++;
					assign[i] = label[g];
				}
		}
		return k;
	}
	int *parent = malloc((size_t)(n ? n : 1) * sizeof(int));
	if (!parent)
		return -1;
	for (int i = 0; i < n; i++)
		parent[i] = i;
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (x[pair_col(n, i, j)] > 0.5)
				parent[find(parent, i)] = find(parent, j);
	/* Label consortia in order of their first member: label[root] once seen. */
	int *label = malloc((size_t)(n ? n : 1) * sizeof(int));
	if (!label) {
		free(parent);
		return -1;
	}
	int k = 0;
	for (int i = 0; i < n; i++)
		label[i] = -1;
	for (int i = 0; i < n; i++) {
		if (m->col_p && x[m->col_p + i] <= 0.5) {
			assign[i] = -1;
			continue;
		}
		int root = find(parent, i);
		if (label[root] < 0)
			label[root] = k++;
		assign[i] = label[root];
	}
	free(label);
	free(parent);
	return k;
}

/* Column values of an assignment (for the starting incumbent); x is 1-based. */
static void encode(const model *m, const int *assign_in, double *x)
{
	const consort__problem *p = m->p;
	int n = m->n;
	memset(x, 0, (size_t)(m->ncols + 1) * sizeof(double));
	int *assign = malloc((size_t)(n ? n : 1) * sizeof(int));
	int *label = malloc((size_t)(n ? n : 1) * sizeof(int));
	if (!assign || !label) {
		free(assign);
		free(label);
		return;
	}
	/* Interchangeable slots are labelled in order of first members. */
	int k = 0;
	for (int i = 0; i < n; i++)
		label[i] = -1;
	for (int i = 0; i < n; i++) {
		int a = assign_in[i];
		if (a >= 0 && !p->nlots && label[a] < 0)
			label[a] = k++;
		assign[i] = a < 0 || p->nlots ? a : label[a];
	}
	if (m->col_u)
		for (int g = 0; g < k && g < m->nslots; g++)
			x[m->col_u + g] = 1;
	for (int i = 0; i < n; i++) {
		if (assign[i] < 0)
			continue;
		if (m->col_p)
			x[m->col_p + i] = 1;
		int rep = 1;
		for (int j = 0; j < n; j++) {
			if (j == i || assign[j] != assign[i])
				continue;
			if (j > i)
				x[pair_col(n, i, j)] = 1;
			else
				rep = 0;
		}
		if (m->col_r)
			x[m->col_r + i] = rep;
		if (m->col_l && assign[i] < m->nslots)
			x[xcol(m, i, assign[i])] = 1;
	}
	if (m->col_t)
		x[m->col_t] = fmin(m->t_hi, consort__problem_min_fit(p, assign_in));
	free(assign);
	free(label);
}

/* ---- branch and cut ---- */

static void report(model *m)
{
	if (m->o->progress)
		m->o->progress(now() - m->t0, m->has_inc, m->inc, m->bound, m->o->progress_data);
}

/* Whether the bound is still hopelessly far from the start (options give_up_*). */
static int hopeless(model *m, double bound)
{
	if (m->give_up_at <= 0 || bound <= m->give_up_above || now() < m->give_up_at)
		return 0;
	m->gave_up = 1;
	return 1;
}

static void callback(glp_tree *T, void *info)
{
	model *m = info;
	glp_prob *lp = glp_ios_get_prob(T);
	switch (glp_ios_reason(T)) {
	case GLP_IROWGEN: {
		for (int c = 1; c <= m->ncols; c++)
			m->x[c] = glp_get_col_prim(lp, c);
		separate(m);
		break;
	}
	case GLP_IHEUR:
		if (!m->heur_done && m->o->start) {
			m->heur_done = 1;
			double *x = calloc((size_t)m->ncols + 1, sizeof(double));
			if (x) {
				encode(m, m->o->start, x);
				glp_ios_heur_sol(T, x);
				free(x);
			}
		}
		break;
	case GLP_ISELECT:
	case GLP_IBINGO: {
		int total;
		glp_ios_tree_size(T, NULL, NULL, &total);
		m->nodes = total;
		if (glp_mip_status(lp) == GLP_FEAS) {
			m->has_inc = 1;
			m->inc = glp_mip_obj_val(lp);
		}
		int best = glp_ios_best_node(T);
		if (best)
			m->bound = fmin(m->bound, glp_ios_node_bound(T, best));
		report(m);
		if ((m->deadline > 0 && now() >= m->deadline) || hopeless(m, m->bound))
			glp_ios_terminate(T);
		break;
	}
	default:
		break;
	}
}

/* Cutting-plane loop on the root LP. Returns 1 when the LP is infeasible,
 * 0 when done, negative on failure. */
/* Deletes lazy rows that are slack at the current LP optimum: they only slow
 * the next solves down, and are separated again if they become violated.
 * Removing rows whose auxiliary variable is basic keeps the basis valid. */
static void purge_slack_rows(model *m)
{
	int nrows = glp_get_num_rows(m->lp), k = 0;
	int *del = malloc((size_t)(nrows - m->base_rows + 1) * sizeof(int));
	if (!del)
		return;
	for (int i = m->base_rows + 1; i <= nrows; i++)
		if (glp_get_row_stat(m->lp, i) == GLP_BS)
			del[++k] = i;
	if (k > 0)
		glp_del_rows(m->lp, k, del);
	free(del);
}

static int root_loop(model *m, double *lp_bound)
{
	glp_smcp sm;
	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	sm.presolve = GLP_OFF;
	for (int round = 0;; round++) {
		if (round > 0)
			sm.meth = GLP_DUALP;
		if (m->deadline > 0) {
			double left = m->deadline - now();
			if (left <= 0)
				return 2;
			sm.tm_lim = (int)fmin(left * 1000 + 1, (double)INT_MAX);
		}
		int rc = glp_simplex(m->lp, &sm);
		m->rounds++;
		if (rc == GLP_ETMLIM)
			return 2;
		if (rc != 0)
			return CONSORT_ESOLVER;
		int st = glp_get_status(m->lp);
		if (st == GLP_NOFEAS)
			return 1;
		if (st != GLP_OPT)
			return CONSORT_ESOLVER;
		*lp_bound = glp_get_obj_val(m->lp);
		if (hopeless(m, *lp_bound))
			return 2;
		for (int c = 1; c <= m->ncols; c++)
			m->x[c] = glp_get_col_prim(m->lp, c);
		/* Purge before separating: new rows start basic and would go at once. */
		if (m->purge_every > 0 && round > 0 && round % m->purge_every == 0)
			purge_slack_rows(m);
		int added = separate(m);
		if (added < 0)
			return CONSORT_ENOMEM;
		if (added == 0)
			return 0;
	}
}

/* GLPK's own terminal output, kept for the error message instead of printed.
 * GLPK keeps its environment per thread (Debian's build has glp_config("TLS")),
 * and so does this buffer. */
static _Thread_local char glpk_said[256];

static int glpk_term(void *info, const char *text)
{
	(void)info;
	size_t used = strlen(glpk_said);
	if (used + 1 < sizeof(glpk_said))
		snprintf(glpk_said + used, sizeof(glpk_said) - used, "%s", text);
	return 1; /* never print */
}

static void glpk_hook(void *info)
{
	/* GLPK would abort(); free its environment and jump back to the caller. */
	glp_free_env();
	longjmp(*(jmp_buf *)info, 1);
}

static void model_free(model *m)
{
	free(m->lo);
	free(m->hi);
	free(m->sel);
	free(m->x);
	free(m->ind);
	free(m->val);
	free(m->cand);
}

static int solve_model(consort__ilp_result *res, model *m, consort_error *err)
{
	const consort__problem *p = m->p;
	int rc = build_model(m);
	if (rc < 0)
		return consort__error_nomem(err);
	if (m->infeasible) {
		res->status = CONSORT_STATUS_INFEASIBLE;
		return 0;
	}
	if (m->out_of_time) {
		res->status = CONSORT_STATUS_STOPPED; /* no bound either */
		return 0;
	}
	m->base_rows = glp_get_num_rows(m->lp);
	double lp_bound = HUGE_VAL, t_root = now();
	rc = root_loop(m, &lp_bound);
	res->root_seconds = now() - t_root;
	if (rc < 0)
		return rc == CONSORT_ENOMEM ? consort__error_nomem(err)
			: consort__error(err, CONSORT_ESOLVER, "GLPK could not solve the LP relaxation");
	if (rc == 1) {
		res->status = CONSORT_STATUS_INFEASIBLE;
		return 0;
	}
	m->bound = lp_bound;
	res->root_bound = lp_bound;
	if (rc == 0) {
		glp_iocp io;
		glp_init_iocp(&io);
		io.msg_lev = GLP_MSG_OFF;
		io.presolve = GLP_OFF;
		io.sr_heur = GLP_OFF; /* every incumbent must pass the lazy rows */
		io.fp_heur = GLP_OFF;
		io.ps_heur = GLP_OFF;
		/* Most-fractional branching and best-bound search measured best on
		 * workshop sessions; GLPK's generic cuts only slowed the LPs down. */
		io.br_tech = m->branching;
		/* Without an objective every node has the same bound: dive for a solution. */
		io.bt_tech = m->o->feasibility ? GLP_BT_DFS : GLP_BT_BLB;
		io.mip_gap = 0;
		io.cb_func = callback;
		io.cb_info = m;
		if (m->deadline > 0)
			io.tm_lim = (int)fmin(fmax(1, (m->deadline - now()) * 1000), (double)INT_MAX);
		int irc = glp_intopt(m->lp, &io);
		if (irc != 0 && irc != GLP_ETMLIM && irc != GLP_ESTOP && irc != GLP_ENOPFS && irc != GLP_ENODFS)
			return consort__error(err, CONSORT_ESOLVER, "GLPK branch and cut failed (code %d)", irc);
		int ms = glp_mip_status(m->lp);
		if (ms == GLP_NOFEAS || irc == GLP_ENOPFS) {
			res->status = CONSORT_STATUS_INFEASIBLE;
			return 0;
		}
		if (ms == GLP_OPT || ms == GLP_FEAS) {
			double *x = calloc((size_t)m->ncols + 1, sizeof(double));
			res->assign = malloc((size_t)(m->n ? m->n : 1) * sizeof(int));
			if (!x || !res->assign) {
				free(x);
				return consort__error_nomem(err);
			}
			for (int c = 1; c <= m->ncols; c++)
				x[c] = glp_mip_col_val(m->lp, c);
			res->k = decode(m, x, res->assign);
			free(x);
			if (res->k < 0)
				return consort__error_nomem(err);
			res->objective = m->col_t ? fmin(m->t_hi, consort__problem_min_fit(p, res->assign))
				: consort__problem_objective(p, res->assign);
			if (ms == GLP_OPT && irc == 0) {
				res->status = CONSORT_STATUS_OPTIMAL;
				res->bound = res->objective;
			} else {
				res->status = CONSORT_STATUS_FEASIBLE;
				res->bound = fmax(m->bound, res->objective);
			}
			return 0;
		}
	}
	/* Limit reached without an integer solution of GLPK's own. */
	res->status = CONSORT_STATUS_STOPPED;
	res->bound = m->bound;
	return 0;
}

int consort__ilp_solve(consort__ilp_result *res, const consort__problem *p,
	const consort__ilp_options *o, consort_error *err)
{
	memset(res, 0, sizeof(*res));
	res->bound = HUGE_VAL;
	model mm;
	memset(&mm, 0, sizeof(mm));
	mm.p = p;
	mm.o = o;
	mm.n = p->n;
	mm.t0 = now();
	mm.deadline = o->time_limit > 0 ? mm.t0 + o->time_limit : 0;
	mm.bound = HUGE_VAL;
	if (o->start && o->give_up_gap > 0 && !o->maxmin) {
		double s0 = consort__problem_objective(p, o->start);
		mm.give_up_above = s0 + o->give_up_gap * fmax(1, fabs(s0));
		mm.give_up_at = mm.t0 + fmax(0, o->give_up_after);
	}
	/* volatile: the pointer must survive a longjmp from GLPK's error hook. */
	model *volatile m = &mm;
	int rc;
	jmp_buf env;
	glpk_said[0] = '\0';
	glp_term_hook(glpk_term, NULL);
	glp_term_out(GLP_OFF);
	if (setjmp(env)) {
		glp_error_hook(NULL, NULL);
		glp_term_hook(NULL, NULL);
		model_free(m);
		consort__ilp_result_dispose(res);
		char *nl = strchr(glpk_said, '\n');
		if (nl)
			*nl = '\0';
		return consort__error(err, CONSORT_ESOLVER, "GLPK failed internally (%s); the solve was abandoned",
			glpk_said[0] ? glpk_said : "no message");
	}
	glp_error_hook(glpk_hook, &env);
	rc = solve_model(res, m, err);
	res->cuts = m->cuts;
	res->root_rounds = m->rounds;
	res->nodes = m->nodes;
	res->gave_up = m->gave_up;
	if (m->lp)
		glp_delete_prob(m->lp);
	glp_error_hook(NULL, NULL);
	glp_term_hook(NULL, NULL);
	model_free(m);
	if (rc < 0)
		consort__ilp_result_dispose(res);
	return rc;
}

void consort__ilp_thread_cleanup(void)
{
	glp_free_env();
}
