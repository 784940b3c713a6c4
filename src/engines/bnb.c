/* Combinatorial branch and bound with Russian doll bounds (see bnb.h).
 *
 * Participants are placed one at a time in a fixed order (depth d places
 * participant ord[d]). Without lots the consortia are interchangeable, so
 * symmetry is broken by construction: the participant at depth d may join one
 * of the consortia opened so far or open the next one. With lots every lot is
 * its own slot.
 *
 * The bound at a node with depths 0..d-1 placed is
 *     val + sum over unplaced j of (best gain of j towards the placed members)
 *         + doll[d]
 * where val is the objective among the placed, the gain of j in a consortium
 * is the sum of its weights to the members placed there (0 in a consortium
 * opened later, or outside), restricted to the places the rules still allow
 * j, and doll[d] is the optimum among the unplaced participants alone with
 * every rule relaxed but the number of consortia (and, when everyone must be
 * placed, that nobody stays outside). The three parts bound disjoint sets of
 * pairs, so their sum bounds every completion. The doll values are the
 * optima of the suffix problems, each found by the same search (relaxed) from
 * the last participant back to the first, each using the ones after it
 * (Verfaillie, Lemaitre & Schiex 1996, "Russian doll search").
 *
 * The rules prune every node: a participant with nowhere left to go, size,
 * sector and service deficits that the unplaced participants cannot fill,
 * capacity they cannot fit in, together and apart pairs. The search keeps
 * only strictly better solutions and checks each with the problem's own
 * checker before keeping it. */
#include "bnb.h"
#include "error.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define UNPLACED (-2)
#define PIN_FREE (-2)
#define OUT (-3)   /* forced_slot: pinned outside */
#define CHECK_EVERY 4096 /* nodes between clock reads */

typedef struct search {
	const consort__problem *p;
	int n, G;          /* participants, consortium slots */
	int labeled;       /* lots: slot g is lot g */
	int relaxed;       /* a doll: no rules but G slots of at most rmax, and outside_ok */
	int rmax;          /* largest size any consortium may have */
	int outside_ok;    /* !everyone */
	int nsec, nserv;

	int *ord;          /* depth -> participant */
	double *W;         /* n*n weights by depth */
	int *sec;          /* sector by depth */
	unsigned char *off;/* n*nserv offers by depth */
	const consort__group **gc; /* constraints by slot */
	int *must;         /* by depth: in a together pair, cannot stay outside */
	int *pin;          /* by depth: PIN_FREE, -1 (outside: rules.fixed, absent) or lot g */
	int *remout;       /* n+1: unplaced pinned outside from depth d */
	double *ps;        /* min_fit: n*(n+1), ps[e*(n+1)+d] = sum of w(e, j) > 0 over j >= d */
	double *fitnow;    /* min_fit: by depth, the fit among the placed */
	int *tog, *togs;   /* together partners of each depth (CSR, depths) */
	int *apt, *apts;   /* apart partners of each depth (CSR, depths) */
	int *remsec;       /* (n+1)*nsec: unplaced members of each sector from depth d */
	int *remoff;       /* (n+1)*nserv: unplaced offerers of each service from depth d */
	int *remmust;      /* n+1: unplaced must-place members from depth d */

	int *grp;          /* by depth: slot, -1 outside, UNPLACED */
	int *size;         /* by slot */
	int *cnt;          /* G*nsec */
	int *cov;          /* G*nserv */
	double *link;      /* n*G: weight of depth j to the members placed in slot g */
	int opened;        /* slots in use (unlabeled) */
	double val;

	int *def, *capsec, *lack; /* scratch: nsec, nsec, nserv */
	double *bg, *cost; /* n scratch: best gains, costs of a move */
	double *bg2;       /* n scratch: second best gains (another place than bbest) */
	int *bbest;        /* n scratch: the opened slot of the best gain, -1 when none */
	double *tops;      /* size caps: n*(n+1)*(n+1), tops[(j*(n+1)+d)*(n+1)+k] = the sum of the
	                    * k largest positive w(j, l) over l >= d, l != j (NULL: no cap) */
	int *fj;           /* n scratch: forced_slot of each unplaced depth at this node */
	uint64_t *am;      /* n scratch: the opened slots each unplaced depth may still join */
	uint64_t *secfull; /* nsec scratch: slots full of a sector */
	int *opt;          /* (n+1)*(G+1) scratch: candidate slots by depth */
	double *optv;

	double *doll;      /* n+1: the suffix bounds (see dolls()) */
	int *bests;        /* n: the best solution of the last doll, by depth */
	int d0;            /* first depth of the current search */
	int has_inc;
	double inc, eps;
	int *best;         /* by depth */
	int *assign;       /* n scratch, by participant */

	long nodes;
	double t0, deadline, next_report;
	int stopped;
	long node_cap;     /* a doll's node budget (0: none) */
	int aborted;       /* that budget ran out */
	const consort__bnb_options *o;
	double report_bound;
} search;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void consort__bnb_options_init(consort__bnb_options *o)
{
	memset(o, 0, sizeof(*o));
}

double consort__bnb_progress_every(const consort__bnb_options *o)
{
	return o->progress_every > 0 ? o->progress_every : 0.5;
}

void consort__bnb_result_dispose(consort__bnb_result *r)
{
	free(r->assign);
	r->assign = NULL;
}

int consort__bnb_supported(const consort__problem *p)
{
	return p->n >= 1 && p->n <= CONSORT_BNB_MAX_N && p->kmax >= 1 && !p->maxmin;
}

