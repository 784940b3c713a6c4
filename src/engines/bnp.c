/* Branch and price over the set-partitioning formulation (see bnp.h).
 *
 * The restricted master, in GLPK (maximize):
 *   sum_c w(c) x_c - M sum a
 *   row i (each participant not pinned outside):
 *       sum_{c ∋ i} x_c + a_i  = 1   (must be placed: everyone, together, pins)
 *                              <= 1  (may stay outside)
 *   unlabeled: kmin <= sum_c x_c + a_K <= kmax
 *   lots:      sum_{c of lot t} x_c + a_t = 1   (each lot is formed)
 * where the artificials a (cost M above the largest possible objective range)
 * keep every restricted master feasible. A solution with an artificial at 1
 * is worth less than any solution of the rules, so a node whose LP value
 * falls below the least possible objective has none.
 *
 * A node's decisions: pairs together (same) or apart (diff), closed
 * transitively (classes of same, diff between classes); participants placed
 * (in) or outside (out); with lots, a participant in lot t or not in lot t,
 * and the size range of each lot. A column is compatible with a node when it
 * holds every class whole, no two classes apart, nobody out, nobody where its
 * lot decision forbids and, with lots, its size within its lot's range;
 * incompatible columns are fixed at 0.
 *
 * Branching, in order: with lots, a lot whose LP columns have two sizes
 * (sizes up to s, or above s: workshop lots with wide size ranges make the LP
 * mix a small and a large column of one lot, and this split closes their gap
 * in a few nodes where pair branching needed hundreds); a fractional pair
 * (Ryan-Foster: together or apart); a fractional placement; a participant's
 * fractional lot. Pricing searches, for each column type
 * (the one global group, or each lot), the subsets of classes with the
 * largest reduced cost w(c) - sum pi_i - mu_t, pruned by a bound of half of
 * each class's best positive weights within the room left (its proof of
 * "no column with positive reduced cost" makes the LP value a bound).
 *
 * The LP value is a bound only up to GLPK's floating point, as in ilp.c;
 * with weights on a grid (ratings give halves) it is rounded down to the
 * grid, which closes most nodes at once. */
#include "bnp.h"
#include "error.h"

#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KEEP 12         /* columns kept per pricing call */
#define RC_TOL 1e-9     /* reduced cost that counts as positive (relative to the weight scale) */
#define X_TOL 1e-6      /* LP values this close to 0 or 1 count as integral */
#define CHECK_EVERY 2048
#define NARROW 1        /* size ranges this wide (max - min) get price_bound_fixed */

typedef struct col {
	uint64_t m;
	int type;
	double w;
} col;

typedef struct found {
	uint64_t m;
	double rc, w;
} found;

/* The decisions of a node (saved and restored around each child). */
typedef struct decisions {
	uint64_t same[CONSORT_BNP_MAX_N], diff[CONSORT_BNP_MAX_N];
	uint64_t in, out;
	uint64_t *lotin, *lotout; /* T masks each */
	uint8_t smin[CONSORT_BNP_MAX_N + 1], smax[CONSORT_BNP_MAX_N + 1]; /* with lots: the size range of each lot */
} decisions;

typedef struct bnp {
	const consort__problem *p;
	int n, T, labeled, nsec, nserv;
	uint64_t all;           /* participants with a row */
	uint64_t must;          /* rows that must be covered */
	uint64_t *secm;         /* nsec: members of each sector */
	uint64_t *offm;         /* n: services each participant offers, as a mask */
	uint64_t *typeok;       /* T: who may be in a column of type t (pins) */
	const consort__group **gc; /* T */
	int *cap;               /* T: the most members a column of type t can have in any solution */
	int *seccap;            /* T * nsec: the same for each sector */
	int *own;               /* T: the fewest members of a column of type t (size and sector minimums) */
	double M, lowest, scale, grid;
	int heuristic_pricing;  /* price_greedy before the exact search (not with o->exact_pricing) */
	decisions dc;

	col *cols;
	int ncols, capcols;
	uint64_t *hkeys;        /* open addressing set of (mask, type), capacity hcap */
	int *hvals;
	int hcap;
	glp_prob *lp;
	int nrows, base;        /* GLPK column of pool column c: base + c + 1 */
	double *pi, mu[CONSORT_BNP_MAX_N + 1];

	/* pricing scratch, by item (class) */
	int m;
	uint64_t imask[CONSORT_BNP_MAX_N];
	int isz[CONSORT_BNP_MAX_N];
	uint64_t ioff[CONSORT_BNP_MAX_N];
	uint64_t idiff[CONSORT_BNP_MAX_N];
	int *isec;              /* CONSORT_BNP_MAX_N * nsec */
	double ia[CONSORT_BNP_MAX_N];   /* inner weight - pi */
	double iW[CONSORT_BNP_MAX_N][CONSORT_BNP_MAX_N];
	double *tops;           /* (m)(m+1)(MAX_N+1): sum of the r best positive iW[v][x], x >= k, x != v */
	double *tops_all;       /* the same over every link, negative ones too (-inf past their count); narrow ranges only */
	int narrow;             /* the type being priced has at most NARROW + 1 sizes at this node */
	int remsz[CONSORT_BNP_MAX_N + 1];
	int *remsec;            /* (m+1)*nsec */
	uint64_t remoff[CONSORT_BNP_MAX_N + 1];
	double link[CONSORT_BNP_MAX_N];
	int cnt[64];            /* sector counts of the column being built (nsec <= 64) */
	const consort__group *pg;
	uint64_t need;          /* services the column must cover */
	int ptype, pmin, pcap;  /* the type being priced and its size range at this node */
	double shift, shift_at; /* exact search: values with pi - shift per member, less shift * shift_at (see dual_shift) */
	uint64_t chosen;        /* participants */
	uint64_t offered;       /* services they offer */
	uint64_t chosen_items;
	int size;
	double val, thr;
	double floor_rc;        /* pricing ignores columns at or below this reduced cost (see closing_share) */
	found keep[KEEP];
	int nkeep;
	double hv[CONSORT_BNP_MAX_N];

	long nodes, pnodes;
	double t0, deadline;
	const consort__bnb_options *o; /* for its progress callback */
	double next_report;
	double root_bound;      /* the root's LP bound once known (a bound on every solution), else +inf */
	int stopped, unsure;
	int has_inc;
	double inc;
	int *best, best_k;
	int *assign;
	double open_bound;      /* the largest bound of a node left unexplored */
} bnp;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int consort__bnp_supported(const consort__problem *p)
{
	return p->n >= 1 && p->n <= CONSORT_BNP_MAX_N && p->kmax >= 1 && !p->maxmin && p->nexclude == 0 &&
	       p->nserv <= 64 && p->nsec <= 64 && p->nlots <= CONSORT_BNP_MAX_N;
}

static int time_up(bnp *b)
{
	if (b->stopped)
		return 1;
	double t = now();
	if (b->deadline > 0 && t >= b->deadline)
		b->stopped = 1;
	if (!b->stopped && b->o->progress && t >= b->next_report) {
		b->next_report = t + consort__bnb_progress_every(b->o);
		b->o->progress(t - b->t0, b->has_inc, b->inc, b->root_bound, b->o->progress_data);
	}
	return b->stopped;
}

/* ---- the column pool ---- */

static uint64_t key_of(uint64_t m, int type)
{
	uint64_t k = m * 0x9E3779B97F4A7C15ull ^ ((uint64_t)(type + 1) * 0xC2B2AE3D27D4EB4Full);
	return k ? k : 1;
}

static int pool_find(const bnp *b, uint64_t m, int type)
{
	if (!b->hcap)
		return -1;
	uint64_t k = key_of(m, type);
	for (int h = (int)(k % (uint64_t)b->hcap);; h = (h + 1) % b->hcap) {
		if (!b->hkeys[h])
			return -1;
		if (b->hkeys[h] == k && b->cols[b->hvals[h]].m == m && b->cols[b->hvals[h]].type == type)
			return b->hvals[h];
	}
}

static int pool_rehash(bnp *b, int cap)
{
	uint64_t *k = calloc((size_t)cap, sizeof(uint64_t));
	int *v = calloc((size_t)cap, sizeof(int));
	if (!k || !v) {
		free(k), free(v);
		return -1;
	}
	free(b->hkeys), free(b->hvals);
	b->hkeys = k, b->hvals = v, b->hcap = cap;
	for (int c = 0; c < b->ncols; c++) {
		uint64_t key = key_of(b->cols[c].m, b->cols[c].type);
		int h = (int)(key % (uint64_t)cap);
		while (b->hkeys[h])
			h = (h + 1) % cap;
		b->hkeys[h] = key;
		b->hvals[h] = c;
	}
	return 0;
}

static double weight_of(const bnp *b, uint64_t m)
{
	double w = 0;
	int n = b->n;
	for (uint64_t r = m; r; r &= r - 1) {
		int i = __builtin_ctzll(r);
		for (uint64_t s = r & (r - 1); s; s &= s - 1)
			w += b->p->w[i * n + __builtin_ctzll(s)];
	}
	return w;
}

