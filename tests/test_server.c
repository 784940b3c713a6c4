/* Tests of consort serve: the server runs in this process on 127.0.0.1 (a free
 * port, a temporary database) and a tiny blocking HTTP client talks to it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "consort.h"
#include "http.h"
#include "server.h"
#include "sha256.h"
#include "testutil.h"

#define EXAMPLE CONSORT_EXAMPLES "/pirkanmaa-2018.json"

static consort_server *srv;
static char *dir;
static unsigned port;
static char secret[160];
static char *example; /* the example file's text */

/* ---- a tiny HTTP/1.1 client ---- */

typedef struct reply {
	int status;
	char *head; /* status line and headers */
	char *body; /* NUL-terminated */
	size_t len;
} reply;

static void reply_free(reply *r)
{
	free(r->head);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

static const char *client_from; /* the client's loopback address; NULL: 127.0.0.1 */

static int connect_server(void)
{
	return tu_connect_loopback_from((unsigned)port, client_from);
}

static int send_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads until the server closes; 0, or -1. */
static int read_all(int fd, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (n + 1 >= cap)
			buf = realloc(buf, cap *= 2);
		ssize_t r = recv(fd, buf + n, cap - n - 1, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/* Sends a raw request and parses the reply (Connection: close). */
static int http_raw(reply *r, const char *req, size_t reqlen)
{
	memset(r, 0, sizeof(*r));
	int fd = connect_server();
	if (fd < 0)
		return -1;
	char *all = NULL;
	size_t n = 0;
	int rc = send_all(fd, req, reqlen);
	if (rc == 0)
		rc = read_all(fd, &all, &n);
	close(fd);
	if (rc < 0)
		return -1;
	char *sep = strstr(all, "\r\n\r\n");
	if (!sep || sscanf(all, "HTTP/1.1 %d", &r->status) != 1) {
		free(all);
		return -1;
	}
	size_t hlen = (size_t)(sep - all);
	r->head = malloc(hlen + 1);
	memcpy(r->head, all, hlen);
	r->head[hlen] = '\0';
	r->len = n - hlen - 4;
	r->body = malloc(r->len + 1);
	memcpy(r->body, sep + 4, r->len);
	r->body[r->len] = '\0';
	free(all);
	return 0;
}

/* method path with an optional bearer credential and body. */
static int http(reply *r, const char *method, const char *path, const char *auth, const char *body)
{
	size_t blen = body ? strlen(body) : 0;
	char *req = malloc(blen + 1024);
	int n = snprintf(req, 1024, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nConnection: close\r\n",
		method, path, port);
	if (auth)
		n += snprintf(req + n, (size_t)(1024 - n), "Authorization: Bearer %s\r\n", auth);
	n += snprintf(req + n, (size_t)(1024 - n), "Content-Length: %zu\r\n\r\n", blen);
	if (blen)
		memcpy(req + n, body, blen);
	int rc = http_raw(r, req, (size_t)n + blen);
	free(req);
	return rc;
}

/* A request that must answer `status`; returns the body as JSON (or NULL when not JSON). */
static cJSON *call(const char *method, const char *path, const char *auth, const char *body,
	int status)
{
	reply r;
	assert_int_equal(http(&r, method, path, auth, body), 0);
	if (r.status != status)
		fprintf(stderr, "%s %s -> %d %s\n", method, path, r.status, r.body);
	assert_int_equal(r.status, status);
	cJSON *doc = cJSON_Parse(r.body);
	reply_free(&r);
	return doc;
}

/* The error message of a request that must fail with `status` (static buffer). */
static const char *fails(const char *method, const char *path, const char *auth, const char *body,
	int status)
{
	static char msg[600];
	cJSON *doc = call(method, path, auth, body, status);
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(doc, "error");
	assert_true(cJSON_IsString(e));
	assert_true(strlen(e->valuestring) > 0);
	assert_null(strchr(e->valuestring, '\n'));
	snprintf(msg, sizeof(msg), "%s", e->valuestring);
	cJSON_Delete(doc);
	return msg;
}

static char *get_text(const char *path, const char *auth)
{
	reply r;
	assert_int_equal(http(&r, "GET", path, auth, NULL), 0);
	assert_int_equal(r.status, 200);
	char *body = r.body;
	r.body = NULL;
	reply_free(&r);
	return body;
}

/* The participant's token, from GET /api/participants. */
static void token_of(const char *id, char *out, size_t outsz)
{
	cJSON *list = call("GET", "/api/participants", secret, NULL, 200);
	const cJSON *p;
	out[0] = '\0';
	cJSON_ArrayForEach(p, list)
		if (strcmp(cJSON_GetObjectItem(p, "id")->valuestring, id) == 0)
			snprintf(out, outsz, "%s", cJSON_GetObjectItem(p, "token")->valuestring);
	cJSON_Delete(list);
	assert_int_equal(strlen(out), 24);
}

/* The stored score from -> to, or -1 when unrated. */
static double score_of(const char *from, const char *to)
{
	cJSON *list = call("GET", "/api/ratings", secret, NULL, 200);
	double v = -1;
	const cJSON *r;
	cJSON_ArrayForEach(r, list)
		if (!strcmp(cJSON_GetObjectItem(r, "from")->valuestring, from) &&
		    !strcmp(cJSON_GetObjectItem(r, "to")->valuestring, to))
			v = cJSON_GetObjectItem(r, "score")->valuedouble;
	cJSON_Delete(list);
	return v;
}

/* Everything the facilitator can read, to check that a bad request changed nothing. */
static char *snapshot(void)
{
	char *a = get_text("/api/session", secret);
	char *b = get_text("/api/ratings", secret);
	char *c = get_text("/api/schedule/settings", secret);
	size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
	char *all = malloc(n);
	snprintf(all, n, "%s%s%s", a, b, c);
	free(a);
	free(b);
	free(c);
	return all;
}

/* The example as consort-session/1 JSON, as the library writes it. */
static char *example_json(void)
{
	consort_session *s;
	consort_error err;
	assert_int_equal(consort_session_parse(&s, example, strlen(example), "x", &err), 0);
	char *json;
	assert_int_equal(consort_session_to_json(&json, s, &err), 0);
	consort_session_free(s);
	return json;
}

/* ---- fixtures ---- */

static int group_setup(void **state)
{
	(void)state;
	dir = tu_tempdir();
	example = tu_read(EXAMPLE);
	if (!dir || !example)
		return -1;
	char path[512];
	snprintf(path, sizeof(path), "%s/workshop.db", dir);
	consort_server_options o;
	consort_server_options_init(&o);
	o.db_path = path;
	o.port = 0;
	consort_error err;
	consort_error_clear(&err);
	if (consort_server_open(&srv, &o, &err) < 0 || consort_server_listen(srv, &err) < 0) {
		fprintf(stderr, "cannot start the server: %s\n", err.message);
		return -1;
	}
	port = consort_server_port(srv);
	snprintf(secret, sizeof(secret), "%s", consort_server_secret(srv));
	return port ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	consort_server_close(srv);
	tu_rmdir(dir);
	free(dir);
	free(example);
	return 0;
}

/* Each test starts from the example workshop, default schedule, no round, no proposal. */
static int reset(void **state)
{
	(void)state;
	cJSON_Delete(call("PUT", "/api/session", secret, example, 200));
	cJSON_Delete(call("PUT", "/api/schedule/settings", secret, "{}", 200));
	cJSON_Delete(call("POST", "/api/round", secret, "{\"round\": null}", 200));
	return 0;
}

/* ---- tests ---- */

static void test_start_prints_and_secret(void **state)
{
	(void)state;
	assert_int_equal(strlen(secret), 32);
	assert_true(consort_server_loopback(srv));
	char want[256];
	snprintf(want, sizeof(want), "http://127.0.0.1:%u/#secret=%s", port, secret);
	assert_string_equal(consort_server_facilitator_url(srv), want);
}

static void test_static_pages(void **state)
{
	(void)state;
	reply r;
	int have_index = 0, have_part = 0, have_js = 0;
	for (size_t i = 0; i < consort__nassets; i++) {
		have_index |= !strcmp(consort__assets[i].name, "index.html");
		have_part |= !strcmp(consort__assets[i].name, "participant.html");
		have_js |= !strcmp(consort__assets[i].name, "app.js");
	}
	assert_int_equal(http(&r, "GET", "/", NULL, NULL), 0);
	assert_int_equal(r.status, have_index ? 200 : 404);
	if (have_index) {
		assert_non_null(strstr(r.head, "Content-Type: text/html"));
		assert_non_null(strstr(r.head, "Content-Security-Policy"));
	}
	reply_free(&r);
	assert_int_equal(http(&r, "GET", "/p/0123456789abcdef01234567", NULL, NULL), 0);
	assert_int_equal(r.status, have_part ? 200 : 404);
	reply_free(&r);
	assert_int_equal(http(&r, "GET", "/static/app.js", NULL, NULL), 0);
	assert_int_equal(r.status, have_js ? 200 : 404);
	if (have_js)
		assert_non_null(strstr(r.head, "text/javascript"));
	reply_free(&r);
	fails("GET", "/static/nothing.js", NULL, NULL, 404);
	fails("GET", "/static/../store.c", NULL, NULL, 404);
	fails("POST", "/", NULL, "x", 405);
}

static void test_session_roundtrip(void **state)
{
	(void)state;
	char *want = example_json();
	char *got = get_text("/api/session", secret);
	assert_string_equal(got, want);
	free(got);
	/* The export is the same document, as an attachment. */
	reply r;
	assert_int_equal(http(&r, "GET", "/api/export/session.json", secret, NULL), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.head, "Content-Disposition: attachment"));
	assert_string_equal(r.body, want);
	reply_free(&r);
	/* Importing again keeps every participant's token. */
	char before[32], after[32];
	token_of("f3", before, sizeof(before));
	cJSON *res = call("PUT", "/api/session", secret, example, 200);
	assert_int_equal(cJSON_GetObjectItem(res, "participants")->valueint, 15);
	assert_int_equal(cJSON_GetObjectItem(res, "ratings")->valueint, 210);
	cJSON_Delete(res);
	token_of("f3", after, sizeof(after));
	assert_string_equal(before, after);
	free(want);
}

/* The message `consort solve FILE` prints for a bad file, with the path as "upload". */
static char *cli_message(const char *path)
{
	const char *argv[] = {CONSORT_BIN, "solve", path, NULL};
	tu_result res;
	assert_int_equal(tu_run(&res, argv), 0);
	assert_int_equal(res.status, 2);
	const char *prefix = "consort: ";
	assert_int_equal(strncmp(res.err, prefix, strlen(prefix)), 0);
	const char *msg = res.err + strlen(prefix);
	assert_int_equal(strncmp(msg, path, strlen(path)), 0);
	size_t n = strlen(msg + strlen(path)) + 16;
	char *out = malloc(n);
	snprintf(out, n, "upload%s", msg + strlen(path));
	out[strcspn(out, "\n")] = '\0';
	tu_result_free(&res);
	return out;
}

static void test_bad_upload_same_message_as_cli(void **state)
{
	(void)state;
	static const char *const files[] = {"bad-syntax.json", "bad-score-range.json",
		"bad-duplicate-id.json", "bad-self-rating.json", "bad-unknown-together.json",
		"bad-format-missing.json", "bad-utf8.json", "bad-truncated.json"};
	char *before = snapshot();
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/session/%s", CONSORT_TEST_DATA, files[i]);
		char *want = cli_message(path);
		char *data = tu_read(path);
		assert_non_null(data);
		const char *got = fails("PUT", "/api/session", secret, data, 400);
		assert_string_equal(got, want);
		free(want);
		free(data);
	}
	fails("PUT", "/api/session", secret, "", 400);
	char *after = snapshot();
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void test_auth(void **state)
{
	(void)state;
	char tok[32];
	token_of("a1", tok, sizeof(tok));
	char *before = snapshot();
	fails("GET", "/api/ratings", NULL, NULL, 401);
	fails("GET", "/api/me", NULL, NULL, 401);
	fails("GET", "/api/ratings", "0123456789abcdef0123456789abcdef", NULL, 403);
	fails("GET", "/api/ratings", "", NULL, 401);
	/* A secret that is a prefix or an extension of the right one is wrong too. */
	char longer[200];
	snprintf(longer, sizeof(longer), "%sx", secret);
	fails("GET", "/api/ratings", longer, NULL, 403);
	char shorter[64];
	snprintf(shorter, sizeof(shorter), "%.31s", secret);
	fails("GET", "/api/ratings", shorter, NULL, 403);
	/* Not a bearer credential at all. */
	reply r;
	const char *basic = "GET /api/ratings HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YTpi\r\n"
		"Connection: close\r\n\r\n";
	assert_int_equal(http_raw(&r, basic, strlen(basic)), 0);
	assert_int_equal(r.status, 401);
	assert_non_null(strstr(r.head, "WWW-Authenticate: Bearer"));
	reply_free(&r);
	/* A participant's link reaches no admin endpoint... */
	static const char *const admin[][2] = {{"GET", "/api/session"}, {"GET", "/api/ratings"},
		{"GET", "/api/participants"}, {"GET", "/api/progress"}, {"GET", "/api/rules"},
		{"POST", "/api/solve"}, {"GET", "/api/proposal"}, {"GET", "/api/export/ratings.csv"},
		{"GET", "/api/export/session.json"}, {"GET", "/api/participants/a1/qr.svg"},
		{"GET", "/api/schedule"}, {"DELETE", "/api/participants/f1"}};
	for (size_t i = 0; i < sizeof(admin) / sizeof(admin[0]); i++)
		fails(admin[i][0], admin[i][1], tok, NULL, 403);
	fails("PUT", "/api/ratings", tok, "{\"from\": \"a1\", \"to\": \"f1\", \"score\": 5}", 403);
	fails("PUT", "/api/session", tok, example, 403);
	/* ... and the facilitator's secret is not a participant's token. */
	fails("GET", "/api/me", secret, NULL, 403);
	fails("PUT", "/api/me/ratings", secret, "{\"to\": \"f1\", \"score\": 5}", 403);
	fails("PUT", "/api/ratings", NULL, "{\"from\": \"a1\", \"to\": \"f1\", \"score\": 5}", 401);
	fails("PUT", "/api/ratings", "wrong", "{\"from\": \"a1\", \"to\": \"f1\", \"score\": 5}", 403);
	char *after = snapshot();
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void test_unknown_routes(void **state)
{
	(void)state;
	fails("GET", "/api/nothing", secret, NULL, 404);
	fails("GET", "/api/nothing", NULL, NULL, 404);
	fails("GET", "/nothing", NULL, NULL, 404);
	fails("GET", "/api/participants/a1/qr.png", secret, NULL, 404);
	reply r;
	assert_int_equal(http(&r, "POST", "/api/progress", secret, "{}"), 0);
	assert_int_equal(r.status, 405);
	assert_non_null(strstr(r.head, "Allow: GET"));
	reply_free(&r);
	fails("GET", "/api/participants/a1", secret, NULL, 405);
	fails("GET", "/api/participants/nobody/qr.svg", secret, NULL, 404);
	fails("DELETE", "/api/participants/nobody", secret, NULL, 404);
}

static void test_participants(void **state)
{
	(void)state;
	cJSON *list = call("GET", "/api/participants", secret, NULL, 200);
	assert_int_equal(cJSON_GetArraySize(list), 15);
	const cJSON *first = cJSON_GetArrayItem(list, 0);
	assert_string_equal(cJSON_GetObjectItem(first, "id")->valuestring, "a1");
	assert_string_equal(cJSON_GetObjectItem(first, "name")->valuestring, "Valmennus ry");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(first, "offers")), 2);
	char link[64];
	snprintf(link, sizeof(link), "/p/%s", cJSON_GetObjectItem(first, "token")->valuestring);
	assert_string_equal(cJSON_GetObjectItem(first, "link")->valuestring, link);
	cJSON_Delete(list);

	cJSON *p = call("POST", "/api/participants", secret,
		"{\"id\": \"p1\", \"name\": \"Kaupunki\", \"sector\": \"public\", \"offers\": [\"housing\"]}", 201);
	assert_string_equal(cJSON_GetObjectItem(p, "sector")->valuestring, "public");
	assert_int_equal(strlen(cJSON_GetObjectItem(p, "token")->valuestring), 24);
	cJSON_Delete(p);
	p = call("POST", "/api/participants", secret, "{\"id\": \"p2\", \"sector\": \"public\"}", 201);
	assert_string_equal(cJSON_GetObjectItem(p, "name")->valuestring, "p2");
	cJSON_Delete(p);

	char *before = snapshot();
	fails("POST", "/api/participants", secret, "{\"id\": \"p1\", \"sector\": \"public\"}", 409);
	fails("POST", "/api/participants", secret, "{\"id\": \"bad id!\", \"sector\": \"public\"}", 400);
	fails("POST", "/api/participants", secret, "{\"id\": \"p3\"}", 400);
	fails("POST", "/api/participants", secret, "{\"id\": \"p3\", \"sector\": \"\"}", 400);
	fails("POST", "/api/participants", secret, "{\"id\": 3, \"sector\": \"public\"}", 400);
	fails("POST", "/api/participants", secret, "{\"id\": \"p3\", \"sector\": \"x\", \"offers\": \"a\"}", 400);
	fails("POST", "/api/participants", secret, "{\"id\": \"p3\", \"sector\": \"x\", \"offers\": [1]}", 400);
	fails("POST", "/api/participants", secret, "[\"p3\"]", 400);
	char *after = snapshot();
	assert_string_equal(before, after);
	free(before);
	free(after);

	/* The session now has 17 participants, and the new ones can be rated. */
	cJSON_Delete(call("PUT", "/api/ratings", secret, "{\"from\": \"p1\", \"to\": \"a1\", \"score\": 4}", 200));
	cJSON_Delete(call("PUT", "/api/ratings", secret, "{\"from\": \"a2\", \"to\": \"p1\", \"score\": 2}", 200));
	/* Deleting removes the participant and every rating from or to them. */
	reply r;
	assert_int_equal(http(&r, "DELETE", "/api/participants/p1", secret, NULL), 0);
	assert_int_equal(r.status, 204);
	assert_int_equal(r.len, 0);
	reply_free(&r);
	assert_true(score_of("p1", "a1") < 0);
	assert_true(score_of("a2", "p1") < 0);
	fails("DELETE", "/api/participants/p1", secret, NULL, 404);
	list = call("GET", "/api/participants", secret, NULL, 200);
	assert_int_equal(cJSON_GetArraySize(list), 16);
	cJSON_Delete(list);
}

static void test_delete_strips_rules(void **state)
{
	(void)state;
	cJSON_Delete(call("PUT", "/api/rules", secret,
		"{\"rules\": {\"consortia\": 2, \"together\": [[\"a1\", \"f1\"], [\"a2\", \"f2\"]], "
		"\"apart\": [[\"a1\", \"a3\"]]}}", 200));
	reply r;
	assert_int_equal(http(&r, "DELETE", "/api/participants/a1", secret, NULL), 0);
	assert_int_equal(r.status, 204);
	reply_free(&r);
	cJSON *rules = call("GET", "/api/rules", secret, NULL, 200);
	const cJSON *body = cJSON_GetObjectItem(rules, "rules");
	const cJSON *together = cJSON_GetObjectItem(body, "together");
	assert_int_equal(cJSON_GetArraySize(together), 1);
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetArrayItem(together, 0), 0)->valuestring, "a2");
	assert_null(cJSON_GetObjectItem(body, "apart"));
	cJSON_Delete(rules);
	/* The session still reads back whole. */
	char *json = get_text("/api/session", secret);
	consort_session *s;
	consort_error err;
	assert_int_equal(consort_session_parse(&s, json, strlen(json), "x", &err), 0);
	assert_int_equal(consort_session_count(s), 14);
	consort_session_free(s);
	free(json);
}