/* ---- state changes ---- */

static void place(search *s, int d, int g)
{
	s->grp[d] = g;
	if (g < 0)
		return;
	int n = s->n, G = s->G;
	s->val += s->link[d * G + g];
	s->size[g]++;
	s->cnt[g * s->nsec + s->sec[d]]++;
	for (int c = 0; c < s->nserv; c++)
		s->cov[g * s->nserv + c] += s->off[d * s->nserv + c];
	const double *wd = s->W + (size_t)d * n;
	if (s->p->has_min_fit && !s->relaxed) {
		s->fitnow[d] = s->link[d * G + g];
		for (int e = s->d0; e < d; e++)
			if (s->grp[e] == g)
				s->fitnow[e] += wd[e];
	}
	for (int j = d + 1; j < n; j++)
		s->link[j * G + g] += wd[j];
	if ((s->relaxed || !s->labeled) && g == s->opened)
		s->opened++;
}

static void unplace(search *s, int d)
{
	int g = s->grp[d];
	s->grp[d] = UNPLACED;
	if (g < 0)
		return;
	int n = s->n, G = s->G;
	s->val -= s->link[d * G + g];
	s->size[g]--;
	s->cnt[g * s->nsec + s->sec[d]]--;
	for (int c = 0; c < s->nserv; c++)
		s->cov[g * s->nserv + c] -= s->off[d * s->nserv + c];
	const double *wd = s->W + (size_t)d * n;
	if (s->p->has_min_fit && !s->relaxed)
		for (int e = s->d0; e < d; e++)
			if (s->grp[e] == g)
				s->fitnow[e] -= wd[e];
	for (int j = d + 1; j < n; j++)
		s->link[j * G + g] -= wd[j];
	if ((s->relaxed || !s->labeled) && s->size[g] == 0 && g == s->opened - 1)
		s->opened--;
}

/* ---- where a participant may still go ---- */

/* The slot that a pin or a placed together partner of depth j (placed:
 * depth < d) forces: -1 when none, -2 when they disagree, OUT when j is
 * pinned outside. */
static int forced_slot(const search *s, int j, int d)
{
	if (s->pin[j] == -1)
		return OUT;
	int f = s->pin[j] >= 0 ? s->pin[j] : -1;
	for (int t = s->togs[j]; t < s->togs[j + 1]; t++) {
		int e = s->tog[t];
		if (e >= d)
			continue;
		int g = s->grp[e];
		if (g < 0 || (f >= 0 && f != g))
			return -2;
		f = g;
	}
	return f;
}

static int slot_open_to(const search *s, int j, int g, int d)
{
	const consort__group *c = s->gc[g];
	if (s->size[g] >= c->size_max || s->cnt[g * s->nsec + s->sec[j]] >= c->sec_max[s->sec[j]])
		return 0;
	for (int t = s->apts[j]; t < s->apts[j + 1]; t++) {
		int e = s->apt[t];
		if (e < d && s->grp[e] == g)
			return 0;
	}
	return 1;
}

/* A doll: the best gain of unplaced depth j towards the placed; -HUGE_VAL
 * when it has nowhere to go. (The main search computes its gains with the
 * rules in node_bound.) */
static double relaxed_gain(const search *s, int j)
{
	const double *lj = s->link + (size_t)j * s->G;
	double b = (s->opened < s->G || s->outside_ok || s->pin[j] == -1) ? 0 : -HUGE_VAL;
	for (int g = 0; g < s->opened; g++)
		if (lj[g] > b && s->size[g] < s->rmax)
			b = lj[g];
	return b;
}

/* Whether the unplaced participants (depth d on) can still meet the rules
 * of counts: sizes, sectors, services, the number of consortia. */
static int counts_reachable(search *s, int d)
{
	int R = s->n - d - s->remout[d], nsec = s->nsec, nserv = s->nserv;
	int place_needed = s->outside_ok ? s->remmust[d] : R;
	long deficit = 0, cap = 0;
	memset(s->def, 0, (size_t)nsec * sizeof(int));
	memset(s->capsec, 0, (size_t)nsec * sizeof(int));
	memset(s->lack, 0, (size_t)nserv * sizeof(int));
	int top = s->labeled ? s->G : s->opened;
	for (int g = 0; g < top; g++) {
		const consort__group *c = s->gc[g];
		int sz = s->size[g];
		int mn = c->size_min > 1 ? c->size_min : 1;
		if (sz < mn)
			deficit += mn - sz;
		cap += c->size_max - sz;
		for (int t = 0; t < nsec; t++) {
			int k = s->cnt[g * nsec + t];
			if (k < c->sec_min[t])
				s->def[t] += c->sec_min[t] - k;
			s->capsec[t] += c->sec_max[t] - k;
		}
		for (int t = 0; t < c->ncover; t++)
			if (s->cov[g * nserv + c->cover[t]] == 0)
				s->lack[c->cover[t]]++;
	}
	if (!s->labeled) {
		const consort__group *c = &s->p->global;
		int more = s->G - s->opened;
		int need = s->p->kmin - s->opened;
		if (need > 0) {
			int mn = c->size_min > 1 ? c->size_min : 1;
			deficit += (long)need * mn;
			for (int t = 0; t < nsec; t++)
				s->def[t] += need * c->sec_min[t];
			for (int t = 0; t < c->ncover; t++)
				s->lack[c->cover[t]] += need;
		}
		cap += (long)more * c->size_max;
		for (int t = 0; t < nsec; t++)
			s->capsec[t] += more * c->sec_max[t];
	}
	if (deficit > R || cap < place_needed)
		return 0;
	const int *rs = s->remsec + (size_t)d * nsec;
	for (int t = 0; t < nsec; t++)
		if (s->def[t] > rs[t] || (!s->outside_ok && s->capsec[t] < rs[t]))
			return 0;
	const int *ro = s->remoff + (size_t)d * nserv;
	for (int t = 0; t < nserv; t++)
		if (s->lack[t] > ro[t])
			return 0;
	return 1;
}

