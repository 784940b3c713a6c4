/* Workshop-size benchmark (issue: consort core, "Targets"): simulated sessions
 * of 10-60 participants with every rule kind, solved by consort_solve; and the
 * baseline, glpsol on the hand-written all-triangle model bench/glpsol/workshop.mod.
 *
 *   build/bench/bench_workshop [--quick] [--no-glpsol | --glpsol-only] [--only VARIANT] [--out DIR]
 *   build/bench/bench_workshop --unstructured-baseline [--quick] [--out DIR]
 *       unstructured sessions n = 10, 12, 15, K = 2..5: consort, glpsol and an
 *       exhaustive enumeration of every partition side by side (unstructured-baseline.tsv)
 *
 * Writes DIR/workshop.tsv (one row per solve) and DIR/glpsol.tsv, and prints a
 * summary table (markdown) on stdout. Times are wall seconds and CPU seconds:
 * on a shared machine CPU time is the steadier measure. */
#include "consort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* CPU seconds of this process (self) or of its finished children. */
static double cpu(int who)
{
	struct rusage ru;
	getrusage(who, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
		(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef enum {
	V_SECTORS, V_COVER, V_PAIRS, V_SIZE, V_LOTS, V_OPTIONAL,
	/* the same rules on unstructured ratings (one planted group, noise 1.2) */
	V_UNSTRUCTURED, V_U_COVER, V_U_PAIRS, V_U_SIZE, V_U_LOTS, V_U_OPTIONAL, NVARIANTS
} variant;
static const char *VNAME[] = {"sectors", "cover", "pairs", "size", "lots", "optional", "unstructured",
	"unstructured+cover", "unstructured+pairs", "unstructured+size", "unstructured+lots", "unstructured+optional"};

/* The rules of a variant (its planted twin's). */
static variant rules_of(variant v)
{
	return v >= V_UNSTRUCTURED ? (variant)(v - V_UNSTRUCTURED) : v;
}

/* The rules of a variant as JSON (consortia K and mixed sectors in all). */
static void rules_json(char *buf, size_t len, variant v, int n, int K, const consort_session *s)
{
	const char *mix = "\"sectors\": {\"association\": {\"min\": 1}, \"firm\": {\"min\": 1}}";
	const char *id0 = consort_session_participant(s, 0)->id, *id1 = consort_session_participant(s, 1)->id;
	const char *id2 = consort_session_participant(s, 2)->id, *id3 = consort_session_participant(s, 3)->id;
	switch (rules_of(v)) {
	case V_SECTORS:
		snprintf(buf, len, "{\"consortia\": %d, %s}", K, mix);
		break;
	case V_COVER:
		snprintf(buf, len, "{\"consortia\": %d, %s, \"cover\": [\"cleaning\", \"coaching\"]}", K, mix);
		break;
	case V_PAIRS:
		snprintf(buf, len, "{\"consortia\": %d, %s, \"together\": [[\"%s\", \"%s\"]], "
			"\"apart\": [[\"%s\", \"%s\"], [\"%s\", \"%s\"]]}", K, mix, id0, id1, id2, id3, id0, id3);
		break;
	case V_SIZE:
		snprintf(buf, len, "{\"consortia\": %d, %s, \"size\": {\"min\": %d, \"max\": %d}}", K, mix,
			n / K - 1 > 2 ? n / K - 1 : 2, (n + K - 1) / K + 1);
		break;
	case V_LOTS: {
		size_t at = (size_t)snprintf(buf, len, "{%s, \"lots\": [", mix);
		for (int g = 0; g < K; g++)
			at += (size_t)snprintf(buf + at, len - at, "%s{\"name\": \"lot%d\", \"size\": {\"min\": %d, \"max\": %d}%s}",
				g ? ", " : "", g + 1, 2 + g, n / K + 2 + g, g == 0 ? ", \"cover\": [\"cleaning\"]" : "");
		snprintf(buf + at, len - at, "]}");
		break;
	}
	case V_OPTIONAL:
		snprintf(buf, len, "{\"consortia\": %d, %s, \"size\": {\"min\": 3}, \"everyone\": false}", K, mix);
		break;
	default:
		buf[0] = '\0';
	}
}

static consort_session *make_session(variant v, int n, int K, unsigned seed, char *rules, size_t rlen)
{
	consort_simulate_options o;
	consort_simulate_defaults(&o);
	o.participants = n;
	o.consortia = v >= V_UNSTRUCTURED ? 1 : K;
	o.seed = seed;
	o.noise = v >= V_UNSTRUCTURED ? 1.2 : 1.0;
	o.bias = 0.5;
	consort_session *s = NULL;
	consort_error err;
	if (consort_simulate(&s, NULL, &o, &err) < 0) {
		fprintf(stderr, "simulate: %s\n", err.message);
		exit(3);
	}
	rules_json(rules, rlen, v, n, K, s);
	if (consort_session_parse_rules(s, rules, strlen(rules), "bench-rules", &err) < 0) {
		fprintf(stderr, "rules %s: %s\n", rules, err.message);
		exit(3);
	}
	return s;
}

/* ---- the glpsol baseline ---- */

static int write_glpsol_data(const char *path, const consort_session *s, const char *rules_variant,
	int K, const double *w)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	size_t n = consort_session_count(s);
	fprintf(f, "data;\nparam n := %zu;\nparam K := %d;\nset S := association firm public;\n", n, K);
	fprintf(f, "param secmin := association 1 firm 1;\nparam sector :=");
	for (size_t i = 0; i < n; i++)
		fprintf(f, " %zu %s", i + 1, consort_session_participant(s, i)->sector);
	fprintf(f, ";\nset SERV := cleaning coaching;\nset TOGETHER := ;\nset APART := ;\n");
	if (strcmp(rules_variant, "cover") == 0) {
		fprintf(f, "set COVER := cleaning coaching;\nparam offers :=");
		for (size_t i = 0; i < n; i++) {
			const consort_participant *p = consort_session_participant(s, i);
			for (size_t k = 0; k < p->noffers; k++)
				if (strcmp(p->offers[k], "cleaning") == 0 || strcmp(p->offers[k], "coaching") == 0)
					fprintf(f, " [%zu,%s] 1", i + 1, p->offers[k]);
		}
		fprintf(f, ";\n");
	}
	fprintf(f, "param w :=");
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (w[i * n + j] != 0)
				fprintf(f, " [%zu,%zu] %.6g", i + 1, j + 1, w[i * n + j]);
	fprintf(f, ";\nend;\n");
	return fclose(f);
}

/* Runs glpsol; returns wall seconds, *objective from its output (NAN if none). */
static double run_glpsol(const char *model, const char *data, double limit, double *objective, int *solved,
	double *cpu_s)
{
	double c0 = cpu(RUSAGE_CHILDREN);
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "glpsol --math %s --data %s --tmlim %d 2>&1", model, data, (int)limit);
	double t0 = now();
	FILE *p = popen(cmd, "r");
	*objective = NAN;
	*solved = 0;
	if (!p)
		return NAN;
	char line[512];
	while (fgets(line, sizeof(line), p)) {
		double v;
		if (sscanf(line, "objective %lf", &v) == 1)
			*objective = v;
		if (strstr(line, "INTEGER OPTIMAL SOLUTION FOUND"))
			*solved = 1;
		if (strstr(line, "PROBLEM HAS NO PRIMAL FEASIBLE SOLUTION") || strstr(line, "LP HAS NO PRIMAL FEASIBLE SOLUTION") ||
		    strstr(line, "PROBLEM HAS NO INTEGER FEASIBLE SOLUTION"))
			*solved = 2; /* proved infeasible */
	}
	pclose(p);
	*cpu_s = cpu(RUSAGE_CHILDREN) - c0;
	return now() - t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int k)
{
	qsort(v, (size_t)k, sizeof(double), cmp_double);
	return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

/* ---- the physical-limit yardstick: exhaustive enumeration ---- */

/* Every partition of n participants into exactly K consortia (restricted
 * growth strings; the only pruning is that enough participants remain to open
 * the consortia still missing, which skips no such partition), the objective
 * kept incrementally, each checked at the leaf for the unstructured rules
 * (size >= 2, an association and a firm in each). */
typedef struct enumr {
	int n, K;
	const double *w;
	const int *assoc, *firm; /* 0/1 per participant */
	int grp[64], size[8], na[8], nf[8];
	double link[64 * 8];
	double val, best;
	long leaves;
} enumr;

static void enum_rec(enumr *e, int i, int opened)
{
	int n = e->n, K = e->K;
	if (i == n) {
		if (opened != K)
			return;
		e->leaves++;
		for (int g = 0; g < K; g++)
			if (e->size[g] < 2 || !e->na[g] || !e->nf[g])
				return;
		if (e->val > e->best)
			e->best = e->val;
		return;
	}
	if (n - i < K - opened)
		return;
	int top = opened < K ? opened + 1 : K;
	for (int g = 0; g < top; g++) {
		e->grp[i] = g;
		e->val += e->link[i * 8 + g];
		e->size[g]++;
		e->na[g] += e->assoc[i];
		e->nf[g] += e->firm[i];
		for (int j = i + 1; j < n; j++)
			e->link[j * 8 + g] += e->w[i * n + j];
		enum_rec(e, i + 1, g == opened ? opened + 1 : opened);
		for (int j = i + 1; j < n; j++)
			e->link[j * 8 + g] -= e->w[i * n + j];
		e->size[g]--;
		e->na[g] -= e->assoc[i];
		e->nf[g] -= e->firm[i];
		e->val -= e->link[i * 8 + g];
	}
}

/* The optimum by enumeration (-inf when infeasible); *leaves partitions visited. */
static double enumerate(const consort_session *s, int K, const double *w, long *leaves)
{
	enumr e;
	memset(&e, 0, sizeof(e));
	int n = (int)consort_session_count(s);
	int assoc[64], firm[64];
	for (int i = 0; i < n; i++) {
		const char *sec = consort_session_participant(s, (size_t)i)->sector;
		assoc[i] = strcmp(sec, "association") == 0;
		firm[i] = strcmp(sec, "firm") == 0;
	}
	e.n = n;
	e.K = K;
	e.w = w;
	e.assoc = assoc;
	e.firm = firm;
	e.best = -HUGE_VAL;
	enum_rec(&e, 0, 0);
	*leaves = e.leaves;
	return e.best;
}

/* Unstructured sessions n <= 15, K = 2..5: consort, glpsol and the enumeration
 * side by side on the same sessions. */
static int unstructured_baseline(const char *out, int reps, double limit)
{
	char path[512], rules[2048];
	snprintf(path, sizeof(path), "%s/unstructured-baseline.tsv", out);
	FILE *tsv = fopen(path, "w");
	if (!tsv) {
		perror(path);
		return 3;
	}
	fprintf(tsv, "n\tK\tseed\tconsort_status\tconsort_obj\tconsort_s\tconsort_cpu_s\tglpsol_solved\tglpsol_obj\t"
		"glpsol_s\tglpsol_cpu_s\tenum_obj\tenum_s\tpartitions\n");
	printf("\n| K | n | sessions | consort median s | consort max s | glpsol median s | glpsol proved | "
		"enumeration median s | partitions | all three agree |\n|---|---|---|---|---|---|---|---|---|---|\n");
	static const int ns[] = {10, 12, 15};
	for (int K = 2; K <= 5; K++)
		for (int ni = 0; ni < 3; ni++) {
			int n = ns[ni], proved = 0, agree = 1;
			double cs[16], gs[16], es[16], worst = 0;
			long parts = 0;
			for (int r = 0; r < reps; r++) {
				consort_session *s = make_session(V_UNSTRUCTURED, n, K, (unsigned)(1000 * n + r), rules, sizeof(rules));
				double *w;
				consort_scoring_weights(&w, s, NULL);
				consort_solve_options o;
				consort_solve_options_init(&o);
				o.time_limit = limit;
				consort_proposal *p;
				double t0 = now(), c0 = cpu(RUSAGE_SELF);
				if (consort_solve(&p, s, &o, NULL) < 0)
					return 3;
				cs[r] = now() - t0;
				double ccpu = cpu(RUSAGE_SELF) - c0;
				worst = fmax(worst, cs[r]);
				consort_status st = consort_proposal_status(p);
				double cobj = consort_proposal_objective(p);
				char data[600];
				snprintf(data, sizeof(data), "%s/glpsol-tmp.dat", out);
				write_glpsol_data(data, s, "unstructured", K, w);
				double gobj, gcpu;
				int solved;
				gs[r] = run_glpsol("bench/glpsol/workshop.mod", data, limit, &gobj, &solved, &gcpu);
				remove(data);
				proved += solved != 0;
				long leaves = 0;
				t0 = now();
				double eobj = enumerate(s, K, w, &leaves);
				es[r] = now() - t0;
				parts = leaves;
				/* infeasible: consort proves it, the enumeration finds nothing */
				int ok = st == CONSORT_STATUS_INFEASIBLE ? eobj == -HUGE_VAL
					: (st == CONSORT_STATUS_OPTIMAL && fabs(cobj - eobj) < 1e-6);
				if ((solved == 1 && fabs(gobj - eobj) > 1e-6) || (solved == 2 && eobj != -HUGE_VAL))
					ok = 0;
				if (!ok) {
					agree = 0;
					fprintf(stderr, "MISMATCH unstructured n=%d K=%d seed %d: consort %s %g, glpsol %s %g, "
						"enumeration %g\n", n, K, r, consort_status_name(st), cobj, solved ? "proved" : "not proved",
						gobj, eobj);
				}
				fprintf(tsv, "%d\t%d\t%d\t%s\t%.6g\t%.6f\t%.6f\t%d\t%.6g\t%.6f\t%.6f\t%.6g\t%.6f\t%ld\n", n, K, r,
					consort_status_name(st), cobj, cs[r], ccpu, solved, gobj, gs[r], gcpu, eobj, es[r], leaves);
				fflush(tsv);
				free(w);
				consort_proposal_free(p);
				consort_session_free(s);
			}
			printf("| %d | %d | %d | %.4f | %.4f | %.2f | %d/%d | %.3f | %ld | %s |\n", K, n, reps, median(cs, reps),
				worst, median(gs, reps), proved, reps, median(es, reps), parts, agree ? "yes" : "NO");
			fflush(stdout);
		}
	fclose(tsv);
	return 0;
}

typedef struct series {
	variant v;
	int K;
	const int *ns;
	int nn;
} series;

int main(int argc, char **argv)
{
	int quick = 0, glpsol = 1, sessions = 1;
	const char *only = NULL;
	const char *out = "bench/results";
	int ubase = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			quick = 1;
		else if (strcmp(argv[i], "--no-glpsol") == 0)
			glpsol = 0;
		else if (strcmp(argv[i], "--glpsol-only") == 0)
			sessions = 0;
		else if (strcmp(argv[i], "--unstructured-baseline") == 0)
			ubase = 1;
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			only = argv[++i];
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			out = argv[++i];
		else {
			fprintf(stderr, "usage: bench_workshop [--quick] [--no-glpsol | --glpsol-only | --unstructured-baseline] [--only VARIANT] [--out DIR]\n");
			return 2;
		}
	}
	int reps = quick ? 3 : 10;
	double limit = 60;
	if (ubase)
		return unstructured_baseline(out, quick ? 2 : 5, limit);
	static const int small[] = {10, 12, 15, 18, 20};
	static const int large[] = {25, 30, 40, 50, 60};
	static const int unstructured[] = {10, 12, 15, 18, 20, 24, 30};
	series plan[] = {
		{V_SECTORS, 2, small, 5}, {V_SECTORS, 3, small, 5}, {V_SECTORS, 4, small, 5},
		{V_COVER, 2, small, 5}, {V_COVER, 3, small, 5},
		{V_PAIRS, 2, small, 5}, {V_PAIRS, 3, small, 5},
		{V_SIZE, 2, small, 5}, {V_SIZE, 3, small, 5},
		{V_LOTS, 2, small, 5}, {V_LOTS, 3, small, 5},
		{V_OPTIONAL, 2, small, 5}, {V_OPTIONAL, 3, small, 5},
		{V_UNSTRUCTURED, 2, unstructured, 7}, {V_UNSTRUCTURED, 3, unstructured, 7},
		{V_UNSTRUCTURED, 4, unstructured, 7}, {V_UNSTRUCTURED, 5, unstructured, 7},
		{V_U_COVER, 2, unstructured, 7}, {V_U_COVER, 3, unstructured, 7},
		{V_U_COVER, 4, unstructured, 7}, {V_U_COVER, 5, unstructured, 7},
		{V_U_PAIRS, 2, unstructured, 7}, {V_U_PAIRS, 3, unstructured, 7},
		{V_U_PAIRS, 4, unstructured, 7}, {V_U_PAIRS, 5, unstructured, 7},
		{V_U_SIZE, 2, unstructured, 7}, {V_U_SIZE, 3, unstructured, 7},
		{V_U_SIZE, 4, unstructured, 7}, {V_U_SIZE, 5, unstructured, 7},
		{V_U_LOTS, 2, unstructured, 7}, {V_U_LOTS, 3, unstructured, 7},
		{V_U_LOTS, 4, unstructured, 7}, {V_U_LOTS, 5, unstructured, 7},
		{V_U_OPTIONAL, 2, unstructured, 7}, {V_U_OPTIONAL, 3, unstructured, 7},
		{V_U_OPTIONAL, 4, unstructured, 7}, {V_U_OPTIONAL, 5, unstructured, 7},
		{V_SECTORS, 2, large, quick ? 2 : 5}, {V_SECTORS, 3, large, quick ? 2 : 5},
		{V_SECTORS, 4, large, quick ? 2 : 5},
	};
	char path[512], rules[2048];
	FILE *tsv;
	if (!sessions)
		goto baseline;
	snprintf(path, sizeof(path), only ? "%s/workshop-%s.tsv" : "%s/workshop.tsv", out, only ? only : "");
	tsv = fopen(path, "w");
	if (!tsv) {
		perror(path);
		return 3;
	}
	fprintf(tsv, "variant\tn\tK\tseed\tstatus\tobjective\tbound\tseconds\tcpu_seconds\n");
	printf("| rules | K | n | solves | proved (infeasible) | median s | max s | median CPU s | max CPU s |\n"
		"|---|---|---|---|---|---|---|---|---|\n");
	for (size_t si = 0; si < sizeof(plan) / sizeof(plan[0]); si++) {
		if (only && strncmp(only, VNAME[plan[si].v], strlen(only)) != 0)
			continue;
		for (int ni = 0; ni < plan[si].nn; ni++) {
			int n = plan[si].ns[ni], K = plan[si].K;
			double secs[64], cpus[64], worst = 0, worst_cpu = 0;
			int optimal = 0, infeasible = 0;
			/* the unstructured variants beyond sectors: 5 sessions each (their
			 * hardest rows run into the 60 s limit) */
			int sreps = plan[si].v > V_UNSTRUCTURED && reps > 5 ? 5 : reps;
			for (int r = 0; r < sreps; r++) {
				consort_session *s = make_session(plan[si].v, n, K, (unsigned)(1000 * n + r), rules, sizeof(rules));
				consort_solve_options o;
				consort_solve_options_init(&o);
				o.time_limit = limit;
				consort_proposal *p;
				consort_error err;
				double t0 = now(), c0 = cpu(RUSAGE_SELF);
				if (consort_solve(&p, s, &o, &err) < 0) {
					fprintf(stderr, "solve: %s\n", err.message);
					return 3;
				}
				secs[r] = now() - t0;
				cpus[r] = cpu(RUSAGE_SELF) - c0;
				worst = fmax(worst, secs[r]);
				worst_cpu = fmax(worst_cpu, cpus[r]);
				optimal += consort_proposal_status(p) == CONSORT_STATUS_OPTIMAL;
				infeasible += consort_proposal_status(p) == CONSORT_STATUS_INFEASIBLE;
				fprintf(tsv, "%s\t%d\t%d\t%d\t%s\t%.6g\t%.6g\t%.6f\t%.6f\n", VNAME[plan[si].v], n, K, r,
					consort_status_name(consort_proposal_status(p)), consort_proposal_objective(p),
					consort_proposal_bound(p), secs[r], cpus[r]);
				fflush(tsv);
				consort_proposal_free(p);
				consort_session_free(s);
			}
			double msec = median(secs, sreps), mcpu = median(cpus, sreps);
			printf("| %s | %d | %d | %d | %d (%d) | %.4f | %.4f | %.4f | %.4f |\n", VNAME[plan[si].v], K, n, sreps,
				optimal + infeasible, infeasible, msec, worst, mcpu, worst_cpu);
			fflush(stdout);
		}
	}
	fclose(tsv);
	if (!glpsol)
		return 0;
baseline:
	/* The baseline on the same sessions: sectors and cover variants, n <= 20. */
	snprintf(path, sizeof(path), "%s/glpsol.tsv", out);
	tsv = fopen(path, "w");
	if (!tsv) {
		perror(path);
		return 3;
	}
	fprintf(tsv, "variant\tn\tK\tseed\tconsort_s\tconsort_cpu_s\tglpsol_s\tglpsol_cpu_s\tglpsol_solved\t"
		"consort_obj\tglpsol_obj\n");
	printf("\n| rules | K | n | consort median CPU s | glpsol median CPU s | ratio (glpsol/consort) | glpsol proved |\n"
		"|---|---|---|---|---|---|---|\n");
	static const int gn[] = {10, 12, 15, 18, 20};
	variant gv[] = {V_SECTORS, V_COVER};
	for (int vi = 0; vi < 2; vi++)
		for (int K = 2; K <= 3; K++)
			for (int ni = 0; ni < (quick ? 3 : 5); ni++) {
				int n = gn[ni], greps = quick ? 2 : 3, proved = 0;
				double cs[16], gs[16], ccpu[16], gcpu[16];
				for (int r = 0; r < greps; r++) {
					consort_session *s = make_session(gv[vi], n, K, (unsigned)(1000 * n + r), rules, sizeof(rules));
					double *w;
					consort_scoring_weights(&w, s, NULL);
					char data[256];
					snprintf(data, sizeof(data), "%s/glpsol-tmp.dat", out);
					write_glpsol_data(data, s, VNAME[gv[vi]], K, w);
					free(w);
					double gobj;
					int solved;
					gs[r] = run_glpsol("bench/glpsol/workshop.mod", data, limit, &gobj, &solved, &gcpu[r]);
					remove(data);
					proved += solved != 0;
					consort_solve_options o;
					consort_solve_options_init(&o);
					o.time_limit = limit;
					consort_proposal *p;
					double t0 = now(), c0 = cpu(RUSAGE_SELF);
					consort_solve(&p, s, &o, NULL);
					cs[r] = now() - t0;
					ccpu[r] = cpu(RUSAGE_SELF) - c0;
					fprintf(tsv, "%s\t%d\t%d\t%d\t%.6f\t%.6f\t%.6f\t%.6f\t%d\t%.6g\t%.6g\n", VNAME[gv[vi]], n, K,
						r, cs[r], ccpu[r], gs[r], gcpu[r], solved, consort_proposal_objective(p), gobj);
					fflush(tsv);
					if (solved == 1 && fabs(gobj - consort_proposal_objective(p)) > 1e-6)
						fprintf(stderr, "MISMATCH %s n=%d K=%d seed %d: consort %g glpsol %g\n", VNAME[gv[vi]],
							n, K, r, consort_proposal_objective(p), gobj);
					consort_proposal_free(p);
					consort_session_free(s);
				}
				(void)cs;
				(void)gs;
				double mc = median(ccpu, greps), mg = median(gcpu, greps);
				printf("| %s | %d | %d | %.4f | %.3f | %.0fx | %d/%d |\n", VNAME[gv[vi]], K, n, mc, mg,
					mg / fmax(mc, 1e-4), proved, greps);
				fflush(stdout);
			}
	fclose(tsv);
	return 0;
}