/* Adds a column to the pool and the LP (at bound 0 until compatible);
 * returns its index, or -1 on memory. */
static int pool_add(bnp *b, uint64_t m, int type)
{
	int at = pool_find(b, m, type);
	if (at >= 0)
		return at;
	if (b->ncols == b->capcols) {
		int cap = b->capcols ? 2 * b->capcols : 256;
		col *c = realloc(b->cols, (size_t)cap * sizeof(col));
		if (!c)
			return -1;
		b->cols = c, b->capcols = cap;
	}
	if (2 * (b->ncols + 1) > b->hcap && pool_rehash(b, b->hcap ? 2 * b->hcap : 1024) < 0)
		return -1;
	int c = b->ncols++;
	b->cols[c].m = m;
	b->cols[c].type = type;
	b->cols[c].w = weight_of(b, m);
	uint64_t key = key_of(m, type);
	int h = (int)(key % (uint64_t)b->hcap);
	while (b->hkeys[h])
		h = (h + 1) % b->hcap;
	b->hkeys[h] = key;
	b->hvals[h] = c;

	int ind[CONSORT_BNP_MAX_N + 2], k = 0;
	double val[CONSORT_BNP_MAX_N + 2];
	for (uint64_t r = m; r; r &= r - 1) {
		ind[++k] = __builtin_ctzll(r) + 1;
		val[k] = 1;
	}
	ind[++k] = b->n + 1 + type;
	val[k] = 1;
	int j = glp_add_cols(b->lp, 1);
	glp_set_mat_col(b->lp, j, k, ind, val);
	glp_set_obj_coef(b->lp, j, b->cols[c].w);
	glp_set_col_bnds(b->lp, j, GLP_LO, 0, 0);
	return c;
}

/* ---- decisions and compatibility ---- */

static int compatible(const bnp *b, uint64_t m, int type)
{
	const decisions *d = &b->dc;
	if (m & (d->out | ~b->typeok[type]))
		return 0;
	if (b->labeled) {
		int sz = __builtin_popcountll(m);
		if (sz < d->smin[type] || sz > d->smax[type])
			return 0;
		if (m & d->lotout[type])
			return 0;
		for (int t = 0; t < b->T; t++)
			if (t != type && (m & d->lotin[t]))
				return 0;
	}
	for (uint64_t r = m; r; r &= r - 1) {
		int i = __builtin_ctzll(r);
		if ((d->same[i] & ~m) || (d->diff[i] & m))
			return 0;
	}
	return 1;
}

static uint64_t class_of(const bnp *b, int i)
{
	return b->dc.same[i] | ((uint64_t)1 << i);
}

/* Puts i and j together; 0 when that contradicts an apart decision. */
static int decide_same(bnp *b, int i, int j)
{
	uint64_t A = class_of(b, i), B = class_of(b, j);
	uint64_t U = A | B, D = b->dc.diff[i] | b->dc.diff[j];
	if (D & U)
		return 0;
	for (uint64_t r = U; r; r &= r - 1) {
		int a = __builtin_ctzll(r);
		b->dc.same[a] = U & ~((uint64_t)1 << a);
		b->dc.diff[a] = D;
	}
	for (uint64_t r = D; r; r &= r - 1)
		b->dc.diff[__builtin_ctzll(r)] |= U;
	return 1;
}

/* Keeps i and j apart; 0 when they are together already. */
static int decide_diff(bnp *b, int i, int j)
{
	uint64_t A = class_of(b, i), B = class_of(b, j);
	if (A & B)
		return 0;
	for (uint64_t r = A; r; r &= r - 1)
		b->dc.diff[__builtin_ctzll(r)] |= B;
	for (uint64_t r = B; r; r &= r - 1)
		b->dc.diff[__builtin_ctzll(r)] |= A;
	return 1;
}

static void save(const bnp *b, decisions *s)
{
	uint64_t *li = s->lotin, *lo = s->lotout;
	*s = b->dc;
	s->lotin = li, s->lotout = lo;
	if (b->labeled) {
		memcpy(li, b->dc.lotin, (size_t)b->T * sizeof(uint64_t));
		memcpy(lo, b->dc.lotout, (size_t)b->T * sizeof(uint64_t));
	}
}

static void restore(bnp *b, const decisions *s)
{
	uint64_t *li = b->dc.lotin, *lo = b->dc.lotout;
	b->dc = *s;
	b->dc.lotin = li, b->dc.lotout = lo;
	if (b->labeled) {
		memcpy(li, s->lotin, (size_t)b->T * sizeof(uint64_t));
		memcpy(lo, s->lotout, (size_t)b->T * sizeof(uint64_t));
	}
}

/* The rows and columns of the LP under the current decisions. */
static void apply(bnp *b)
{
	uint64_t must = b->must | b->dc.in;
	if (b->labeled)
		for (int t = 0; t < b->T; t++)
			must |= b->dc.lotin[t];
	for (int i = 0; i < b->n; i++) {
		if (!((b->all >> i) & 1))
			continue;
		if ((must >> i) & 1)
			glp_set_row_bnds(b->lp, i + 1, GLP_FX, 1, 1);
		else
			glp_set_row_bnds(b->lp, i + 1, GLP_UP, 0, 1);
	}
	for (int c = 0; c < b->ncols; c++) {
		int ok = compatible(b, b->cols[c].m, b->cols[c].type);
		int j = b->base + c + 1;
		int was = glp_get_col_type(b->lp, j);
		if (ok && was != GLP_LO)
			glp_set_col_bnds(b->lp, j, GLP_LO, 0, 0);
		else if (!ok && was != GLP_FX)
			glp_set_col_bnds(b->lp, j, GLP_FX, 0, 0);
	}
}

/* ---- pricing ---- */

static void record(bnp *b)
{
	double rc = b->val - b->shift * (b->size - b->shift_at); /* the true reduced cost */
	if (rc <= b->thr)
		return;
	/* the rules that only a whole column can meet */
	const consort__group *g = b->pg;
	if (b->size < b->pmin)
		return;
	for (int s = 0; s < b->nsec; s++)
		if (b->cnt[s] < g->sec_min[s])
			return;
	if (b->need & ~b->offered)
		return;
	if (b->p->has_min_fit) {
		double x = b->p->min_fit - consort__min_fit_tolerance(b->p->min_fit);
		for (uint64_t r = b->chosen; r; r &= r - 1) {
			int i = __builtin_ctzll(r);
			double fit = 0;
			for (uint64_t s = b->chosen; s; s &= s - 1)
				fit += b->p->w[i * b->n + __builtin_ctzll(s)];
			if (fit < x)
				return;
		}
	}
	for (int k = 0; k < b->nkeep; k++)
		if (b->keep[k].m == b->chosen)
			return; /* found again (the greedy's seeds) */
	/* keep the KEEP best */
	int at = b->nkeep;
	if (b->nkeep == KEEP) {
		at = 0;
		for (int k = 1; k < KEEP; k++)
			if (b->keep[k].rc < b->keep[at].rc)
				at = k;
	} else {
		b->nkeep++;
	}
	b->keep[at].m = b->chosen;
	b->keep[at].rc = rc;
	if (b->nkeep == KEEP) {
		double lo = HUGE_VAL;
		for (int k = 0; k < KEEP; k++)
			lo = fmin(lo, b->keep[k].rc);
		if (lo > b->thr)
			b->thr = lo;
	}
}

/* Moves the largest of hv[a..h-1] to hv[a] and returns it (one step of a
 * selection: price_bound_fixed needs only the q largest). */
static inline double select_largest(double *hv, int a, int h)
{
	int hi = a;
	for (int c = a + 1; c < h; c++)
		if (hv[c] > hv[hi])
			hi = c;
	double t = hv[a];
	hv[a] = hv[hi];
	hv[hi] = t;
	return hv[a];
}

/* The bound of every column that adds items k.. to the current one: each
 * item's value with the current column, its own weight and half of its best
 * positive links to later items within the room left; the largest of them,
 * at most `room` items, and at least as many as the least size still
 * demands (those even when their value is negative). */
static double price_bound(bnp *b, int k)
{
	int room = b->pcap - b->size;
	if (room <= 0 || k >= b->m)
		return b->val;
	int m = b->m, h = 0, big = 1;
	for (int v = k; v < m; v++) {
		if (b->isz[v] > room || (b->idiff[v] & b->chosen))
			continue;
		int r = room - b->isz[v];
		if (r > m)
			r = m;
		b->hv[h++] = b->ia[v] + b->link[v] + 0.5 * b->tops[((size_t)v * (m + 1) + k) * (CONSORT_BNP_MAX_N + 1) + r];
		if (b->isz[v] > big)
			big = b->isz[v];
	}
	int lack = b->pmin - b->size, forced = lack > 0 ? (lack + big - 1) / big : 0;
	if (forced > h)
		return -HUGE_VAL; /* the least size is out of reach */
	/* the values in descending order, as far as they count */
	double sum = b->val;
	int most = room < h ? room : h;
	for (int a = 0; a < most; a++) {
		/* inline rather than select_largest: 4 % fewer instructions in all */
		int hi = a;
		for (int c = a + 1; c < h; c++)
			if (b->hv[c] > b->hv[hi])
				hi = c;
		double t = b->hv[a];
		b->hv[a] = b->hv[hi];
		b->hv[hi] = t;
		if (a >= forced && b->hv[a] <= 0)
			break;
		sum += b->hv[a];
	}
	return sum;
}