static void test_facilitator_ratings(void **state)
{
	(void)state;
	cJSON *ok = call("PUT", "/api/ratings", secret, "{\"from\": \"a1\", \"to\": \"f1\", \"score\": 4.5}", 200);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(ok, "ok")));
	assert_true(cJSON_GetObjectItem(ok, "score")->valuedouble == 4.5);
	cJSON_Delete(ok);
	assert_true(score_of("a1", "f1") == 4.5);
	cJSON *list = call("GET", "/api/ratings", secret, NULL, 200);
	int found = 0;
	const cJSON *r;
	cJSON_ArrayForEach(r, list)
		if (!strcmp(cJSON_GetObjectItem(r, "from")->valuestring, "a1") &&
		    !strcmp(cJSON_GetObjectItem(r, "to")->valuestring, "f1")) {
			found = 1;
			assert_string_equal(cJSON_GetObjectItem(r, "by")->valuestring, "facilitator");
			assert_int_equal(strlen(cJSON_GetObjectItem(r, "at")->valuestring), 24);
		}
	assert_true(found);
	assert_int_equal(cJSON_GetArraySize(list), 210);
	cJSON_Delete(list);

	/* null deletes */
	cJSON_Delete(call("PUT", "/api/ratings", secret, "{\"from\": \"a1\", \"to\": \"f1\", \"score\": null}", 200));
	assert_true(score_of("a1", "f1") < 0);

	char *before = snapshot();
	static const char *const bad[] = {
		"{\"from\": \"a1\", \"to\": \"f2\", \"score\": 3",     /* malformed JSON */
		"{\"from\": \"a1\", \"to\": \"f2\", \"score\": 3} x",  /* trailing text */
		"{\"from\": \"a1\", \"to\": \"f2\", \"score\": \"3\"}",/* a string score */
		"{\"from\": \"a1\", \"to\": \"f2\", \"score\": true}",
		"{\"from\": \"a1\", \"to\": \"f2\"}",                  /* no score */
		"{\"from\": 1, \"to\": \"f2\", \"score\": 3}",         /* wrong type */
		"{\"from\": \"a1\", \"to\": [\"f2\"], \"score\": 3}",
		"{\"from\": \"a1\", \"to\": \"f2\", \"score\": 6}",    /* out of scale */
		"{\"from\": \"a1\", \"to\": \"f2\", \"score\": 0.5}",
		"{\"from\": \"a1\", \"to\": \"f2\", \"score\": 1e999}",
		"{\"from\": \"zz\", \"to\": \"f2\", \"score\": 3}",    /* unknown ids */
		"{\"from\": \"a1\", \"to\": \"zz\", \"score\": 3}",
		"{\"from\": \"a1\", \"to\": \"a1\", \"score\": 3}",    /* self */
		"{\"from\": \"a1\\u0000\", \"to\": \"f2\", \"score\": 3}",
		"[1, 2, 3]", "\"a1\"", "", "\xff\xfe{}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		fails("PUT", "/api/ratings", secret, bad[i], 400);
	assert_string_equal(fails("PUT", "/api/ratings", secret,
		"{\"from\": \"a1\", \"to\": \"f2\", \"score\": 7}", 400), "score: 7 is outside the scale 1..5");
	char *after = snapshot();
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void test_participant_ratings(void **state)
{
	(void)state;
	char tok[32], other[32];
	token_of("a1", tok, sizeof(tok));
	token_of("f1", other, sizeof(other));
	cJSON *me = call("GET", "/api/me", tok, NULL, 200);
	assert_string_equal(cJSON_GetObjectItem(me, "id")->valuestring, "a1");
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(me, "scale"), "max")->valueint, 5);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(me, "round")));
	/* 15 participants: everyone meets the 14 others; no round running: all met. */
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(me, "meetings")), 14);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(me, "met")), 14);
	const cJSON *m0 = cJSON_GetArrayItem(cJSON_GetObjectItem(me, "meetings"), 0);
	assert_true(cJSON_IsString(cJSON_GetObjectItem(cJSON_GetObjectItem(m0, "with"), "name")));
	cJSON_Delete(me);

	cJSON *ok = call("PUT", "/api/me/ratings", tok, "{\"to\": \"f2\", \"score\": 1}", 200);
	assert_string_equal(cJSON_GetObjectItem(ok, "to")->valuestring, "f2");
	cJSON_Delete(ok);
	assert_true(score_of("a1", "f2") == 1);
	cJSON *list = call("GET", "/api/ratings", secret, NULL, 200);
	const cJSON *r;
	cJSON_ArrayForEach(r, list)
		if (!strcmp(cJSON_GetObjectItem(r, "from")->valuestring, "a1") &&
		    !strcmp(cJSON_GetObjectItem(r, "to")->valuestring, "f2"))
			assert_string_equal(cJSON_GetObjectItem(r, "by")->valuestring, "participant");
	cJSON_Delete(list);

	/* Only their own ratings, without a "from". */
	list = call("GET", "/api/me/ratings", tok, NULL, 200);
	assert_int_equal(cJSON_GetArraySize(list), 14);
	cJSON_ArrayForEach(r, list) {
		assert_null(cJSON_GetObjectItem(r, "from"));
		assert_string_not_equal(cJSON_GetObjectItem(r, "to")->valuestring, "a1");
	}
	cJSON_Delete(list);

	/* Nobody else's ratings, neither by a "from" nor through an admin endpoint. */
	double f1a1 = score_of("f1", "a1");
	fails("PUT", "/api/me/ratings", tok, "{\"from\": \"f1\", \"to\": \"a2\", \"score\": 1}", 403);
	fails("PUT", "/api/ratings", tok, "{\"from\": \"f1\", \"to\": \"a1\", \"score\": 1}", 403);
	fails("GET", "/api/ratings", tok, NULL, 403);
	assert_true(score_of("f1", "a1") == f1a1);
	fails("PUT", "/api/me/ratings", tok, "{\"to\": \"a1\", \"score\": 3}", 400);
	fails("PUT", "/api/me/ratings", tok, "{\"to\": \"f2\", \"score\": 9}", 400);
	fails("PUT", "/api/me/ratings", tok, "{\"to\": \"f2\", \"score\": \"x\"}", 400);
	fails("PUT", "/api/me/ratings", tok, "{\"to\": \"nobody\", \"score\": 3}", 400);
	fails("PUT", "/api/me/ratings", tok, "{\"to\": \"f2\"", 400);
	assert_true(score_of("a1", "f2") == 1);

	/* With round 1 running, only the round-1 partner counts as met. */
	cJSON_Delete(call("POST", "/api/round", secret, "{\"round\": 1}", 200));
	me = call("GET", "/api/me", other, NULL, 200);
	assert_int_equal(cJSON_GetObjectItem(me, "round")->valueint, 1);
	const cJSON *met = cJSON_GetObjectItem(me, "met");
	const cJSON *meetings = cJSON_GetObjectItem(me, "meetings");
	const cJSON *first = cJSON_GetArrayItem(meetings, 0);
	int first_round = cJSON_GetObjectItem(first, "round")->valueint;
	assert_int_equal(cJSON_GetArraySize(met), first_round == 1 ? 1 : 0);
	const char *later = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(meetings, 3),
		"with"), "id")->valuestring;
	char body[128];
	snprintf(body, sizeof(body), "{\"to\": \"%s\", \"score\": 2}", later);
	fails("PUT", "/api/me/ratings", other, body, 403);
	if (first_round == 1) {
		snprintf(body, sizeof(body), "{\"to\": \"%s\", \"score\": 2}", cJSON_GetArrayItem(met, 0)->valuestring);
		cJSON_Delete(call("PUT", "/api/me/ratings", other, body, 200));
	}
	cJSON_Delete(me);
}

