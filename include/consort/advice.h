/* The consultant's questions about a proposal: why each member is where it is,
 * how fair the fits are, who would rather move (stability), how the proposal
 * compares with an earlier one, and how sure the ratings' noise lets us be
 * (confidence by re-solving on perturbed ratings). README "Consultant's session". */
#ifndef CONSORT_ADVICE_H
#define CONSORT_ADVICE_H

#include "proposal.h"
#include "solve.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An analysis of one proposal against its session. It borrows both: they must
 * outlive it and stay unchanged. Free with consort_advice_free. */
typedef struct consort_advice consort_advice;

/* Analyses p (optimal or feasible; for other statuses the analysis is empty)
 * against s: fits of every member to every consortium, fairness, stability and
 * "why". Errors: CONSORT_EUSAGE (p not made for s), CONSORT_ENOMEM. */
int consort_advice_new(consort_advice **out, const consort_proposal *p, const consort_session *s,
	consort_error *err);
void consort_advice_free(consort_advice *a);

/* Consortium numbers below are the proposal's consortium indexes (0-based);
 * CONSORT_OUTSIDE means outside every consortium. */
#define CONSORT_OUTSIDE (-1)

/* Fit of member i to consortium c: the sum of its pair weights to c's members
 * other than itself (its own fit when c is its consortium); 0 for outside. */
double consort_advice_fit(const consort_advice *a, size_t i, int c);
/* The consortium of member i, or CONSORT_OUTSIDE. */
int consort_advice_home(const consort_advice *a, size_t i);

/* ---- fairness: fits of the placed members ---- */
typedef struct consort_fairness {
	size_t placed;          /* members in a consortium; the rest is 0 when none */
	double min_fit, mean_fit, max_fit;
	double spread;          /* max_fit - min_fit */
	size_t nweakest;
	const size_t *weakest;  /* members whose fit is min_fit, in session order */
} consort_fairness;
const consort_fairness *consort_advice_fairness(const consort_advice *a);

/* ---- rules a move would break ---- */
typedef struct consort_rule_hit {
	const char *rule;   /* "size.max", "sectors.firm.min", "cover.coaching", "together", "apart",
			     * "everyone", "consortia", "lots.North.size.min", ...; or "other" */
	const char *detail; /* readable: "consortium 2 would have 9 members, at most 8" */
} consort_rule_hit;

/* ---- why: one member ---- */
typedef struct consort_why_pair {
	size_t other;
	double weight;          /* pair weight (formats.md section 2) */
	int has_given, has_got; /* whether member -> other and other -> member were rated */
	double given, got;      /* those directed ratings */
} consort_why_pair;

/* Moving the member alone to another consortium (or outside, when the rules let
 * anyone stay outside). */
typedef struct consort_move {
	int to;                 /* consortium, or CONSORT_OUTSIDE */
	double fit;             /* its fit there */
	double change;          /* change of the total objective: fit there - fit at home */
	int feasible;           /* the moved proposal meets every rule */
	size_t nblocked;
	const consort_rule_hit *blocked; /* the rules the move breaks (empty when feasible) */
} consort_move;

typedef enum {
	CONSORT_WHY_BEST_HOME = 0, /* no other place gives it a higher fit */
	CONSORT_WHY_BLOCKED = 1,   /* a higher fit elsewhere, but the best such move breaks rules */
	CONSORT_WHY_OPEN = 2       /* a higher fit elsewhere and the move breaks no rule: the
				    * proposal is not optimal for the total objective (or another
				    * objective, e.g. maxmin, holds it) */
} consort_why_verdict;

typedef struct consort_why {
	size_t member;
	int home;               /* its consortium or CONSORT_OUTSIDE */
	double fit;             /* its fit at home */
	size_t npull, npush;
	const consort_why_pair *pull; /* strongest positive weights inside, highest first (<= 3) */
	const consort_why_pair *push; /* weakest negative weights inside, lowest first (<= 3) */
	size_t nmoves;
	const consort_move *moves;    /* every other consortium, then outside when allowed */
	int best;               /* index in moves of the highest fit (first among equals), -1 none */
	consort_why_verdict verdict;
} consort_why;
/* NULL when i is not a participant, or when members x consortia exceeds
 * CONSORT_ADVICE_WHY_MAX (the moves of everyone would not fit in memory). */
const consort_why *consort_advice_why(const consort_advice *a, size_t i);
#define CONSORT_ADVICE_WHY_MAX 4e6

/* ---- stability ----
 * A mover: member i would gain by moving alone from its place to another
 * consortium (its fit there > its fit at home). Placed members may also "move"
 * outside (fit 0) and outside members into a consortium when the rules let
 * participants stay outside. Every such (member, target) is listed.
 * A pair: two placed members who would both gain, of one of two kinds:
 *   swap:     a in A and b in B (A != B) trade places: a's fit in B without b
 *             and b's fit in A without a both exceed their fits at home;
 *   together: a and b of one consortium A move together to B != A: a's fit in B
 *             plus w(a,b) and b's likewise both exceed their fits at home.
 * Each move is flagged feasible when the moved proposal meets every rule.
 * The proposal is stable when there is neither a mover nor a pair. */
