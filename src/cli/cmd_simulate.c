/* `consort simulate`: writes a simulated session with planted consortia, for
 * trying the solver at any size (model in include/consort/simulate.h). */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void cli_simulate_help(FILE *out)
{
	fputs("usage: consort simulate N --consortia K [options]\n"
		"\n"
		"Writes a simulated consort-session/1 session: N participants (up to 5000) who\n"
		"belong to K planted consortia and rate each other, with the planted consortia\n"
		"recorded as \"x-planted\" (a list of member-id lists). The same options and seed\n"
		"give the same file on every machine.\n"
		"\n"
		"Options:\n"
		"  --consortia K      number of planted consortia, 1..N (required)\n"
		"  --seed S           random seed, 0..2^64-1 (default 1)\n"
		"  --missing P        probability that a directed rating is missing (default 0.2)\n"
		"  --bias S           spread (standard deviation) of the raters' leniency, in\n"
		"                     scale points (default 0.4)\n"
		"  --noise S          standard deviation of each rating's noise (default 0.8)\n"
		"  --sectors LIST     sector mix as name:share,... (default\n"
		"                     association:0.45,firm:0.45,public:0.1)\n"
		"  --scale MIN..MAX   integer rating scale (default 1..5)\n"
		"  --rules            also write rules: exactly K consortia, at least 2 members,\n"
		"                     at least one member of each of the two largest sectors\n"
		"  -o, --output FILE  write to FILE (atomically) instead of standard output\n"
		"  -h, --help         show this help\n"
		"\n"
		"Model: consortia of random sizes around N/K; each participant has a sector\n"
		"(every planted consortium holds one of each of the two largest sectors) and\n"
		"offers 1-3 services, each consortium covering cleaning, coaching and job\n"
		"training. A rating i -> j is round(mu + b_i + e) clamped to the scale, where mu\n"
		"is 4.2 inside a planted consortium and 2.3 across (on 1..5; proportional on\n"
		"other scales), b_i ~ N(0, bias) the rater's leniency and e ~ N(0, noise).\n", out);
}

typedef struct simulate_cli {
	consort_simulate_options opt;
	consort_simulate_sector *sectors;
	char *sector_text; /* the --sectors copy the sector names point into */
	const char *output;
	int has_consortia;
} simulate_cli;

static void simulate_cli_dispose(simulate_cli *c)
{
	free(c->sectors);
	free(c->sector_text);
}

