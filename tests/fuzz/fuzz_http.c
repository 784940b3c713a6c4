/* libFuzzer target for the HTTP API of consort serve: requests go straight to
 * the router (src/server/router.c), as http.c hands them over from
 * libmicrohttpd, without sockets. Every input runs against a fresh copy of one
 * small workshop (participants with hostile names, ratings, rules, schedule
 * settings, a running round and a stored proposal), so that what one input
 * changes never leaks into the next and every run is the same.
 *
 * An input is up to MAX_REQUESTS requests separated by the byte 0xFE (never
 * part of UTF-8 text). Each request is
 *     METHOD SP TARGET LF          TARGET = path[?query], percent-encoded
 *     Name: value LF ...           headers, up to an empty line
 *     body                         everything after the empty line
 * A header "@: N" stands for "Authorization: Bearer <credential N>": 0 the
 * facilitator's secret, 1..n the seeded participants' tokens, anything else a
 * wrong one. Content-Length is the body's length unless given.
 *
 * Every answer must be a known status (never 500), JSON when it says so, an
 * error of one line, and carry the security headers; afterwards the
 * facilitator must still be able to read the whole workshop.
 *
 * Build and run (see README.md, "Live workshop"):
 *   CC=clang cmake -S . -B build-fuzz -DCONSORT_FUZZ=ON -DCONSORT_TESTS=OFF
 *   cmake --build build-fuzz -j2 --target fuzz_http
 *   build-fuzz/tests/fuzz/fuzz_http -dict=tests/fuzz/fuzz_http.dict tests/data/http */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "consort.h"
#include "router.h"
#include "server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define MAX_REQUESTS 8
#define MAX_HEADERS 32
#define SOLVE_MAX_PARTICIPANTS 10
#define SECRET "fuzz-secret-0123456789abcdef"

/* ---- deterministic "random" tokens ----
 * The build links with -Wl,--wrap=consort__srv_random_hex: the store's tokens
 * come from this counter, reset for every input, so that the same input always
 * meets the same tokens. */
int __wrap_consort__srv_random_hex(char *out, size_t nbytes);
static unsigned long long token_counter;

int __wrap_consort__srv_random_hex(char *out, size_t nbytes)
{
	snprintf(out, 2 * nbytes + 1, "%0*llx", (int)(2 * nbytes), ++token_counter);
	return 0;
}

/* ---- the seeded workshop ---- */

static const char seed_session[] =
	"{\"format\": \"consort-session/1\", \"title\": \"Fuzz <b>&amp; \\\"workshop\\\"\","
	" \"scale\": {\"min\": 1, \"max\": 5},"
	" \"participants\": ["
	"  {\"id\": \"a1\", \"name\": \"<img src=x onerror=alert(1)>\", \"sector\": \"association\","
	"   \"offers\": [\"coaching\", \"venues\"]},"
	"  {\"id\": \"a2\", \"name\": \"\\\"; DROP TABLE participants; --\", \"sector\": \"association\"},"
	"  {\"id\": \"f1\", \"name\": \"Caf\\u00e9 &amp; Co\", \"sector\": \"firm\", \"offers\": [\"cleaning\"]},"
	"  {\"id\": \"f2\", \"name\": \"\\u6771\\u4eac 'quotes'\", \"sector\": \"firm\"},"
	"  {\"id\": \"p1\", \"name\": \"Public\", \"sector\": \"public\", \"offers\": [\"funding\"]},"
	"  {\"id\": \"p2\", \"sector\": \"public\"}],"
	" \"ratings\": [{\"from\": \"a1\", \"to\": \"f1\", \"score\": 4},"
	"  {\"from\": \"f1\", \"to\": \"a1\", \"score\": 5}, {\"from\": \"a2\", \"to\": \"f2\", \"score\": 2.5},"
	"  {\"from\": \"p1\", \"to\": \"a1\", \"score\": 1}],"
	" \"rules\": {\"consortia\": 2, \"apart\": [[\"f1\", \"f2\"]], \"together\": [[\"a1\", \"p1\"]]},"
	" \"scoring\": {\"combine\": \"min\"}}";