/* With a narrow size range, where the column must still grow (duals on a
 * lot of fixed size can be far apart, and price_bound then adds up the
 * items of the largest value alone, whatever their links): for each number q
 * of items still to add, every one of them has exactly q - 1 partners among
 * them, so its value counts half of its q - 1 best links to later items,
 * negative ones too; the largest over the q the sizes allow of the q best
 * values. Returns as soon as one q exceeds thr (the caller only asks whether
 * the bound is above it). */
static double price_bound_fixed(bnp *b, int k, double thr)
{
	int room = b->pcap - b->size;
	if (room <= 0 || k >= b->m)
		return b->val;
	int m = b->m, h = 0;
	int cand[CONSORT_BNP_MAX_N], nsz[CONSORT_BNP_MAX_N + 1];
	memset(nsz, 0, (size_t)(room + 1) * sizeof(int));
	for (int v = k; v < m; v++) {
		if (b->isz[v] > room || (b->idiff[v] & b->chosen))
			continue;
		cand[h++] = v;
		nsz[b->isz[v]]++;
	}
	/* the fewest items that reach the least size (the largest first), the
	 * most that fit (the smallest first) */
	int lack = b->pmin - b->size, qmin = 0, qmax = 0, got = 0;
	for (int z = room; z >= 1 && got < lack; z--)
		for (int c = 0; c < nsz[z] && got < lack; c++)
			got += z, qmin++;
	if (got < lack)
		return -HUGE_VAL;
	got = 0;
	for (int z = 1; z <= room; z++)
		for (int c = 0; c < nsz[z] && got + z <= room; c++)
			got += z, qmax++;
	if (qmin > qmax)
		return -HUGE_VAL;
	double best = qmin == 0 ? b->val : -HUGE_VAL;
	if (best > thr)
		return best;
	const int R = CONSORT_BNP_MAX_N + 1;
	for (int q = qmax; q >= 1 && q >= qmin; q--) {
		for (int a = 0; a < h; a++) {
			int v = cand[a];
			b->hv[a] = b->ia[v] + b->link[v] + 0.5 * b->tops_all[((size_t)v * (m + 1) + k) * R + q - 1];
		}
		double sum = b->val;
		for (int a = 0; a < q; a++)
			sum += select_largest(b->hv, a, h);
		if (sum > best)
			best = sum;
		if (best > thr)
			return best;
	}
	return best;
}

static void price_dfs(bnp *b, int k)
{
	if (k >= b->m || b->stopped)
		return;
	if (++b->pnodes % CHECK_EVERY == 0 && time_up(b))
		return;
	const consort__group *g = b->pg;
	/* can the rest still fill the minimums? */
	if (b->size + b->remsz[k] < b->pmin)
		return;
	for (int s = 0; s < b->nsec; s++)
		if (b->cnt[s] + b->remsec[k * b->nsec + s] < g->sec_min[s])
			return;
	if (b->need & ~(b->offered | b->remoff[k]))
		return;
	if (price_bound(b, k) <= b->thr)
		return;
	if (b->narrow && b->size < b->pmin && price_bound_fixed(b, k, b->thr) <= b->thr)
		return;
	/* with item k */
	int ok = b->size + b->isz[k] <= b->pcap && !(b->idiff[k] & b->chosen);
	const int *seccap = b->seccap + (size_t)b->ptype * b->nsec;
	for (int s = 0; ok && s < b->nsec; s++)
		ok = b->cnt[s] + b->isec[k * b->nsec + s] <= seccap[s];
	if (ok) {
		double add = b->ia[k] + b->link[k];
		b->val += add;
		b->size += b->isz[k];
		b->chosen |= b->imask[k];
		uint64_t offered = b->offered;
		b->offered |= b->ioff[k];
		for (int s = 0; s < b->nsec; s++)
			b->cnt[s] += b->isec[k * b->nsec + s];
		for (int v = k + 1; v < b->m; v++)
			b->link[v] += b->iW[k][v];
		record(b);
		price_dfs(b, k + 1);
		for (int v = k + 1; v < b->m; v++)
			b->link[v] -= b->iW[k][v];
		for (int s = 0; s < b->nsec; s++)
			b->cnt[s] -= b->isec[k * b->nsec + s];
		b->offered = offered;
		b->chosen &= ~b->imask[k];
		b->size -= b->isz[k];
		b->val -= add;
	}
	/* without it */
	price_dfs(b, k + 1);
}

/* The sizes a column of type t may have at this node: its rules, its caps,
 * and with lots the size ranges that branching gave every lot (the other
 * lots take at least their minimums; when everyone is placed, they hold at
 * most their maximums of the rest). */
static void size_range(const bnp *b, int t, int *lo, int *hi)
{
	*lo = b->gc[t]->size_min;
	*hi = b->cap[t];
	if (!b->labeled)
		return;
	const decisions *d = &b->dc;
	int avail = __builtin_popcountll(b->all & ~d->out), others_min = 0, others_max = 0;
	for (int u = 0; u < b->T; u++) {
		if (u == t)
			continue;
		others_min += b->own[u] > d->smin[u] ? b->own[u] : d->smin[u];
		others_max += b->cap[u] < d->smax[u] ? b->cap[u] : d->smax[u];
	}
	if (d->smin[t] > *lo)
		*lo = d->smin[t];
	if ((b->must | d->in) == b->all && avail - others_max > *lo)
		*lo = avail - others_max;
	if (d->smax[t] < *hi)
		*hi = d->smax[t];
	if (avail - others_min < *hi)
		*hi = avail - others_min;
}

/* Starts an empty column of the type being priced (worth -mu). */
static void clear_column(bnp *b)
{
	b->chosen = b->offered = b->chosen_items = 0;
	b->size = 0;
	memset(b->cnt, 0, sizeof(b->cnt));
	for (int v = 0; v < b->m; v++)
		b->link[v] = 0;
	b->val = -b->mu[b->ptype] - b->shift * b->shift_at;
}

/* Adds item k to the column being built (price_dfs and the greedy). */
static void take_item(bnp *b, int k)
{
	b->val += b->ia[k] + b->link[k];
	b->size += b->isz[k];
	b->chosen |= b->imask[k];
	b->chosen_items |= (uint64_t)1 << k;
	b->offered |= b->ioff[k];
	for (int s = 0; s < b->nsec; s++)
		b->cnt[s] += b->isec[k * b->nsec + s];
	for (int v = 0; v < b->m; v++)
		b->link[v] += b->iW[k][v];
}

/* Whether item k may join the column being built (size cap, apart pairs, sector caps). */
static int item_fits(const bnp *b, int k)
{
	if (((b->chosen_items >> k) & 1) || b->size + b->isz[k] > b->pcap || (b->idiff[k] & b->chosen))
		return 0;
	const int *seccap = b->seccap + (size_t)b->ptype * b->nsec;
	for (int s = 0; s < b->nsec; s++)
		if (b->cnt[s] + b->isec[k * b->nsec + s] > seccap[s])
			return 0;
	return 1;
}

static void drop_item(bnp *b, int k)
{
	for (int v = 0; v < b->m; v++)
		b->link[v] -= b->iW[k][v];
	for (int s = 0; s < b->nsec; s++)
		b->cnt[s] -= b->isec[k * b->nsec + s];
	b->chosen &= ~b->imask[k];
	b->chosen_items &= ~((uint64_t)1 << k);
	b->size -= b->isz[k];
	b->val -= b->ia[k] + b->link[k];
	/* offered: rebuilt from the items left */
	b->offered = 0;
	for (uint64_t r = b->chosen_items; r; r &= r - 1)
		b->offered |= b->ioff[__builtin_ctzll(r)];
}

/* Whether item u may replace item v (v chosen, u not). */
static int swap_fits(const bnp *b, int u, int v)
{
	int size = b->size - b->isz[v] + b->isz[u];
	if (size > b->pcap || (size < b->pmin && size < b->size) || (b->idiff[u] & (b->chosen & ~b->imask[v])))
		return 0;
	const int *seccap = b->seccap + (size_t)b->ptype * b->nsec;
	for (int s = 0; s < b->nsec; s++)
		if (b->cnt[s] - b->isec[v * b->nsec + s] + b->isec[u * b->nsec + s] > seccap[s])
			return 0;
	return 1;
}

/* Local search from the current column: the best of adding, dropping or
 * swapping one item while it gains; each column on the way goes to record(). */
