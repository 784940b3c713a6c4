/* `consort schedule`: lays out the speed-dating rounds of a session (who meets
 * whom, at which table, when) as text, JSON, CSV or a printable HTML page. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

void cli_schedule_help(FILE *out)
{
	fputs("usage: consort schedule SESSION.json [options]\n"
		"\n"
		"Lays out the speed-dating rounds of a session: every pair of participants\n"
		"meets exactly once (or, with --cross, every pair across two sectors), nobody\n"
		"twice in a round, in the fewest rounds the number of tables allows. The\n"
		"output gives each round (table -> pair, who rests) and each participant's\n"
		"itinerary (round, time, table, partner).\n"
		"\n"
		"Options:\n"
		"  --tables N         at most N pairs meet at once (default: as many as fit)\n"
		"  --cross A,B        only pairs with one member in sector A and one in sector B\n"
		"                     meet, e.g. --cross association,firm; participants in other\n"
		"                     sectors are listed as not scheduled\n"
		"  --minutes M        length of a round in minutes, 1..1440 (default 5)\n"
		"  --changeover C     minutes to change tables between rounds, 0..1440 (default 1)\n"
		"  --start HH:MM      clock time of round 1; without it, times count from 0:00\n"
		"  --format FORMAT    text (default), json, csv (one row per participant and\n"
		"                     round) or html (one printable page: the rounds, then an\n"
		"                     itinerary card per participant to cut out)\n"
		"  -o, --output FILE  write to FILE (atomically) instead of standard output\n"
		"  -h, --help         show this help\n"
		"\n"
		"The number of rounds is always the lower bound: n-1 for n participants (n when\n"
		"n is odd: one rests each round), max(a, b) across sectors of a and b, and\n"
		"never fewer than pairs / tables. Rounds are balanced (their table counts\n"
		"differ by at most one), everyone in a group rests equally often, and the\n"
		"order of rounds spreads each participant's rests.\n"
		"\n"
		"JSON: {\"rounds\": [{\"round\": 1, \"tables\": [{\"table\": 1, \"pair\": [\"a1\", \"f2\"]}],\n"
		"\"resting\": [\"a3\"], \"offset\": 0, \"start\": \"09:00\"}, ...], \"rests\": {...},\n"
		"\"not_scheduled\": [...], \"lower_bound\": ..., ...}; \"offset\" is minutes after\n"
		"the start.\n", out);
}

typedef enum { FMT_TEXT, FMT_JSON, FMT_CSV, FMT_HTML } sched_format;

typedef struct sched_opts {
	const char *session, *output;
	consort_schedule_options lib;
	char *cross;      /* a copy of the --cross value, split at the comma */
	sched_format format;
} sched_opts;

/* "H:MM" or "HH:MM", 00:00..23:59, as minutes after midnight; 0 on success. */
static int parse_clock(const char *text, int *out)
{
	const char *colon = strchr(text, ':');
	if (!colon || colon == text || colon - text > 2 || strlen(colon + 1) != 2)
		return -1;
	char hours[3] = {0};
	memcpy(hours, text, (size_t)(colon - text));
	int h, m;
	if (cli_parse_count(hours, 0, 23, &h) < 0 || cli_parse_count(colon + 1, 0, 59, &m) < 0)
		return -1;
	*out = h * 60 + m;
	return 0;
}