static void test_body_limits(void **state)
{
	(void)state;
	size_t n = ((size_t)1 << 20) + 10;
	char *big = malloc(n + 1);
	memset(big, ' ', n);
	big[n] = '\0';
	big[0] = '{';
	big[n - 1] = '}';
	fails("PUT", "/api/ratings", secret, big, 413);
	fails("PUT", "/api/rules", secret, big, 413);
	/* Imports may be up to 8 MiB. */
	fails("PUT", "/api/session", secret, big, 400);
	free(big);
	n = ((size_t)8 << 20) + 1;
	big = malloc(n + 1);
	memset(big, ' ', n);
	big[n] = '\0';
	fails("PUT", "/api/session", secret, big, 413);
	free(big);
	/* A body announced too large with Expect: 100-continue is refused before it is sent. */
	reply r;
	char buf[512];
	int len = snprintf(buf, sizeof(buf), "PUT /api/ratings HTTP/1.1\r\nHost: x\r\n"
		"Authorization: Bearer %s\r\nContent-Length: 50000000\r\nExpect: 100-continue\r\n"
		"Connection: close\r\n\r\n", secret);
	assert_int_equal(http_raw(&r, buf, (size_t)len), 0);
	assert_int_equal(r.status, 413);
	reply_free(&r);
	/* Still serving. */
	cJSON_Delete(call("GET", "/api/progress", secret, NULL, 200));
}

