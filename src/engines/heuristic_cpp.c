/* The heuristic's fast path for pure clique partitioning: a memetic search
 * (merge-divide crossover of elite partitions) around simulated annealing. */
#include "engines/heuristic_cpp.h"
#include "engines/heur_base.h"
#include "error.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/*
 * Method (after Lu, Zhou & Hao 2021, "A hybrid evolutionary algorithm for the
 * clique partitioning problem", IEEE Trans. Cybernetics 52, and Zhou, Hao &
 * Goëffon 2016, J. Comb. Optim. 32):
 * - State: the cluster of every vertex, clusters numbered 0..k-1 without gaps,
 *   and the gain matrix g[c][v] = sum of w(v, u) over the members u of c, kept
 *   incrementally: moving v from a to c changes the objective by g[c][v] -
 *   g[a][v] and updates two columns (contiguous, O(n)). A new cluster is column
 *   k, all zero.
 * - Local optimisation by simulated annealing: a random vertex takes its best
 *   move (any cluster or a new one) when that is not worse, else with
 *   probability exp(delta / T); T falls geometrically per epoch of
 *   sizefactor * n * k steps until the moves freeze.
 * - Tabu search (the first partition, and the calibration of T): the best move
 *   over all vertices each step, a moved vertex frozen for a random tenure
 *   unless the move gives a new overall best. Each vertex keeps an upper bound
 *   of its best target's gain, so a step rescans only the vertices whose bound
 *   could beat the best move found so far instead of all n k moves.
 * - Memetic loop: a population of annealed partitions; each round a child of
 *   two random members (merge-divide crossover: vertices together in both
 *   parents merge, pairs apart in both conflict, a greedy clique cover of the
 *   merged groups), annealed, replaces the worst member when better and new.
 */

typedef struct cpp {
	int n;
	const consort__problem *p;
	const double *w;      /* n*n, zero diagonal */
	consort__budget *b;
	consort__rng rng;
	double tol;           /* ties and improvements: 1e-9 of the largest |w| */
	int tmin, tspan;      /* tabu tenure: tmin + 0..tspan steps */
	long depth;           /* a tabu run ends after this many steps without progress */
	double T0;            /* initial temperature of every annealing */
	/* tuning, read once (environment knobs for measurements) */
	double alpha, sizefactor, minacc; /* annealing: cooling, epoch length, frozen below */
	double t0factor;      /* initial temperature: this times the mean uphill step */
	double shrink;        /* crossover: target blocks about shrink * n */
	double child_cool;    /* children anneal from child_cool * T0 */

	/* state */
	int k;                /* clusters 0..k-1 are non-empty */
	int *cl, *size;       /* n, n */
	double *g;            /* n columns of n: g[c*n + v]; columns >= k all zero */
	int gcols;            /* columns of g that may hold non-zeros (g doubles as scratch) */
	double *ub;           /* n: >= max over c != cl[v], c < k of g[c][v] (tabu search) */
	long *tabu;           /* n: step until which v may not move */
	long step;
	double obj;

	/* best of the current local search, best overall */
	int *run_cl, *best_cl;
	double run_obj, best_obj;
	int have_best;

	/* population */
	int psize, pcount;
	int *pop;             /* psize*n labellings */
	double *pobj;

	int *scratch, *scratch2; /* n */
	double *acc;          /* n */
	unsigned char *conf;  /* n*n, crossover scratch */
} cpp;

int consort__heur_cpp_applies(const consort__problem *p)
{
	int n = p->n;
	if (n < 1 || p->nlots != 0 || !p->everyone || p->kmin > 1 || p->kmax < n)
		return 0;
	if (p->global.size_min > 1 || p->global.size_max < n || p->global.ncover > 0)
		return 0;
	if (p->ntogether > 0 || p->napart > 0)
		return 0;
	for (int s = 0; s < p->nsec; s++)
		if (p->global.sec_min[s] > 0 || p->global.sec_max[s] < n)
			return 0;
	for (int i = 0; i < n; i++)
		if (p->w[(size_t)i * n + i] != 0)
			return 0;
	return 1;
}

/* ------------------------------------------------------------------ state */

static double *col(const cpp *s, int c)
{
	return s->g + (size_t)c * s->n;
}

