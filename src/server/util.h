/* Small helpers shared by the server's modules: random hex secrets, constant-time
 * comparison, timestamps, UTF-8 checks, number and CSV formatting, a growable buffer. */
#ifndef CONSORT_SERVER_UTIL_H
#define CONSORT_SERVER_UTIL_H

#include <stddef.h>

/* Writes 2*nbytes random hex digits (from /dev/urandom) and a NUL to out, which
 * holds at least 2*nbytes+1 chars. Returns 0, or -1 when /dev/urandom fails. */
int consort__srv_random_hex(char *out, size_t nbytes);

/* 1 when the two strings are equal. The time taken depends only on the length
 * of `secret`, never on where the strings first differ. */
int consort__srv_secret_equal(const char *given, const char *secret);

/* The current UTC time as "2024-05-01T09:30:00.123Z" (out holds >= 32 chars). */
void consort__srv_iso_now(char *out, size_t outsz);

/* 1 when the len bytes are valid UTF-8 without NUL bytes. */
int consort__srv_utf8_valid(const char *s, size_t len);

/* The shortest "%.15g".."%.17g" text that reads back as v (out holds >= 32 chars). */
void consort__srv_format_number(char *out, size_t outsz, double v);

/* A growable byte buffer, always NUL-terminated once anything was added. */
typedef struct consort__srv_buf {
	char *data;
	size_t len, cap;
	int failed; /* set when an allocation failed; later appends do nothing */
} consort__srv_buf;

void consort__srv_buf_add(consort__srv_buf *b, const char *s, size_t len);
void consort__srv_buf_puts(consort__srv_buf *b, const char *s);
void consort__srv_buf_printf(consort__srv_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* Appends s as one RFC 4180 CSV field (quoted when it holds , " CR or LF). */
void consort__srv_buf_csv(consort__srv_buf *b, const char *s);
/* Hands over the data (NULL when an allocation failed; "" when empty) and resets b. */
char *consort__srv_buf_take(consort__srv_buf *b, size_t *len);
void consort__srv_buf_free(consort__srv_buf *b);

#endif
