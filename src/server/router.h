/* The request path of consort serve without the network: routing,
 * authentication (with failed-attempt throttling), body limits, static pages
 * and the call of the endpoint. http.c feeds it from libmicrohttpd; the fuzz
 * target tests/fuzz/fuzz_http.c feeds it directly. */
#ifndef CONSORT_SERVER_ROUTER_H
#define CONSORT_SERVER_ROUTER_H

#include "http.h"
#include "ratelimit.h"
#include "util.h"

/* Everything a request needs from the server; not owned. */
typedef struct consort__router {
	consort__api *api;
	consort__store *store;
	consort__ratelimit *auth_limit; /* may be NULL: no throttling */
	const char *self_host;          /* host:port for links when the Host header is unusable */
} consort__router;

typedef enum { HTTP_HEADER = 0, HTTP_QUERY = 1 } consort__http_kind;

/* A request as the transport hands it over. */
typedef struct consort__http_in {
	const char *method, *path;
	/* A header (case-insensitive name) or decoded query argument, or NULL. */
	const char *(*lookup)(void *ctx, consort__http_kind kind, const char *name);
	void *ctx;
	unsigned char addr[16]; /* the client's address: 4 bytes (IPv4) or 16 (IPv6) */
	size_t addr_len;        /* 0 when unknown (not throttled) */
	double now;             /* seconds, monotonic clock */
} consort__http_in;

/* One request in progress. */
typedef struct consort__exchange {
	const consort__route *route; /* NULL for static pages and early errors */
	int status;                  /* an error decided before the handler runs, or 0 */
	char msg[200];
	char allow[64];              /* for 405 */
	unsigned retry_after;        /* for 429 */
	consort__srv_buf body;
	size_t drained;
	consort__role role;
	char me[CONSORT_ID_MAX + 1];
	char arg[257];
	int has_arg;
} consort__exchange;

/* Bodies beyond the limit are read and dropped so that the client sees the
 * 413 (a client still sending when the server closes gets a reset instead);
 * past this much the connection is simply closed. */
#define ROUTER_DRAIN_LIMIT ((size_t)64 << 20)

/* Looks at the request line and headers: route, credentials, announced length.
 * Sets x->status when the request is already refused. x starts zeroed. */
void consort__router_begin(const consort__router *rt, const consort__http_in *in,
	consort__exchange *x);

/* 1 when a refused request should be answered before its body is read: the
 * client waits for "100 Continue", or announces more than would be drained. */
int consort__router_answer_now(const consort__http_in *in, const consort__exchange *x);

/* Takes n more body bytes. 0, or -1 when the connection should be closed. */
int consort__router_body(consort__exchange *x, const char *data, size_t n);

/* 1 when the endpoint may take seconds (solving, imports): the transport runs
 * it off its connection threads. */
int consort__router_slow(const consort__exchange *x);

/* The answer, once the body is complete: the early error, the static page, or
 * the endpoint's response. rs starts zeroed; the caller frees rs->body. */
void consort__router_finish(const consort__router *rt, const consort__http_in *in,
	consort__exchange *x, consort__response *rs);

/* The router of a server opened with consort_server_open (listening or not). */
struct consort_server;
const consort__router *consort__server_router(struct consort_server *srv);

/* Frees what the exchange holds. */
void consort__router_done(consort__exchange *x);

/* The headers every response carries besides its own (name, value pairs, NULL
 * ended): the Content-Security-Policy and friends. */
const char *const *consort__router_security_headers(const consort__response *rs);

#endif
