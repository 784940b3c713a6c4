/* The HTTP side of consort serve (libmicrohttpd): the server's lifecycle,
 * connection limits, the transport of requests to the router (router.c), and
 * the thread that runs slow requests while the connection waits suspended. */
#include "server.h"
#include "http.h"
#include "ratelimit.h"
#include "router.h"
#include "store.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct pending pending;

struct consort_server {
	char *db_path, *listen, *given_secret;
	int want_port;
	consort_server_options limits;
	consort__store *store;
	consort__api *api;
	consort__ratelimit *auth_limit;
	consort__router router;
	struct MHD_Daemon *daemon;
	unsigned port;
	int loopback;
	char secret[129];
	char self_host[96]; /* host:port of our own address, for links */
	char url[128];
	char facilitator_url[300];

	/* Slow requests, run one at a time on their own thread (solves are
	 * serialized anyway: GLPK runs once at a time). */
	pthread_t slow_thread;
	int slow_running, slow_stopping;
	pthread_mutex_t slow_lock;
	pthread_cond_t slow_cond;
	pending *slow_head, **slow_tail;
};

/* One request in progress (libmicrohttpd's per-request pointer). */
struct pending {
	consort__exchange x;
	consort__http_in in;
	enum { READING, QUEUED, ANSWERED } stage;
	consort__response rs; /* the slow thread's answer */
	struct MHD_Connection *c;
	pending *next;
};

static const char *mhd_lookup(void *ctx, consort__http_kind kind, const char *name)
{
	return MHD_lookup_connection_value((struct MHD_Connection *)ctx,
		kind == HTTP_QUERY ? MHD_GET_ARGUMENT_KIND : MHD_HEADER_KIND, name);
}

static double monotonic_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The client's address as 4 (IPv4, also when mapped into IPv6) or 16 bytes. */
static void client_address(struct MHD_Connection *c, consort__http_in *in)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c,
		MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	in->addr_len = 0;
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET) {
		memcpy(in->addr, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
		in->addr_len = 4;
	} else if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(a)) {
			memcpy(in->addr, a->s6_addr + 12, 4);
			in->addr_len = 4;
		} else {
			memcpy(in->addr, a->s6_addr, 16);
			in->addr_len = 16;
		}
	}
}