/* Sum of the k smallest of v[0..m-1] (reorders v); HUGE_VAL when m < k. */
static double sum_smallest(double *v, int m, int k)
{
	if (k <= 0)
		return 0;
	if (m < k)
		return HUGE_VAL;
	double sum = 0;
	for (int a = 0; a < k; a++) {
		int lo = a;
		for (int b = a + 1; b < m; b++)
			if (v[b] < v[lo])
				lo = b;
		double t = v[a];
		v[a] = v[lo];
		v[lo] = t;
		sum += v[a];
	}
	return sum;
}

/* Whether unplaced depth j may join slot g (-1: a new consortium), from the
 * node's masks (node_bound fills them). */
static int can_fill(const search *s, int j, int g)
{
	int f = s->fj[j];
	if (g < 0)
		return f == -1;
	return (f == -1 || f == g) && ((s->am[j] >> g) & 1);
}

/* What filling the consortia's minimums must cost at least, against every
 * unplaced participant taking its best place (bg): a consortium short of
 * members, of a sector or of a service must take them from the unplaced,
 * each giving up bg[j] - (its gain there). Distinct consortia take distinct
 * participants, so the per-consortium least costs add up. g = -1 stands for
 * the new consortia still to open (gain 0, `need` of them). HUGE_VAL when a
 * minimum cannot be met. */
static double fill_cost(search *s, int d, int g, int need)
{
	const consort__group *c = g >= 0 ? s->gc[g] : &s->p->global;
	int n = s->n, G = s->G, nsec = s->nsec;
	int mult = g >= 0 ? 1 : need;
	int size = g >= 0 ? s->size[g] : 0;
	int mn = c->size_min > 1 ? c->size_min : 1;
	int sizedef = mult * mn - mult * size;
	double cost = 0;
	int secdef = 0;
	for (int t = 0; t < nsec; t++) {
		int have = g >= 0 ? s->cnt[g * nsec + t] : 0;
		int def = mult * (c->sec_min[t] - have);
		if (def <= 0)
			continue;
		int m = 0;
		for (int j = d; j < n; j++) {
			if (s->sec[j] != t)
				continue;
			if (!can_fill(s, j, g))
				continue;
			s->cost[m++] = s->bg[j] - (g >= 0 ? s->link[j * G + g] : 0);
		}
		cost += sum_smallest(s->cost, m, def);
		secdef += def;
	}
	int rest = sizedef - secdef;
	int m = 0;
	if (rest > 0 || (g >= 0 && c->ncover)) {
		for (int j = d; j < n; j++) {
			if (!can_fill(s, j, g))
				continue;
			s->cost[m++] = s->bg[j] - (g >= 0 ? s->link[j * G + g] : 0);
		}
	}
	if (rest > 0)
		cost += sum_smallest(s->cost, m, rest);
	if (g >= 0)
		for (int t = 0; t < c->ncover; t++) {
			int sv = c->cover[t];
			if (s->cov[g * s->nserv + sv])
				continue;
			double best = HUGE_VAL;
			for (int j = d; j < n; j++) {
				if (!s->off[j * s->nserv + sv])
					continue;
				if (!can_fill(s, j, g))
					continue;
				double cj = s->bg[j] - s->link[j * G + g];
				if (cj < best)
					best = cj;
			}
			if (best > cost)
				cost = best; /* the same participant may also fill the others */
		}
	return cost;
}

/* Consortia that more unplaced participants take as their best place than
 * they have room for: at least the excess must go to their second best
 * (bg2), the cheapest of them first. Participants count in the one consortium
 * of their best gain, so the consortia's costs add up. HUGE_VAL when the
 * excess cannot move (pinned or forced there). */
static double overflow_cost(search *s, int d, int top)
{
	double total = 0;
	for (int g = 0; g < top; g++) {
		int room = s->gc[g]->size_max - s->size[g], m = 0;
		for (int j = d; j < s->n; j++)
			if (s->bbest[j] == g)
				s->cost[m++] = s->bg2[j] == -HUGE_VAL ? HUGE_VAL : s->bg[j] - s->bg2[j];
		if (m > room) {
			double c = sum_smallest(s->cost, m, m - room);
			if (c == HUGE_VAL)
				return HUGE_VAL;
			total += c;
		}
	}
	return total;
}

/* A doll: whether the consortia can still take everyone who must be placed. */
static int relaxed_reachable(const search *s, int d)
{
	if (s->outside_ok)
		return 1;
	long cap = (long)(s->G - s->opened) * s->rmax;
	for (int g = 0; g < s->opened; g++)
		cap += s->rmax - s->size[g];
	return cap >= s->n - d - s->remout[d];
}

