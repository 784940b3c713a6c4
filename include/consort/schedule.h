/* Speed-dating schedules: rounds in which every required pair meets exactly once,
 * at most a given number of tables at a time, in the fewest rounds possible. */
#ifndef CONSORT_SCHEDULE_H
#define CONSORT_SCHEDULE_H

#include "common.h"
#include "session.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct consort_schedule consort_schedule;

typedef struct consort_schedule_options {
	int tables;          /* most pairs meeting at once, >= 1; CONSORT_NO_MAX (default): as many as fit */
	const char *cross_a; /* both NULL (default): every pair meets; both set: only pairs with */
	const char *cross_b; /* one member in sector cross_a and one in cross_b (sectors differ) */
	int minutes;         /* length of a round, 1..1440 (default 5) */
	int changeover;      /* minutes between rounds, 0..1440 (default 1) */
	int start;           /* clock time of round 1 in minutes after midnight, 0..1439, or
	                        -1 (default): times are then counted from the start (0:00) */
} consort_schedule_options;

/* Fills o with the defaults above. */
void consort_schedule_options_init(consort_schedule_options *o);

/* Builds the schedule for session s (which is only read: the schedule keeps its
 * own copy of the ids, names and sectors, and the caller owns *out and frees it
 * with consort_schedule_free). Every required pair meets exactly once, nobody
 * meets twice in a round, no round uses more than o->tables tables, and the
 * number of rounds always equals consort_schedule_bound(): the fewest possible.
 * Rounds are as even as possible (their table counts differ by at most one), and
 * the order of rounds spreads each participant's rests over the session.
 * With cross sectors, participants in neither sector are not scheduled.
 * o may be NULL for the defaults.
 * Errors (CONSORT_EINVALID, one line): fewer than 2 participants, tables < 1,
 * minutes/changeover/start out of range, only one cross sector given, the same
 * sector twice, a cross sector nobody is in. CONSORT_ENOMEM when out of memory,
 * CONSORT_EINVALID too when the schedule would exceed 2,000,000 pairs or
 * 50,000,000 seats (rounds x participants). */
int consort_schedule_build(consort_schedule **out, const consort_session *s,
	const consort_schedule_options *o, consort_error *err);
void consort_schedule_free(consort_schedule *sch);

/* The fewest rounds any schedule can have when every pair of n participants
 * meets (tables: CONSORT_NO_MAX or >= 1): each participant meets one partner per
 * round (n-1 rounds, n when n is odd since then a round seats at most (n-1)/2
 * pairs), and a round seats at most `tables` pairs: max(that, ceil(C(n,2)/tables)).
 * 0 when n < 2 or tables is out of its domain. */
size_t consort_schedule_lower_bound(size_t n, int tables);
/* The same when only pairs between a group of a and a group of b participants
 * meet: max(a, b, ceil(a*b/tables)). */
size_t consort_schedule_lower_bound_cross(size_t a, size_t b, int tables);

/* ---- reading a schedule (out-of-range arguments give 0 / empty results) ---- */

/* The options it was built with (cross strings are the schedule's copies). */
const consort_schedule_options *consort_schedule_settings(const consort_schedule *sch);
/* The session's title, or NULL. */
const char *consort_schedule_title(const consort_schedule *sch);
/* The lower bound for this schedule's participants and tables; equal to the round count. */
size_t consort_schedule_bound(const consort_schedule *sch);
size_t consort_schedule_round_count(const consort_schedule *sch);
size_t consort_schedule_pair_count(const consort_schedule *sch);
/* Tables set up: the most pairs meeting in any round (<= the tables option). */
size_t consort_schedule_tables_used(const consort_schedule *sch);
/* Minutes from the start of round 1 to the start of round r (0-based). */
long long consort_schedule_round_offset(const consort_schedule *sch, size_t r);

typedef struct consort_schedule_meeting {
	size_t table; /* 0-based */
	size_t a, b;  /* participant indexes; with cross sectors a is in cross_a, b in cross_b */
} consort_schedule_meeting;

/* The pairs meeting in round r, ordered by table. */
size_t consort_schedule_meeting_count(const consort_schedule *sch, size_t r);
consort_schedule_meeting consort_schedule_meeting_at(const consort_schedule *sch, size_t r, size_t k);
/* The participants sitting out round r (indexes, in the session's order). */
size_t consort_schedule_resting_count(const consort_schedule *sch, size_t r);
size_t consort_schedule_resting(const consort_schedule *sch, size_t r, size_t k);

/* Participants are the session's, by index. */
size_t consort_schedule_participant_count(const consort_schedule *sch);
const char *consort_schedule_id(const consort_schedule *sch, size_t i);
const char *consort_schedule_name(const consort_schedule *sch, size_t i);
const char *consort_schedule_sector(const consort_schedule *sch, size_t i);
/* 1 when participant i is scheduled (always, unless cross sectors leave it out). */
int consort_schedule_takes_part(const consort_schedule *sch, size_t i);
/* Rounds participant i sits out: rounds - (partners i must meet). */
size_t consort_schedule_rest_count(const consort_schedule *sch, size_t i);

typedef struct consort_schedule_seat {
	int seated;     /* 1: meets partner at table; 0: rests (or is not scheduled) */
	size_t table;   /* 0-based */
	size_t partner; /* participant index */
} consort_schedule_seat;

/* Where participant i is in round r: its itinerary, one round at a time. */
consort_schedule_seat consort_schedule_itinerary(const consort_schedule *sch, size_t i, size_t r);

/* ---- writers: *out is malloc'ed and NUL-terminated; the caller frees it ---- */

/* {"rounds": [{"round": 1, "tables": [{"table": 1, "pair": ["a1", "f2"]}, ...],
 *  "resting": ["a3"], "offset": 0, "start": "09:00"}, ...], ...} with top-level
 * "participants", "pairs", "lower_bound", "tables" (the limit, null when none),
 * "tables_used", "minutes", "changeover", "start" (when set), "cross" (when set),
 * "rests" ({id: count}) and "not_scheduled" ([ids]). Rounds and tables count from 1. */
int consort_schedule_to_json(char **out, const consort_schedule *sch, consort_error *err);
/* One row per scheduled participant per round, RFC 4180:
 * round,start,end,table,id,name,partner,partner_name (table and partner empty when resting). */
int consort_schedule_to_csv(char **out, const consort_schedule *sch, consort_error *err);
/* A summary, the rounds (table -> pair) and every participant's itinerary. */
int consort_schedule_to_text(char **out, const consort_schedule *sch, consort_error *err);
/* One self-contained printable HTML page: the rounds, then one itinerary card per
 * participant (cards do not break across printed pages). All text is escaped. */
int consort_schedule_to_html(char **out, const consort_schedule *sch, consort_error *err);

#ifdef __cplusplus
}
#endif
#endif
