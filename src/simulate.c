/* Simulated sessions with planted consortia (model documented in consort/simulate.h),
 * drawn from a seeded xoshiro256** so the output is the same on every machine. */
#include "consort/simulate.h"
#include "session.h"
#include "index.h"
#include "error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- random numbers: xoshiro256** (Blackman & Vigna, 2018), seeded by splitmix64 ---- */

typedef struct rng {
	uint64_t s[4];
	int has_spare;
	double spare;
} rng;

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static void rng_seed(rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
	r->has_spare = 0;
	r->spare = 0;
}

static uint64_t rng_next(rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in [0, 1). */
static double rng_uniform(rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in 0..n-1, without modulo bias. */
static size_t rng_below(rng *r, size_t n)
{
	uint64_t m = (uint64_t)n, threshold = (0 - m) % m;
	for (;;) {
		uint64_t x = rng_next(r);
		if (x >= threshold)
			return (size_t)(x % m);
	}
}

/* Standard normal by Box-Muller; the second value of each pair is kept for the next call. */
static double rng_normal(rng *r)
{
	if (r->has_spare) {
		r->has_spare = 0;
		return r->spare;
	}
	double u1 = 1.0 - rng_uniform(r), u2 = rng_uniform(r);
	double rad = sqrt(-2.0 * log(u1)), ang = 2.0 * 3.14159265358979323846 * u2;
	r->spare = rad * sin(ang);
	r->has_spare = 1;
	return rad * cos(ang);
}

/* ---- vocabulary ---- */

static const char *const services[] = {
	"cleaning", "coaching", "job training", "property care", "rehabilitation", "kitchen",
	"recycling", "transport", "IT support", "mentoring", "catering", "gardening", "laundry",
	"carpentry", "elderly care", "youth work", "translation", "accounting", "marketing", "logistics",
};
#define NSERVICES (sizeof(services) / sizeof(services[0]))
/* The first NCORE services are the ones every planted consortium covers. */
#define NCORE 3
#define MAX_OFFERS 3

static const char *const words[] = {
	"Valmennus", "Puhdas", "Kierto", "Siivous", "Keittiö", "Kuljetus", "Kiinteistö", "Tuki",
	"Apu", "Polku", "Silta", "Verso", "Taito", "Voima", "Työ", "Kumppani", "Yhteisö", "Osaaja",
	"Hoiva", "Ura", "Arki", "Kipinä", "Lähde", "Kotiapu", "Kunto", "Palvelu", "Osuus", "Vire",
};
static const char *const first_syllables[] = {
	"Ka", "La", "Ri", "Mi", "No", "Pa", "Sa", "Ta", "Va", "Ko", "Lu", "Ne", "Hi", "Jo", "Ke",
	"Ra", "Si", "Tu", "Vi", "Po", "Hä", "Mä", "Sy", "Ul", "Ai", "El", "Ou", "Ar",
};
static const char *const syllables[] = {
	"ka", "la", "ri", "mi", "no", "pa", "sa", "ta", "va", "ko", "lu", "ne", "hi", "jo", "ke",
	"ra", "si", "tu", "vi", "po", "ti", "ro", "ve", "ku", "mo", "ni", "li", "sel", "ran", "kan",
};
/* Place-name endings with their genitive ("Karila" -> "Karilan kunta"). */
static const struct {
	const char *nom, *gen;
} endings[] = {
	{"la", "lan"}, {"lä", "län"}, {"nen", "sen"}, {"maa", "maan"}, {"vesi", "veden"},
	{"koski", "kosken"}, {"järvi", "järven"}, {"salo", "salon"}, {"niemi", "niemen"},
	{"mäki", "mäen"}, {"harju", "harjun"}, {"lahti", "lahden"},
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A place name: nominative in nom, genitive in gen. */
static void place_name(rng *r, char *nom, char *gen, size_t size)
{
	const char *a = first_syllables[rng_below(r, COUNT(first_syllables))];
	const char *b = syllables[rng_below(r, COUNT(syllables))];
	const char *c = rng_below(r, 2) ? syllables[rng_below(r, COUNT(syllables))] : "";
	size_t e = rng_below(r, COUNT(endings));
	snprintf(nom, size, "%s%s%s%s", a, b, c, endings[e].nom);
	snprintf(gen, size, "%s%s%s%s", a, b, c, endings[e].gen);
}

/* One candidate name for a member of sector (written into buf). */
static void make_name(rng *r, const char *sector, char *buf, size_t size)
{
	char nom[64], gen[64];
	place_name(r, nom, gen, sizeof(nom));
	const char *w = words[rng_below(r, COUNT(words))];
	int plain = rng_below(r, 4) == 0; /* a quarter are just "Word ry" / "Word Oy" */
	if (strcmp(sector, "association") == 0) {
		if (plain)
			snprintf(buf, size, "%s ry", w);
		else
			snprintf(buf, size, "%s %s ry", gen, w);
	} else if (strcmp(sector, "firm") == 0) {
		if (plain)
			snprintf(buf, size, "%s Oy", w);
		else
			snprintf(buf, size, "%s %s Oy", nom, w);
	} else if (strcmp(sector, "public") == 0) {
		snprintf(buf, size, "%s %s", gen, rng_below(r, 3) ? "kunta" : "kaupunki");
	} else if (strcmp(sector, "education") == 0) {
		snprintf(buf, size, "%s %s", gen, rng_below(r, 2) ? "opisto" : "ammattikoulu");
	} else {
		snprintf(buf, size, "%s %s (%s)", nom, w, sector);
	}
}

/* ---- the generator ---- */

static const consort_simulate_sector default_sectors[] = {
	{"association", 0.45}, {"firm", 0.45}, {"public", 0.1},
};

void consort_simulate_defaults(consort_simulate_options *o)
{
	memset(o, 0, sizeof(*o));
	o->participants = 30;
	o->consortia = 5;
	o->seed = 1;
	o->missing = 0.2;
	o->bias = 0.4;
	o->noise = 0.8;
	o->scale_min = 1;
	o->scale_max = 5;
}

/* Everything the generator builds before the session; freed by sim_dispose. */
typedef struct sim {
	size_t n, k, nsec;
	const consort_simulate_sector *sec;
	int top[2], ntop;   /* the (up to) two largest sectors with a share > 0 */
	int *label;         /* planted consortium of each participant */
	int *sector;        /* sector index of each participant */
	int (*offer)[MAX_OFFERS + 1]; /* service indexes, count in [MAX_OFFERS] */
	char (*id)[48];
	char **name;
	double *lenient;
} sim;

static void sim_dispose(sim *m)
{
	if (m->name)
		for (size_t i = 0; i < m->n; i++)
			free(m->name[i]);
	free(m->name);
	free(m->label);
	free(m->sector);
	free(m->offer);
	free(m->id);
	free(m->lenient);
}

static int word_valid(const char *w)
{
	size_t n = 0;
	for (; w[n]; n++) {
		char c = w[n];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return 0;
	}
	return n >= 1 && n <= 32;
}

static int check_options(const consort_simulate_options *o, consort_error *err)
{
	if (o->participants < 1 || o->participants > CONSORT_SIMULATE_MAX)
		return consort__error(err, CONSORT_EINVALID, "simulate: participants: %d is outside 1..%d",
			o->participants, CONSORT_SIMULATE_MAX);
	if (o->consortia < 1 || o->consortia > o->participants)
		return consort__error(err, CONSORT_EINVALID, "simulate: consortia: %d is outside 1..%d (the participants)",
			o->consortia, o->participants);
	if (!(o->missing >= 0 && o->missing <= 1))
		return consort__error(err, CONSORT_EINVALID, "simulate: missing: %g is not a probability 0..1", o->missing);
	if (!(o->bias >= 0 && isfinite(o->bias)))
		return consort__error(err, CONSORT_EINVALID, "simulate: bias: %g is not a standard deviation >= 0", o->bias);
	if (!(o->noise >= 0 && isfinite(o->noise)))
		return consort__error(err, CONSORT_EINVALID, "simulate: noise: %g is not a standard deviation >= 0", o->noise);
	if (o->scale_min < -1000 || o->scale_max > 1000 || o->scale_min >= o->scale_max)
		return consort__error(err, CONSORT_EINVALID,
			"simulate: scale: %d..%d needs min < max within -1000..1000", o->scale_min, o->scale_max);
	if (o->rules && o->participants < 2 * o->consortia)
		return consort__error(err, CONSORT_EINVALID,
			"simulate: rules: %d consortia of at least 2 need %d participants, not %d",
			o->consortia, 2 * o->consortia, o->participants);
	if (o->nsectors && !o->sectors)
		return consort__error(err, CONSORT_EUSAGE, "simulate: sectors: %zu sectors but no list", o->nsectors);
	const consort_simulate_sector *sec = o->nsectors ? o->sectors : default_sectors;
	size_t nsec = o->nsectors ? o->nsectors : COUNT(default_sectors);
	double total = 0;
	for (size_t s = 0; s < nsec; s++) {
		if (!sec[s].name || !word_valid(sec[s].name))
			return consort__error(err, CONSORT_EINVALID,
				"simulate: sectors[%zu]: \"%.40s\" is not 1-32 characters of A-Z a-z 0-9 _ -",
				s, sec[s].name ? sec[s].name : "");
		if (!(sec[s].share >= 0 && isfinite(sec[s].share)))
			return consort__error(err, CONSORT_EINVALID, "simulate: sectors.%s: share %g is not a number >= 0",
				sec[s].name, sec[s].share);
		for (size_t t = 0; t < s; t++)
			if (strcmp(sec[t].name, sec[s].name) == 0)
				return consort__error(err, CONSORT_EINVALID, "simulate: sectors.%s: given twice", sec[s].name);
		total += sec[s].share;
	}
	if (!(total > 0))
		return consort__error(err, CONSORT_EINVALID, "simulate: sectors: the shares add up to 0");
	return 0;
}

/* Step 1: planted consortium sizes around N/K, then a shuffled label per participant. */
static int plant(sim *m, rng *r)
{
	size_t n = m->n, k = m->k, minsize = n >= 2 * k ? 2 : 1;
	size_t *size = malloc(k * sizeof(size_t));
	double *u = malloc(k * sizeof(double));
	if (!size || !u) {
		free(size);
		free(u);
		return -1;
	}
	double sum = 0;
	for (size_t g = 0; g < k; g++)
		sum += u[g] = 1 + 0.6 * (rng_uniform(r) - 0.5);
	size_t total = 0;
	for (size_t g = 0; g < k; g++) {
		double want = floor((double)n * u[g] / sum + 0.5);
		size[g] = want < (double)minsize ? minsize : (size_t)want;
		total += size[g];
	}
	while (total > n) {
		size_t g = rng_below(r, k);
		if (size[g] > minsize) {
			size[g]--;
			total--;
		}
	}
	while (total < n) {
		size[rng_below(r, k)]++;
		total++;
	}
	size_t i = 0;
	for (size_t g = 0; g < k; g++)
		for (size_t c = 0; c < size[g]; c++)
			m->label[i++] = (int)g;
	for (i = n; i > 1; i--) {
		size_t j = rng_below(r, i);
		int t = m->label[i - 1];
		m->label[i - 1] = m->label[j];
		m->label[j] = t;
	}
	free(size);
	free(u);
	return 0;
}

static int draw_sector(const sim *m, rng *r, double total)
{
	double x = rng_uniform(r) * total;
	for (size_t s = 0; s < m->nsec; s++) {
		if (x < m->sec[s].share)
			return (int)s;
		x -= m->sec[s].share;
	}
	/* Rounding left x at the top: the last sector with a share. */
	for (size_t s = m->nsec; s-- > 0;)
		if (m->sec[s].share > 0)
			return (int)s;
	return 0;
}

/* The (up to) two largest sectors with a share > 0; ties go to the one listed first. */
static void find_top_sectors(sim *m)
{
	m->ntop = 0;
	for (int pick = 0; pick < 2; pick++) {
		int best = -1;
		for (size_t s = 0; s < m->nsec; s++)
			if (m->sec[s].share > 0 && (m->ntop == 0 || (int)s != m->top[0]) &&
			    (best < 0 || m->sec[s].share > m->sec[best].share))
				best = (int)s;
		if (best >= 0)
			m->top[m->ntop++] = best;
	}
}

/* Step 2: sectors; the first two members of each consortium of two or more get the
 * two largest sectors, everyone else is drawn from the mix. */
static int assign_sectors(sim *m, rng *r)
{
	size_t *seen = calloc(m->k, sizeof(size_t)), *gsize = calloc(m->k, sizeof(size_t));
	if (!seen || !gsize) {
		free(seen);
		free(gsize);
		return -1;
	}
	double total = 0;
	for (size_t s = 0; s < m->nsec; s++)
		total += m->sec[s].share;
	find_top_sectors(m);
	for (size_t i = 0; i < m->n; i++)
		gsize[m->label[i]]++;
	for (size_t i = 0; i < m->n; i++) {
		size_t g = (size_t)m->label[i], nth = seen[g]++;
		if (gsize[g] >= 2 && nth < (size_t)m->ntop)
			m->sector[i] = m->top[nth];
		else
			m->sector[i] = draw_sector(m, r, total);
	}
	free(seen);
	free(gsize);
	return 0;
}

static int has_offer(const int *off, int svc)
{
	for (int c = 0; c < off[MAX_OFFERS]; c++)
		if (off[c] == svc)
			return 1;
	return 0;
}

static int int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Step 3: 1-3 services each, then every planted consortium covers the core ones. */
static void assign_offers(sim *m, rng *r)
{
	for (size_t i = 0; i < m->n; i++) {
		int *off = m->offer[i];
		int want = 1 + (int)rng_below(r, MAX_OFFERS);
		off[MAX_OFFERS] = 0;
		while (off[MAX_OFFERS] < want) {
			int svc = (int)rng_below(r, NSERVICES);
			if (!has_offer(off, svc))
				off[off[MAX_OFFERS]++] = svc;
		}
	}
	for (size_t g = 0; g < m->k; g++) {
		for (int core = 0; core < NCORE; core++) {
			/* Candidates: members with a free slot; else members holding a non-core service. */
			size_t nfree = 0, nrepl = 0, covered = 0;
			for (size_t i = 0; i < m->n; i++) {
				if ((size_t)m->label[i] != g)
					continue;
				const int *off = m->offer[i];
				covered |= (size_t)has_offer(off, core);
				nfree += off[MAX_OFFERS] < MAX_OFFERS;
				for (int c = 0; c < off[MAX_OFFERS]; c++)
					nrepl += off[c] >= NCORE;
			}
			if (covered || (nfree == 0 && nrepl == 0))
				continue;
			size_t pick = rng_below(r, nfree ? nfree : nrepl);
			for (size_t i = 0; i < m->n; i++) {
				if ((size_t)m->label[i] != g)
					continue;
				int *off = m->offer[i];
				if (nfree) {
					if (off[MAX_OFFERS] < MAX_OFFERS && pick-- == 0) {
						off[off[MAX_OFFERS]++] = core;
						break;
					}
					continue;
				}
				int done = 0;
				for (int c = 0; c < off[MAX_OFFERS] && !done; c++)
					if (off[c] >= NCORE && pick-- == 0) {
						off[c] = core;
						done = 1;
					}
				if (done)
					break;
			}
		}
	}
	for (size_t i = 0; i < m->n; i++)
		qsort(m->offer[i], (size_t)m->offer[i][MAX_OFFERS], sizeof(int), int_cmp);
}

/* Ids "a1", "f2", ...: the sector's initial and a running number per initial. */
static void assign_ids(sim *m)
{
	size_t count[128] = {0};
	for (size_t i = 0; i < m->n; i++) {
		char c = m->sec[m->sector[i]].name[0];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!(c >= 'a' && c <= 'z'))
			c = 's';
		snprintf(m->id[i], sizeof(m->id[i]), "%c%zu", c, ++count[(unsigned char)c]);
	}
}

static int assign_names(sim *m, rng *r, consort_error *err)
{
	consort__strmap used;
	consort__strmap_init(&used);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < m->n; i++) {
		char buf[160];
		const char *sector = m->sec[m->sector[i]].name;
		int tries = 0;
		do
			make_name(r, sector, buf, sizeof(buf));
		while (consort__strmap_get(&used, buf, NULL) && ++tries < 50);
		/* Still taken after 50 draws (tiny vocabulary for huge N): number it. */
		for (size_t k = 2; consort__strmap_get(&used, buf, NULL); k++) {
			char base[160];
			make_name(r, sector, base, sizeof(base));
			snprintf(buf, sizeof(buf), "%.140s %zu", base, k);
		}
		if (!(m->name[i] = consort__strdup(buf)) || consort__strmap_put(&used, m->name[i], i) < 0)
			rc = consort__error_nomem(err);
	}
	consort__strmap_dispose(&used);
	return rc;
}

static int add_participants(consort_session *s, const sim *m, consort_error *err)
{
	for (size_t i = 0; i < m->n; i++) {
		const char *offers[MAX_OFFERS];
		size_t noff = (size_t)m->offer[i][MAX_OFFERS];
		for (size_t c = 0; c < noff; c++)
			offers[c] = services[m->offer[i][c]];
		int rc = consort_session_add_participant(s, m->id[i], m->name[i], m->sec[m->sector[i]].name,
			offers, noff, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Step 4: leniency per rater, then each directed rating. */
static int add_ratings(consort_session *s, const sim *m, rng *r, const consort_simulate_options *o,
	consort_error *err)
{
	double lo = o->scale_min, hi = o->scale_max;
	double mu_in = lo + 0.8 * (hi - lo), mu_out = lo + 0.325 * (hi - lo);
	for (size_t i = 0; i < m->n; i++)
		m->lenient[i] = o->bias * rng_normal(r);
	for (size_t i = 0; i < m->n; i++) {
		for (size_t j = 0; j < m->n; j++) {
			if (i == j || rng_uniform(r) < o->missing)
				continue;
			double mu = m->label[i] == m->label[j] ? mu_in : mu_out;
			double x = floor(mu + m->lenient[i] + o->noise * rng_normal(r) + 0.5);
			x = fmin(hi, fmax(lo, x));
			int rc = consort_session_add_rating(s, m->id[i], m->id[j], x, err);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

static int set_rules(consort_session *s, const sim *m, consort_error *err)
{
	consort_rules r;
	consort__rules_init(&r);
	r.has_consortia = 1;
	r.consortia.min = r.consortia.max = (int)m->k;
	r.group.has_size = 1;
	r.group.size.min = 2;
	r.group.size.max = CONSORT_NO_MAX;
	consort_sector_rule *sr = calloc((size_t)m->ntop + 1, sizeof(*sr));
	int rc = sr ? 0 : consort__error_nomem(err);
	r.group.sectors = sr;
	for (int t = 0; rc == 0 && t < m->ntop; t++) {
		sr[t].count.min = 1;
		sr[t].count.max = CONSORT_NO_MAX;
		if (!(sr[t].sector = consort__strdup(m->sec[m->top[t]].name)))
			rc = consort__error_nomem(err);
		r.group.nsectors = (size_t)t + 1;
	}
	if (rc == 0 && (rc = consort__rules_validate(&r, s, "simulate", err)) == 0)
		consort__session_take_rules(s, &r);
	consort__rules_dispose(&r);
	return rc;
}

int consort_simulate(consort_session **out, int **planted, const consort_simulate_options *o,
	consort_error *err)
{
	*out = NULL;
	if (planted)
		*planted = NULL;
	int rc = check_options(o, err);
	if (rc < 0)
		return rc;
	sim m = {0};
	m.n = (size_t)o->participants;
	m.k = (size_t)o->consortia;
	m.sec = o->nsectors ? o->sectors : default_sectors;
	m.nsec = o->nsectors ? o->nsectors : COUNT(default_sectors);
	m.label = malloc(m.n * sizeof(int));
	m.sector = malloc(m.n * sizeof(int));
	m.offer = malloc(m.n * sizeof(*m.offer));
	m.id = malloc(m.n * sizeof(*m.id));
	m.name = calloc(m.n, sizeof(char *));
	m.lenient = malloc(m.n * sizeof(double));
	if (!m.label || !m.sector || !m.offer || !m.id || !m.name || !m.lenient) {
		sim_dispose(&m);
		return consort__error_nomem(err);
	}
	rng r;
	rng_seed(&r, o->seed);
	if (plant(&m, &r) < 0 || assign_sectors(&m, &r) < 0) {
		sim_dispose(&m);
		return consort__error_nomem(err);
	}
	assign_offers(&m, &r);
	assign_ids(&m);
	consort_session *s = NULL;
	char title[160];
	snprintf(title, sizeof(title), "Simulated session: %d participants, %d planted consortia, seed %llu",
		o->participants, o->consortia, (unsigned long long)o->seed);
	if ((rc = assign_names(&m, &r, err)) == 0 && (rc = consort_session_new(&s, err)) == 0 &&
	    (rc = consort_session_set_title(s, title, err)) == 0 &&
	    (rc = consort_session_set_scale(s, o->scale_min, o->scale_max, err)) == 0 &&
	    (rc = consort_session_reserve(s, (size_t)o->participants,
		    (size_t)((double)o->participants * (o->participants - 1) * (1 - o->missing) * 1.05) + 64, err)) == 0 &&
	    (rc = add_participants(s, &m, err)) == 0 && (rc = add_ratings(s, &m, &r, o, err)) == 0 &&
	    o->rules)
		rc = set_rules(s, &m, err);
	if (rc < 0) {
		consort_session_free(s);
		sim_dispose(&m);
		return rc;
	}
	if (planted) {
		*planted = m.label;
		m.label = NULL;
	}
	sim_dispose(&m);
	*out = s;
	return 0;
}
