/* Speed-dating schedules: a round-robin (circle method, or Latin rotation across two
 * sectors) cut into the fewest rounds a table limit allows, then ordered to spread rests. */
#include "consort/schedule.h"
#include "error.h"
#include "io/json.h"
#include "writers/xml.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PAIRS ((size_t)2000000)
#define MAX_SEATS ((size_t)50000000)
#define NONE SIZE_MAX
/* Pairs the greedy order may look at (a few hundredths of a second): it
 * considers at most this / (rounds x tables) candidate rounds per step. */
#define GREEDY_BUDGET ((size_t)20000000)

typedef struct game {
	size_t round, table, partner;
} game;

struct consort_schedule {
	consort_schedule_options opt; /* opt.cross_a/b point at cross[] */
	char *cross[2];
	char *title;
	size_t n;                     /* participants in the session */
	char **ids, **names, **sectors;
	signed char *side;            /* -1: not scheduled; 0: everyone or cross_a; 1: cross_b */
	size_t count[2];              /* scheduled participants per side */
	size_t npairs, nrounds, bound, tables_used;
	size_t *round_off;            /* nrounds + 1 offsets into meets */
	consort_schedule_meeting *meets;
	size_t *rest_off;             /* nrounds + 1 offsets into rest */
	size_t *rest;
	size_t *game_off;             /* n + 1 offsets into games, each participant's by round */
	game *games;
};

/* ---- options and bounds ---- */

void consort_schedule_options_init(consort_schedule_options *o)
{
	memset(o, 0, sizeof(*o));
	o->tables = CONSORT_NO_MAX;
	o->minutes = 5;
	o->changeover = 1;
	o->start = -1;
}

static size_t ceil_div(size_t a, size_t b)
{
	return a / b + (a % b != 0);
}

/* A round seats at most `tables` pairs, so pairs/tables rounds are needed too. */
static size_t bound_with_tables(size_t rounds, size_t pairs, int tables)
{
	if (tables == CONSORT_NO_MAX)
		return rounds;
	if (tables < 1)
		return 0;
	size_t r = ceil_div(pairs, (size_t)tables);
	return r > rounds ? r : rounds;
}

size_t consort_schedule_lower_bound(size_t n, int tables)
{
	if (n < 2 || n > SIZE_MAX / n)
		return 0;
	return bound_with_tables(n % 2 ? n : n - 1, n * (n - 1) / 2, tables);
}

size_t consort_schedule_lower_bound_cross(size_t a, size_t b, int tables)
{
	if (a == 0 || b == 0 || a > SIZE_MAX / b)
		return 0;
	return bound_with_tables(a > b ? a : b, a * b, tables);
}

static int check_options(const consort_schedule_options *o, consort_error *err)
{
	char show[80];
	if (o->tables != CONSORT_NO_MAX && o->tables < 1)
		return consort__error(err, CONSORT_EINVALID,
			"schedule: tables: %d; at least 1 table is needed", o->tables);
	if (o->minutes < 1 || o->minutes > 1440)
		return consort__error(err, CONSORT_EINVALID,
			"schedule: minutes: %d is outside 1..1440", o->minutes);
	if (o->changeover < 0 || o->changeover > 1440)
		return consort__error(err, CONSORT_EINVALID,
			"schedule: changeover: %d minutes is outside 0..1440", o->changeover);
	if (o->start < -1 || o->start > 1439)
		return consort__error(err, CONSORT_EINVALID,
			"schedule: start: %d minutes after midnight is outside 0..1439", o->start);
	if (!o->cross_a != !o->cross_b)
		return consort__error(err, CONSORT_EINVALID,
			"schedule: cross: two sectors are needed, one was given");
	if (o->cross_a && strcmp(o->cross_a, o->cross_b) == 0)
		return consort__error(err, CONSORT_EINVALID,
			"schedule: cross: both sectors are '%s'; name two different sectors",
			consort__json_show(show, sizeof(show), o->cross_a));
	return 0;
}

/* "association, firm, public" (the first few distinct sectors) for messages. */
static void sector_list(char *buf, size_t size, const consort_session *s)
{
	const char *seen[8];
	size_t nseen = 0, len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < consort_session_count(s) && nseen < 8; i++) {
		const char *sec = consort_session_participant(s, i)->sector;
		size_t k = 0;
		while (k < nseen && strcmp(seen[k], sec) != 0)
			k++;
		if (k < nseen)
			continue;
		seen[nseen++] = sec;
		char show[48];
		int w = snprintf(buf + len, size - len, "%s%s", nseen > 1 ? ", " : "",
			consort__json_show(show, sizeof(show), sec));
		if (w < 0 || (size_t)w >= size - len)
			break;
		len += (size_t)w;
	}
}

/* ---- the schedule object ---- */

void consort_schedule_free(consort_schedule *sch)
{
	if (!sch)
		return;
	for (size_t i = 0; i < sch->n; i++) {
		if (sch->ids)
			free(sch->ids[i]);
		if (sch->names)
			free(sch->names[i]);
		if (sch->sectors)
			free(sch->sectors[i]);
	}
	free(sch->ids);
	free(sch->names);
	free(sch->sectors);
	free(sch->cross[0]);
	free(sch->cross[1]);
	free(sch->title);
	free(sch->side);
	free(sch->round_off);
	free(sch->meets);
	free(sch->rest_off);
	free(sch->rest);
	free(sch->game_off);
	free(sch->games);
	free(sch);
}

