/* Literature benchmark (issue "Solve large networks", item 5): consort_solve on the
 * published CP-Lib and MDGPLIB instances, against the best values in the literature.
 *
 *   build/bench/bench_literature [--budget SECONDS|n/D]... [--set abr|random|mdgp|all]
 *       [--filter SUBSTRING]... [--class WORD] [--min-n N] [--max-n N] [--shared DIR]
 *       [--out FILE.tsv] [--append] [--engine auto|heuristic|exact] [--seed N] [--grace S]
 *
 * Reads DIR/best-known.tsv (default ../shared/bench, i.e. run from the repository
 * root) and solves every listed instance of the chosen sets at every budget. Each
 * solve runs in a forked child so that each row has its own peak memory (VmHWM,
 * reset at the child's start) and a crash or a runaway solve costs one row, not
 * the run: the child is killed after 2 x budget + grace seconds. Each row is
 * checked against the literature: a proved optimum below the best known value, a
 * bound below it, or an objective above the bound is an engine bug, flagged in the
 * `check` column and on stderr. One progress line per solve on stderr; a markdown
 * summary per set and budget on stdout. */
#define _DEFAULT_SOURCE /* wait4, for the peak RSS of a child that was killed */
#include "consort.h"
#include "benchutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* ---- the instances ---- */

typedef enum { SET_ABR, SET_RANDOM, SET_MDGP, NSETS } set_kind;
static const char *SETNAME[] = {"abr", "random", "mdgp"};

typedef struct instance {
	set_kind set;
	char name[128];
	char path[1024];
	int n;
	char groups[16];
	double best;
	int proven;
	char source[256];
	char cls[32];   /* CP-Lib difficulty class (easy, non-trivial, challenging) or "NA" */
} instance;

typedef struct budget {
	double secs;    /* fixed budget, or */
	double per_n;   /* > 0: the budget is n / per_n seconds */
	char label[16];
} budget;

typedef struct config {
	const char *shared;
	int sets[NSETS];
	const char *filters[64];
	int nfilters;
	const char *cls;
	int min_n, max_n;
	consort_engine engine;
	const char *engine_name;
	unsigned long seed;
	double grace;
} config;

static int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int selected(const config *c, const instance *in)
{
	if (!c->sets[in->set] || in->n < c->min_n || (c->max_n > 0 && in->n > c->max_n))
		return 0;
	if (c->cls && strcmp(in->cls, c->cls) != 0)
		return 0;
	if (c->nfilters == 0)
		return 1;
	for (int i = 0; i < c->nfilters; i++)
		if (strstr(in->name, c->filters[i]))
			return 1;
	return 0;
}

/* Reads DIR/best-known.tsv (set, instance, n, groups, best_known, proven_optimal,
 * source) and keeps the selected instances whose file is present. */
static instance *read_instances(const config *c, size_t *count)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/best-known.tsv", c->shared);
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "bench_literature: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	instance *v = NULL;
	size_t nv = 0, cap = 0;
	char line[2048];
	int lineno = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (lineno == 1 || line[0] == '\0')
			continue; /* header */
		char *field[7];
		int nf = 0;
		char *save = NULL;
		for (char *t = strtok_r(line, "\t", &save); t && nf < 7; t = strtok_r(NULL, "\t", &save))
			field[nf++] = t;
		if (nf < 6) {
			fprintf(stderr, "bench_literature: %s:%d: expected 7 tab-separated fields\n", path, lineno);
			continue;
		}
		instance in;
		memset(&in, 0, sizeof(in));
		snprintf(in.name, sizeof(in.name), "%s", field[1]);
		in.n = atoi(field[2]);
		snprintf(in.groups, sizeof(in.groups), "%s", field[3]);
		in.best = strtod(field[4], NULL);
		in.proven = strcmp(field[5], "yes") == 0;
		snprintf(in.source, sizeof(in.source), "%s", nf > 6 ? field[6] : "");
		const char *d = strstr(in.source, "difficulty ");
		snprintf(in.cls, sizeof(in.cls), "%.*s", d ? (int)strcspn(d + 11, " ;,") : 2, d ? d + 11 : "NA");
		if (strcmp(field[0], "cplib") == 0) {
			snprintf(in.path, sizeof(in.path), "%s/cplib/ABR/%s.txt", c->shared, in.name);
			in.set = SET_ABR;
			if (!file_exists(in.path)) {
				snprintf(in.path, sizeof(in.path), "%s/cplib/Random/%s.txt", c->shared, in.name);
				in.set = SET_RANDOM;
			}
		} else if (strcmp(field[0], "mdgplib") == 0) {
			snprintf(in.path, sizeof(in.path), "%s/mdgplib/%s.txt", c->shared, in.name);
			in.set = SET_MDGP;
		} else {
			fprintf(stderr, "bench_literature: %s:%d: unknown set \"%s\"\n", path, lineno, field[0]);
			continue;
		}
		if (!file_exists(in.path)) {
			fprintf(stderr, "bench_literature: %s:%d: no file for %s (looked for %s)\n", path, lineno,
				in.name, in.path);
			continue;
		}
		if (!selected(c, &in))
			continue;
		if (nv == cap) {
			cap = cap ? 2 * cap : 64;
			instance *nvp = realloc(v, cap * sizeof(*v));
			if (!nvp) {
				fprintf(stderr, "bench_literature: out of memory\n");
				exit(3);
			}
			v = nvp;
		}
		v[nv++] = in;
	}
	fclose(f);
	*count = nv;
	return v;
}

