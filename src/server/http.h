/* What the HTTP layer (http.c) and the endpoints (api.c) share: the request as
 * a handler sees it, the response it fills in, and the route table. */
#ifndef CONSORT_SERVER_HTTP_H
#define CONSORT_SERVER_HTTP_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "consort.h"
#include "store.h"

#define HTTP_JSON_LIMIT ((size_t)1 << 20)   /* 1 MiB: every JSON body */
#define HTTP_IMPORT_LIMIT ((size_t)8 << 20) /* 8 MiB: whole-session imports */

typedef enum { ROLE_NONE = 0, ROLE_ADMIN = 1, ROLE_PARTICIPANT = 2 } consort__role;

typedef struct consort__request {
	const char *method;
	const char *path;
	const char *arg;       /* the path segment a '*' in the route matched, or NULL */
	const char *body;      /* the whole body (NUL-terminated), or NULL when empty */
	size_t len;
	const char *host;      /* the Host header when it is a plausible host[:port], else ours */
	consort__role role;
	char me[CONSORT_ID_MAX + 1]; /* the participant's id when role is ROLE_PARTICIPANT */
	const struct consort__http_in *in; /* for consort__request_query */
} consort__request;

/* A query-string argument (decoded), or NULL. */
const char *consort__request_query(const consort__request *rq, const char *name);

typedef struct consort__response {
	int status;
	const char *content_type; /* a static string */
	char *body;               /* malloc'ed, may be NULL (no body) */
	size_t len;
	int borrowed;             /* body is static data: never freed */
	char disposition[96];     /* Content-Disposition, or "" */
	const char *csp;          /* a static Content-Security-Policy instead of the default, or NULL */
	int page;                 /* a page (cached with revalidation) rather than data (never cached) */
	unsigned retry_after;     /* seconds, for 429 */
	const char *allow;        /* the Allow header of a 405, or NULL */
} consort__response;

/* Fill a response: JSON (takes doc and frees it), an error {"error": "..."},
 * or any body (takes ownership of body). */
void consort__respond_json(consort__response *rs, int status, cJSON *doc);
void consort__respond_error(consort__response *rs, int status, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
void consort__respond_body(consort__response *rs, int status, const char *type, char *body,
	size_t len);

/* The Content-Security-Policy of the workshop report: no script, nothing
 * fetched, only the report's own style sheet (by hash). Static. */
const char *consort__report_csp(void);

typedef struct consort__api consort__api;

typedef void (*consort__handler)(consort__api *api, const consort__request *rq,
	consort__response *rs);

typedef struct consort__route {
	const char *method;
	const char *pattern; /* "/api/participants/" then a star: a star matches one non-empty segment */
	consort__role role;  /* who may call it */
	size_t limit;        /* the largest body accepted */
	int slow;            /* may take seconds: run off the connection threads */
	consort__handler fn;
} consort__route;

extern const consort__route consort__routes[];
extern const size_t consort__nroutes;

/* The endpoints' shared state on top of the store (which the caller keeps
 * owning and must outlive the api). */
int consort__api_new(consort__api **out, consort__store *st, consort_error *err);
void consort__api_free(consort__api *api);

/* Static files built into the binary from src/server/web/ (generated at build time). */
typedef struct consort__asset {
	const char *name;         /* file name, e.g. "app.js" */
	const char *content_type;
	const unsigned char *data;
	size_t len;
} consort__asset;

extern const consort__asset consort__assets[];
extern const size_t consort__nassets;

#endif