static enum MHD_Result send_response(struct MHD_Connection *c, consort__response *rs)
{
	struct MHD_Response *r = rs->body
		? MHD_create_response_from_buffer(rs->len, rs->body,
			rs->borrowed ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE)
		: MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!r) {
		if (!rs->borrowed)
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
	if (rs->status == 405 && rs->allow && rs->allow[0])
		MHD_add_response_header(r, "Allow", rs->allow);
	if (rs->status == 429 && rs->retry_after) {
		char v[16];
		snprintf(v, sizeof(v), "%u", rs->retry_after);
		MHD_add_response_header(r, "Retry-After", v);
	}
	for (const char *const *h = consort__router_security_headers(rs); *h; h += 2)
		MHD_add_response_header(r, h[0], h[1]);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* ---- slow requests ---- */

static void *slow_main(void *arg)
{
	consort_server *srv = arg;
	pthread_mutex_lock(&srv->slow_lock);
	for (;;) {
		while (!srv->slow_head && !srv->slow_stopping)
			pthread_cond_wait(&srv->slow_cond, &srv->slow_lock);
		pending *p = srv->slow_head;
		if (!p)
			break;
		if (!(srv->slow_head = p->next))
			srv->slow_tail = &srv->slow_head;
		int cancelled = srv->slow_stopping;
		pthread_mutex_unlock(&srv->slow_lock);
		if (cancelled)
			consort__respond_error(&p->rs, 503, "the server is stopping");
		else
			consort__router_finish(&srv->router, &p->in, &p->x, &p->rs);
		p->stage = ANSWERED;
		MHD_resume_connection(p->c); /* libmicrohttpd calls on_request again */
		pthread_mutex_lock(&srv->slow_lock);
	}
	pthread_mutex_unlock(&srv->slow_lock);
	return NULL;
}

/* Suspends the connection and queues its request; 0, or -1 when stopping. */
static int queue_slow(consort_server *srv, pending *p)
{
	pthread_mutex_lock(&srv->slow_lock);
	if (srv->slow_stopping || !srv->slow_running) {
		pthread_mutex_unlock(&srv->slow_lock);
		return -1;
	}
	p->stage = QUEUED;
	MHD_suspend_connection(p->c);
	p->next = NULL;
	*srv->slow_tail = p;
	srv->slow_tail = &p->next;
	pthread_cond_signal(&srv->slow_cond);
	pthread_mutex_unlock(&srv->slow_lock);
	return 0;
}

/* Answers every queued request with 503 and waits for the one running. */
static void stop_slow(consort_server *srv)
{
	if (!srv->slow_running)
		return;
	pthread_mutex_lock(&srv->slow_lock);
	srv->slow_stopping = 1;
	pthread_cond_broadcast(&srv->slow_cond);
	pthread_mutex_unlock(&srv->slow_lock);
	pthread_join(srv->slow_thread, NULL);
	srv->slow_running = 0;
}

/* ---- libmicrohttpd's callbacks ---- */

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
		p->c = c;
		p->in.method = method;
		p->in.path = url;
		p->in.lookup = mhd_lookup;
		p->in.ctx = c;
		p->in.now = monotonic_now();
		client_address(c, &p->in);
		consort__router_begin(&srv->router, &p->in, &p->x);
		if (consort__router_answer_now(&p->in, &p->x)) {
			consort__response rs = {0};
			consort__router_finish(&srv->router, &p->in, &p->x, &rs);
			return send_response(c, &rs);
		}
		return MHD_YES;
	}
	if (p->stage == ANSWERED)
		return send_response(c, &p->rs);
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		return consort__router_body(&p->x, upload, n) < 0 ? MHD_NO : MHD_YES;
	}
	if (p->stage == QUEUED)
		return MHD_YES; /* not expected: answered once resumed */
	if (consort__router_slow(&p->x) && queue_slow(srv, p) == 0)
		return MHD_YES;
	consort__response rs = {0};
	consort__router_finish(&srv->router, &p->in, &p->x, &rs);
	return send_response(c, &rs);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
	enum MHD_RequestTerminationCode code)
{
	(void)cls;
	(void)c;
	(void)code;
	pending *p = *con_cls;
	if (p) {
		consort__router_done(&p->x);
		if (!p->rs.borrowed)
			free(p->rs.body);
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

/* The limits with defaults filled in; -1 when one is out of range. */
static int settle_limits(consort_server_options *l, const consort_server_options *o)
{
	l->threads = o->threads ? o->threads : CONSORT_SERVER_DEFAULT_THREADS;
	l->max_connections = o->max_connections ? o->max_connections
		: CONSORT_SERVER_DEFAULT_MAX_CONNECTIONS;
	l->per_client = o->per_client ? o->per_client : CONSORT_SERVER_DEFAULT_PER_CLIENT;
	l->idle_timeout = o->idle_timeout ? o->idle_timeout : CONSORT_SERVER_DEFAULT_IDLE_TIMEOUT;
	return l->threads < 1 || l->threads > 256 || l->max_connections < 1 ||
		l->max_connections > 1000000 || l->per_client < 1 || l->idle_timeout < 1 ||
		l->idle_timeout > 86400 ? -1 : 0;
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
	consort_server_options limits;
	if (settle_limits(&limits, o) < 0)
		return server_error(err, CONSORT_EUSAGE, "serve: a connection limit is out of range");
	consort_server *srv = calloc(1, sizeof(*srv));
	int ok = srv != NULL;
	if (srv) {
		srv->db_path = dup_or_null(o->db_path, &ok);
		srv->listen = dup_or_null(o->listen ? o->listen : "127.0.0.1", &ok);
		srv->given_secret = dup_or_null(o->secret, &ok);
		srv->want_port = o->port;
		srv->limits = limits;
		srv->slow_tail = &srv->slow_head;
		pthread_mutex_init(&srv->slow_lock, NULL);
		pthread_cond_init(&srv->slow_cond, NULL);
		snprintf(srv->self_host, sizeof(srv->self_host), "127.0.0.1:%d", o->port);
		srv->auth_limit = consort__ratelimit_new(4096, CONSORT_SERVER_AUTH_BURST,
			CONSORT_SERVER_AUTH_REFILL);
		ok = ok && srv->auth_limit;
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
	srv->router.api = srv->api;
	srv->router.store = srv->store;
	srv->router.auth_limit = srv->auth_limit;
	srv->router.self_host = srv->self_host;
	*out = srv;
	return 0;
}

const consort__router *consort__server_router(consort_server *srv)
{
	return &srv->router;
}

void consort_server_limits(const consort_server *srv, consort_server_options *out)
{
	*out = srv->limits;
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
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return server_error(err, CONSORT_EIO, "serve: cannot create a socket: %s", strerror(errno));
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sslen) < 0 || listen(fd, SOMAXCONN) < 0) {
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

/* Room for the connections in the open-files limit (the database, the
 * threads' event descriptors and the standard streams need some too). */
static void fit_open_files(consort_server_options *l)
{
	rlim_t need = (rlim_t)l->max_connections + 64 + 4 * (rlim_t)l->threads;
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= need)
		return;
	struct rlimit want = rl;
	want.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &want) == 0)
		rl = want;
	if (rl.rlim_cur < need) {
		rlim_t spare = 64 + 4 * (rlim_t)l->threads;
		l->max_connections = rl.rlim_cur > spare + 16 ? (int)(rl.rlim_cur - spare) : 16;
	}
}

int consort_server_listen(consort_server *srv, consort_error *err)
{
	int fd;
	int rc = bind_socket(srv, &fd, err);
	if (rc)
		return rc;
	fit_open_files(&srv->limits);
	const consort_server_options *l = &srv->limits;
	if (pthread_create(&srv->slow_thread, NULL, slow_main, srv) != 0) {
		close(fd);
		return server_error(err, CONSORT_EIO, "serve: cannot start a thread");
	}
	srv->slow_running = 1;
	/* A fixed pool of threads, each polling its share of the connections
	 * (epoll): an idle or slow client costs a descriptor and a little memory,
	 * never a thread. A rating waits only for its group commit; anything
	 * that may take seconds runs on the slow thread (see queue_slow). */
	srv->daemon = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
		0, NULL, NULL, on_request, srv,
		MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)l->threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)l->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)l->per_client,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)l->idle_timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONSORT_SERVER_HEADER_LIMIT,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, (void *)NULL,
		MHD_OPTION_EXTERNAL_LOGGER, quiet_log, (void *)NULL,
		MHD_OPTION_END);
	if (!srv->daemon) {
		close(fd);
		stop_slow(srv);
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
	/* Suspended connections must be resumed before the daemon stops. */
	stop_slow(srv);
	if (srv->daemon)
		MHD_stop_daemon(srv->daemon);
	consort__ratelimit_free(srv->auth_limit);
	pthread_mutex_destroy(&srv->slow_lock);
	pthread_cond_destroy(&srv->slow_cond);
	consort__api_free(srv->api);
	consort__store_close(srv->store);
	free(srv->db_path);
	free(srv->listen);
	free(srv->given_secret);
	free(srv);
}
