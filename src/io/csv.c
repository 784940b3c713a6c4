/* Spreadsheet import (formats.md section 4): libcsv reads each file into a small
 * table of trimmed cells that remember their line, then the cells become a session. */
#include "consort/csv.h"
#include "error.h"
#include "io/fileio.h"
#include "index.h"
#include "session.h"

#include <csv.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading a CSV file into a table ---- */

typedef struct cell {
	char *text;  /* NUL-terminated, surrounding spaces and tabs trimmed */
	size_t line; /* physical line where the cell starts */
	int quoted;
} cell;

typedef struct row {
	cell *cells;
	size_t n, cap;
} row;

typedef struct table {
	row *rows;
	size_t n, cap;
} table;

/* State shared with libcsv's callbacks. libcsv tells neither the line nor
 * whether a field was quoted, so the input is fed one byte at a time and
 * reader notes both from the first byte of each field. */
typedef struct reader {
	table *t;
	row cur;
	size_t line;       /* line of the byte being fed */
	int fresh;         /* no byte of the current field seen yet (blanks aside) */
	int quoted;        /* the current field opened with a quote */
	size_t field_line; /* line of the current field's first byte */
	int nomem;
} reader;

static void row_free(row *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->cells[i].text);
	free(r->cells);
	memset(r, 0, sizeof(*r));
}

static void table_free(table *t)
{
	for (size_t i = 0; i < t->n; i++)
		row_free(&t->rows[i]);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

static int is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static void on_field(void *data, size_t len, void *arg)
{
	reader *r = arg;
	int quoted = r->fresh ? 0 : r->quoted;
	size_t line = r->fresh ? r->line : r->field_line;
	r->fresh = 1;
	if (r->nomem)
		return;
	const char *s = data ? data : "";
	while (len > 0 && is_blank((unsigned char)s[0])) {
		s++;
		len--;
	}
	while (len > 0 && is_blank((unsigned char)s[len - 1]))
		len--;
	if (r->cur.n == r->cur.cap) {
		size_t cap = r->cur.cap ? r->cur.cap * 2 : 8;
		cell *bigger = realloc(r->cur.cells, cap * sizeof(*bigger));
		if (!bigger) {
			r->nomem = 1;
			return;
		}
		r->cur.cells = bigger;
		r->cur.cap = cap;
	}
	char *text = malloc(len + 1);
	if (!text) {
		r->nomem = 1;
		return;
	}
	if (len)
		memcpy(text, s, len);
	text[len] = '\0';
	r->cur.cells[r->cur.n++] = (cell){text, line, quoted};
}

static int row_is_empty(const row *w)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->cells[i].text[0])
			return 0;
	return 1;
}

static void on_row(int c, void *arg)
{
	reader *r = arg;
	(void)c;
	r->fresh = 1;
	/* Spreadsheets export blank rows as ",,,": they carry nothing, skip them. */
	if (r->nomem || row_is_empty(&r->cur)) {
		row_free(&r->cur);
		return;
	}
	table *t = r->t;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		row *bigger = realloc(t->rows, cap * sizeof(*bigger));
		if (!bigger) {
			r->nomem = 1;
			row_free(&r->cur);
			return;
		}
		t->rows = bigger;
		t->cap = cap;
	}
	t->rows[t->n++] = r->cur;
	memset(&r->cur, 0, sizeof(r->cur));
}

/* A short, quoted excerpt of user text for messages; cut on a UTF-8 boundary. */
static const char *excerpt(char *buf, size_t size, const char *s)
{
	size_t max = size - 6, n = strlen(s);
	if (n <= max) {
		snprintf(buf, size, "\"%s\"", s);
		return buf;
	}
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	snprintf(buf, size, "\"%.*s...\"", (int)n, s);
	return buf;
}

/* "file:line:col (head): message", with head omitted when NULL. */
static int place_error(consort_error *err, const char *name, size_t line, size_t col,
	const char *head, const char *fmt, ...) CONSORT__PRINTF(6, 7);

static int place_error(consort_error *err, const char *name, size_t line, size_t col,
	const char *head, const char *fmt, ...)
{
	char msg[CONSORT_ERROR_MAX], hb[48];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (head && head[0]) {
		/* The header cell, without the quotes excerpt adds. */
		excerpt(hb, sizeof(hb), head);
		size_t n = strlen(hb);
		hb[n - 1] = '\0';
		return consort__error(err, CONSORT_EINVALID, "%s:%zu:%zu (%s): %s", name, line, col, hb + 1, msg);
	}
	return consort__error(err, CONSORT_EINVALID, "%s:%zu:%zu: %s", name, line, col, msg);
}