static char dir[256], template_db[300], work_db[300];
static char creds[16][64]; /* "Bearer <secret>", then each seeded participant's token */
static size_t ncreds;
static int verbose; /* FUZZ_HTTP_VERBOSE=1: every request and its answer on stderr */

/* ---- requests ---- */

typedef struct header {
	const char *name, *value;
	size_t nlen, vlen;
} header;

typedef struct request {
	char *method, *path, *query;
	header headers[MAX_HEADERS];
	size_t nheaders;
	char *strings; /* the request line: method, decoded path, query */
	const char *body;
	size_t blen;
	char length[24];
	char root[2];
	/* What lookup returned, kept until the request ends (as libmicrohttpd's are). */
	char *found[64];
	size_t nfound;
} request;

static const char *keep(request *rq, const char *s, size_t n)
{
	if (rq->nfound == sizeof(rq->found) / sizeof(rq->found[0]))
		return NULL;
	char *c = malloc(n + 1);
	if (!c)
		abort();
	memcpy(c, s, n);
	c[n] = '\0';
	return rq->found[rq->nfound++] = c;
}

static void request_free(request *rq)
{
	for (size_t i = 0; i < rq->nfound; i++)
		free(rq->found[i]);
	free(rq->strings);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes (and '+' as space when plus) in place, as libmicrohttpd
 * does; a decoded NUL ends the string. */
static void unescape(char *s, int plus)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (*r == '%' && hexval(r[1]) >= 0 && hexval(r[2]) >= 0) {
			*w++ = (char)(hexval(r[1]) * 16 + hexval(r[2]));
			r += 2;
		} else if (plus && *r == '+') {
			*w++ = ' ';
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* A query argument, decoded, or NULL. */
static const char *query_arg(request *rq, const char *name)
{
	if (!rq->query)
		return NULL;
	const char *p = rq->query;
	while (*p) {
		size_t n = strcspn(p, "&");
		const char *eq = memchr(p, '=', n);
		size_t klen = eq ? (size_t)(eq - p) : n;
		char key[256];
		if (klen < sizeof(key)) {
			memcpy(key, p, klen);
			key[klen] = '\0';
			unescape(key, 1);
			if (strcmp(key, name) == 0) {
				const char *v = keep(rq, eq ? eq + 1 : "", eq ? n - klen - 1 : 0);
				if (v)
					unescape((char *)(uintptr_t)v, 1);
				return v;
			}
		}
		p += n;
		if (*p == '&')
			p++;
	}
	return NULL;
}

static const char *lookup(void *ctx, consort__http_kind kind, const char *name)
{
	request *rq = ctx;
	if (kind == HTTP_QUERY)
		return query_arg(rq, name);
	for (size_t i = 0; i < rq->nheaders; i++) {
		header *h = &rq->headers[i];
		if (h->nlen == strlen(name) && strncasecmp(h->name, name, h->nlen) == 0)
			return keep(rq, h->value, h->vlen);
	}
	if (strcasecmp(name, "Content-Length") == 0 && rq->blen)
		return rq->length;
	return NULL;
}

static const char *trim(const char *s, const char *end, const char **out_end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*out_end = end;
	return s;
}

/* Splits one request; 0, or -1 when it has no request line. */
static int parse_request(request *rq, const char *data, size_t size)
{
	memset(rq, 0, sizeof(*rq));
	const char *end = data + size;
	const char *nl = memchr(data, '\n', size);
	const char *line_end = nl ? nl : end;
	/* Method and target; a NUL anywhere in the head ends it, as it would the
	 * connection in libmicrohttpd. */
	size_t head = (size_t)(line_end - data);
	if (memchr(data, '\0', head))
		return -1;
	if (!(rq->strings = malloc(size + 2)))
		return -1;
	char *s = rq->strings;
	memcpy(s, data, head);
	s[head] = '\0';
	if (head && s[head - 1] == '\r')
		s[head - 1] = '\0';
	char *sp = strchr(s, ' ');
	rq->method = s;
	rq->path = sp ? sp + 1 : strcpy(rq->root, "/");
	if (sp)
		*sp = '\0';
	char *sp2 = sp ? strchr(rq->path, ' ') : NULL; /* " HTTP/1.1" */
	if (sp2)
		*sp2 = '\0';
	char *q = strchr(rq->path, '?');
	if (q) {
		*q = '\0';
		rq->query = q + 1;
	}
	unescape(rq->path, 0);
	/* Headers. */
	const char *p = nl ? nl + 1 : end;
	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		const char *le = e ? e : end;
		const char *te;
		const char *t = trim(p, le, &te);
		p = e ? e + 1 : end;
		if (t == te)
			break; /* the empty line: the body follows */
		const char *colon = memchr(t, ':', (size_t)(te - t));
		if (!colon || memchr(t, '\0', (size_t)(te - t)) || rq->nheaders == MAX_HEADERS)
			continue;
		header *h = &rq->headers[rq->nheaders++];
		const char *ne;
		h->name = trim(t, colon, &ne);
		h->nlen = (size_t)(ne - h->name);
		const char *ve;
		h->value = trim(colon + 1, te, &ve);
		h->vlen = (size_t)(ve - h->value);
		if (h->nlen == 1 && h->name[0] == '@') {
			size_t k = h->vlen == 1 && h->value[0] >= '0' && h->value[0] <= '9'
				? (size_t)(h->value[0] - '0') : ncreds;
			h->name = "Authorization";
			h->nlen = strlen(h->name);
			h->value = k < ncreds ? creds[k] : "Bearer 0123456789abcdef01234567";
			h->vlen = strlen(h->value);
		}
	}
	rq->body = p;
	rq->blen = (size_t)(end - p);
	snprintf(rq->length, sizeof(rq->length), "%zu", rq->blen);
	return 0;
}

static int contains(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return 1;
	return 0;
}

static void check_response(const request *rq, const consort__response *rs)
{
	static const int known[] = {200, 201, 204, 400, 401, 403, 404, 405, 409, 413, 429};
	int ok = 0;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		ok |= rs->status == known[i];
	if (!ok) {
		fprintf(stderr, "fuzz_http: %s %s: status %d: %.*s\n", rq->method, rq->path, rs->status,
			(int)(rs->len < 300 ? rs->len : 300), rs->body ? rs->body : "");
		abort();
	}
	if (rs->status != 204 && !rs->body)
		abort();
	if (rs->body && rs->content_type && strcmp(rs->content_type, "application/json") == 0) {
		cJSON *doc = cJSON_ParseWithLength(rs->body, rs->len);
		if (!doc) {
			fprintf(stderr, "fuzz_http: %s %s: not JSON: %.*s\n", rq->method, rq->path,
				(int)(rs->len < 300 ? rs->len : 300), rs->body);
			abort();
		}
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(doc, "error");
		if (rs->status >= 400 && (!cJSON_IsString(e) || strchr(e->valuestring, '\n')))
			abort();
		cJSON_Delete(doc);
	}
	/* Pages and pictures carry names escaped: the seeded markup never shows raw. */
	if (rs->body && rs->content_type && (strstr(rs->content_type, "html") || strstr(rs->content_type, "svg")) &&
	    (contains(rs->body, rs->len, "<img src=x") || contains(rs->body, rs->len, "<b>&amp;"))) {
		fprintf(stderr, "fuzz_http: %s %s: a name as markup in %s\n", rq->method, rq->path, rs->content_type);
		abort();
	}
	if (rs->status == 429 && !rs->retry_after)
		abort();
	if (rs->status == 405 && (!rs->allow || !rs->allow[0]))
		abort();
	const char *const *h = consort__router_security_headers(rs);
	if (!h || strcmp(h[0], "Content-Security-Policy") != 0 || !strstr(h[1], "frame-ancestors 'none'"))
		abort();
}

/* One request through the router as http.c runs it; the answer's status. */
static int run_request(consort_server *srv, request *rq, double now)
{
	const consort__router *rt = consort__server_router(srv);
	consort__http_in in = {0};
	in.method = rq->method;
	in.path = rq->path;
	in.lookup = lookup;
	in.ctx = rq;
	in.addr[0] = 192, in.addr[1] = 168, in.addr[2] = 1, in.addr[3] = 20;
	in.addr_len = 4;
	in.now = now;
	consort__exchange x = {0};
	consort__response rs = {0};
	consort__router_begin(rt, &in, &x);
	if (!consort__router_answer_now(&in, &x)) {
		/* The body in pieces, as libmicrohttpd hands it over. */
		size_t piece = 1 + rq->blen % 4093;
		for (size_t at = 0; at < rq->blen; at += piece) {
			size_t n = rq->blen - at < piece ? rq->blen - at : piece;
			if (consort__router_body(&x, rq->body + at, n) < 0) {
				consort__router_done(&x);
				return 0; /* the connection is closed */
			}
		}
		if (consort__router_slow(&x) && (strcmp(x.route->pattern, "/api/solve") == 0 ||
		    strstr(x.route->pattern, "report"))) {
			/* Solving a workshop the input made large takes seconds. */
			size_t np = 0, nr = 0;
			if (consort_server_counts(srv, &np, &nr) == 0 && np > SOLVE_MAX_PARTICIPANTS) {
				consort__router_done(&x);
				return 0;
			}
		}
	}
	consort__router_finish(rt, &in, &x, &rs);
	if (verbose)
		fprintf(stderr, "%s %s -> %d %.*s\n", rq->method, rq->path, rs.status,
			(int)(rs.len < 160 ? rs.len : 160), rs.body && !rs.borrowed ? rs.body : "");
	check_response(rq, &rs);
	consort__router_done(&x);
	if (!rs.borrowed)
		free(rs.body);
	return rs.status;
}

/* Whatever the input did, the facilitator still reads the whole workshop. */
static void check_workshop(consort_server *srv)
{
	static const char *const reads[] = {"GET /api/session", "GET /api/participants", "GET /api/rules",
		"GET /api/ratings", "GET /api/progress", "GET /api/schedule/settings", "GET /api/round"};
	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
		char text[128];
		snprintf(text, sizeof(text), "%s\n@: 0\n\n", reads[i]);
		request rq;
		if (parse_request(&rq, text, strlen(text)) < 0)
			abort();
		int status = run_request(srv, &rq, 2000.0);
		request_free(&rq);
		if (status != 200) {
			fprintf(stderr, "fuzz_http: afterwards %s answers %d\n", reads[i], status);
			abort();
		}
	}
}

