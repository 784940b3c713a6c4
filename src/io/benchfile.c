/* Readers for CP-Lib and MDGPLIB benchmark instances (formats.md section 5): a hand
 * tokenizer with line:column positions, strict counts, and a session built with the builder API. */
#include "consort/bench.h"
#include "session.h"
#include "error.h"
#include "io/fileio.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- tokenizer ---- */

typedef struct scan {
	const char *p, *end, *line_start;
	size_t line;      /* line of p, 1-based */
	size_t last_line; /* line of the last token read: where "the file ends early" points */
	const char *name;
	consort_error *err;
} scan;

typedef struct token {
	const char *s;
	size_t len, line, col;
} token;

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static void scan_init(scan *sc, const char *data, size_t len, const char *name, consort_error *err)
{
	sc->p = sc->line_start = data;
	sc->end = data + len;
	sc->line = sc->last_line = 1;
	sc->name = name;
	sc->err = err;
}

/* The next token on the current line; 0 at the end of the line or the data
 * (the newline itself is left for next_line). */
static int next_in_line(scan *sc, token *t)
{
	while (sc->p < sc->end && is_blank(*sc->p))
		sc->p++;
	if (sc->p == sc->end || *sc->p == '\n')
		return 0;
	t->s = sc->p;
	t->line = sc->last_line = sc->line;
	t->col = (size_t)(sc->p - sc->line_start) + 1;
	while (sc->p < sc->end && !is_blank(*sc->p) && *sc->p != '\n')
		sc->p++;
	t->len = (size_t)(sc->p - t->s);
	return 1;
}

/* Moves to the start of the next line; 0 when there is none. */
static int next_line(scan *sc)
{
	const char *nl = memchr(sc->p, '\n', (size_t)(sc->end - sc->p));
	if (!nl) {
		sc->p = sc->end;
		return 0;
	}
	sc->p = sc->line_start = nl + 1;
	sc->line++;
	return 1;
}

/* The next token anywhere; 0 at the end of the data. */
static int next_any(scan *sc, token *t)
{
	for (;;) {
		if (next_in_line(sc, t))
			return 1;
		if (!next_line(sc))
			return 0;
	}
}

/* A printable, shortened copy of a token for messages. */
static const char *show(char *buf, size_t size, const token *t)
{
	size_t n = 0;
	for (size_t i = 0; i < t->len; i++) {
		if (n + 4 >= size) {
			memcpy(buf + n, "...", 3);
			n += 3;
			break;
		}
		unsigned char c = (unsigned char)t->s[i];
		buf[n++] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
	}
	buf[n] = '\0';
	return buf;
}

static int fail_va(const scan *sc, size_t line, size_t col, const char *fmt, va_list ap)
	CONSORT__PRINTF(4, 0);

static int fail_va(const scan *sc, size_t line, size_t col, const char *fmt, va_list ap)
{
	char msg[CONSORT_ERROR_MAX];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (col)
		return consort__error(sc->err, CONSORT_EINVALID, "%s:%zu:%zu: %s", sc->name, line, col, msg);
	return consort__error(sc->err, CONSORT_EINVALID, "%s:%zu: %s", sc->name, line, msg);
}

/* "file:LINE:COL: message" at a token. */
static int fail_at(const scan *sc, const token *t, const char *fmt, ...) CONSORT__PRINTF(3, 4);
static int fail_at(const scan *sc, const token *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = fail_va(sc, t->line, t->col, fmt, ap);
	va_end(ap);
	return rc;
}

/* "file:LINE: message" for a whole line. */
static int fail_line(const scan *sc, size_t line, const char *fmt, ...) CONSORT__PRINTF(3, 4);
static int fail_line(const scan *sc, size_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = fail_va(sc, line, 0, fmt, ap);
	va_end(ap);
	return rc;
}

/* A decimal number: [+-] digits [. digits] [e [+-] digits]. Integers of up to
 * 15 digits (all CP-Lib weights) are converted exactly without strtod. */
