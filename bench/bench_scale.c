/* Scaling benchmark (issue "Solve large networks", item 5): simulated sessions of
 * 15 to 2000 participants with planted consortia, solved by consort_solve.
 *
 *   build/bench/bench_scale [--n N,N,...] [--seeds S] [--time-limit SECONDS]
 *       [--engine auto|heuristic|exact] [--out FILE.tsv] [--no-ips] [--no-ttt] [--grace S]
 *
 * For each n (default 15,30,60,120,250,500,1000,2000), K = round(n/50) but at
 * least 2 planted consortia, seeds 1..S (default 3): consort_simulate with its
 * rules (exactly K consortia, size >= 2, both main sectors in each), then
 * consort_solve with the time limit (default 60 s). Each run is a forked child, so
 * that each row has its own memory figures: the heap the session and the
 * problem (the engines' view: weights and resolved rules) hold once built, and
 * the process's peak RSS (VmHWM) over the whole run up to the end of the solve. The proposal is compared with the planted partition by the adjusted
 * Rand index (Hubert & Arabie, "Comparing partitions", J. Classification 2, 1985)
 * and by objective. iters_per_s is the heuristic's throughput, measured after the
 * solve by a run of a fixed number of iterations on the same problem (one
 * iteration: a tabu step, a descent sweep or a restart). t_planted_s is the time
 * the heuristic alone takes to reach the planted partition's objective (it stops
 * at its first solution that good). */
#define _DEFAULT_SOURCE /* wait4, for the peak RSS of a child that was killed */
#include "consort.h"
#include "benchutil.h"
#include "engines/heuristic.h"
#include "problem.h"

#include <malloc.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* Heap bytes in use (glibc mallinfo2: small blocks plus mmap'ed ones), in MiB:
 * exact sizes of what a data structure holds, where RSS moves by whole pages. */
static double heap_mib(void)
{
	struct mallinfo2 mi = mallinfo2();
	return (double)(mi.uordblks + mi.hblkhd) / 1048576.0;
}

/* Adjusted Rand index of two labelings of n items (Hubert & Arabie 1985):
 * (index - expected) / (max - expected), with index = sum_ij C(n_ij, 2) over the
 * contingency table, expected = sum_i C(a_i, 2) sum_j C(b_j, 2) / C(n, 2) and
 * max = (sum_i C(a_i, 2) + sum_j C(b_j, 2)) / 2. Labels are 0..ka-1 and 0..kb-1. */
static double adjusted_rand(const int *a, int ka, const int *b, int kb, size_t n)
{
	long *table = calloc((size_t)ka * (size_t)kb, sizeof(long));
	long *ra = calloc((size_t)ka, sizeof(long)), *cb = calloc((size_t)kb, sizeof(long));
	double ari = NAN;
	if (!table || !ra || !cb)
		goto done;
	for (size_t i = 0; i < n; i++) {
		table[(size_t)a[i] * (size_t)kb + (size_t)b[i]]++;
		ra[a[i]]++;
		cb[b[i]]++;
	}
#define C2(x) ((double)(x) * (double)((x) - 1) / 2)
	double index = 0, sa = 0, sb = 0;
	for (size_t k = 0; k < (size_t)ka * (size_t)kb; k++)
		index += C2(table[k]);
	for (int i = 0; i < ka; i++)
		sa += C2(ra[i]);
	for (int j = 0; j < kb; j++)
		sb += C2(cb[j]);
	double expected = n > 1 ? sa * sb / C2((double)n) : 0;
#undef C2
	double max = (sa + sb) / 2;
	ari = max == expected ? 1.0 : (index - expected) / (max - expected);
done:
	free(table);
	free(ra);
	free(cb);
	return ari;
}

typedef struct config {
	double time_limit, grace;
	consort_engine engine;
	const char *engine_name;
	int ips, ttt;
} config;

typedef struct result {
	int rc;           /* consort_* code of the step that failed; 0 when solved */
	int status;
	double objective, bound, seconds, peak_mib, ari, ips;
	double planted_obj, session_mib, problem_mib, sim_s;
	double t_planted; /* heuristic alone: seconds to reach the planted objective */
	int checked;
	char engine[16];
	char message[CONSORT_ERROR_MAX + 16];
} result;

/* Labels of a proposal for the ARI: consortium k is label k; everyone outside
 * is a singleton of their own. Returns the number of labels. */
static int proposal_labels(const consort_proposal *p, int *label, size_t n)
{
	for (size_t i = 0; i < n; i++)
		label[i] = -1;
	int nl = 0;
	for (size_t k = 0; k < consort_proposal_count(p); k++, nl++) {
		size_t m;
		const size_t *mem = consort_proposal_members(p, k, &m);
		for (size_t a = 0; a < m; a++)
			label[mem[a]] = nl;
	}
	for (size_t i = 0; i < n; i++)
		if (label[i] < 0)
			label[i] = nl++;
	return nl;
}