static void test_solve_and_lock(void **state)
{
	(void)state;
	fails("GET", "/api/proposal", secret, NULL, 404);
	fails("GET", "/api/export/proposal.csv", secret, NULL, 404);
	cJSON *p = call("POST", "/api/solve", secret, "{\"time_limit\": 30}", 200);
	assert_string_equal(cJSON_GetObjectItem(p, "format")->valuestring, "consort-proposal/1");
	assert_string_equal(cJSON_GetObjectItem(p, "status")->valuestring, "optimal");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(p, "consortia")), 2);
	assert_true(cJSON_GetObjectItem(p, "objective")->valuedouble == 44.5);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(p, "names"), "a1")->valuestring,
		"Valmennus ry");
	/* The optimum puts a1 and f1 apart; a lock keeps them together. */
	int ka = -1, kf = -1, k = 0;
	const cJSON *c;
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(p, "consortia")) {
		const cJSON *m;
		cJSON_ArrayForEach(m, cJSON_GetObjectItem(c, "members")) {
			if (!strcmp(m->valuestring, "a1"))
				ka = k;
			if (!strcmp(m->valuestring, "f1"))
				kf = k;
		}
		k++;
	}
	assert_true(ka >= 0 && kf >= 0 && ka != kf);
	cJSON_Delete(p);
	char *latest = get_text("/api/proposal", secret);
	assert_non_null(strstr(latest, "\"objective\":44.5"));
	free(latest);

	p = call("POST", "/api/solve", secret, "{\"locks\": [{\"id\": \"a1\", \"with\": \"f1\"}]}", 200);
	assert_string_equal(cJSON_GetObjectItem(p, "status")->valuestring, "optimal");
	assert_true(cJSON_GetObjectItem(p, "objective")->valuedouble < 44.5);
	ka = kf = -1;
	k = 0;
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(p, "consortia")) {
		const cJSON *m;
		cJSON_ArrayForEach(m, cJSON_GetObjectItem(c, "members")) {
			if (!strcmp(m->valuestring, "a1"))
				ka = k;
			if (!strcmp(m->valuestring, "f1"))
				kf = k;
		}
		k++;
	}
	assert_true(ka >= 0 && ka == kf);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(p, "locks")), 1);
	cJSON_Delete(p);
	/* The lock is not a stored rule. */
	char *rules = get_text("/api/rules", secret);
	assert_null(strstr(rules, "together"));
	free(rules);

	reply r;
	assert_int_equal(http(&r, "GET", "/api/export/proposal.csv", secret, NULL), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.head, "text/csv"));
	assert_int_equal(strncmp(r.body, "consortium,lot,id,name,sector,fit\r\n", 35), 0);
	assert_int_equal(tu_count_lines(r.body), 16);
	reply_free(&r);

	char *before = snapshot();
	fails("POST", "/api/solve", secret, "{\"time_limit\": -1}", 400);
	fails("POST", "/api/solve", secret, "{\"time_limit\": \"x\"}", 400);
	fails("POST", "/api/solve", secret, "{\"locks\": [{\"id\": \"a1\", \"with\": \"zz\"}]}", 400);
	fails("POST", "/api/solve", secret, "{\"locks\": [{\"id\": \"a1\", \"with\": \"a1\"}]}", 400);
	fails("POST", "/api/solve", secret, "{\"locks\": {\"id\": \"a1\"}}", 400);
	fails("POST", "/api/solve", secret, "{\"locks\": [[\"a1\", \"f1\"]]}", 400);
	char *after = snapshot();
	assert_string_equal(before, after);
	free(before);
	free(after);
	/* Infeasible rules still give a proposal (status infeasible), with the clash. */
	cJSON_Delete(call("PUT", "/api/rules", secret, "{\"rules\": {\"consortia\": 8, "
		"\"sectors\": {\"association\": {\"min\": 1}}}}", 200));
	p = call("POST", "/api/solve", secret, NULL, 200);
	assert_string_equal(cJSON_GetObjectItem(p, "status")->valuestring, "infeasible");
	cJSON_Delete(p);
}

/* The consortium of a proposal document that has this member, or NULL. */
static const cJSON *member_of(const cJSON *doc, const char *id)
{
	const cJSON *c, *m;
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "consortia"))
		cJSON_ArrayForEach(m, cJSON_GetObjectItem(c, "members"))
			if (!strcmp(m->valuestring, id))
				return c;
	return NULL;
}

static int has_id(const cJSON *arr, const char *id)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, arr)
		if (cJSON_IsString(m) && !strcmp(m->valuestring, id))
			return 1;
	return 0;
}

static double num_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);
	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

/* The library's answer for the example with these alternatives, for comparison. */
static consort_proposal *library_solve(int alternatives, int differ, const char *drop)
{
	consort_session *s;
	consort_error err;
	assert_int_equal(consort_session_parse(&s, example, strlen(example), "x", &err), 0);
	if (drop)
		assert_int_equal(consort_session_add_absent(s, drop, &err), 0);
	consort_solve_options o;
	consort_solve_options_init(&o);
	o.time_limit = 30;
	o.alternatives = alternatives;
	o.differ = differ;
	consort_proposal *p;
	assert_int_equal(consort_solve(&p, s, &o, &err), 0);
	consort_solve_thread_cleanup();
	consort_session_free(s);
	return p;
}

/* POST /api/solve with the consultant's options: alternatives, drop, why,
 * confidence, and the comparison with the latest proposal before it. */