/* Line and column (in characters, as consort__utf8_valid counts) of byte `at`. */
static void locate(const char *data, size_t at, size_t *line, size_t *col)
{
	size_t ln = 1, cl = 1;
	for (size_t i = 0; i < at; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c == '\n') {
			ln++;
			cl = 1;
		} else if ((c & 0xC0) != 0x80) {
			cl++;
		}
	}
	*line = ln;
	*col = cl;
}

/* Encoding checks before any parsing: UTF-8 only, no NUL bytes. */
static int check_encoding(const char *data, size_t len, const char *name, consort_error *err)
{
	size_t line, col;
	if (len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
	    ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF)))
		return consort__error(err, CONSORT_EINVALID,
			"%s:1:1: the file is UTF-16; save it as UTF-8 (\"CSV UTF-8\")", name);
	const char *nul = memchr(data, '\0', len);
	size_t upto = nul ? (size_t)(nul - data) : len;
	if (!consort__utf8_valid(data, upto, &line, &col))
		return consort__error(err, CONSORT_EINVALID,
			"%s:%zu:%zu: invalid UTF-8; save the file as UTF-8 (\"CSV UTF-8\")", name, line, col);
	if (nul) {
		locate(data, upto, &line, &col);
		return consort__error(err, CONSORT_EINVALID, "%s:%zu:%zu: NUL byte in a text file", name, line, col);
	}
	return 0;
}

/* Parses data (UTF-8, no NUL, BOM allowed) into t. RFC 4180 quoting is
 * enforced by libcsv's strict mode; lines end in LF, CRLF or CR. */
static int read_table(table *t, const char *data, size_t len, const char *name, consort_error *err)
{
	int rc = check_encoding(data, len, name, err);
	if (rc < 0)
		return rc;
	size_t start = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		start = 3;

	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return consort__error_nomem(err);
	reader r;
	memset(&r, 0, sizeof(r));
	r.t = t;
	r.line = 1;
	r.fresh = 1;
	for (size_t i = start; i < len; i++) {
		unsigned char b = (unsigned char)data[i];
		if (r.fresh && !is_blank(b) && b != '\r' && b != '\n' && b != ',') {
			r.fresh = 0;
			r.quoted = b == '"';
			r.field_line = r.line;
		}
		if (csv_parse(&p, &data[i], 1, on_field, on_row, &r) != 1) {
			if (csv_error(&p) != CSV_EPARSE) {
				rc = consort__error_nomem(err);
			} else if (r.quoted) {
				rc = consort__error(err, CONSORT_EINVALID,
					"%s:%zu:%zu: text after a closing quote (a quote inside a quoted cell is written \"\")",
					name, r.line, r.cur.n + 1);
			} else {
				rc = consort__error(err, CONSORT_EINVALID,
					"%s:%zu:%zu: quote inside an unquoted cell (quote the whole cell and write the quote as \"\")",
					name, r.line, r.cur.n + 1);
			}
			goto done;
		}
		if (r.nomem) {
			rc = consort__error_nomem(err);
			goto done;
		}
		if (b == '\n' || (b == '\r' && (i + 1 == len || data[i + 1] != '\n')))
			r.line++;
	}
	if (csv_fini(&p, on_field, on_row, &r) != 0) {
		rc = consort__error(err, CONSORT_EINVALID, "%s:%zu:%zu: quoted cell is never closed",
			name, r.field_line, r.cur.n + 1);
		goto done;
	}
	if (r.nomem) {
		rc = consort__error_nomem(err);
		goto done;
	}
	if (t->n == 0)
		rc = consort__error(err, CONSORT_EINVALID, "%s:1:1: the file is empty (no header row)", name);
done:
	row_free(&r.cur);
	csv_free(&p);
	if (rc < 0)
		table_free(t);
	return rc;
}

/* ---- cells ---- */

static int ascii_caseeq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		int x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return 0;
	}
	return *a == *b;
}

static int is_extension(const char *head)
{
	return (head[0] == 'x' || head[0] == 'X') && head[1] == '-';
}