/* Heuristic iterations per second on the problem of s: a fixed-count run, grown
 * until it lasts about a second. */
static double measure_ips(const consort_session *s)
{
	consort__problem *p = NULL;
	consort_error err;
	if (consort__problem_build(&p, s, &err) < 0)
		return NAN;
	int *assign = malloc((size_t)p->n * sizeof(int));
	double ips = NAN;
	long iters = 200;
	while (assign) {
		consort__heur_options h;
		consort__heur_options_init(&h);
		h.time_limit = 0;
		h.max_iters = iters;
		int k;
		double obj, t0 = bench_now();
		if (consort__heuristic_solve(p, &h, assign, &k, &obj, &err) < 0)
			break;
		double t = bench_now() - t0;
		ips = (double)iters / fmax(t, 1e-9);
		if (t >= 0.5 || iters >= 100000000L)
			break;
		iters = (long)fmin(1e8, (double)iters * fmin(100, 1.0 / fmax(t, 1e-3)));
	}
	free(assign);
	consort__problem_free(p);
	return ips;
}

/* Seconds the heuristic alone (seed 1) needs to reach `target`, which it checks
 * at every improvement; NAN when not reached within the limit. */
static double time_to_target(const consort_session *s, double target, double limit)
{
	consort__problem *p = NULL;
	consort_error err;
	if (consort__problem_build(&p, s, &err) < 0)
		return NAN;
	int *assign = malloc((size_t)p->n * sizeof(int));
	double t = NAN;
	if (assign) {
		consort__heur_options h;
		consort__heur_options_init(&h);
		h.time_limit = limit > 0 ? limit : 60;
		h.has_target = 1;
		h.target = target;
		int k;
		double obj, t0 = bench_now();
		if (consort__heuristic_solve(p, &h, assign, &k, &obj, &err) == 1 &&
			obj >= target - 1e-9 * fmax(1, fabs(target)))
			t = bench_now() - t0;
	}
	free(assign);
	consort__problem_free(p);
	return t;
}

static void child_run(int n, int K, uint64_t seed, const config *c, result *r)
{
	bench_reset_peak();
	consort_error err;
	consort_simulate_options so;
	consort_simulate_defaults(&so);
	so.participants = n;
	so.consortia = K;
	so.seed = seed;
	so.rules = 1;
	consort_session *s = NULL;
	int *planted = NULL;
	double heap0 = heap_mib(), t0 = bench_now();
	r->rc = consort_simulate(&s, &planted, &so, &err);
	r->sim_s = bench_now() - t0;
	if (r->rc < 0) {
		snprintf(r->message, sizeof(r->message), "simulate: %s", err.message);
		return;
	}
	double heap1 = heap_mib();
	r->session_mib = heap1 - heap0;

	/* The problem the engines see (weights and resolved rules), built once here
	 * to measure it; consort_solve builds its own. */
	consort__problem *p = NULL;
	r->rc = consort__problem_build(&p, s, &err);
	if (r->rc < 0) {
		snprintf(r->message, sizeof(r->message), "problem: %s", err.message);
		goto out;
	}
	r->problem_mib = heap_mib() - heap1;
	r->planted_obj = consort__problem_objective(p, planted);
	consort__problem_free(p);

	consort_solve_options o;
	consort_solve_options_init(&o);
	o.time_limit = c->time_limit;
	o.engine = c->engine;
	o.explain = 0;
	consort_proposal *prop = NULL;
	t0 = bench_now();
	r->rc = consort_solve(&prop, s, &o, &err);
	r->seconds = bench_now() - t0;
	r->peak_mib = bench_proc_mib("VmHWM");
	if (r->rc < 0) {
		snprintf(r->message, sizeof(r->message), "solve: %s", err.message);
		goto out;
	}
	r->status = (int)consort_proposal_status(prop);
	r->objective = consort_proposal_objective(prop);
	r->bound = consort_proposal_bound(prop);
	snprintf(r->engine, sizeof(r->engine), "%s", consort_proposal_engine(prop));
	if (r->status == CONSORT_STATUS_OPTIMAL || r->status == CONSORT_STATUS_FEASIBLE) {
		r->checked = consort_proposal_check(prop, s, &err) == 0;
		if (!r->checked)
			snprintf(r->message, sizeof(r->message), "check: %s", err.message);
		int *label = malloc((size_t)n * sizeof(int));
		if (label) {
			int nl = proposal_labels(prop, label, (size_t)n);
			r->ari = adjusted_rand(planted, K, label, nl, (size_t)n);
			free(label);
		}
	}
	consort_proposal_free(prop);
	if (c->ips)
		r->ips = measure_ips(s);
	if (c->ttt && r->objective >= r->planted_obj - 1e-9 * fmax(1, fabs(r->planted_obj)))
		r->t_planted = time_to_target(s, r->planted_obj, c->time_limit);
out:
	free(planted);
	consort_session_free(s);
}