static char *dup_str(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

/* Copies what the writers need, so the schedule outlives the session. */
static int copy_session(consort_schedule *sch, const consort_session *s,
	const consort_schedule_options *o)
{
	sch->opt = *o;
	size_t n = consort_session_count(s);
	sch->ids = calloc(n ? n : 1, sizeof(char *));
	sch->names = calloc(n ? n : 1, sizeof(char *));
	sch->sectors = calloc(n ? n : 1, sizeof(char *));
	sch->side = calloc(n ? n : 1, 1);
	if (!sch->ids || !sch->names || !sch->sectors || !sch->side)
		return -1;
	sch->n = n;
	for (size_t i = 0; i < n; i++) {
		const consort_participant *p = consort_session_participant(s, i);
		sch->ids[i] = dup_str(p->id);
		sch->names[i] = dup_str(p->name ? p->name : p->id);
		sch->sectors[i] = dup_str(p->sector ? p->sector : "");
		if (!sch->ids[i] || !sch->names[i] || !sch->sectors[i])
			return -1;
	}
	if (consort_session_title(s) && !(sch->title = dup_str(consort_session_title(s))))
		return -1;
	if (o->cross_a) {
		sch->cross[0] = dup_str(o->cross_a);
		sch->cross[1] = dup_str(o->cross_b);
		if (!sch->cross[0] || !sch->cross[1])
			return -1;
		sch->opt.cross_a = sch->cross[0];
		sch->opt.cross_b = sch->cross[1];
	}
	return 0;
}

/* Marks who takes part (side[]) and checks there is someone to schedule. */
static int select_participants(consort_schedule *sch, const consort_session *s,
	consort_error *err)
{
	char show[80], list[256];
	if (!sch->opt.cross_a) {
		if (sch->n < 2)
			return consort__error(err, CONSORT_EINVALID,
				"schedule: the session has %zu participant%s; a schedule needs at least 2",
				sch->n, sch->n == 1 ? "" : "s");
		sch->count[0] = sch->n;
		return 0;
	}
	for (size_t i = 0; i < sch->n; i++) {
		int k = strcmp(sch->sectors[i], sch->cross[0]) == 0 ? 0
			: strcmp(sch->sectors[i], sch->cross[1]) == 0 ? 1 : -1;
		sch->side[i] = (signed char)k;
		if (k >= 0)
			sch->count[k]++;
	}
	for (int k = 0; k < 2; k++) {
		if (sch->count[k] > 0)
			continue;
		sector_list(list, sizeof(list), s);
		return consort__error(err, CONSORT_EINVALID,
			"schedule: cross: no participant is in sector '%s' (the session's sectors: %s)",
			consort__json_show(show, sizeof(show), sch->cross[k]), list[0] ? list : "none");
	}
	return 0;
}

/* ---- the round-robin as one sequence, cut into rounds ---- */

/* The required pairs listed round-robin round after round, each round in a fixed
 * seat order, so that a participant's meetings lie at least g places apart in the
 * list: g = floor(n/2) - 1 for every pair (circle_sequence); across two sectors
 * of a <= b, g = a - 1, or at least the table limit T (latin_sequence). Any g
 * consecutive pairs then form a valid round. With a table limit T below the
 * round-robin's round size, cutting the list into k = ceil(pairs / T) nearly
 * equal pieces (at most T <= g pairs each) meets the lower bound; otherwise the
 * pieces are the round-robin's own rounds, whose count is the bound. The cut
 * keeps the round-robin's rhythm: each participant meets someone about once a
 * round-robin round, so its rests come in even runs. */
typedef struct plan {
	size_t npairs, k;
	consort_pair *seq; /* a < b by index, or a in cross_a and b in cross_b */
	size_t *cut;       /* k + 1 offsets: round r is seq[cut[r] .. cut[r + 1]) */
	size_t *order;     /* the rounds in the order they are held */
} plan;

static void plan_dispose(plan *pl)
{
	free(pl->seq);
	free(pl->cut);
	free(pl->order);
}

/* The circle method (Berger tables): seats 0..M-2 on a circle and M-1 in the
 * middle; in round r the middle meets r and r+j meets r-j (mod M-1), listed by
 * j. Seat x is listed at place min(d, M-1-d) with d = x - r (mod M-1), which moves
 * by at most one from round to round, so its meetings lie at least M/2 - 1 places
 * apart. With an odd count the middle seat is empty, its partner rests and the
 * rounds are one pair shorter: M/2 - 2 places. Either way floor(n/2) - 1. */
static size_t circle_sequence(consort_pair *seq, const size_t *who, size_t m)
{
	size_t big = m + (m % 2), ne = 0;
	for (size_t r = 0; r + 1 < big; r++)
		for (size_t j = 0; j < big / 2; j++) {
			size_t x = j == 0 ? big - 1 : (r + j) % (big - 1);
			size_t y = (r + (big - 1) - j) % (big - 1);
			if (x >= m || y >= m)
				continue;
			size_t a = who[x], b = who[y];
			seq[ne].a = a < b ? a : b;
			seq[ne].b = a < b ? b : a;
			ne++;
		}
	return ne;
}

/* Inverse of c modulo m (gcd(c, m) = 1), by the extended Euclidean algorithm. */
static size_t inverse_mod(size_t c, size_t m)
{
	long long r0 = (long long)m, r1 = (long long)(c % m), t0 = 0, t1 = 1;
	while (r1 != 0) {
		long long q = r0 / r1, tmp = r0 - q * r1;
		r0 = r1;
		r1 = tmp;
		tmp = t0 - q * t1;
		t0 = t1;
		t1 = tmp;
	}
	return r0 == 1 ? (size_t)((t0 % (long long)m + (long long)m) % (long long)m) : 0;
}

static size_t gcd(size_t x, size_t y)
{
	while (y) {
		size_t t = x % y;
		x = y;
		y = t;
	}
	return x;
}

/* The step c of the Latin rotation below. A member of the larger side meets
 * someone in the rounds j - c*i (i < small), so its rests are evenly spread
 * when those points are: c near big/small, judged by the widest cyclic gap
 * between them. When rounds are pieces of the list (tables < small), c must
 * also keep the lists valid: with w = 1/c (mod big) the larger side's member
 * moves from place i to i - w, which is fewer than `tables` places on when w
 * is in (small - tables, small). c = 1 always works. */
static size_t latin_step(size_t small, size_t big, int tables, unsigned char *hit)
{
	size_t best = 1, best_gap = SIZE_MAX;
	size_t centre = big / small;
	for (size_t d = 0; d < 64 && d <= big; d++)
		for (int sgn = 0; sgn < 2; sgn++) {
			if (sgn && d == 0)
				continue;
			if (sgn && d >= centre)
				continue;
			size_t c = sgn ? centre - d : centre + d;
			if (c == 0 || c >= big || gcd(c, big) != 1)
				continue;
			size_t w = inverse_mod(c, big);
			if (tables != CONSORT_NO_MAX && (size_t)tables < small &&
			    w > small - (size_t)tables && w < small)
				continue;
			memset(hit, 0, big);
			for (size_t i = 0; i < small; i++)
				hit[(size_t)((unsigned long long)c * i % big)] = 1;
			size_t gap = 0, run = 0, first = SIZE_MAX;
			for (size_t x = 0; x < big; x++) {
				if (hit[x]) {
					first = first == SIZE_MAX ? x : first;
					run = 0;
				} else if (++run > gap) {
					gap = run;
				}
			}
			if (run + first > gap) /* the gap that wraps around */
				gap = run + first;
			if (gap < best_gap || (gap == best_gap && c < best)) {
				best = c;
				best_gap = gap;
			}
		}
	return best;
}

/* Latin rotation of the complete bipartite graph: in round r the i-th of the
 * smaller side meets the (c*i + r)-th of the larger (mod its size), listed by i;
 * c is coprime to the larger size, so each round is a matching and each pair
 * meets once. The smaller side's members are listed every `small` places, the
 * larger's (see latin_step) at least `tables` places apart. */
static int latin_sequence(size_t *listed, consort_pair *seq, const size_t *a, size_t na,
	const size_t *b, size_t nb, int tables)
{
	int a_small = na <= nb;
	size_t small = a_small ? na : nb, big = a_small ? nb : na, ne = 0;
	unsigned char *hit = malloc(big);
	if (!hit)
		return -1;
	size_t c = latin_step(small, big, tables, hit);
	free(hit);
	for (size_t r = 0; r < big; r++)
		for (size_t i = 0; i < small; i++, ne++) {
			size_t j = (size_t)(((unsigned long long)c * i + r) % big);
			seq[ne].a = a_small ? a[i] : a[j];
			seq[ne].b = a_small ? b[j] : b[i];
		}
	*listed = ne;
	return 0;
}

/* Checks what the construction guarantees: nobody twice in a round, no round
 * above the table limit. A failure is a bug, reported rather than printed. */
static int plan_check(const plan *pl, size_t n, int tables, consort_error *err)
{
	size_t *seen = malloc((n ? n : 1) * sizeof(size_t));
	if (!seen)
		return consort__error_nomem(err);
	for (size_t v = 0; v < n; v++)
		seen[v] = NONE;
	int rc = 0;
	for (size_t r = 0; r < pl->k && rc == 0; r++) {
		size_t size = pl->cut[r + 1] - pl->cut[r];
		if (size == 0 || (tables != CONSORT_NO_MAX && size > (size_t)tables))
			rc = consort__error(err, CONSORT_EINTERNAL,
				"schedule: round %zu has %zu pairs", r + 1, size);
		for (size_t p = pl->cut[r]; p < pl->cut[r + 1] && rc == 0; p++) {
			const consort_pair *e = &pl->seq[p];
			if (seen[e->a] == r || seen[e->b] == r)
				rc = consort__error(err, CONSORT_EINTERNAL,
					"schedule: round %zu seats a participant twice", r + 1);
			seen[e->a] = seen[e->b] = r;
		}
	}
	free(seen);
	return rc;
}

/* ---- spreading rests ---- */

/* In floating point: a sum of cubes of runs of up to 2,000,000 rounds would overflow. */
static double cube(long long x)
{
	double d = (double)x;
	return d * d * d;
}

/* Score of an order: first the worst excess of a participant's longest run of
 * rests over the shortest its counts allow, ceil(rests / (meetings + 1)); then
 * the sum over participants of the cubes of their rest runs (before the first
 * meeting, between meetings, after the last), least when the runs are even. */
typedef struct order_score {
	size_t worst;
	double sum;
} order_score;

static void close_run(order_score *sc, size_t *longest, size_t v, long long run)
{
	sc->sum += cube(run);
	if ((size_t)run > longest[v])
		longest[v] = (size_t)run;
}

static order_score order_cost(const plan *pl, const size_t *order, const size_t *deg, size_t n,
	size_t *last, size_t *longest)
{
	order_score sc = {0, 0};
	for (size_t v = 0; v < n; v++) {
		last[v] = NONE;
		longest[v] = 0;
	}
	for (size_t t = 0; t < pl->k; t++)
		for (size_t p = pl->cut[order[t]]; p < pl->cut[order[t] + 1]; p++) {
			size_t v[2] = {pl->seq[p].a, pl->seq[p].b};
			for (int s = 0; s < 2; s++) {
				long long prev = last[v[s]] == NONE ? -1 : (long long)last[v[s]];
				close_run(&sc, longest, v[s], (long long)t - prev - 1);
				last[v[s]] = t;
			}
		}
	for (size_t v = 0; v < n; v++) {
		if (last[v] == NONE)
			continue;
		close_run(&sc, longest, v, (long long)pl->k - (long long)last[v] - 1);
		size_t shortest = ceil_div(pl->k - deg[v], deg[v] + 1);
		if (longest[v] > shortest && longest[v] - shortest > sc.worst)
			sc.worst = longest[v] - shortest;
	}
	return sc;
}

static int score_less(order_score x, order_score y)
{
	return x.worst < y.worst || (x.worst == y.worst && x.sum < y.sum);
}

/* A greedy order: after a meeting in round L with g meetings left, participant
 * v's next meeting is due in round L + 1 + (rounds left - g) / (g + 1) (equal
 * rest runs from there on); each step holds the round whose participants are
 * most overdue, the cube again favouring the longest wait. */
static void greedy_order(const plan *pl, size_t *order, const size_t *deg, size_t n,
	size_t *played, size_t *last, size_t *next, size_t *prev)
{
	size_t k = pl->k;
	double dk = (double)k;
	for (size_t v = 0; v < n; v++)
		last[v] = NONE;
	/* A circular list of the rounds not yet held; k is the head. */
	for (size_t c = 0; c <= k; c++) {
		next[c] = c == k ? 0 : c + 1;
		prev[c] = c == 0 ? k : c - 1;
	}
	size_t window = GREEDY_BUDGET / (k * (pl->cut[1] - pl->cut[0]) + 1);
	window = window < 16 ? 16 : window;
	for (size_t t = 0; t < k; t++) {
		size_t best = NONE, seen = 0;
		double best_score = 0;
		for (size_t c = next[k]; c != k && seen < window; c = next[c], seen++) {
			double score = 0;
			for (size_t p = pl->cut[c]; p < pl->cut[c + 1]; p++) {
				size_t v[2] = {pl->seq[p].a, pl->seq[p].b};
				for (int s = 0; s < 2; s++) {
					double at = last[v[s]] == NONE ? -1.0 : (double)last[v[s]];
					double left = (double)(deg[v[s]] - played[v[s]]);
					double late = (double)t - (at + 1 + ((dk - at - 1) - left) / (left + 1));
					score += late > 0 ? late * late * late : late;
				}
			}
			if (best == NONE || score > best_score + 1e-9) {
				best = c;
				best_score = score;
			}
		}
		order[t] = best;
		next[prev[best]] = next[best];
		prev[next[best]] = prev[best];
		for (size_t p = pl->cut[best]; p < pl->cut[best + 1]; p++) {
			played[pl->seq[p].a]++;
			played[pl->seq[p].b]++;
			last[pl->seq[p].a] = last[pl->seq[p].b] = t;
		}
	}
}

/* Holds the rounds in the round-robin's own order or in the greedy one,
 * whichever spreads rests better. The round-robin's order is already even for
 * an even number of participants (meetings about n/2 pairs apart); with an odd
 * number each participant's rest round doubles one gap, which the greedy order
 * breaks up. */
static int spread_rests(plan *pl, const size_t *deg, size_t n, consort_error *err)
{
	size_t k = pl->k;
	size_t *alt = malloc(k * sizeof(size_t));
	size_t *next = malloc((k + 1) * sizeof(size_t));
	size_t *prev = malloc((k + 1) * sizeof(size_t));
	size_t *played = calloc(n ? n : 1, sizeof(size_t));
	size_t *last = malloc((n ? n : 1) * sizeof(size_t));
	size_t *longest = malloc((n ? n : 1) * sizeof(size_t));
	int rc = 0;
	if (!alt || !next || !prev || !played || !last || !longest) {
		rc = consort__error_nomem(err);
	} else {
		greedy_order(pl, alt, deg, n, played, last, next, prev);
		if (score_less(order_cost(pl, alt, deg, n, last, longest),
			order_cost(pl, pl->order, deg, n, last, longest)))
			memcpy(pl->order, alt, k * sizeof(size_t));
	}
	free(longest);
	free(alt);
	free(next);
	free(prev);
	free(played);
	free(last);
	return rc;
}

/* ---- seating ---- */

static int meeting_by_a(const void *x, const void *y)
{
	const consort_schedule_meeting *p = x, *q = y;
	return (p->a > q->a) - (p->a < q->a);
}

static int meeting_by_table(const void *x, const void *y)
{
	const consort_schedule_meeting *p = x, *q = y;
	return (p->table > q->table) - (p->table < q->table);
}

/* Gives each pair of a round a table, keeping people where they sat: first the
 * member who stays (with cross sectors, the smaller sector's; else a), then the
 * other, then the lowest free table. With cross sectors and enough tables, the
 * smaller sector never moves. */
static void seat_round(consort_schedule_meeting *m, size_t nm, size_t *last, size_t *busy,
	size_t stamp, int stay_b)
{
	qsort(m, nm, sizeof(*m), meeting_by_a);
	for (size_t t = 0; t < nm; t++)
		m[t].table = NONE;
	for (int pass = 0; pass < 2; pass++)
		for (size_t t = 0; t < nm; t++) {
			size_t v = (pass == 0) == !stay_b ? m[t].a : m[t].b;
			size_t tab = last[v];
			if (m[t].table == NONE && tab != NONE && busy[tab] != stamp) {
				m[t].table = tab;
				busy[tab] = stamp;
			}
		}
	size_t free_tab = 0;
	for (size_t t = 0; t < nm; t++) {
		if (m[t].table != NONE)
			continue;
		while (busy[free_tab] == stamp)
			free_tab++;
		m[t].table = free_tab;
		busy[free_tab] = stamp;
	}
	for (size_t t = 0; t < nm; t++)
		last[m[t].a] = last[m[t].b] = m[t].table;
	qsort(m, nm, sizeof(*m), meeting_by_table);
}

/* Fills rounds, resting lists and itineraries from the plan, in its order. */
static int lay_out(consort_schedule *sch, const plan *pl, const size_t *deg,
	const size_t *seated, consort_error *err)
{
	size_t n = sch->n, k = pl->k;
	size_t *last = malloc((n ? n : 1) * sizeof(size_t));
	size_t *busy = malloc((sch->tables_used ? sch->tables_used : 1) * sizeof(size_t));
	size_t *fill = calloc(n ? n : 1, sizeof(size_t));
	size_t nseated = sch->count[0] + sch->count[1];
	size_t nrest = nseated * k - 2 * pl->npairs;
	sch->round_off = malloc((k + 1) * sizeof(size_t));
	sch->rest_off = malloc((k + 1) * sizeof(size_t));
	sch->meets = malloc((pl->npairs ? pl->npairs : 1) * sizeof(*sch->meets));
	sch->rest = malloc((nrest ? nrest : 1) * sizeof(size_t));
	sch->game_off = malloc((n + 1) * sizeof(size_t));
	sch->games = malloc((pl->npairs ? 2 * pl->npairs : 1) * sizeof(game));
	int rc = 0;
	if (!last || !busy || !fill || !sch->round_off || !sch->rest_off || !sch->meets ||
	    !sch->rest || !sch->game_off || !sch->games) {
		rc = consort__error_nomem(err);
		goto done;
	}
	for (size_t v = 0; v < n; v++)
		last[v] = NONE;
	for (size_t t = 0; t < sch->tables_used; t++)
		busy[t] = NONE;
	sch->game_off[0] = 0;
	for (size_t v = 0; v < n; v++)
		sch->game_off[v + 1] = sch->game_off[v] + deg[v];
	int stay_b = sch->opt.cross_a && sch->count[1] < sch->count[0];
	size_t nm = 0, nr = 0;
	for (size_t r = 0; r < k; r++) {
		const consort_pair *pairs = pl->seq + pl->cut[pl->order[r]];
		size_t len = pl->cut[pl->order[r] + 1] - pl->cut[pl->order[r]];
		sch->round_off[r] = nm;
		sch->rest_off[r] = nr;
		consort_schedule_meeting *m = sch->meets + nm;
		for (size_t p = 0; p < len; p++) {
			m[p].a = pairs[p].a;
			m[p].b = pairs[p].b;
		}
		seat_round(m, len, last, busy, r, stay_b);
		nm += len;
		for (size_t p = 0; p < len; p++) {
			game ga = {r, m[p].table, m[p].b}, gb = {r, m[p].table, m[p].a};
			sch->games[sch->game_off[m[p].a] + fill[m[p].a]++] = ga;
			sch->games[sch->game_off[m[p].b] + fill[m[p].b]++] = gb;
		}
		/* Whoever did not just get a game with this round number rests. */
		for (size_t q = 0; q < nseated; q++) {
			size_t v = seated[q];
			size_t f = fill[v];
			if (f == 0 || sch->games[sch->game_off[v] + f - 1].round != r) {
				if (nr == nrest) {
					rc = consort__error(err, CONSORT_EINTERNAL,
						"schedule: more rests than rounds allow");
					goto done;
				}
				sch->rest[nr++] = v;
			}
		}
	}
	sch->round_off[k] = nm;
	sch->rest_off[k] = nr;
	if (nr != nrest)
		rc = consort__error(err, CONSORT_EINTERNAL, "schedule: %zu rests, expected %zu",
			nr, nrest);
done:
	free(last);
	free(busy);
	free(fill);
	return rc;
}

/* ---- building ---- */

/* Participants taking part, by side, in the session's order. */
static int collect_sides(size_t **who, const consort_schedule *sch)
{
	who[0] = malloc((sch->count[0] ? sch->count[0] : 1) * sizeof(size_t));
	who[1] = malloc((sch->count[1] ? sch->count[1] : 1) * sizeof(size_t));
	if (!who[0] || !who[1])
		return -1;
	size_t fill[2] = {0, 0};
	for (size_t v = 0; v < sch->n; v++)
		if (sch->side[v] >= 0)
			who[sch->side[v]][fill[sch->side[v]]++] = v;
	return 0;
}

/* Sizes the schedule: pairs, rounds (the lower bound) and the work it needs. */
static int size_up(consort_schedule *sch, consort_error *err)
{
	size_t a = sch->count[0], b = sch->count[1];
	if (sch->opt.cross_a) {
		if (a > MAX_PAIRS / b)
			return consort__error(err, CONSORT_EINVALID,
				"schedule: %zu x %zu pairs is more than consort schedules (at most %zu)",
				a, b, MAX_PAIRS);
		sch->npairs = a * b;
		sch->bound = consort_schedule_lower_bound_cross(a, b, sch->opt.tables);
	} else {
		if (a > 4000 || a * (a - 1) / 2 > MAX_PAIRS)
			return consort__error(err, CONSORT_EINVALID,
				"schedule: %zu participants make more pairs than consort schedules "
				"(at most %zu)", a, MAX_PAIRS);
		sch->npairs = a * (a - 1) / 2;
		sch->bound = consort_schedule_lower_bound(a, sch->opt.tables);
	}
	if (sch->bound > MAX_SEATS / (a + b))
		return consort__error(err, CONSORT_EINVALID,
			"schedule: %zu rounds for %zu participants is more than consort lays out "
			"(at most %zu seats); allow more tables", sch->bound, a + b, MAX_SEATS);
	sch->nrounds = sch->bound;
	return 0;
}

static int build(consort_schedule *sch, consort_error *err)
{
	int rc = size_up(sch, err);
	if (rc < 0)
		return rc;
	size_t a = sch->count[0], b = sch->count[1], k = sch->nrounds, e = sch->npairs;
	plan pl = {e, k, NULL, NULL, NULL};
	size_t *who[2] = {NULL, NULL}, *deg = NULL, *seated = NULL;
	pl.seq = malloc(e * sizeof(consort_pair));
	pl.cut = malloc((k + 1) * sizeof(size_t));
	pl.order = malloc(k * sizeof(size_t));
	deg = calloc(sch->n, sizeof(size_t));
	seated = malloc((a + b) * sizeof(size_t));
	if (!pl.seq || !pl.cut || !pl.order || !deg || !seated || collect_sides(who, sch) < 0) {
		rc = consort__error_nomem(err);
		goto done;
	}
	size_t listed = 0;
	if (!sch->opt.cross_a) {
		listed = circle_sequence(pl.seq, who[0], a);
	} else if (latin_sequence(&listed, pl.seq, who[0], a, who[1], b, sch->opt.tables) < 0) {
		rc = consort__error_nomem(err);
		goto done;
	}
	if (listed != e) {
		rc = consort__error(err, CONSORT_EINTERNAL, "schedule: listed %zu of %zu pairs",
			listed, e);
		goto done;
	}
	/* Nearly equal pieces: round r ends at floor((r + 1) e / k). */
	for (size_t r = 0; r <= k; r++)
		pl.cut[r] = (size_t)((unsigned long long)r * e / k);
	for (size_t r = 0; r < k; r++)
		pl.order[r] = r;
	for (size_t p = 0; p < e; p++) {
		deg[pl.seq[p].a]++;
		deg[pl.seq[p].b]++;
	}
	sch->tables_used = ceil_div(e, k);
	if ((rc = plan_check(&pl, sch->n, sch->opt.tables, err)) < 0 ||
	    (rc = spread_rests(&pl, deg, sch->n, err)) < 0)
		goto done;
	for (size_t v = 0, q = 0; v < sch->n; v++)
		if (sch->side[v] >= 0)
			seated[q++] = v;
	rc = lay_out(sch, &pl, deg, seated, err);
done:
	plan_dispose(&pl);
	free(who[0]);
	free(who[1]);
	free(deg);
	free(seated);
	return rc;
}

int consort_schedule_build(consort_schedule **out, const consort_session *s,
	const consort_schedule_options *o, consort_error *err)
{
	*out = NULL;
	consort_schedule_options defaults;
	if (!o) {
		consort_schedule_options_init(&defaults);
		o = &defaults;
	}
	int rc = check_options(o, err);
	if (rc < 0)
		return rc;
	consort_schedule *sch = calloc(1, sizeof(*sch));
	if (!sch)
		return consort__error_nomem(err);
	if (copy_session(sch, s, o) < 0)
		rc = consort__error_nomem(err);
	else if ((rc = select_participants(sch, s, err)) == 0)
		rc = build(sch, err);
	if (rc < 0) {
		consort_schedule_free(sch);
		return rc;
	}
	*out = sch;
	return 0;
}

/* ---- accessors ---- */

const consort_schedule_options *consort_schedule_settings(const consort_schedule *sch)
{
	return &sch->opt;
}

const char *consort_schedule_title(const consort_schedule *sch)
{
	return sch->title;
}

size_t consort_schedule_bound(const consort_schedule *sch)
{
	return sch->bound;
}

size_t consort_schedule_round_count(const consort_schedule *sch)
{
	return sch->nrounds;
}

size_t consort_schedule_pair_count(const consort_schedule *sch)
{
	return sch->npairs;
}

size_t consort_schedule_tables_used(const consort_schedule *sch)
{
	return sch->tables_used;
}

long long consort_schedule_round_offset(const consort_schedule *sch, size_t r)
{
	if (r >= sch->nrounds)
		return 0;
	return (long long)r * (sch->opt.minutes + sch->opt.changeover);
}

size_t consort_schedule_meeting_count(const consort_schedule *sch, size_t r)
{
	return r < sch->nrounds ? sch->round_off[r + 1] - sch->round_off[r] : 0;
}

consort_schedule_meeting consort_schedule_meeting_at(const consort_schedule *sch, size_t r, size_t k)
{
	consort_schedule_meeting none = {0, 0, 0};
	if (k >= consort_schedule_meeting_count(sch, r))
		return none;
	return sch->meets[sch->round_off[r] + k];
}

size_t consort_schedule_resting_count(const consort_schedule *sch, size_t r)
{
	return r < sch->nrounds ? sch->rest_off[r + 1] - sch->rest_off[r] : 0;
}

size_t consort_schedule_resting(const consort_schedule *sch, size_t r, size_t k)
{
	if (k >= consort_schedule_resting_count(sch, r))
		return 0;
	return sch->rest[sch->rest_off[r] + k];
}

size_t consort_schedule_participant_count(const consort_schedule *sch)
{
	return sch->n;
}

const char *consort_schedule_id(const consort_schedule *sch, size_t i)
{
	return i < sch->n ? sch->ids[i] : "";
}

const char *consort_schedule_name(const consort_schedule *sch, size_t i)
{
	return i < sch->n ? sch->names[i] : "";
}

const char *consort_schedule_sector(const consort_schedule *sch, size_t i)
{
	return i < sch->n ? sch->sectors[i] : "";
}

int consort_schedule_takes_part(const consort_schedule *sch, size_t i)
{
	return i < sch->n && sch->side[i] >= 0;
}

size_t consort_schedule_rest_count(const consort_schedule *sch, size_t i)
{
	if (!consort_schedule_takes_part(sch, i))
		return 0;
	return sch->nrounds - (sch->game_off[i + 1] - sch->game_off[i]);
}

consort_schedule_seat consort_schedule_itinerary(const consort_schedule *sch, size_t i, size_t r)
{
	consort_schedule_seat seat = {0, 0, 0};
	if (!consort_schedule_takes_part(sch, i) || r >= sch->nrounds)
		return seat;
	size_t lo = sch->game_off[i], hi = sch->game_off[i + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sch->games[mid].round < r)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < sch->game_off[i + 1] && sch->games[lo].round == r) {
		seat.seated = 1;
		seat.table = sch->games[lo].table;
		seat.partner = sch->games[lo].partner;
	}
	return seat;
}

