/* The HTML/SVG writer (xml.h): escaping of user text, locale-independent
 * numbers, and element helpers over one growable buffer. */
#include "writers/xml.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void consort__xml_rawn(consort__xml *w, const char *s, size_t n)
{
	if (w->failed)
		return;
	if (w->len + n + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 4096;
		while (cap < w->len + n + 1)
			cap *= 2;
		char *bigger = realloc(w->p, cap);
		if (!bigger) {
			w->failed = 1;
			return;
		}
		w->p = bigger;
		w->cap = cap;
	}
	memcpy(w->p + w->len, s, n);
	w->len += n;
	w->p[w->len] = '\0';
}

void consort__xml_raw(consort__xml *w, const char *s)
{
	consort__xml_rawn(w, s, strlen(s));
}

void consort__xml_rawf(consort__xml *w, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		w->failed = 1;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		consort__xml_rawn(w, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		w->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	consort__xml_rawn(w, big, (size_t)n);
	free(big);
}

/* The next code point of s (Unicode 15, table 3-7: no overlong forms, no
 * surrogates, nothing above U+10FFFF); *len bytes are consumed, at least one.
 * An ill-formed byte gives U+FFFD and consumes that byte alone. The string's
 * NUL terminator is never a continuation byte, so nothing reads past it. */
static uint32_t utf8_next(const unsigned char *s, size_t *len)
{
	unsigned char c = s[0];
	*len = 1;
	if (c < 0x80)
		return c;
	int extra;
	unsigned char lo = 0x80, hi = 0xBF;
	uint32_t cp;
	if (c >= 0xC2 && c <= 0xDF) {
		extra = 1;
		cp = c & 0x1Fu;
	} else if (c >= 0xE0 && c <= 0xEF) {
		extra = 2;
		cp = c & 0x0Fu;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		extra = 3;
		cp = c & 0x07u;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0xFFFD;
	}
	for (int k = 1; k <= extra; k++) {
		unsigned char t = s[k];
		if (t < lo || t > hi)
			return 0xFFFD;
		lo = 0x80;
		hi = 0xBF;
		cp = (cp << 6) | (t & 0x3Fu);
	}
	*len = (size_t)extra + 1;
	return cp;
}

static void put_escaped(consort__xml *w, const unsigned char *s, size_t len, uint32_t cp)
{
	switch (cp) {
	case '&': consort__xml_raw(w, "&amp;"); return;
	case '<': consort__xml_raw(w, "&lt;"); return;
	case '>': consort__xml_raw(w, "&gt;"); return;
	case '"': consort__xml_raw(w, "&quot;"); return;
	case '\'': consort__xml_raw(w, "&#39;"); return;
	default: break;
	}
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
		consort__xml_raw(w, " ");
	else if (cp == 0xFFFD || cp == 0xFFFE || cp == 0xFFFF)
		consort__xml_raw(w, "\xEF\xBF\xBD");
	else
		consort__xml_rawn(w, (const char *)s, len);
}

int consort__xml_text_trunc(consort__xml *w, const char *s, size_t max_chars)
{
	const unsigned char *u = (const unsigned char *)(s ? s : "");
	size_t total = 0, len;
	for (const unsigned char *c = u; *c; c += len, total++)
		utf8_next(c, &len);
	/* A shortened text keeps max_chars - 1 characters and the ellipsis, so
	 * it is never longer than asked. */
	int cut = total > max_chars;
	size_t keep = cut ? (max_chars ? max_chars - 1 : 0) : total;
	for (size_t k = 0; k < keep; k++, u += len) {
		uint32_t cp = utf8_next(u, &len);
		put_escaped(w, u, len, cp);
	}
	if (cut && max_chars)
		consort__xml_raw(w, "\xE2\x80\xA6");
	return cut;
}

void consort__xml_text(consort__xml *w, const char *s)
{
	consort__xml_text_trunc(w, s, (size_t)-1);
}

void consort__xml_num(consort__xml *w, double v, int decimals)
{
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	long long scale = 1;
	for (int d = 0; d < decimals; d++)
		scale *= 10;
	if (!isfinite(v) || fabs(v) * (double)scale >= 9e15)
		v = isfinite(v) ? (v > 0 ? 9e15 : -9e15) / (double)scale : 0;
	long long q = llround(v * (double)scale);
	int neg = q < 0;
	unsigned long long a = (unsigned long long)(neg ? -q : q);
	unsigned long long whole = a / (unsigned long long)scale, frac = a % (unsigned long long)scale;
	int dec = decimals;
	while (dec > 0 && frac % 10 == 0) {
		frac /= 10;
		dec--;
	}
	/* Integers print the same in every locale; only the decimal point is ours. */
	if (dec)
		consort__xml_rawf(w, "%s%llu.%0*llu", neg ? "-" : "", whole, dec, frac);
	else
		consort__xml_rawf(w, "%s%llu", neg && whole ? "-" : "", whole);
}

void consort__xml_open(consort__xml *w, const char *tag)
{
	consort__xml_raw(w, "<");
	consort__xml_raw(w, tag);
}

void consort__xml_attr(consort__xml *w, const char *name, const char *value)
{
	consort__xml_raw(w, " ");
	consort__xml_raw(w, name);
	consort__xml_raw(w, "=\"");
	consort__xml_text(w, value);
	consort__xml_raw(w, "\"");
}

void consort__xml_attr_num(consort__xml *w, const char *name, double v, int decimals)
{
	consort__xml_raw(w, " ");
	consort__xml_raw(w, name);
	consort__xml_raw(w, "=\"");
	consort__xml_num(w, v, decimals);
	consort__xml_raw(w, "\"");
}

void consort__xml_attr_xy(consort__xml *w, const char *xname, double x, const char *yname, double y)
{
	consort__xml_attr_num(w, xname, x, 1);
	consort__xml_attr_num(w, yname, y, 1);
}

void consort__xml_attr_int(consort__xml *w, const char *name, long long v)
{
	consort__xml_rawf(w, " %s=\"%lld\"", name, v);
}

void consort__xml_close_tag(consort__xml *w)
{
	consort__xml_raw(w, ">");
}

void consort__xml_close_empty(consort__xml *w)
{
	consort__xml_raw(w, "/>");
}

void consort__xml_end(consort__xml *w, const char *tag)
{
	consort__xml_raw(w, "</");
	consort__xml_raw(w, tag);
	consort__xml_raw(w, ">");
}

void consort__xml_svg_open(consort__xml *w, const char *cls, double width, double height,
	const char *title, int standalone)
{
	if (standalone)
		consort__xml_raw(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	consort__xml_raw(w, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" font-family=\"sans-serif\"");
	consort__xml_attr(w, "class", cls);
	consort__xml_raw(w, " viewBox=\"0 0 ");
	consort__xml_num(w, width, 0);
	consort__xml_raw(w, " ");
	consort__xml_num(w, height, 0);
	consort__xml_raw(w, "\"");
	consort__xml_attr_num(w, "width", width, 0);
	consort__xml_attr_num(w, "height", height, 0);
	consort__xml_raw(w, ">\n");
	consort__xml_element(w, "title", title);
	consort__xml_raw(w, "\n");
}

void consort__xml_element(consort__xml *w, const char *tag, const char *text)
{
	consort__xml_open(w, tag);
	consort__xml_close_tag(w);
	consort__xml_text(w, text);
	consort__xml_end(w, tag);
}

int consort__xml_finish(char **out, consort__xml *w, consort_error *err)
{
	*out = NULL;
	if (!w->p)
		consort__xml_rawn(w, "", 0); /* an empty text is still a text */
	if (w->failed || !w->p) {
		consort__xml_discard(w);
		return consort__error_nomem(err);
	}
	*out = w->p;
	w->p = NULL;
	w->len = w->cap = 0;
	return 0;
}

void consort__xml_discard(consort__xml *w)
{
	free(w->p);
	w->p = NULL;
	w->len = w->cap = 0;
}