/* Applies one option's value; 0, or an exit code after a message. */
static int set_option(sched_opts *o, const char *name, const char *v)
{
	if (strcmp(name, "--tables") == 0) {
		if (cli_parse_count(v, 1, 1000000, &o->lib.tables) < 0) {
			cli_error("schedule: --tables '%s': expected a whole number of at least 1", v);
			return CLI_EXIT_USAGE;
		}
	} else if (strcmp(name, "--minutes") == 0) {
		if (cli_parse_count(v, 1, 1440, &o->lib.minutes) < 0) {
			cli_error("schedule: --minutes '%s': expected a whole number 1..1440", v);
			return CLI_EXIT_USAGE;
		}
	} else if (strcmp(name, "--changeover") == 0) {
		if (cli_parse_count(v, 0, 1440, &o->lib.changeover) < 0) {
			cli_error("schedule: --changeover '%s': expected a whole number 0..1440", v);
			return CLI_EXIT_USAGE;
		}
	} else if (strcmp(name, "--start") == 0) {
		if (parse_clock(v, &o->lib.start) < 0) {
			cli_error("schedule: --start '%s': expected a clock time HH:MM, e.g. 09:30", v);
			return CLI_EXIT_USAGE;
		}
	} else if (strcmp(name, "--cross") == 0) {
		const char *comma = strchr(v, ',');
		if (!comma || comma == v || !comma[1] || strchr(comma + 1, ',')) {
			cli_error("schedule: --cross '%s': expected two sectors, e.g. association,firm", v);
			return CLI_EXIT_USAGE;
		}
		free(o->cross);
		size_t len = strlen(v);
		if (!(o->cross = malloc(len + 1))) {
			cli_error("out of memory");
			return CLI_EXIT_INTERNAL;
		}
		memcpy(o->cross, v, len + 1);
		o->cross[comma - v] = '\0';
		o->lib.cross_a = o->cross;
		o->lib.cross_b = o->cross + (comma - v) + 1;
	} else if (strcmp(name, "--format") == 0) {
		static const char *const names[] = {"text", "json", "csv", "html"};
		size_t k = 0;
		while (k < 4 && strcmp(v, names[k]) != 0)
			k++;
		if (k == 4) {
			cli_error("schedule: --format '%s': expected text, json, csv or html", v);
			return CLI_EXIT_USAGE;
		}
		o->format = (sched_format)k;
	} else {
		o->output = v; /* -o, --output */
	}
	return 0;
}

/* Returns -1 to go on, or an exit code. */
static int parse_args(int argc, char **argv, sched_opts *o)
{
	static const char *const names[] = {"--tables", "--cross", "--minutes", "--changeover",
		"--start", "--format", "--output", "-o"};
	int npos = 0, only_args = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_args || a[0] != '-' || a[1] == '\0') {
			if (npos++ == 0)
				o->session = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_args = 1;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cli_schedule_help(stdout);
			return CLI_EXIT_OK;
		}
		const char *name = NULL;
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]) && !name; k++)
			if (cli_is_option(a, names[k]))
				name = names[k];
		if (!name) {
			cli_error("schedule: unknown option '%s' (see 'consort help schedule')", a);
			return CLI_EXIT_USAGE;
		}
		const char *v = cli_option_value("schedule", argc, argv, &i, name);
		if (!v)
			return CLI_EXIT_USAGE;
		int code = set_option(o, name, v);
		if (code)
			return code;
	}
	if (npos != 1) {
		cli_error("schedule: expected one SESSION.json, got %d file%s "
			"(see 'consort help schedule')", npos, npos == 1 ? "" : "s");
		return CLI_EXIT_USAGE;
	}
	return -1;
}

int cli_schedule(int argc, char **argv)
{
	sched_opts o;
	memset(&o, 0, sizeof(o));
	consort_schedule_options_init(&o.lib);
	int code = parse_args(argc, argv, &o);
	if (code >= 0) {
		free(o.cross);
		return code;
	}
	consort_error err;
	consort_error_clear(&err);
	consort_session *s = NULL;
	consort_schedule *sch = NULL;
	char *text = NULL;
	int rc = consort_session_load(&s, o.session, &err);
	if (rc == 0)
		rc = consort_schedule_build(&sch, s, &o.lib, &err);
	if (rc == 0) {
		switch (o.format) {
		case FMT_JSON: rc = consort_schedule_to_json(&text, sch, &err); break;
		case FMT_CSV: rc = consort_schedule_to_csv(&text, sch, &err); break;
		case FMT_HTML: rc = consort_schedule_to_html(&text, sch, &err); break;
		default: rc = consort_schedule_to_text(&text, sch, &err); break;
		}
	}
	code = rc == 0 ? cli_output(o.output, text) : cli_fail(&err);
	free(text);
	consort_schedule_free(sch);
	consort_session_free(s);
	free(o.cross);
	return code;
}