/* ---- writers ---- */

/* The text, CSV and HTML forms share the HTML/SVG writer's buffer; only the
 * HTML form escapes (consort__xml_text), the others write plain text. */

/* Text for a terminal: control characters (a newline in a name) become '?'. */
static void sb_clean(consort__xml *b, const char *s)
{
	for (const char *c = s; *c; c++) {
		unsigned char u = (unsigned char)*c;
		consort__xml_rawn(b, u < 0x20 || u == 0x7f ? "?" : c, 1);
	}
}

/* RFC 4180: quote fields holding a comma, quote, CR or LF; double the quotes. */
static void sb_csv(consort__xml *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		consort__xml_raw(b, s);
		return;
	}
	consort__xml_rawn(b, "\"", 1);
	for (const char *c = s; *c; c++) {
		if (*c == '"')
			consort__xml_rawn(b, "\"", 1);
		consort__xml_rawn(b, c, 1);
	}
	consort__xml_rawn(b, "\"", 1);
}


/* "09:06" with a start time, else the time since the start, "0:06". */
static const char *time_text(char *buf, size_t size, const consort_schedule *sch, long long offset)
{
	if (sch->opt.start >= 0) {
		long long t = (sch->opt.start + offset) % 1440;
		snprintf(buf, size, "%02lld:%02lld", t / 60, t % 60);
	} else {
		snprintf(buf, size, "%lld:%02lld", offset / 60, offset % 60);
	}
	return buf;
}

