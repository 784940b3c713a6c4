/* Benchmark of consort serve: 60 phones entering ratings at once (latency and
 * throughput of crash-safe rating writes), and re-solving a 60-person workshop
 * from the API for 2-4 consortia. Writes <out>/serve.tsv.
 *
 *   bench_serve [--out DIR] [--participants N] [--consortia-max K] */
#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "consort.h"

#define MAXN 200

static unsigned port;
static char secret[160];
static int n;
static char ids[MAXN][72];
static char tokens[MAXN][32];

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void sleep_s(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - floor(s)) * 1e9)};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- a keep-alive HTTP client ---- */

typedef struct conn {
	int fd;
	int phone;  /* > 0: connect from 127.0.1.<phone>, a client address of its own */
	char buf[65536];
	size_t len;
} conn;

static int conn_open(conn *c)
{
	c->len = 0;
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd < 0)
		return -1;
	int one = 1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	if (c->phone > 0) {
		/* Each phone is its own device, as at a workshop: the server's
		 * per-client connection limit applies to each one alone. */
		a.sin_addr.s_addr = htonl((127u << 24) | (1u << 8) | (unsigned)(c->phone & 255));
		if (bind(c->fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
			close(c->fd);
			c->fd = -1;
			return -1;
		}
	}
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(c->fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	return 0;
}

static void conn_close(conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* One request on the connection (reopened when needed); the status, or -1.
 * The body (when out is not NULL) is malloc'ed. */
static int call(conn *c, const char *method, const char *path, const char *auth, const char *body,
	char **out)
{
	if (out)
		*out = NULL;
	for (int attempt = 0; attempt < 2; attempt++) {
		if (c->fd < 0 && conn_open(c) < 0)
			return -1;
		size_t blen = body ? strlen(body) : 0;
		char head[512];
		int hn = snprintf(head, sizeof(head), "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
			"Authorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
			method, path, port, auth, blen);
		if (send(c->fd, head, (size_t)hn, MSG_NOSIGNAL) != hn ||
		    (blen && send(c->fd, body, blen, MSG_NOSIGNAL) != (ssize_t)blen)) {
			conn_close(c);
			continue;
		}
		c->len = 0;
		char *big = NULL;
		size_t need = 0, hlen = 0;
		int status = -1;
		for (;;) {
			ssize_t r = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len - 1, 0);
			if (r <= 0)
				break;
			c->len += (size_t)r;
			c->buf[c->len] = '\0';
			char *sep = strstr(c->buf, "\r\n\r\n");
			if (!sep)
				continue;
			hlen = (size_t)(sep + 4 - c->buf);
			const char *cl = strstr(c->buf, "Content-Length: ");
			need = cl ? (size_t)atol(cl + 16) : 0;
			sscanf(c->buf, "HTTP/1.1 %d", &status);
			break;
		}
		if (status < 0) {
			conn_close(c);
			continue;
		}
		/* Read the rest of the body. */
		big = malloc(need + 1);
		size_t have = c->len - hlen < need ? c->len - hlen : need;
		memcpy(big, c->buf + hlen, have);
		while (have < need) {
			ssize_t r = recv(c->fd, big + have, need - have, 0);
			if (r <= 0)
				break;
			have += (size_t)r;
		}
		big[have] = '\0';
		if (out)
			*out = big;
		else
			free(big);
		if (have < need) {
			conn_close(c);
			return -1;
		}
		return status;
	}
	return -1;
}

/* ---- the server ---- */

static pid_t start_server(const char *db, const char *import)
{
	int fds[2];
	if (pipe(fds) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		const char *threads = getenv("CONSORT_BENCH_THREADS"); /* --threads, when set */
		if (threads)
			execl(CONSORT_BIN, CONSORT_BIN, "serve", "--db", db, "--port", "0", "--import", import,
				"--threads", threads, (char *)NULL);
		else
			execl(CONSORT_BIN, CONSORT_BIN, "serve", "--db", db, "--port", "0", "--import", import,
				(char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	char buf[4096];
	size_t len = 0;
	int found = 0;
	while (!found && len + 1 < sizeof(buf)) {
		struct pollfd p = {fds[0], POLLIN, 0};
		if (poll(&p, 1, 10000) <= 0)
			break;
		ssize_t r = read(fds[0], buf + len, sizeof(buf) - len - 1);
		if (r <= 0)
			break;
		len += (size_t)r;
		buf[len] = '\0';
		const char *line = strstr(buf, "facilitator: http://127.0.0.1:");
		if (line && strchr(line, '\n'))
			found = sscanf(line, "facilitator: http://127.0.0.1:%u/#secret=%159s", &port, secret) == 2;
	}
	close(fds[0]);
	if (!found) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

/* A simulated session (participants, rules; ratings dropped when empty) as a file. */
static int write_session(const char *path, int participants, int consortia, int keep_ratings)
{
	consort_simulate_options o;
	consort_simulate_defaults(&o);
	o.participants = participants;
	o.consortia = consortia;
	o.rules = 1;
	o.seed = 2018;
	consort_session *s;
	consort_error err;
	if (consort_simulate(&s, NULL, &o, &err) < 0) {
		fprintf(stderr, "bench_serve: %s\n", err.message);
		return -1;
	}
	char *json;
	int rc = consort_session_to_json(&json, s, &err);
	consort_session_free(s);
	if (rc < 0)
		return -1;
	if (!keep_ratings) {
		cJSON *doc = cJSON_Parse(json);
		free(json);
		cJSON_ReplaceItemInObject(doc, "ratings", cJSON_CreateArray());
		json = cJSON_Print(doc);
		cJSON_Delete(doc);
	}
	FILE *f = fopen(path, "w");
	rc = f && fputs(json, f) >= 0 ? 0 : -1;
	if (f)
		fclose(f);
	free(json);
	return rc;
}

static int load_participants(void)
{
	conn c = {.fd = -1};
	char *body;
	if (call(&c, "GET", "/api/participants", secret, NULL, &body) != 200)
		return -1;
	conn_close(&c);
	cJSON *list = cJSON_Parse(body);
	free(body);
	n = 0;
	const cJSON *p;
	cJSON_ArrayForEach(p, list) {
		if (n == MAXN)
			break;
		snprintf(ids[n], sizeof(ids[n]), "%s", cJSON_GetObjectItem(p, "id")->valuestring);
		snprintf(tokens[n], sizeof(tokens[n]), "%s", cJSON_GetObjectItem(p, "token")->valuestring);
		n++;
	}
	cJSON_Delete(list);
	return 0;
}

/* ---- phones ---- */

typedef struct phone {
	pthread_t thread;
	int me;
	double pace;      /* mean seconds between two ratings; 0: as fast as possible */
	int count;        /* ratings to enter */
	double *latency;  /* seconds, one per request */
	int done, errors;
	pthread_barrier_t *start;
} phone;

static void *enter_ratings(void *arg)
{
	phone *ph = arg;
	conn c = {.fd = -1, .phone = ph->me + 1};
	unsigned seed = (unsigned)ph->me * 2654435761u;
	conn_open(&c);
	pthread_barrier_wait(ph->start);
	for (int k = 0, other = 0; k < ph->count; k++, other++) {
		if (other == ph->me)
			other++;
		other %= n;
		if (ph->pace > 0)
			sleep_s(ph->pace * (0.5 + (double)(rand_r(&seed) % 1000) / 1000.0));
		char body[160];
		snprintf(body, sizeof(body), "{\"to\": \"%s\", \"score\": %d}", ids[other],
			1 + (int)(rand_r(&seed) % 5));
		double t0 = now();
		int status = call(&c, "PUT", "/api/me/ratings", tokens[ph->me], body, NULL);
		ph->latency[ph->done++] = now() - t0;
		if (status != 200)
			ph->errors++;
	}
	conn_close(&c);
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(const double *sorted, size_t m, double p)
{
	size_t i = (size_t)ceil(p * (double)m) - 1;
	return sorted[i < m ? i : m - 1];
}

/* Runs n phones; prints and appends one TSV row. Returns the p99 in ms. */
static double run_phones(FILE *tsv, const char *phase, double pace, int count)
{
	phone *ph = calloc((size_t)n, sizeof(*ph));
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, (unsigned)n + 1);
	for (int i = 0; i < n; i++) {
		ph[i].me = i;
		ph[i].pace = pace;
		ph[i].count = count;
		ph[i].latency = calloc((size_t)count, sizeof(double));
		ph[i].start = &start;
		pthread_create(&ph[i].thread, NULL, enter_ratings, &ph[i]);
	}
	pthread_barrier_wait(&start);
	double t0 = now();
	for (int i = 0; i < n; i++)
		pthread_join(ph[i].thread, NULL);
	double wall = now() - t0;
	size_t m = 0;
	int errors = 0;
	double *all = malloc((size_t)n * (size_t)count * sizeof(double));
	for (int i = 0; i < n; i++) {
		memcpy(all + m, ph[i].latency, (size_t)ph[i].done * sizeof(double));
		m += (size_t)ph[i].done;
		errors += ph[i].errors;
		free(ph[i].latency);
	}
	qsort(all, m, sizeof(double), cmp_double);
	double p50 = pct(all, m, 0.5) * 1e3, p95 = pct(all, m, 0.95) * 1e3, p99 = pct(all, m, 0.99) * 1e3;
	double max = all[m - 1] * 1e3;
	printf("%-8s %3d phones x %3d ratings: %6zu requests in %6.2f s = %7.0f/s   "
		"p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  max %7.2f ms  errors %d\n",
		phase, n, count, m, wall, (double)m / wall, p50, p95, p99, max, errors);
	fprintf(tsv, "ratings\t%s\t%d\t%zu\t%.3f\t%.1f\t%.2f\t%.2f\t%.2f\t%.2f\t%d\n", phase, n, m, wall,
		(double)m / wall, p50, p95, p99, max, errors);
	fflush(stdout);
	free(all);
	free(ph);
	pthread_barrier_destroy(&start);
	return p99;
}

/* PUT a simulated session with K planted consortia, then time POST /api/solve. */
static void run_solve(FILE *tsv, const char *dir, int participants, int k)
{
	char path[600];
	snprintf(path, sizeof(path), "%s/solve-%d.json", dir, k);
	if (write_session(path, participants, k, 1) < 0)
		return;
	FILE *f = fopen(path, "r");
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	rewind(f);
	char *data = malloc((size_t)len + 1);
	data[fread(data, 1, (size_t)len, f)] = '\0';
	fclose(f);
	conn c = {.fd = -1};
	int st = call(&c, "PUT", "/api/session", secret, data, NULL);
	free(data);
	if (st != 200) {
		fprintf(stderr, "bench_serve: PUT /api/session: %d\n", st);
		return;
	}
	char *body;
	double t0 = now();
	st = call(&c, "POST", "/api/solve", secret, "{\"time_limit\": 30}", &body);
	double wall = now() - t0;
	conn_close(&c);
	cJSON *p = cJSON_Parse(body);
	free(body);
	const cJSON *status = cJSON_GetObjectItem(p, "status"), *obj = cJSON_GetObjectItem(p, "objective");
	const cJSON *gap = cJSON_GetObjectItem(p, "gap");
	printf("solve    %d participants, K = %d: HTTP %d in %6.3f s   status %s   objective %g   gap %g\n",
		participants, k, st, wall, cJSON_IsString(status) ? status->valuestring : "?",
		cJSON_IsNumber(obj) ? obj->valuedouble : NAN, cJSON_IsNumber(gap) ? gap->valuedouble : NAN);
	fprintf(tsv, "solve\tK=%d\t%d\t1\t%.3f\t\t\t\t\t\t%s\n", k, participants, wall,
		cJSON_IsString(status) ? status->valuestring : "?");
	fflush(stdout);
	cJSON_Delete(p);
}

int main(int argc, char **argv)
{
	const char *out = "bench/results";
	int participants = 60, kmax = 4;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (strcmp(argv[i], "--participants") == 0 && i + 1 < argc)
			participants = atoi(argv[++i]);
		else if (strcmp(argv[i], "--consortia-max") == 0 && i + 1 < argc)
			kmax = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: bench_serve [--out DIR] [--participants N] [--consortia-max K]\n");
			return 2;
		}
	}
	if (participants < 2 || participants > MAXN || kmax < 2) {
		fprintf(stderr, "bench_serve: participants must be 2..%d, consortia-max >= 2\n", MAXN);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	char dir[] = "/tmp/consort-bench-serve.XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char db[600], session[600], tsvpath[600];
	snprintf(db, sizeof(db), "%s/workshop.db", dir);
	snprintf(session, sizeof(session), "%s/session.json", dir);
	snprintf(tsvpath, sizeof(tsvpath), "%s/serve.tsv", out);
	mkdir(out, 0777);
	if (write_session(session, participants, 3, 0) < 0)
		return 1;
	pid_t pid = start_server(db, session);
	if (pid < 0 || load_participants() < 0) {
		fprintf(stderr, "bench_serve: cannot start %s serve\n", CONSORT_BIN);
		return 1;
	}
	FILE *tsv = fopen(tsvpath, "w");
	if (!tsv) {
		fprintf(stderr, "bench_serve: cannot write %s\n", tsvpath);
		return 1;
	}
	fprintf(tsv, "what\tphase\tparticipants\trequests\tseconds\tper_second\tp50_ms\tp95_ms\tp99_ms\tmax_ms\terrors_or_status\n");
	printf("consort serve on a database in %s (WAL, synchronous=FULL: every rating fsync'ed before its 200)\n",
		dir);
	/* Every phone rates all the others as fast as it can, all at once: the worst case. */
	run_phones(tsv, "burst", 0, n - 1);
	/* Phones entering a rating every 0.25 s on average each (a real workshop is far slower). */
	run_phones(tsv, "paced", 0.25, 20);
	for (int k = 2; k <= kmax; k++)
		run_solve(tsv, dir, participants, k);
	fclose(tsv);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_serve: could not remove %s\n", dir);
	printf("wrote %s\n", tsvpath);
	return 0;
}
