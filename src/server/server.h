/* consort serve: the live-workshop web server (libmicrohttpd + SQLite), used by
 * the `consort serve` command and the tests. Built on consort's public API only. */
#ifndef CONSORT_SERVER_H
#define CONSORT_SERVER_H

#include <stddef.h>
#include "consort.h"

typedef struct consort_server consort_server;

typedef struct consort_server_options {
	const char *db_path; /* the workshop database, created when missing (required) */
	const char *listen;  /* numeric IPv4 or IPv6 address, or "localhost"; NULL: 127.0.0.1 */
	int port;            /* 0..65535; 0 picks a free port (see consort_server_port) */
	const char *secret;  /* the facilitator's secret; NULL: the stored one, or a new random one */
	/* Connection limits; 0 picks the default (CONSORT_SERVER_DEFAULT_*). */
	int threads;         /* connection threads (a fixed pool, each polling many connections) */
	int max_connections; /* open connections in all */
	int per_client;      /* open connections from one client address */
	int idle_timeout;    /* seconds before an idle connection is closed */
} consort_server_options;

#define CONSORT_SERVER_DEFAULT_THREADS 32
#define CONSORT_SERVER_DEFAULT_MAX_CONNECTIONS 1000
#define CONSORT_SERVER_DEFAULT_PER_CLIENT 32
#define CONSORT_SERVER_DEFAULT_IDLE_TIMEOUT 30
/* Wrong credentials: an address may fail this often at once, then once per
 * CONSORT_SERVER_AUTH_REFILL seconds; beyond that it gets 429 with Retry-After. */
#define CONSORT_SERVER_AUTH_BURST 20
#define CONSORT_SERVER_AUTH_REFILL 3.0
/* Request line and headers together: beyond this the answer is 431. */
#define CONSORT_SERVER_HEADER_LIMIT (32 * 1024)

void consort_server_options_init(consort_server_options *o);

/* 1 when secret is acceptable for --secret: 16-128 characters of A-Z a-z 0-9 . _ ~ - */
int consort_server_secret_valid(const char *secret);

/* Opens the database and settles the secret; does not listen yet. The caller
 * owns *out and closes it with consort_server_close. Errors (one line in err):
 * CONSORT_EIO for a database that cannot be opened or is not a workshop. */
int consort_server_open(consort_server **out, const consort_server_options *o, consort_error *err);

/* How many participants and ratings the database holds. */
int consort_server_counts(consort_server *srv, size_t *participants, size_t *ratings);

/* Replaces the stored workshop by session s (as PUT /api/session does). */
int consort_server_import(consort_server *srv, const consort_session *s, consort_error *err);

/* Binds the address and starts serving on a fixed pool of threads; requests
 * that may take seconds (solving, imports) run on one more thread of their
 * own, so that ratings never wait for them. Raises the soft limit of open
 * files to what max_connections needs (or lowers max_connections to what the
 * hard limit allows). CONSORT_EIO with a message when the address cannot be bound. */
int consort_server_listen(consort_server *srv, consort_error *err);

/* The limits in force (after listen: as adjusted to the open-files limit). */
void consort_server_limits(const consort_server *srv, consort_server_options *out);

/* After listen: the bound port, the URL ("http://127.0.0.1:8080/"), the
 * facilitator's URL with the secret, and whether the address is loopback. */
unsigned consort_server_port(const consort_server *srv);
const char *consort_server_url(const consort_server *srv);
const char *consort_server_facilitator_url(const consort_server *srv);
int consort_server_loopback(const consort_server *srv);
const char *consort_server_secret(const consort_server *srv);

/* Stops serving (waits for requests in progress), closes the database, frees srv. */
void consort_server_close(consort_server *srv);

#endif
