/* `consort report`: the workshop report of a session and its proposal (solved
 * here when none is given) as one self-contained HTML page, and its pictures
 * as SVG files for slides. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void cli_report_help(FILE *out)
{
	fputs("usage: consort report SESSION.json [options]\n"
		"\n"
		"Writes the workshop report: one HTML page that works offline and prints on\n"
		"A4 (no script, pictures inline as SVG) with\n"
		"  - the rating heatmap: who rated whom how, in consortium order, the consortia\n"
		"    outlined, unrated pairs hatched;\n"
		"  - the network: a line for each pair rated above neutral, thicker the\n"
		"    higher, the consortia as shaded groups, sectors as shapes;\n"
		"  - each consortium's members with sector, services and fit, the services\n"
		"    the rules require against those offered, and its score;\n"
		"  - the session's title, rules and scoring in words, the status (optimal\n"
		"    with proof, or the gap), the engine and the date;\n"
		"  - whether the proposal is stable (who would fit better elsewhere, and\n"
		"    whether the rules allow the move), and on request its alternatives and\n"
		"    how sure each member's place is.\n"
		"\n"
		"Options:\n"
		"  --proposal FILE     report this consort-proposal/1 file (made for this\n"
		"                      session, e.g. by 'consort solve --format json'); without\n"
		"                      it the session is solved first (as 'consort solve')\n"
		"  -o, --output FILE   write the page there (atomically) instead of standard output\n"
		"  --svg-dir DIR       also write DIR/heatmap.svg and DIR/network.svg (standalone\n"
		"                      SVG, for slides); DIR is created when missing\n"
		"  --time-limit S      seconds for the solve without --proposal (default 60;\n"
		"                      0 = no limit)\n"
		"  --seed N            seed of the solve's heuristic, the network layout and the\n"
		"                      confidence samples (default 1); the same input gives the\n"
		"                      same report\n"
		"  --alternatives N    also the next N best line-ups (as 'consort solve'), each\n"
		"                      with its total, its cost and who is placed differently\n"
		"  --differ D          each alternative differs by at least D members (default 1)\n"
		"  --confidence SAMPLES\n"
		"                      re-solve on ratings perturbed by their own noise (as\n"
		"                      'consort solve --confidence', 2 s a sample): each member's\n"
		"                      share of samples that keep it with its consortium mates\n"
		"  -h, --help          show this help\n"
		"\n"
		"Exit status: 0 written; 1 written, but the rules cannot be met or no proposal\n"
		"was found in the time limit (the report says so); 2 usage or input error\n"
		"(nothing is written); 3 internal error.\n"
		"\n"
		"Example:\n"
		"  consort report examples/pirkanmaa-2018.json -o report.html --svg-dir slides\n", out);
}

typedef struct report_args {
	const char *session, *proposal, *output, *svg_dir;
	double time_limit;
	unsigned long seed;
	int alternatives, differ, samples;
} report_args;

/* Applies one option's value; 0, or an exit code after a message. */
static int set_option(report_args *a, const char *name, const char *v)
{
	if (strcmp(name, "--proposal") == 0) {
		a->proposal = v;
	} else if (strcmp(name, "--svg-dir") == 0) {
		if (!*v) {
			cli_error("report: --svg-dir: expected a directory");
			return CLI_EXIT_USAGE;
		}
		a->svg_dir = v;
	} else if (strcmp(name, "--time-limit") == 0) {
		if (cli_parse_seconds(v, &a->time_limit) < 0) {
			cli_error("report: --time-limit '%s': expected a number of seconds (0 = no limit)", v);
			return CLI_EXIT_USAGE;
		}
	} else if (strcmp(name, "--alternatives") == 0 || strcmp(name, "--differ") == 0 ||
		   strcmp(name, "--confidence") == 0) {
		int lo = strcmp(name, "--alternatives") == 0 ? 0 : 1;
		int hi = strcmp(name, "--confidence") == 0 ? 100000 : 1000;
		int *to = name[2] == 'a' ? &a->alternatives : name[2] == 'd' ? &a->differ : &a->samples;
		if (cli_parse_count(v, lo, hi, to) < 0) {
			cli_error("report: %s '%s': expected a whole number %d..%d", name, v, lo, hi);
			return CLI_EXIT_USAGE;
		}
	} else if (strcmp(name, "--seed") == 0) {
		int seed;
		if (cli_parse_count(v, 0, 999999999, &seed) < 0) {
			cli_error("report: --seed '%s': expected a whole number 0..999999999", v);
			return CLI_EXIT_USAGE;
		}
		a->seed = (unsigned long)seed;
	} else {
		a->output = v; /* -o, --output */
	}
	return 0;
}