/* The bound of every completion of the current node (depths < d placed). */
/* Stops early, with a value <= stop, once the bound falls to stop. */
static double node_bound(search *s, int d, double stop)
{
	double b = s->val + s->doll[d];
	if (s->relaxed) {
		for (int j = d; j < s->n; j++)
			b += relaxed_gain(s, j);
		return b; /* -inf when someone has nowhere to go */
	}
	if (b == -HUGE_VAL)
		return b;
	int top = s->labeled ? s->G : s->opened, nsec = s->nsec;
	uint64_t full = 0, topmask = top >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << top) - 1);
	memset(s->secfull, 0, (size_t)nsec * sizeof(uint64_t));
	for (int g = 0; g < top; g++) {
		const consort__group *c = s->gc[g];
		if (s->size[g] >= c->size_max)
			full |= (uint64_t)1 << g;
		for (int t = 0; t < nsec; t++)
			if (s->cnt[g * nsec + t] >= c->sec_max[t])
				s->secfull[t] |= (uint64_t)1 << g;
	}
	int newslot = !s->labeled && s->opened < s->G;
	double b2 = s->tops ? s->val : HUGE_VAL; /* the bound with room (tops) */
	for (int j = d; j < s->n; j++) {
		int f = forced_slot(s, j, d);
		s->fj[j] = f;
		uint64_t am = topmask & ~(full | s->secfull[s->sec[j]]);
		for (int t = s->apts[j]; t < s->apts[j + 1]; t++) {
			int e = s->apt[t];
			if (e < d && s->grp[e] >= 0)
				am &= ~((uint64_t)1 << s->grp[e]);
		}
		s->am[j] = am;
		const double *lj = s->link + (size_t)j * s->G;
		double g, g2 = -HUGE_VAL;
		int at = -1;
		if (f == OUT) {
			g = 0;
		} else if (f == -2) {
			return -HUGE_VAL;
		} else if (f >= 0) {
			if (!((am >> f) & 1))
				return -HUGE_VAL;
			g = lj[f];
			at = f;
		} else {
			g = (s->outside_ok && !s->must[j]) || newslot ? 0 : -HUGE_VAL;
			for (uint64_t r = am; r; r &= r - 1) {
				int k = __builtin_ctzll(r);
				if (lj[k] > g) {
					g2 = g;
					g = lj[k];
					at = k;
				} else if (lj[k] > g2) {
					g2 = lj[k];
				}
			}
			if (g == -HUGE_VAL)
				return -HUGE_VAL;
		}
		s->bg[j] = g;
		s->bg2[j] = g2;
		s->bbest[j] = at;
		b += g;
		if (s->tops) {
			/* j's share: its gain towards the placed of its consortium plus
			 * half of its best weights to as many unplaced as there is room */
			const double *tj = s->tops + ((size_t)j * (s->n + 1) + d) * (s->n + 1);
			double h = -HUGE_VAL;
			if (f == OUT)
				h = 0;
			else if (f >= 0)
				h = lj[f] + tj[s->gc[f]->size_max - s->size[f] - 1] / 2;
			else {
				if (s->outside_ok && !s->must[j])
					h = 0;
				if (newslot)
					h = fmax(h, tj[s->p->global.size_max - 1] / 2);
				for (uint64_t r = am; r; r &= r - 1) {
					int k = __builtin_ctzll(r);
					double v = lj[k] + tj[s->gc[k]->size_max - s->size[k] - 1] / 2;
					if (v > h)
						h = v;
				}
			}
			b2 += h;
		}
	}
	if (b2 <= stop)
		return b2;
	if (b <= stop)
		return b;
	/* Two lower bounds on what the unplaced lose against their best places:
	 * filling the minimums, and leaving consortia that more of them want
	 * than have room. They may count the same participant, so the larger. */
	double fill = 0;
	for (int g = 0; g < top; g++) {
		double c = fill_cost(s, d, g, 0);
		if (c == HUGE_VAL)
			return -HUGE_VAL;
		fill += c;
		if (b - fill <= stop)
			return b - fill;
	}
	if (!s->labeled && s->p->kmin > s->opened) {
		double c = fill_cost(s, d, -1, s->p->kmin - s->opened);
		if (c == HUGE_VAL)
			return -HUGE_VAL;
		fill += c;
		if (b - fill <= stop)
			return b - fill;
	}
	double over = overflow_cost(s, d, top);
	if (over == HUGE_VAL)
		return -HUGE_VAL;
	b -= over > fill ? over : fill;
	return b < b2 ? b : b2;
}

/* ---- the search ---- */

static int time_up(search *s)
{
	if (s->stopped || s->aborted)
		return 1;
	if (s->node_cap && --s->node_cap == 0) {
		s->aborted = 1;
		return 1;
	}
	if (s->o->node_limit > 0 && s->nodes >= s->o->node_limit) {
		s->stopped = 1;
		return 1;
	}
	if (++s->nodes % CHECK_EVERY)
		return 0;
	double t = now();
	if (s->deadline > 0 && t >= s->deadline) {
		s->stopped = 1;
		return 1;
	}
	if (s->o->progress && !s->relaxed && t >= s->next_report) {
		s->next_report = t + consort__bnb_progress_every(s->o);
		s->o->progress(t - s->t0, s->has_inc, s->inc, s->report_bound, s->o->progress_data);
	}
	return 0;
}

static void leaf(search *s)
{
	if (!s->relaxed) {
		for (int d = 0; d < s->n; d++)
			s->assign[s->ord[d]] = s->grp[d];
		int k = s->labeled ? s->G : s->opened;
		if (!consort__problem_feasible(s->p, s->assign, k, NULL, 0))
			return; /* propagation is exact at the leaves; the checker has the last word */
	}
	s->has_inc = 1;
	s->inc = s->val;
	memcpy(s->best + s->d0, s->grp + s->d0, (size_t)(s->n - s->d0) * sizeof(int));
	if (!s->relaxed && s->o->first_feasible)
		s->stopped = 1;
}

