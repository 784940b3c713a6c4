/* The session model: participants, directed ratings, rules and scoring options
 * (formats.md section 1), with readers and writers for consort-session/1 JSON. */
#ifndef CONSORT_SESSION_H
#define CONSORT_SESSION_H

#include <stdio.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CONSORT_SESSION_FORMAT "consort-session/1"
#define CONSORT_ID_MAX 64
/* An upper limit that means "no limit". */
#define CONSORT_NO_MAX (-1)

typedef struct consort_session consort_session;

typedef struct consort_participant {
	const char *id;
	const char *name;   /* never NULL: defaults to the id */
	const char *sector;
	const char *const *offers;
	size_t noffers;
} consort_participant;

typedef struct consort_rating {
	size_t from, to; /* participant indexes */
	double score;
} consort_rating;

/* An integer range; max == CONSORT_NO_MAX means unbounded above. */
typedef struct consort_range {
	int min, max;
} consort_range;

typedef struct consort_sector_rule {
	const char *sector;
	consort_range count;
} consort_sector_rule;

/* Rules that apply to one consortium: the global ones, or one lot's own. */
typedef struct consort_group_rules {
	int has_size;
	consort_range size;
	size_t nsectors;
	const consort_sector_rule *sectors;
	size_t ncover;
	const char *const *cover;
} consort_group_rules;

typedef struct consort_lot {
	const char *name;
	consort_group_rules rules;
} consort_lot;

typedef struct consort_pair {
	size_t a, b; /* participant indexes */
} consort_pair;

/* What the optimizer maximizes: the sum of the pair weights inside consortia
 * (formats.md section 2), or the weakest placed member's fit first and then the
 * total among the proposals with that weakest fit. */
typedef enum { CONSORT_OBJECTIVE_TOTAL = 0, CONSORT_OBJECTIVE_MAXMIN = 1 } consort_objective;

/* A member pinned to a lot's consortium, or outside every consortium. */
typedef struct consort_fixed {
	size_t who;   /* participant index */
	long lot;     /* index into rules.lots, or -1: outside */
} consort_fixed;

/* The rules as read; owned by the session, valid until it changes or is freed. */
typedef struct consort_rules {
	int has_consortia;        /* 0: as many as the optimum wants */
	consort_range consortia;  /* meaningful when has_consortia */
	consort_group_rules group;/* global size (default 2..no max), sectors, cover */
	size_t ntogether;
	const consort_pair *together;
	size_t napart;
	const consort_pair *apart;
	int everyone;             /* default 1 */
	size_t nlots;
	const consort_lot *lots;
	int has_min_fit;          /* every placed member's fit (sum of its weights to */
	double min_fit;           /* the rest of its consortium) is at least min_fit */
	size_t nabsent;           /* participants treated as not at the workshop: */
	const size_t *absent;     /* in no consortium, listed as "absent" in proposals */
	size_t nfixed;
	const consort_fixed *fixed;
	consort_objective objective; /* default CONSORT_OBJECTIVE_TOTAL */
} consort_rules;

typedef enum { CONSORT_COMBINE_MEAN = 0, CONSORT_COMBINE_MIN = 1 } consort_combine;
typedef enum { CONSORT_NORMALIZE_NONE = 0, CONSORT_NORMALIZE_RATER = 1 } consort_normalize;

/* Scoring options (formats.md section 2). has_neutral / has_unmet == 0 means
 * "use the default": neutral = (scale.min + scale.max) / 2, unmet = neutral. */
typedef struct consort_scoring {
	consort_combine combine;
	int has_neutral;
	double neutral;
	int has_unmet;
	double unmet;
	consort_normalize normalize;
} consort_scoring;

/* ---- reading and writing ---- */

/* Read a consort-session/1 file. On failure *out is NULL and err names the
 * file and the place (JSON path, or line:column for syntax errors). */
int consort_session_load(consort_session **out, const char *path, consort_error *err);

/* Parse a consort-session/1 document held in memory; `name` is used in messages. */
int consort_session_parse(consort_session **out, const char *data, size_t len,
	const char *name, consort_error *err);

/* Replace the session's rules (and scoring, when present) from a JSON file that
 * holds either a `rules` object as in a session, or {"rules": {...}, "scoring": {...}}.
 * On failure the session is unchanged. */