static long long round_start(const consort_schedule *sch, size_t r)
{
	return consort_schedule_round_offset(sch, r);
}

static long long round_end(const consort_schedule *sch, size_t r)
{
	return consort_schedule_round_offset(sch, r) + sch->opt.minutes;
}

int consort_schedule_to_json(char **out, const consort_schedule *sch, consort_error *err)
{
	*out = NULL;
	char buf[32];
	int ok = 1;
	cJSON *root = cJSON_CreateObject();
	cJSON *rests = NULL, *outside = NULL, *rounds = NULL;
	if (!root)
		return consort__error_nomem(err);
	if (sch->title)
		ok &= cJSON_AddStringToObject(root, "title", sch->title) != NULL;
	ok &= cJSON_AddNumberToObject(root, "participants",
		(double)(sch->count[0] + sch->count[1])) != NULL;
	ok &= cJSON_AddNumberToObject(root, "pairs", (double)sch->npairs) != NULL;
	ok &= cJSON_AddNumberToObject(root, "lower_bound", (double)sch->bound) != NULL;
	if (sch->opt.tables == CONSORT_NO_MAX)
		ok &= cJSON_AddNullToObject(root, "tables") != NULL;
	else
		ok &= cJSON_AddNumberToObject(root, "tables", sch->opt.tables) != NULL;
	ok &= cJSON_AddNumberToObject(root, "tables_used", (double)sch->tables_used) != NULL;
	ok &= cJSON_AddNumberToObject(root, "minutes", sch->opt.minutes) != NULL;
	ok &= cJSON_AddNumberToObject(root, "changeover", sch->opt.changeover) != NULL;
	if (sch->opt.start >= 0)
		ok &= cJSON_AddStringToObject(root, "start", time_text(buf, sizeof(buf), sch, 0)) != NULL;
	if (sch->opt.cross_a) {
		const char *pair[2] = {sch->cross[0], sch->cross[1]};
		cJSON *c = cJSON_CreateStringArray(pair, 2);
		ok &= c && cJSON_AddItemToObject(root, "cross", c);
	}
	ok &= (rests = cJSON_AddObjectToObject(root, "rests")) != NULL;
	ok &= (outside = cJSON_AddArrayToObject(root, "not_scheduled")) != NULL;
	ok &= (rounds = cJSON_AddArrayToObject(root, "rounds")) != NULL;
	for (size_t v = 0; ok && v < sch->n; v++) {
		if (sch->side[v] >= 0)
			ok &= cJSON_AddNumberToObject(rests, sch->ids[v],
				(double)consort_schedule_rest_count(sch, v)) != NULL;
		else
			ok &= cJSON_AddItemToArray(outside, cJSON_CreateString(sch->ids[v]));
	}
	for (size_t r = 0; ok && r < sch->nrounds; r++) {
		cJSON *round = cJSON_CreateObject(), *tabs = NULL, *rest = NULL;
		ok &= round && cJSON_AddItemToArray(rounds, round);
		if (!ok)
			break;
		ok &= cJSON_AddNumberToObject(round, "round", (double)(r + 1)) != NULL;
		ok &= cJSON_AddNumberToObject(round, "offset", (double)round_start(sch, r)) != NULL;
		if (sch->opt.start >= 0)
			ok &= cJSON_AddStringToObject(round, "start",
				time_text(buf, sizeof(buf), sch, round_start(sch, r))) != NULL;
		ok &= (tabs = cJSON_AddArrayToObject(round, "tables")) != NULL;
		ok &= (rest = cJSON_AddArrayToObject(round, "resting")) != NULL;
		for (size_t k = 0; ok && k < consort_schedule_meeting_count(sch, r); k++) {
			consort_schedule_meeting m = consort_schedule_meeting_at(sch, r, k);
			const char *pair[2] = {sch->ids[m.a], sch->ids[m.b]};
			cJSON *t = cJSON_CreateObject();
			ok &= t && cJSON_AddItemToArray(tabs, t);
			ok &= ok && cJSON_AddNumberToObject(t, "table", (double)(m.table + 1)) != NULL;
			if (!ok)
				break;
			cJSON *p = cJSON_CreateStringArray(pair, 2);
			ok &= p && cJSON_AddItemToObject(t, "pair", p);
		}
		for (size_t k = 0; ok && k < consort_schedule_resting_count(sch, r); k++)
			ok &= cJSON_AddItemToArray(rest,
				cJSON_CreateString(sch->ids[consort_schedule_resting(sch, r, k)]));
	}
	int rc = ok ? consort__json_print(out, root, err) : consort__error_nomem(err);
	cJSON_Delete(root);
	return rc;
}