static void run_text(consort_server *srv, const char *text, double now, char **answer)
{
	request rq;
	if (parse_request(&rq, text, strlen(text)) < 0)
		abort();
	const consort__router *rt = consort__server_router(srv);
	consort__http_in in = {0};
	in.method = rq.method;
	in.path = rq.path;
	in.lookup = lookup;
	in.ctx = &rq;
	in.now = now;
	consort__exchange x = {0};
	consort__response rs = {0};
	consort__router_begin(rt, &in, &x);
	consort__router_body(&x, rq.body, rq.blen);
	consort__router_finish(rt, &in, &x, &rs);
	if (rs.status >= 300) {
		fprintf(stderr, "fuzz_http: seeding: %s %s: %d %.*s\n", rq.method, rq.path, rs.status,
			(int)rs.len, rs.body ? rs.body : "");
		abort();
	}
	consort__router_done(&x);
	if (answer) {
		*answer = rs.body;
		rs.body = NULL;
	}
	if (!rs.borrowed)
		free(rs.body);
	request_free(&rq);
}

/* ---- the database of each input ---- */

static void copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (in < 0 || out < 0)
		abort();
	char buf[1 << 16];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			abort();
	if (n < 0)
		abort();
	close(in);
	close(out);
}

static void remove_db(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < 4; i++) {
		char p[320];
		snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
		unlink(p);
	}
}