static void test_solve_consultant(void **state)
{
	(void)state;
	/* The first proposal: fits, fairness and stability always; nothing to compare with. */
	cJSON *p0 = call("POST", "/api/solve", secret, "{\"time_limit\": 30}", 200);
	assert_null(cJSON_GetObjectItem(p0, "compare"));
	assert_null(cJSON_GetObjectItem(p0, "why"));
	assert_null(cJSON_GetObjectItem(p0, "confidence"));
	assert_true(cJSON_IsObject(cJSON_GetObjectItem(p0, "fairness")));
	assert_true(cJSON_IsObject(cJSON_GetObjectItem(p0, "stability")));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(p0, "drop")), 0);
	double best = num_of(p0, "objective");

	/* Two alternatives differing by 2, as the library finds them; why of everyone;
	 * the same best again: compared, nothing moves. */
	cJSON *p1 = call("POST", "/api/solve", secret,
		"{\"time_limit\": 30, \"alternatives\": 2, \"differ\": 2, \"why\": true}", 200);
	consort_proposal *lib = library_solve(2, 2, NULL);
	const cJSON *alts = cJSON_GetObjectItem(p1, "alternatives");
	assert_int_equal(cJSON_GetArraySize(alts), (int)consort_proposal_alternative_count(lib));
	assert_int_equal(cJSON_GetArraySize(alts), 2);
	assert_int_equal((int)num_of(p1, "differ"), 2);
	for (int k = 0; k < 2; k++) {
		const cJSON *alt = cJSON_GetArrayItem(alts, k);
		const consort_proposal *la = consort_proposal_alternative(lib, (size_t)k);
		assert_true(fabs(num_of(alt, "objective") - consort_proposal_objective(la)) < 1e-9);
		assert_true(num_of(alt, "objective") <= best);
		assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(alt, "moved")) >= 2);
	}
	consort_proposal_free(lib);
	const cJSON *why = cJSON_GetObjectItem(p1, "why");
	assert_int_equal(cJSON_GetArraySize(why), 15);
	const cJSON *w;
	cJSON_ArrayForEach(w, why) {
		/* Its fit at home is the proposal's, and it could move to the other consortium. */
		const char *id = cJSON_GetObjectItem(w, "id")->valuestring;
		const cJSON *home = member_of(p1, id);
		assert_non_null(home);
		assert_true(fabs(num_of(w, "fit") - num_of(cJSON_GetObjectItem(home, "fits"), id)) < 1e-9);
		assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(w, "moves")), 1);
	}
	const cJSON *cmp = cJSON_GetObjectItem(p1, "compare");
	assert_non_null(cmp);
	assert_true(fabs(num_of(cmp, "objective") - best) < 1e-9);
	assert_true(fabs(num_of(cmp, "difference")) < 1e-9);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cmp, "moved")), 0);

	/* What if f6 drops out: absent, in no consortium; the comparison says it moved and
	 * by how much the objective changed; the report reads the stored proposal back. */
	cJSON *p2 = call("POST", "/api/solve", secret, "{\"drop\": [\"f6\"], \"why\": \"a4\"}", 200);
	consort_proposal *dropped = library_solve(0, 1, "f6");
	assert_true(fabs(num_of(p2, "objective") - consort_proposal_objective(dropped)) < 1e-9);
	consort_proposal_free(dropped);
	assert_null(member_of(p2, "f6"));
	assert_false(has_id(cJSON_GetObjectItem(p2, "outside"), "f6"));
	assert_true(has_id(cJSON_GetObjectItem(p2, "absent"), "f6"));
	assert_true(has_id(cJSON_GetObjectItem(p2, "drop"), "f6"));
	cmp = cJSON_GetObjectItem(p2, "compare");
	assert_true(has_id(cJSON_GetObjectItem(cmp, "moved"), "f6"));
	assert_true(fabs(num_of(cmp, "objective") - best) < 1e-9);
	assert_true(fabs(num_of(cmp, "difference") - (num_of(p2, "objective") - best)) < 1e-9);
	why = cJSON_GetObjectItem(p2, "why");
	assert_int_equal(cJSON_GetArraySize(why), 1);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(why, 0), "id")->valuestring, "a4");
	reply r;
	assert_int_equal(http(&r, "GET", "/api/report.html", secret, NULL), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<li>solved as if absent: Datatalo Oy</li>"));
	reply_free(&r);
	char *latest = get_text("/api/proposal", secret);
	assert_non_null(strstr(latest, "\"drop\":[\"f6\"]"));

	/* Confidence: a few samples, a share of every member. */
	cJSON *p3 = call("POST", "/api/solve", secret, "{\"confidence\": 4, \"confidence_seed\": 7, \"compare\": false}", 200);
	assert_null(cJSON_GetObjectItem(p3, "compare"));
	const cJSON *conf = cJSON_GetObjectItem(p3, "confidence");
	assert_int_equal((int)num_of(conf, "samples"), 4);
	assert_int_equal((int)num_of(conf, "seed"), 7);
	assert_true(num_of(conf, "solved") >= 1);
	const cJSON *members = cJSON_GetObjectItem(conf, "members");
	assert_int_equal(cJSON_GetArraySize(members), 15);
	const cJSON *m;
	cJSON_ArrayForEach(m, members)
		assert_true(m->valuedouble >= 0 && m->valuedouble <= 1);
	free(latest);
	latest = get_text("/api/proposal", secret);

	/* Bad values: one line each, nothing changes (not even the latest proposal). */
	char *before = snapshot();
	static const char *const bad[] = {
		"{\"drop\": [\"zz\"]}", "{\"drop\": \"f6\"}", "{\"drop\": [3]}", "{\"differ\": 0}",
		"{\"alternatives\": 2, \"differ\": 16}", "{\"alternatives\": 11}", "{\"alternatives\": -1}",
		"{\"alternatives\": 1.5}", "{\"confidence\": 201}", "{\"confidence\": -1}", "{\"confidence\": \"x\"}",
		"{\"confidence_seed\": -2}", "{\"why\": \"zz\"}", "{\"why\": 3}", "{\"compare\": \"yes\"}",
		"{\"drop\": [\"a1\"], \"locks\": [{\"id\": \"a1\", \"with\": \"f1\"}]}",
	};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		fails("POST", "/api/solve", secret, bad[k], 400);
	assert_non_null(strstr(fails("POST", "/api/solve", secret, "{\"drop\": [\"zz\"]}", 400), "zz"));
	assert_non_null(strstr(fails("POST", "/api/solve", secret, "{\"differ\": 0}", 400), "differ"));
	assert_non_null(strstr(fails("POST", "/api/solve", secret, "{\"confidence\": 201}", 400), "200"));
	char *after = snapshot();
	assert_string_equal(before, after);
	char *still = get_text("/api/proposal", secret);
	assert_string_equal(latest, still);
	free(before);
	free(after);
	free(still);
	free(latest);
	cJSON_Delete(p0);
	cJSON_Delete(p1);
	cJSON_Delete(p2);
	cJSON_Delete(p3);
}