/* ---- one solve, in a child process ---- */

typedef struct result {
	int rc;                /* consort_* return code of load or solve; 0 when solved */
	int status;            /* consort_status */
	double objective, bound, seconds, load_s, peak_mib;
	double recomputed;     /* objective summed from the members and the file's weights */
	int checked;           /* 1: consort_proposal_check accepted the proposal */
	char engine[16];
	char message[CONSORT_ERROR_MAX + 16];
} result;

/* Sum of the weights inside each consortium of p: the objective, recomputed
 * without the engines' code. */
static double recompute(const consort_proposal *p, const consort_session *s)
{
	double *w = NULL;
	if (consort_scoring_weights(&w, s, NULL) < 0)
		return NAN;
	size_t n = consort_session_count(s);
	double sum = 0;
	for (size_t k = 0; k < consort_proposal_count(p); k++) {
		size_t m;
		const size_t *mem = consort_proposal_members(p, k, &m);
		for (size_t a = 0; a < m; a++)
			for (size_t b = a + 1; b < m; b++)
				sum += w[mem[a] * n + mem[b]];
	}
	free(w);
	return sum;
}

static void child_solve(const instance *in, double limit, const config *c, result *r)
{
	bench_reset_peak();
	consort_error err;
	consort_session *s = NULL;
	double t0 = bench_now();
	r->rc = consort_bench_load(&s, in->path, in->set == SET_MDGP ? CONSORT_BENCH_MDGP : CONSORT_BENCH_CPLIB,
		&err);
	r->load_s = bench_now() - t0;
	if (r->rc < 0) {
		snprintf(r->message, sizeof(r->message), "load: %s", err.message);
		return;
	}
	consort_solve_options o;
	consort_solve_options_init(&o);
	o.time_limit = limit;
	o.engine = c->engine;
	o.seed = c->seed;
	o.explain = 0;
	consort_proposal *p = NULL;
	t0 = bench_now();
	r->rc = consort_solve(&p, s, &o, &err);
	r->seconds = bench_now() - t0;
	r->peak_mib = bench_proc_mib("VmHWM");
	if (r->rc < 0) {
		snprintf(r->message, sizeof(r->message), "solve: %s", err.message);
		consort_session_free(s);
		return;
	}
	r->status = (int)consort_proposal_status(p);
	r->objective = consort_proposal_objective(p);
	r->bound = consort_proposal_bound(p);
	snprintf(r->engine, sizeof(r->engine), "%s", consort_proposal_engine(p));
	if (r->status == CONSORT_STATUS_OPTIMAL || r->status == CONSORT_STATUS_FEASIBLE) {
		r->recomputed = recompute(p, s);
		r->checked = consort_proposal_check(p, s, &err) == 0;
		if (!r->checked)
			snprintf(r->message, sizeof(r->message), "check: %s", err.message);
	}
	consort_proposal_free(p);
	consort_session_free(s);
}

typedef enum { RUN_OK, RUN_ERROR, RUN_CRASH, RUN_KILLED } run_kind;

typedef struct child_args {
	const instance *in;
	double limit;
	const config *c;
} child_args;