static void price_improve(bnp *b)
{
	int m = b->m;
	for (int step = 0; step < 4 * m; step++) {
		double gain = 1e-12 * b->scale;
		int in = -1, out = -1;
		for (int u = 0; u < m; u++) {
			if ((b->chosen_items >> u) & 1) {
				double loss = b->ia[u] + b->link[u];
				if (b->size - b->isz[u] >= b->pmin && -loss > gain)
					gain = -loss, in = -1, out = u;
				continue;
			}
			double add = b->ia[u] + b->link[u];
			if (add > gain && item_fits(b, u))
				gain = add, in = u, out = -1;
			for (uint64_t r = b->chosen_items; r; r &= r - 1) {
				int v = __builtin_ctzll(r);
				double g = add - b->iW[u][v] - (b->ia[v] + b->link[v]);
				if (g > gain && swap_fits(b, u, v))
					gain = g, in = u, out = v;
			}
		}
		if (in < 0 && out < 0)
			return;
		if (out >= 0)
			drop_item(b, out);
		if (in >= 0)
			take_item(b, in);
		record(b);
	}
}


/* Heuristic pricing: from each item, add the item of the largest gain while
 * one fits (up to the size cap: with large duals every item alone loses and
 * only a large column gains, by its many links), then improve by local
 * search; every column on the way that meets the rules is offered to
 * record(). Finds most columns of positive reduced cost at a fraction of the
 * exact search's cost; proves nothing. */
static void price_greedy(bnp *b)
{
	int m = b->m;
	for (int seed = 0; seed < m; seed++) {
		clear_column(b);
		if (!item_fits(b, seed))
			continue;
		take_item(b, seed);
		record(b);
		for (;;) {
			int pick = -1;
			double gain = -HUGE_VAL;
			for (int v = 0; v < m; v++)
				if (item_fits(b, v) && b->ia[v] + b->link[v] > gain) {
					gain = b->ia[v] + b->link[v];
					pick = v;
				}
			if (pick < 0)
				break;
			take_item(b, pick);
			record(b);
		}
		price_improve(b);
	}
}

/* For each item v and each start k, the sums of v's r best links to the
 * items k.. (r = 0..m): of the positive ones only (positive_only: past
 * their count the sum stays), or of all of them (past their count -inf:
 * there are not r of them). */
static void link_tops(bnp *b, double *table, int positive_only)
{
	int m = b->m;
	const int R = CONSORT_BNP_MAX_N + 1;
	for (int v = 0; v < m; v++) {
		double best[CONSORT_BNP_MAX_N];
		int nb = 0;
		for (int k = m; k >= 0; k--) {
			if (k < m && k != v && (!positive_only || b->iW[v][k] > 0)) {
				/* insert keeping best descending */
				double w = b->iW[v][k];
				int at = nb++;
				while (at > 0 && best[at - 1] < w) {
					best[at] = best[at - 1];
					at--;
				}
				best[at] = w;
			}
			double *tp = table + ((size_t)v * (m + 1) + k) * R;
			double sum = 0;
			tp[0] = 0;
			for (int r = 1; r <= m; r++) {
				if (r <= nb)
					sum += best[r - 1];
				tp[r] = r <= nb || positive_only ? sum : -HUGE_VAL;
			}
		}
	}
}

/* The tables of the exact search over items k..: their sizes, sectors and
 * services (the minimums' checks), and each item's best links to them (the
 * bounds); tops_all only for a narrow size range (price_bound_fixed). */
static void suffix_tables(bnp *b)
{
	int m = b->m, nsec = b->nsec;
	b->remsz[m] = 0;
	b->remoff[m] = 0;
	for (int s = 0; s < nsec; s++)
		b->remsec[m * nsec + s] = 0;
	for (int k = m - 1; k >= 0; k--) {
		b->remsz[k] = b->remsz[k + 1] + b->isz[k];
		b->remoff[k] = b->remoff[k + 1] | b->ioff[k];
		for (int s = 0; s < nsec; s++)
			b->remsec[k * nsec + s] = b->remsec[(k + 1) * nsec + s] + b->isec[k * nsec + s];
	}
	link_tops(b, b->tops, 1);
	if (b->narrow)
		link_tops(b, b->tops_all, 0);
}

/* The exact search's bound of the empty column with the duals shifted by a
 * per member (see dual_shift). */
static double shifted_bound(bnp *b, const double *ia, double a)
{
	for (int v = 0; v < b->m; v++)
		b->ia[v] = ia[v] + a * b->isz[v];
	b->shift = a;
	b->shift_at = a >= 0 ? b->pmin : b->pcap;
	clear_column(b);
	return b->narrow && b->pmin > 0 ? price_bound_fixed(b, 0, HUGE_VAL) : price_bound(b, 0);
}

/* The duals the exact search prices with. A column c of the type, of s
 * members, has reduced cost w(c) - pi(c) - mu = w(c) - sum (pi_i - a) - mu
 * - a s for every a, and -a s is at most -a s0 over the sizes the node allows
 * (s0 = pmin for a >= 0, pcap below): valuing each member at pi_i - a and
 * starting from -mu - a s0 overestimates every reduced cost, and is exact at
 * s0 (record() takes the difference off). Any a is valid, but the bounds
 * are not invariant: where a lot's size is fixed, the LP's duals may sit
 * anywhere along this direction (every pi 85 above the root's and the lot's
 * mu 850 below it: n = 30, five lots, two of them at one size), and a merged
 * item of two members then costs twice the shift: the bound of a 10-member
 * column came out 436 where no column was above 0, and the search took
 * 20 million nodes. The shift is the one that minimizes the bound of the
 * empty column: it is the largest of convex functions of a (price_bound's
 * counts, price_bound_fixed's q), so a golden-section search finds it. */
static void dual_shift(bnp *b)
{
	double ia[CONSORT_BNP_MAX_N], A = 1;
	memcpy(ia, b->ia, (size_t)b->m * sizeof(double));
	for (int i = 0; i < b->n; i++)
		A = fmax(A, 2 * fabs(b->pi[i]));
	const double g = 0.6180339887498949;
	double lo = -A, hi = A;
	double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
	double f1 = shifted_bound(b, ia, x1), f2 = shifted_bound(b, ia, x2);
	for (int it = 0; it < 40; it++) {
		if (f1 <= f2) {
			hi = x2, x2 = x1, f2 = f1;
			x1 = hi - g * (hi - lo);
			f1 = shifted_bound(b, ia, x1);
		} else {
			lo = x1, x1 = x2, f1 = f2;
			x2 = lo + g * (hi - lo);
			f2 = shifted_bound(b, ia, x2);
		}
	}
	double a = f1 <= f2 ? x1 : x2, f = fmin(f1, f2);
	if (!(f < shifted_bound(b, ia, 0) - RC_TOL * b->scale))
		a = 0; /* no gain (or no column at all): no large values for nothing */
	shifted_bound(b, ia, a);
}

/* Prices columns of type t; adds the best found to the pool. Returns the
 * number added, -1 on memory. heuristic: price_greedy instead of the exact
 * search. *best is the largest reduced cost of a column of type t, or
 * RC_TOL * scale when none is above that (exact unless stopped); HUGE_VAL
 * after the heuristic, which proves nothing. */