/* Best gain of v over the other clusters, tabu ignored. */
static double rescan(const cpp *s, int v)
{
	int a = s->cl[v], n = s->n;
	const double *g = s->g + v;
	double m = -DBL_MAX;
	for (int c = 0; c < s->k; c++)
		if (c != a && g[(size_t)c * n] > m)
			m = g[(size_t)c * n];
	return m;
}

/* Rebuilds the state from any labelling (labels in 0..n-1): O(n^2). */
static void load(cpp *s, const int *lab)
{
	int n = s->n, *map = s->scratch;
	for (int v = 0; v < n; v++)
		map[v] = -1;
	s->k = 0;
	for (int v = 0; v < n; v++) {
		if (map[lab[v]] < 0)
			map[lab[v]] = s->k++;
		s->cl[v] = map[lab[v]];
	}
	memset(s->size, 0, (size_t)n * sizeof(int));
	for (int v = 0; v < n; v++)
		s->size[s->cl[v]]++;
	int cols = s->k < n ? s->k + 1 : n;
	memset(s->g, 0, (size_t)(s->gcols > cols ? s->gcols : cols) * n * sizeof(double));
	s->gcols = cols;
	memset(s->tabu, 0, (size_t)n * sizeof(long));
	/* Column c accumulates row u of w for each member u of c. */
	for (int u = 0; u < n; u++) {
		double *restrict gc = col(s, s->cl[u]);
		const double *restrict wu = s->w + (size_t)u * n;
		for (int v = 0; v < n; v++)
			gc[v] += wu[v];
	}
	double twice = 0;
	for (int v = 0; v < n; v++) {
		twice += col(s, s->cl[v])[v];
		s->ub[v] = rescan(s, v);
	}
	s->obj = twice / 2;
}

/* Cluster a has emptied: cluster k-1 takes its number. */
static void close_cluster(cpp *s, int a)
{
	int n = s->n, last = --s->k;
	if (a != last) {
		memcpy(col(s, a), col(s, last), (size_t)n * sizeof(double));
		for (int u = 0; u < n; u++)
			if (s->cl[u] == last)
				s->cl[u] = a;
		s->size[a] = s->size[last];
		s->size[last] = 0;
	}
	memset(col(s, last), 0, (size_t)n * sizeof(double));
}

/* Moves v to cluster c (c == k: a new cluster); keeps the bounds ub when
 * `bounds` (the tabu search needs them, the annealing does not). */
static void move(cpp *s, int v, int c, int bounds)
{
	int n = s->n, a = s->cl[v];
	s->obj += col(s, c)[v] - col(s, a)[v];
	if (c == s->k && ++s->k >= s->gcols)
		s->gcols = s->k < n ? s->k + 1 : n;
	double *restrict ga = col(s, a), *restrict gc = col(s, c);
	const double *restrict wv = s->w + (size_t)v * n;
	int u = 0;
#ifdef __SSE2__
	/* Two lanes at a time (the same IEEE sums as the scalar loop). */
	for (; u + 2 <= n; u += 2) {
		__m128d x = _mm_loadu_pd(wv + u);
		_mm_storeu_pd(ga + u, _mm_sub_pd(_mm_loadu_pd(ga + u), x));
		_mm_storeu_pd(gc + u, _mm_add_pd(_mm_loadu_pd(gc + u), x));
	}
#endif
	for (; u < n; u++) {
		ga[u] -= wv[u];
		gc[u] += wv[u];
	}
	if (bounds) {
		/* Weights of either sign: either column may rise. Written to compile
		 * without branches, which would be unpredictable. */
		const int *cl = s->cl;
		double *ub = s->ub;
		for (u = 0; u < n; u++) {
			double ma = cl[u] != a ? ga[u] : -DBL_MAX, mc = cl[u] != c ? gc[u] : -DBL_MAX;
			double m = ub[u];
			m = m > ma ? m : ma;
			m = m > mc ? m : mc;
			ub[u] = m;
		}
	}
	s->cl[v] = c;
	s->size[a]--;
	s->size[c]++;
	if (s->size[a] == 0)
		close_cluster(s, a);
	if (bounds)
		s->ub[v] = rescan(s, v);
}

static void new_best(cpp *s)
{
	memcpy(s->best_cl, s->cl, (size_t)s->n * sizeof(int));
	s->best_obj = s->obj;
	s->have_best = 1;
	consort__budget_improved(s->b, s->obj);
}