/* Candidate places of depth d, best gain first; returns their count. */
static int candidates(search *s, int d, int *opt, double *optv)
{
	int m = 0;
	const double *ld = s->link + (size_t)d * s->G;
	if (s->relaxed) {
		for (int g = 0; g < s->opened; g++)
			if (s->size[g] < s->rmax)
				opt[m] = g, optv[m++] = ld[g];
		if (s->opened < s->G)
			opt[m] = s->opened, optv[m++] = 0;
		if (s->outside_ok || s->pin[d] == -1)
			opt[m] = -1, optv[m++] = 0;
	} else {
		int f = forced_slot(s, d, d);
		if (f == OUT) {
			opt[0] = -1, optv[0] = 0;
			return 1;
		}
		if (f == -2)
			return 0;
		if (f >= 0) {
			if (slot_open_to(s, d, f, d))
				opt[m] = f, optv[m++] = ld[f];
			return m;
		}
		int top = s->labeled ? s->G : s->opened;
		for (int g = 0; g < top; g++)
			if (slot_open_to(s, d, g, d))
				opt[m] = g, optv[m++] = ld[g];
		if (!s->labeled && s->opened < s->G && slot_open_to(s, d, s->opened, d))
			opt[m] = s->opened, optv[m++] = 0;
		if (s->outside_ok && !s->must[d])
			opt[m] = -1, optv[m++] = 0;
	}
	/* insertion sort, best gain first (m <= G + 1) */
	for (int a = 1; a < m; a++) {
		int go = opt[a];
		double gv = optv[a];
		int b = a - 1;
		for (; b >= 0 && optv[b] < gv; b--) {
			opt[b + 1] = opt[b];
			optv[b + 1] = optv[b];
		}
		opt[b + 1] = go;
		optv[b + 1] = gv;
	}
	return m;
}

/* min_fit: whether every placed member (depths < d) can still reach it,
 * with every unplaced participant it gains from joining it. */
static int fits_reachable(const search *s, int d)
{
	if (!s->p->has_min_fit || s->relaxed)
		return 1;
	double x = s->p->min_fit - consort__min_fit_tolerance(s->p->min_fit);
	for (int e = 0; e < d; e++)
		if (s->grp[e] >= 0 && s->fitnow[e] + s->ps[e * (s->n + 1) + d] < x)
			return 0;
	return 1;
}

static void dfs(search *s, int d)
{
	if (d == s->n) {
		leaf(s);
		return;
	}
	int *opt = s->opt + (size_t)d * (s->G + 1);
	double *optv = s->optv + (size_t)d * (s->G + 1);
	int m = candidates(s, d, opt, optv);
	for (int a = 0; a < m && !s->stopped && !s->aborted; a++) {
		place(s, d, opt[a]);
		if (!time_up(s) && (s->relaxed ? relaxed_reachable(s, d + 1) : (counts_reachable(s, d + 1) && fits_reachable(s, d + 1))) &&
		    node_bound(s, d + 1, s->inc + s->eps) > s->inc + s->eps)
			dfs(s, d + 1);
		unplace(s, d);
	}
}

/* ---- setup ---- */

/* The order of the participants, which decides how soon the bound bites:
 * with a forced number of consortia (or lots), the most positively rated
 * first (the participants whose placement moves the objective most: on
 * lenient, unstructured ratings 3-4 times fewer nodes than below); with a free
 * count (clique partitioning), the participant with the most weight first,
 * then always the one most strongly tied (in absolute weight) to those
 * already ordered (bench/README.md, "unstructured"). */
static void make_order(const consort__problem *p, int *ord)
{
	int n = p->n;
	double *tie = calloc((size_t)n, sizeof(double));
	double *tot = calloc((size_t)n, sizeof(double));
	double *sum = calloc((size_t)n, sizeof(double));
	char *used = calloc((size_t)n, 1);
	if (!tie || !tot || !sum || !used) {
		for (int i = 0; i < n; i++)
			ord[i] = i;
		free(tie), free(tot), free(sum), free(used);
		return;
	}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			tot[i] += fabs(p->w[i * n + j]);
			sum[i] += p->w[i * n + j];
		}
	int forced = p->nlots > 0 || p->kmin >= 2;
	for (int d = 0; d < n; d++) {
		int pick = -1;
		for (int i = 0; i < n; i++) {
			if (used[i])
				continue;
			if (forced ? (pick < 0 || sum[i] > sum[pick] || (sum[i] == sum[pick] && tot[i] > tot[pick]))
				   : (pick < 0 || tie[i] > tie[pick] || (tie[i] == tie[pick] && tot[i] > tot[pick])))
				pick = i;
		}
		ord[d] = pick;
		used[pick] = 1;
		for (int i = 0; i < n; i++)
			tie[i] += fabs(p->w[pick * n + i]);
	}
	free(tie), free(tot), free(sum), free(used);
}

static void search_free(search *s)
{
	free(s->ord), free(s->W), free(s->sec), free(s->off), free(s->gc), free(s->must);
	free(s->pin), free(s->remout), free(s->ps), free(s->fitnow);
	free(s->tog), free(s->togs), free(s->apt), free(s->apts);
	free(s->remsec), free(s->remoff), free(s->remmust);
	free(s->grp), free(s->size), free(s->cnt), free(s->cov), free(s->link);
	free(s->def), free(s->capsec), free(s->lack), free(s->bg), free(s->cost), free(s->bg2), free(s->bbest), free(s->tops), free(s->fj), free(s->am), free(s->secfull), free(s->opt), free(s->optv);
	free(s->doll), free(s->bests), free(s->best), free(s->assign);
}