static int price(bnp *b, int t, double *best, int heuristic)
{
	const decisions *d = &b->dc;
	int n = b->n, nsec = b->nsec;
	uint64_t allowed = b->all & ~d->out & b->typeok[t];
	if (b->labeled) {
		allowed &= ~d->lotout[t];
		for (int u = 0; u < b->T; u++)
			if (u != t)
				allowed &= ~d->lotin[u];
	}
	/* the items: classes wholly allowed, with no apart pair inside */
	int m = 0;
	uint64_t seen = 0;
	int order[CONSORT_BNP_MAX_N];
	double score[CONSORT_BNP_MAX_N];
	uint64_t cm[CONSORT_BNP_MAX_N];
	for (int i = 0; i < n; i++) {
		if (((seen >> i) & 1) || !((allowed >> i) & 1))
			continue;
		uint64_t c = d->same[i] | ((uint64_t)1 << i);
		seen |= c;
		if ((c & ~allowed) || (d->diff[i] & c))
			continue;
		cm[m++] = c;
	}
	/* order: the items that offer a service the column must cover first (past
	 * them, a column still short of one is cut at once), then the most
	 * attractive first (good columns early raise the threshold) */
	const consort__group *g = b->gc[t];
	b->need = 0;
	for (int c = 0; c < g->ncover; c++)
		b->need |= (uint64_t)1 << g->cover[c];
	int provider[CONSORT_BNP_MAX_N];
	for (int u = 0; u < m; u++) {
		provider[u] = 0;
		for (uint64_t r = cm[u]; r; r &= r - 1)
			if (b->offm[__builtin_ctzll(r)] & b->need)
				provider[u] = 1;
	}
	for (int u = 0; u < m; u++) {
		double inner = weight_of(b, cm[u]), ps = 0, pos = 0;
		for (uint64_t r = cm[u]; r; r &= r - 1) {
			int i = __builtin_ctzll(r);
			ps += b->pi[i];
			for (int v = 0; v < m; v++)
				if (v != u)
					for (uint64_t s = cm[v]; s; s &= s - 1) {
						double w = b->p->w[i * n + __builtin_ctzll(s)];
						if (w > 0)
							pos += w;
					}
		}
		score[u] = inner - ps + 0.5 * pos;
		order[u] = u;
	}
	for (int a = 1; a < m; a++) {
		int x = order[a], c = a - 1;
		while (c >= 0 && (provider[order[c]] < provider[x] ||
				  (provider[order[c]] == provider[x] && score[order[c]] < score[x]))) {
			order[c + 1] = order[c];
			c--;
		}
		order[c + 1] = x;
	}
	b->m = m;
	for (int a = 0; a < m; a++) {
		uint64_t c = cm[order[a]];
		b->imask[a] = c;
		b->isz[a] = __builtin_popcountll(c);
		b->ioff[a] = 0;
		b->idiff[a] = 0;
		double ps = 0;
		for (int s = 0; s < nsec; s++)
			b->isec[a * nsec + s] = __builtin_popcountll(c & b->secm[s]);
		for (uint64_t r = c; r; r &= r - 1) {
			int i = __builtin_ctzll(r);
			b->ioff[a] |= b->offm[i];
			b->idiff[a] |= d->diff[i];
			ps += b->pi[i];
		}
		b->ia[a] = weight_of(b, c) - ps;
	}
	for (int u = 0; u < m; u++) {
		b->iW[u][u] = 0;
		for (int v = u + 1; v < m; v++) {
			double w = 0;
			for (uint64_t r = b->imask[u]; r; r &= r - 1) {
				int i = __builtin_ctzll(r);
				for (uint64_t s = b->imask[v]; s; s &= s - 1)
					w += b->p->w[i * n + __builtin_ctzll(s)];
			}
			b->iW[u][v] = b->iW[v][u] = w; /* apart items: the search never joins them */
		}
	}
	b->pg = g;
	b->ptype = t;
	size_range(b, t, &b->pmin, &b->pcap);
	b->narrow = b->pcap - b->pmin <= NARROW;
	b->shift = b->shift_at = 0;
	if (!heuristic) {
		suffix_tables(b); /* the greedy needs none of them */
		/* exact at the one size (elsewhere it cost more nodes than it
		 * saved); with single members only, the bound does not move with
		 * the shift */
		int merged = 0;
		for (int a = 0; a < m && !merged; a++)
			merged = b->isz[a] > 1;
		if (b->pmin == b->pcap && merged)
			dual_shift(b);
	}
	clear_column(b);
	b->thr = heuristic ? RC_TOL * b->scale : fmax(RC_TOL * b->scale, b->floor_rc);
	double proven = b->thr; /* the exact search finds every column above it */
	b->nkeep = 0;
	if (heuristic)
		price_greedy(b);
	else
		price_dfs(b, 0);
	int added = 0;
	*best = heuristic ? HUGE_VAL : proven;
	for (int k = 0; k < b->nkeep && !heuristic; k++)
		*best = fmax(*best, b->keep[k].rc);
	for (int k = 0; k < b->nkeep; k++) {
		if (pool_find(b, b->keep[k].m, t) >= 0)
			continue; /* in the pool and priced out: rounding; not a new column */
		if (pool_add(b, b->keep[k].m, t) < 0)
			return -1;
		added++;
	}
	return added;
}

/* ---- the node LP ---- */


/* Whether a node with LP bound z can hold a better solution of the rules. */
static int promising(const bnp *b, double z);

/* The reduced cost that no column needs to exceed for the node to close,
 * given z, the restricted master's value: a round in which no type has a
 * column above it gives a Lagrangian bound that falls to the incumbent (on
 * the weights' grid, below the next grid value above it). Pricing can then
 * ignore the columns at or below it, and the exact search proves its "none
 * above" sooner. 0 when there is no such room (no incumbent, or z past it).
 * Where the restricted master already holds the incumbent, the rounds that
 * only confirm the node's bound pay for it (lots, n = 24: 13 rounds at
 * z = 131.5 while the bound fell from 213 to 132). */
static double closing_share(const bnp *b, double z)
{
	if (!b->has_inc)
		return 0;
	double target;
	if (b->grid > 0) {
		double next = (floor((b->inc + 1e-9 * fmax(1, fabs(b->inc))) / b->grid) + 1) * b->grid;
		target = next - 1e-6 * fmax(1, fabs(next));
	} else {
		target = b->inc - 2e-7 * fmax(1, fabs(b->inc));
	}
	double share = (target - z) / (b->labeled ? b->T : b->p->kmax) * (1 - 1e-9);
	return share > RC_TOL * b->scale ? share : 0;
}

/* Whether the restricted master's solution shows that the node branches
 * whatever the exact search would find: its value (at most the LP optimum
 * over every column) already keeps the node open, and the solution is
 * fractional (an integral one could be the node's optimum, and only the
 * proof would tell). Such a node branches on the restricted master's
 * solution without its proof (a full exact search per type at threshold 0,
 * the costliest kind) and passes its parent's bound on: lots, n = 24, 20
 * sessions each, 16 % fewer instructions at K = 3 and 17 % at K = 4. A
 * budget of 1,500 or 4,000 search nodes per type instead (keeping the
 * columns such a search finds) came out 4-17 % above skipping. */
static int branches_anyway(bnp *b)
{
	if (!promising(b, glp_get_obj_val(b->lp)))
		return 0;
	for (int j = 1; j <= b->base; j++)
		if (glp_get_col_prim(b->lp, j) > X_TOL)
			return 0; /* an artificial in use */
	for (int c = 0; c < b->ncols; c++) {
		double x = glp_get_col_prim(b->lp, b->base + c + 1);
		if (x > X_TOL && x < 1 - X_TOL)
			return 1;
	}
	return 0;
}

/* Column generation at the current node. Returns 1 with *z the LP optimum
 * over every column, 2 with *z a bound that closes the node before the LP
 * optimum is reached, 3 (only with may_skip) when the node branches
 * whatever the exact search would find (*z the restricted master's value,
 * no bound), 0 when stopped, -1 on memory, -2 when GLPK fails.
 *
 * Every round gives a Lagrangian bound (Lasdon 1970; Vanderbeck 2005):
 * with duals pi of the participant rows (>= 0 where a row is <= 1) and mu of
 * the consortium rows, any solution is worth at most the restricted master's
 * value plus, for each consortium it can hold, the best reduced cost of its
 * type: one per lot with lots, kmax of the one type without. Exact pricing
 * gives those best reduced costs, so a round whose bound already falls to
 * the incumbent closes the node without the rounds that would only confirm
 * it. */
static int solve_lp(bnp *b, double *z, int may_skip)
{
	glp_smcp sm;
	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	sm.presolve = GLP_OFF;
	int use_floor = 1, first = 1;
	for (;;) {
		if (time_up(b))
			return 0;
		/* A node's first solve below the root starts from a basis that
		 * branching left dual feasible (it only fixed columns at 0): the dual
		 * simplex, with the primal as GLPK's fallback; after new columns the
		 * basis stays primal feasible. The root starts from GLPK's standard
		 * basis, where the dual simplex cost (optional, K = 5, n = 30: 0.036
		 * -> 0.096 s in three sessions of five). */
		sm.meth = first && b->nodes > 1 ? GLP_DUALP : GLP_PRIMAL;
		first = 0;
		int rc = glp_simplex(b->lp, &sm);
		if (rc != 0) {
			/* a singular basis after many bound changes: start from scratch */
			glp_std_basis(b->lp);
			rc = glp_simplex(b->lp, &sm);
			if (rc != 0)
				return -2;
		}
		if (glp_get_status(b->lp) != GLP_OPT)
			return -2;
		for (int i = 0; i < b->n; i++)
			b->pi[i] = ((b->all >> i) & 1) ? glp_get_row_dual(b->lp, i + 1) : 0;
		for (int t = 0; t < b->T; t++)
			b->mu[t] = glp_get_row_dual(b->lp, b->n + 1 + t);
		/* the heuristic for every type first; the exact search (and its
		 * bound) only in a round where the heuristic finds nothing */
		b->floor_rc = use_floor ? closing_share(b, glp_get_obj_val(b->lp)) : 0;
		int added = 0;
		double gap = 0;
		for (int pass = b->heuristic_pricing ? 0 : 1; pass < 2 && !added; pass++) {
			if (pass == 1 && may_skip && branches_anyway(b)) {
				*z = glp_get_obj_val(b->lp);
				return 3;
			}
			gap = 0;
			for (int t = 0; t < b->T; t++) {
				double best = 0;
				int a = price(b, t, &best, pass == 0);
				if (a < 0)
					return -1;
				added += a;
				gap += (b->labeled ? 1 : b->p->kmax) * best;
			}
		}
		if (b->stopped)
			return 0;
		/* the Lagrangian bound (+inf after a heuristic round); with no
		 * column above RC_TOL, the LP optimum over every column is at most
		 * that per consortium above the restricted master's */
		*z = glp_get_obj_val(b->lp) + gap;
		if (!added && b->floor_rc > 0 && promising(b, *z)) {
			use_floor = 0; /* rounding kept it open: price in full */
			continue;
		}
		if (!added && b->floor_rc > 0)
			return 2;
		if (!added)
			return 1;
		if (!promising(b, *z))
			return 2;
		/* the new columns are compatible by construction */
	}
}