/* A better state than the local search's best (and maybe the overall best). */
static void note(cpp *s)
{
	if (s->obj > s->run_obj + s->tol) {
		memcpy(s->run_cl, s->cl, (size_t)s->n * sizeof(int));
		s->run_obj = s->obj;
		if (s->obj > s->best_obj + s->tol)
			new_best(s);
	}
}

/* Reports the best objective as the caller will compute it (the same sum in
 * the same order, so that the values reported never decrease). */
static void report(cpp *s)
{
	consort__budget_report(s->b, consort__problem_objective(s->p, s->best_cl));
}

/* ------------------------------------------------------------ tabu search */

typedef struct pick {
	int v, c, ties;
	double d;
} pick;

static void offer(cpp *s, pick *p, int v, int c, double d)
{
	if (d > p->d + s->tol) {
		p->v = v;
		p->c = c;
		p->d = d;
		p->ties = 1;
	} else if (++p->ties, consort__rng_below(&s->rng, p->ties) == 0) {
		p->v = v;
		p->c = c;
		p->d = d > p->d ? d : p->d;
	}
}

/* The admissible moves of v that could tie or beat p; refreshes ub[v]. */
static void scan_vertex(cpp *s, pick *p, int v, double aspire)
{
	int a = s->cl[v], k = s->k, n = s->n;
	const double *g = s->g + v;
	double base = g[(size_t)a * n], tol = s->tol;
	double m = -DBL_MAX;
	int tabu = s->tabu[v] > s->step;
	for (int c = 0; c < k; c++) {
		double x = g[(size_t)c * n];
		if (c == a)
			continue;
		if (x > m)
			m = x;
		double d = x - base;
		if (d < p->d - tol || (tabu && d <= aspire))
			continue;
		offer(s, p, v, c, d);
	}
	s->ub[v] = m;
	if (s->size[a] > 1 && -base >= p->d - tol && (!tabu || -base > aspire))
		offer(s, p, v, k, -base);
}

#ifdef CONSORT_HEUR_CHECK
#include <assert.h>
/* Debugging aid: the state and the chosen move against plain recomputation. */
static void check_pick(const cpp *s, const pick *p, double aspire)
{
	int n = s->n;
	double twice = 0, best = -DBL_MAX;
	for (int v = 0; v < n; v++) {
		for (int c = 0; c < n; c++) {
			double x = 0;
			for (int u = 0; u < n; u++)
				x += s->cl[u] == c ? s->w[(size_t)v * n + u] : 0;
			assert(fabs(x - col(s, c)[v]) < 1e-6 * (1 + fabs(x)));
		}
		int a = s->cl[v], tabu = s->tabu[v] > s->step;
		double base = col(s, a)[v];
		twice += base;
		for (int c = 0; c < s->k; c++) {
			if (c == a)
				continue;
			assert(col(s, c)[v] <= s->ub[v] + 1e-9);
			double d = col(s, c)[v] - base;
			if (!tabu || d > aspire)
				best = d > best ? d : best;
		}
		if (s->size[a] > 1 && (!tabu || -base > aspire))
			best = -base > best ? -base : best;
	}
	assert(fabs(twice / 2 - s->obj) < 1e-6 * (1 + fabs(s->obj)));
	assert(fabs(best - p->d) < 1e-6 * (1 + fabs(best)));
}
#else
#define check_pick(s, p, aspire) ((void)0)
#endif

/* The bound on v's best move (its best gain elsewhere, or 0 for a new
 * cluster when it has company, minus its gain in its own cluster). */
static double bound_of(const cpp *s, int v)
{
	int a = s->cl[v];
	double hi = s->ub[v];
	if (s->size[a] > 1 && hi < 0)
		hi = 0;
	return hi == -DBL_MAX ? -DBL_MAX : hi - s->g[(size_t)a * s->n + v];
}