int consort_schedule_to_csv(char **out, const consort_schedule *sch, consort_error *err)
{
	*out = NULL;
	consort__xml b = {0};
	char t0[32], t1[32];
	consort__xml_raw(&b, "round,start,end,table,id,name,partner,partner_name\r\n");
	for (size_t r = 0; r < sch->nrounds; r++) {
		time_text(t0, sizeof(t0), sch, round_start(sch, r));
		time_text(t1, sizeof(t1), sch, round_end(sch, r));
		for (size_t k = 0; k < consort_schedule_meeting_count(sch, r); k++) {
			consort_schedule_meeting m = consort_schedule_meeting_at(sch, r, k);
			for (int s = 0; s < 2; s++) {
				size_t me = s ? m.b : m.a, you = s ? m.a : m.b;
				consort__xml_rawf(&b, "%zu,%s,%s,%zu,", r + 1, t0, t1, m.table + 1);
				sb_csv(&b, sch->ids[me]);
				consort__xml_rawn(&b, ",", 1);
				sb_csv(&b, sch->names[me]);
				consort__xml_rawn(&b, ",", 1);
				sb_csv(&b, sch->ids[you]);
				consort__xml_rawn(&b, ",", 1);
				sb_csv(&b, sch->names[you]);
				consort__xml_raw(&b, "\r\n");
			}
		}
		for (size_t k = 0; k < consort_schedule_resting_count(sch, r); k++) {
			size_t v = consort_schedule_resting(sch, r, k);
			consort__xml_rawf(&b, "%zu,%s,%s,,", r + 1, t0, t1);
			sb_csv(&b, sch->ids[v]);
			consort__xml_rawn(&b, ",", 1);
			sb_csv(&b, sch->names[v]);
			consort__xml_raw(&b, ",,\r\n");
		}
	}
	return consort__xml_finish(out, &b, err);
}