#define ALLOC(ptr, count) ((ptr) = calloc((size_t)((count) > 0 ? (count) : 1), sizeof(*(ptr))))

static int search_init(search *s, const consort__problem *p, const consort__bnb_options *o)
{
	memset(s, 0, sizeof(*s));
	int n = p->n;
	s->p = p;
	s->o = o;
	s->n = n;
	s->labeled = p->nlots > 0;
	s->G = s->labeled ? p->nlots : (p->kmax < n ? p->kmax : n);
	s->outside_ok = !p->everyone;
	s->nsec = p->nsec;
	s->nserv = p->nserv;
	int G = s->G, nsec = p->nsec, nserv = p->nserv;
	if (!ALLOC(s->ord, n) || !ALLOC(s->W, n * n) || !ALLOC(s->sec, n) || !ALLOC(s->off, n * nserv) ||
	    !ALLOC(s->gc, G) || !ALLOC(s->must, n) || !ALLOC(s->pin, n) || !ALLOC(s->remout, n + 1) ||
	    !ALLOC(s->ps, p->has_min_fit ? n * (n + 1) : 0) || !ALLOC(s->fitnow, n) || !ALLOC(s->tog, 2 * p->ntogether) ||
	    !ALLOC(s->togs, n + 1) || !ALLOC(s->apt, 2 * p->napart) || !ALLOC(s->apts, n + 1) ||
	    !ALLOC(s->remsec, (n + 1) * nsec) || !ALLOC(s->remoff, (n + 1) * nserv) ||
	    !ALLOC(s->remmust, n + 1) || !ALLOC(s->grp, n) || !ALLOC(s->size, G) ||
	    !ALLOC(s->cnt, G * nsec) || !ALLOC(s->cov, G * nserv) || !ALLOC(s->link, n * G) ||
	    !ALLOC(s->def, nsec) || !ALLOC(s->capsec, nsec) || !ALLOC(s->lack, nserv) ||
	    !ALLOC(s->bg, n) || !ALLOC(s->cost, n) || !ALLOC(s->bg2, n) || !ALLOC(s->bbest, n) || !ALLOC(s->fj, n) || !ALLOC(s->am, n) ||
	    !ALLOC(s->secfull, nsec) ||
	    !ALLOC(s->opt, (n + 1) * (G + 1)) || !ALLOC(s->optv, (n + 1) * (G + 1)) ||
	    !ALLOC(s->doll, n + 1) || !ALLOC(s->bests, n) || !ALLOC(s->best, n) || !ALLOC(s->assign, n))
		return -1;
	make_order(p, s->ord);
	int *depth = malloc((size_t)n * sizeof(int));
	if (!depth)
		return -1;
	for (int d = 0; d < n; d++)
		depth[s->ord[d]] = d;
	double scale = 0;
	for (int a = 0; a < n; a++) {
		int i = s->ord[a];
		s->sec[a] = p->sector[i];
		for (int c = 0; c < nserv; c++)
			s->off[a * nserv + c] = p->offers[i * nserv + c] != 0;
		for (int b = 0; b < n; b++) {
			s->W[a * n + b] = p->w[i * n + s->ord[b]];
			scale += fabs(p->w[i * n + s->ord[b]]);
		}
	}
	s->eps = 1e-12 * (scale > 1 ? scale : 1); /* far above rounding, below solve.c's 1e-9 relative */
	for (int g = 0; g < G; g++)
		s->gc[g] = consort__problem_group(p, g);
	for (int a = 0; a < n; a++) {
		int i = s->ord[a];
		s->pin[a] = PIN_FREE;
		if (p->fixed && p->fixed[i] != CONSORT__FREE)
			s->pin[a] = p->fixed[i] < 0 ? -1 : p->fixed[i];
		if (p->absent && p->absent[i])
			s->pin[a] = -1;
	}
	if (p->has_min_fit)
		for (int e = 0; e < n; e++)
			for (int d = n - 1; d >= 0; d--)
				s->ps[e * (n + 1) + d] = s->ps[e * (n + 1) + d + 1] + (s->W[e * n + d] > 0 ? s->W[e * n + d] : 0);
	/* pair rules as CSR lists of partner depths */
	for (int t = 0; t < p->ntogether; t++) {
		s->togs[depth[p->together[t][0]] + 1]++;
		s->togs[depth[p->together[t][1]] + 1]++;
		s->must[depth[p->together[t][0]]] = s->must[depth[p->together[t][1]]] = 1;
	}
	for (int t = 0; t < p->napart; t++) {
		s->apts[depth[p->apart[t][0]] + 1]++;
		s->apts[depth[p->apart[t][1]] + 1]++;
	}
	for (int d = 0; d < n; d++) {
		s->togs[d + 1] += s->togs[d];
		s->apts[d + 1] += s->apts[d];
	}
	int *fill = calloc((size_t)n, sizeof(int));
	if (!fill) {
		free(depth);
		return -1;
	}
	for (int t = 0; t < p->ntogether; t++) {
		int a = depth[p->together[t][0]], b = depth[p->together[t][1]];
		s->tog[s->togs[a] + fill[a]++] = b;
		s->tog[s->togs[b] + fill[b]++] = a;
	}
	memset(fill, 0, (size_t)n * sizeof(int));
	for (int t = 0; t < p->napart; t++) {
		int a = depth[p->apart[t][0]], b = depth[p->apart[t][1]];
		s->apt[s->apts[a] + fill[a]++] = b;
		s->apt[s->apts[b] + fill[b]++] = a;
	}
	free(fill);
	free(depth);
	for (int d = n - 1; d >= 0; d--) {
		for (int t = 0; t < nsec; t++)
			s->remsec[d * nsec + t] = s->remsec[(d + 1) * nsec + t] + (s->sec[d] == t && s->pin[d] != -1);
		for (int c = 0; c < nserv; c++)
			s->remoff[d * nserv + c] = s->remoff[(d + 1) * nserv + c] + (s->pin[d] != -1 && s->off[d * nserv + c]);
		s->remout[d] = s->remout[d + 1] + (s->pin[d] == -1);
		s->remmust[d] = s->remmust[d + 1] + s->must[d];
	}
	for (int d = 0; d < n; d++)
		s->grp[d] = UNPLACED;
	s->t0 = now();
	s->deadline = o->time_limit > 0 ? s->t0 + o->time_limit : 0;
	s->next_report = s->t0 + consort__bnb_progress_every(s->o);
	return 0;
}