static void child_entry(void *arg, void *out)
{
	child_args *a = arg;
	child_solve(a->in, a->limit, a->c, out);
}

/* Solves in a forked child (bench_run_forked), killed after `kill_after`
 * seconds. When the child could not report its own peak memory (killed,
 * crashed), it is taken from wait4's ru_maxrss. */
static run_kind run_child(const instance *in, double limit, const config *c, double kill_after, result *r,
	int *signo)
{
	memset(r, 0, sizeof(*r));
	r->objective = r->bound = r->recomputed = NAN;
	child_args a = {in, limit, c};
	double secs, maxrss;
	bench_run_kind k = bench_run_forked(child_entry, &a, r, sizeof(*r), kill_after, &secs, signo, &maxrss);
	run_kind kind = k == BENCH_RUN_KILLED ? RUN_KILLED : k == BENCH_RUN_CRASH ? RUN_CRASH
		: r->rc < 0 ? RUN_ERROR : RUN_OK;
	if (k != BENCH_RUN_OK)
		r->seconds = secs;
	if (kind != RUN_OK || !isfinite(r->peak_mib))
		r->peak_mib = maxrss;
	return kind;
}

/* ---- rows and the summary ---- */

typedef struct row {
	set_kind set;
	int budget;        /* index into the budgets */
	double gap;        /* NAN when no proposal */
	int at_best, proved, flagged, failed;
} row;

static void fmt_num(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "NA");
	else if (isinf(v))
		snprintf(buf, len, v > 0 ? "inf" : "-inf");
	else
		snprintf(buf, len, "%.6f", v);
}

/* Appends the literature checks of one result to `check`; returns 1 when one
 * of them is an engine bug (not a new best value, which is good news). */
static int literature_checks(const instance *in, const result *r, int has_obj, char *check, size_t len)
{
	double tol = 5e-4 + 1e-9 * fabs(in->best); /* MDGPLIB values are given to 3 decimals */
	int bug = 0;
	size_t at = 0;
	check[0] = '\0';
#define ADD(...) (at += (size_t)snprintf(check + at, at < len ? len - at : 0, __VA_ARGS__))
	if (has_obj && !r->checked) {
		ADD("%sBUG proposal_check failed (%s)", at ? "; " : "", r->message);
		bug = 1;
	}
	if (has_obj && fabs(r->recomputed - r->objective) > 1e-6 * fmax(1, fabs(r->objective))) {
		ADD("%sBUG objective %.6f but members sum to %.6f", at ? "; " : "", r->objective, r->recomputed);
		bug = 1;
	}
	if (has_obj && r->status == CONSORT_STATUS_OPTIMAL && r->objective < in->best - tol) {
		ADD("%sBUG optimal %.6f below best known %.6f", at ? "; " : "", r->objective, in->best);
		bug = 1;
	}
	if (isfinite(r->bound) && r->bound < in->best - tol) {
		ADD("%sBUG bound %.6f below best known %.6f", at ? "; " : "", r->bound, in->best);
		bug = 1;
	}
	if (has_obj && isfinite(r->bound) && r->objective > r->bound + tol) {
		ADD("%sBUG objective %.6f above bound %.6f", at ? "; " : "", r->objective, r->bound);
		bug = 1;
	}
	if (has_obj && r->objective > in->best + tol) {
		if (in->proven) {
			ADD("%sBUG objective %.6f above proven optimum %.6f", at ? "; " : "", r->objective, in->best);
			bug = 1;
		} else {
			ADD("%snew best %.6f > %.6f", at ? "; " : "", r->objective, in->best);
		}
	}
#undef ADD
	if (!check[0])
		snprintf(check, len, "ok");
	return bug;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: bench_literature [--budget SECONDS|n/D]... [--set abr|random|mdgp|all]\n"
		"           [--filter SUBSTRING]... [--class WORD] [--min-n N] [--max-n N] [--shared DIR]\n"
		"           [--out FILE.tsv] [--append] [--engine auto|heuristic|exact] [--seed N] [--grace S]\n");
	exit(2);
}

