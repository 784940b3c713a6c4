/* `consort solve`: read a session (or a benchmark file), apply option
 * overrides, run the optimizer and write the proposal as text or JSON. */
#include "cli.h"
#include "solve_advice.h"

#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void cli_solve_help(FILE *out)
{
	fprintf(out,
		"usage: consort solve SESSION.json [options]\n"
		"\n"
		"Proposes consortia that maximize the sum of pair weights inside them\n"
		"(formats.md section 2) while meeting every rule, and proves the result\n"
		"optimal with an integer program solved by GLPK when it can.\n"
		"\n"
		"Output:\n"
		"  --format text|json     readable text (default) or consort-proposal/1 JSON\n"
		"  -o, --output FILE      write there (atomically) instead of standard output\n"
		"  -q, --quiet            no progress lines on standard error\n"
		"\n"
		"Solving:\n"
		"  --time-limit SECONDS   stop after this long with the best proposal found\n"
		"                         (default 60; 0 = no limit)\n"
		"  --engine auto|exact|heuristic\n"
		"                         auto (default): heuristic start; up to 40 participants\n"
		"                         the branch and bound (with branch and price when the\n"
		"                         consortia are small: capped at <= 12, or <= 6 members\n"
		"                         that must be placed per consortium; or with 3 lots\n"
		"                         or more) proves it; otherwise or\n"
		"                         without proof GLPK\n"
		"                         (up to 200 participants; it gives up early when its\n"
		"                         bound stays 50 %% above), then the heuristic again\n"
		"                         with the time left if no proof came;\n"
		"                         exact: GLPK gets all the time, at any size;\n"
		"                         heuristic: local search only (large sessions; no proof);\n"
		"                         it searches until the time limit (10 s when there is none)\n"
		"  --seed N               seed of the heuristic (default 1)\n"
		"  --no-explain           when infeasible, do not search for the clashing rules\n"
		"\n"
		"Input:\n"
		"  --input-format session|cplib|mdgp|auto\n"
		"                         session JSON (default), or a benchmark file: CP-Lib\n"
		"                         clique partitioning or MDGPLIB grouping (formats.md\n"
		"                         section 5); auto tells them apart by content\n"
		"  --rules RULES.json     replace the session's rules (and scoring, if given)\n"
		"\n"
		"Rule overrides (applied after --rules):\n"
		"  --consortia K|MIN..MAX|free   number of consortia (MAX may be left out)\n"
		"  --size MIN..MAX        members per consortium (MAX may be left out)\n"
		"  --everyone yes|no      no: participants may stay outside every consortium\n"
		"\n"
		"What if (each may be repeated; applied after the overrides above):\n"
		"  --lock ID=ID2          ID and ID2 in the same consortium (a together rule)\n"
		"  --apart ID,ID2         ID and ID2 in different consortia\n"
		"  --drop ID              as if ID were not at the workshop (rules.absent)\n"
		"  --fix ID=LOT           ID in the consortium of the lot named LOT\n"
		"  --fix ID=of:ID2        ID in the same consortium as ID2 (as --lock)\n"
		"  --fix ID=outside       ID in no consortium (needs --everyone no)\n"
		"  --min-fit X            every placed member's fit (sum of its weights to its\n"
		"                         consortium) at least X; infeasible names the clash\n"
		"  --objective total|maxmin\n"
		"                         total (default): the sum of weights; maxmin: the\n"
		"                         weakest member's fit first, then the total\n"
		"\n"
		"Alternatives:\n"
		"  --alternatives N       also the next N best proposals, each with its\n"
		"                         objective, its cost against the best and who moves\n"
		"  --differ D             each alternative differs from the best and every\n"
		"                         earlier one by at least D members placed differently\n"
		"                         (default 1; relabelling consortia is no difference);\n"
		"                         --time-limit covers the alternatives too\n"
		"\n"
		"Scoring overrides:\n"
		"  --combine mean|min     how the two directions of a pair combine\n"
		"  --neutral X            the score that means indifferent\n"
		"  --unmet X              pair score when neither direction was rated\n"
		"  --normalize none|rater correct each rater's leniency first\n"
		"\n");
	cli_advice_help(out);
	fprintf(out,
		"\n"
		"Exit status: 0 a proposal was found (optimal or feasible); 1 the rules\n"
		"cannot be met (infeasible) or no proposal within the time limit; 2 usage or\n"
		"input error; 3 internal error.\n"
		"\n"
		"Examples:\n"
		"  consort solve examples/pirkanmaa-2018.json\n"
		"  consort solve session.json --consortia 2..3 --size 4..8 --format json -o proposal.json\n"
		"  consort solve ../shared/bench/cplib/ABR/cetacea.txt --input-format auto\n"
		"  consort solve session.json --drop f3 --lock a1=f1 --alternatives 3 --differ 2\n");
}