static void test_rules(void **state)
{
	(void)state;
	cJSON *rules = call("GET", "/api/rules", secret, NULL, 200);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(rules, "rules"), "consortia")->valueint, 2);
	assert_true(cJSON_IsObject(cJSON_GetObjectItem(rules, "scoring")));
	cJSON_Delete(rules);
	rules = call("PUT", "/api/rules", secret, "{\"rules\": {\"consortia\": 3, \"size\": {\"min\": 3}}, "
		"\"scoring\": {\"combine\": \"min\"}}", 200);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(rules, "rules"), "consortia")->valueint, 3);
	cJSON_Delete(rules);
	char *session = get_text("/api/session", secret);
	assert_non_null(strstr(session, "\"combine\": \"min\""));
	free(session);

	char *before = snapshot();
	const char *msg = fails("PUT", "/api/rules", secret,
		"{\"rules\": {\"together\": [[\"a1\", \"f1\"]], \"apart\": [[\"a1\", \"f1\"]]}}", 400);
	assert_int_equal(strncmp(msg, "rules", 5), 0);
	fails("PUT", "/api/rules", secret, "{\"rules\": {\"together\": [[\"a1\", \"zz\"]]}}", 400);
	fails("PUT", "/api/rules", secret, "{\"rules\": {\"size\": {\"min\": 5, \"max\": 2}}}", 400);
	fails("PUT", "/api/rules", secret, "{\"rules\": {\"consortia\": \"two\"}}", 400);
	fails("PUT", "/api/rules", secret, "{\"rules\": {\"consortia\": 2}, \"scoring\": {\"combine\": \"max\"}}", 400);
	fails("PUT", "/api/rules", secret, "{\"rules\": ", 400);
	char *after = snapshot();
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void test_schedule(void **state)
{
	(void)state;
	cJSON *sch = call("GET", "/api/schedule?tables=4&minutes=6&changeover=2", secret, NULL, 200);
	const cJSON *rounds = cJSON_GetObjectItem(sch, "rounds");
	/* 105 pairs at 4 tables: at least 27 rounds (the lower bound, always reached). */
	assert_int_equal(cJSON_GetArraySize(rounds), 27);
	assert_int_equal(cJSON_GetObjectItem(sch, "tables")->valueint, 4);
	const cJSON *t0 = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(rounds, 0), "tables"), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(t0, "pair")), 2);
	cJSON_Delete(sch);
	sch = call("GET", "/api/schedule?cross=association,firm", secret, NULL, 200);
	assert_int_equal(cJSON_GetObjectItem(sch, "pairs")->valueint, 56);
	cJSON_Delete(sch);
	fails("GET", "/api/schedule?tables=0", secret, NULL, 400);
	fails("GET", "/api/schedule?cross=association", secret, NULL, 400);
	fails("GET", "/api/schedule?cross=association,nobody", secret, NULL, 400);

	cJSON *s = call("PUT", "/api/schedule/settings", secret,
		"{\"tables\": 7, \"cross\": [\"association\", \"firm\"], \"minutes\": 4, \"changeover\": 1}", 200);
	assert_int_equal(cJSON_GetObjectItem(s, "tables")->valueint, 7);
	cJSON_Delete(s);
	s = call("GET", "/api/schedule/settings", secret, NULL, 200);
	assert_int_equal(cJSON_GetObjectItem(s, "minutes")->valueint, 4);
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(s, "cross"), 1)->valuestring, "firm");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(s, "round")));
	cJSON_Delete(s);
	/* The stored settings shape the schedule and the participants' itineraries. */
	sch = call("GET", "/api/schedule", secret, NULL, 200);
	assert_int_equal(cJSON_GetObjectItem(sch, "pairs")->valueint, 56);
	cJSON_Delete(sch);
	char tok[32];
	token_of("a1", tok, sizeof(tok));
	cJSON *me = call("GET", "/api/me", tok, NULL, 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(me, "meetings")), 8);
	cJSON_Delete(me);
	/* Across sectors a1 never meets a2: rating a2 is refused. */
	fails("PUT", "/api/me/ratings", tok, "{\"to\": \"a2\", \"score\": 3}", 403);

	char *before = snapshot();
	fails("PUT", "/api/schedule/settings", secret, "{\"tables\": 0}", 400);
	fails("PUT", "/api/schedule/settings", secret, "{\"tables\": 2.5}", 400);
	fails("PUT", "/api/schedule/settings", secret, "{\"minutes\": 0}", 400);
	fails("PUT", "/api/schedule/settings", secret, "{\"cross\": [\"association\"]}", 400);
	fails("PUT", "/api/schedule/settings", secret, "{\"cross\": [\"association\", \"nobody\"]}", 400);
	fails("POST", "/api/round", secret, "{\"round\": 0}", 400);
	fails("POST", "/api/round", secret, "{\"round\": 99}", 400);
	fails("POST", "/api/round", secret, "{\"round\": 1, \"started_at\": \"<script>\"}", 400);
	fails("POST", "/api/round", secret, "{}", 400);
	char *after = snapshot();
	assert_string_equal(before, after);
	free(before);
	free(after);

	cJSON *rd = call("POST", "/api/round", secret, "{\"round\": 2, \"started_at\": \"2018-10-03T09:30:00Z\"}", 200);
	assert_int_equal(cJSON_GetObjectItem(rd, "round")->valueint, 2);
	cJSON_Delete(rd);
	rd = call("GET", "/api/round", secret, NULL, 200);
	assert_string_equal(cJSON_GetObjectItem(rd, "started_at")->valuestring, "2018-10-03T09:30:00Z");
	cJSON_Delete(rd);
}

static void test_progress(void **state)
{
	(void)state;
	cJSON *p = call("GET", "/api/progress", secret, NULL, 200);
	assert_int_equal(cJSON_GetObjectItem(p, "participants")->valueint, 15);
	assert_int_equal(cJSON_GetObjectItem(p, "pairs")->valueint, 210);
	assert_int_equal(cJSON_GetObjectItem(p, "rated")->valueint, 210);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(p, "missing")), 0);
	cJSON_Delete(p);
	cJSON_Delete(call("PUT", "/api/ratings", secret, "{\"from\": \"f2\", \"to\": \"a3\", \"score\": null}", 200));
	p = call("GET", "/api/progress", secret, NULL, 200);
	assert_int_equal(cJSON_GetObjectItem(p, "rated")->valueint, 209);
	const cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItem(p, "missing"), 0);
	assert_string_equal(cJSON_GetObjectItem(m, "from")->valuestring, "f2");
	assert_string_equal(cJSON_GetObjectItem(m, "to")->valuestring, "a3");
	const cJSON *b;
	cJSON_ArrayForEach(b, cJSON_GetObjectItem(p, "by_participant")) {
		int expected = cJSON_GetObjectItem(b, "expected")->valueint;
		int given = cJSON_GetObjectItem(b, "given")->valueint;
		assert_int_equal(expected, 14);
		assert_int_equal(given, strcmp(cJSON_GetObjectItem(b, "id")->valuestring, "f2") ? 14 : 13);
	}
	cJSON_Delete(p);
}

static void test_qr(void **state)
{
	(void)state;
	reply r;
	assert_int_equal(http(&r, "GET", "/api/participants/a1/qr.svg", secret, NULL), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.head, "Content-Type: image/svg+xml"));
	assert_int_equal(strncmp(r.body, "<?xml", 5), 0);
	assert_non_null(strstr(r.body, "<svg"));
	assert_non_null(strstr(r.body, "</svg>"));
	reply_free(&r);
}

static void test_exports_and_csv_import(void **state)
{
	(void)state;
	reply r;
	assert_int_equal(http(&r, "GET", "/api/export/ratings.csv", secret, NULL), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(strncmp(r.body, "from,to,score\r\n", 15), 0);
	assert_int_equal(tu_count_lines(r.body), 211);
	reply_free(&r);

	char *parts = tu_read(CONSORT_TEST_DATA "/csv/participants.csv");
	char *ratings = tu_read(CONSORT_TEST_DATA "/csv/ratings-long.csv");
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "participants", parts);
	cJSON_AddStringToObject(body, "ratings", ratings);
	char *text = cJSON_PrintUnformatted(body);
	cJSON *res = call("POST", "/api/import/csv", secret, text, 200);
	/* The example's rules name a1..f8, not these participants' ids... */
	consort_session *s;
	consort_error err;
	assert_int_equal(consort_csv_import(&s, CONSORT_TEST_DATA "/csv/participants.csv",
		CONSORT_TEST_DATA "/csv/ratings-long.csv", &err), 0);
	assert_int_equal(cJSON_GetObjectItem(res, "participants")->valueint, (int)consort_session_count(s));
	assert_int_equal(cJSON_GetObjectItem(res, "ratings")->valueint, (int)consort_session_rating_count(s));
	consort_session_free(s);
	cJSON_Delete(res);
	free(text);

	/* A bad spreadsheet: the same message as `consort import`, nothing changed. */
	char *before = snapshot();
	char path[512];
	snprintf(path, sizeof(path), "%s/csv/r-scale.csv", CONSORT_TEST_DATA);
	char *bad = tu_read(path);
	cJSON_ReplaceItemInObject(body, "ratings", cJSON_CreateString(bad));
	text = cJSON_PrintUnformatted(body);
	const char *msg = fails("POST", "/api/import/csv", secret, text, 400);
	assert_int_equal(strncmp(msg, "ratings.csv:", 12), 0);
	consort_error_clear(&err);
	s = NULL;
	assert_true(consort_csv_import_buffers(&s, parts, strlen(parts), "participants.csv", bad,
		strlen(bad), "ratings.csv", &err) < 0);
	assert_string_equal(msg, err.message);
	free(text);
	fails("POST", "/api/import/csv", secret, "{\"participants\": 5}", 400);
	fails("POST", "/api/import/csv", secret, "{}", 400);
	char *after = snapshot();
	assert_string_equal(before, after);
	free(before);
	free(after);
	free(bad);
	cJSON_Delete(body);
	free(parts);
	free(ratings);
}

/* xorshift: reproducible garbage. */
static uint64_t rng = 88172645463325252ULL;
static unsigned next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 11);
}