static int parse_double(const char *text, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (end == text || *end || errno || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int parse_int(const char *text, long lo, long hi, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (end == text || *end || errno || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_seed(const char *text, uint64_t *out)
{
	char *end;
	if (text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (*end || errno)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

/* "MIN..MAX" with integers (either may be negative), MIN < MAX. */
static int parse_scale(const char *text, int *min, int *max)
{
	const char *dots = strstr(text + (text[0] == '-'), "..");
	char buf[32];
	size_t n = dots ? (size_t)(dots - text) : 0;
	if (!dots || n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	if (parse_int(buf, -1000, 1000, min) < 0 || parse_int(dots + 2, -1000, 1000, max) < 0 || *min >= *max)
		return -1;
	return 0;
}

/* "name:share,name:share,..." into c->sectors. */
static int parse_sectors(simulate_cli *c, const char *text)
{
	size_t n = 1;
	for (const char *p = text; *p; p++)
		n += *p == ',';
	free(c->sectors);
	free(c->sector_text);
	c->sectors = calloc(n, sizeof(*c->sectors));
	c->sector_text = malloc(strlen(text) + 1);
	if (!c->sectors || !c->sector_text)
		return -1;
	strcpy(c->sector_text, text);
	size_t k = 0;
	for (char *item = c->sector_text; item; k++) {
		char *next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		char *colon = strchr(item, ':');
		if (!colon || colon == item)
			return -1;
		*colon = '\0';
		c->sectors[k].name = item;
		if (parse_double(colon + 1, &c->sectors[k].share) < 0 || c->sectors[k].share < 0)
			return -1;
		item = next;
	}
	c->opt.sectors = c->sectors;
	c->opt.nsectors = k;
	return 0;
}

/* Applies one option with a value; 0, or -1 after a message. */
static int apply_option(simulate_cli *c, const char *name, const char *v)
{
	consort_simulate_options *o = &c->opt;
	const char *want = NULL;
	if (strcmp(name, "--consortia") == 0) {
		if (parse_int(v, 1, CONSORT_SIMULATE_MAX, &o->consortia) < 0)
			want = "a whole number of consortia, at least 1";
		c->has_consortia = 1;
	} else if (strcmp(name, "--seed") == 0) {
		if (parse_seed(v, &o->seed) < 0)
			want = "a whole number 0..18446744073709551615";
	} else if (strcmp(name, "--missing") == 0) {
		if (parse_double(v, &o->missing) < 0 || o->missing < 0 || o->missing > 1)
			want = "a probability 0..1";
	} else if (strcmp(name, "--bias") == 0) {
		if (parse_double(v, &o->bias) < 0 || o->bias < 0)
			want = "a standard deviation >= 0";
	} else if (strcmp(name, "--noise") == 0) {
		if (parse_double(v, &o->noise) < 0 || o->noise < 0)
			want = "a standard deviation >= 0";
	} else if (strcmp(name, "--scale") == 0) {
		if (parse_scale(v, &o->scale_min, &o->scale_max) < 0)
			want = "MIN..MAX with integers MIN < MAX, e.g. 1..5";
	} else if (strcmp(name, "--sectors") == 0) {
		if (parse_sectors(c, v) < 0)
			want = "name:share,... with shares >= 0, e.g. association:0.45,firm:0.45,public:0.1";
	} else {
		c->output = v;
	}
	if (want) {
		cli_error("simulate: %s '%s': expected %s", name, v, want);
		return -1;
	}
	return 0;
}

/* Returns -1 to continue, or an exit code. */
static int parse_args(int argc, char **argv, simulate_cli *c)
{
	static const char *const valued[] = {
		"--consortia", "--seed", "--missing", "--bias", "--noise", "--scale", "--sectors",
		"--output", "-o",
	};
	int npos = 0, only_args = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_args || a[0] != '-' || a[1] == '\0') {
			if (npos++ == 0 && parse_int(a, 1, CONSORT_SIMULATE_MAX, &c->opt.participants) < 0) {
				cli_error("simulate: N '%s': expected a number of participants 1..%d", a,
					CONSORT_SIMULATE_MAX);
				return CLI_EXIT_USAGE;
			}
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_args = 1;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cli_simulate_help(stdout);
			return CLI_EXIT_OK;
		}
		if (strcmp(a, "--rules") == 0) {
			c->opt.rules = 1;
			continue;
		}
		const char *name = NULL;
		for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]) && !name; k++)
			if (cli_is_option(a, valued[k]))
				name = valued[k];
		if (!name) {
			cli_error("simulate: unknown option '%s' (see 'consort help simulate')", a);
			return CLI_EXIT_USAGE;
		}
		const char *v = cli_option_value("simulate", argc, argv, &i, name);
		if (!v || apply_option(c, name, v) < 0)
			return CLI_EXIT_USAGE;
	}
	if (npos != 1) {
		cli_error("simulate: expected one number of participants N, got %d arguments "
			"(see 'consort help simulate')", npos);
		return CLI_EXIT_USAGE;
	}
	if (!c->has_consortia) {
		cli_error("simulate: --consortia K is required (see 'consort help simulate')");
		return CLI_EXIT_USAGE;
	}
	return -1;
}

/* Appends `"x-planted": [[ids of consortium 0], ...]` as the last member of the
 * session object, in the writer's layout (two-space indent). Ids need no escaping. */
static char *add_planted(const char *json, const consort_session *s, const int *planted, int k)
{
	size_t n = consort_session_count(s);
	const char *close = strrchr(json, '}');
	if (!close)
		return NULL;
	size_t head = (size_t)(close - json);
	while (head > 0 && (json[head - 1] == '\n' || json[head - 1] == ' '))
		head--;
	size_t cap = head + 64 + (size_t)k * 4 + n * (CONSORT_ID_MAX + 4);
	char *out = malloc(cap);
	if (!out)
		return NULL;
	memcpy(out, json, head);
	size_t len = head;
	len += (size_t)sprintf(out + len, ",\n  \"x-planted\": [");
	for (int g = 0; g < k; g++) {
		len += (size_t)sprintf(out + len, "%s[", g ? ", " : "");
		int first = 1;
		for (size_t i = 0; i < n; i++) {
			if (planted[i] != g)
				continue;
			len += (size_t)sprintf(out + len, "%s\"%s\"", first ? "" : ", ",
				consort_session_participant(s, i)->id);
			first = 0;
		}
		out[len++] = ']';
	}
	strcpy(out + len, "]\n}\n");
	return out;
}

int cli_simulate(int argc, char **argv)
{
	simulate_cli c;
	memset(&c, 0, sizeof(c));
	consort_simulate_defaults(&c.opt);
	int code = parse_args(argc, argv, &c);
	if (code >= 0) {
		simulate_cli_dispose(&c);
		return code;
	}
	consort_error err;
	consort_error_clear(&err);
	consort_session *s = NULL;
	int *planted = NULL;
	char *json = NULL, *full = NULL;
	int rc = consort_simulate(&s, &planted, &c.opt, &err);
	if (rc == 0)
		rc = consort_session_to_json(&json, s, &err);
	if (rc == 0) {
		full = add_planted(json, s, planted, c.opt.consortia);
		if (full) {
			code = cli_output(c.output, full);
		} else {
			cli_error("simulate: out of memory");
			code = CLI_EXIT_INTERNAL;
		}
	} else {
		code = cli_fail(&err);
	}
	free(full);
	free(json);
	free(planted);
	consort_session_free(s);
	simulate_cli_dispose(&c);
	return code;
}