/* One step: the best admissible move. Returns 0 when there is none. */
static int tabu_step(cpp *s)
{
	int n = s->n;
	double aspire = s->best_obj - s->obj + s->tol;
	pick p = {-1, -1, 0, -DBL_MAX};
	/* The vertex with the highest bound first: it sets a good bar at once. */
	int first = -1;
	double top = -DBL_MAX;
	for (int v = 0; v < n; v++) {
		double b = bound_of(s, v);
		if (b > top) {
			top = b;
			first = v;
		}
	}
	if (first < 0)
		return 0;
	scan_vertex(s, &p, first, aspire);
	for (int v = 0; v < n; v++)
		if (v != first && bound_of(s, v) >= p.d - s->tol)
			scan_vertex(s, &p, v, aspire);
	if (p.v < 0)
		return 0;
	check_pick(s, &p, aspire);
	s->tabu[p.v] = s->step + s->tmin + consort__rng_below(&s->rng, s->tspan + 1);
	move(s, p.v, p.c, 1);
	s->step++;
	return 1;
}

/* Tabu search from the current state until `depth` steps bring nothing better
 * than the run's best; leaves the state at the run's best. */
static void tabu_search(cpp *s)
{
	memcpy(s->run_cl, s->cl, (size_t)s->n * sizeof(int));
	s->run_obj = s->obj;
	int moved = 0;
	for (long since = 0; since < s->depth && !consort__budget_over(s->b); since++) {
		if (s->b->report_due)
			report(s);
		if (!tabu_step(s))
			break;
		s->b->iter++;
		moved = 1;
		if (s->obj > s->run_obj + s->tol)
			since = -1;
		note(s);
	}
	if (moved)
		load(s, s->run_cl);
}

/* ---------------------------------------------------- simulated annealing */

/* exp(x) for x in [-30, 0], to 1e-3 or so: the annealing's acceptance test
 * needs no more, and libm's exp was a fifth of its time. */
static double exp_neg(const double *table, double x)
{
	double t = -x * 8;
	int i = (int)t;
	return table[i] + (t - i) * (table[i + 1] - table[i]);
}

/* Annealing from the current state: a random vertex takes its best move when
 * not worse, else with probability exp(delta / T); T falls by alpha per epoch
 * of sizefactor * n * (k + 1) steps; the run ends after 5 epochs accepting
 * under 1% of their steps (moves that leave the objective as it is excepted). Leaves the state at the run's best. */
static void anneal(cpp *s, double T)
{
	int n = s->n;
	double alpha = s->alpha, sf = s->sizefactor, minacc = s->minacc;
	memcpy(s->run_cl, s->cl, (size_t)n * sizeof(int));
	s->run_obj = s->obj;
	double table[242];
	for (int i = 0; i < 242; i++)
		table[i] = exp(-i / 8.0);
	int frozen = 0, moved = 0;
	while (frozen < 5 && !consort__budget_over(s->b)) {
		long L = (long)(sf * n * (s->k + 1)), acc = 0;
		for (long i = 0; i < L; i++) {
			int v = consort__rng_below(&s->rng, n);
			int a = s->cl[v], k = s->k;
			const double *g = s->g + v;
			double bd = -DBL_MAX;
			int bc = -1;
			for (int c = 0; c < k; c++)
				if (c != a && g[(size_t)c * n] > bd) {
					bd = g[(size_t)c * n];
					bc = c;
				}
			if (s->size[a] > 1 && 0 > bd) {
				bd = 0;
				bc = k;
			}
			if (bc < 0)
				continue;
			double d = bd - g[(size_t)a * n];
			/* exp(-30) is nothing: skip computing it. */
			if (d < 0 && (d <= -30 * T || consort__rng_unit(&s->rng) >= exp_neg(table, d / T)))
				continue;
			move(s, v, bc, 0);
			acc += d != 0; /* sideways moves never stop: they do not count */
			moved = 1;
			if (d > 0)
				note(s);
		}
		/* One unit of the iteration budget per n steps. */
		s->b->iter += L / n + 1;
		consort__budget_touch(s->b);
		if (s->b->report_due)
			report(s);
		frozen = (double)acc < minacc * (double)L ? frozen + 1 : 0;
		T *= alpha;
	}
	if (moved)
		load(s, s->run_cl);
}

/* Initial temperature, from a local optimum: a fraction of the mean loss of
 * the best moves of the vertices (over ln 2: the probability to accept such a
 * loss is then 1/2 at T / fraction). */