static int read_number(const scan *sc, const token *t, const char *what, double *out)
{
	char txt[32];
	const char *s = t->s, *e = s + t->len, *q = s;
	if (q < e && (*q == '+' || *q == '-'))
		q++;
	const char *digits = q;
	uint64_t v = 0;
	while (q < e && *q >= '0' && *q <= '9') {
		if (q - digits < 18)
			v = v * 10 + (uint64_t)(*q - '0');
		q++;
	}
	size_t nint = (size_t)(q - digits);
	if (q == e && nint > 0 && nint <= 15) {
		*out = *s == '-' ? -(double)v : (double)v;
		return 0;
	}
	size_t nfrac = 0;
	if (q < e && *q == '.')
		for (q++; q < e && *q >= '0' && *q <= '9'; q++)
			nfrac++;
	int ok = nint + nfrac > 0;
	if (ok && q < e && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < e && (*q == '+' || *q == '-'))
			q++;
		const char *x = q;
		while (q < e && *q >= '0' && *q <= '9')
			q++;
		ok = q > x;
	}
	if (!ok || q != e)
		return fail_at(sc, t, "%s: '%s' is not a number", what, show(txt, sizeof(txt), t));
	char buf[128];
	if (t->len >= sizeof(buf))
		return fail_at(sc, t, "%s: '%s' is too long for a number", what, show(txt, sizeof(txt), t));
	memcpy(buf, s, t->len);
	buf[t->len] = '\0';
	double d = strtod(buf, NULL);
	if (!isfinite(d))
		return fail_at(sc, t, "%s: %s is out of range", what, show(txt, sizeof(txt), t));
	*out = d;
	return 0;
}

/* A non-negative integer within lo..hi. */
static int read_int(const scan *sc, const token *t, const char *what, long lo, long hi, long *out)
{
	char txt[32];
	long v = 0;
	for (size_t i = 0; i < t->len; i++) {
		char c = t->s[i];
		if (c < '0' || c > '9')
			return fail_at(sc, t, "%s: '%s' is not a whole number", what, show(txt, sizeof(txt), t));
		if (v <= hi)
			v = v * 10 + (c - '0');
	}
	if (v < lo || v > hi)
		return fail_at(sc, t, "%s: %s is outside %ld..%ld", what, show(txt, sizeof(txt), t), lo, hi);
	*out = v;
	return 0;
}

/* ---- building the session ---- */

/* The file name without its directories, for the title. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Turns n vertices and the upper triangle w (row by row: w01 w02 ... w12 ...)
 * into a session; takes ownership of r's contents either way. */