static void cleanup(void)
{
	remove_db(template_db);
	remove_db(work_db);
	rmdir(dir);
}

static consort_server *open_server(const char *path)
{
	consort_server_options o;
	consort_server_options_init(&o);
	o.db_path = path;
	o.secret = SECRET;
	o.port = 0;
	consort_server *srv = NULL;
	consort_error err;
	if (consort_server_open(&srv, &o, &err) != 0) {
		fprintf(stderr, "fuzz_http: %s\n", err.message);
		abort();
	}
	return srv;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* tmpfs when there is one: every write is fsync'ed. */
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/consort-fuzz-http-XXXXXX", base ? base : "/tmp");
	if (!mkdtemp(dir))
		abort();
	snprintf(template_db, sizeof(template_db), "%s/template.db", dir);
	snprintf(work_db, sizeof(work_db), "%s/work.db", dir);
	atexit(cleanup);

	consort_server *srv = open_server(template_db);
	consort_session *s = NULL;
	consort_error err;
	if (consort_session_parse(&s, seed_session, strlen(seed_session), "seed.json", &err) != 0 ||
	    consort_server_import(srv, s, &err) != 0) {
		fprintf(stderr, "fuzz_http: %s\n", err.message);
		abort();
	}
	consort_session_free(s);
	const char *auth = "Authorization: Bearer " SECRET "\n";
	char req[512];
	static const char *const setup[][2] = {
		{"PUT /api/schedule/settings", "{\"tables\": 3, \"minutes\": 7, \"changeover\": 1, "
			"\"start\": \"09:30\", \"cross\": null}"},
		{"POST /api/round", "{\"round\": 2, \"started_at\": \"2024-05-01T09:37:00Z\"}"},
		{"POST /api/solve", "{\"time_limit\": 5}"},
	};
	for (size_t i = 0; i < sizeof(setup) / sizeof(setup[0]); i++) {
		snprintf(req, sizeof(req), "%s\n%s\n%s", setup[i][0], auth, setup[i][1]);
		run_text(srv, req, 1.0, NULL);
	}
	/* The credentials: the secret, then the participants' tokens in order. */
	char *list = NULL;
	snprintf(req, sizeof(req), "GET /api/participants\n%s\n", auth);
	run_text(srv, req, 1.0, &list);
	snprintf(creds[ncreds++], sizeof(creds[0]), "Bearer %s", SECRET);
	cJSON *doc = cJSON_Parse(list);
	const cJSON *p;
	cJSON_ArrayForEach(p, doc) {
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(p, "token");
		if (cJSON_IsString(t) && ncreds < sizeof(creds) / sizeof(creds[0]))
			snprintf(creds[ncreds++], sizeof(creds[0]), "Bearer %s", t->valuestring);
	}
	cJSON_Delete(doc);
	free(list);
	consort_server_close(srv);
	if (ncreds < 7)
		abort();
	verbose = getenv("FUZZ_HTTP_VERBOSE") != NULL;
	if (verbose)
		for (size_t i = 0; i < ncreds; i++)
			fprintf(stderr, "credential %zu: %s\n", i, creds[i]);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	remove_db(work_db);
	copy_file(template_db, work_db);
	token_counter = 1000;
	consort_server *srv = open_server(work_db);
	const char *p = (const char *)data, *end = p + size;
	for (int i = 0; i < MAX_REQUESTS && p < end; i++) {
		const char *sep = memchr(p, 0xFE, (size_t)(end - p));
		size_t n = sep ? (size_t)(sep - p) : (size_t)(end - p);
		request rq;
		if (parse_request(&rq, p, n) == 0)
			run_request(srv, &rq, 1000.0 + i);
		request_free(&rq);
		p = sep ? sep + 1 : end;
	}
	check_workshop(srv);
	consort_server_close(srv);
	return 0;
}
