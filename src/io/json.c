/* cJSON helpers for consort's JSON readers and writers: strict parsing with line:column
 * messages, typed access with JSON paths, exact numbers and a readable printer. */
#include "io/json.h"
#include "error.h"
#include "io/fileio.h"

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- positions and parsing ---- */

void consort__json_position(const char *data, size_t off, size_t *line, size_t *col)
{
	size_t ln = 1, cl = 1;
	for (size_t i = 0; i < off; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c == '\n') {
			ln++;
			cl = 1;
		} else if ((c & 0xC0) != 0x80) {
			cl++; /* count characters, not UTF-8 continuation bytes */
		}
	}
	*line = ln;
	*col = cl;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A strict RFC 8259 syntax check that runs before cJSON, for three reasons:
 * cJSON says where it stopped but not why; it cannot tell a syntax error from
 * running out of memory; and it accepts what we must not (\u0000 cuts a string
 * short, raw control characters). Everything this accepts, cJSON parses, so a
 * cJSON failure afterwards means memory ran out. */
typedef struct json_check {
	const char *d;
	size_t len, pos, depth;
	size_t at;         /* where the error is */
	char what[112];    /* what is wrong there */
	/* Lifting (consort__json_parse_lifted): the root object's members named
	 * `lift` whose values are arrays are recorded in spans. */
	const char *lift;
	consort__json_span *spans;
	size_t nspans, cap;
	int nomem;         /* recording a span ran out of memory */
} json_check;

/* "'x'" for the character at off (several bytes when it is UTF-8). */
static void show_char(char *buf, size_t size, const char *data, size_t len, size_t off)
{
	unsigned char c = (unsigned char)data[off];
	if (c < 0x20 || c == 0x7F) {
		snprintf(buf, size, "control character 0x%02X", c);
		return;
	}
	size_t n = 1;
	while (off + n < len && n < 4 && ((unsigned char)data[off + n] & 0xC0) == 0x80)
		n++;
	snprintf(buf, size, "'%.*s'", (int)n, data + off);
}

static int check_fail(json_check *c, size_t at, const char *what)
{
	c->at = at;
	snprintf(c->what, sizeof(c->what), "%s", what);
	return 0;
}

/* "expected X, found Y" at the current position, or "unexpected end of input". */
static int check_expected(json_check *c, const char *expected)
{
	char found[40];
	if (c->pos >= c->len)
		return check_fail(c, c->len, "unexpected end of input (is the file cut short?)");
	show_char(found, sizeof(found), c->d, c->len, c->pos);
	c->at = c->pos;
	snprintf(c->what, sizeof(c->what), "expected %s, found %s", expected, found);
	return 0;
}

static void check_space(json_check *c)
{
	while (c->pos < c->len && is_space(c->d[c->pos]))
		c->pos++;
}

static int hex4(const char *s, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char h = s[i];
		unsigned x;
		if (h >= '0' && h <= '9')
			x = (unsigned)(h - '0');
		else if (h >= 'a' && h <= 'f')
			x = (unsigned)(h - 'a' + 10);
		else if (h >= 'A' && h <= 'F')
			x = (unsigned)(h - 'A' + 10);
		else
			return 0;
		v = v * 16 + x;
	}
	*out = v;
	return 1;
}