/* The bound of a node from its LP value: on the weights' grid, rounded down. */
static double node_value(const bnp *b, double z)
{
	double slack = 1e-7 * fmax(1, fabs(z));
	if (b->grid > 0)
		return floor((z + slack) / b->grid) * b->grid;
	return z + slack;
}

static int promising(const bnp *b, double z)
{
	double v = node_value(b, z);
	if (v < b->lowest)
		return 0;
	return !(b->has_inc && v <= b->inc + 1e-9 * fmax(1, fabs(b->inc)));
}

/* Whether the LP solution is integral; if so, keeps it when it is feasible
 * and better. */
static int take_integral(bnp *b)
{
	for (int j = 1; j <= b->base; j++)
		if (glp_get_col_prim(b->lp, j) > X_TOL)
			return 0; /* an artificial in use */
	int k = 0;
	for (int i = 0; i < b->n; i++)
		b->assign[i] = -1;
	for (int c = 0; c < b->ncols; c++) {
		double x = glp_get_col_prim(b->lp, b->base + c + 1);
		if (x <= X_TOL)
			continue;
		if (x < 1 - X_TOL)
			return 0;
		int label = b->labeled ? b->cols[c].type : k;
		k++;
		for (uint64_t r = b->cols[c].m; r; r &= r - 1)
			b->assign[__builtin_ctzll(r)] = label;
	}
	if (b->labeled)
		k = b->T;
	if (!consort__problem_feasible(b->p, b->assign, k, NULL, 0)) {
		b->unsure = 1; /* columns and checker disagree: never claim a proof */
		return 1;
	}
	double v = consort__problem_objective(b->p, b->assign);
	if (!b->has_inc || v > b->inc) {
		b->has_inc = 1;
		b->inc = v;
		b->best_k = k;
		memcpy(b->best, b->assign, (size_t)b->n * sizeof(int));
	}
	return 1;
}

typedef enum { BR_NONE, BR_PAIR, BR_PLACE, BR_LOT, BR_SIZE } branch_kind;

/* With lots, a lot whose LP columns have more than one size: *bi the lot of
 * the largest variance of size (its LP share at each size), *bj the split
 * (sizes <= *bj on one side, above on the other) at its mean size, *bv the
 * lower side's share. The LP keeps a small share of a small column to make
 * room, and a split at the median moves that share up one size a node
 * (lots of 3-11 and 4-12 among 24: 14 nodes of size splits); at the mean,
 * the side of the large column keeps most of the LP's value and the other
 * side falls to the incumbent (33 -> 17 nodes, 23 -> 9). */
static branch_kind choose_size(bnp *b, int *bi, int *bj, double *bv)
{
	double mass[CONSORT_BNP_MAX_N + 1][CONSORT_BNP_MAX_N + 2];
	int T = b->T;
	for (int t = 0; t < T; t++)
		memset(mass[t], 0, sizeof(mass[t]));
	for (int c = 0; c < b->ncols; c++) {
		double x = glp_get_col_prim(b->lp, b->base + c + 1);
		if (x > X_TOL)
			mass[b->cols[c].type][__builtin_popcountll(b->cols[c].m)] += x;
	}
	double best = 0;
	branch_kind kind = BR_NONE;
	for (int t = 0; t < T; t++) {
		double total = 0, mean = 0, var = 0;
		int lo = -1, hi = -1;
		for (int z = 0; z <= CONSORT_BNP_MAX_N; z++) {
			if (mass[t][z] > X_TOL) {
				if (lo < 0)
					lo = z;
				hi = z;
			}
			total += mass[t][z];
			mean += z * mass[t][z];
		}
		if (lo < 0 || hi == lo)
			continue;
		mean /= total;
		for (int z = lo; z <= hi; z++)
			var += mass[t][z] * (z - mean) * (z - mean);
		var /= total;
		int split = (int)floor(mean);
		if (split < lo)
			split = lo;
		if (split >= hi)
			split = hi - 1;
		if (var > best) {
			double below = 0;
			for (int z = lo; z <= split; z++)
				below += mass[t][z];
			best = var;
			*bi = t, *bj = split, *bv = below / total;
			kind = BR_SIZE;
		}
	}
	return kind;
}

/* The branching of a fractional LP solution. */
static branch_kind choose(bnp *b, int *bi, int *bj, double *bv)
{
	int n = b->n;
	static _Thread_local double pv[CONSORT_BNP_MAX_N][CONSORT_BNP_MAX_N];
	double cover[CONSORT_BNP_MAX_N] = {0};
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			pv[i][j] = 0;
	for (int c = 0; c < b->ncols; c++) {
		double x = glp_get_col_prim(b->lp, b->base + c + 1);
		if (x <= X_TOL)
			continue;
		for (uint64_t r = b->cols[c].m; r; r &= r - 1) {
			int i = __builtin_ctzll(r);
			cover[i] += x;
			for (uint64_t s = r & (r - 1); s; s &= s - 1)
				pv[i][__builtin_ctzll(s)] += x;
		}
	}
	double bestf = 0;
	branch_kind kind = BR_NONE;
	if (b->labeled && (kind = choose_size(b, bi, bj, bv)) != BR_NONE)
		return kind;
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++) {
			double f = fmin(pv[i][j], 1 - pv[i][j]);
			if (f > X_TOL) {
				double score = f + 1e-3 * fabs(b->p->w[i * n + j]) / (b->scale > 0 ? b->scale : 1);
				if (score > bestf) {
					bestf = score;
					*bi = i, *bj = j, *bv = pv[i][j];
					kind = BR_PAIR;
				}
			}
		}
	if (kind != BR_NONE)
		return kind;
	uint64_t must = b->must | b->dc.in;
	for (int i = 0; i < n; i++) {
		double f = fmin(cover[i], 1 - cover[i]);
		if (f > X_TOL && !((must >> i) & 1) && f > bestf) {
			bestf = f;
			*bi = i, *bv = cover[i];
			kind = BR_PLACE;
		}
	}
	if (kind != BR_NONE)
		return kind;
	if (b->labeled) {
		for (int i = 0; i < n; i++)
			for (int t = 0; t < b->T; t++) {
				double z = 0;
				for (int c = 0; c < b->ncols; c++)
					if (b->cols[c].type == t && ((b->cols[c].m >> i) & 1))
						z += glp_get_col_prim(b->lp, b->base + c + 1);
				double f = fmin(z, 1 - z);
				if (f > X_TOL && f > bestf) {
					bestf = f;
					*bi = i, *bj = t, *bv = z;
					kind = BR_LOT;
				}
			}
		if (kind != BR_NONE)
			return kind;
	}
	/* Fractional artificials alone (a participant covered by singletons):
	 * any pair not decided yet splits the solutions; the depth stays finite. */
	for (int i = 0; i < n; i++) {
		if (!((b->all >> i) & 1))
			continue;
		for (int j = i + 1; j < n; j++) {
			if (!((b->all >> j) & 1))
				continue;
			if (!((b->dc.same[i] >> j) & 1) && !((b->dc.diff[i] >> j) & 1)) {
				*bi = i, *bj = j, *bv = 0.5;
				return BR_PAIR;
			}
		}
	}
	return BR_NONE;
}

/* Sets the basis saved by node() (nstat statuses: the rows, then the
 * columns there were); the columns added since stay out of it. GLPK turns
 * a non-basic status into the one that fits the column's bounds. */
static void restore_basis(bnp *b, const unsigned char *stat, int nstat)
{
	for (int r = 1; r <= b->nrows; r++)
		glp_set_row_stat(b->lp, r, stat[r - 1]);
	int saved_cols = nstat - b->nrows;
	for (int j = 1; j <= b->base + b->ncols; j++)
		glp_set_col_stat(b->lp, j, j <= saved_cols ? stat[b->nrows + j - 1] : GLP_NL);
}

/* Solves the node and its subtree. above: a bound on the subtree (the
 * parent's), which the node keeps as its own when it branches without
 * proving one. Returns 0, or a negative code (memory, GLPK). */