static double temperature(cpp *s)
{
	double sum = 0;
	int cnt = 0;
	for (int v = 0; v < s->n; v++) {
		double d = bound_of(s, v);
		if (d > -DBL_MAX && d < 0) {
			sum -= d;
			cnt++;
		}
	}
	double T = cnt ? sum / cnt / log(2.0) : 1;
	return T * s->t0factor;
}

/* ------------------------------------------------------------- building */

/* Randomized greedy: vertices in random order join the cluster they gain most
 * from, or open one when every gain is negative. O(n^2). */
static void construct(cpp *s, int *lab)
{
	int n = s->n, *order = s->scratch2, k = 0;
	double *acc = s->acc;
	for (int v = 0; v < n; v++)
		order[v] = v;
	consort__rng_shuffle(&s->rng, order, n);
	for (int i = 0; i < n; i++) {
		int v = order[i];
		for (int c = 0; c < k; c++)
			acc[c] = 0;
		const double *wv = s->w + (size_t)v * n;
		for (int j = 0; j < i; j++)
			acc[lab[order[j]]] += wv[order[j]];
		int bc = k, ties = 1;
		double bd = 0;
		for (int c = 0; c < k; c++) {
			if (acc[c] > bd + s->tol) {
				bd = acc[c];
				bc = c;
				ties = 1;
			} else if (acc[c] >= bd - s->tol && consort__rng_below(&s->rng, ++ties) == 0) {
				bc = c;
			}
		}
		lab[v] = bc;
		if (bc == k)
			k++;
	}
}

static int uf_find(int *parent, int i)
{
	while (parent[i] != i) {
		parent[i] = parent[parent[i]];
		i = parent[i];
	}
	return i;
}

/* How many groups the meet of two partitions has (vertices together in both):
 * per cluster of pa, the distinct labels of pb among its members. */
static int meet_size(cpp *s, const int *pa, const int *pb)
{
	int n = s->n, *seen = s->scratch, *head = s->scratch2, groups = 0;
	int *next = malloc((size_t)n * sizeof(int));
	if (!next)
		return n;
	for (int v = 0; v < n; v++)
		seen[v] = head[v] = -1;
	for (int v = n - 1; v >= 0; v--) {
		next[v] = head[pa[v]];
		head[pa[v]] = v;
	}
	for (int c = 0; c < n; c++) {
		for (int v = head[c]; v >= 0; v = next[v])
			if (seen[pb[v]] != c) {
				seen[pb[v]] = c;
				groups++;
			}
	}
	free(next);
	return groups;
}

/* Merge-divide crossover (after Lu, Zhou & Hao 2021): random pairs of vertices
 * together in both parents are merged until about `shrink` of n groups remain,
 * random pairs apart in both become conflicts; a greedy clique cover of the
 * groups (grow a cluster by the group of largest total weight to it, never
 * across a conflict, while that weight is not negative) gives the child.
 * Scratch: conf (n*n bytes) and the gain matrix (free between searches). */
