/* The consultant's options of `consort solve` (--why, --compare, --confidence):
 * parsing them and writing the proposal with the advice (consort/advice.h). */
#include "cli.h"
#include "solve_advice.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_advice_help(FILE *out)
{
	fprintf(out,
		"The consultant's questions (README \"Consultant's session\"); every proposal\n"
		"also reports each member's fit, the fairness of the fits and its stability:\n"
		"  --why[=ID]             for every member (or only ID; also --why ID): its fit\n"
		"                         to each consortium, the pairs that pull it in and push\n"
		"                         it out, and the rules that keep it from moving\n"
		"  --compare PROPOSAL.json\n"
		"                         compare with an earlier proposal: its objective under\n"
		"                         this session, the difference and who moves\n"
		"  --confidence SAMPLES   re-solve on ratings perturbed by a per-rater residual\n"
		"                         bootstrap; how often pairs end up together\n"
		"  --confidence-seed S    seed of the samples (default 1)\n"
		"  --confidence-time SECONDS\n"
		"                         time limit of each sample (default 2)\n"
		"  --threads N            workers for the samples (default: one per core)\n"
		"  --progress             \"sample i/N\" on stderr even when it is not a terminal\n");
}

int cli_solve_usage(const char *fmt, ...)
{
	va_list ap;
	fputs("consort: solve: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see 'consort help solve')\n", stderr);
	return CLI_EXIT_USAGE;
}

int cli_advice_option(cli_advice_args *a, int opt, const char *value)
{
	int count;
	switch (opt) {
	case CLI_OPT_WHY:
		a->why = 1;
		a->why_id = value;
		return 0;
	case CLI_OPT_COMPARE: a->compare = value; return 0;
	case CLI_OPT_CONFIDENCE:
		if (cli_parse_count(value, 1, 100000, &count) != 0)
			return cli_solve_usage("--confidence: '%s' is not a number of samples 1..100000", value);
		a->samples = (size_t)count;
		return 0;
	case CLI_OPT_CONFIDENCE_SEED: {
		char *end;
		a->seed = strtoul(value, &end, 10);
		if (end == value || *end || value[0] == '-')
			return cli_solve_usage("--confidence-seed: '%s' is not a non-negative integer", value);
		a->has_seed = 1;
		return 0;
	}
	case CLI_OPT_CONFIDENCE_TIME:
		if (cli_parse_seconds(value, &a->sample_time) != 0 || a->sample_time <= 0)
			return cli_solve_usage("--confidence-time: '%s' is not a positive number of seconds", value);
		return 0;
	case CLI_OPT_THREADS:
		if (cli_parse_count(value, 1, 256, &a->threads) != 0)
			return cli_solve_usage("--threads: '%s' is not a number of threads 1..256", value);
		return 0;
	case CLI_OPT_PROGRESS: a->progress = 1; return 0;
	}
	return cli_solve_usage("unknown option code %d", opt);
}

/* "--why ID": the word after a bare --why is its ID when it is not the session. */
void cli_advice_prescan(cli_advice_args *a, int argc, char **argv)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--why") == 0 && argv[i + 1][0] != '-')
			a->why_next = argv[i + 1];
}

int cli_advice_positional(cli_advice_args *a, int npos, char **pos, const char **session)
{
	if (npos == 2 && a->why && !a->why_id && a->why_next) {
		int k = strcmp(pos[0], a->why_next) == 0 ? 0 : strcmp(pos[1], a->why_next) == 0 ? 1 : -1;
		if (k >= 0) {
			a->why_id = pos[k];
			*session = pos[1 - k];
			return 0;
		}
	}
	return -1;
}

static void on_sample(size_t done, size_t total, void *data)
{
	(void)data;
	fprintf(stderr, "\rsample %zu/%zu", done, total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

int cli_advice_render(char **text, const consort_proposal *p, const consort_session *s, const cli_advice_args *a,
	int json, int quiet)
{
	consort_error err;
	consort_error_clear(&err);
	consort_advice *adv = NULL;
	consort_proposal *earlier = NULL;
	unsigned sections = 0;
	int rc = consort_advice_new(&adv, p, s, &err);
	if (rc < 0)
		return cli_fail(&err);
	int solved = consort_proposal_status(p) == CONSORT_STATUS_OPTIMAL ||
		consort_proposal_status(p) == CONSORT_STATUS_FEASIBLE;
	if (a->why) {
		sections |= CONSORT_ADVICE_WHY;
		if (a->why_id) {
			long i = consort_session_find(s, a->why_id);
			if (i < 0) {
				consort_advice_free(adv);
				return cli_solve_usage("--why: '%s' is not a participant of the session", a->why_id);
			}
			consort_advice_why_only(adv, i);
		}
	}
	if (a->compare && solved) {
		sections |= CONSORT_ADVICE_COMPARE;
		if ((rc = consort_proposal_load_rescored(&earlier, a->compare, s, &err)) < 0 ||
		    (rc = consort_advice_compare(adv, earlier, &err)) < 0) {
			consort_proposal_free(earlier);
			consort_advice_free(adv);
			if (rc == CONSORT_EUSAGE)
				err.code = CONSORT_EINVALID; /* the file is the user's input */
			return cli_fail(&err);
		}
	}
	if (a->samples && solved) {
		consort_confidence_options co;
		consort_confidence_options_init(&co);
		co.samples = a->samples;
		if (a->has_seed)
			co.seed = a->seed;
		if (a->sample_time > 0)
			co.time_limit = a->sample_time;
		co.threads = a->threads;
		if (!quiet && (a->progress || isatty(2)))
			co.progress = on_sample;
		sections |= CONSORT_ADVICE_CONFIDENCE;
		if ((rc = consort_advice_confidence(adv, &co, &err)) < 0) {
			consort_proposal_free(earlier);
			consort_advice_free(adv);
			return cli_fail(&err);
		}
	}
	rc = json ? consort_advice_to_json(text, adv, sections, &err) : consort_advice_to_text(text, adv, sections, &err);
	consort_proposal_free(earlier);
	consort_advice_free(adv);
	return rc < 0 ? cli_fail(&err) : CLI_EXIT_OK;
}
