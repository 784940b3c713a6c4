/* The HTTP side of consort serve (libmicrohttpd): the server's lifecycle,
 * request bodies with size limits, routing, authentication, static pages. */
#include "server.h"
#include "http.h"
#include "store.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* Bodies beyond the limit are read and dropped so that the client sees the
 * 413 (a client still sending when the server closes gets a reset instead);
 * past this much the connection is simply closed. */
#define DRAIN_LIMIT ((size_t)64 << 20)

struct consort_server {
	char *db_path, *listen, *given_secret;
	int want_port;
	consort__store *store;
	consort__api *api;
	struct MHD_Daemon *daemon;
	unsigned port;
	int loopback;
	char secret[129];
	char self_host[96]; /* host:port of our own address, for links */
	char url[128];
	char facilitator_url[300];
};

/* One request in progress (libmicrohttpd's per-request pointer). */
typedef struct pending {
	const consort__route *route; /* NULL for static pages */
	int status;                  /* an error decided from the headers, or 0 */
	char msg[200];
	char allow[64];              /* for 405 */
	consort__srv_buf body;
	size_t drained;
	consort__role role;
	char me[CONSORT_ID_MAX + 1];
	char arg[257];
	int has_arg;
} pending;

/* ---- responses ---- */

void consort__respond_body(consort__response *rs, int status, const char *type, char *body,
	size_t len)
{
	free(rs->body);
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
	return MHD_lookup_connection_value((struct MHD_Connection *)rq->conn, MHD_GET_ARGUMENT_KIND,
		name);
}

static void add_common_headers(struct MHD_Response *r, int page)
{
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	if (page) {
		/* Pages load their scripts and styles from /static only: nothing from
		 * elsewhere, so the tool works offline and injected markup cannot run. */
		MHD_add_response_header(r, "Content-Security-Policy",
			"default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
			"script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
			"form-action 'self'");
		MHD_add_response_header(r, "Cache-Control", "no-cache");
	} else {
		MHD_add_response_header(r, "Cache-Control", "no-store");
	}
}

static enum MHD_Result send_response(struct MHD_Connection *c, consort__response *rs,
	const char *allow)
{
	struct MHD_Response *r = rs->body
		? MHD_create_response_from_buffer(rs->len, rs->body, MHD_RESPMEM_MUST_FREE)
		: MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!r) {
		free(rs->body);
		rs->body = NULL;
		return MHD_NO;
	}
	rs->body = NULL; /* libmicrohttpd frees it now */
	if (rs->content_type && rs->status != 204)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rs->content_type);
	if (rs->disposition[0])
		MHD_add_response_header(r, "Content-Disposition", rs->disposition);
	if (rs->status == 401)
		MHD_add_response_header(r, "WWW-Authenticate", "Bearer");
	if (rs->status == 405 && allow && allow[0])
		MHD_add_response_header(r, "Allow", allow);
	add_common_headers(r, 0);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *msg,
	const char *allow)
{
	consort__response rs = {0};
	consort__respond_error(&rs, status, "%s", msg);
	return send_response(c, &rs, allow);
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

static enum MHD_Result serve_static(struct MHD_Connection *c, const char *path)
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
		char msg[160];
		snprintf(msg, sizeof(msg), "no such page: %.100s", path);
		return send_error(c, 404, msg, NULL);
	}
	struct MHD_Response *r = MHD_create_response_from_buffer(a->len, (void *)a->data,
		MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, a->content_type);
	add_common_headers(r, 1);
	enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
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