static int merge_divide(cpp *s, const int *pa, const int *pb, int *child)
{
	int n = s->n, *parent = s->scratch, *gid = s->scratch2;
	int blocks = meet_size(s, pa, pb);
	int target = (int)(s->shrink * n) + consort__rng_below(&s->rng, n / 5 + 1);
	if (target < blocks)
		target = blocks;
	for (int v = 0; v < n; v++)
		parent[v] = v;
	unsigned char *conf = s->conf;
	memset(conf, 0, (size_t)n * n);
	int groups = n;
	while (groups > target) {
		int i = consort__rng_below(&s->rng, n), j = consort__rng_below(&s->rng, n);
		if (i == j)
			continue;
		if (pa[i] == pa[j] && pb[i] == pb[j]) {
			int ri = uf_find(parent, i), rj = uf_find(parent, j);
			if (ri != rj) {
				parent[ri] = rj;
				groups--;
			}
		} else if (pa[i] != pa[j] && pb[i] != pb[j]) {
			conf[(size_t)i * n + j] = conf[(size_t)j * n + i] = 1;
		}
	}
	/* Number the groups; weights and conflicts between them. */
	int ng = 0;
	for (int v = 0; v < n; v++)
		gid[v] = -1;
	for (int v = 0; v < n; v++) {
		int r = uf_find(parent, v);
		if (gid[r] < 0)
			gid[r] = ng++;
	}
	for (int v = 0; v < n; v++)
		child[v] = gid[uf_find(parent, v)];
	double *W = s->g; /* ng*ng */
	memset(W, 0, (size_t)ng * ng * sizeof(double));
	int cols = (int)(((size_t)ng * ng + (size_t)n - 1) / (size_t)n);
	if (cols > s->gcols)
		s->gcols = cols;
	for (int v = 0; v < n; v++) {
		double *row = W + (size_t)child[v] * ng;
		const double *wv = s->w + (size_t)v * n;
		for (int u = 0; u < n; u++)
			row[child[u]] += wv[u];
	}
	/* Group conflicts, compacted in place at the front of conf (ng <= n, and
	 * entry (x, y) lands at or before every (v, u) it reads). */
	unsigned char *GC = malloc((size_t)ng * ng);
	int *cover = malloc((size_t)ng * sizeof(int));
	double *adj = malloc((size_t)ng * sizeof(double));
	if (!GC || !cover || !adj) {
		free(GC), free(cover), free(adj);
		return -1;
	}
	memset(GC, 0, (size_t)ng * ng);
	for (int v = 0; v < n; v++)
		for (int u = 0; u < n; u++)
			if (conf[(size_t)v * n + u])
				GC[(size_t)child[v] * ng + child[u]] = 1;
	for (int x = 0; x < ng; x++)
		cover[x] = -1;
	int k = 0;
	for (int x = 0; x < ng; x++) {
		if (cover[x] >= 0)
			continue;
		cover[x] = k;
		for (int y = 0; y < ng; y++)
			adj[y] = (cover[y] < 0 && !GC[(size_t)x * ng + y]) ? W[(size_t)x * ng + y] : -DBL_MAX;
		for (;;) {
			int by = -1;
			double bw = -DBL_MAX;
			for (int y = 0; y < ng; y++)
				if (adj[y] > bw) {
					bw = adj[y];
					by = y;
				}
			if (by < 0 || bw < 0)
				break;
			cover[by] = k;
			adj[by] = -DBL_MAX;
			for (int y = 0; y < ng; y++)
				if (adj[y] > -DBL_MAX)
					adj[y] = GC[(size_t)by * ng + y] ? -DBL_MAX : adj[y] + W[(size_t)by * ng + y];
		}
		k++;
	}
	for (int v = 0; v < n; v++)
		child[v] = cover[child[v]];
	free(GC), free(cover), free(adj);
	return 0;
}

/* ---------------------------------------------------------------- search */

/* 1 when labellings a and b are the same partition. */
static int same_partition(const cpp *s, const int *a, const int *b)
{
	int n = s->n, *map = s->scratch, ka = 0, kb = 0;
	for (int v = 0; v < n; v++)
		map[v] = -1;
	for (int v = 0; v < n; v++) {
		if (map[a[v]] < 0)
			map[a[v]] = b[v];
		else if (map[a[v]] != b[v])
			return 0;
		ka = a[v] + 1 > ka ? a[v] + 1 : ka;
		kb = b[v] + 1 > kb ? b[v] + 1 : kb;
	}
	return ka == kb; /* labels are compact: the map is one-to-one */
}

/* Adds the current state to the population, or replaces the worst member
 * when better and not already there. */
static void pool_offer(cpp *s)
{
	int n = s->n;
	for (int i = 0; i < s->pcount; i++)
		if (fabs(s->pobj[i] - s->obj) <= s->tol && same_partition(s, s->pop + (size_t)i * n, s->cl))
			return;
	int slot = s->pcount;
	if (s->pcount == s->psize) {
		slot = 0;
		for (int i = 1; i < s->pcount; i++)
			if (s->pobj[i] < s->pobj[slot])
				slot = i;
		if (s->pobj[slot] >= s->obj)
			return;
	} else {
		s->pcount++;
	}
	memcpy(s->pop + (size_t)slot * n, s->cl, (size_t)n * sizeof(int));
	s->pobj[slot] = s->obj;
}

