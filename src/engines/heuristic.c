/* The heuristic engine: penalty-guided tabu search with iterated restarts over
 * consortium assignments, for sessions too large for the exact engine. */
#include "engines/heuristic.h"
#include "engines/heuristic_cpp.h"
#include "engines/heuristic_mdgp.h"
#include "engines/heur_base.h"
#include "engines/fairness.h"
#include "error.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Method
 * - Together pairs are contracted into units (union-find), so they always hold;
 *   the weights between units are summed, those inside a unit are a constant.
 * - The state is the slot of each unit: 0..K-1, or OUT. gain[u][c] is the sum of
 *   W(u, v) over the units v in slot c, so a relocation is evaluated in O(1) and
 *   applied in O(m), and a swap of u and v is evaluated in O(1) with the W(u, v)
 *   correction: the incremental scheme of the tabu searches for clique
 *   partitioning (Brusco & Köhn 2009, Psychometrika 74; Zhou, Hao & Goëffon 2016,
 *   J. Comb. Optim. 32).
 * - Every other rule is soft: a move is valued by its objective change minus
 *   lambda * (change of the violation: shortfalls and excesses of size and
 *   sectors, services missing, apart pairs together, consortia missing).
 *   lambda grows while the current solution breaks a rule and shrinks while it
 *   meets them all, so the search oscillates around the feasible boundary (the
 *   adaptive penalties of Cordeau, Gendreau & Laporte 1997, Networks 30).
 * - Construction: a randomized greedy under a high weight (rules first) that
 *   first opens as many consortia as the rules need (size and sector maxima),
 *   since opening or closing one later means crossing a ridge of shortfalls.
 * - Search: first-improvement descent (relocations, then swaps), then tabu
 *   search: the best admissible relocate or swap each step (over a window of
 *   units on large instances); leaving slot c makes returning to c tabu for a
 *   random tenure; aspiration by a new best feasible solution. When it stalls,
 *   the best solution is perturbed by random moves and the descent and tabu
 *   search resume, as in the iterated maxima search for grouping problems (Lai &
 *   Hao 2016, EJOR 254); every fourth restart is a fresh construction with a
 *   random number of consortia for diversity.
 * - A solution counts only after consort__problem_feasible accepts it; the
 *   objective returned is recomputed with consort__problem_objective.
 *
 * Budget: one iteration is one tabu step, one descent sweep or one restart.
 * Memory: w, the m*K gains and tabu stamps, O(n) besides (K <= n). Accuracy:
 * on random instances of 4-9 participants with every kind of rule it finds the
 * brute-force optimum in all but about 1 in 1000 cases with 200 iterations.
 */

#define OUT (-1)

/* Full swap neighbourhoods up to this many units; beyond, each unit is only
 * swapped with up to SWAP_PARTNERS members of its best relocation target (the
 * most recently moved first), which keeps a step near O(m k). */
#define FULL_SWAP_UNITS 64
#define SWAP_PARTNERS 24

/* A tabu step on more units than this scans the moves of the next TABU_WINDOW
 * units of a shuffled order only (a candidate list): on 2000 participants in 40
 * consortia this reached better solutions in 5 s than scanning every unit per
 * step (25 000 against 23 500), and did no worse at 100-200 participants. */
#define TABU_WINDOW 50

typedef struct move {
	int u, v, b;        /* v < 0: relocate u to slot b; else swap u and v */
	double value, dobj;
	int dviol;
} move;

typedef struct choice {
	move best;
	int ties;
} choice;

typedef struct search {
	const consort__problem *p;
	const consort__heur_options *o;
	int n, m, K, lots, kmin;
	int R, S;                     /* constrained sectors, services */

	/* units */
	int *unit_of;                 /* n */
	int *usize;                   /* m */
	unsigned char *mustplace;     /* m: may not go outside */
	int *pin;                     /* m: CONSORT__FREE, or the slot (lot, OUT) it is fixed to */
	int npinned;
	double *wint;                 /* m: weight inside the unit */
	const double *W;              /* m*m, zero diagonal */
	double *Wown;
	int *sec_start, *sec_idx, *sec_cnt;  /* per unit: constrained sectors it has */
	int *off_start, *off_idx, *off_cnt;  /* per unit: services it offers */
	int *ap_start, *ap_adj;              /* apart adjacency between units */
	int *alone;                   /* m: violation of a new consortium of u alone */
	int klo, khi;                 /* consortia counts the rules leave open (roughly) */

	/* slot rules (lots ? K groups : 1) */
	int *gsmin, *gsmax, *gsecmin, *gsecmax;
	unsigned char *gneed;         /* G*S: service needed */

	/* state */
	int *slot;                    /* m */
	int *size, *seccnt, *covcnt;  /* K, K*R, K*S */
	int *vslot;                   /* K: violation of each slot */
	int vsum;                     /* sum of vslot */
	int apart_viol, used;
	int *slotlist, *slotpos;      /* first `used` are non-empty */
	int *head, *next, *prev;      /* members of each slot (head[c + 1]), OUT too */
	double *gain;                 /* m*K */
	double obj;
	long *tabu;                   /* m*(K+1): iteration until which u may not enter c */
	double lambda, lmin, lmax, wscale;
	unsigned long long rng;
	int *tally;                   /* K+1 scratch, zero between uses */
	int *order;                   /* m: a permutation of the units */
	int cursor;                   /* next unit in order for windowed tabu steps */
	int *cand;                    /* K+2 scratch */

	/* results */
	long iter;
	int *best_slot, *pend_slot;   /* m */
	int have_best, pending;
	double best_obj, pend_obj;
	int *best_assign, *buf;       /* n */
	int best_k;
	int min_viol;
	double start, last_report;
	int stop;
} search;