static void test_garbage(void **state)
{
	(void)state;
	char *before = snapshot();
	static const char *const prefixes[] = {"", "GET ", "PUT /api/ratings HTTP/1.1\r\n",
		"GET / HTTP/1.1\r\nHost: x\r\n", "POST /api/solve HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n",
		"PUT /api/ratings HTTP/1.1\r\nTransfer-Encoding: chunked\r\nAuthorization: Bearer x\r\n\r\nzz\r\n"};
	for (int i = 0; i < 200; i++) {
		char buf[2100];
		const char *pre = prefixes[i % 6];
		size_t n = strlen(pre);
		memcpy(buf, pre, n);
		size_t extra = next_rand() % 2000;
		for (size_t k = 0; k < extra; k++)
			buf[n + k] = (char)(next_rand() & 0xff);
		n += extra;
		if (i % 3 == 0 && n + 4 < sizeof(buf)) {
			memcpy(buf + n, "\r\n\r\n", 4);
			n += 4;
		}
		/* From an address of its own: its wrong credentials get it
		 * throttled, and only it. */
		int fd = tu_connect_loopback_from(port, "127.0.0.9");
		assert_true(fd >= 0);
		struct timeval tv = {2, 0};
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		send_all(fd, buf, n);
		shutdown(fd, SHUT_WR);
		char *out = NULL;
		size_t len;
		if (read_all(fd, &out, &len) == 0)
			free(out);
		close(fd);
	}
	char *after = snapshot();
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* Every kind of response carries the security headers. */
static void test_security_headers(void **state)
{
	(void)state;
	char tok[32];
	token_of("a1", tok, sizeof(tok));
	static const char *const need[] = {
		"Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; ",
		"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'\r\n",
		"X-Content-Type-Options: nosniff\r\n", "Referrer-Policy: no-referrer\r\n"};
	const struct {
		const char *method, *path, *auth;
		int status;
	} reqs[] = {{"GET", "/", NULL, 200}, {"GET", "/p/0123", NULL, 200},
		{"GET", "/static/app.js", NULL, 200}, {"GET", "/static/app.css", NULL, 200},
		{"GET", "/static/nothing", NULL, 404}, {"POST", "/", NULL, 405},
		{"GET", "/api/progress", secret, 200}, {"GET", "/api/progress", NULL, 401},
		{"GET", "/api/progress", "wrong-but-long-enough", 403}, {"GET", "/api/nope", secret, 404},
		{"GET", "/api/participants/a1/qr.svg", secret, 200},
		{"GET", "/api/export/ratings.csv", secret, 200}, {"GET", "/api/me", tok, 200}};
	for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		reply r;
		assert_int_equal(http(&r, reqs[i].method, reqs[i].path, reqs[i].auth, NULL), 0);
		if (r.status != reqs[i].status)
			fprintf(stderr, "%s %s -> %d\n", reqs[i].method, reqs[i].path, r.status);
		assert_int_equal(r.status, reqs[i].status);
		char head[4096];
		snprintf(head, sizeof(head), "%s\r\n", r.head);
		if (strcmp(reqs[i].path, "/") == 0 && r.status == 200) {
			/* The facilitator's page allows the report's sheet too: it opens
			 * the report as a blob: URL, which keeps the page's policy. */
			char hash[48], want[160];
			const char *css = consort_report_style();
			consort__sha256_base64(hash, sizeof(hash), css, strlen(css));
			snprintf(want, sizeof(want), "style-src 'self' 'sha256-%s'; img-src", hash);
			assert_non_null(strstr(head, want));
			char *at = strstr(head, want);
			memmove(at + strlen("style-src 'self'"), at + strlen("style-src 'self' 'sha256-") + strlen(hash) + 1,
				strlen(at + strlen("style-src 'self' 'sha256-") + strlen(hash) + 1) + 1);
		}
		for (size_t k = 0; k < sizeof(need) / sizeof(need[0]); k++) {
			if (!strstr(head, need[k]))
				fprintf(stderr, "%s %s: no %s in\n%s\n", reqs[i].method, reqs[i].path, need[k], head);
			assert_non_null(strstr(head, need[k]));
		}
		reply_free(&r);
	}
}

static size_t occurrences(const char *hay, const char *needle)
{
	size_t c = 0;
	for (const char *at = hay; (at = strstr(at, needle)) != NULL; at += strlen(needle))
		c++;
	return c;
}

/* The value of header `name` in r (static buffer), or NULL. */
static const char *header_of(const reply *r, const char *name)
{
	static char value[1024];
	char key[128];
	snprintf(key, sizeof(key), "\r\n%s: ", name);
	const char *at = strstr(r->head, key);
	if (!at)
		return NULL;
	at += strlen(key);
	size_t n = strcspn(at, "\r\n");
	snprintf(value, sizeof(value), "%.*s", (int)n, at);
	return value;
}

/* FIPS 180-4's examples (one block, two blocks) and the empty text. */
static void test_sha256(void **state)
{
	(void)state;
	static const struct {
		const char *text, *base64;
	} v[] = {{"", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
		{"abc", "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
			"JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE="}};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char b64[45];
		consort__sha256_base64(b64, sizeof(b64), v[i].text, strlen(v[i].text));
		assert_string_equal(b64, v[i].base64);
	}
	unsigned char d[32];
	consort__sha256(d, "abc", 3);
	assert_int_equal(d[0], 0xba);
	assert_int_equal(d[31], 0xad);
}

/* The expected report policy: the report's style sheet by hash, nothing else. */
static void report_csp(char *out, size_t outsz)
{
	char hash[48];
	const char *css = consort_report_style();
	consort__sha256_base64(hash, sizeof(hash), css, strlen(css));
	snprintf(out, outsz, "default-src 'none'; style-src 'sha256-%s'; base-uri 'none'; "
		"form-action 'none'; frame-ancestors 'none'", hash);
}

/* A report reply: 200 HTML with the report's policy, n x n heatmap cells and
 * n network nodes, the sheet the policy allows, and no script. */
static void check_report(const reply *r, int n, int attachment)
{
	char csp[256];
	report_csp(csp, sizeof(csp));
	assert_int_equal(r->status, 200);
	assert_string_equal(header_of(r, "Content-Type"), "text/html; charset=utf-8");
	assert_string_equal(header_of(r, "Content-Security-Policy"), csp);
	assert_string_equal(header_of(r, "X-Content-Type-Options"), "nosniff");
	assert_string_equal(header_of(r, "Cache-Control"), "no-store");
	const char *disp = header_of(r, "Content-Disposition");
	if (attachment)
		assert_string_equal(disp, "attachment; filename=\"consort-report.html\"");
	else
		assert_null(disp);
	assert_int_equal(strncmp(r->body, "<!DOCTYPE html>", 15), 0);
	assert_int_equal(occurrences(r->body, "<rect class=\"cell"), (size_t)(n * n));
	assert_int_equal(occurrences(r->body, "<g class=\"node\""), (size_t)n);
	const char *css = consort_report_style();
	size_t len = strlen(css) + 32;
	char *sheet = malloc(len);
	snprintf(sheet, len, "<style>%s</style>", css);
	assert_non_null(strstr(r->body, sheet));
	free(sheet);
	assert_null(strstr(r->body, "<script"));
	assert_null(strstr(r->body, "style=\""));
}

/* GET /api/report.html and its download: the facilitator's only; solved when
 * no proposal is stored, else the latest one (with its locks); a proposal the
 * workshop moved away from is refused plainly. */
