/* `consort import`: builds a consort-session/1 file from a facilitator's
 * spreadsheets (participants and ratings exported as CSV). */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void cli_import_help(FILE *out)
{
	fputs("usage: consort import PARTICIPANTS.csv RATINGS.csv [options]\n"
		"\n"
		"Builds a consort-session/1 session from two spreadsheet exports (CSV, UTF-8,\n"
		"comma-separated) and writes it to standard output or to -o FILE.\n"
		"\n"
		"  PARTICIPANTS.csv   header id,name,sector,offers (offers optional,\n"
		"                     separated by ';'; columns named x-... are ignored)\n"
		"  RATINGS.csv        header from,to,score (one rating per row), or a matrix:\n"
		"                     id,<id1>,<id2>,... then one row per rater; empty cells\n"
		"                     are unrated, the diagonal stays empty; a quoted score\n"
		"                     may use a decimal comma (\"3,5\")\n"
		"\n"
		"Options:\n"
		"  --rules FILE       rules (and scoring) as JSON: a rules object, or\n"
		"                     {\"rules\": {...}, \"scoring\": {...}}\n"
		"  --title TEXT       the session's title\n"
		"  --scale MIN..MAX   the rating scale (default 1..5), e.g. --scale 0..10\n"
		"  -o, --output FILE  write the session to FILE (atomically) instead of stdout\n"
		"  -h, --help         show this help\n"
		"\n"
		"An error names the file, line and column (the cell number) and exits with 2;\n"
		"an existing output file is then left as it was.\n", out);
}

typedef struct import_opts {
	const char *participants, *ratings;
	const char *rules, *title, *output;
	int has_scale;
	double scale_min, scale_max;
} import_opts;

static int parse_number(const char *s, size_t len, double *out)
{
	char buf[64];
	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	char *end;
	errno = 0;
	double v = strtod(buf, &end);
	if (end != buf + len || errno || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* "MIN..MAX" with decimal numbers, MIN < MAX. The split comes first because
 * strtod would read "1..5" as "1." followed by ".5". */
static int parse_scale(const char *text, double *min, double *max)
{
	const char *dots = strstr(text, "..");
	if (!dots || parse_number(text, (size_t)(dots - text), min) < 0 ||
	    parse_number(dots + 2, strlen(dots + 2), max) < 0 || !(*min < *max))
		return -1;
	return 0;
}

/* Returns -1 to continue, or an exit code. */
static int parse_args(int argc, char **argv, import_opts *o)
{
	int npos = 0, only_args = 0;
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		const char *name = NULL;
		if (!only_args && a[0] == '-' && a[1] != '\0') {
			if (strcmp(a, "--") == 0) {
				only_args = 1;
				continue;
			}
			if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
				cli_import_help(stdout);
				return CLI_EXIT_OK;
			}
			if (cli_is_option(a, "--rules"))
				slot = &o->rules, name = "--rules";
			else if (cli_is_option(a, "--title"))
				slot = &o->title, name = "--title";
			else if (cli_is_option(a, "-o"))
				slot = &o->output, name = "-o";
			else if (cli_is_option(a, "--output"))
				slot = &o->output, name = "--output";
			else if (cli_is_option(a, "--scale"))
				name = "--scale";
			if (!name) {
				cli_error("import: unknown option '%s' (see 'consort help import')", a);
				return CLI_EXIT_USAGE;
			}
			const char *v = cli_option_value("import", argc, argv, &i, name);
			if (!v)
				return CLI_EXIT_USAGE;
			if (slot) {
				*slot = v;
			} else if (parse_scale(v, &o->scale_min, &o->scale_max) < 0) {
				cli_error("import: --scale '%s': expected MIN..MAX with MIN < MAX, e.g. 1..5", v);
				return CLI_EXIT_USAGE;
			} else {
				o->has_scale = 1;
			}
			continue;
		}
		if (npos == 0)
			o->participants = a;
		else if (npos == 1)
			o->ratings = a;
		npos++;
	}
	if (npos != 2) {
		cli_error("import: expected PARTICIPANTS.csv and RATINGS.csv, got %d file%s "
			"(see 'consort help import')", npos, npos == 1 ? "" : "s");
		return CLI_EXIT_USAGE;
	}
	return -1;
}

int cli_import(int argc, char **argv)
{
	import_opts o;
	int code = parse_args(argc, argv, &o);
	if (code >= 0)
		return code;

	consort_error err;
	consort_error_clear(&err);
	consort_session *s = NULL;
	char *json = NULL;
	int rc = o.has_scale
		? consort_csv_import_ex(&s, o.participants, o.ratings, o.scale_min, o.scale_max, &err)
		: consort_csv_import(&s, o.participants, o.ratings, &err);
	if (rc == 0 && o.title)
		rc = consort_session_set_title(s, o.title, &err);
	if (rc == 0 && o.rules)
		rc = consort_session_load_rules(s, o.rules, &err);
	if (rc == 0)
		rc = consort_session_to_json(&json, s, &err);
	code = rc == 0 ? cli_output(o.output, json) : cli_fail(&err);
	free(json);
	consort_session_free(s);
	return code;
}