/* "Name (id)", or just the id when the name is the id. */
static void who_text(consort__xml *b, const consort_schedule *sch, size_t v)
{
	sb_clean(b, sch->names[v]);
	if (strcmp(sch->names[v], sch->ids[v]) != 0) {
		consort__xml_raw(b, " (");
		sb_clean(b, sch->ids[v]);
		consort__xml_raw(b, ")");
	}
}

/* Why the round count is the fewest possible, for the summary line. */
static void bound_reason(consort__xml *b, const consort_schedule *sch)
{
	size_t a = sch->count[0], nb = sch->count[1];
	size_t chi = sch->opt.cross_a ? (a > nb ? a : nb) : (a % 2 ? a : a - 1);
	if (sch->nrounds != sch->bound) {
		consort__xml_rawf(b, " (the lower bound is %zu)", sch->bound);
		return;
	}
	if (sch->nrounds > chi) {
		consort__xml_rawf(b, " — the fewest possible with %d table%s", sch->opt.tables,
			sch->opt.tables == 1 ? "" : "s");
	} else if (sch->opt.cross_a) {
		/* A member of the smaller sector meets everyone in the larger one. */
		size_t small = a <= nb ? 0 : 1;
		consort__xml_rawf(b, " — the fewest possible: each of the %zu in '", small ? nb : a);
		sb_clean(b, sch->cross[small]);
		consort__xml_rawf(b, "' meets all %zu in '", small ? a : nb);
		sb_clean(b, sch->cross[!small]);
		consort__xml_raw(b, "', one per round");
	} else if (a % 2) {
		consort__xml_rawf(b, " — the fewest possible: with %zu participants at most %zu pairs "
			"meet at once", a, a / 2);
	} else {
		consort__xml_rawf(b, " — the fewest possible: everyone meets the %zu others, one per round",
			a - 1);
	}
}