static void reject(pending *p, int status, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static void reject(pending *p, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
	va_end(ap);
	p->status = status;
}

static void find_route(pending *p, const char *path, const char *method)
{
	int path_known = 0;
	for (size_t i = 0; i < consort__nroutes; i++) {
		const consort__route *r = &consort__routes[i];
		char arg[sizeof(p->arg)];
		int has_arg = 0;
		if (!match(r->pattern, path, arg, sizeof(arg), &has_arg))
			continue;
		if (!strstr(p->allow, r->method)) {
			size_t used = strlen(p->allow);
			snprintf(p->allow + used, sizeof(p->allow) - used, "%s%s", used ? ", " : "", r->method);
		}
		path_known = 1;
		if (!p->route && same_method(r->method, method)) {
			p->route = r;
			p->has_arg = has_arg;
			memcpy(p->arg, arg, sizeof(arg));
		}
	}
	if (!p->route && path_known)
		reject(p, 405, "%.16s is not allowed on %.100s (allowed: %s)", method, path, p->allow);
	else if (!p->route)
		reject(p, 404, "unknown route: %.16s %.100s", method, path);
}

static void authenticate(consort_server *srv, struct MHD_Connection *c, pending *p)
{
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (!auth || !*auth) {
		reject(p, 401, "missing credentials: send the header Authorization: Bearer <secret or token>");
		return;
	}
	if (strncasecmp(auth, "Bearer ", 7) != 0) {
		reject(p, 401, "unsupported credentials: send the header Authorization: Bearer <secret or token>");
		return;
	}
	const char *cred = auth + 7;
	while (*cred == ' ')
		cred++;
	if (!*cred) {
		reject(p, 401, "missing credentials: send the header Authorization: Bearer <secret or token>");
		return;
	}
	int who = consort__store_auth(srv->store, cred, p->me);
	if (who == 0)
		reject(p, 403, "wrong credentials: neither the facilitator's secret nor a participant's token");
	else if (p->route->role == ROLE_ADMIN && who != ROLE_ADMIN)
		reject(p, 403, "only the facilitator may do this (a participant's link cannot)");
	else if (p->route->role == ROLE_PARTICIPANT && who != ROLE_PARTICIPANT)
		reject(p, 403, "this is a participant's endpoint: call it with the participant's token");
	p->role = (consort__role)who;
}

/* Content-Length as a number; -1 when absent or not a number. */
static long long content_length(struct MHD_Connection *c)
{
	const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
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

static void begin(consort_server *srv, struct MHD_Connection *c, const char *path,
	const char *method, pending *p)
{
	if (is_static_path(path)) {
		if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
			snprintf(p->allow, sizeof(p->allow), "GET, HEAD");
			reject(p, 405, "%.16s is not allowed on %.100s (allowed: GET)", method, path);
		}
		return;
	}
	find_route(p, path, method);
	if (p->status)
		return;
	authenticate(srv, c, p);
	if (p->status)
		return;
	long long n = content_length(c);
	if (n > (long long)p->route->limit)
		reject(p, 413, "request body too large: %lld bytes, the limit is %zu", n, p->route->limit);
}

/* Our own host:port when the Host header is missing or holds anything but
 * host name, IPv4 or [IPv6] characters and a port. */
static const char *request_host(consort_server *srv, struct MHD_Connection *c)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	if (!h || !*h || strlen(h) > 255 || strspn(h,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") != strlen(h))
		return srv->self_host;
	return h;
}

static enum MHD_Result dispatch(consort_server *srv, struct MHD_Connection *c, const char *path,
	const char *method, pending *p)
{
	consort__request rq = {0};
	rq.method = method;
	rq.path = path;
	rq.arg = p->has_arg ? p->arg : NULL;
	rq.len = p->body.len;
	rq.body = p->body.len ? p->body.data : NULL;
	rq.host = request_host(srv, c);
	rq.role = p->role;
	memcpy(rq.me, p->me, sizeof(rq.me));
	rq.conn = c;
	consort__response rs = {0};
	rs.status = 500;
	p->route->fn(srv->api, &rq, &rs);
	if (!rs.body && rs.status != 204)
		consort__respond_error(&rs, 500, "internal error: no response");
	return send_response(c, &rs, NULL);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
	const char *method, const char *version, const char *upload, size_t *upload_size,
	void **con_cls)
{
	(void)version;
	consort_server *srv = cls;
	pending *p = *con_cls;
	if (!p) {
		if (!(p = calloc(1, sizeof(*p))))
			return MHD_NO;
		*con_cls = p;
		begin(srv, c, url, method, p);
		if (p->status) {
			/* Answer at once when the client waits for "100 Continue" before
			 * sending, or announces more than we would read to drain. */
			const char *expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
				MHD_HTTP_HEADER_EXPECT);
			if ((expect && strcasecmp(expect, "100-continue") == 0) ||
			    content_length(c) > (long long)DRAIN_LIMIT)
				return send_error(c, p->status, p->msg, p->allow);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (p->status || !p->route) {
			p->drained += n;
			return p->drained > DRAIN_LIMIT ? MHD_NO : MHD_YES;
		}
		if (p->body.len + n > p->route->limit) {
			reject(p, 413, "request body too large: the limit is %zu bytes", p->route->limit);
			p->drained = p->body.len + n;
			consort__srv_buf_free(&p->body);
			return MHD_YES;
		}
		consort__srv_buf_add(&p->body, upload, n);
		if (p->body.failed)
			reject(p, 500, "out of memory");
		return MHD_YES;
	}
	if (p->status)
		return send_error(c, p->status, p->msg, p->allow);
	if (!p->route)
		return serve_static(c, url);
	return dispatch(srv, c, url, method, p);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
	enum MHD_RequestTerminationCode code)
{
	(void)cls;
	(void)c;
	(void)code;
	pending *p = *con_cls;
	if (p) {
		consort__srv_buf_free(&p->body);
		free(p);
		*con_cls = NULL;
	}
}

/* libmicrohttpd reports protocol errors from clients here; the server answers
 * them itself (400), so there is nothing to tell the facilitator. */
static void quiet_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	(void)fmt;
	(void)ap;
}

/* ---- lifecycle ---- */

void consort_server_options_init(consort_server_options *o)
{
	memset(o, 0, sizeof(*o));
	o->port = 8080;
}

int consort_server_secret_valid(const char *secret)
{
	size_t n = strlen(secret);
	return n >= 16 && n <= 128 && strspn(secret,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~-") == n;
}

static char *dup_or_null(const char *s, int *ok)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *d = malloc(n + 1);
	if (!d)
		*ok = 0;
	else
		memcpy(d, s, n + 1);
	return d;
}

static int server_error(consort_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static int server_error(consort_error *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
		err->code = code;
	}
	return code;
}

int consort_server_open(consort_server **out, const consort_server_options *o, consort_error *err)
{
	*out = NULL;
	if (!o || !o->db_path)
		return server_error(err, CONSORT_EUSAGE, "serve: no database given");
	if (o->port < 0 || o->port > 65535)
		return server_error(err, CONSORT_EUSAGE, "serve: port %d is out of 0..65535", o->port);
	if (o->secret && !consort_server_secret_valid(o->secret))
		return server_error(err, CONSORT_EUSAGE,
			"serve: the secret must be 16-128 characters of A-Z a-z 0-9 . _ ~ -");
	consort_server *srv = calloc(1, sizeof(*srv));
	int ok = srv != NULL;
	if (srv) {
		srv->db_path = dup_or_null(o->db_path, &ok);
		srv->listen = dup_or_null(o->listen ? o->listen : "127.0.0.1", &ok);
		srv->given_secret = dup_or_null(o->secret, &ok);
		srv->want_port = o->port;
	}
	if (!ok) {
		consort_server_close(srv);
		return server_error(err, CONSORT_ENOMEM, "out of memory");
	}
	if (consort__store_open(&srv->store, srv->db_path, err) ||
	    consort__store_secret(srv->store, srv->given_secret, srv->secret, sizeof(srv->secret), err) ||
	    consort__api_new(&srv->api, srv->store, err)) {
		if (err && err->code == 0)
			err->code = CONSORT_EIO;
		int code = err ? err->code : CONSORT_EIO;
		consort_server_close(srv);
		return code < 0 ? code : CONSORT_EIO;
	}
	*out = srv;
	return 0;
}

int consort_server_counts(consort_server *srv, size_t *participants, size_t *ratings)
{
	return consort__store_counts(srv->store, participants, ratings) ? CONSORT_EIO : 0;
}

int consort_server_import(consort_server *srv, const consort_session *s, consort_error *err)
{
	consort__store_admin_lock(srv->store);
	int rc = consort__store_replace(srv->store, s, err);
	consort__store_admin_unlock(srv->store);
	return rc ? CONSORT_EIO : 0;
}

/* The listening socket, bound by us so that a failure can say why. */
static int bind_socket(consort_server *srv, int *fd_out, consort_error *err)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	memset(&ss, 0, sizeof(ss));
	const char *addr = strcmp(srv->listen, "localhost") == 0 ? "127.0.0.1" : srv->listen;
	struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
	int family;
	if (inet_pton(AF_INET, addr, &v4->sin_addr) == 1) {
		family = AF_INET;
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)srv->want_port);
		sslen = sizeof(*v4);
		srv->loopback = (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
	} else if (inet_pton(AF_INET6, addr, &v6->sin6_addr) == 1) {
		family = AF_INET6;
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)srv->want_port);
		sslen = sizeof(*v6);
		srv->loopback = IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
	} else {
		return server_error(err, CONSORT_EUSAGE,
			"serve: --listen '%s': expected an IP address such as 127.0.0.1, 0.0.0.0 or ::1",
			srv->listen);
	}
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return server_error(err, CONSORT_EIO, "serve: cannot create a socket: %s", strerror(errno));
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sslen) < 0 || listen(fd, 128) < 0) {
		int e = errno;
		close(fd);
		return server_error(err, CONSORT_EIO, "serve: cannot listen on %s port %d: %s",
			srv->listen, srv->want_port, strerror(e));
	}
	struct sockaddr_storage bound;
	socklen_t blen = sizeof(bound);
	getsockname(fd, (struct sockaddr *)&bound, &blen);
	srv->port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&bound)->sin_port
		: ((struct sockaddr_in6 *)&bound)->sin6_port);
	char shown[64];
	inet_ntop(family, family == AF_INET ? (void *)&v4->sin_addr : (void *)&v6->sin6_addr, shown,
		sizeof(shown));
	int any = family == AF_INET ? v4->sin_addr.s_addr == htonl(INADDR_ANY)
		: IN6_IS_ADDR_UNSPECIFIED(&v6->sin6_addr);
	/* The facilitator opens the page on this laptop: with a wildcard address
	 * that is the loopback address. */
	const char *local = any ? (family == AF_INET ? "127.0.0.1" : "::1") : shown;
	const char *lb = family == AF_INET6 ? "[" : "", *rb = family == AF_INET6 ? "]" : "";
	snprintf(srv->url, sizeof(srv->url), "http://%s%s%s:%u/", lb, shown, rb, srv->port);
	snprintf(srv->self_host, sizeof(srv->self_host), "%s%s%s:%u", lb, local, rb, srv->port);
	snprintf(srv->facilitator_url, sizeof(srv->facilitator_url), "http://%s/#secret=%s",
		srv->self_host, srv->secret);
	*fd_out = fd;
	return 0;
}