static int node(bnp *b, double above)
{
	if (b->o->node_limit > 0 && b->nodes >= b->o->node_limit)
		b->stopped = 1;
	if (b->stopped)
		return 0; /* the caller's bound covers this node */
	b->nodes++;
	double z = 0;
	int rc = solve_lp(b, &z, b->nodes > 1); /* the root proves its bound */
	if (rc < 0)
		return rc;
	if (rc == 0)
		return 0; /* stopped: the caller's bound covers this node */
	if (rc == 2)
		return 0; /* closed by its Lagrangian bound */
	double v = above; /* unproven: the parent's bound */
	if (rc == 1) {
		v = node_value(b, z);
		if (b->nodes == 1)
			b->root_bound = v;
		if (v < b->lowest)
			return 0; /* an artificial is needed: no solution of the rules here */
		if (b->has_inc && v <= b->inc + 1e-9 * fmax(1, fabs(b->inc)))
			return 0;
		if (take_integral(b))
			return 0;
	}
	int i = 0, j = 0;
	double x = 0;
	branch_kind kind = choose(b, &i, &j, &x);
	if (kind == BR_NONE) {
		b->unsure = 1;
		return 0;
	}
	decisions saved;
	uint64_t li[CONSORT_BNP_MAX_N + 1], lo[CONSORT_BNP_MAX_N + 1];
	saved.lotin = li, saved.lotout = lo;
	save(b, &saved);
	/* this node's optimal basis, for the second child: the LP then starts
	 * one decision away from its optimum, not from the end of the first
	 * child's subtree */
	int nstat = b->nrows + b->base + b->ncols;
	unsigned char *stat = malloc((size_t)nstat);
	if (!stat)
		return -1;
	for (int r = 1; r <= b->nrows; r++)
		stat[r - 1] = (unsigned char)glp_get_row_stat(b->lp, r);
	for (int c = 1; c <= b->base + b->ncols; c++)
		stat[b->nrows + c - 1] = (unsigned char)glp_get_col_stat(b->lp, c);
	for (int side = 0; side < 2; side++) {
		if (b->stopped) {
			b->open_bound = fmax(b->open_bound, v);
			break;
		}
		/* the side the LP leans to first */
		int first = x >= 0.5;
		int take = side == 0 ? first : !first;
		int ok = 1;
		switch (kind) {
		case BR_PAIR:
			ok = take ? decide_same(b, i, j) : decide_diff(b, i, j);
			break;
		case BR_PLACE:
			if (take)
				b->dc.in |= (uint64_t)1 << i;
			else
				b->dc.out |= (uint64_t)1 << i;
			break;
		case BR_LOT:
			if (take)
				b->dc.lotin[j] |= (uint64_t)1 << i;
			else
				b->dc.lotout[j] |= (uint64_t)1 << i;
			break;
		case BR_SIZE: /* take: the sizes up to j (x: their share) */
			if (take)
				b->dc.smax[i] = (uint8_t)j;
			else
				b->dc.smin[i] = (uint8_t)(j + 1);
			ok = b->dc.smin[i] <= b->dc.smax[i];
			break;
		default:
			break;
		}
		if (ok) {
			apply(b);
			if (side == 1)
				restore_basis(b, stat, nstat);
			rc = node(b, v);
			if (rc < 0) {
				free(stat);
				return rc;
			}
			if (b->stopped)
				b->open_bound = fmax(b->open_bound, v);
		}
		restore(b, &saved);
	}
	free(stat);
	return 0; /* the caller restores its own decisions and the LP */
}

/* ---- setup ---- */

static double detect_grid(const consort__problem *p)
{
	static const int q[] = {1, 2, 4, 10, 20, 100};
	int n = p->n;
	for (size_t k = 0; k < sizeof(q) / sizeof(q[0]); k++) {
		int ok = 1;
		for (int a = 0; a < n * n && ok; a++) {
			double x = p->w[a] * q[k];
			ok = fabs(x - nearbyint(x)) < 1e-9 * fmax(1, fabs(x)) && fabs(x) < 1e12;
		}
		if (ok)
			return 1.0 / q[k];
	}
	return 0;
}

static void bnp_free(bnp *b)
{
	free(b->secm), free(b->offm), free(b->typeok), free(b->gc), free(b->cols), free(b->hkeys), free(b->hvals);
	free(b->pi), free(b->isec), free(b->tops), free(b->tops_all), free(b->remsec), free(b->best), free(b->assign);
	free(b->dc.lotin), free(b->dc.lotout), free(b->cap), free(b->seccap), free(b->own);
	if (b->lp)
		glp_delete_prob(b->lp);
	b->lp = NULL;
}

#define ALLOC(ptr, count) ((ptr) = calloc((size_t)((count) > 0 ? (count) : 1), sizeof(*(ptr))))

/* The caps of a column beyond its own rules: the other consortia every
 * solution has (kmin - 1 of them, or every other lot) take their minimum
 * members, of every sector, from the same participants (`all`; secm: the
 * members of each sector). A column above them is in no solution, and pricing
 * never builds one: this keeps the LP from mixing a consortium too large to
 * leave room for the others (optional, K = 5, n = 20: root LP 61.8 -> 55.5,
 * the optimum). cap: T entries; seccap: T * nsec. */
static void column_caps(const consort__problem *p, uint64_t all, const uint64_t *secm, int *cap, int *seccap, int *own)
{
	int T = p->nlots ? p->nlots : 1, nsec = p->nsec;
	int avail = __builtin_popcountll(all), tot_min = 0;
	int own_of[CONSORT_BNP_MAX_N + 1];
	for (int t = 0; t < T; t++) {
		const consort__group *g = consort__problem_group(p, t);
		int ss = 0;
		for (int s = 0; s < nsec; s++)
			ss += g->sec_min[s];
		own_of[t] = g->size_min > ss ? g->size_min : ss;
		if (own)
			own[t] = own_of[t];
		tot_min += own_of[t];
	}
	int others = p->kmin > 1 ? p->kmin - 1 : 0; /* without lots: the other consortia */
	for (int t = 0; t < T; t++) {
		const consort__group *g = consort__problem_group(p, t);
		int c = avail - (p->nlots ? tot_min - own_of[t] : others * own_of[t]);
		cap[t] = g->size_max < c ? g->size_max : c;
		for (int s = 0; s < nsec; s++) {
			int need = 0;
			if (p->nlots) {
				for (int u = 0; u < T; u++)
					if (u != t)
						need += consort__problem_group(p, u)->sec_min[s];
			} else {
				need = others * g->sec_min[s];
			}
			int cs = __builtin_popcountll(all & secm[s]) - need;
			seccap[(size_t)t * nsec + s] = g->sec_max[s] < cs ? g->sec_max[s] : cs;
		}
	}
}

/* Who gets a row: everyone not absent and not pinned outside. */
static uint64_t rows_of(const consort__problem *p)
{
	uint64_t all = 0;
	for (int i = 0; i < p->n; i++)
		if (!(p->absent && p->absent[i]) && !(p->fixed && p->fixed[i] == -1))
			all |= (uint64_t)1 << i;
	return all;
}

int consort__bnp_column_cap(const consort__problem *p)
{
	if (!consort__bnp_supported(p))
		return p->n;
	int T = p->nlots ? p->nlots : 1;
	uint64_t *secm = calloc((size_t)(p->nsec ? p->nsec : 1), sizeof(uint64_t));
	int *cap = calloc((size_t)T, sizeof(int));
	int *seccap = calloc((size_t)T * (size_t)(p->nsec ? p->nsec : 1), sizeof(int));
	int most = p->n;
	if (secm && cap && seccap) {
		for (int i = 0; i < p->n; i++)
			secm[p->sector[i]] |= (uint64_t)1 << i;
		column_caps(p, rows_of(p), secm, cap, seccap, NULL);
		most = 0;
		for (int t = 0; t < T; t++)
			most = cap[t] > most ? cap[t] : most;
	}
	free(secm), free(cap), free(seccap);
	return most;
}