/* Everything the interpretation of the two tables needs. */
typedef struct import {
	consort_session *s;
	consort_error *err;
	locale_t c_locale;
	const char *pname, *rname;
} import;

/* Scores: an optional sign, digits, and an optional fraction after '.'. A
 * quoted cell may use ',' as the decimal separator instead: spreadsheets in
 * Finnish (and many other) locales write 3,5 and must quote it on export, since
 * an unquoted comma separates cells. So "1,000" reads as 1, which is harmless on
 * a rating scale. No exponents, inf, nan or hex. strtod runs under the C
 * locale so that the host program's LC_NUMERIC cannot change what '.' means. */
static int parse_score(const import *im, const cell *c, double *out)
{
	char buf[128];
	const char *s = c->text;
	size_t len = strlen(s), i = 0, digits = 0, seps = 0;
	if (len == 0 || len >= sizeof(buf))
		return -1;
	if (s[0] == '+' || s[0] == '-')
		i++;
	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if ((s[i] == '.' || (s[i] == ',' && c->quoted)) && seps++ == 0)
			continue;
		else
			return -1;
	}
	if (digits == 0)
		return -1;
	memcpy(buf, s, len + 1);
	char *comma = strchr(buf, ',');
	if (comma)
		*comma = '.';
	locale_t old = uselocale(im->c_locale);
	char *end;
	double v = strtod(buf, &end);
	uselocale(old);
	if (end != buf + len || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* Matches a header row against the expected column names, in order; the last
 * `optional` of them may be missing, columns named x-... are ignored.
 * idx[k] receives the cell index of expected column k, or SIZE_MAX. */
static int map_header(const row *h, const char *const *names, size_t nnames, size_t optional,
	size_t *idx, const char *name, consort_error *err)
{
	char expect[128] = "", eb[48];
	for (size_t k = 0; k < nnames; k++) {
		idx[k] = SIZE_MAX;
		strcat(expect, k ? "," : "");
		strcat(expect, names[k]);
	}
	size_t next = 0;
	for (size_t i = 0; i < h->n; i++) {
		const cell *c = &h->cells[i];
		if (is_extension(c->text))
			continue;
		if (next < nnames && ascii_caseeq(c->text, names[next])) {
			idx[next++] = i;
			continue;
		}
		if (!c->text[0])
			return place_error(err, name, c->line, i + 1, NULL,
				"empty header cell (the header must be %s)", expect);
		for (size_t k = 0; k < nnames; k++)
			if (ascii_caseeq(c->text, names[k]))
				return place_error(err, name, c->line, i + 1, NULL,
					"column %s is repeated or out of place (the header must be %s)",
					excerpt(eb, sizeof(eb), c->text), expect);
		return place_error(err, name, c->line, i + 1, NULL,
			"unknown column %s (the header must be %s; extra columns must be named x-...)",
			excerpt(eb, sizeof(eb), c->text), expect);
	}
	if (next < nnames - optional)
		return place_error(err, name, h->cells[0].line, h->n + 1, NULL,
			"missing column \"%s\" (the header must be %s)", names[next], expect);
	return 0;
}

static int check_width(const import *im, const char *name, const row *w, size_t want)
{
	if (w->n == want)
		return 0;
	if (w->n < want)
		return place_error(im->err, name, w->cells[0].line, w->n + 1, NULL,
			"row has %zu cells, the header has %zu", w->n, want);
	return place_error(im->err, name, w->cells[want].line, want + 1, NULL,
		"row has %zu cells, the header has %zu (quote cells that hold a comma)", w->n, want);
}

/* Rewrites a builder error (which knows no CSV place) with the place. */
static int builder_error(const import *im, int rc, const char *name, const cell *c, size_t col,
	const char *head)
{
	if (rc != CONSORT_EINVALID)
		return rc;
	char msg[CONSORT_ERROR_MAX];
	memcpy(msg, im->err->message, sizeof(msg));
	return place_error(im->err, name, c->line, col, head, "%s", msg);
}

/* A participant named in a ratings cell: known, and returned as its index. */
static int find_participant(const import *im, const cell *c, size_t col, const char *head, size_t *idx)
{
	char eb[48];
	if (!c->text[0])
		return place_error(im->err, im->rname, c->line, col, head, "empty participant id");
	long k = consort_session_find(im->s, c->text);
	if (k < 0)
		return place_error(im->err, im->rname, c->line, col, head,
			"unknown participant %s (not in %s)", excerpt(eb, sizeof(eb), c->text), im->pname);
	*idx = (size_t)k;
	return 0;
}

/* ---- participants ---- */

enum { P_ID, P_NAME, P_SECTOR, P_OFFERS, P_NCOLS };
static const char *const participant_columns[P_NCOLS] = {"id", "name", "sector", "offers"};

/* Splits offers at ';' in place; items are trimmed and empty ones dropped. */
static size_t split_offers(char *text, const char **items)
{
	size_t n = 0;
	char *p = text;
	for (;;) {
		char *semi = strchr(p, ';');
		if (semi)
			*semi = '\0';
		while (is_blank((unsigned char)*p))
			p++;
		size_t len = strlen(p);
		while (len > 0 && is_blank((unsigned char)p[len - 1]))
			p[--len] = '\0';
		if (len)
			items[n++] = p;
		if (!semi)
			return n;
		p = semi + 1;
	}
}

static int add_participant(import *im, const row *w, const size_t *idx, size_t *lines)
{
	const char *name = im->pname;
	const cell *id = &w->cells[idx[P_ID]];
	const cell *sector = &w->cells[idx[P_SECTOR]];
	size_t idcol = idx[P_ID] + 1;
	char eb[48];
	if (!id->text[0])
		return place_error(im->err, name, id->line, idcol, "id", "empty id");
	if (!consort__id_valid(id->text))
		return place_error(im->err, name, id->line, idcol, "id",
			"%s is not a valid id (1-64 characters of A-Z a-z 0-9 _ . -)",
			excerpt(eb, sizeof(eb), id->text));
	long dup = consort_session_find(im->s, id->text);
	if (dup >= 0)
		return place_error(im->err, name, id->line, idcol, "id",
			"duplicate id \"%s\" (first on line %zu)", id->text, lines[dup]);
	if (!sector->text[0])
		return place_error(im->err, name, sector->line, idx[P_SECTOR] + 1, "sector", "empty sector");

	const char **offers = NULL;
	size_t noffers = 0;
	if (idx[P_OFFERS] != SIZE_MAX) {
		char *text = w->cells[idx[P_OFFERS]].text;
		offers = malloc((strlen(text) / 2 + 1) * sizeof(*offers));
		if (!offers)
			return consort__error_nomem(im->err);
		noffers = split_offers(text, offers);
	}
	const char *pname = w->cells[idx[P_NAME]].text;
	int rc = consort_session_add_participant(im->s, id->text, pname[0] ? pname : NULL,
		sector->text, offers, noffers, im->err);
	free(offers);
	if (rc < 0)
		return builder_error(im, rc, name, id, idcol, NULL);
	lines[consort_session_count(im->s) - 1] = id->line;
	return 0;
}

static int import_participants(import *im, const table *t)
{
	size_t idx[P_NCOLS];
	int rc = map_header(&t->rows[0], participant_columns, P_NCOLS, 1, idx, im->pname, im->err);
	if (rc < 0)
		return rc;
	if (t->n < 2)
		return place_error(im->err, im->pname, t->rows[0].cells[0].line + 1, 1, NULL,
			"no participants below the header");
	/* Line of each participant's row, to point at the first of two duplicates. */
	size_t *lines = malloc((t->n - 1) * sizeof(*lines));
	if (!lines)
		return consort__error_nomem(im->err);
	size_t width = t->rows[0].n;
	for (size_t i = 1; i < t->n && rc == 0; i++) {
		rc = check_width(im, im->pname, &t->rows[i], width);
		if (rc == 0)
			rc = add_participant(im, &t->rows[i], idx, lines);
	}
	free(lines);
	return rc;
}

/* ---- ratings ---- */

/* The checks both forms share once the two participants are known. */
static int add_rating(import *im, const cell *score, size_t col, const char *head, size_t from, size_t to)
{
	char eb[48];
	double v;
	if (parse_score(im, score, &v) < 0)
		return place_error(im->err, im->rname, score->line, col, head, "%s is not a number",
			excerpt(eb, sizeof(eb), score->text));
	double min = consort_session_scale_min(im->s), max = consort_session_scale_max(im->s);
	if (v < min || v > max)
		return place_error(im->err, im->rname, score->line, col, head, "%s is outside the scale %g..%g",
			score->text, min, max);
	int rc = consort_session_add_rating(im->s, consort_session_participant(im->s, from)->id,
		consort_session_participant(im->s, to)->id, v, im->err);
	return rc < 0 ? builder_error(im, rc, im->rname, score, col, head) : 0;
}

enum { R_FROM, R_TO, R_SCORE, R_NCOLS };
static const char *const long_columns[R_NCOLS] = {"from", "to", "score"};

static int import_long(import *im, const table *t)
{
	size_t idx[R_NCOLS];
	int rc = map_header(&t->rows[0], long_columns, R_NCOLS, 0, idx, im->rname, im->err);
	if (rc < 0)
		return rc;
	consort__pairmap seen; /* (from, to) -> line of its rating */
	consort__pairmap_init(&seen);
	size_t width = t->rows[0].n;
	for (size_t i = 1; i < t->n && rc == 0; i++) {
		const row *w = &t->rows[i];
		if ((rc = check_width(im, im->rname, w, width)) < 0)
			break;
		const cell *fc = &w->cells[idx[R_FROM]], *tc = &w->cells[idx[R_TO]], *sc = &w->cells[idx[R_SCORE]];
		size_t from, to, first;
		if ((rc = find_participant(im, fc, idx[R_FROM] + 1, "from", &from)) < 0 ||
		    (rc = find_participant(im, tc, idx[R_TO] + 1, "to", &to)) < 0)
			break;
		if (from == to) {
			rc = place_error(im->err, im->rname, tc->line, idx[R_TO] + 1, "to",
				"\"%s\" rates itself", tc->text);
			break;
		}
		if (!sc->text[0])
			continue; /* unrated */
		if (consort__pairmap_get(&seen, from, to, &first)) {
			rc = place_error(im->err, im->rname, fc->line, idx[R_FROM] + 1, "from",
				"\"%s\" -> \"%s\" is rated twice (first on line %zu)", fc->text, tc->text, first);
			break;
		}
		if ((rc = add_rating(im, sc, idx[R_SCORE] + 1, "score", from, to)) < 0)
			break;
		if (consort__pairmap_put(&seen, from, to, fc->line) < 0)
			rc = consort__error_nomem(im->err);
	}
	consort__pairmap_dispose(&seen);
	return rc;
}

/* Matrix header: "id" then distinct participant ids; cols[k] gets the index. */
static int matrix_header(import *im, const row *h, size_t *cols)
{
	size_t n = consort_session_count(im->s);
	size_t *where = calloc(n ? n : 1, sizeof(*where)); /* participant -> column + 1 */
	if (!where)
		return consort__error_nomem(im->err);
	int rc = 0;
	for (size_t k = 1; k < h->n && rc == 0; k++) {
		const cell *c = &h->cells[k];
		if ((rc = find_participant(im, c, k + 1, NULL, &cols[k])) < 0)
			break;
		if (where[cols[k]])
			rc = place_error(im->err, im->rname, c->line, k + 1, NULL,
				"\"%s\" appears twice in the header (first in column %zu)", c->text, where[cols[k]]);
		else
			where[cols[k]] = k + 1;
	}
	free(where);
	return rc;
}

static int matrix_row(import *im, const row *h, const row *w, const size_t *cols, size_t *rater_line)
{
	const cell *rc0 = &w->cells[0];
	size_t rater;
	int rc;
	if ((rc = check_width(im, im->rname, w, h->n)) < 0 ||
	    (rc = find_participant(im, rc0, 1, "id", &rater)) < 0)
		return rc;
	if (rater_line[rater])
		return place_error(im->err, im->rname, rc0->line, 1, "id",
			"\"%s\" has two rows (first on line %zu)", rc0->text, rater_line[rater]);
	rater_line[rater] = rc0->line;
	for (size_t k = 1; k < w->n; k++) {
		const cell *c = &w->cells[k];
		if (!c->text[0])
			continue; /* unrated */
		if (cols[k] == rater)
			return place_error(im->err, im->rname, c->line, k + 1, h->cells[k].text,
				"the diagonal must be empty (\"%s\" would rate itself)", rc0->text);
		if ((rc = add_rating(im, c, k + 1, h->cells[k].text, rater, cols[k])) < 0)
			return rc;
	}
	return 0;
}

static int import_matrix(import *im, const table *t)
{
	const row *h = &t->rows[0];
	size_t n = consort_session_count(im->s);
	size_t *cols = calloc(h->n, sizeof(*cols));
	size_t *rater_line = calloc(n ? n : 1, sizeof(*rater_line));
	int rc = (!cols || !rater_line) ? consort__error_nomem(im->err) : matrix_header(im, h, cols);
	for (size_t i = 1; i < t->n && rc == 0; i++)
		rc = matrix_row(im, h, &t->rows[i], cols, rater_line);
	free(cols);
	free(rater_line);
	return rc;
}

static int import_ratings(import *im, const table *t)
{
	const row *h = &t->rows[0];
	const cell *first = &h->cells[0];
	char eb[48];
	if (ascii_caseeq(first->text, "id"))
		return import_matrix(im, t);
	for (size_t k = 0; k < h->n; k++) {
		if (ascii_caseeq(h->cells[k].text, "from"))
			return import_long(im, t);
		if (!is_extension(h->cells[k].text))
			break;
	}
	return place_error(im->err, im->rname, first->line, 1, NULL,
		"unknown header %s: expected from,to,score (long form) or id,<id1>,<id2>,... (matrix form)",
		excerpt(eb, sizeof(eb), first->text));
}

/* ---- entry points ---- */

static int import_buffers(consort_session **out,
	const char *participants, size_t participants_len, const char *participants_name,
	const char *ratings, size_t ratings_len, const char *ratings_name,
	int set_scale, double scale_min, double scale_max, consort_error *err)
{
	consort_error local;
	if (!err)
		err = &local;
	if (!out)
		return consort__error(err, CONSORT_EUSAGE, "csv import: out is NULL");
	*out = NULL;
	if ((!participants && participants_len) || (!ratings && ratings_len))
		return consort__error(err, CONSORT_EUSAGE, "csv import: NULL buffer");
	import im = {NULL, err, (locale_t)0,
		participants_name ? participants_name : "participants.csv",
		ratings_name ? ratings_name : "ratings.csv"};
	table pt = {0}, rt = {0};
	int rc;
	if ((rc = read_table(&pt, participants ? participants : "", participants_len, im.pname, err)) < 0 ||
	    (rc = read_table(&rt, ratings ? ratings : "", ratings_len, im.rname, err)) < 0)
		goto done;
	im.c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (!im.c_locale) {
		rc = consort__error_nomem(err);
		goto done;
	}
	if ((rc = consort_session_new(&im.s, err)) < 0)
		goto done;
	if (set_scale && (rc = consort_session_set_scale(im.s, scale_min, scale_max, err)) < 0)
		goto done;
	if ((rc = import_participants(&im, &pt)) < 0 || (rc = import_ratings(&im, &rt)) < 0)
		goto done;
	*out = im.s;
	im.s = NULL;
done:
	consort_session_free(im.s);
	if (im.c_locale)
		freelocale(im.c_locale);
	table_free(&pt);
	table_free(&rt);
	return rc;
}

int consort_csv_import_buffers(consort_session **out,
	const char *participants, size_t participants_len, const char *participants_name,
	const char *ratings, size_t ratings_len, const char *ratings_name, consort_error *err)
{
	return import_buffers(out, participants, participants_len, participants_name,
		ratings, ratings_len, ratings_name, 0, 0, 0, err);
}

static int import_files(consort_session **out, const char *participants_path, const char *ratings_path,
	int set_scale, double scale_min, double scale_max, consort_error *err)
{
	if (!out || !participants_path || !ratings_path)
		return consort__error(err, CONSORT_EUSAGE, "csv import: NULL argument");
	*out = NULL;
	char *p = NULL, *r = NULL;
	size_t plen, rlen;
	int rc;
	if ((rc = consort__file_read(&p, &plen, participants_path, err)) == 0 &&
	    (rc = consort__file_read(&r, &rlen, ratings_path, err)) == 0)
		rc = import_buffers(out, p, plen, participants_path, r, rlen, ratings_path,
			set_scale, scale_min, scale_max, err);
	free(p);
	free(r);
	return rc;
}

int consort_csv_import(consort_session **out, const char *participants_path,
	const char *ratings_path, consort_error *err)
{
	return import_files(out, participants_path, ratings_path, 0, 0, 0, err);
}

int consort_csv_import_ex(consort_session **out, const char *participants_path,
	const char *ratings_path, double scale_min, double scale_max, consort_error *err)
{
	return import_files(out, participants_path, ratings_path, 1, scale_min, scale_max, err);
}
