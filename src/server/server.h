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
} consort_server_options;

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

/* Binds the address and starts serving on background threads (one per
 * connection). CONSORT_EIO with a message when the address cannot be bound. */
int consort_server_listen(consort_server *srv, consort_error *err);

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
