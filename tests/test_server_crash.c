/* Crash safety of consort serve: ratings are written by several clients as
 * fast as they go, the server is killed (SIGKILL) mid-stream and restarted on
 * the same database, and every rating that was acknowledged must be there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define EXAMPLE CONSORT_EXAMPLES "/pirkanmaa-2018.json"
#define NTHREADS 4
#define MAXP 64

typedef struct server {
	pid_t pid;
	unsigned port;
	char secret[160];
} server;

/* ---- the server as a child process ---- */

/* Starts `consort serve --db db --port 0 [--import example]` and reads the
 * port and secret from its facilitator line. */
static int start_server(server *s, const char *db, int import)
{
	int fds[2];
	if (pipe(fds) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 2);
		if (import)
			execl(CONSORT_BIN, CONSORT_BIN, "serve", "--db", db, "--port", "0", "--import", EXAMPLE,
				(char *)NULL);
		else
			execl(CONSORT_BIN, CONSORT_BIN, "serve", "--db", db, "--port", "0", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	s->pid = pid;
	char buf[4096];
	size_t n = 0;
	int found = 0;
	while (!found && n + 1 < sizeof(buf)) {
		struct pollfd p = {fds[0], POLLIN, 0};
		if (poll(&p, 1, 10000) <= 0)
			break;
		ssize_t r = read(fds[0], buf + n, sizeof(buf) - n - 1);
		if (r <= 0)
			break;
		n += (size_t)r;
		buf[n] = '\0';
		const char *line = strstr(buf, "facilitator: http://127.0.0.1:");
		if (line && strchr(line, '\n'))
			found = sscanf(line, "facilitator: http://127.0.0.1:%u/#secret=%159s", &s->port,
				s->secret) == 2;
	}
	close(fds[0]);
	return found ? 0 : -1;
}

/* ---- a tiny HTTP client ---- */

/* One request (Connection: close). Returns the status, or -1 when the
 * connection failed or closed without a complete reply. */
static int request(unsigned port, const char *method, const char *path, const char *auth,
	const char *body, char **reply_body)
{
	if (reply_body)
		*reply_body = NULL;
	int fd = tu_connect_loopback(port);
	if (fd < 0)
		return -1;
	size_t blen = body ? strlen(body) : 0;
	char head[512];
	int hn = snprintf(head, sizeof(head), "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
		"Authorization: Bearer %s\r\nContent-Length: %zu\r\n\r\n", method, path, auth, blen);
	int ok = send(fd, head, (size_t)hn, MSG_NOSIGNAL) == hn &&
		(!blen || send(fd, body, blen, MSG_NOSIGNAL) == (ssize_t)blen);
	size_t cap = 8192, n = 0;
	char *buf = malloc(cap);
	while (ok) {
		if (n + 1 >= cap)
			buf = realloc(buf, cap *= 2);
		ssize_t r = recv(fd, buf + n, cap - n - 1, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			ok = 0;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	int status = -1;
	char *sep = strstr(buf, "\r\n\r\n");
	const char *cl = strstr(buf, "Content-Length: ");
	/* Complete only when the whole announced body arrived. */
	if (ok && sep && cl && sscanf(buf, "HTTP/1.1 %d", &status) == 1 &&
	    (size_t)atol(cl + 16) != n - (size_t)(sep + 4 - buf))
		status = -1;
	if (status > 0 && reply_body) {
		size_t len = n - (size_t)(sep + 4 - buf);
		*reply_body = malloc(len + 1);
		memcpy(*reply_body, sep + 4, len + 1);
	}
	free(buf);
	return status;
}

/* ---- writers ---- */

static char ids[MAXP][72];
static int nids;

typedef struct writer {
	pthread_t thread;
	int index;
	unsigned port;
	const char *secret;
	volatile int *stop;
	double acked[MAXP][MAXP]; /* last acknowledged score, 0 when none */
	int inflight_from, inflight_to; /* the request that got no answer, or -1 */
	double inflight_score;
	int nacked, failures;
} writer;

static void *write_ratings(void *arg)
{
	writer *w = arg;
	unsigned seed = (unsigned)(w->index * 7919 + 17);
	w->inflight_from = -1;
	/* Writer t owns the raters i with i % NTHREADS == t: no pair is written by two threads. */
	int owned = (nids - w->index + NTHREADS - 1) / NTHREADS;
	for (int step = 0; !*w->stop && owned > 0; step++) {
		int from = w->index + NTHREADS * (step % owned);
		int to = (int)(rand_r(&seed) % (unsigned)nids);
		if (to == from)
			continue;
		double score = 1 + (double)(rand_r(&seed) % 9) * 0.5;
		char body[256];
		snprintf(body, sizeof(body), "{\"from\": \"%s\", \"to\": \"%s\", \"score\": %g}", ids[from],
			ids[to], score);
		w->inflight_from = from;
		w->inflight_to = to;
		w->inflight_score = score;
		int status = request(w->port, "PUT", "/api/ratings", w->secret, body, NULL);
		if (status < 0)
			break; /* killed: this one may or may not have been stored */
		w->inflight_from = -1;
		if (status != 200) {
			w->failures++;
			break;
		}
		w->acked[from][to] = score;
		w->nacked++;
	}
	return NULL;
}

static void load_ids(const server *s)
{
	char *body;
	assert_int_equal(request(s->port, "GET", "/api/participants", s->secret, NULL, &body), 200);
	cJSON *list = cJSON_Parse(body);
	free(body);
	nids = 0;
	const cJSON *p;
	cJSON_ArrayForEach(p, list)
		if (nids < MAXP)
			snprintf(ids[nids++], sizeof(ids[0]), "%s", cJSON_GetObjectItem(p, "id")->valuestring);
	cJSON_Delete(list);
	assert_int_equal(nids, 15);
}

static int index_of(const char *id)
{
	for (int i = 0; i < nids; i++)
		if (!strcmp(ids[i], id))
			return i;
	return -1;
}

/* Every acknowledged rating is stored with its score (or, for the one request
 * per writer cut off by the kill, possibly with that request's score). */
static void check_survivors(const server *s, writer *w)
{
	static double stored[MAXP][MAXP];
	memset(stored, 0, sizeof(stored));
	char *body;
	assert_int_equal(request(s->port, "GET", "/api/ratings", s->secret, NULL, &body), 200);
	cJSON *list = cJSON_Parse(body);
	free(body);
	const cJSON *r;
	cJSON_ArrayForEach(r, list) {
		int f = index_of(cJSON_GetObjectItem(r, "from")->valuestring);
		int t = index_of(cJSON_GetObjectItem(r, "to")->valuestring);
		assert_true(f >= 0 && t >= 0);
		stored[f][t] = cJSON_GetObjectItem(r, "score")->valuedouble;
	}
	cJSON_Delete(list);
	for (int k = 0; k < NTHREADS; k++)
		for (int f = 0; f < nids; f++)
			for (int t = 0; t < nids; t++) {
				if (w[k].acked[f][t] == 0)
					continue;
				int cut = w[k].inflight_from == f && w[k].inflight_to == t;
				if (stored[f][t] != w[k].acked[f][t] && !(cut && stored[f][t] == w[k].inflight_score))
					fail_msg("%s -> %s: acknowledged %g, stored %g", ids[f], ids[t],
						w[k].acked[f][t], stored[f][t]);
			}
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void test_kill_during_writes(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	assert_non_null(dir);
	char db[512];
	snprintf(db, sizeof(db), "%s/workshop.db", dir);
	server s;
	assert_int_equal(start_server(&s, db, 1), 0);
	load_ids(&s);
	static writer w[NTHREADS];
	for (int run = 0; run < 3; run++) {
		volatile int stop = 0;
		memset(w, 0, sizeof(w));
		for (int k = 0; k < NTHREADS; k++) {
			w[k].index = k;
			w[k].port = s.port;
			w[k].secret = s.secret;
			w[k].stop = &stop;
			assert_int_equal(pthread_create(&w[k].thread, NULL, write_ratings, &w[k]), 0);
		}
		sleep_ms(500 + 200 * run);
		kill(s.pid, SIGKILL);
		int status;
		waitpid(s.pid, &status, 0);
		assert_true(WIFSIGNALED(status));
		stop = 1;
		int acked = 0;
		for (int k = 0; k < NTHREADS; k++) {
			pthread_join(w[k].thread, NULL);
			acked += w[k].nacked;
			assert_int_equal(w[k].failures, 0);
		}
		assert_true(acked > 20);
		/* Restart on the same database (same secret) and compare. */
		char secret[160];
		snprintf(secret, sizeof(secret), "%s", s.secret);
		assert_int_equal(start_server(&s, db, 0), 0);
		assert_string_equal(s.secret, secret);
		check_survivors(&s, w);
	}
	/* SIGTERM stops the server cleanly. */
	kill(s.pid, SIGTERM);
	int status;
	waitpid(s.pid, &status, 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	tu_rmdir(dir);
	free(dir);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill_during_writes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