static int build_session(consort_session **out, long n, long first_id, const double *w,
	consort_rules *r, const char *title, const scan *sc)
{
	consort_error *err = sc->err;
	size_t nn = (size_t)n, npairs = nn * (nn - 1) / 2;
	double lo = 0, hi = 0;
	for (size_t k = 0; k < npairs; k++) {
		lo = fmin(lo, w[k]);
		hi = fmax(hi, w[k]);
	}
	if (!(lo < hi))
		hi = lo + 1;
	consort_session *s = NULL;
	char (*ids)[16] = malloc(nn * sizeof(*ids));
	int rc = ids ? consort_session_new(&s, err) : consort__error_nomem(err);
	if (rc == 0)
		rc = consort_session_set_title(s, title, err);
	if (rc == 0)
		rc = consort_session_set_scale(s, lo, hi, err);
	if (rc == 0)
		rc = consort_session_reserve(s, nn, nn * (nn - 1), err);
	for (size_t i = 0; rc == 0 && i < nn; i++) {
		snprintf(ids[i], sizeof(ids[i]), "%d", (int)(first_id + (long)i));
		rc = consort_session_add_participant(s, ids[i], NULL, "vertex", NULL, 0, err);
	}
	/* Both directions carry the weight, so mean combining gives w(i,j) exactly. */
	size_t k = 0;
	for (size_t i = 0; rc == 0 && i < nn; i++)
		for (size_t j = i + 1; rc == 0 && j < nn; j++, k++)
			if ((rc = consort_session_add_rating(s, ids[i], ids[j], w[k], err)) == 0)
				rc = consort_session_add_rating(s, ids[j], ids[i], w[k], err);
	if (rc == 0) {
		consort_scoring sc0 = {CONSORT_COMBINE_MEAN, 1, 0.0, 1, 0.0, CONSORT_NORMALIZE_NONE};
		rc = consort_session_set_scoring(s, &sc0, err);
	}
	if (rc == 0 && (rc = consort__rules_validate(r, s, sc->name, err)) == 0)
		consort__session_take_rules(s, r);
	consort__rules_dispose(r);
	free(ids);
	if (rc < 0) {
		consort_session_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* ---- CP-Lib ---- */

static int cplib_parse(consort_session **out, scan *sc, size_t len)
{
	token t;
	long n;
	int rc;
	if (!next_any(sc, &t))
		return fail_line(sc, 1, "empty file: expected the number of vertices n");
	if ((rc = read_int(sc, &t, "n", 1, CONSORT_BENCH_MAX_N, &n)) < 0)
		return rc;
	size_t need = (size_t)n * (size_t)(n - 1) / 2;
	/* Every number takes at least two bytes, so this bounds the count without a realloc. */
	size_t cap = need < len / 2 + 1 ? need : len / 2 + 1;
	double *w = malloc((cap ? cap : 1) * sizeof(double));
	if (!w)
		return consort__error_nomem(sc->err);
	size_t nw = 0;
	while (next_any(sc, &t)) {
		if (nw == need) {
			free(w);
			return fail_at(sc, &t, "too many numbers: n = %ld needs %zu weights", n, need);
		}
		if ((rc = read_number(sc, &t, "weight", &w[nw])) < 0) {
			free(w);
			return rc;
		}
		nw++;
	}
	if (nw < need) {
		free(w);
		return fail_line(sc, sc->last_line, "file ends early: n = %ld needs %zu weights, found %zu",
			n, need, nw);
	}
	consort_rules r;
	consort__rules_init(&r);
	r.group.has_size = 1;
	r.group.size.min = 1;
	r.group.size.max = CONSORT_NO_MAX;
	char title[256];
	snprintf(title, sizeof(title), "CP-Lib instance %s", base_name(sc->name));
	rc = build_session(out, n, 1, w, &r, title, sc);
	free(w);
	return rc;
}

/* ---- MDGPLIB ---- */

typedef struct triple {
	uint64_t key; /* a * n + b with a < b */
	size_t line;
	double d;
} triple;

static int triple_cmp(const void *x, const void *y)
{
	const triple *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->line < b->line ? -1 : (a->line > b->line);
}

typedef struct mdgp_header {
	long n, m;
	char kind[3]; /* "ss" or "ds" */
	long *size;   /* a_1 b_1 ... a_m b_m */
	size_t line;
} mdgp_header;

static int is_kind(const token *t)
{
	if (t->len != 2 || (t->s[1] != 's' && t->s[1] != 'S'))
		return 0;
	char c = t->s[0];
	return c == 's' || c == 'S' || c == 'd' || c == 'D';
}

static int mdgp_read_header(mdgp_header *h, scan *sc)
{
	token t;
	char txt[32];
	int rc;
	if (!next_any(sc, &t))
		return fail_line(sc, 1, "empty file: expected the header 'n m ss|ds a1 b1 ... am bm'");
	h->line = t.line;
	if ((rc = read_int(sc, &t, "n", 1, CONSORT_BENCH_MAX_N, &h->n)) < 0)
		return rc;
	if (!next_in_line(sc, &t))
		return fail_line(sc, h->line, "header ends after n: expected 'n m ss|ds a1 b1 ... am bm'");
	if ((rc = read_int(sc, &t, "m (groups)", 1, h->n, &h->m)) < 0)
		return rc;
	if (!next_in_line(sc, &t))
		return fail_line(sc, h->line, "header ends after m: expected ss or ds");
	if (!is_kind(&t))
		return fail_at(sc, &t, "'%s': expected ss or ds", show(txt, sizeof(txt), &t));
	h->kind[0] = (char)(t.s[0] | 0x20);
	h->kind[1] = 's';
	h->kind[2] = '\0';
	h->size = malloc(2 * (size_t)h->m * sizeof(long));
	if (!h->size)
		return consort__error_nomem(sc->err);
	long suma = 0, sumb = 0;
	for (long g = 0; g < h->m; g++) {
		long *a = &h->size[2 * g], *b = a + 1;
		char what[80];
		if (!next_in_line(sc, &t))
			return fail_line(sc, h->line, "header ends early: %ld groups need %ld sizes a_g b_g, found %ld",
				h->m, 2 * h->m, 2 * g);
		snprintf(what, sizeof(what), "a_%ld (group %ld minimum)", g + 1, g + 1);
		if ((rc = read_int(sc, &t, what, 1, h->n, a)) < 0)
			return rc;
		if (!next_in_line(sc, &t))
			return fail_line(sc, h->line, "header ends early: %ld groups need %ld sizes a_g b_g, found %ld",
				h->m, 2 * h->m, 2 * g + 1);
		snprintf(what, sizeof(what), "b_%ld (group %ld maximum)", g + 1, g + 1);
		if ((rc = read_int(sc, &t, what, 1, h->n, b)) < 0)
			return rc;
		if (*a > *b)
			return fail_at(sc, &t, "group %ld: minimum a_g = %ld is more than maximum b_g = %ld",
				g + 1, *a, *b);
		suma += *a;
		sumb += *b;
	}
	if (next_in_line(sc, &t))
		return fail_at(sc, &t, "'%s' after the %ld group sizes: the header has 3 + 2m = %ld tokens",
			show(txt, sizeof(txt), &t), h->m, 3 + 2 * h->m);
	if (suma > h->n)
		return fail_line(sc, h->line, "group minimums add up to %ld, more than n = %ld", suma, h->n);
	if (sumb < h->n)
		return fail_line(sc, h->line, "group maximums add up to %ld, less than n = %ld: someone would be left out",
			sumb, h->n);
	return 0;
}

/* Reads one `i j d` line whose first token is t. */
static int mdgp_read_pair(triple *out, scan *sc, const token *first, long n)
{
	token t = *first;
	char txt[32];
	long i, j;
	int rc;
	if ((rc = read_int(sc, &t, "vertex i", 0, n - 1, &i)) < 0)
		return rc;
	if (!next_in_line(sc, &t))
		return fail_line(sc, first->line, "expected 'i j d', found 1 number");
	if ((rc = read_int(sc, &t, "vertex j", 0, n - 1, &j)) < 0)
		return rc;
	if (i == j)
		return fail_at(sc, &t, "pair %ld %ld: a vertex paired with itself", i, j);
	if (!next_in_line(sc, &t))
		return fail_line(sc, first->line, "expected 'i j d', found 2 numbers");
	if ((rc = read_number(sc, &t, "d", &out->d)) < 0)
		return rc;
	if (next_in_line(sc, &t))
		return fail_at(sc, &t, "'%s' after 'i j d'", show(txt, sizeof(txt), &t));
	long a = i < j ? i : j, b = i < j ? j : i;
	out->key = (uint64_t)a * (uint64_t)n + (uint64_t)b;
	out->line = first->line;
	return 0;
}

/* Sorted triples: report the earliest repeated pair, then the first missing one. */
static int mdgp_check_pairs(const triple *tr, size_t count, size_t need, long n, const scan *sc)
{
	size_t dup = SIZE_MAX;
	for (size_t k = 1; k < count; k++)
		if (tr[k].key == tr[k - 1].key && (dup == SIZE_MAX || tr[k].line < tr[dup].line))
			dup = k;
	uint64_t nn = (uint64_t)n;
	if (dup != SIZE_MAX)
		return fail_line(sc, tr[dup].line, "pair %" PRIu64 " %" PRIu64 " is given twice (also on line %zu)",
			tr[dup].key / nn, tr[dup].key % nn, tr[dup - 1].line);
	if (count == need)
		return 0;
	/* Distinct sorted keys: the first gap is at an index <= count. */
	size_t k = 0;
	for (uint64_t a = 0; a + 1 < nn; a++)
		for (uint64_t b = a + 1; b < nn; b++, k++)
			if (k >= count || tr[k].key != a * nn + b)
				return fail_line(sc, sc->last_line,
					"pair %" PRIu64 " %" PRIu64 " is missing: n = %ld needs %zu pairs, found %zu",
					a, b, n, need, count);
	return 0;
}

static int mdgp_parse_body(triple **out, size_t *count, scan *sc, long n, size_t need)
{
	triple *tr = NULL;
	size_t cnt = 0, cap = 0;
	token t;
	int rc = 0;
	while (next_line(sc)) {
		if (!next_in_line(sc, &t))
			continue;
		if (cnt == cap) {
			size_t ncap = cap ? cap * 2 : 1024;
			triple *bigger = realloc(tr, ncap * sizeof(*tr));
			if (!bigger) {
				rc = consort__error_nomem(sc->err);
				break;
			}
			tr = bigger;
			cap = ncap;
		}
		if ((rc = mdgp_read_pair(&tr[cnt], sc, &t, n)) < 0)
			break;
		/* More pairs than exist: one is repeated, and among these already. */
		if (++cnt > need)
			break;
	}
	if (rc < 0) {
		free(tr);
		return rc;
	}
	*out = tr;
	*count = cnt;
	return 0;
}

static int mdgp_parse(consort_session **out, scan *sc)
{
	mdgp_header h = {0};
	triple *tr = NULL;
	size_t count = 0;
	double *w = NULL;
	int rc = mdgp_read_header(&h, sc);
	size_t need = rc == 0 ? (size_t)h.n * (size_t)(h.n - 1) / 2 : 0;
	if (rc == 0)
		rc = mdgp_parse_body(&tr, &count, sc, h.n, need);
	if (rc == 0 && count)
		qsort(tr, count, sizeof(*tr), triple_cmp);
	if (rc == 0)
		rc = mdgp_check_pairs(tr, count, need, h.n, sc);
	if (rc == 0 && !(w = malloc((need ? need : 1) * sizeof(double))))
		rc = consort__error_nomem(sc->err);
	if (rc < 0) {
		free(h.size);
		free(tr);
		return rc;
	}
	for (size_t k = 0; k < need; k++)
		w[k] = tr[k].d;
	free(tr);

	consort_rules r;
	consort__rules_init(&r);
	/* Explicit, so the default minimum of 2 cannot clash with a lot of 1. */
	r.group.has_size = 1;
	r.group.size.min = 1;
	r.group.size.max = CONSORT_NO_MAX;
	consort_lot *lots = calloc((size_t)h.m, sizeof(*lots));
	if (!lots) {
		free(w);
		free(h.size);
		return consort__error_nomem(sc->err);
	}
	r.lots = lots;
	r.nlots = (size_t)h.m;
	for (long g = 0; g < h.m; g++) {
		char name[24];
		snprintf(name, sizeof(name), "%ld", g + 1);
		lots[g].name = consort__strdup(name);
		lots[g].rules.has_size = 1;
		lots[g].rules.size.min = (int)h.size[2 * g];
		lots[g].rules.size.max = (int)h.size[2 * g + 1];
		if (!lots[g].name)
			rc = consort__error_nomem(sc->err);
	}
	free(h.size);
	if (rc < 0) {
		consort__rules_dispose(&r);
		free(w);
		return rc;
	}
	char title[256];
	snprintf(title, sizeof(title), "MDGPLIB instance %s (%s, %ld groups)", base_name(sc->name), h.kind, h.m);
	rc = build_session(out, h.n, 0, w, &r, title, sc);
	free(w);
	return rc;
}

/* ---- entry points ---- */

consort_bench_format consort_bench_detect(const char *data, size_t len)
{
	scan sc;
	token t;
	scan_init(&sc, data, len, "", NULL);
	if (!next_any(&sc, &t))
		return CONSORT_BENCH_CPLIB;
	for (int k = 1; k < 3; k++)
		if (!next_in_line(&sc, &t))
			return CONSORT_BENCH_CPLIB;
	return is_kind(&t) ? CONSORT_BENCH_MDGP : CONSORT_BENCH_CPLIB;
}

int consort_bench_parse(consort_session **out, const char *data, size_t len, const char *name,
	consort_bench_format fmt, consort_error *err)
{
	*out = NULL;
	if (!name)
		name = "(input)";
	if (!data && len)
		return consort__error(err, CONSORT_EUSAGE, "%s: no data", name);
	if (!data)
		data = "";
	if (fmt == CONSORT_BENCH_AUTO)
		fmt = consort_bench_detect(data, len);
	scan sc;
	scan_init(&sc, data, len, name, err);
	switch (fmt) {
	case CONSORT_BENCH_CPLIB:
		return cplib_parse(out, &sc, len);
	case CONSORT_BENCH_MDGP:
		return mdgp_parse(out, &sc);
	default:
		return consort__error(err, CONSORT_EUSAGE, "%s: unknown benchmark format %d", name, (int)fmt);
	}
}

int consort_bench_load(consort_session **out, const char *path, consort_bench_format fmt,
	consort_error *err)
{
	char *data;
	size_t len;
	*out = NULL;
	int rc = consort__file_read(&data, &len, path, err);
	if (rc < 0)
		return rc;
	rc = consort_bench_parse(out, data, len, path, fmt, err);
	free(data);
	return rc;
}