static int run(cpp *s)
{
	int n = s->n;
	int *child = malloc((size_t)n * sizeof(int));
	if (!child)
		return -1;
	/* The first partition: greedy, then tabu search (a good answer early). */
	construct(s, child);
	load(s, child);
	s->b->iter++;
	note(s);
	tabu_search(s);
	s->T0 = temperature(s);
	while (!consort__budget_over(s->b)) {
		if (s->b->report_due)
			report(s);
		double T = s->T0;
		if (s->pcount < s->psize) {
			construct(s, child);
		} else {
			T *= s->child_cool;
			int i = consort__rng_below(&s->rng, s->pcount);
			int j = consort__rng_below(&s->rng, s->pcount - 1);
			j += j >= i;
			if (merge_divide(s, s->pop + (size_t)i * n, s->pop + (size_t)j * n, child) < 0) {
				free(child);
				return -1;
			}
		}
		load(s, child);
		s->b->iter++;
		s->run_obj = -DBL_MAX;
		note(s);
		anneal(s, T);
		pool_offer(s);
	}
	free(child);
	return 0;
}

/* ------------------------------------------------------------------ entry */

static void cpp_free(cpp *s)
{
	free(s->cl), free(s->size), free(s->g), free(s->ub), free(s->tabu);
	free(s->run_cl), free(s->best_cl), free(s->pop), free(s->pobj);
	free(s->scratch), free(s->scratch2), free(s->acc), free(s->conf);
}

int consort__heur_cpp_solve(const consort__problem *p, const consort__heur_options *o,
	int *assign, int *k, double *objective, consort_error *err)
{
	int n = p->n;
	consort__budget b;
	consort__budget_init(&b, o);
	cpp s;
	memset(&s, 0, sizeof(s));
	s.n = n;
	s.p = p;
	s.w = p->w;
	s.b = &b;
	consort__rng_seed(&s.rng, o->seed);
	s.tol = consort__heur_tolerance(p);
	s.tmin = 2 + (int)(consort__heur_param("CPPT_TA", 0.05) * n);
	s.tspan = 2 + (int)(consort__heur_param("CPPT_TB", 0.1) * n);
	s.depth = (long)(consort__heur_param("CPPT_DEPTH", 10) * n);
	if (s.depth < 100)
		s.depth = 100;
	s.alpha = consort__heur_param("CPPT_ALPHA", 0.96);
	s.sizefactor = consort__heur_param("CPPT_SF", 4);
	s.minacc = consort__heur_param("CPPT_MINACC", 0.01);
	s.t0factor = consort__heur_param("CPPT_T0", 0.25);
	s.shrink = consort__heur_param("CPPT_SHRINK", 0.6);
	s.child_cool = consort__heur_param("CPPT_CT", 1);
	s.psize = (int)consort__heur_param("CPPT_POP", 10);
	if (s.psize < 2)
		s.psize = 2;
	size_t nn = (size_t)n * n;
	s.cl = malloc((size_t)n * sizeof(int));
	s.size = malloc((size_t)n * sizeof(int));
	s.g = malloc(nn * sizeof(double));
	s.ub = malloc((size_t)n * sizeof(double));
	s.tabu = malloc((size_t)n * sizeof(long));
	s.run_cl = malloc((size_t)n * sizeof(int));
	s.best_cl = malloc((size_t)n * sizeof(int));
	s.pop = malloc((size_t)s.psize * n * sizeof(int));
	s.pobj = malloc((size_t)s.psize * sizeof(double));
	s.scratch = malloc((size_t)n * sizeof(int));
	s.scratch2 = malloc((size_t)n * sizeof(int));
	s.acc = malloc((size_t)n * sizeof(double));
	s.conf = malloc(nn);
	if (!s.cl || !s.size || !s.g || !s.ub || !s.tabu || !s.run_cl || !s.best_cl || !s.pop ||
	    !s.pobj || !s.scratch || !s.scratch2 || !s.acc || !s.conf) {
		cpp_free(&s);
		return consort__error_nomem(err);
	}
	s.best_obj = -DBL_MAX;
	s.run_obj = -DBL_MAX;
	s.gcols = n;
	if (run(&s) < 0 || !s.have_best) {
		cpp_free(&s);
		return consort__error_nomem(err);
	}
	memcpy(assign, s.best_cl, (size_t)n * sizeof(int));
	int kk = 0;
	for (int v = 0; v < n; v++)
		kk = assign[v] + 1 > kk ? assign[v] + 1 : kk;
	*k = kk;
	*objective = consort__problem_objective(p, assign);
	cpp_free(&s);
	return 1;
}