typedef struct solve_args {
	const char *session;
	const char *output;
	const char *rules;
	int json, quiet, explain;
	double time_limit;
	unsigned long seed;
	consort_engine engine;
	int input; /* -1 session, else consort_bench_format */
	const char *consortia, *size, *everyone;
	const char *combine, *neutral, *unmet, *normalize;
	cli_advice_args adv;
	/* what-if options in the order given: "lock", "apart", "drop", "fix" */
	int nwhatif;
	struct { int opt; const char *value; } *whatif;
	const char *min_fit, *objective;
	int alternatives, differ;
} solve_args;

enum {
	OPT_FORMAT = 256, OPT_TIME, OPT_ENGINE, OPT_SEED, OPT_NOEXPLAIN, OPT_INPUT, OPT_RULES,
	OPT_CONSORTIA, OPT_SIZE, OPT_EVERYONE, OPT_COMBINE, OPT_NEUTRAL, OPT_UNMET, OPT_NORMALIZE,
	OPT_LOCK, OPT_APART, OPT_DROP, OPT_FIX, OPT_MINFIT, OPT_OBJECTIVE, OPT_ALTERNATIVES, OPT_DIFFER
};

static const struct option long_options[] = {
	{"format", required_argument, NULL, OPT_FORMAT},
	{"output", required_argument, NULL, 'o'},
	{"quiet", no_argument, NULL, 'q'},
	{"time-limit", required_argument, NULL, OPT_TIME},
	{"engine", required_argument, NULL, OPT_ENGINE},
	{"seed", required_argument, NULL, OPT_SEED},
	{"no-explain", no_argument, NULL, OPT_NOEXPLAIN},
	{"input-format", required_argument, NULL, OPT_INPUT},
	{"rules", required_argument, NULL, OPT_RULES},
	{"consortia", required_argument, NULL, OPT_CONSORTIA},
	{"size", required_argument, NULL, OPT_SIZE},
	{"everyone", required_argument, NULL, OPT_EVERYONE},
	{"combine", required_argument, NULL, OPT_COMBINE},
	{"neutral", required_argument, NULL, OPT_NEUTRAL},
	{"unmet", required_argument, NULL, OPT_UNMET},
	{"normalize", required_argument, NULL, OPT_NORMALIZE},
	CLI_ADVICE_OPTIONS,
	{"lock", required_argument, NULL, OPT_LOCK},
	{"apart", required_argument, NULL, OPT_APART},
	{"drop", required_argument, NULL, OPT_DROP},
	{"fix", required_argument, NULL, OPT_FIX},
	{"min-fit", required_argument, NULL, OPT_MINFIT},
	{"objective", required_argument, NULL, OPT_OBJECTIVE},
	{"alternatives", required_argument, NULL, OPT_ALTERNATIVES},
	{"differ", required_argument, NULL, OPT_DIFFER},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static int parse_args(solve_args *a, int argc, char **argv)
{
	memset(a, 0, sizeof(*a));
	a->time_limit = 60;
	a->seed = 1;
	a->explain = 1;
	a->input = -1;
	a->differ = 1;
	a->whatif = calloc((size_t)argc + 1, sizeof(*a->whatif));
	if (!a->whatif)
		return cli_solve_usage("out of memory");
	cli_advice_prescan(&a->adv, argc, argv);
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":o:qh", long_options, NULL)) != -1) {
		switch (c) {
		case 'h': cli_solve_help(stdout); return -1;
		case 'o': a->output = optarg; break;
		case 'q': a->quiet = 1; break;
		case OPT_FORMAT:
			if (strcmp(optarg, "json") == 0)
				a->json = 1;
			else if (strcmp(optarg, "text") != 0)
				return cli_solve_usage("--format must be text or json, not '%s'", optarg);
			break;
		case OPT_TIME:
			if (cli_parse_seconds(optarg, &a->time_limit) != 0)
				return cli_solve_usage("--time-limit: '%s' is not a number of seconds", optarg);
			break;
		case OPT_ENGINE:
			if (strcmp(optarg, "auto") == 0)
				a->engine = CONSORT_ENGINE_AUTO;
			else if (strcmp(optarg, "exact") == 0)
				a->engine = CONSORT_ENGINE_EXACT;
			else if (strcmp(optarg, "heuristic") == 0)
				a->engine = CONSORT_ENGINE_HEURISTIC;
			else
				return cli_solve_usage("--engine must be auto, exact or heuristic, not '%s'", optarg);
			break;
		case OPT_SEED: {
			char *end;
			a->seed = strtoul(optarg, &end, 10);
			if (end == optarg || *end || optarg[0] == '-')
				return cli_solve_usage("--seed: '%s' is not a non-negative integer", optarg);
			break;
		}
		case OPT_NOEXPLAIN: a->explain = 0; break;
		case OPT_INPUT:
			if (strcmp(optarg, "session") == 0)
				a->input = -1;
			else if (strcmp(optarg, "auto") == 0)
				a->input = CONSORT_BENCH_AUTO;
			else if (strcmp(optarg, "cplib") == 0)
				a->input = CONSORT_BENCH_CPLIB;
			else if (strcmp(optarg, "mdgp") == 0)
				a->input = CONSORT_BENCH_MDGP;
			else
				return cli_solve_usage("--input-format must be session, cplib, mdgp or auto, not '%s'", optarg);
			break;
		case OPT_RULES: a->rules = optarg; break;
		case OPT_CONSORTIA: a->consortia = optarg; break;
		case OPT_SIZE: a->size = optarg; break;
		case OPT_EVERYONE: a->everyone = optarg; break;
		case OPT_COMBINE: a->combine = optarg; break;
		case OPT_NEUTRAL: a->neutral = optarg; break;
		case OPT_UNMET: a->unmet = optarg; break;
		case OPT_NORMALIZE: a->normalize = optarg; break;
		case CLI_OPT_WHY: case CLI_OPT_COMPARE: case CLI_OPT_CONFIDENCE: case CLI_OPT_CONFIDENCE_SEED:
		case CLI_OPT_CONFIDENCE_TIME: case CLI_OPT_THREADS: case CLI_OPT_PROGRESS: {
			int rc = cli_advice_option(&a->adv, c, optarg);
			if (rc != 0)
				return rc;
			break;
		}
		case OPT_LOCK:
		case OPT_APART:
		case OPT_DROP:
		case OPT_FIX:
			a->whatif[a->nwhatif].opt = c;
			a->whatif[a->nwhatif++].value = optarg;
			break;
		case OPT_MINFIT: a->min_fit = optarg; break;
		case OPT_OBJECTIVE:
			if (strcmp(optarg, "total") != 0 && strcmp(optarg, "maxmin") != 0)
				return cli_solve_usage("--objective must be total or maxmin, not '%s'", optarg);
			a->objective = optarg;
			break;
		case OPT_ALTERNATIVES:
		case OPT_DIFFER: {
			char *end;
			long v = strtol(optarg, &end, 10);
			int lo = c == OPT_DIFFER ? 1 : 0;
			if (end == optarg || *end || v < lo || v > 1000)
				return cli_solve_usage("%s: '%s' is not a whole number in %d..1000",
					c == OPT_DIFFER ? "--differ" : "--alternatives", optarg, lo);
			*(c == OPT_DIFFER ? &a->differ : &a->alternatives) = (int)v;
			break;
		}
		case ':': return cli_solve_usage("%s needs a value", argv[optind - 1]);
		default: return cli_solve_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind == argc - 2 && cli_advice_positional(&a->adv, 2, argv + optind, &a->session) == 0)
		return 0;
	if (optind != argc - 1)
		return cli_solve_usage("%s", optind >= argc ? "expected a SESSION.json" : "expected exactly one SESSION.json");
	a->session = argv[optind];
	return 0;
}

