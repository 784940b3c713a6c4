/* The request path of consort serve, independent of the transport: routing,
 * authentication with failed-attempt throttling, body limits, static pages,
 * the endpoints' call, and the headers every response carries. */
#include "router.h"
#include "sha256.h"
#include "store.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- responses ---- */

void consort__respond_body(consort__response *rs, int status, const char *type, char *body,
	size_t len)
{
	if (!rs->borrowed)
		free(rs->body);
	rs->borrowed = 0;
	rs->status = status;
	rs->content_type = type;
	rs->body = body;
	rs->len = len;
	if (!body && len) {
		rs->status = 500;
		rs->len = 0;
	}
}

void consort__respond_json(consort__response *rs, int status, cJSON *doc)
{
	char *text = doc ? cJSON_PrintUnformatted(doc) : NULL;
	cJSON_Delete(doc);
	if (!text) {
		consort__respond_error(rs, 500, "out of memory");
		return;
	}
	size_t n = strlen(text);
	char *body = realloc(text, n + 2);
	if (!body) {
		free(text);
		consort__respond_error(rs, 500, "out of memory");
		return;
	}
	body[n] = '\n';
	body[n + 1] = '\0';
	consort__respond_body(rs, status, "application/json", body, n + 1);
}

void consort__respond_error(consort__response *rs, int status, const char *fmt, ...)
{
	char msg[CONSORT_ERROR_MAX + 64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One line: a message never carries a newline into the JSON. */
	for (char *c = msg; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	cJSON *doc = cJSON_CreateObject();
	char *text = NULL;
	if (doc && cJSON_AddStringToObject(doc, "error", msg))
		text = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	if (!text) {
		static const char oom[] = "{\"error\":\"out of memory\"}\n";
		text = malloc(sizeof(oom));
		if (text)
			memcpy(text, oom, sizeof(oom));
		status = 500;
	} else {
		size_t n = strlen(text);
		char *bigger = realloc(text, n + 2);
		if (bigger) {
			text = bigger;
			text[n] = '\n';
			text[n + 1] = '\0';
		}
	}
	consort__respond_body(rs, status, "application/json", text, text ? strlen(text) : 0);
}

const char *consort__request_query(const consort__request *rq, const char *name)
{
	return rq->in->lookup(rq->in->ctx, HTTP_QUERY, name);
}

/* Scripts, styles and pictures come from this server only (the tool works
 * offline and injected markup cannot run); nothing may frame the pages. */
static const char default_csp[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
	"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
	"form-action 'self'";

/* The workshop report (consort_report_html) runs no script and fetches
 * nothing; its one need is its own <style> sheet. That sheet is allowed by its
 * SHA-256 hash, never by 'unsafe-inline', so injected markup can neither run
 * nor style anything. The facilitator's page opens the report in a new tab as
 * a blob: URL, and a blob: document keeps the policy of the page that made it:
 * the page's own policy allows the same sheet (and nothing else inline). */
static char report_csp[256], facilitator_csp[sizeof(default_csp) + 64];
static pthread_once_t csp_once = PTHREAD_ONCE_INIT;

static void make_csps(void)
{
	char hash[48];
	const char *css = consort_report_style();
	consort__sha256_base64(hash, sizeof(hash), css, strlen(css));
	snprintf(report_csp, sizeof(report_csp), "default-src 'none'; style-src 'sha256-%s'; "
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'", hash);
	const char *style = strstr(default_csp, "style-src 'self'") + strlen("style-src 'self'");
	snprintf(facilitator_csp, sizeof(facilitator_csp), "%.*s 'sha256-%s'%s",
		(int)(style - default_csp), default_csp, hash, style);
}

const char *consort__report_csp(void)
{
	pthread_once(&csp_once, make_csps);
	return report_csp;
}

static const char *page_csp(void)
{
	pthread_once(&csp_once, make_csps);
	return facilitator_csp;
}

const char *const *consort__router_security_headers(const consort__response *rs)
{
	/* Participants' tokens are in their pages' URLs: never send them on. */
	static const char *page[] = {"Content-Security-Policy", default_csp,
		"X-Content-Type-Options", "nosniff", "Referrer-Policy", "no-referrer",
		"X-Frame-Options", "DENY", "Cache-Control", "no-cache", NULL};
	static const char *data[] = {"Content-Security-Policy", default_csp,
		"X-Content-Type-Options", "nosniff", "Referrer-Policy", "no-referrer",
		"X-Frame-Options", "DENY", "Cache-Control", "no-store", NULL};
	static _Thread_local const char *custom[11];
	const char *const *base = rs->page ? page : data;
	if (!rs->csp)
		return base;
	memcpy(custom, base, sizeof(custom));
	custom[1] = rs->csp;
	return custom;
}

/* ---- static pages ---- */

static const consort__asset *find_asset(const char *name)
{
	for (size_t i = 0; i < consort__nassets; i++)
		if (strcmp(consort__assets[i].name, name) == 0)
			return &consort__assets[i];
	return NULL;
}

static int is_static_path(const char *path)
{
	return strcmp(path, "/") == 0 || strncmp(path, "/p/", 3) == 0 ||
		strncmp(path, "/static/", 8) == 0;
}

static void serve_static(const char *path, consort__response *rs)
{
	const char *name = NULL;
	if (strcmp(path, "/") == 0)
		name = "index.html";
	else if (strncmp(path, "/p/", 3) == 0 && path[3] && !strchr(path + 3, '/'))
		name = "participant.html"; /* any token: the API decides what it may see */
	else if (strncmp(path, "/static/", 8) == 0 && path[8] && !strchr(path + 8, '/'))
		name = path + 8;
	const consort__asset *a = name ? find_asset(name) : NULL;
	if (!a) {
		consort__respond_error(rs, 404, "no such page: %.100s", path);
		return;
	}
	consort__respond_body(rs, 200, a->content_type, (char *)(void *)(uintptr_t)a->data, a->len);
	rs->borrowed = 1;
	rs->page = 1;
	if (strcmp(name, "index.html") == 0)
		rs->csp = page_csp();
}

/* ---- routing and authentication ---- */

/* 1 when path matches pattern; a '*' captures one non-empty segment into arg. */
static int match(const char *pattern, const char *path, char *arg, size_t argsz, int *has_arg)
{
	while (*pattern) {
		if (*pattern == '*') {
			size_t n = strcspn(path, "/");
			if (n == 0 || n >= argsz)
				return 0;
			memcpy(arg, path, n);
			arg[n] = '\0';
			*has_arg = 1;
			path += n;
			pattern++;
		} else if (*pattern == *path) {
			pattern++;
			path++;
		} else {
			return 0;
		}
	}
	return *path == '\0';
}

static int same_method(const char *route_method, const char *method)
{
	return strcmp(route_method, method) == 0 ||
		(strcmp(route_method, "GET") == 0 && strcmp(method, "HEAD") == 0);
}

static void reject(consort__exchange *x, int status, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static void reject(consort__exchange *x, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->msg, sizeof(x->msg), fmt, ap);
	va_end(ap);
	x->status = status;
}

static void find_route(consort__exchange *x, const char *path, const char *method)
{
	int path_known = 0;
	for (size_t i = 0; i < consort__nroutes; i++) {
		const consort__route *r = &consort__routes[i];
		char arg[sizeof(x->arg)];
		int has_arg = 0;
		if (!match(r->pattern, path, arg, sizeof(arg), &has_arg))
			continue;
		if (!strstr(x->allow, r->method)) {
			size_t used = strlen(x->allow);
			snprintf(x->allow + used, sizeof(x->allow) - used, "%s%s", used ? ", " : "", r->method);
		}
		path_known = 1;
		if (!x->route && same_method(r->method, method)) {
			x->route = r;
			x->has_arg = has_arg;
			memcpy(x->arg, arg, sizeof(arg));
		}
	}
	if (!x->route && path_known)
		reject(x, 405, "%.16s is not allowed on %.100s (allowed: %s)", method, path, x->allow);
	else if (!x->route)
		reject(x, 404, "unknown route: %.16s %.100s", method, path);
}

static void authenticate(const consort__router *rt, const consort__http_in *in, consort__exchange *x)
{
	static const char how[] = "send the header Authorization: Bearer <secret or token>";
	const char *auth = in->lookup(in->ctx, HTTP_HEADER, "Authorization");
	if (!auth || !*auth) {
		reject(x, 401, "missing credentials: %s", how);
		return;
	}
	if (strncasecmp(auth, "Bearer ", 7) != 0) {
		reject(x, 401, "unsupported credentials: %s", how);
		return;
	}
	const char *cred = auth + 7;
	while (*cred == ' ')
		cred++;
	if (!*cred) {
		reject(x, 401, "missing credentials: %s", how);
		return;
	}
	/* An address that guessed wrong too often waits before any credential of
	 * it is even looked at; other addresses are not affected. */
	unsigned wait = rt->auth_limit && in->addr_len
		? consort__ratelimit_wait(rt->auth_limit, in->addr, in->addr_len, in->now) : 0;
	if (wait) {
		x->retry_after = wait;
		reject(x, 429, "too many wrong credentials from this address: try again in %u s", wait);
		return;
	}
	int who = consort__store_auth(rt->store, cred, x->me);
	if (who == 0) {
		if (rt->auth_limit && in->addr_len)
			consort__ratelimit_fail(rt->auth_limit, in->addr, in->addr_len, in->now);
		reject(x, 403, "wrong credentials: neither the facilitator's secret nor a participant's token");
	} else if (x->route->role == ROLE_ADMIN && who != ROLE_ADMIN) {
		reject(x, 403, "only the facilitator may do this (a participant's link cannot)");
	} else if (x->route->role == ROLE_PARTICIPANT && who != ROLE_PARTICIPANT) {
		reject(x, 403, "this is a participant's endpoint: call it with the participant's token");
	}
	x->role = (consort__role)who;
}

/* Content-Length as a number; -1 when absent or not a number. */
static long long content_length(const consort__http_in *in)
{
	const char *v = in->lookup(in->ctx, HTTP_HEADER, "Content-Length");
	if (!v || !*v)
		return -1;
	long long n = 0;
	for (const char *d = v; *d; d++) {
		if (*d < '0' || *d > '9' || n > (1LL << 50))
			return -1;
		n = n * 10 + (*d - '0');
	}
	return n;
}

void consort__router_begin(const consort__router *rt, const consort__http_in *in,
	consort__exchange *x)
{
	if (is_static_path(in->path)) {
		if (strcmp(in->method, "GET") != 0 && strcmp(in->method, "HEAD") != 0) {
			snprintf(x->allow, sizeof(x->allow), "GET, HEAD");
			reject(x, 405, "%.16s is not allowed on %.100s (allowed: GET)", in->method, in->path);
		}
		return;
	}
	find_route(x, in->path, in->method);
	if (x->status)
		return;
	authenticate(rt, in, x);
	if (x->status)
		return;
	long long n = content_length(in);
	if (n > (long long)x->route->limit)
		reject(x, 413, "request body too large: %lld bytes, the limit is %zu", n, x->route->limit);
	else if (n > (long long)ROUTER_DRAIN_LIMIT)
		reject(x, 413, "request body too large: %lld bytes", n);
}

int consort__router_answer_now(const consort__http_in *in, const consort__exchange *x)
{
	if (!x->status)
		return 0;
	const char *expect = in->lookup(in->ctx, HTTP_HEADER, "Expect");
	return (expect && strcasecmp(expect, "100-continue") == 0) ||
		content_length(in) > (long long)ROUTER_DRAIN_LIMIT;
}

int consort__router_body(consort__exchange *x, const char *data, size_t n)
{
	if (x->status || !x->route) {
		x->drained += n;
		return x->drained > ROUTER_DRAIN_LIMIT ? -1 : 0;
	}
	if (x->body.len + n > x->route->limit) {
		reject(x, 413, "request body too large: the limit is %zu bytes", x->route->limit);
		x->drained = x->body.len + n;
		consort__srv_buf_free(&x->body);
		return 0;
	}
	consort__srv_buf_add(&x->body, data, n);
	if (x->body.failed)
		reject(x, 500, "out of memory");
	return 0;
}

int consort__router_slow(const consort__exchange *x)
{
	return !x->status && x->route && x->route->slow;
}

/* Our own host:port when the Host header is missing or holds anything but
 * host name, IPv4 or [IPv6] characters and a port. */
static const char *request_host(const consort__router *rt, const consort__http_in *in)
{
	const char *h = in->lookup(in->ctx, HTTP_HEADER, "Host");
	if (!h || !*h || strlen(h) > 255 || strspn(h,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") != strlen(h))
		return rt->self_host;
	return h;
}

void consort__router_finish(const consort__router *rt, const consort__http_in *in,
	consort__exchange *x, consort__response *rs)
{
	if (x->status) {
		consort__respond_error(rs, x->status, "%s", x->msg);
		rs->retry_after = x->retry_after;
		rs->allow = x->status == 405 ? x->allow : NULL;
		return;
	}
	if (!x->route) {
		serve_static(in->path, rs);
		return;
	}
	consort__request rq = {0};
	rq.method = in->method;
	rq.path = in->path;
	rq.arg = x->has_arg ? x->arg : NULL;
	rq.len = x->body.len;
	rq.body = x->body.len ? x->body.data : NULL;
	rq.host = request_host(rt, in);
	rq.role = x->role;
	memcpy(rq.me, x->me, sizeof(rq.me));
	rq.in = in;
	rs->status = 500;
	x->route->fn(rt->api, &rq, rs);
	if (!rs->body && rs->status != 204)
		consort__respond_error(rs, 500, "internal error: no response");
}

void consort__router_done(consort__exchange *x)
{
	consort__srv_buf_free(&x->body);
}
