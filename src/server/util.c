/* Small helpers shared by the server's modules: random hex secrets, constant-time
 * comparison, timestamps, UTF-8 checks, number and CSV formatting, a growable buffer. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int consort__srv_random_hex(char *out, size_t nbytes)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char raw[64];
	if (nbytes > sizeof(raw))
		return -1;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t got = 0;
	while (got < nbytes) {
		ssize_t r = read(fd, raw + got, nbytes - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			close(fd);
			return -1;
		}
		got += (size_t)r;
	}
	close(fd);
	for (size_t i = 0; i < nbytes; i++) {
		out[2 * i] = digits[raw[i] >> 4];
		out[2 * i + 1] = digits[raw[i] & 15];
	}
	out[2 * nbytes] = '\0';
	return 0;
}

int consort__srv_secret_equal(const char *given, const char *secret)
{
	/* Walk the whole secret whatever the input: the loop length and the work
	 * per step never depend on the contents, only on strlen(secret). */
	size_t n = strlen(secret);
	size_t glen = strlen(given);
	unsigned diff = (unsigned)(glen ^ n);
	for (size_t i = 0; i < n; i++) {
		unsigned char g = i < glen ? (unsigned char)given[i] : 0;
		diff |= (unsigned)(g ^ (unsigned char)secret[i]);
	}
	return diff == 0 && n > 0;
}

void consort__srv_iso_now(char *out, size_t outsz)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ts.tv_nsec / 1000000));
}

int consort__srv_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned c = p[i];
		size_t extra;
		unsigned min;
		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			extra = 1, min = 0x80, c &= 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			extra = 2, min = 0x800, c &= 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			extra = 3, min = 0x10000, c &= 0x07;
		} else {
			return 0;
		}
		if (len - i <= extra)
			return 0;
		for (size_t k = 1; k <= extra; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
			c = (c << 6) | (p[i + k] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return 0;
		i += extra + 1;
	}
	return 1;
}

void consort__srv_format_number(char *out, size_t outsz, double v)
{
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(out, outsz, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			return;
	}
}

static int buf_grow(consort__srv_buf *b, size_t more)
{
	if (b->failed)
		return -1;
	if (b->len + more + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1) {
		if (cap > ((size_t)-1) / 2) {
			b->failed = 1;
			return -1;
		}
		cap *= 2;
	}
	char *bigger = realloc(b->data, cap);
	if (!bigger) {
		b->failed = 1;
		return -1;
	}
	b->data = bigger;
	b->cap = cap;
	return 0;
}

void consort__srv_buf_add(consort__srv_buf *b, const char *s, size_t len)
{
	if (buf_grow(b, len) < 0)
		return;
	memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void consort__srv_buf_puts(consort__srv_buf *b, const char *s)
{
	consort__srv_buf_add(b, s, strlen(s));
}

void consort__srv_buf_printf(consort__srv_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_grow(b, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void consort__srv_buf_csv(consort__srv_buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		consort__srv_buf_puts(b, s);
		return;
	}
	consort__srv_buf_add(b, "\"", 1);
	for (const char *c = s; *c; c++) {
		if (*c == '"')
			consort__srv_buf_add(b, "\"", 1);
		consort__srv_buf_add(b, c, 1);
	}
	consort__srv_buf_add(b, "\"", 1);
}

char *consort__srv_buf_take(consort__srv_buf *b, size_t *len)
{
	char *out = NULL;
	if (!b->failed) {
		if (!b->data)
			buf_grow(b, 0);
		if (!b->failed) {
			b->data[b->len] = '\0';
			out = b->data;
			if (len)
				*len = b->len;
			b->data = NULL;
		}
	}
	consort__srv_buf_free(b);
	return out;
}

void consort__srv_buf_free(consort__srv_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}