typedef struct consort_mover {
	size_t member;
	int from, to;           /* consortia or CONSORT_OUTSIDE */
	double fit, fit_there;
	int feasible;
} consort_mover;

typedef enum { CONSORT_PAIR_SWAP = 0, CONSORT_PAIR_TOGETHER = 1 } consort_pair_kind;

typedef struct consort_pair_gain {
	consort_pair_kind kind;
	size_t a, b;
	int from_a, from_b;     /* their consortia (equal for together) */
	int to_a, to_b;         /* where they go (swap: to_a = from_b; together: to_a = to_b) */
	double gain_a, gain_b;  /* fit changes, both > 0 */
	int feasible;
} consort_pair_gain;

int consort_advice_stable(const consort_advice *a);
size_t consort_advice_mover_count(const consort_advice *a);
const consort_mover *consort_advice_mover(const consort_advice *a, size_t k);
size_t consort_advice_pair_count(const consort_advice *a);
const consort_pair_gain *consort_advice_pair(const consort_advice *a, size_t k);
/* 0 when the pair search was skipped (more than CONSORT_ADVICE_PAIRS_MAX_N members). */
int consort_advice_pairs_checked(const consort_advice *a);
#define CONSORT_ADVICE_PAIRS_MAX_N 2000

/* ---- compare with an earlier proposal (of the same session's participants) ---- */
typedef struct consort_comparison {
	double objective;       /* the earlier proposal's objective under this session */
	double difference;      /* this proposal's objective - the earlier one's */
	size_t nmoved;
	const size_t *moved;    /* members placed differently (relabelled consortia are equal) */
} consort_comparison;
/* Compares with `earlier` (made for the same session; see consort_proposal_load).
 * Errors: CONSORT_EUSAGE, CONSORT_ENOMEM. */
int consort_advice_compare(consort_advice *a, const consort_proposal *earlier, consort_error *err);
/* NULL until consort_advice_compare succeeded. */
const consort_comparison *consort_advice_comparison(const consort_advice *a);

/* ---- confidence: re-solving on perturbed ratings ----
 * Noise model (a per-rater residual bootstrap): a rating r(i->j) is the pair's
 * common part m(i,j) plus the rater's noise. m(i,j) is the mean of the two
 * directions when both were rated (else the rating itself); rater i's residuals
 * are sqrt(2) * (r(i->j) - m(i,j)) over its pairs rated both ways (sqrt(2)
 * undoes the shrinking of a residual from a mean of two). Each sample replaces
 * every rating r(i->j) by m(i,j) plus a residual drawn with replacement from
 * rater i's residuals (from all raters' when i has none), clamped to the scale,
 * then solves with the same rules and scoring. Sample s uses a generator seeded
 * by (seed, s), so results do not depend on the number of threads (when every
 * sample is solved to optimality: see `proved`). */
typedef void (*consort_confidence_progress_cb)(size_t done, size_t total, void *data);

typedef struct consort_confidence_options {
	size_t samples;         /* >= 1 */
	unsigned long seed;
	int threads;            /* 0: one per core */
	double time_limit;      /* seconds per sample (auto engine); default 2 */
	consort_confidence_progress_cb progress; /* may be NULL; called from worker threads, serialized */
	void *progress_data;
} consort_confidence_options;
void consort_confidence_options_init(consort_confidence_options *o);

typedef struct consort_confidence {
	size_t samples, solved, proved; /* solved: a proposal found; proved: optimal */
	unsigned long seed;
} consort_confidence;

/* Runs the samples. Errors: CONSORT_EUSAGE (samples 0), CONSORT_ENOMEM, CONSORT_ESOLVER. */
int consort_advice_confidence(consort_advice *a, const consort_confidence_options *o, consort_error *err);
/* NULL until consort_advice_confidence succeeded. */
const consort_confidence *consort_advice_confidence_info(const consort_advice *a);
/* Fraction of solved samples in which i and j share a consortium (0 without samples). */
double consort_advice_together(const consort_advice *a, size_t i, size_t j);
/* Mean of consort_advice_together(i, m) over i's consortium-mates m in the
 * proposal; NAN when i has none (outside, alone) or there is no confidence run. */
double consort_advice_member_confidence(const consort_advice *a, size_t i);

/* ---- output ---- */
/* Sections of the advised outputs beyond the always-present fits, fairness and stability. */
enum {
	CONSORT_ADVICE_WHY = 1 << 0,        /* "why" per member (JSON) / the why section (text) */
	CONSORT_ADVICE_COMPARE = 1 << 1,    /* when compared */
	CONSORT_ADVICE_CONFIDENCE = 1 << 2  /* when a confidence run was made */
};
/* Restricts the text "why" section to one member (-1: all, the default). */
void consort_advice_why_only(consort_advice *a, long member);

/* The proposal's JSON (consort_proposal_to_json) plus the advice's fields
 * (formats.md section 3: fits, fairness, stability, why, compare, confidence). */
int consort_advice_to_json(char **out, const consort_advice *a, unsigned sections, consort_error *err);
/* The proposal's text plus the advice's sections. */
int consort_advice_to_text(char **out, const consort_advice *a, unsigned sections, consort_error *err);

#ifdef __cplusplus
}
#endif
#endif