/* ---------------------------------------------------------------- utilities */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* splitmix64 (Steele, Lea & Flood 2014). */
static unsigned long long rnd(search *s)
{
	unsigned long long z = (s->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int below(search *s, int n)
{
	return n > 0 ? (int)(rnd(s) % (unsigned long long)n) : 0;
}

static double rnd01(search *s)
{
	return (double)(rnd(s) >> 11) * (1.0 / 9007199254740992.0);
}

static int out_of(int x, int lo, int hi)
{
	return (x < lo ? lo - x : 0) + (x > hi ? x - hi : 0);
}

static int kdef(const search *s, int used)
{
	return !s->lots && used < s->kmin ? s->kmin - used : 0;
}

static int grp(const search *s, int c)
{
	return s->lots ? c : 0;
}

/* The violation of the current state: 0 exactly when every rule holds. */
static int total_viol(const search *s)
{
	return s->vsum + s->apart_viol + kdef(s, s->used);
}

static double eps_of(double x)
{
	return 1e-9 * (1 + fabs(x));
}

/* ------------------------------------------------------- slot violations */

/* A slot's violation: its size shortfall or excess, its sector shortfalls and
 * excesses, the services it misses and, with lots, 1 when the lot is empty. An
 * empty slot without lots is no consortium and breaks nothing. (Capping this
 * at the size, "or dissolve it", was tried: it makes filling a young
 * consortium look uphill and the greedy then piles everyone into one.) */
static int slot_viol(const search *s, int c)
{
	int sz = s->size[c], g = grp(s, c);
	if (!s->lots && sz == 0)
		return 0;
	int v = out_of(sz, s->gsmin[g], s->gsmax[g]);
	for (int r = 0; r < s->R; r++)
		v += out_of(s->seccnt[c * s->R + r], s->gsecmin[g * s->R + r], s->gsecmax[g * s->R + r]);
	for (int t = 0; t < s->S; t++)
		v += s->gneed[g * s->S + t] && s->covcnt[c * s->S + t] == 0;
	return v + (s->lots && sz == 0);
}

static void refresh_slot(search *s, int c)
{
	int v = slot_viol(s, c);
	s->vsum += v - s->vslot[c];
	s->vslot[c] = v;
}

/* Violation change of a non-empty slot c when unit u joins (sign 1) or leaves (-1). */
static int raw_change(const search *s, int u, int c, int sign)
{
	int sz = s->size[c], g = grp(s, c), nsz = sz + sign * s->usize[u];
	int d = out_of(nsz, s->gsmin[g], s->gsmax[g]) - out_of(sz, s->gsmin[g], s->gsmax[g]);
	for (int e = s->sec_start[u]; e < s->sec_start[u + 1]; e++) {
		int r = s->sec_idx[e], cnt = s->seccnt[c * s->R + r];
		int lo = s->gsecmin[g * s->R + r], hi = s->gsecmax[g * s->R + r];
		d += out_of(cnt + sign * s->sec_cnt[e], lo, hi) - out_of(cnt, lo, hi);
	}
	for (int e = s->off_start[u]; e < s->off_start[u + 1]; e++) {
		int t = s->off_idx[e];
		if (!s->gneed[g * s->S + t])
			continue;
		if (sign > 0)
			d -= s->covcnt[c * s->S + t] == 0;
		else
			d += s->covcnt[c * s->S + t] == s->off_cnt[e];
	}
	if (s->lots)
		d += (nsz == 0) - (sz == 0);
	return d;
}

/* Violation change at slot a when unit u leaves it. */
static int leave_delta(const search *s, int u, int a)
{
	if (a == OUT)
		return 0;
	if (!s->lots && s->size[a] == s->usize[u])
		return -s->vslot[a];
	return raw_change(s, u, a, -1);
}

/* Violation change at slot b when unit u enters it. */
static int enter_delta(const search *s, int u, int b)
{
	if (b == OUT)
		return 0;
	if (!s->lots && s->size[b] == 0)
		return s->alone[u];
	return raw_change(s, u, b, 1);
}

/* Moves u's counts (size, sectors, services) from slot a to slot b, nothing else. */
static void counts_move(search *s, int u, int a, int b)
{
	int us = s->usize[u];
	if (a != OUT)
		s->size[a] -= us;
	if (b != OUT)
		s->size[b] += us;
	for (int e = s->sec_start[u]; e < s->sec_start[u + 1]; e++) {
		if (a != OUT)
			s->seccnt[a * s->R + s->sec_idx[e]] -= s->sec_cnt[e];
		if (b != OUT)
			s->seccnt[b * s->R + s->sec_idx[e]] += s->sec_cnt[e];
	}
	for (int e = s->off_start[u]; e < s->off_start[u + 1]; e++) {
		if (a != OUT)
			s->covcnt[a * s->S + s->off_idx[e]] -= s->off_cnt[e];
		if (b != OUT)
			s->covcnt[b * s->S + s->off_idx[e]] += s->off_cnt[e];
	}
}

/* Apart partners of u in slot c, not counting `except`. */
static int partners_in(const search *s, int u, int c, int except)
{
	if (c == OUT)
		return 0;
	int cnt = 0;
	for (int e = s->ap_start[u]; e < s->ap_start[u + 1]; e++)
		cnt += s->ap_adj[e] != except && s->slot[s->ap_adj[e]] == c;
	return cnt;
}

/* ------------------------------------------------------------ applying moves */

static void mark_used(search *s, int c, int on)
{
	int pos = s->slotpos[c], to = on ? s->used : s->used - 1;
	int other = s->slotlist[to];
	s->slotlist[to] = c;
	s->slotpos[c] = to;
	s->slotlist[pos] = other;
	s->slotpos[other] = pos;
	s->used += on ? 1 : -1;
}

static void unlink_unit(search *s, int u)
{
	int c = s->slot[u] + 1;
	if (s->prev[u] >= 0)
		s->next[s->prev[u]] = s->next[u];
	else
		s->head[c] = s->next[u];
	if (s->next[u] >= 0)
		s->prev[s->next[u]] = s->prev[u];
}

static void link_unit(search *s, int u, int c)
{
	s->prev[u] = -1;
	s->next[u] = s->head[c + 1];
	if (s->next[u] >= 0)
		s->prev[s->next[u]] = u;
	s->head[c + 1] = u;
}

static void relocate(search *s, int u, int b)
{
	int a = s->slot[u], m = s->m, K = s->K;
	if (a == b)
		return;
	s->obj += (b != OUT ? s->gain[(size_t)u * K + b] : 0) - (a != OUT ? s->gain[(size_t)u * K + a] : 0);
	s->obj += ((b != OUT) - (a != OUT)) * s->wint[u];
	s->apart_viol += partners_in(s, u, b, -1) - partners_in(s, u, a, -1);
	const double *wu = s->W + (size_t)u * m;
	if (a != OUT)
		for (int v = 0; v < m; v++)
			s->gain[(size_t)v * K + a] -= wu[v];
	if (b != OUT)
		for (int v = 0; v < m; v++)
			s->gain[(size_t)v * K + b] += wu[v];
	counts_move(s, u, a, b);
	unlink_unit(s, u);
	link_unit(s, u, b);
	s->slot[u] = b;
	if (a != OUT && s->size[a] == 0)
		mark_used(s, a, 0);
	if (b != OUT && s->size[b] == s->usize[u])
		mark_used(s, b, 1);
	if (a != OUT)
		refresh_slot(s, a);
	if (b != OUT)
		refresh_slot(s, b);
}

static void apply_move(search *s, const move *mv)
{
	if (mv->v < 0) {
		relocate(s, mv->u, mv->b);
		return;
	}
	int a = s->slot[mv->u], b = s->slot[mv->v];
	relocate(s, mv->u, b);
	relocate(s, mv->v, a);
}

/* -------------------------------------------------------- evaluating moves */

/* Per-unit context of a relocation scan: what leaving the current slot does. */
typedef struct leaving {
	int u, a, emptied, d;
} leaving;

static void leaving_begin(search *s, leaving *l, int u)
{
	l->u = u;
	l->a = s->slot[u];
	l->emptied = l->a != OUT && s->size[l->a] == s->usize[u];
	l->d = leave_delta(s, u, l->a);
	for (int e = s->ap_start[u]; e < s->ap_start[u + 1]; e++)
		s->tally[s->slot[s->ap_adj[e]] + 1]++;
}

static void leaving_end(search *s, const leaving *l)
{
	for (int e = s->ap_start[l->u]; e < s->ap_start[l->u + 1]; e++)
		s->tally[s->slot[s->ap_adj[e]] + 1] = 0;
}

static void eval_relocate(const search *s, const leaving *l, int b, move *mv)
{
	int u = l->u, a = l->a, K = s->K;
	int d = l->d + enter_delta(s, u, b);
	if (b != OUT)
		d += s->tally[b + 1];
	if (a != OUT)
		d -= s->tally[a + 1];
	if (!s->lots) {
		int used = s->used - l->emptied + (b != OUT && s->size[b] == 0);
		d += kdef(s, used) - kdef(s, s->used);
	}
	double dobj = (b != OUT ? s->gain[(size_t)u * K + b] : 0) - (a != OUT ? s->gain[(size_t)u * K + a] : 0);
	dobj += ((b != OUT) - (a != OUT)) * s->wint[u];
	mv->u = u;
	mv->v = -1;
	mv->b = b;
	mv->dobj = dobj;
	mv->dviol = d;
	mv->value = dobj - s->lambda * d;
}

static int may_enter(const search *s, int u, int c)
{
	if (s->pin[u] != CONSORT__FREE)
		return c == s->pin[u];
	return c != OUT || !s->mustplace[u];
}

/* Evaluates swapping u and v (different slots, both allowed to move). Returns 0
 * when the swap is not a move. */
static int eval_swap(search *s, int u, int v, move *mv)
{
	int a = s->slot[u], b = s->slot[v], K = s->K;
	if (a == b || !may_enter(s, u, b) || !may_enter(s, v, a))
		return 0;
	double dobj = 0;
	if (b != OUT)
		dobj += s->gain[(size_t)u * K + b] - s->gain[(size_t)v * K + b] - s->W[(size_t)u * s->m + v];
	if (a != OUT)
		dobj += s->gain[(size_t)v * K + a] - s->gain[(size_t)u * K + a] - s->W[(size_t)u * s->m + v];
	dobj += ((b != OUT) - (a != OUT)) * (s->wint[u] - s->wint[v]);
	int d = 0;
	counts_move(s, u, a, b);
	counts_move(s, v, b, a);
	if (a != OUT)
		d += slot_viol(s, a) - s->vslot[a];
	if (b != OUT)
		d += slot_viol(s, b) - s->vslot[b];
	counts_move(s, v, a, b);
	counts_move(s, u, b, a);
	d += partners_in(s, u, b, v) - partners_in(s, u, a, v) +
		partners_in(s, v, a, u) - partners_in(s, v, b, u);
	mv->u = u;
	mv->v = v;
	mv->b = b;
	mv->dobj = dobj;
	mv->dviol = d;
	mv->value = dobj - s->lambda * d;
	return 1;
}

/* Keeps the best move, breaking exact ties uniformly at random. */
static void consider(search *s, choice *ch, const move *mv)
{
	double tol = 1e-9 * s->wscale;
	if (!ch->ties || mv->value > ch->best.value + tol) {
		ch->best = *mv;
		ch->ties = 1;
	} else if (mv->value >= ch->best.value - tol) {
		ch->ties++;
		if (below(s, ch->ties) == 0)
			ch->best = *mv;
	}
}

/* Relocation targets of u: the non-empty slots, one empty slot (they are
 * interchangeable without lots), outside. Returns the count written to s->cand. */
static int targets(search *s, int u)
{
	int a = s->slot[u], nc = 0;
	int emptied = a != OUT && s->size[a] == s->usize[u];
	if (s->pin[u] != CONSORT__FREE)
		return 0; /* pinned units never move */
	if (s->lots) {
		for (int c = 0; c < s->K; c++)
			if (c != a)
				s->cand[nc++] = c;
	} else {
		for (int i = 0; i < s->used; i++)
			if (s->slotlist[i] != a)
				s->cand[nc++] = s->slotlist[i];
		if (s->used < s->K && !emptied)
			s->cand[nc++] = s->slotlist[s->used];
	}
	if (a != OUT && may_enter(s, u, OUT))
		s->cand[nc++] = OUT;
	return nc;
}

/* ------------------------------------------------------------ best solutions */

/* Person-level assignment of the unit slots `slots`, renumbered 0..k-1 in
 * order of first appearance (with lots, slot g stays lot g). Returns k. */
static int compact(search *s, const int *slots, int *assign)
{
	int k = 0;
	for (int c = 0; c <= s->K; c++)
		s->tally[c] = -1;
	for (int i = 0; i < s->n; i++) {
		int c = slots[s->unit_of[i]];
		if (c == OUT || s->lots) {
			assign[i] = c;
			continue;
		}
		if (s->tally[c] < 0)
			s->tally[c] = k++;
		assign[i] = s->tally[c];
	}
	for (int c = 0; c <= s->K; c++)
		s->tally[c] = 0;
	return s->lots ? s->K : k;
}

static double elapsed(const search *s)
{
	return now() - s->start;
}

static void report(search *s, int force)
{
	if (!s->o->progress || !s->have_best)
		return;
	double t = elapsed(s);
	if (force || t - s->last_report >= 0.1) {
		s->last_report = t;
		s->o->progress(t, s->best_obj, s->o->progress_data);
	}
}

/* Verifies the pending candidate with the shared checker and keeps it. */
static void commit(search *s)
{
	if (!s->pending)
		return;
	s->pending = 0;
	int k = compact(s, s->pend_slot, s->buf);
	if (!consort__problem_feasible(s->p, s->buf, k, NULL, 0))
		return; /* the penalties missed a rule: a bug, but never a wrong answer */
	memcpy(s->best_assign, s->buf, (size_t)s->n * sizeof(int));
	memcpy(s->best_slot, s->pend_slot, (size_t)s->m * sizeof(int));
	s->best_k = k;
	s->best_obj = s->pend_obj;
	s->have_best = 1;
	report(s, 0);
	if (s->o->has_target && s->best_obj >= s->o->target - eps_of(s->o->target))
		s->stop = 1;
}

static double top_obj(const search *s)
{
	if (s->pending)
		return s->pend_obj;
	return s->have_best ? s->best_obj : -DBL_MAX;
}

/* Records the current state when it is feasible and better than any seen.
 * Returns 1 when it was, or (before any feasible one) when it broke fewer rules. */
static int note_current(search *s)
{
	int viol = total_viol(s);
	if (viol == 0 && s->obj > top_obj(s) + eps_of(top_obj(s))) {
		memcpy(s->pend_slot, s->slot, (size_t)s->m * sizeof(int));
		s->pend_obj = s->obj;
		s->pending = 1;
		if (s->o->has_target && s->obj >= s->o->target - eps_of(s->o->target))
			commit(s);
		return 1;
	}
	if (s->pending)
		commit(s); /* the run of improvements ended: verify once */
	if (!s->have_best && viol < s->min_viol) {
		s->min_viol = viol;
		return 1;
	}
	return 0;
}

#ifdef CONSORT_HEUR_CHECK
#include <assert.h>
/* Debugging aid (build with -DCONSORT_HEUR_CHECK): recomputes every
 * incremental quantity from the slots and compares. */
static void self_check(search *s)
{
	int m = s->m, K = s->K, used = 0, apart = 0, vs = 0;
	for (int c = 0; c < K; c++) {
		int sz = 0;
		for (int u = 0; u < m; u++)
			sz += s->slot[u] == c ? s->usize[u] : 0;
		assert(sz == s->size[c]);
		used += sz > 0;
		assert((s->slotpos[c] < s->used) == (sz > 0));
		assert(slot_viol(s, c) == s->vslot[c]);
		vs += s->vslot[c];
		for (int u = 0; u < m; u++) {
			double g = 0;
			for (int x = 0; x < m; x++)
				g += s->slot[x] == c ? s->W[(size_t)u * m + x] : 0;
			assert(fabs(g - s->gain[(size_t)u * K + c]) < 1e-6 * (1 + fabs(g)));
		}
	}
	assert(used == s->used);
	assert(vs == s->vsum);
	for (int u = 0; u < m; u++)
		apart += partners_in(s, u, s->slot[u], -1);
	assert(apart == 2 * s->apart_viol);
	int k = compact(s, s->slot, s->buf);
	double obj = consort__problem_objective(s->p, s->buf);
	assert(fabs(obj - s->obj) < 1e-6 * (1 + fabs(obj)));
	if (total_viol(s) == 0)
		assert(consort__problem_feasible(s->p, s->buf, k, NULL, 0));
}
#define SELF_CHECK(s) self_check(s)
#else
#define SELF_CHECK(s) ((void)0)
#endif

/* ----------------------------------------------------------------- budget */

static int out_of_budget(search *s)
{
	const consort__heur_options *o = s->o;
	if (s->stop)
		return 1;
	if (o->max_iters > 0 && s->iter >= o->max_iters)
		return 1;
	if (o->time_limit > 0 && elapsed(s) >= o->time_limit)
		return 1;
	return 0;
}

/* ------------------------------------------------------ construction, search */

static void shuffle(search *s, int *v, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = below(s, i + 1), t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

/* Empties every slot (all units outside), with gains and caches to match. */
static void reset_state(search *s)
{
	int m = s->m, K = s->K;
	memset(s->gain, 0, (size_t)m * K * sizeof(double));
	memset(s->size, 0, (size_t)K * sizeof(int));
	memset(s->seccnt, 0, (size_t)K * s->R * sizeof(int));
	memset(s->covcnt, 0, (size_t)K * s->S * sizeof(int));
	memset(s->vslot, 0, (size_t)K * sizeof(int));
	s->vsum = 0;
	for (int c = 0; c <= K; c++)
		s->head[c] = -1;
	for (int c = 0; c < K; c++) {
		s->slotlist[c] = c;
		s->slotpos[c] = c;
	}
	s->used = 0;
	s->apart_viol = 0;
	s->obj = 0;
	for (int u = 0; u < m; u++) {
		s->slot[u] = OUT;
		link_unit(s, u, OUT);
	}
	for (int c = 0; c < K; c++)
		refresh_slot(s, c);
}

/* How many consortia a construction opens before the greedy: the fewest the
 * rules allow (klo), on restarts (randomize) half the time any count up to the
 * most they allow (khi). Opening or closing a consortium later crosses a ridge
 * of shortfalls, so the count is best right from the start. */
static int seed_count(search *s, int randomize)
{
	if (s->lots)
		return 0;
	int k = s->klo;
	if (randomize && below(s, 2))
		k += below(s, s->khi - s->klo + 1);
	return k;
}

/* Randomized greedy: units in random order, each to its best slot under the
 * current penalties (noise > 0 blurs the choice, also on the number of
 * consortia opened first). */
static void construct(search *s, double noise)
{
	s->lambda = s->lmax; /* the rules first; the weight adapts down later */
	reset_state(s);
	int free_units = 0;
	for (int u = 0; u < s->m; u++)
		if (s->pin[u] == CONSORT__FREE)
			s->order[free_units++] = u;
		else if (s->pin[u] != OUT)
			relocate(s, u, s->pin[u]);
	shuffle(s, s->order, free_units);
	int seeds = seed_count(s, noise > 0);
	if (seeds > free_units)
		seeds = free_units;
	for (int i = 0; i < seeds; i++)
		relocate(s, s->order[i], s->slotlist[s->used]);
	for (int i = seeds; i < free_units; i++) {
		int u = s->order[i];
		leaving l;
		choice ch = {.ties = 0};
		leaving_begin(s, &l, u);
		int nc = targets(s, u);
		for (int j = 0; j < nc; j++) {
			move mv;
			eval_relocate(s, &l, s->cand[j], &mv);
			mv.value += noise * s->wscale * rnd01(s);
			consider(s, &ch, &mv);
		}
		if (!s->mustplace[u]) {
			move stay = {.u = u, .v = -1, .b = OUT, .value = noise * s->wscale * rnd01(s)};
			consider(s, &ch, &stay);
		}
		leaving_end(s, &l);
		if (ch.ties)
			relocate(s, u, ch.best.b);
	}
	SELF_CHECK(s);
}

/* The first improving swap of u with a unit of slot c (every unit when the
 * instance is small); applies it and returns 1, or returns 0. */
static int improve_by_swap(search *s, int u, int c)
{
	double eps = 1e-9 * s->wscale;
	move mv;
	if (s->m <= FULL_SWAP_UNITS) {
		for (int v = 0; v < s->m; v++)
			if (eval_swap(s, u, v, &mv) && mv.value > eps)
				goto apply;
		return 0;
	}
	int seen = 0;
	for (int v = s->head[c + 1]; v >= 0 && seen < SWAP_PARTNERS; v = s->next[v], seen++)
		if (eval_swap(s, u, v, &mv) && mv.value > eps)
			goto apply;
	return 0;
apply:
	apply_move(s, &mv);
	return 1;
}

/* First-improvement descent by relocations and swaps under fixed penalties. */
static void descent(search *s)
{
	int improved = 1;
	for (int sweep = 0; improved && sweep < 50 && !out_of_budget(s); sweep++) {
		improved = 0;
		s->iter++;
		for (int u = 0; u < s->m; u++)
			s->order[u] = u;
		shuffle(s, s->order, s->m);
		for (int i = 0; i < s->m; i++) {
			int u = s->order[i];
			leaving l;
			choice ch = {.ties = 0};
			leaving_begin(s, &l, u);
			int nc = targets(s, u);
			for (int j = 0; j < nc; j++) {
				move mv;
				eval_relocate(s, &l, s->cand[j], &mv);
				consider(s, &ch, &mv);
			}
			leaving_end(s, &l);
			if (ch.ties && ch.best.value > 1e-9 * s->wscale) {
				relocate(s, u, ch.best.b);
			} else if (!ch.ties || !improve_by_swap(s, u, ch.best.b)) {
				continue;
			}
			SELF_CHECK(s);
			improved = 1;
			note_current(s);
			if (s->stop)
				return;
		}
	}
}

static int is_tabu(const search *s, int u, int c)
{
	return s->tabu[(size_t)u * (s->K + 1) + (c + 1)] > s->iter;
}

/* Tenure in [b, 2b], b = m clamped to 4..15: on small instances a shorter one
 * lets the search cycle on plateaus of equal violation (measured on random
 * 4-9 participant instances against brute force). */
static int tenure(search *s)
{
	int base = s->m;
	if (base < 4)
		base = 4;
	if (base > 15)
		base = 15;
	return base + below(s, base + 1);
}

/* Admissible: not tabu, or leading to a feasible solution better than any seen. */
static void offer(search *s, choice *ok, choice *any, const move *mv, int tabu)
{
	consider(s, any, mv);
	if (tabu) {
		int viol = total_viol(s) + mv->dviol;
		if (viol != 0 || s->obj + mv->dobj <= top_obj(s) + eps_of(top_obj(s)))
			return;
	}
	consider(s, ok, mv);
}

static void scan_swaps_of(search *s, int u, int bstar, choice *ok, choice *any)
{
	int a = s->slot[u], seen = 0;
	for (int v = s->head[bstar + 1]; v >= 0 && seen < SWAP_PARTNERS; v = s->next[v], seen++) {
		move mv;
		if (!eval_swap(s, u, v, &mv))
			continue;
		offer(s, ok, any, &mv, is_tabu(s, u, bstar) || is_tabu(s, v, a));
	}
}

/* One tabu step: the best admissible move over relocations and swaps. Returns 0
 * when no move exists at all. */
static int tabu_step(search *s)
{
	choice ok = {.ties = 0}, any = {.ties = 0};
	int full_swaps = s->m <= FULL_SWAP_UNITS;
	int window = s->m > TABU_WINDOW ? TABU_WINDOW : s->m;
	for (int w = 0; w < window; w++) {
		int u = window == s->m ? w : s->order[s->cursor];
		if (window < s->m && ++s->cursor == s->m) {
			s->cursor = 0;
			shuffle(s, s->order, s->m);
		}
		leaving l;
		choice mine = {.ties = 0};
		leaving_begin(s, &l, u);
		int nc = targets(s, u);
		for (int j = 0; j < nc; j++) {
			move mv;
			eval_relocate(s, &l, s->cand[j], &mv);
			consider(s, &mine, &mv);
			offer(s, &ok, &any, &mv, is_tabu(s, u, s->cand[j]));
		}
		leaving_end(s, &l);
		if (full_swaps) {
			for (int v = u + 1; v < s->m; v++) {
				move mv;
				if (eval_swap(s, u, v, &mv))
					offer(s, &ok, &any, &mv,
						is_tabu(s, u, s->slot[v]) || is_tabu(s, v, s->slot[u]));
			}
		} else if (mine.ties) {
			scan_swaps_of(s, u, mine.best.b, &ok, &any);
		}
	}
	if (!any.ties)
		return 0;
	const move *mv = ok.ties ? &ok.best : &any.best;
	int u = mv->u, a = s->slot[u];
	long until = s->iter + tenure(s);
	if (mv->v >= 0)
		s->tabu[(size_t)mv->v * (s->K + 1) + (s->slot[mv->v] + 1)] = until;
	s->tabu[(size_t)u * (s->K + 1) + (a + 1)] = until;
#ifdef CONSORT_HEUR_CHECK
	double obj0 = s->obj;
	int viol0 = total_viol(s);
	apply_move(s, mv);
	assert(fabs(s->obj - obj0 - mv->dobj) < 1e-6 * (1 + fabs(obj0)));
	assert(total_viol(s) - viol0 == mv->dviol);
#else
	apply_move(s, mv);
#endif
	SELF_CHECK(s);
	return 1;
}

/* Cordeau, Gendreau & Laporte's update: the weight grows while the current
 * solution breaks a rule and shrinks while it meets them all. One weight for
 * every kind: with a weight per kind, kinds that take turns being broken (cover,
 * then apart, then count, ...) each keep theirs low and the search never
 * settles. */
static void adapt_penalties(search *s)
{
	if (total_viol(s) > 0)
		s->lambda = fmin(s->lmax, s->lambda * 1.2);
	else
		s->lambda = fmax(s->lmin, s->lambda / 1.2);
}

static void restore(search *s, const int *target)
{
	for (int u = 0; u < s->m; u++)
		if (s->slot[u] != target[u])
			relocate(s, u, target[u]);
}

static void random_move(search *s)
{
	int u = below(s, s->m);
	if (below(s, 2)) {
		int v = below(s, s->m);
		move mv;
		if (eval_swap(s, u, v, &mv)) {
			apply_move(s, &mv);
			return;
		}
	}
	int nc = targets(s, u);
	if (nc > 0)
		relocate(s, u, s->cand[below(s, nc)]);
}

static void perturb(search *s, int restarts)
{
	if (!s->have_best || restarts % 4 == 0) {
		construct(s, 1.0);
		return;
	}
	restore(s, s->best_slot);
	int strength = 2 + below(s, s->m / 8 > 1 ? s->m / 8 : 1);
	for (int i = 0; i < strength; i++)
		random_move(s);
	SELF_CHECK(s);
}

/* One slot and nobody may stay outside: everyone in slot 0 is the only state. */
static int single_state(const search *s)
{
	if (s->K != 1)
		return 0;
	for (int u = 0; u < s->m; u++)
		if (!s->mustplace[u])
			return 0;
	return 1;
}

static void run(search *s)
{
	int stall_limit = 100 + s->m, stall = 0, restarts = 0;
	construct(s, 0);
	s->iter++;
	note_current(s);
	if (single_state(s)) {
		commit(s);
		return;
	}
	descent(s);
	while (!out_of_budget(s)) {
		s->iter++;
		int moved = tabu_step(s);
		adapt_penalties(s);
		if (note_current(s))
			stall = 0;
		else
			stall++;
		if (stall > stall_limit || !moved) {
			commit(s);
			perturb(s, ++restarts);
			s->iter++;
			note_current(s);
			descent(s);
			stall = 0;
		}
	}
	commit(s);
}

/* ------------------------------------------------------------------ set-up */

static int find(int *parent, int i)
{
	while (parent[i] != i) {
		parent[i] = parent[parent[i]];
		i = parent[i];
	}
	return i;
}

static void *xcalloc(size_t n, size_t size, int *fail)
{
	void *v = calloc(n ? n : 1, size);
	if (!v)
		*fail = 1;
	return v;
}

static void search_free(search *s)
{
	void *all[] = {s->unit_of, s->usize, s->mustplace, s->pin, s->wint, s->Wown, s->sec_start,
		s->sec_idx, s->sec_cnt, s->off_start, s->off_idx, s->off_cnt, s->ap_start, s->ap_adj,
		s->alone, s->gsmin, s->gsmax, s->gsecmin, s->gsecmax, s->gneed, s->slot, s->size,
		s->seccnt, s->covcnt, s->vslot, s->slotlist, s->slotpos, s->head, s->next, s->prev,
		s->gain, s->tabu, s->tally, s->order, s->cand, s->best_slot, s->pend_slot,
		s->best_assign, s->buf};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		free(all[i]);
}

static int check_problem(const consort__problem *p, consort_error *err)
{
	if (p->n < 0 || p->nsec < 0 || p->nserv < 0 || p->nlots < 0 || !p->w || (p->n > 0 && !p->sector))
		return consort__error(err, CONSORT_EUSAGE, "heuristic: malformed problem");
	for (int i = 0; i < p->n; i++)
		if (p->sector[i] < 0 || p->sector[i] >= p->nsec)
			return consort__error(err, CONSORT_EUSAGE, "heuristic: participant %d has sector %d", i,
				p->sector[i]);
	for (int g = -1; g < p->nlots; g++) {
		const consort__group *gr = g < 0 ? &p->global : &p->lot[g];
		for (int k = 0; k < gr->ncover; k++)
			if (gr->cover[k] < 0 || gr->cover[k] >= p->nserv)
				return consort__error(err, CONSORT_EUSAGE, "heuristic: cover names service %d",
					gr->cover[k]);
	}
	for (int t = 0; t < p->ntogether + p->napart; t++) {
		const int *pair = t < p->ntogether ? p->together[t] : p->apart[t - p->ntogether];
		if (pair[0] < 0 || pair[0] >= p->n || pair[1] < 0 || pair[1] >= p->n)
			return consort__error(err, CONSORT_EUSAGE, "heuristic: rule pair names participant %d",
				pair[0] < 0 || pair[0] >= p->n ? pair[0] : pair[1]);
	}
	return 0;
}

/* Units from together pairs. Returns 0, or 1 when an apart pair falls inside a
 * unit (no solution exists). */
static int build_units(search *s, int *fail)
{
	const consort__problem *p = s->p;
	int n = s->n;
	int *parent = xcalloc((size_t)n, sizeof(int), fail);
	s->unit_of = xcalloc((size_t)n, sizeof(int), fail);
	if (*fail) {
		free(parent);
		return 0;
	}
	for (int i = 0; i < n; i++)
		parent[i] = i;
	for (int t = 0; t < p->ntogether; t++) {
		int a = find(parent, p->together[t][0]), b = find(parent, p->together[t][1]);
		if (a != b)
			parent[a] = b;
	}
	int m = 0;
	for (int i = 0; i < n; i++)
		s->unit_of[i] = -1;
	for (int i = 0; i < n; i++) {
		int r = find(parent, i);
		if (s->unit_of[r] < 0)
			s->unit_of[r] = m++;
		s->unit_of[i] = s->unit_of[r];
	}
	free(parent);
	s->m = m;
	for (int t = 0; t < p->napart; t++)
		if (s->unit_of[p->apart[t][0]] == s->unit_of[p->apart[t][1]])
			return 1;
	return 0;
}

static void build_weights(search *s, int *fail)
{
	const consort__problem *p = s->p;
	int n = s->n, m = s->m;
	s->wint = xcalloc((size_t)m, sizeof(double), fail);
	int diag_zero = 1;
	for (int i = 0; i < n; i++)
		diag_zero &= p->w[(size_t)i * n + i] == 0;
	if (m == n && diag_zero) {
		s->W = p->w;
		return;
	}
	s->Wown = xcalloc((size_t)m * m, sizeof(double), fail);
	if (*fail)
		return;
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++) {
			int a = s->unit_of[i], b = s->unit_of[j];
			double w = p->w[(size_t)i * n + j];
			if (a == b) {
				s->wint[a] += w;
			} else {
				s->Wown[(size_t)a * m + b] += w;
				s->Wown[(size_t)b * m + a] += w;
			}
		}
	s->W = s->Wown;
}

/* The sectors some group bounds, and the slot rules in those terms. */
static void build_groups(search *s, int *fail)
{
	const consort__problem *p = s->p;
	int G = s->lots ? s->K : 1, n = s->n;
	int *rel = xcalloc((size_t)p->nsec, sizeof(int), fail);
	if (*fail)
		return;
	s->R = 0;
	for (int sec = 0; sec < p->nsec; sec++) {
		int bounded = 0;
		for (int g = 0; g < G; g++) {
			const consort__group *gr = consort__problem_group(p, g);
			bounded |= gr->sec_min[sec] > 0 || gr->sec_max[sec] < n;
		}
		rel[sec] = bounded ? s->R++ : -1;
	}
	s->S = p->nserv;
	s->gsmin = xcalloc((size_t)G, sizeof(int), fail);
	s->gsmax = xcalloc((size_t)G, sizeof(int), fail);
	s->gsecmin = xcalloc((size_t)G * s->R, sizeof(int), fail);
	s->gsecmax = xcalloc((size_t)G * s->R, sizeof(int), fail);
	s->gneed = xcalloc((size_t)G * s->S, 1, fail);
	s->sec_start = xcalloc((size_t)s->m + 1, sizeof(int), fail);
	s->off_start = xcalloc((size_t)s->m + 1, sizeof(int), fail);
	s->sec_idx = xcalloc((size_t)n, sizeof(int), fail);
	s->sec_cnt = xcalloc((size_t)n, sizeof(int), fail);
	s->off_idx = xcalloc((size_t)n * s->S, sizeof(int), fail);
	s->off_cnt = xcalloc((size_t)n * s->S, sizeof(int), fail);
	s->alone = xcalloc((size_t)s->m, sizeof(int), fail);
	if (*fail) {
		free(rel);
		return;
	}
	for (int g = 0; g < G; g++) {
		const consort__group *gr = consort__problem_group(p, g);
		s->gsmin[g] = gr->size_min;
		s->gsmax[g] = gr->size_max;
		for (int sec = 0; sec < p->nsec; sec++)
			if (rel[sec] >= 0) {
				s->gsecmin[g * s->R + rel[sec]] = gr->sec_min[sec];
				s->gsecmax[g * s->R + rel[sec]] = gr->sec_max[sec];
			}
		for (int k = 0; k < gr->ncover; k++)
			s->gneed[g * s->S + gr->cover[k]] = 1;
	}
	/* Per-unit sector and service counts, as sparse lists. */
	int *secd = xcalloc((size_t)s->R, sizeof(int), fail);
	int *offd = xcalloc((size_t)s->S, sizeof(int), fail);
	int *members = xcalloc((size_t)n, sizeof(int), fail), *mstart = xcalloc((size_t)s->m + 1, sizeof(int), fail);
	if (*fail) {
		free(rel), free(secd), free(offd), free(members), free(mstart);
		return;
	}
	for (int i = 0; i < n; i++)
		mstart[s->unit_of[i] + 1]++;
	for (int u = 0; u < s->m; u++)
		mstart[u + 1] += mstart[u];
	for (int i = 0; i < n; i++)
		members[mstart[s->unit_of[i]]++] = i;
	for (int u = s->m; u > 0; u--)
		mstart[u] = mstart[u - 1];
	mstart[0] = 0;
	int ns = 0, no = 0;
	for (int u = 0; u < s->m; u++) {
		for (int e = mstart[u]; e < mstart[u + 1]; e++) {
			int i = members[e];
			if (rel[p->sector[i]] >= 0)
				secd[rel[p->sector[i]]]++;
			for (int t = 0; t < s->S; t++)
				offd[t] += p->offers[(size_t)i * s->S + t] != 0;
		}
		s->sec_start[u] = ns;
		s->off_start[u] = no;
		int al = out_of(s->usize[u], s->gsmin[0], s->gsmax[0]);
		for (int r = 0; r < s->R; r++) {
			al += out_of(secd[r], s->gsecmin[r], s->gsecmax[r]);
			if (secd[r]) {
				s->sec_idx[ns] = r;
				s->sec_cnt[ns++] = secd[r];
			}
			secd[r] = 0;
		}
		for (int t = 0; t < s->S; t++) {
			al += s->gneed[t] && !offd[t];
			if (offd[t]) {
				s->off_idx[no] = t;
				s->off_cnt[no++] = offd[t];
			}
			offd[t] = 0;
		}
		s->alone[u] = al;
	}
	s->sec_start[s->m] = ns;
	s->off_start[s->m] = no;
	free(rel), free(secd), free(offd), free(members), free(mstart);
}

static int ceil_div(int a, int b)
{
	return (a + b - 1) / b;
}

/* Without lots, the range of consortia counts the global rules leave open:
 * enough consortia for the size and sector maxima when everyone is placed, no
 * more than the sector minima and the offerers of each covered service allow. */
static void count_bounds(search *s, int *fail)
{
	int lo = s->kmin, hi = s->K;
	int *secn = xcalloc((size_t)s->R, sizeof(int), fail);
	int *offn = xcalloc((size_t)s->S, sizeof(int), fail);
	if (*fail) {
		free(secn), free(offn);
		return;
	}
	for (int e = 0; e < s->sec_start[s->m]; e++)
		secn[s->sec_idx[e]] += s->sec_cnt[e];
	for (int e = 0; e < s->off_start[s->m]; e++)
		offn[s->off_idx[e]]++;
	if (s->p->everyone) {
		if (s->gsmax[0] > 0 && ceil_div(s->n, s->gsmax[0]) > lo)
			lo = ceil_div(s->n, s->gsmax[0]);
		for (int r = 0; r < s->R; r++)
			if (s->gsecmax[r] > 0 && ceil_div(secn[r], s->gsecmax[r]) > lo)
				lo = ceil_div(secn[r], s->gsecmax[r]);
	}
	for (int r = 0; r < s->R; r++)
		if (s->gsecmin[r] > 0 && secn[r] / s->gsecmin[r] < hi)
			hi = secn[r] / s->gsecmin[r];
	for (int t = 0; t < s->S; t++)
		if (s->gneed[t] && offn[t] < hi)
			hi = offn[t];
	if (hi > s->K)
		hi = s->K;
	if (lo > hi)
		lo = hi; /* the rules clash; search anyway, the checker decides */
	s->klo = lo > 0 ? lo : 0;
	s->khi = hi > s->klo ? hi : s->klo;
	free(secn), free(offn);
}

static void build_apart(search *s, int *fail)
{
	const consort__problem *p = s->p;
	s->ap_start = xcalloc((size_t)s->m + 1, sizeof(int), fail);
	s->ap_adj = xcalloc((size_t)p->napart * 2, sizeof(int), fail);
	if (*fail)
		return;
	for (int t = 0; t < p->napart; t++) {
		s->ap_start[s->unit_of[p->apart[t][0]] + 1]++;
		s->ap_start[s->unit_of[p->apart[t][1]] + 1]++;
	}
	for (int u = 0; u < s->m; u++)
		s->ap_start[u + 1] += s->ap_start[u];
	for (int t = 0; t < p->napart; t++) {
		int a = s->unit_of[p->apart[t][0]], b = s->unit_of[p->apart[t][1]];
		s->ap_adj[s->ap_start[a]++] = b;
		s->ap_adj[s->ap_start[b]++] = a;
	}
	for (int u = s->m; u > 0; u--)
		s->ap_start[u] = s->ap_start[u - 1];
	s->ap_start[0] = 0;
}

/* Slots: with lots one per lot; otherwise as many as a feasible solution can
 * use (at most kmax, one per unit, n / size_min). */
static int slot_count(const consort__problem *p, int m)
{
	if (p->nlots > 0)
		return p->nlots;
	int K = p->kmax < m ? p->kmax : m;
	int per = p->global.size_min > 1 ? p->global.size_min : 1;
	if (p->n / per < K)
		K = p->n / per;
	return K > 0 ? K : 0;
}

static void build_state(search *s, int *fail)
{
	int m = s->m, K = s->K;
	s->slot = xcalloc((size_t)m, sizeof(int), fail);
	s->size = xcalloc((size_t)K, sizeof(int), fail);
	s->seccnt = xcalloc((size_t)K * s->R, sizeof(int), fail);
	s->covcnt = xcalloc((size_t)K * s->S, sizeof(int), fail);
	s->vslot = xcalloc((size_t)K, sizeof(int), fail);
	s->slotlist = xcalloc((size_t)K, sizeof(int), fail);
	s->slotpos = xcalloc((size_t)K, sizeof(int), fail);
	s->head = xcalloc((size_t)K + 1, sizeof(int), fail);
	s->next = xcalloc((size_t)m, sizeof(int), fail);
	s->prev = xcalloc((size_t)m, sizeof(int), fail);
	s->gain = xcalloc((size_t)m * K, sizeof(double), fail);
	s->tabu = xcalloc((size_t)m * (K + 1), sizeof(long), fail);
	s->tally = xcalloc((size_t)K + 1, sizeof(int), fail);
	s->order = xcalloc((size_t)m, sizeof(int), fail);
	s->cand = xcalloc((size_t)K + 2, sizeof(int), fail);
	s->best_slot = xcalloc((size_t)m, sizeof(int), fail);
	s->pend_slot = xcalloc((size_t)m, sizeof(int), fail);
	s->best_assign = xcalloc((size_t)s->n, sizeof(int), fail);
	s->buf = xcalloc((size_t)s->n, sizeof(int), fail);
}

static void init_penalties(search *s)
{
	double maxw = 0, maxrow = 0;
	for (int u = 0; u < s->m; u++) {
		double row = 0;
		for (int v = 0; v < s->m; v++) {
			double a = fabs(s->W[(size_t)u * s->m + v]);
			row += a;
			if (a > maxw)
				maxw = a;
		}
		if (row > maxrow)
			maxrow = row;
	}
	s->wscale = maxw > 0 ? maxw : 1;
	s->lmin = 0.1 * s->wscale;
	s->lmax = 2 * maxrow + 10 * s->wscale;
	s->lambda = s->lmax;
}

/* Unit pins from the members' (rules.fixed). Returns 0 when they contradict. */
static int pin_units(search *s)
{
	const consort__problem *p = s->p;
	for (int i = 0; p->fixed && i < s->n; i++) {
		int f = p->fixed[i], u = s->unit_of[i];
		if (f == CONSORT__FREE)
			continue;
		if ((s->pin[u] != CONSORT__FREE && s->pin[u] != f) || (f == OUT && s->mustplace[u]) ||
		    (f != OUT && (!s->lots || f >= s->K)))
			return 0;
		s->pin[u] = f;
		s->npinned++;
	}
	return 1;
}

void consort__heur_options_init(consort__heur_options *o)
{
	memset(o, 0, sizeof(*o));
	o->time_limit = 10;
	o->max_iters = 0;
	o->seed = 1;
}

/* No slot can be used (kmax 0 or too few participants): everyone outside is
 * the only candidate. */
static int solve_empty(const consort__problem *p, int *assign, int *k, double *objective)
{
	for (int i = 0; i < p->n; i++)
		assign[i] = OUT;
	*k = p->nlots;
	if (!consort__problem_feasible(p, assign, p->nlots, NULL, 0))
		return 0;
	*objective = 0;
	return 1;
}

/* The specialised engines for the problem shapes that have one. Returns 1 with
 * a checked solution, 0 when none applies (or, never expected, its answer
 * breaks a rule: the general engine then runs), or a negative code. */
static int fast_path(const consort__problem *p, const consort__heur_options *o,
	int *assign, int *k, double *objective, consort_error *err)
{
	double t0 = consort__heur_now();
	int rc = 0;
	if (consort__problem_has_extended_rules(p))
		return 0; /* the fast paths know the formats.md rules only */
	if (consort__heur_cpp_applies(p))
		rc = consort__heur_cpp_solve(p, o, assign, k, objective, err);
	else if (consort__heur_mdgp_applies(p))
		rc = consort__heur_mdgp_solve(p, o, assign, k, objective, err);
	if (rc <= 0)
		return rc;
	if (!consort__problem_feasible(p, assign, *k, NULL, 0)) {
		for (int i = 0; i < p->n; i++)
			assign[i] = OUT;
		*k = 0;
		*objective = 0;
		return 0;
	}
	if (o->progress)
		o->progress(consort__heur_now() - t0, *objective, o->progress_data);
	return 1;
}

static int heuristic_core(const consort__problem *p, const consort__heur_options *o,
	int *assign, int *k, double *objective, consort_error *err);

/* min_fit is not one of the penalties of the tabu search: besides the search
 * under every rule (whose solutions count only when they meet min_fit), a
 * search without min_fit gives a start that the fairness search
 * (engines/fairness.c) repairs until every fit is high enough, when it can. */
int consort__heuristic_solve(const consort__problem *p, const consort__heur_options *o,
	int *assign, int *k, double *objective, consort_error *err)
{
	if (!p->has_min_fit)
		return heuristic_core(p, o, assign, k, objective, err);
	consort__heur_options half = *o;
	if (half.time_limit > 0)
		half.time_limit /= 2;
	int found = heuristic_core(p, &half, assign, k, objective, err);
	if (found < 0)
		return found;
	consort__problem *q = consort__problem_clone(p);
	int *other = malloc((size_t)(p->n ? p->n : 1) * sizeof(int));
	if (!q || !other) {
		consort__problem_free(q);
		free(other);
		return consort__error_nomem(err);
	}
	q->has_min_fit = 0;
	half.progress = NULL; /* its values need not meet min_fit */
	int k2 = 0;
	double obj2 = 0;
	int f2 = heuristic_core(q, &half, other, &k2, &obj2, err);
	consort__problem_free(q);
	if (f2 > 0 && (f2 = consort__fair_improve(p, other, &k2, CONSORT__FAIR_MIN_FIT, 50L + 4L * p->n,
	    half.time_limit > 0 ? half.time_limit : 1)) < 0)
		f2 = consort__error_nomem(err);
	if (f2 < 0) {
		free(other);
		return f2;
	}
	if (f2 == 1) {
		obj2 = consort__problem_objective(p, other);
		if (!found || obj2 > *objective) {
			memcpy(assign, other, (size_t)p->n * sizeof(int));
			*k = k2;
			*objective = obj2;
			found = 1;
			if (o->progress)
				o->progress(0, obj2, o->progress_data);
		}
	}
	free(other);
	return found;
}

static int heuristic_core(const consort__problem *p, const consort__heur_options *o,
	int *assign, int *k, double *objective, consort_error *err)
{
	if (o->time_limit <= 0 && o->max_iters <= 0)
		return consort__error(err, CONSORT_EUSAGE, "heuristic: no time limit and no iteration limit");
	int rc = check_problem(p, err);
	if (rc < 0)
		return rc;
	*k = 0;
	*objective = 0;
	for (int i = 0; i < p->n; i++)
		assign[i] = OUT;
	rc = fast_path(p, o, assign, k, objective, err);
	if (rc != 0)
		return rc;
	search s;
	memset(&s, 0, sizeof(s));
	s.p = p;
	s.o = o;
	s.n = p->n;
	s.lots = p->nlots > 0;
	s.kmin = p->kmin;
	s.start = now();
	s.rng = (unsigned long long)o->seed * 0x2545f4914f6cdd1dULL + 0x1234567ULL;
	int fail = 0;
	if (build_units(&s, &fail)) {
		search_free(&s);
		return 0; /* an apart pair is chained together */
	}
	if (fail)
		goto nomem;
	s.K = slot_count(p, s.m);
	if (s.m == 0 || s.K == 0) {
		search_free(&s);
		return solve_empty(p, assign, k, objective);
	}
	if (s.K < s.kmin || (s.lots && s.m < s.K)) {
		search_free(&s);
		return 0; /* too few units or slots for the consortia asked */
	}
	s.usize = xcalloc((size_t)s.m, sizeof(int), &fail);
	s.mustplace = xcalloc((size_t)s.m, 1, &fail);
	s.pin = xcalloc((size_t)s.m, sizeof(int), &fail);
	if (fail)
		goto nomem;
	for (int i = 0; i < s.n; i++)
		s.usize[s.unit_of[i]]++;
	for (int u = 0; u < s.m; u++) {
		s.mustplace[u] = p->everyone || s.usize[u] > 1;
		s.pin[u] = CONSORT__FREE;
	}
	if (!pin_units(&s)) {
		search_free(&s);
		return 0; /* two members of one unit pinned apart, or a pin no slot has */
	}
	build_weights(&s, &fail);
	if (!fail)
		build_groups(&s, &fail);
	if (!fail)
		build_apart(&s, &fail);
	if (!fail && !s.lots)
		count_bounds(&s, &fail);
	if (!fail)
		build_state(&s, &fail);
	if (fail)
		goto nomem;
	init_penalties(&s);
	s.min_viol = 1 << 30;
	s.best_obj = -DBL_MAX;
	run(&s);
	int found = 0;
	if (s.have_best && consort__problem_feasible(p, s.best_assign, s.best_k, NULL, 0)) {
		memcpy(assign, s.best_assign, (size_t)s.n * sizeof(int));
		*k = s.best_k;
		*objective = s.best_obj = consort__problem_objective(p, assign);
		found = 1;
		report(&s, 1);
	}
	search_free(&s);
	return found;
nomem:
	search_free(&s);
	return consort__error_nomem(err);
}