static void rests_text(consort__xml *b, const consort_schedule *sch)
{
	size_t k = sch->nrounds;
	if (!sch->opt.cross_a) {
		size_t r = k - (sch->count[0] - 1);
		if (r == 0)
			consort__xml_raw(b, "Rests: nobody rests.\n");
		else
			consort__xml_rawf(b, "Rests: every participant rests %zu of the %zu rounds.\n", r, k);
		return;
	}
	consort__xml_raw(b, "Rests: ");
	for (int s = 0; s < 2; s++) {
		size_t r = k - sch->count[!s];
		consort__xml_rawf(b, "%seach in '", s ? "; " : "");
		sb_clean(b, sch->cross[s]);
		consort__xml_rawf(b, "' rests %zu of the %zu rounds", r, k);
	}
	consort__xml_raw(b, sch->count[0] != sch->count[1]
		? " (the sectors differ in size, so their rests must differ).\n" : ".\n");
}

static void summary_text(consort__xml *b, const consort_schedule *sch)
{
	char t0[32], t1[32];
	if (sch->title) {
		consort__xml_raw(b, "Schedule: ");
		sb_clean(b, sch->title);
		consort__xml_raw(b, "\n");
	}
	if (sch->opt.cross_a) {
		consort__xml_rawf(b, "%zu in '", sch->count[0]);
		sb_clean(b, sch->cross[0]);
		consort__xml_rawf(b, "' meet %zu in '", sch->count[1]);
		sb_clean(b, sch->cross[1]);
		consort__xml_rawf(b, "': %zu pairs.", sch->npairs);
		size_t left = sch->n - sch->count[0] - sch->count[1];
		if (left)
			consort__xml_rawf(b, " Not scheduled (other sectors): %zu.", left);
		consort__xml_raw(b, "\n");
	} else {
		consort__xml_rawf(b, "%zu participants, every pair meets once: %zu pairs.\n",
			sch->count[0], sch->npairs);
	}
	consort__xml_rawf(b, "%zu round%s", sch->nrounds, sch->nrounds == 1 ? "" : "s");
	bound_reason(b, sch);
	consort__xml_raw(b, ".\n");
	consort__xml_rawf(b, "Tables: %zu", sch->tables_used);
	if (sch->opt.tables != CONSORT_NO_MAX)
		consort__xml_rawf(b, " (limit %d)", sch->opt.tables);
	consort__xml_rawf(b, ". Rounds of %d minute%s, %d minute%s to change; ", sch->opt.minutes,
		sch->opt.minutes == 1 ? "" : "s", sch->opt.changeover,
		sch->opt.changeover == 1 ? "" : "s");
	consort__xml_rawf(b, "%s to %s.\n", time_text(t0, sizeof(t0), sch, 0),
		time_text(t1, sizeof(t1), sch, round_end(sch, sch->nrounds - 1)));
	rests_text(b, sch);
}

int consort_schedule_to_text(char **out, const consort_schedule *sch, consort_error *err)
{
	*out = NULL;
	consort__xml b = {0};
	char t0[32], t1[32];
	summary_text(&b, sch);
	for (size_t r = 0; r < sch->nrounds; r++) {
		consort__xml_rawf(&b, "\nRound %zu  %s-%s\n", r + 1,
			time_text(t0, sizeof(t0), sch, round_start(sch, r)),
			time_text(t1, sizeof(t1), sch, round_end(sch, r)));
		for (size_t k = 0; k < consort_schedule_meeting_count(sch, r); k++) {
			consort_schedule_meeting m = consort_schedule_meeting_at(sch, r, k);
			consort__xml_rawf(&b, "  table %-3zu ", m.table + 1);
			who_text(&b, sch, m.a);
			consort__xml_raw(&b, "  &  ");
			who_text(&b, sch, m.b);
			consort__xml_raw(&b, "\n");
		}
		if (consort_schedule_resting_count(sch, r)) {
			consort__xml_raw(&b, "  resting:  ");
			for (size_t k = 0; k < consort_schedule_resting_count(sch, r); k++) {
				consort__xml_raw(&b, k ? ", " : "");
				who_text(&b, sch, consort_schedule_resting(sch, r, k));
			}
			consort__xml_raw(&b, "\n");
		}
	}
	consort__xml_raw(&b, "\nItineraries\n");
	for (size_t v = 0; v < sch->n; v++) {
		if (sch->side[v] < 0)
			continue;
		consort__xml_raw(&b, "\n");
		who_text(&b, sch, v);
		consort__xml_raw(&b, ", ");
		sb_clean(&b, sch->sectors[v]);
		size_t nr = consort_schedule_rest_count(sch, v);
		consort__xml_rawf(&b, "; rests %zu round%s\n", nr, nr == 1 ? "" : "s");
		for (size_t r = 0; r < sch->nrounds; r++) {
			consort_schedule_seat seat = consort_schedule_itinerary(sch, v, r);
			consort__xml_rawf(&b, "  round %-3zu %s  ", r + 1,
				time_text(t0, sizeof(t0), sch, round_start(sch, r)));
			if (seat.seated) {
				consort__xml_rawf(&b, "table %-3zu ", seat.table + 1);
				who_text(&b, sch, seat.partner);
			} else {
				consort__xml_raw(&b, "rest");
			}
			consort__xml_raw(&b, "\n");
		}
	}
	size_t left = sch->n - sch->count[0] - sch->count[1];
	if (left) {
		consort__xml_raw(&b, "\nNot scheduled (in neither sector): ");
		for (size_t v = 0, k = 0; v < sch->n; v++)
			if (sch->side[v] < 0) {
				consort__xml_raw(&b, k++ ? ", " : "");
				who_text(&b, sch, v);
			}
		consort__xml_raw(&b, "\n");
	}
	return consort__xml_finish(out, &b, err);
}