/* Returns -1 to go on, or an exit code. */
static int parse_args(int argc, char **argv, report_args *a)
{
	static const char *const names[] = {"--proposal", "--svg-dir", "--time-limit", "--seed",
		"--alternatives", "--differ", "--confidence", "--output", "-o"};
	int npos = 0, only_args = 0;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (only_args || arg[0] != '-' || arg[1] == '\0') {
			if (npos++ == 0)
				a->session = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_args = 1;
			continue;
		}
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			cli_report_help(stdout);
			return CLI_EXIT_OK;
		}
		const char *name = NULL;
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]) && !name; k++)
			if (cli_is_option(arg, names[k]))
				name = names[k];
		if (!name) {
			cli_error("report: unknown option '%s' (see 'consort help report')", arg);
			return CLI_EXIT_USAGE;
		}
		const char *v = cli_option_value("report", argc, argv, &i, name);
		if (!v)
			return CLI_EXIT_USAGE;
		int code = set_option(a, name, v);
		if (code)
			return code;
	}
	if (npos != 1) {
		cli_error("report: expected one SESSION.json, got %d file%s (see 'consort help report')",
			npos, npos == 1 ? "" : "s");
		return CLI_EXIT_USAGE;
	}
	return -1;
}

static int get_proposal(consort_proposal **p, const consort_session *s, const report_args *a,
	consort_error *err)
{
	if (a->proposal)
		return consort_proposal_load(p, a->proposal, s, err);
	consort_solve_options o;
	consort_solve_options_init(&o);
	o.time_limit = a->time_limit;
	o.seed = a->seed;
	o.alternatives = a->alternatives;
	o.differ = a->differ;
	return consort_solve(p, s, &o, err);
}

/* Stability always; confidence when asked for (only a found proposal has either). */
static int get_advice(consort_advice **adv, const consort_proposal *p, const consort_session *s,
	const report_args *a, consort_error *err)
{
	*adv = NULL;
	consort_status st = consort_proposal_status(p);
	if (st != CONSORT_STATUS_OPTIMAL && st != CONSORT_STATUS_FEASIBLE)
		return 0;
	int rc = consort_advice_new(adv, p, s, err);
	if (rc == 0 && a->samples) {
		consort_confidence_options co;
		consort_confidence_options_init(&co);
		co.samples = (size_t)a->samples;
		co.seed = a->seed;
		rc = consort_advice_confidence(*adv, &co, err);
	}
	return rc;
}

/* DIR/heatmap.svg and DIR/network.svg, each written atomically. */
static int write_svgs(const char *dir, const consort_session *s, const consort_proposal *p,
	const consort_report_options *ro, consort_error *err)
{
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		cli_error("report: --svg-dir '%s': cannot create it: %s", dir, strerror(errno));
		return CLI_EXIT_USAGE;
	}
	static const char *const files[2] = {"heatmap.svg", "network.svg"};
	for (int k = 0; k < 2; k++) {
		char *svg = NULL;
		int rc = k == 0 ? consort_report_heatmap_svg(&svg, s, p, ro, err)
			: consort_report_network_svg(&svg, s, p, ro, err);
		if (rc < 0)
			return cli_fail(err);
		size_t len = strlen(dir) + strlen(files[k]) + 2;
		char *path = malloc(len);
		if (!path) {
			free(svg);
			cli_error("out of memory");
			return CLI_EXIT_INTERNAL;
		}
		snprintf(path, len, "%s/%s", dir, files[k]);
		rc = consort_write_file(path, svg, strlen(svg), err);
		free(path);
		free(svg);
		if (rc < 0)
			return cli_fail(err);
	}
	return CLI_EXIT_OK;
}

int cli_report(int argc, char **argv)
{
	report_args a = {NULL, NULL, NULL, NULL, 60, 1, 0, 1, 0};
	int code = parse_args(argc, argv, &a);
	if (code >= 0)
		return code;
	consort_error err;
	consort_error_clear(&err);
	consort_session *s = NULL;
	consort_proposal *p = NULL;
	consort_advice *adv = NULL;
	char *html = NULL;
	consort_report_options ro;
	consort_report_options_init(&ro);
	ro.seed = a.seed;
	int rc = consort_session_load(&s, a.session, &err);
	if (rc == 0)
		rc = get_proposal(&p, s, &a, &err);
	if (rc == 0)
		rc = get_advice(&adv, p, s, &a, &err);
	ro.advice = adv;
	if (rc == 0)
		rc = consort_report_html(&html, s, p, &ro, &err);
	/* The pictures first: a failure there leaves the page unwritten too. */
	if (rc < 0)
		code = cli_fail(&err);
	else if (a.svg_dir)
		code = write_svgs(a.svg_dir, s, p, &ro, &err);
	else
		code = CLI_EXIT_OK;
	if (code == CLI_EXIT_OK)
		code = cli_output(a.output, html);
	if (code == CLI_EXIT_OK) {
		consort_status st = consort_proposal_status(p);
		if (st == CONSORT_STATUS_INFEASIBLE || st == CONSORT_STATUS_STOPPED)
			code = CLI_EXIT_NOSOLUTION;
	}
	free(html);
	consort_advice_free(adv);
	consort_proposal_free(p);
	consort_session_free(s);
	return code;
}