static int parse_number(const char *text, double *out)
{
	char *end;
	double v = strtod(text, &end);
	if (end == text || *end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* Splits "A<sep>B" into two ids (copied into a and b); 0, or -1 when malformed. */
static int split_two(const char *text, char sep, char *a, char *b, size_t len)
{
	const char *at = strchr(text, sep);
	if (!at || at == text || !at[1] || (size_t)(at - text) >= len || strlen(at + 1) >= len)
		return -1;
	memcpy(a, text, (size_t)(at - text));
	a[at - text] = '\0';
	strcpy(b, at + 1);
	return 0;
}

/* One what-if option; returns an exit code. */
static int apply_whatif(consort_session *s, int opt, const char *value)
{
	consort_error err;
	consort_error_clear(&err);
	char x[256], y[256];
	int rc = 0;
	switch (opt) {
	case OPT_LOCK:
		if (split_two(value, '=', x, y, sizeof(x)) != 0)
			return cli_solve_usage("--lock: '%s' is not ID=ID2", value);
		rc = consort_session_add_together(s, x, y, &err);
		break;
	case OPT_APART:
		if (split_two(value, ',', x, y, sizeof(x)) != 0)
			return cli_solve_usage("--apart: '%s' is not ID,ID2", value);
		rc = consort_session_add_apart(s, x, y, &err);
		break;
	case OPT_DROP:
		rc = consort_session_add_absent(s, value, &err);
		break;
	case OPT_FIX:
		if (split_two(value, '=', x, y, sizeof(x)) != 0)
			return cli_solve_usage("--fix: '%s' is not ID=LOT, ID=of:ID2 or ID=outside", value);
		if (strncmp(y, "of:", 3) == 0)
			rc = consort_session_add_together(s, x, y + 3, &err);
		else
			rc = consort_session_add_fixed(s, x, strcmp(y, "outside") == 0 ? NULL : y, &err);
		break;
	}
	if (rc < 0) {
		static const char *const names[] = {"--lock", "--apart", "--drop", "--fix"};
		return cli_solve_usage("%s %s: %s", names[opt - OPT_LOCK], value, err.message);
	}
	return CLI_EXIT_OK;
}

/* The what-if options, min_fit and the objective. */
static int apply_whatifs(consort_session *s, const solve_args *a)
{
	int rc;
	for (int i = 0; i < a->nwhatif; i++)
		if ((rc = apply_whatif(s, a->whatif[i].opt, a->whatif[i].value)) != CLI_EXIT_OK)
			return rc;
	if (a->min_fit) {
		double x;
		if (parse_number(a->min_fit, &x) != 0)
			return cli_solve_usage("--min-fit: '%s' is not a number", a->min_fit);
		consort_session_set_min_fit(s, x, NULL);
	}
	if (a->objective)
		consort_session_set_objective(s, strcmp(a->objective, "maxmin") == 0 ? CONSORT_OBJECTIVE_MAXMIN
			: CONSORT_OBJECTIVE_TOTAL, NULL);
	return CLI_EXIT_OK;
}

/* Applies the rule and scoring overrides; returns an exit code. */
static int apply_overrides(consort_session *s, const solve_args *a)
{
	consort_error err;
	consort_error_clear(&err);
	if (a->rules && consort_session_load_rules(s, a->rules, &err) < 0)
		return cli_fail(&err);
	if (a->consortia) {
		int min, max;
		if (strcmp(a->consortia, "free") == 0)
			consort_session_clear_consortia(s);
		else if (cli_parse_range(a->consortia, &min, &max) != 0)
			return cli_solve_usage("--consortia: '%s' is not K, MIN..MAX or free", a->consortia);
		else if (consort_session_set_consortia(s, min, max, &err) < 0)
			return cli_fail(&err);
	}
	if (a->size) {
		int min, max;
		if (cli_parse_range(a->size, &min, &max) != 0)
			return cli_solve_usage("--size: '%s' is not MIN..MAX", a->size);
		if (consort_session_set_size(s, min, max, &err) < 0)
			return cli_fail(&err);
	}
	if (a->everyone) {
		if (strcmp(a->everyone, "yes") == 0 || strcmp(a->everyone, "true") == 0)
			consort_session_set_everyone(s, 1);
		else if (strcmp(a->everyone, "no") == 0 || strcmp(a->everyone, "false") == 0)
			consort_session_set_everyone(s, 0);
		else
			return cli_solve_usage("--everyone must be yes or no, not '%s'", a->everyone);
	}
	if (a->combine || a->neutral || a->unmet || a->normalize) {
		consort_scoring sc = consort_session_scoring(s);
		if (a->combine) {
			if (strcmp(a->combine, "mean") == 0)
				sc.combine = CONSORT_COMBINE_MEAN;
			else if (strcmp(a->combine, "min") == 0)
				sc.combine = CONSORT_COMBINE_MIN;
			else
				return cli_solve_usage("--combine must be mean or min, not '%s'", a->combine);
		}
		if (a->normalize) {
			if (strcmp(a->normalize, "none") == 0)
				sc.normalize = CONSORT_NORMALIZE_NONE;
			else if (strcmp(a->normalize, "rater") == 0)
				sc.normalize = CONSORT_NORMALIZE_RATER;
			else
				return cli_solve_usage("--normalize must be none or rater, not '%s'", a->normalize);
		}
		if (a->neutral) {
			double old_neutral = sc.neutral;
			if (parse_number(a->neutral, &sc.neutral) != 0)
				return cli_solve_usage("--neutral: '%s' is not a number", a->neutral);
			/* unmet follows neutral unless it was given */
			if (!a->unmet && sc.unmet == old_neutral)
				sc.unmet = sc.neutral;
		}
		if (a->unmet && parse_number(a->unmet, &sc.unmet) != 0)
			return cli_solve_usage("--unmet: '%s' is not a number", a->unmet);
		if (consort_session_set_scoring(s, &sc, &err) < 0)
			return cli_fail(&err);
	}
	return apply_whatifs(s, a);
}

typedef struct progress_state {
	double last;
	int tty, printed;
} progress_state;

/* Progress on stderr for long runs: after the first second, at most once a
 * second on a terminal (one line, rewritten), every 10 s otherwise. */
static void on_progress(const consort_progress *pr, void *data)
{
	progress_state *ps = data;
	double every = ps->tty ? 1.0 : 10.0;
	if (pr->seconds < 1.0 || pr->seconds - ps->last < every)
		return;
	ps->last = pr->seconds;
	char best[32] = "none yet", bound[32] = "none";
	if (pr->has_incumbent)
		snprintf(best, sizeof(best), "%.6g", pr->incumbent);
	if (isfinite(pr->bound))
		snprintf(bound, sizeof(bound), "%.6g", pr->bound);
	fprintf(stderr, "%s  %6.1f s   best %s   bound %s%s", ps->tty ? "\r" : "", pr->seconds, best, bound,
		ps->tty ? "   " : "\n");
	ps->printed = 1;
}

static int load_input(consort_session **s, const solve_args *a)
{
	consort_error err;
	consort_error_clear(&err);
	int rc = a->input < 0 ? consort_session_load(s, a->session, &err)
		: consort_bench_load(s, a->session, (consort_bench_format)a->input, &err);
	return rc < 0 ? cli_fail(&err) : CLI_EXIT_OK;
}

int cli_solve(int argc, char **argv)
{
	solve_args a;
	int rc = parse_args(&a, argc, argv);
	if (rc != 0) {
		free(a.whatif);
		return rc < 0 ? CLI_EXIT_OK : rc;
	}
	consort_session *s = NULL;
	if ((rc = load_input(&s, &a)) != CLI_EXIT_OK) {
		free(a.whatif);
		return rc;
	}
	rc = apply_overrides(s, &a);
	free(a.whatif);
	if (rc != CLI_EXIT_OK) {
		consort_session_free(s);
		return rc;
	}
	consort_solve_options opts;
	consort_solve_options_init(&opts);
	opts.time_limit = a.time_limit;
	opts.seed = a.seed;
	opts.engine = a.engine;
	opts.explain = a.explain;
	opts.alternatives = a.alternatives;
	opts.differ = a.differ;
	progress_state ps = {0, isatty(2), 0};
	if (!a.quiet) {
		opts.progress = on_progress;
		opts.progress_data = &ps;
	}
	consort_proposal *p = NULL;
	consort_error err;
	consort_error_clear(&err);
	rc = consort_solve(&p, s, &opts, &err);
	if (ps.printed && ps.tty)
		fputc('\n', stderr);
	if (rc < 0) {
		consort_session_free(s);
		return cli_fail(&err);
	}
	char *text = NULL;
	int exit_code = cli_advice_render(&text, p, s, &a.adv, a.json, a.quiet);
	if (exit_code == CLI_EXIT_OK) {
		exit_code = cli_output(a.output, text);
		if (exit_code == CLI_EXIT_OK) {
			consort_status st = consort_proposal_status(p);
			if (st == CONSORT_STATUS_INFEASIBLE || st == CONSORT_STATUS_STOPPED)
				exit_code = CLI_EXIT_NOSOLUTION;
		}
	}
	free(text);
	consort_proposal_free(p);
	consort_session_free(s);
	return exit_code;
}