static int parse_budget(budget *b, const char *arg)
{
	char *end;
	memset(b, 0, sizeof(*b));
	snprintf(b->label, sizeof(b->label), "%s", arg);
	if (strncmp(arg, "n/", 2) == 0) {
		b->per_n = strtod(arg + 2, &end);
		return *end == '\0' && b->per_n > 0 ? 0 : -1;
	}
	b->secs = strtod(arg, &end);
	return *end == '\0' && b->secs > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	config c;
	memset(&c, 0, sizeof(c));
	c.shared = "../shared/bench";
	c.engine = CONSORT_ENGINE_AUTO;
	c.engine_name = "auto";
	c.seed = 1;
	c.grace = 30;
	budget budgets[16];
	int nbudgets = 0, append = 0;
	const char *set = "all", *out = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--append") == 0) {
			append = 1;
			continue;
		}
		if (!v)
			usage();
		i++;
		if (strcmp(a, "--budget") == 0) {
			if (nbudgets == 16 || parse_budget(&budgets[nbudgets++], v) < 0)
				usage();
		} else if (strcmp(a, "--set") == 0) {
			set = v;
		} else if (strcmp(a, "--filter") == 0) {
			if (c.nfilters == 64)
				usage();
			c.filters[c.nfilters++] = v;
		} else if (strcmp(a, "--class") == 0) {
			c.cls = v;
		} else if (strcmp(a, "--min-n") == 0) {
			c.min_n = atoi(v);
		} else if (strcmp(a, "--max-n") == 0) {
			c.max_n = atoi(v);
		} else if (strcmp(a, "--shared") == 0) {
			c.shared = v;
		} else if (strcmp(a, "--out") == 0) {
			out = v;
		} else if (strcmp(a, "--seed") == 0) {
			c.seed = strtoul(v, NULL, 10);
		} else if (strcmp(a, "--grace") == 0) {
			c.grace = strtod(v, NULL);
		} else if (strcmp(a, "--engine") == 0) {
			c.engine_name = v;
			if (strcmp(v, "auto") == 0)
				c.engine = CONSORT_ENGINE_AUTO;
			else if (strcmp(v, "heuristic") == 0)
				c.engine = CONSORT_ENGINE_HEURISTIC;
			else if (strcmp(v, "exact") == 0)
				c.engine = CONSORT_ENGINE_EXACT;
			else
				usage();
		} else {
			usage();
		}
	}
	if (nbudgets == 0)
		parse_budget(&budgets[nbudgets++], "10");
	if (strcmp(set, "all") == 0) {
		for (int k = 0; k < NSETS; k++)
			c.sets[k] = 1;
	} else {
		int k = 0;
		while (k < NSETS && strcmp(set, SETNAME[k]) != 0)
			k++;
		if (k == NSETS)
			usage();
		c.sets[k] = 1;
	}

	size_t ninst;
	instance *inst = read_instances(&c, &ninst);
	if (ninst == 0) {
		fprintf(stderr, "bench_literature: no instance selected\n");
		free(inst);
		return 2;
	}
	FILE *tsv = stdout;
	int header = 1;
	if (out) {
		struct stat st;
		if (append && stat(out, &st) == 0 && st.st_size > 0)
			header = 0;
		tsv = fopen(out, append ? "a" : "w");
		if (!tsv) {
			fprintf(stderr, "bench_literature: %s: %s\n", out, strerror(errno));
			return 3;
		}
	}
	if (header)
		fprintf(tsv, "set\tinstance\tn\tgroups\tbudget_s\tengine\tobjective\tbest_known\tgap_pct\tbound\tproved"
			"\tseconds\tpeak_mib\tstatus\tused\tbudget\tload_s\tclass\tcheck\n");
	fflush(tsv);

	size_t nrows = ninst * (size_t)nbudgets, done = 0;
	row *rows = calloc(nrows, sizeof(row));
	if (!rows)
		return 3;
	for (size_t ii = 0; ii < ninst; ii++) {
		const instance *in = &inst[ii];
		for (int bi = 0; bi < nbudgets; bi++) {
			double limit = budgets[bi].per_n > 0 ? in->n / budgets[bi].per_n : budgets[bi].secs;
			result r;
			int signo = 0;
			run_kind kind = run_child(in, limit, &c, 2 * limit + c.grace, &r, &signo);
			int has_obj = kind == RUN_OK &&
				(r.status == CONSORT_STATUS_OPTIMAL || r.status == CONSORT_STATUS_FEASIBLE);
			const char *status = kind == RUN_OK ? consort_status_name((consort_status)r.status)
				: kind == RUN_ERROR ? "error" : kind == RUN_CRASH ? "crash" : "killed";
			char check[1024];
			int bug = 0;
			if (kind == RUN_OK) {
				bug = literature_checks(in, &r, has_obj, check, sizeof(check));
				/* Not an error, but a user's time limit should hold within a little. */
				if (r.seconds > limit + fmax(0.5, 0.1 * limit)) {
					size_t at = strcmp(check, "ok") ? strlen(check) : 0;
					snprintf(check + at, sizeof(check) - at, "%sran %.2f s over the time limit",
						at ? "; " : "", r.seconds - limit);
				}
			} else if (kind == RUN_ERROR) {
				snprintf(check, sizeof(check), "BUG %s", r.message);
				bug = 1;
			} else if (kind == RUN_CRASH) {
				snprintf(check, sizeof(check), "BUG crash (%s)", signo ? strsignal(signo) : "no result");
				bug = 1;
			} else {
				snprintf(check, sizeof(check), "BUG still running after %g s: killed", 2 * limit + c.grace);
				bug = 1;
			}
			double gap = has_obj ? (in->best - r.objective) / fabs(in->best) * 100 : NAN;
			row *rw = &rows[done++];
			rw->set = in->set;
			rw->budget = bi;
			rw->gap = gap;
			rw->at_best = has_obj && r.objective >= in->best - (5e-4 + 1e-9 * fabs(in->best));
			rw->proved = kind == RUN_OK && r.status == CONSORT_STATUS_OPTIMAL;
			rw->flagged = bug;
			rw->failed = !has_obj;

			char obj[32], bnd[32], gp[32], secs[32], peak[32], load[32];
			fmt_num(obj, sizeof(obj), has_obj ? r.objective : NAN);
			fmt_num(bnd, sizeof(bnd), kind == RUN_OK ? r.bound : NAN);
			fmt_num(gp, sizeof(gp), gap);
			fmt_num(secs, sizeof(secs), r.seconds);
			fmt_num(load, sizeof(load), kind == RUN_OK ? r.load_s : NAN);
			snprintf(peak, sizeof(peak), "%.1f", r.peak_mib);
			fprintf(tsv, "%s\t%s\t%d\t%s\t%.3f\t%s\t%s\t%.6f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
				SETNAME[in->set], in->name, in->n, in->groups, limit, c.engine_name, obj, in->best, gp, bnd,
				rw->proved ? "yes" : "no", secs, peak, status, kind == RUN_OK ? r.engine : "NA",
				budgets[bi].label, load, in->cls, check);
			fflush(tsv);
			fprintf(stderr, "[%zu/%zu] %s/%s n=%d budget %gs: %s obj %s best %g gap %s%% %s in %.2fs, %s MiB%s%s\n",
				done, nrows, SETNAME[in->set], in->name, in->n, limit, status, obj, in->best, gp,
				kind == RUN_OK ? r.engine : "", r.seconds, peak, strcmp(check, "ok") ? " -- " : "",
				strcmp(check, "ok") ? check : "");
		}
	}
	if (out)
		fclose(tsv);

	/* Summary of this run, per set and budget (markdown, on stdout). */
	printf("| set | budget (s) | instances | at best known | mean gap %% | max gap %% | proved optimal "
		"| no proposal | flagged |\n|---|---|---|---|---|---|---|---|---|\n");
	for (int si = 0; si < NSETS; si++)
		for (int bi = 0; bi < nbudgets; bi++) {
			int count = 0, at_best = 0, proved = 0, flagged = 0, failed = 0, ngap = 0;
			double sum = 0, worst = -HUGE_VAL;
			for (size_t k = 0; k < done; k++) {
				const row *rw = &rows[k];
				if ((int)rw->set != si || rw->budget != bi)
					continue;
				count++;
				at_best += rw->at_best;
				proved += rw->proved;
				flagged += rw->flagged;
				failed += rw->failed;
				if (!isnan(rw->gap)) {
					ngap++;
					sum += rw->gap;
					worst = fmax(worst, rw->gap);
				}
			}
			if (count == 0)
				continue;
			printf("| %s | %s | %d | %d | %.3f | %.3f | %d | %d | %d |\n", SETNAME[si], budgets[bi].label, count,
				at_best, ngap ? sum / ngap : NAN, ngap ? worst : NAN, proved, failed, flagged);
		}
	free(rows);
	free(inst);
	return 0;
}