/* Empties every consortium (the placements are undone already; this also
 * drops the rounding that adding and removing real weights leaves). */
static void clear_state(search *s)
{
	s->opened = 0;
	s->val = 0;
	memset(s->size, 0, (size_t)s->G * sizeof(int));
	memset(s->cnt, 0, (size_t)(s->G * s->nsec) * sizeof(int));
	memset(s->cov, 0, (size_t)(s->G * s->nserv) * sizeof(int));
	memset(s->link, 0, (size_t)(s->n * s->G) * sizeof(double));
}

/* The doll values: doll[d] bounds the optimum among depths d..n-1 alone,
 * the rules relaxed but that there are at most G consortia of at most rmax
 * members (and nobody outside when everyone is placed, but the pinned
 * outside): -inf when there is no such solution; the optimum plus eps, so
 * that a pruned tie can never leave it below a bound. Found from the last
 * depth back to the first; each search starts from the previous optimum with
 * depth d added where it gains most, and proves it (or finds better) at once
 * on most suffixes. A pass with a size cap keeps a doll only when its search
 * ends within `budget` nodes (0: no budget), and stops at the first that
 * does not: the suffixes only grow harder. */
static void doll_pass(search *s, int rmax, long budget)
{
	int n = s->n, G = s->G;
	int *main_best = s->best;
	double prev = 0; /* exact value of the previous doll's best */
	s->relaxed = 1;
	s->rmax = rmax;
	s->best = s->bests;
	s->doll[n] = 0;
	for (int d = n - 1; d >= 0 && !s->stopped; d--) {
		s->d0 = d;
		clear_state(s);
		double gain[CONSORT_BNB_MAX_N + 1];
		int sizes[CONSORT_BNB_MAX_N + 1] = {0};
		int k = 0;
		for (int g = 0; g <= G; g++)
			gain[g] = 0;
		for (int j = d + 1; j < n; j++) {
			int g = s->best[j];
			if (g >= 0) {
				gain[g] += s->W[d * n + j];
				sizes[g]++;
				if (g + 1 > k)
					k = g + 1;
			}
		}
		int pick = -2;
		double pv = -HUGE_VAL;
		if (k < G || s->outside_ok || s->pin[d] == -1) {
			pick = k < G ? k : -1;
			pv = 0;
		}
		for (int g = 0; g < k; g++)
			if (gain[g] > pv && sizes[g] < rmax)
				pv = gain[g], pick = g;
		s->has_inc = 0;
		s->inc = -HUGE_VAL;
		if (pick != -2 && prev > -HUGE_VAL) {
			s->best[d] = pick;
			s->has_inc = 1;
			s->inc = prev + pv;
		}
		s->node_cap = budget;
		s->aborted = 0;
		dfs(s, d);
		s->node_cap = 0;
		if (s->stopped || s->aborted)
			break;
		prev = s->has_inc ? s->inc : -HUGE_VAL;
		double v = s->has_inc ? s->inc + s->eps : -HUGE_VAL;
		if (v < s->doll[d])
			s->doll[d] = v;
	}
	s->aborted = 0;
	s->best = main_best;
	s->relaxed = 0;
}

/* Budget of each capped doll: the capped suffix problems are as hard as
 * balanced partitioning; their bounds are worth a few nodes each. */
#define DOLL_BUDGET 20000L

/* The table behind the bound with room (see search.tops); left NULL (that
 * bound unused) when out of memory. */
static void build_tops(search *s)
{
	int n = s->n, n1 = n + 1;
	s->tops = calloc((size_t)n * n1 * n1, sizeof(double));
	if (!s->tops)
		return;
	double *v = s->cost;
	for (int j = 0; j < n; j++)
		for (int d = 0; d <= n; d++) {
			int m = 0;
			for (int l = d; l < n; l++)
				if (l != j && s->W[j * n + l] > 0)
					v[m++] = -s->W[j * n + l];
			double *t = s->tops + ((size_t)j * n1 + d) * n1;
			double sum = 0;
			t[0] = 0;
			for (int k = 1; k <= n; k++) {
				if (k <= m) {
					/* the k-th largest: a selection step (m <= 64) */
					int lo = k - 1;
					for (int b = k; b < m; b++)
						if (v[b] < v[lo])
							lo = b;
					double x = v[k - 1];
					v[k - 1] = v[lo];
					v[lo] = x;
					sum -= v[k - 1];
				}
				t[k] = sum;
			}
		}
}