typedef enum { RUN_OK, RUN_ERROR, RUN_CRASH, RUN_KILLED } run_kind;

typedef struct child_args {
	int n, K;
	uint64_t seed;
	const config *c;
} child_args;

static void child_entry(void *arg, void *out)
{
	child_args *a = arg;
	child_run(a->n, a->K, a->seed, a->c, out);
}

/* Runs one (n, seed) in a forked child (bench_run_forked), killed after
 * `kill_after` seconds. */
static run_kind run_child(int n, int K, uint64_t seed, const config *c, double kill_after, result *r,
	int *signo)
{
	memset(r, 0, sizeof(*r));
	r->objective = r->bound = r->ari = r->ips = r->t_planted = NAN;
	child_args a = {n, K, seed, c};
	double secs, maxrss;
	bench_run_kind k = bench_run_forked(child_entry, &a, r, sizeof(*r), kill_after, &secs, signo, &maxrss);
	run_kind kind = k == BENCH_RUN_KILLED ? RUN_KILLED : k == BENCH_RUN_CRASH ? RUN_CRASH
		: r->rc < 0 ? RUN_ERROR : RUN_OK;
	if (k != BENCH_RUN_OK)
		r->seconds = secs;
	if (kind != RUN_OK || !isfinite(r->peak_mib) || r->peak_mib <= 0)
		r->peak_mib = maxrss;
	return kind;
}

