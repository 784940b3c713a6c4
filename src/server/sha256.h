/* SHA-256 (FIPS 180-4), for the 'sha256-...' sources of a Content-Security-Policy. */
#ifndef CONSORT_SERVER_SHA256_H
#define CONSORT_SERVER_SHA256_H

#include <stddef.h>

/* The SHA-256 digest of the len bytes at data. */
void consort__sha256(unsigned char out[32], const void *data, size_t len);

/* The digest of the len bytes at data in standard Base64 (with padding), as a
 * CSP hash source wants it: 44 characters and a NUL in out (outsz >= 45). */
void consort__sha256_base64(char *out, size_t outsz, const void *data, size_t len);

#endif