int consort_session_load_rules(consort_session *s, const char *path, consort_error *err);

/* Same as consort_session_load_rules, from memory. */
int consort_session_parse_rules(consort_session *s, const char *data, size_t len,
	const char *name, consort_error *err);

/* Serialize as consort-session/1 JSON (pretty-printed, newline-terminated).
 * *out is malloc'ed; the caller frees it. */
int consort_session_to_json(char **out, const consort_session *s, consort_error *err);

/* ---- building ---- */

/* A new empty session with scale 1..5, default rules and scoring. */
int consort_session_new(consort_session **out, consort_error *err);
void consort_session_free(consort_session *s);

int consort_session_set_title(consort_session *s, const char *title, consort_error *err);
/* min < max, both finite; fails if an existing rating falls outside. */
int consort_session_set_scale(consort_session *s, double min, double max, consort_error *err);

/* Reserves room for this many participants and ratings in total, so that large
 * sessions (benchmarks, simulations) are built without regrowing. Optional. */
int consort_session_reserve(consort_session *s, size_t participants, size_t ratings, consort_error *err);

/* Adds a participant; id must be new and valid, sector non-empty; name may be NULL. */
int consort_session_add_participant(consort_session *s, const char *id, const char *name,
	const char *sector, const char *const *offers, size_t noffers, consort_error *err);

/* Adds a directed rating; both ids must exist, differ, the pair must not be
 * rated yet in that direction, and the score must be inside the scale. */
int consort_session_add_rating(consort_session *s, const char *from, const char *to,
	double score, consort_error *err);

/* Sets or replaces the score of a directed rating (for live entry and corrections). */
int consort_session_set_rating(consort_session *s, const char *from, const char *to,
	double score, consort_error *err);

/* Overrides used by the command line. Each validates against the other rules
 * (e.g. a consortia count that contradicts lots is refused). */
int consort_session_set_consortia(consort_session *s, int min, int max, consort_error *err);
int consort_session_clear_consortia(consort_session *s);
int consort_session_set_size(consort_session *s, int min, int max, consort_error *err);
int consort_session_set_everyone(consort_session *s, int everyone);
int consort_session_set_scoring(consort_session *s, const consort_scoring *sc, consort_error *err);
/* What-if rules (the CLI's --lock, --apart, --drop, --fix, --min-fit, --objective):
 * each adds to the session's rules and is refused with a one-line message when an
 * id is unknown or the rule contradicts the others (the rules are then unchanged).
 * add_fixed pins `id` to the lot named `lot`, or outside when lot is NULL (only
 * with everyone false). min_fit must be finite. */
int consort_session_add_together(consort_session *s, const char *a, const char *b, consort_error *err);
int consort_session_add_apart(consort_session *s, const char *a, const char *b, consort_error *err);
int consort_session_add_absent(consort_session *s, const char *id, consort_error *err);
int consort_session_add_fixed(consort_session *s, const char *id, const char *lot, consort_error *err);
int consort_session_set_min_fit(consort_session *s, double min_fit, consort_error *err);
int consort_session_clear_min_fit(consort_session *s);
int consort_session_set_objective(consort_session *s, consort_objective objective, consort_error *err);

/* ---- reading the model ---- */

const char *consort_session_title(const consort_session *s); /* NULL when none */
double consort_session_scale_min(const consort_session *s);
double consort_session_scale_max(const consort_session *s);

size_t consort_session_count(const consort_session *s);
const consort_participant *consort_session_participant(const consort_session *s, size_t i);
/* Index of the participant with this id, or -1. */
long consort_session_find(const consort_session *s, const char *id);

size_t consort_session_rating_count(const consort_session *s);
const consort_rating *consort_session_rating(const consort_session *s, size_t k);
/* The directed score from -> to; returns 0 and sets *score, or -1 when unrated. */
int consort_session_score(const consort_session *s, size_t from, size_t to, double *score);

const consort_rules *consort_session_rules(const consort_session *s);
/* Scoring options with defaults resolved (has_neutral and has_unmet set to 1). */
consort_scoring consort_session_scoring(const consort_session *s);

#ifdef __cplusplus
}
#endif
#endif