static void fmt_num(char *buf, size_t len, double v, int prec)
{
	if (isnan(v))
		snprintf(buf, len, "NA");
	else if (isinf(v))
		snprintf(buf, len, v > 0 ? "inf" : "-inf");
	else
		snprintf(buf, len, "%.*f", prec, v);
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_scale [--n N,N,...] [--seeds S] [--time-limit SECONDS]\n"
		"           [--engine auto|heuristic|exact] [--out FILE.tsv] [--no-ips] [--no-ttt] [--grace S]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	config c = {60, 120, CONSORT_ENGINE_AUTO, "auto", 1, 1};
	int ns[64] = {15, 30, 60, 120, 250, 500, 1000, 2000}, nn = 8, seeds = 3;
	const char *out = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--no-ips") == 0) {
			c.ips = 0;
			continue;
		}
		if (strcmp(a, "--no-ttt") == 0) {
			c.ttt = 0;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		const char *v = argv[++i];
		if (strcmp(a, "--n") == 0) {
			nn = 0;
			for (const char *t = v; *t && nn < 64;) {
				char *end;
				long x = strtol(t, &end, 10);
				if (end == t || x < 2 || x > CONSORT_SIMULATE_MAX)
					usage();
				ns[nn++] = (int)x;
				t = *end == ',' ? end + 1 : end;
				if (*end && *end != ',')
					usage();
			}
		} else if (strcmp(a, "--seeds") == 0) {
			seeds = atoi(v);
		} else if (strcmp(a, "--time-limit") == 0) {
			c.time_limit = strtod(v, NULL);
		} else if (strcmp(a, "--grace") == 0) {
			c.grace = strtod(v, NULL);
		} else if (strcmp(a, "--out") == 0) {
			out = v;
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
	if (seeds < 1 || nn == 0)
		usage();
	FILE *tsv = stdout;
	if (out && !(tsv = fopen(out, "w"))) {
		fprintf(stderr, "bench_scale: %s: %s\n", out, strerror(errno));
		return 3;
	}
	fprintf(tsv, "n\tK\tseed\tstatus\tobjective\tbound\tseconds\tpeak_mib\tari\titers_per_s\tengine\tused"
		"\ttime_limit\tplanted_obj\tsession_mib\tproblem_mib\tsimulate_s\tt_planted_s\tcheck\n");
	fflush(tsv);
	int total = nn * seeds, done = 0;
	for (int ni = 0; ni < nn; ni++) {
		int n = ns[ni];
		int K = (int)lround(n / 50.0);
		if (K < 2)
			K = 2;
		for (int seed = 1; seed <= seeds; seed++) {
			result r;
			int signo = 0;
			double kill_after = (c.time_limit > 0 ? 2 * c.time_limit : 600) + c.grace;
			run_kind kind = run_child(n, K, (uint64_t)seed, &c, kill_after, &r, &signo);
			int has_obj = kind == RUN_OK &&
				(r.status == CONSORT_STATUS_OPTIMAL || r.status == CONSORT_STATUS_FEASIBLE);
			const char *status = kind == RUN_OK ? consort_status_name((consort_status)r.status)
				: kind == RUN_ERROR ? "error" : kind == RUN_CRASH ? "crash" : "killed";
			/* The planted partition meets the simulated rules, so it is a lower
			 * bound on the optimum: a bound below it, or an "optimal" proposal
			 * below it, is an engine bug. */
			double tol = 1e-6 * fmax(1, fabs(r.planted_obj));
			char check[1024];
			size_t at = 0;
			check[0] = '\0';
#define ADD(...) (at += (size_t)snprintf(check + at, at < sizeof(check) ? sizeof(check) - at : 0, __VA_ARGS__))
			if (kind == RUN_ERROR)
				ADD("BUG %s", r.message);
			else if (kind == RUN_CRASH)
				ADD("BUG crash (%s)", signo ? strsignal(signo) : "no result");
			else if (kind == RUN_KILLED)
				ADD("BUG still running after %g s: killed", kill_after);
			if (has_obj && !r.checked)
				ADD("%sBUG proposal_check failed (%s)", at ? "; " : "", r.message);
			if (has_obj && r.status == CONSORT_STATUS_OPTIMAL && r.objective < r.planted_obj - tol)
				ADD("%sBUG optimal %.6f below the planted partition %.6f", at ? "; " : "", r.objective,
					r.planted_obj);
			if (kind == RUN_OK && isfinite(r.bound) && r.bound < r.planted_obj - tol)
				ADD("%sBUG bound %.6f below the planted partition %.6f", at ? "; " : "", r.bound, r.planted_obj);
			if (has_obj && isfinite(r.bound) && r.objective > r.bound + tol)
				ADD("%sBUG objective %.6f above bound %.6f", at ? "; " : "", r.objective, r.bound);
			if (has_obj && r.status != CONSORT_STATUS_OPTIMAL && r.objective < r.planted_obj - tol)
				ADD("%sbelow the planted partition", at ? "; " : "");
			if (kind == RUN_OK && !has_obj)
				ADD("%sno proposal", at ? "; " : "");
			if (kind == RUN_OK && c.time_limit > 0 && r.seconds > c.time_limit + fmax(0.5, 0.1 * c.time_limit))
				ADD("%sran %.2f s over the time limit", at ? "; " : "", r.seconds - c.time_limit);
#undef ADD
			if (!check[0])
				snprintf(check, sizeof(check), "ok");
			char obj[32], bnd[32], secs[32], peak[32], ari[32], ips[32], pl[32], sm[32], pm[32], ss[32],
				tp[32];
			fmt_num(obj, sizeof(obj), has_obj ? r.objective : NAN, 6);
			fmt_num(bnd, sizeof(bnd), kind == RUN_OK ? r.bound : NAN, 6);
			fmt_num(secs, sizeof(secs), r.seconds, 6);
			fmt_num(peak, sizeof(peak), r.peak_mib, 1);
			fmt_num(ari, sizeof(ari), has_obj ? r.ari : NAN, 4);
			fmt_num(ips, sizeof(ips), kind == RUN_OK ? r.ips : NAN, 0);
			fmt_num(pl, sizeof(pl), kind == RUN_OK ? r.planted_obj : NAN, 6);
			fmt_num(sm, sizeof(sm), kind == RUN_OK ? r.session_mib : NAN, 4);
			fmt_num(pm, sizeof(pm), kind == RUN_OK ? r.problem_mib : NAN, 4);
			fmt_num(ss, sizeof(ss), kind == RUN_OK ? r.sim_s : NAN, 3);
			fmt_num(tp, sizeof(tp), kind == RUN_OK ? r.t_planted : NAN, 6);
			fprintf(tsv, "%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%g\t%s\t%s\t%s\t%s\t%s\t%s\n", n,
				K, seed, status, obj, bnd, secs, peak, ari, ips, c.engine_name, kind == RUN_OK ? r.engine : "NA",
				c.time_limit, pl, sm, pm, ss, tp, check);
			fflush(tsv);
			fprintf(stderr, "[%d/%d] n=%d K=%d seed %d: %s obj %s (planted %s) bound %s ARI %s in %.2fs, "
				"peak %s MiB, session %s MiB, problem %s MiB, %s it/s%s%s\n",
				++done, total, n, K, seed, status, obj, pl, bnd, ari, r.seconds, peak, sm, pm, ips,
				strcmp(check, "ok") ? " -- " : "", strcmp(check, "ok") ? check : "");
		}
	}
	if (out)
		fclose(tsv);
	return 0;
}