static void test_report(void **state)
{
	(void)state;
	char tok[32];
	token_of("a1", tok, sizeof(tok));
	fails("GET", "/api/report.html", NULL, NULL, 401);
	fails("GET", "/api/report.html", tok, NULL, 403);
	fails("GET", "/api/export/report.html", tok, NULL, 403);
	fails("POST", "/api/report.html", secret, NULL, 405);

	/* No proposal yet: solved for the report, and not stored. */
	reply r;
	assert_int_equal(http(&r, "GET", "/api/report.html", secret, NULL), 0);
	check_report(&r, 15, 0);
	assert_non_null(strstr(r.body, "<h1>Pirkanmaa network accelerator, 2018"));
	assert_non_null(strstr(r.body, "2 consortia"));
	assert_non_null(strstr(r.body, "<strong>Optimal</strong>"));
	reply_free(&r);
	fails("GET", "/api/proposal", secret, NULL, 404);

	/* The latest proposal, with its lock shown as a rule; HEAD has the headers only. */
	cJSON_Delete(call("POST", "/api/solve", secret, "{\"locks\": [{\"id\": \"a1\", \"with\": \"f1\"}]}", 200));
	assert_int_equal(http(&r, "GET", "/api/export/report.html", secret, NULL), 0);
	check_report(&r, 15, 1);
	assert_non_null(strstr(r.body, "<li>Valmennus ry and Puhdas Oy work in the same consortium</li>"));
	/* Stability under those rules (the lock holds a1 and f1 where they would not choose to be). */
	assert_non_null(strstr(r.body, "<p class=\"stability\"><strong>"));
	reply_free(&r);
	assert_int_equal(http(&r, "HEAD", "/api/report.html", secret, NULL), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, 0);
	reply_free(&r);

	/* A participant with a hostile name: text in the page, nothing runs. */
	cJSON_Delete(call("POST", "/api/participants", secret, "{\"id\": \"x1\", \"name\": "
		"\"<script>alert(1)</script> & \\\"Co\\\"\", \"sector\": \"firm\"}", 201));
	cJSON_Delete(call("POST", "/api/solve", secret, NULL, 200));
	assert_int_equal(http(&r, "GET", "/api/report.html", secret, NULL), 0);
	check_report(&r, 16, 0);
	assert_non_null(strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;"));
	reply_free(&r);

	/* A rating changed after the solve: the stored proposal no longer fits. */
	cJSON_Delete(call("PUT", "/api/ratings", secret, "{\"from\": \"a1\", \"to\": \"a2\", \"score\": 1}", 200));
	const char *msg = fails("GET", "/api/report.html", secret, NULL, 409);
	assert_non_null(strstr(msg, "propose again"));
	cJSON_Delete(call("POST", "/api/solve", secret, NULL, 200));
	assert_int_equal(http(&r, "GET", "/api/report.html", secret, NULL), 0);
	check_report(&r, 16, 0);
	reply_free(&r);
}

/* Wrong credentials are throttled per client address: the guesser waits,
 * the facilitator elsewhere does not. */
static void test_auth_throttle(void **state)
{
	(void)state;
	client_from = "127.0.0.3";
	for (int i = 0; i < CONSORT_SERVER_AUTH_BURST; i++)
		fails("GET", "/api/me", "0123456789abcdef01234567", NULL, 403);
	reply r;
	assert_int_equal(http(&r, "GET", "/api/me", "0123456789abcdef01234567", NULL), 0);
	assert_int_equal(r.status, 429);
	assert_non_null(strstr(r.head, "Retry-After: "));
	reply_free(&r);
	/* Even the right secret waits from there: a guesser learns nothing. */
	assert_non_null(strstr(fails("GET", "/api/progress", secret, NULL, 429), "too many"));
	/* Pages need no credential and are still served. */
	assert_int_equal(http(&r, "GET", "/", NULL, NULL), 0);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	client_from = "127.0.0.4";
	fails("GET", "/api/me", "0123456789abcdef01234567", NULL, 403);
	client_from = NULL;
	cJSON_Delete(call("GET", "/api/progress", secret, NULL, 200));
}

/* Too long a request head is refused; too many connections from one address
 * are closed at once while other addresses are served. */
static void test_connection_limits(void **state)
{
	(void)state;
	size_t n = CONSORT_SERVER_HEADER_LIMIT + 100;
	char *req = malloc(n + 200);
	int len = snprintf(req, 200, "GET /api/progress HTTP/1.1\r\nHost: x\r\nX-Big: ");
	memset(req + len, 'a', n);
	memcpy(req + len + n, "\r\nConnection: close\r\n\r\n", 24);
	reply r;
	assert_int_equal(http_raw(&r, req, (size_t)len + n + 23), 0);
	assert_true(r.status == 431 || r.status == 413);
	reply_free(&r);
	free(req);

	consort_server_options lim;
	consort_server_limits(srv, &lim);
	int *fds = malloc(sizeof(int) * (size_t)(lim.per_client + 1));
	for (int i = 0; i < lim.per_client; i++) {
		fds[i] = tu_connect_loopback_from(port, "127.0.0.5");
		assert_true(fds[i] >= 0);
	}
	/* Wait until the server holds them all, then one more is turned away. */
	cJSON_Delete(call("GET", "/api/progress", secret, NULL, 200));
	nanosleep(&(struct timespec){0, 200 * 1000 * 1000}, NULL);
	int extra = tu_connect_loopback_from(port, "127.0.0.5");
	assert_true(extra >= 0);
	char c;
	struct timeval tv = {5, 0};
	setsockopt(extra, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	assert_true(recv(extra, &c, 1, 0) <= 0); /* closed (or reset) without an answer */
	close(extra);
	cJSON_Delete(call("GET", "/api/progress", secret, NULL, 200));
	for (int i = 0; i < lim.per_client; i++)
		close(fds[i]);
	free(fds);
}

/* The database and its -wal and -shm files are for the owner only, also when
 * an older, readable database is opened. */
static void test_db_modes(void **state)
{
	(void)state;
	static const char *const files[] = {"workshop.db", "workshop.db-wal", "workshop.db-shm"};
	for (size_t i = 0; i < 3; i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		struct stat sb;
		assert_int_equal(stat(path, &sb), 0);
		if ((sb.st_mode & 0777) != 0600)
			fprintf(stderr, "%s: mode %o\n", path, (unsigned)(sb.st_mode & 0777));
		assert_int_equal(sb.st_mode & 0777, 0600);
	}
	char path[512];
	snprintf(path, sizeof(path), "%s/old.db", dir);
	assert_int_equal(tu_write(path, ""), 0);
	assert_int_equal(chmod(path, 0644), 0);
	consort_server_options o;
	consort_server_options_init(&o);
	o.db_path = path;
	consort_server *other = NULL;
	consort_error err;
	assert_int_equal(consort_server_open(&other, &o, &err), 0);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	consort_server_close(other);
}

static void test_reopen_keeps_everything(void **state)
{
	(void)state;
	cJSON_Delete(call("PUT", "/api/ratings", secret, "{\"from\": \"a1\", \"to\": \"f1\", \"score\": 2.5}", 200));
	char *before = snapshot();
	char tok[32];
	token_of("a3", tok, sizeof(tok));
	consort_server_close(srv);
	srv = NULL;
	char path[512];
	snprintf(path, sizeof(path), "%s/workshop.db", dir);
	consort_server_options o;
	consort_server_options_init(&o);
	o.db_path = path;
	o.port = 0;
	consort_error err;
	assert_int_equal(consort_server_open(&srv, &o, &err), 0);
	assert_int_equal(consort_server_listen(srv, &err), 0);
	port = consort_server_port(srv);
	assert_string_equal(consort_server_secret(srv), secret);
	char *after = snapshot();
	assert_string_equal(before, after);
	char tok2[32];
	token_of("a3", tok2, sizeof(tok2));
	assert_string_equal(tok, tok2);
	free(before);
	free(after);
	/* A file that is not a workshop database is refused with a message. */
	snprintf(path, sizeof(path), "%s/not-a-db", dir);
	assert_int_equal(tu_write(path, "this is not SQLite, just text that is long enough to matter\n"), 0);
	consort_server *other = NULL;
	o.db_path = path;
	assert_true(consort_server_open(&other, &o, &err) < 0);
	assert_null(other);
	assert_non_null(strstr(err.message, "not-a-db"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_start_prints_and_secret, reset),
		cmocka_unit_test_setup(test_static_pages, reset),
		cmocka_unit_test_setup(test_session_roundtrip, reset),
		cmocka_unit_test_setup(test_bad_upload_same_message_as_cli, reset),
		cmocka_unit_test_setup(test_auth, reset),
		cmocka_unit_test_setup(test_unknown_routes, reset),
		cmocka_unit_test_setup(test_participants, reset),
		cmocka_unit_test_setup(test_delete_strips_rules, reset),
		cmocka_unit_test_setup(test_facilitator_ratings, reset),
		cmocka_unit_test_setup(test_participant_ratings, reset),
		cmocka_unit_test_setup(test_body_limits, reset),
		cmocka_unit_test_setup(test_solve_and_lock, reset),
		cmocka_unit_test_setup(test_solve_consultant, reset),
		cmocka_unit_test_setup(test_rules, reset),
		cmocka_unit_test_setup(test_schedule, reset),
		cmocka_unit_test_setup(test_progress, reset),
		cmocka_unit_test_setup(test_qr, reset),
		cmocka_unit_test_setup(test_exports_and_csv_import, reset),
		cmocka_unit_test_setup(test_garbage, reset),
		cmocka_unit_test_setup(test_security_headers, reset),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test_setup(test_report, reset),
		cmocka_unit_test_setup(test_auth_throttle, reset),
		cmocka_unit_test_setup(test_connection_limits, reset),
		cmocka_unit_test_setup(test_db_modes, reset),
		cmocka_unit_test_setup(test_reopen_keeps_everything, reset),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