static const char html_head[] =
	"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";

static const char html_style[] =
	"<style>\n"
	"body { font-family: system-ui, sans-serif; margin: 2em; color: #111; }\n"
	"h1 { font-size: 1.5em; } h2 { font-size: 1.2em; }\n"
	"table { border-collapse: collapse; margin-bottom: 1em; }\n"
	"th, td { border: 1px solid #999; padding: .25em .6em; text-align: left; vertical-align: top; }\n"
	"th { background: #eee; }\n"
	"td.round { font-weight: bold; }\n"
	"td.rest { color: #555; font-style: italic; }\n"
	".cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(20em, 1fr)); gap: 1em; }\n"
	".card { border: 1px dashed #555; padding: .8em; break-inside: avoid; page-break-inside: avoid; }\n"
	".card h3 { margin: 0 0 .2em 0; font-size: 1.1em; }\n"
	".card p { margin: 0 0 .5em 0; color: #444; }\n"
	".card table { width: 100%; margin: 0; }\n"
	"@media print {\n"
	"  body { margin: 0; font-size: 10pt; }\n"
	"  .rounds { break-after: page; page-break-after: always; }\n"
	"  .cards { grid-template-columns: 1fr 1fr; }\n"
	"  th { background: none; }\n"
	"}\n"
	"</style>\n";

static void who_html(consort__xml *w, const consort_schedule *sch, size_t v)
{
	consort__xml_text(w, sch->names[v]);
	if (strcmp(sch->names[v], sch->ids[v]) != 0) {
		consort__xml_raw(w, " (");
		consort__xml_text(w, sch->ids[v]);
		consort__xml_raw(w, ")");
	}
}

static void rounds_html(consort__xml *w, const consort_schedule *sch)
{
	char t0[32], t1[32];
	consort__xml_raw(w, "<section class=\"rounds\">\n<h2>Rounds</h2>\n<table>\n"
		"<thead><tr><th>Round</th><th>Time</th><th>Table</th><th>Pair</th></tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < sch->nrounds; r++) {
		size_t nm = consort_schedule_meeting_count(sch, r);
		size_t rows = nm + (consort_schedule_resting_count(sch, r) > 0);
		for (size_t k = 0; k < rows; k++) {
			consort__xml_raw(w, "<tr>");
			if (k == 0)
				consort__xml_rawf(w, "<td class=\"round\" rowspan=\"%zu\">%zu</td><td rowspan=\"%zu\">%s\xe2\x80\x93%s</td>",
					rows, r + 1, rows, time_text(t0, sizeof(t0), sch, round_start(sch, r)),
					time_text(t1, sizeof(t1), sch, round_end(sch, r)));
			if (k < nm) {
				consort_schedule_meeting m = consort_schedule_meeting_at(sch, r, k);
				consort__xml_rawf(w, "<td>%zu</td><td>", m.table + 1);
				who_html(w, sch, m.a);
				consort__xml_raw(w, " &amp; ");
				who_html(w, sch, m.b);
			} else {
				consort__xml_raw(w, "<td class=\"rest\">rest</td><td class=\"rest\">");
				for (size_t j = 0; j < consort_schedule_resting_count(sch, r); j++) {
					consort__xml_raw(w, j ? ", " : "");
					who_html(w, sch, consort_schedule_resting(sch, r, j));
				}
			}
			consort__xml_raw(w, "</td></tr>\n");
		}
	}
	consort__xml_raw(w, "</tbody>\n</table>\n</section>\n");
}

static void cards_html(consort__xml *w, const consort_schedule *sch)
{
	char t0[32];
	consort__xml_raw(w, "<section>\n<h2>Itineraries</h2>\n<div class=\"cards\">\n");
	for (size_t v = 0; v < sch->n; v++) {
		if (sch->side[v] < 0)
			continue;
		consort__xml_raw(w, "<div class=\"card\">\n<h3>");
		consort__xml_text(w, sch->names[v]);
		consort__xml_raw(w, "</h3>\n<p>");
		consort__xml_text(w, sch->ids[v]);
		consort__xml_raw(w, " \xc2\xb7 ");
		consort__xml_text(w, sch->sectors[v]);
		consort__xml_raw(w, "</p>\n<table>\n<thead><tr><th>Round</th><th>Time</th><th>Table</th>"
			"<th>Partner</th></tr></thead>\n<tbody>\n");
		for (size_t r = 0; r < sch->nrounds; r++) {
			consort_schedule_seat seat = consort_schedule_itinerary(sch, v, r);
			consort__xml_rawf(w, "<tr><td>%zu</td><td>%s</td>", r + 1,
				time_text(t0, sizeof(t0), sch, round_start(sch, r)));
			if (seat.seated) {
				consort__xml_rawf(w, "<td>%zu</td><td>", seat.table + 1);
				who_html(w, sch, seat.partner);
				consort__xml_raw(w, "</td></tr>\n");
			} else {
				consort__xml_raw(w, "<td class=\"rest\" colspan=\"2\">rest</td></tr>\n");
			}
		}
		consort__xml_raw(w, "</tbody>\n</table>\n</div>\n");
	}
	consort__xml_raw(w, "</div>\n</section>\n");
}

int consort_schedule_to_html(char **out, const consort_schedule *sch, consort_error *err)
{
	*out = NULL;
	consort__xml w = {0};
	consort__xml summary = {0};
	const char *title = sch->title ? sch->title : "Speed-dating schedule";
	consort__xml_raw(&w, html_head);
	consort__xml_element(&w, "title", title);
	consort__xml_raw(&w, "\n");
	consort__xml_raw(&w, html_style);
	consort__xml_raw(&w, "</head>\n<body>\n");
	consort__xml_element(&w, "h1", title);
	consort__xml_raw(&w, "\n");
	/* The summary is the text form's first lines, one paragraph each. */
	summary_text(&summary, sch);
	if (summary.failed) {
		free(summary.p);
		consort__xml_discard(&w);
		return consort__error_nomem(err);
	}
	char *line = summary.p;
	if (sch->title)
		line = strchr(line, '\n') + 1; /* the title is the heading already */
	while (*line) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		consort__xml_element(&w, "p", line);
		consort__xml_raw(&w, "\n");
		line = end ? end + 1 : line + strlen(line);
	}
	free(summary.p);
	rounds_html(&w, sch);
	cards_html(&w, sch);
	size_t left = sch->n - sch->count[0] - sch->count[1];
	if (left) {
		consort__xml_raw(&w, "<p>Not scheduled (in neither sector): ");
		for (size_t v = 0, k = 0; v < sch->n; v++)
			if (sch->side[v] < 0) {
				consort__xml_raw(&w, k++ ? ", " : "");
				who_html(&w, sch, v);
			}
		consort__xml_raw(&w, "</p>\n");
	}
	consort__xml_raw(&w, "</body>\n</html>\n");
	return consort__xml_finish(out, &w, err);
}