int consort_server_listen(consort_server *srv, consort_error *err)
{
	int fd;
	int rc = bind_socket(srv, &fd, err);
	if (rc)
		return rc;
	/* A thread per connection: a request that waits (a rating waiting for its
	 * group commit, a solve of several seconds) holds up only its own client,
	 * and concurrent rating writes can share one fsync. The connection limit
	 * bounds the threads; idle connections are closed after two minutes. */
	srv->daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL |
		MHD_USE_ERROR_LOG,
		0, NULL, NULL, on_request, srv,
		MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, (void *)NULL,
		MHD_OPTION_EXTERNAL_LOGGER, quiet_log, (void *)NULL,
		MHD_OPTION_END);
	if (!srv->daemon) {
		close(fd);
		return server_error(err, CONSORT_EIO, "serve: cannot start the HTTP server on %s", srv->url);
	}
	return 0;
}

unsigned consort_server_port(const consort_server *srv)
{
	return srv->port;
}

const char *consort_server_url(const consort_server *srv)
{
	return srv->url;
}

const char *consort_server_facilitator_url(const consort_server *srv)
{
	return srv->facilitator_url;
}

int consort_server_loopback(const consort_server *srv)
{
	return srv->loopback;
}

const char *consort_server_secret(const consort_server *srv)
{
	return srv->secret;
}

void consort_server_close(consort_server *srv)
{
	if (!srv)
		return;
	if (srv->daemon)
		MHD_stop_daemon(srv->daemon);
	consort__api_free(srv->api);
	consort__store_close(srv->store);
	free(srv->db_path);
	free(srv->listen);
	free(srv->given_secret);
	free(srv);
}