static void dolls(search *s)
{
	int n = s->n;
	for (int d = 0; d <= n; d++)
		s->doll[d] = HUGE_VAL;
	doll_pass(s, n, 0);
	int cap = 0;
	for (int g = 0; g < s->G; g++)
		if (s->gc[g]->size_max > cap)
			cap = s->gc[g]->size_max;
	if (cap < n && !s->stopped) {
		build_tops(s);
		doll_pass(s, cap, DOLL_BUDGET);
		/* Where the capped search gave up: in any consortium of at most cap
		 * members, j has at most cap - 1 partners, so the pairs among depths
		 * d..n-1 sum to at most half of every j's cap - 1 best positive weights
		 * to the others. */
		double *v = s->cost;
		for (int d = 0; d < n; d++) {
			double star = 0;
			for (int j = d; j < n; j++) {
				int m = 0;
				for (int l = d; l < n; l++)
					if (l != j && s->W[j * n + l] > 0)
						v[m++] = -s->W[j * n + l];
				double top = sum_smallest(v, m, m < cap - 1 ? m : cap - 1);
				star -= top;
			}
			star = star / 2 + s->eps;
			if (star < s->doll[d])
				s->doll[d] = star;
		}
	}
	s->rmax = cap; /* the cap holds in the main search too (its masks check it) */
}

int consort__bnb_solve(consort__bnb_result *res, const consort__problem *p,
	const consort__bnb_options *o, consort_error *err)
{
	memset(res, 0, sizeof(*res));
	res->status = CONSORT_STATUS_STOPPED;
	res->bound = HUGE_VAL;
	if (!consort__bnb_supported(p))
		return consort__error(err, CONSORT_EUSAGE, "the branch and bound engine takes 1..%d participants",
			CONSORT_BNB_MAX_N);
	consort__bnb_options defaults;
	if (!o) {
		consort__bnb_options_init(&defaults);
		o = &defaults;
	}
	search s;
	if (search_init(&s, p, o) < 0) {
		search_free(&s);
		return consort__error_nomem(err);
	}
	int n = p->n;
	res->assign = malloc((size_t)n * sizeof(int));
	if (!res->assign) {
		search_free(&s);
		return consort__error_nomem(err);
	}

	dolls(&s);
	res->doll_seconds = now() - s.t0;

	/* The start, if it is feasible. */
	int start_ok = o->start && consort__problem_feasible(p, o->start, o->start_k, NULL, 0);
	double start_obj = start_ok ? consort__problem_objective(p, o->start) : 0;

	int main_started = 0;
	if (!s.stopped) {
		main_started = 1;
		s.d0 = 0;
		clear_state(&s);
		s.report_bound = node_bound(&s, 0, -HUGE_VAL);
		s.has_inc = 0;
		s.inc = -HUGE_VAL;
		if (start_ok) {
			s.has_inc = 1;
			s.inc = start_obj;
			for (int d = 0; d < n; d++)
				s.best[d] = o->start[s.ord[d]];
		}
		/* The optimum of the whole relaxed problem, when it meets every rule
		 * (no rules beyond the count, say), is optimal: the search only
		 * confirms it at the root. */
		int kd = 0;
		for (int d = 0; d < n; d++) {
			s.assign[s.ord[d]] = s.bests[d];
			if (s.bests[d] + 1 > kd)
				kd = s.bests[d] + 1;
		}
		if (!s.labeled && s.doll[0] > -HUGE_VAL && consort__problem_feasible(p, s.assign, kd, NULL, 0)) {
			double v = consort__problem_objective(p, s.assign);
			if (!s.has_inc || v > s.inc) {
				s.has_inc = 1;
				s.inc = v;
				memcpy(s.best, s.bests, (size_t)n * sizeof(int));
			}
		}
		if (counts_reachable(&s, 0) && node_bound(&s, 0, s.inc + s.eps) > s.inc + s.eps)
			dfs(&s, 0);
	}
	res->nodes = s.nodes;

	/* What the search leaves: a proof, or (stopped) its best and, once the
	 * doll of the whole problem is known, that doll as the bound. */
	int have = main_started && s.has_inc;
	if (!s.stopped) {
		res->status = s.has_inc ? CONSORT_STATUS_OPTIMAL : CONSORT_STATUS_INFEASIBLE;
		res->bound = s.has_inc ? s.inc : HUGE_VAL;
	} else if (main_started) {
		res->bound = s.report_bound;
	} else {
		have = 0;
	}
	if (!have && s.stopped && start_ok) {
		for (int d = 0; d < n; d++)
			s.best[d] = o->start[s.ord[d]];
		have = 1;
	}
	if (have) {
		for (int d = 0; d < n; d++)
			res->assign[s.ord[d]] = s.best[d];
		/* compact labels in order of first appearance (unlabeled) */
		if (!s.labeled) {
			int map[CONSORT_BNB_MAX_N];
			for (int g = 0; g < CONSORT_BNB_MAX_N; g++)
				map[g] = -1;
			int k = 0;
			for (int i = 0; i < n; i++) {
				int g = res->assign[i];
				if (g < 0)
					continue;
				if (map[g] < 0)
					map[g] = k++;
				res->assign[i] = map[g];
			}
			res->k = k;
		} else {
			res->k = s.G;
		}
		res->objective = consort__problem_objective(p, res->assign);
		if (s.stopped)
			res->status = CONSORT_STATUS_FEASIBLE;
		if (res->bound < res->objective)
			res->bound = res->objective;
	} else {
		free(res->assign);
		res->assign = NULL;
	}
	search_free(&s);
	return 0;
}