/* \uXXXX at pos (pointing at the backslash); surrogates must pair up, as cJSON wants. */
static int check_unicode(json_check *c)
{
	size_t at = c->pos;
	unsigned u, lo;
	if (c->len - at < 6 || !hex4(c->d + at + 2, &u))
		return check_fail(c, at, "invalid \\u escape (four hex digits expected)");
	if (u == 0)
		return check_fail(c, at, "\\u0000 (NUL) is not allowed in strings");
	if (u >= 0xDC00 && u <= 0xDFFF)
		return check_fail(c, at, "invalid \\u escape (unpaired surrogate)");
	c->pos += 6;
	if (u >= 0xD800 && u <= 0xDBFF) {
		if (c->len - c->pos < 6 || c->d[c->pos] != '\\' || c->d[c->pos + 1] != 'u' ||
		    !hex4(c->d + c->pos + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
			return check_fail(c, at, "invalid \\u escape (unpaired surrogate)");
		c->pos += 6;
	}
	return 1;
}

static int check_string(json_check *c)
{
	size_t open = c->pos++;
	for (;;) {
		if (c->pos >= c->len)
			return check_fail(c, open, "string is never closed (missing '\"')");
		unsigned char ch = (unsigned char)c->d[c->pos];
		if (ch == '"') {
			c->pos++;
			return 1;
		}
		if (ch < 0x20) {
			char what[80];
			snprintf(what, sizeof(what), "control character 0x%02X in a string (write it as an escape)", ch);
			return check_fail(c, c->pos, what);
		}
		if (ch != '\\') {
			c->pos++;
			continue;
		}
		char e = c->pos + 1 < c->len ? c->d[c->pos + 1] : '\0';
		if (e == 'u') {
			if (!check_unicode(c))
				return 0;
		} else if (e && strchr("\"\\/bfnrt", e)) {
			c->pos += 2;
		} else {
			return check_fail(c, c->pos, "invalid escape sequence in a string");
		}
	}
}

static size_t digits(json_check *c)
{
	size_t n = 0;
	while (c->pos < c->len && c->d[c->pos] >= '0' && c->d[c->pos] <= '9') {
		c->pos++;
		n++;
	}
	return n;
}

static int check_number(json_check *c)
{
	size_t start = c->pos;
	if (c->d[c->pos] == '-')
		c->pos++;
	if (c->pos < c->len && c->d[c->pos] == '0')
		c->pos++;
	else if (digits(c) == 0)
		return check_fail(c, start, "invalid number");
	if (c->pos < c->len && c->d[c->pos] == '.') {
		c->pos++;
		if (digits(c) == 0)
			return check_fail(c, start, "invalid number (digits must follow '.')");
	}
	if (c->pos < c->len && (c->d[c->pos] == 'e' || c->d[c->pos] == 'E')) {
		c->pos++;
		if (c->pos < c->len && (c->d[c->pos] == '+' || c->d[c->pos] == '-'))
			c->pos++;
		if (digits(c) == 0)
			return check_fail(c, start, "invalid number (digits must follow the exponent)");
	}
	if (c->pos - start > 63) /* cJSON reads numbers through a 64-byte buffer */
		return check_fail(c, start, "number has too many digits");
	return 1;
}

static int check_value(json_check *c);

static size_t unescape(char *out, const char *in, size_t n);

/* Whether the key text in[0..n) (checked, between the quotes) reads as key. */
static int key_is(const char *in, size_t n, const char *key)
{
	char buf[256];
	size_t k = strlen(key);
	if (!memchr(in, '\\', n))
		return n == k && memcmp(in, key, k) == 0;
	/* Every decoded byte takes at most 6 bytes of text (\u0041 is "A"). */
	if (n > 6 * k || n > sizeof(buf))
		return 0;
	return unescape(buf, in, n) == k && memcmp(buf, key, k) == 0;
}

static int add_span(json_check *c, size_t start, size_t end)
{
	if (c->nspans == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 4;
		consort__json_span *bigger = realloc(c->spans, cap * sizeof(*bigger));
		if (!bigger) {
			c->nomem = 1;
			return 0;
		}
		c->spans = bigger;
		c->cap = cap;
	}
	c->spans[c->nspans].start = start;
	c->spans[c->nspans].end = end;
	c->nspans++;
	return 1;
}

/* Objects and arrays, with their members. */
static int check_container(json_check *c)
{
	char close = c->d[c->pos] == '{' ? '}' : ']';
	int obj = close == '}';
	if (++c->depth > CJSON_NESTING_LIMIT) {
		char what[64];
		snprintf(what, sizeof(what), "nested deeper than %d levels", CJSON_NESTING_LIMIT);
		return check_fail(c, c->pos, what);
	}
	c->pos++;
	check_space(c);
	if (c->pos < c->len && c->d[c->pos] == close) {
		c->pos++;
		c->depth--;
		return 1;
	}
	for (;;) {
		int lifted = 0;
		size_t start = c->pos;
		if (obj) {
			if (c->pos >= c->len || c->d[c->pos] != '"')
				return check_expected(c, "a key in double quotes");
			if (!check_string(c))
				return 0;
			lifted = c->lift && c->depth == 1 && key_is(c->d + start + 1, c->pos - start - 2, c->lift);
			check_space(c);
			if (c->pos >= c->len || c->d[c->pos] != ':')
				return check_expected(c, "':' after the key");
			c->pos++;
			check_space(c);
		}
		start = c->pos;
		if (!check_value(c))
			return 0;
		if (lifted && c->d[start] == '[' && !add_span(c, start, c->pos))
			return 0;
		check_space(c);
		if (c->pos < c->len && c->d[c->pos] == close)
			break;
		if (c->pos >= c->len || c->d[c->pos] != ',')
			return check_expected(c, obj ? "',' or '}'" : "',' or ']'");
		c->pos++;
		check_space(c);
		if (c->pos < c->len && (c->d[c->pos] == '}' || c->d[c->pos] == ']')) {
			char what[48];
			snprintf(what, sizeof(what), "trailing comma before '%c'", c->d[c->pos]);
			return check_fail(c, c->pos, what);
		}
	}
	c->pos++;
	c->depth--;
	return 1;
}

static int check_word(json_check *c, const char *word)
{
	size_t n = strlen(word);
	if (c->len - c->pos < n || memcmp(c->d + c->pos, word, n) != 0)
		return check_expected(c, "a value");
	c->pos += n;
	return 1;
}

static int check_value(json_check *c)
{
	if (c->pos >= c->len)
		return check_expected(c, "a value");
	char ch = c->d[c->pos];
	switch (ch) {
	case '{':
	case '[':
		return check_container(c);
	case '"':
		return check_string(c);
	case 't':
		return check_word(c, "true");
	case 'f':
		return check_word(c, "false");
	case 'n':
		return check_word(c, "null");
	default:
		if (ch == '-' || (ch >= '0' && ch <= '9'))
			return check_number(c);
		return check_expected(c, "a value");
	}
}

/* 1 when data is one valid JSON text (an optional UTF-8 byte-order mark first);
 * otherwise 0 with c->at and c->what set. */
static int check_document(json_check *c, const char *data, size_t len, const char *lift)
{
	memset(c, 0, sizeof(*c));
	c->lift = lift;
	c->d = data;
	c->len = len;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		c->pos = 3;
	check_space(c);
	if (!check_value(c))
		return 0;
	check_space(c);
	if (c->pos < len)
		return check_fail(c, c->pos, "unexpected data after the end of the JSON value");
	return 1;
}

static int error_at(const char *data, size_t off, const char *name, consort_error *err,
	const char *what)
{
	size_t line, col;
	consort__json_position(data, off, &line, &col);
	return consort__error(err, CONSORT_EINVALID, "%s: line %zu, column %zu: %s", name, line, col, what);
}

/* The checks before cJSON: empty input, NUL bytes, UTF-8, then the syntax. */
static int check_all(json_check *check, const char *data, size_t len, const char *lift,
	const char *name, consort_error *err)
{
	size_t i = 0, line, col;
	memset(check, 0, sizeof(*check));
	while (i < len && is_space(data[i]))
		i++;
	if (i == len)
		return consort__error(err, CONSORT_EINVALID, "%s: empty file (no JSON value)", name);
	/* Report whichever comes first: a NUL byte or invalid UTF-8. */
	const char *nul = memchr(data, '\0', len);
	size_t upto = nul ? (size_t)(nul - data) : len;
	if (!consort__utf8_valid(data, upto, &line, &col))
		return consort__error(err, CONSORT_EINVALID, "%s: line %zu, column %zu: invalid UTF-8",
			name, line, col);
	if (nul)
		return error_at(data, upto, name, err, "NUL byte (is this a binary file?)");
	if (!check_document(check, data, len, lift)) {
		if (check->nomem)
			return consort__error_nomem(err);
		return error_at(data, check->at, name, err, check->what);
	}
	return 0;
}

/* cJSON on a NUL-terminated copy of data (so that nothing past the length is
 * read) in which each span is replaced by "[]". The syntax was checked: only
 * memory can fail. */
static int parse_copy(cJSON **out, const char *data, size_t len, const consort__json_span *spans,
	size_t nspans, consort_error *err)
{
	size_t size = len;
	for (size_t k = 0; k < nspans; k++)
		size -= spans[k].end - spans[k].start - 2; /* a span is at least "[]" */
	if (size == SIZE_MAX)
		return consort__error_nomem(err);
	char *copy = malloc(size + 1), *to = copy;
	if (!copy)
		return consort__error_nomem(err);
	size_t from = 0;
	for (size_t k = 0; k < nspans; k++) {
		memcpy(to, data + from, spans[k].start - from);
		to += spans[k].start - from;
		memcpy(to, "[]", 2);
		to += 2;
		from = spans[k].end;
	}
	memcpy(to, data + from, len - from);
	copy[size] = '\0';
	cJSON *root = cJSON_ParseWithLengthOpts(copy, size, NULL, 0);
	free(copy);
	if (!root)
		return consort__error_nomem(err);
	*out = root;
	return 0;
}

int consort__json_parse(cJSON **out, const char *data, size_t len, const char *name,
	consort_error *err)
{
	json_check check;
	*out = NULL;
	int rc = check_all(&check, data, len, NULL, name, err);
	if (rc < 0)
		return rc;
	return parse_copy(out, data, len, NULL, 0, err);
}

int consort__json_parse_lifted(cJSON **out, size_t *nlifted, consort__json_span *first,
	const char *data, size_t len, const char *key, const char *name, consort_error *err)
{
	json_check check;
	*out = NULL;
	*nlifted = 0;
	first->start = first->end = 0;
	int rc = check_all(&check, data, len, key, name, err);
	if (rc == 0)
		rc = parse_copy(out, data, len, check.spans, check.nspans, err);
	if (rc == 0 && check.nspans) {
		*nlifted = check.nspans;
		*first = check.spans[0];
	}
	free(check.spans);
	return rc;
}

/* ---- reading checked text without a tree ---- */

/* Decodes the checked string text in[0..n) (between the quotes) into out, which
 * has room for n bytes (escapes only shorten); returns the decoded length. The
 * bytes are those cJSON makes of the same text. */
static size_t unescape(char *out, const char *in, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		const char *bs = memchr(in + i, '\\', n - i);
		size_t run = bs ? (size_t)(bs - (in + i)) : n - i;
		memcpy(out + o, in + i, run);
		o += run;
		i += run;
		if (i >= n || i + 1 >= n)
			break;
		char e = in[i + 1];
		i += 2;
		switch (e) {
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'u': {
			unsigned u = 0, lo = 0;
			if (n - i < 4 || !hex4(in + i, &u))
				return o; /* not checked text: stop rather than read past it */
			i += 4;
			if (u >= 0xD800 && u <= 0xDBFF) {
				if (n - i < 6 || in[i] != '\\' || in[i + 1] != 'u' || !hex4(in + i + 2, &lo))
					return o;
				i += 6;
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			}
			if (u < 0x80) {
				out[o++] = (char)u;
			} else if (u < 0x800) {
				out[o++] = (char)(0xC0 | (u >> 6));
				out[o++] = (char)(0x80 | (u & 0x3F));
			} else if (u < 0x10000) {
				out[o++] = (char)(0xE0 | (u >> 12));
				out[o++] = (char)(0x80 | ((u >> 6) & 0x3F));
				out[o++] = (char)(0x80 | (u & 0x3F));
			} else {
				out[o++] = (char)(0xF0 | (u >> 18));
				out[o++] = (char)(0x80 | ((u >> 12) & 0x3F));
				out[o++] = (char)(0x80 | ((u >> 6) & 0x3F));
				out[o++] = (char)(0x80 | (u & 0x3F));
			}
			break;
		}
		default: /* '"', '\\' and '/' stand for themselves */
			out[o++] = e;
		}
	}
	return o;
}

void consort__json_cursor_space(consort__json_cursor *c)
{
	while (c->pos < c->end && is_space(c->d[c->pos]))
		c->pos++;
}

const char *consort__json_cursor_kind(const consort__json_cursor *c)
{
	if (c->pos >= c->end)
		return "nothing";
	switch (c->d[c->pos]) {
	case '{': return "an object";
	case '[': return "an array";
	case '"': return "a string";
	case 't': return "true";
	case 'f': return "false";
	case 'n': return "null";
	default: return "a number";
	}
}

/* Past the string whose opening quote is at pos; returns where its closing quote is. */
static size_t string_end(consort__json_cursor *c)
{
	size_t i = c->pos + 1;
	while (i < c->end) {
		const char *q = memchr(c->d + i, '"', c->end - i);
		if (!q) {
			i = c->end;
			break;
		}
		size_t at = (size_t)(q - c->d), k = at;
		while (k > i && c->d[k - 1] == '\\')
			k--;
		i = at + 1;
		if ((at - k) % 2 == 0) { /* not escaped: an even run of backslashes before it */
			c->pos = i;
			return at;
		}
	}
	c->pos = c->end;
	return c->end;
}

void consort__json_cursor_skip(consort__json_cursor *c)
{
	size_t depth = 0;
	do {
		if (c->pos >= c->end)
			return;
		char ch = c->d[c->pos];
		if (ch == '"') {
			string_end(c);
		} else if (ch == '{' || ch == '[') {
			depth++;
			c->pos++;
		} else if (ch == '}' || ch == ']') {
			if (depth == 0)
				return; /* not ours: the end of the enclosing container */
			depth--;
			c->pos++;
		} else if (depth > 0) {
			c->pos++; /* ',', ':', spaces, scalars inside the container */
		} else {
			/* a scalar at the top: true, false, null or a number */
			while (c->pos < c->end && !strchr(",:]} \t\n\r", c->d[c->pos]))
				c->pos++;
		}
	} while (depth > 0);
}

int consort__json_cursor_string(consort__json_cursor *c, char **buf, size_t *cap)
{
	size_t open = c->pos;
	size_t close = string_end(c);
	size_t n = close - open - 1;
	if (n + 1 > *cap) {
		size_t want = *cap ? *cap : 64;
		while (want < n + 1)
			want *= 2;
		char *bigger = realloc(*buf, want);
		if (!bigger)
			return -1;
		*buf = bigger;
		*cap = want;
	}
	(*buf)[unescape(*buf, c->d + open + 1, n)] = '\0';
	return 0;
}

double consort__json_cursor_number(consort__json_cursor *c)
{
	/* As cJSON reads numbers: the characters of the number (at most 63, which the
	 * check makes sure of), the point made the locale's, through strtod. */
	char text[64];
	char point = localeconv()->decimal_point[0];
	size_t n = 0;
	while (c->pos < c->end && n < sizeof(text) - 1) {
		char ch = c->d[c->pos];
		if ((ch >= '0' && ch <= '9') || ch == '+' || ch == '-' || ch == 'e' || ch == 'E')
			text[n++] = ch;
		else if (ch == '.')
			text[n++] = point;
		else
			break;
		c->pos++;
	}
	text[n] = '\0';
	return strtod(text, NULL);
}

/* ---- typed access ---- */

const char *consort__json_kind(const cJSON *item)
{
	if (!item)
		return "nothing";
	if (cJSON_IsObject(item))
		return "an object";
	if (cJSON_IsArray(item))
		return "an array";
	if (cJSON_IsString(item))
		return "a string";
	if (cJSON_IsNumber(item))
		return "a number";
	if (cJSON_IsTrue(item))
		return "true";
	if (cJSON_IsFalse(item))
		return "false";
	if (cJSON_IsNull(item))
		return "null";
	return "an unknown value";
}

const char *consort__json_show(char *buf, size_t size, const char *s)
{
	if (size == 0)
		return buf;
	size_t n = strlen(s), keep = n;
	int cut = 0;
	if (size < 8) {
		buf[0] = '\0';
		return buf;
	}
	if (n > size - 1) {
		keep = size - 4;
		/* do not cut a UTF-8 character in half */
		while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
			keep--;
		cut = 1;
	}
	for (size_t i = 0; i < keep; i++) {
		unsigned char c = (unsigned char)s[i];
		buf[i] = (c < 0x20 || c == 0x7F) ? '?' : (char)c;
	}
	if (cut) {
		memcpy(buf + keep, "...", 4);
	} else {
		buf[keep] = '\0';
	}
	return buf;
}

void consort__json_path_key(char *buf, size_t size, const char *parent, const char *key)
{
	char shown[64];
	consort__json_show(shown, sizeof(shown), key);
	if (parent && parent[0])
		snprintf(buf, size, "%s.%s", parent, shown);
	else
		snprintf(buf, size, "%s", shown);
}

void consort__json_path_index(char *buf, size_t size, const char *parent, size_t i)
{
	snprintf(buf, size, "%s[%zu]", parent ? parent : "", i);
}

int consort__json_member(const cJSON **item, const cJSON *obj, const char *key,
	const char *name, const char *path, consort_error *err)
{
	*item = NULL;
	for (const cJSON *c = obj->child; c; c = c->next) {
		if (!c->string || strcmp(c->string, key) != 0)
			continue;
		if (*item) {
			char p[CONSORT__JSON_PATH];
			consort__json_path_key(p, sizeof(p), path, key);
			return consort__error(err, CONSORT_EINVALID, "%s: %s: given twice", name, p);
		}
		*item = c;
	}
	return 0;
}

int consort__json_expected(const char *want, const char *found, const char *name, const char *path,
	consort_error *err)
{
	return consort__error(err, CONSORT_EINVALID, "%s: %s: expected %s, found %s", name, path, want,
		found);
}

static int wrong_kind(const cJSON *item, const char *want, const char *name, const char *path,
	consort_error *err)
{
	return consort__json_expected(want, consort__json_kind(item), name, path, err);
}

int consort__json_want_object(const cJSON *item, const char *name, const char *path, consort_error *err)
{
	return cJSON_IsObject(item) ? 0 : wrong_kind(item, "an object", name, path, err);
}

int consort__json_want_array(const cJSON *item, const char *name, const char *path, consort_error *err)
{
	return cJSON_IsArray(item) ? 0 : wrong_kind(item, "an array", name, path, err);
}

int consort__json_want_string(const char **out, const cJSON *item, const char *name,
	const char *path, consort_error *err)
{
	if (!cJSON_IsString(item) || !item->valuestring)
		return wrong_kind(item, "a string", name, path, err);
	*out = item->valuestring;
	return 0;
}

int consort__json_want_bool(int *out, const cJSON *item, const char *name, const char *path,
	consort_error *err)
{
	if (!cJSON_IsBool(item))
		return wrong_kind(item, "true or false", name, path, err);
	*out = cJSON_IsTrue(item) ? 1 : 0;
	return 0;
}

int consort__json_want_number(double *out, const cJSON *item, const char *name, const char *path,
	consort_error *err)
{
	if (!cJSON_IsNumber(item))
		return wrong_kind(item, "a number", name, path, err);
	if (!isfinite(item->valuedouble))
		return consort__error(err, CONSORT_EINVALID, "%s: %s: number is too large", name, path);
	*out = item->valuedouble;
	return 0;
}

int consort__json_want_int(int *out, const cJSON *item, int lo, int hi, const char *name,
	const char *path, consort_error *err)
{
	double d = 0;
	char num[32];
	int rc = consort__json_want_number(&d, item, name, path, err);
	if (rc < 0)
		return rc;
	consort__json_number_text(num, sizeof(num), d);
	if (d != floor(d))
		return consort__error(err, CONSORT_EINVALID, "%s: %s: %s is not a whole number", name, path, num);
	if (d < lo)
		return consort__error(err, CONSORT_EINVALID, "%s: %s: %s is less than %d", name, path, num, lo);
	if (d > hi)
		return consort__error(err, CONSORT_EINVALID, "%s: %s: %s is more than %d", name, path, num, hi);
	*out = (int)d;
	return 0;
}

/* ---- output ---- */

const char *consort__json_number_text(char *buf, size_t size, double d)
{
	if (!isfinite(d)) {
		snprintf(buf, size, "null");
		return buf;
	}
	if (d == floor(d) && fabs(d) < 1e15) {
		snprintf(buf, size, "%.0f", d);
		return buf;
	}
	/* Fewest significant digits that read back as the same double. */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	/* A locale may print a decimal comma; JSON wants a point. */
	for (char *c = buf; *c; c++)
		if (!((*c >= '0' && *c <= '9') || *c == '-' || *c == '+' || *c == 'e' || *c == 'E'))
			*c = '.';
	return buf;
}

typedef struct json_out {
	char *p;
	size_t len, cap;
	int failed;
} json_out;

static void put(json_out *o, const char *s, size_t n)
{
	if (o->failed)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 1024;
		while (o->len + n + 1 > cap)
			cap *= 2;
		char *bigger = realloc(o->p, cap);
		if (!bigger) {
			o->failed = 1;
			return;
		}
		o->p = bigger;
		o->cap = cap;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static void put_str(json_out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_indent(json_out *o, int depth)
{
	for (int i = 0; i < depth; i++)
		put(o, "  ", 2);
}

static void put_quoted(json_out *o, const char *s)
{
	put(o, "\"", 1);
	const char *run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *esc = NULL;
		char hex[8];
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			if (c < 0x20) {
				snprintf(hex, sizeof(hex), "\\u%04x", c);
				esc = hex;
			}
		}
		if (esc) {
			put(o, run, (size_t)(s - run));
			put_str(o, esc);
			run = s + 1;
		}
	}
	put(o, run, (size_t)(s - run));
	put(o, "\"", 1);
}

static int is_container(const cJSON *item)
{
	return (cJSON_IsObject(item) || cJSON_IsArray(item)) && item->child;
}

static void put_value(json_out *o, const cJSON *item, int depth);

static void put_scalar(json_out *o, const cJSON *item)
{
	char num[32];
	if (cJSON_IsString(item))
		put_quoted(o, item->valuestring ? item->valuestring : "");
	else if (cJSON_IsNumber(item))
		put_str(o, consort__json_number_text(num, sizeof(num), item->valuedouble));
	else if (cJSON_IsTrue(item))
		put_str(o, "true");
	else if (cJSON_IsFalse(item))
		put_str(o, "false");
	else if (cJSON_IsRaw(item) && item->valuestring)
		put_str(o, item->valuestring);
	else
		put_str(o, "null");
}

/* The whole value on one line: {"a": 1, "b": [2, 3]}. Depth only grows with the tree. */
static void put_inline(json_out *o, const cJSON *item)
{
	int obj = cJSON_IsObject(item);
	if (!obj && !cJSON_IsArray(item)) {
		put_scalar(o, item);
		return;
	}
	put(o, obj ? "{" : "[", 1);
	for (const cJSON *c = item->child; c; c = c->next) {
		if (obj) {
			put_quoted(o, c->string ? c->string : "");
			put(o, ": ", 2);
		}
		put_inline(o, c);
		if (c->next)
			put(o, ", ", 2);
	}
	put(o, obj ? "}" : "]", 1);
}

static void put_lines(json_out *o, const cJSON *item, int depth)
{
	int obj = cJSON_IsObject(item);
	put(o, obj ? "{\n" : "[\n", 2);
	for (const cJSON *c = item->child; c; c = c->next) {
		put_indent(o, depth + 1);
		if (obj) {
			put_quoted(o, c->string ? c->string : "");
			put(o, ": ", 2);
			put_value(o, c, depth + 1);
		} else {
			put_inline(o, c);
		}
		put_str(o, c->next ? ",\n" : "\n");
	}
	put_indent(o, depth);
	put(o, obj ? "}" : "]", 1);
}

static void put_value(json_out *o, const cJSON *item, int depth)
{
	int lines = 0;
	if (cJSON_IsObject(item) && item->child) {
		if (depth == 0) {
			lines = 1;
		} else if (depth == 1) {
			for (const cJSON *c = item->child; c && !lines; c = c->next)
				lines = is_container(c);
		}
	} else if (cJSON_IsArray(item) && depth <= 2) {
		lines = item->child && cJSON_IsObject(item->child);
	}
	if (lines)
		put_lines(o, item, depth);
	else
		put_inline(o, item);
}

int consort__json_print(char **out, const cJSON *root, consort_error *err)
{
	json_out o = {0};
	*out = NULL;
	put_value(&o, root, 0);
	put(&o, "\n", 1);
	if (o.failed) {
		free(o.p);
		return consort__error_nomem(err);
	}
	*out = o.p;
	return 0;
}