/* 0, -1 on memory, 1 when the pins make the problem infeasible outright. */
static int bnp_init(bnp *b, const consort__problem *p, const consort__bnb_options *o)
{
	memset(b, 0, sizeof(*b));
	int n = p->n;
	b->p = p;
	b->n = n;
	b->labeled = p->nlots > 0;
	b->T = b->labeled ? p->nlots : 1;
	b->nsec = p->nsec;
	b->nserv = p->nserv;
	int T = b->T;
	if (!ALLOC(b->secm, p->nsec) || !ALLOC(b->offm, n) || !ALLOC(b->typeok, T) || !ALLOC(b->gc, T) ||
	    !ALLOC(b->pi, n) || !ALLOC(b->isec, CONSORT_BNP_MAX_N * p->nsec) ||
	    !ALLOC(b->tops, (size_t)CONSORT_BNP_MAX_N * (CONSORT_BNP_MAX_N + 1) * (CONSORT_BNP_MAX_N + 1)) ||
	    !ALLOC(b->tops_all, (size_t)CONSORT_BNP_MAX_N * (CONSORT_BNP_MAX_N + 1) * (CONSORT_BNP_MAX_N + 1)) ||
	    !ALLOC(b->remsec, (CONSORT_BNP_MAX_N + 1) * p->nsec) || !ALLOC(b->best, n) || !ALLOC(b->assign, n) ||
	    !ALLOC(b->dc.lotin, T) || !ALLOC(b->dc.lotout, T) || !ALLOC(b->cap, T) || !ALLOC(b->own, T) ||
	    !ALLOC(b->seccap, (size_t)T * p->nsec))
		return -1;
	for (int t = 0; t < T; t++) {
		b->gc[t] = b->labeled ? &p->lot[t] : &p->global;
		b->typeok[t] = ~(uint64_t)0;
	}
	int pinned_out_bad = 0;
	for (int i = 0; i < n; i++) {
		uint64_t bit = (uint64_t)1 << i;
		b->secm[p->sector[i]] |= bit;
		for (int c = 0; c < p->nserv; c++)
			if (p->offers[i * p->nserv + c])
				b->offm[i] |= (uint64_t)1 << c;
		int absent = p->absent && p->absent[i];
		int pin = p->fixed ? p->fixed[i] : CONSORT__FREE;
		if (absent || pin == -1) {
			if ((p->everyone && !absent) || (absent && pin >= 0))
				pinned_out_bad = 1; /* outside against everyone, or absent but pinned to a lot */
			continue; /* no row, in no column */
		}
		b->all |= bit;
		if (p->everyone)
			b->must |= bit;
		if (pin >= 0) {
			b->must |= bit;
			for (int t = 0; t < T; t++)
				if (t != pin)
					b->typeok[t] &= ~bit;
		}
	}
	for (int t = 0; t < p->ntogether; t++)
		b->must |= ((uint64_t)1 << p->together[t][0]) | ((uint64_t)1 << p->together[t][1]);
	for (int t = 0; t < T; t++)
		b->typeok[t] &= b->all;
	column_caps(p, b->all, b->secm, b->cap, b->seccap, b->own);
	for (int t = 0; t < T; t++) {
		b->dc.smin[t] = 0;
		b->dc.smax[t] = CONSORT_BNP_MAX_N;
	}
	double pos = 0, neg = 0;
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++) {
			double w = p->w[i * n + j];
			if (w > 0)
				pos += w;
			else
				neg += w;
		}
	b->scale = fmax(1, pos - neg);
	b->lowest = neg - 1e-6 * b->scale;
	b->M = 2 * (pos - neg) + 10;
	b->grid = detect_grid(p);
	b->heuristic_pricing = !o->exact_pricing;
	b->has_inc = 0;
	b->inc = -HUGE_VAL;
	b->open_bound = -HUGE_VAL;
	b->t0 = now();
	b->o = o;
	b->next_report = b->t0 + consort__bnb_progress_every(o);
	b->root_bound = HUGE_VAL;
	b->deadline = o->time_limit > 0 ? b->t0 + o->time_limit : 0;
	if (pinned_out_bad)
		return 1;
	for (int t = 0; t < p->ntogether; t++)
		if (!decide_same(b, p->together[t][0], p->together[t][1]))
			return 1;
	for (int t = 0; t < p->napart; t++)
		if (!decide_diff(b, p->apart[t][0], p->apart[t][1]))
			return 1;
	if (b->must & ~b->all)
		return 1; /* a together member pinned outside */

	/* the master */
	b->lp = glp_create_prob();
	glp_set_obj_dir(b->lp, GLP_MAX);
	b->nrows = n + T;
	glp_add_rows(b->lp, b->nrows);
	for (int i = 0; i < n; i++)
		glp_set_row_bnds(b->lp, i + 1, ((b->all >> i) & 1) ? GLP_UP : GLP_FX, 0, ((b->all >> i) & 1) ? 1 : 0);
	if (b->labeled) {
		for (int t = 0; t < T; t++)
			glp_set_row_bnds(b->lp, n + 1 + t, GLP_FX, 1, 1);
	} else if (p->kmin >= 1) {
		glp_set_row_bnds(b->lp, n + 1, p->kmin == p->kmax ? GLP_FX : GLP_DB, p->kmin, p->kmax);
	} else {
		glp_set_row_bnds(b->lp, n + 1, GLP_UP, 0, p->kmax);
	}
	/* artificials: one per row */
	b->base = b->nrows;
	glp_add_cols(b->lp, b->nrows);
	for (int r = 1; r <= b->nrows; r++) {
		int ind[2] = {0, r};
		double val[2] = {0, 1};
		glp_set_mat_col(b->lp, r, 1, ind, val);
		glp_set_obj_coef(b->lp, r, -b->M);
		glp_set_col_bnds(b->lp, r, GLP_LO, 0, 0);
	}
	return 0;
}

static void glpk_hook(void *info)
{
	glp_free_env();
	longjmp(*(jmp_buf *)info, 1);
}

static int glpk_term(void *info, const char *s)
{
	(void)info, (void)s;
	return 1;
}

/* The search proper, under GLPK's error hook. */
static int run(bnp *b, const consort__bnb_options *o)
{
	int n = b->n;
	/* the start's consortia as the first columns */
	if (o->start && consort__problem_feasible(b->p, o->start, o->start_k, NULL, 0)) {
		b->has_inc = 1;
		b->inc = consort__problem_objective(b->p, o->start);
		b->best_k = o->start_k;
		memcpy(b->best, o->start, (size_t)n * sizeof(int));
		for (int g = 0; g < o->start_k; g++) {
			uint64_t m = 0;
			for (int i = 0; i < n; i++)
				if (o->start[i] == g)
					m |= (uint64_t)1 << i;
			if (m && pool_add(b, m, b->labeled ? g : 0) < 0)
				return -1;
		}
	}
	apply(b);
	return node(b, HUGE_VAL);
}

/* run() under GLPK's error hook: -3 when GLPK failed (b is freed then). */
static int guarded(bnp *b, const consort__bnb_options *o)
{
	bnp *volatile vb = b;
	jmp_buf env;
	glp_term_hook(glpk_term, NULL);
	glp_term_out(GLP_OFF);
	if (setjmp(env)) {
		glp_error_hook(NULL, NULL);
		glp_term_hook(NULL, NULL);
		vb->lp = NULL; /* freed with GLPK's environment */
		bnp_free(vb);
		return -3;
	}
	glp_error_hook(glpk_hook, &env);
	int rc = run(b, o);
	glp_error_hook(NULL, NULL);
	glp_term_hook(NULL, NULL);
	return rc;
}

int consort__bnp_solve(consort__bnb_result *res, const consort__problem *p,
	const consort__bnb_options *o, consort_error *err)
{
	memset(res, 0, sizeof(*res));
	res->status = CONSORT_STATUS_STOPPED;
	res->bound = HUGE_VAL;
	if (!consort__bnp_supported(p))
		return consort__error(err, CONSORT_EUSAGE, "the branch and price engine takes 1..%d participants, "
			"no exclusions and no maxmin objective", CONSORT_BNP_MAX_N);
	consort__bnb_options defaults;
	if (!o) {
		consort__bnb_options_init(&defaults);
		o = &defaults;
	}
	bnp *b = malloc(sizeof(*b));
	if (!b)
		return consort__error_nomem(err);
	int rc = bnp_init(b, p, o);
	if (rc < 0) {
		bnp_free(b);
		free(b);
		return consort__error_nomem(err);
	}
	if (rc == 1) {
		res->status = CONSORT_STATUS_INFEASIBLE;
		bnp_free(b);
		free(b);
		return 0;
	}
	rc = guarded(b, o);
	if (rc == -3) {
		free(b);
		return consort__error(err, CONSORT_ESOLVER, "GLPK failed internally; the branch and price was abandoned");
	}
	res->nodes = b->nodes;
	if (rc == -1 || rc == -2) {
		bnp_free(b);
		free(b);
		if (rc == -1)
			return consort__error_nomem(err);
		return consort__error(err, CONSORT_ESOLVER, "GLPK could not solve a branch-and-price master LP");
	}
	if (!b->stopped && !b->unsure) {
		res->status = b->has_inc ? CONSORT_STATUS_OPTIMAL : CONSORT_STATUS_INFEASIBLE;
		res->bound = b->has_inc ? b->inc : HUGE_VAL;
	} else {
		res->status = b->has_inc ? CONSORT_STATUS_FEASIBLE : CONSORT_STATUS_STOPPED;
		res->bound = b->stopped ? fmax(b->open_bound, b->has_inc ? b->inc : -HUGE_VAL) : HUGE_VAL;
		if (b->stopped && b->open_bound == -HUGE_VAL)
			res->bound = HUGE_VAL; /* stopped before the root's bound */
	}
	if (b->has_inc) {
		res->assign = malloc((size_t)p->n * sizeof(int));
		if (!res->assign) {
			bnp_free(b);
			free(b);
			return consort__error_nomem(err);
		}
		memcpy(res->assign, b->best, (size_t)p->n * sizeof(int));
		res->k = b->best_k;
		res->objective = consort__problem_objective(p, res->assign);
		if (res->bound < res->objective)
			res->bound = res->objective;
	}
	bnp_free(b);
	free(b);
	return 0;
}
