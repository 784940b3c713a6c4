/* Tests of the spreadsheet import (src/csv.c) against hand-written good and bad
 * files, and of `consort import` run as a child process. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "consort.h"
#include "io/fileio.h"

#define DATA CONSORT_TEST_DATA "/csv/"

static consort_session *import_ok(const char *pfile, const char *rfile)
{
	consort_session *s = NULL;
	consort_error err;
	char p[512], r[512];
	consort_error_clear(&err);
	snprintf(p, sizeof(p), DATA "%s", pfile);
	snprintf(r, sizeof(r), DATA "%s", rfile);
	int rc = consort_csv_import(&s, p, r, &err);
	if (rc != 0)
		fail_msg("import failed: %s", err.message);
	assert_non_null(s);
	return s;
}

/* True when msg holds place followed by ':' or ' ' (so "f.csv:2:2" does not
 * match "f.csv:2:23"). */
static int has_place(const char *msg, const char *place)
{
	size_t n = strlen(place);
	for (const char *at = strstr(msg, place); at; at = strstr(at + 1, place))
		if (at[n] == ':' || at[n] == ' ')
			return 1;
	return 0;
}

static void expect_file_error(const char *pfile, const char *rfile, const char *place, const char *words)
{
	char p[512], r[512];
	snprintf(p, sizeof(p), DATA "%s", pfile);
	snprintf(r, sizeof(r), DATA "%s", rfile);
	consort_session *s = (consort_session *)1;
	consort_error err;
	consort_error_clear(&err);
	int rc = consort_csv_import(&s, p, r, &err);
	if (rc != CONSORT_EINVALID || err.code != CONSORT_EINVALID)
		fail_msg("%s + %s: expected CONSORT_EINVALID, got %d: %s", pfile, rfile, rc, err.message);
	assert_null(s);
	if (!has_place(err.message, place))
		fail_msg("%s + %s: message lacks place %s: %s", pfile, rfile, place, err.message);
	if (words && !strstr(err.message, words))
		fail_msg("%s + %s: message lacks \"%s\": %s", pfile, rfile, words, err.message);
	assert_null(strchr(err.message, '\n'));
}

static void expect_buffer_error(const char *p, const char *r, const char *place, const char *words)
{
	consort_session *s = NULL;
	consort_error err;
	consort_error_clear(&err);
	int rc = consort_csv_import_buffers(&s, p, strlen(p), "p.csv", r, strlen(r), "r.csv", &err);
	if (rc != CONSORT_EINVALID)
		fail_msg("expected CONSORT_EINVALID for [%s] [%s], got %d: %s", p, r, rc, err.message);
	assert_null(s);
	if (!has_place(err.message, place))
		fail_msg("message lacks place %s: %s", place, err.message);
	if (words && !strstr(err.message, words))
		fail_msg("message lacks \"%s\": %s", words, err.message);
}

static consort_session *buffers_ok(const char *p, const char *r)
{
	consort_session *s = NULL;
	consort_error err;
	consort_error_clear(&err);
	if (consort_csv_import_buffers(&s, p, strlen(p), "p.csv", r, strlen(r), "r.csv", &err) != 0)
		fail_msg("import of [%s] [%s] failed: %s", p, r, err.message);
	return s;
}

static size_t idx(const consort_session *s, const char *id)
{
	long k = consort_session_find(s, id);
	if (k < 0)
		fail_msg("no participant %s", id);
	return (size_t)k;
}

static double score(const consort_session *s, const char *from, const char *to)
{
	double v;
	if (consort_session_score(s, idx(s, from), idx(s, to), &v) != 0)
		return -1000;
	return v;
}

/* ---- the library ---- */

static void test_long_form(void **state)
{
	(void)state;
	consort_session *s = import_ok("participants.csv", "ratings-long.csv");
	assert_int_equal(consort_session_count(s), 5);
	const consort_participant *a1 = consort_session_participant(s, idx(s, "a1"));
	assert_string_equal(a1->name, "Valmennus ry");
	assert_string_equal(a1->sector, "association");
	assert_int_equal(a1->noffers, 2);
	assert_string_equal(a1->offers[0], "coaching");
	assert_string_equal(a1->offers[1], "rehabilitation");
	assert_string_equal(consort_session_participant(s, idx(s, "a2"))->name, "Työvalmennus ry");
	const consort_participant *f2 = consort_session_participant(s, idx(s, "f2"));
	assert_int_equal(f2->noffers, 2);
	assert_string_equal(f2->offers[0], "construction");
	assert_string_equal(f2->offers[1], "cleaning");
	const consort_participant *p1 = consort_session_participant(s, idx(s, "p1"));
	assert_string_equal(p1->name, "p1"); /* empty name: the id */
	assert_int_equal(p1->noffers, 0);

	assert_int_equal(consort_session_rating_count(s), 4); /* f2 -> a2 is empty */
	assert_true(score(s, "a1", "f1") == 4);
	assert_true(score(s, "f1", "a1") == 5);
	assert_true(score(s, "a2", "f2") == 2.5);
	assert_true(score(s, "f2", "a2") == -1000);
	assert_true(score(s, "p1", "a1") == 1);
	assert_true(consort_session_scale_min(s) == 1 && consort_session_scale_max(s) == 5);
	consort_session_free(s);
}

/* A facilitator's spreadsheet: BOM, CRLF, quoted names with commas and "",
 * a multi-line cell in an x- column, Finnish names, decimal commas, blank rows. */
static void test_matrix_sheet(void **state)
{
	(void)state;
	consort_session *s = import_ok("sheet-participants.csv", "sheet-ratings.csv");
	assert_int_equal(consort_session_count(s), 4);
	const consort_participant *a1 = consort_session_participant(s, idx(s, "a1"));
	assert_string_equal(a1->name, "Valmennus ry, Helsinki");
	assert_int_equal(a1->noffers, 2);
	assert_string_equal(a1->offers[1], "rehabilitation");
	assert_string_equal(consort_session_participant(s, idx(s, "a2"))->name, "Työvalmennus ry");
	assert_string_equal(consort_session_participant(s, idx(s, "f1"))->name, "Puhdas \"Clean\" Oy");
	assert_string_equal(consort_session_participant(s, idx(s, "f1"))->sector, "firm");
	assert_int_equal(consort_session_participant(s, idx(s, "f2"))->noffers, 0);

	assert_int_equal(consort_session_rating_count(s), 8);
	assert_true(score(s, "a1", "a2") == 4);
	assert_true(score(s, "a1", "f1") == 3.5);
	assert_true(score(s, "a1", "f2") == -1000);
	assert_true(score(s, "a2", "a1") == 5);
	assert_true(score(s, "f1", "a1") == 4);
	assert_true(score(s, "f1", "f2") == 5);
	assert_true(score(s, "f2", "a1") == -1000);
	consort_session_free(s);
}

static void test_scale(void **state)
{
	(void)state;
	consort_session *s = NULL;
	consort_error err;
	consort_error_clear(&err);
	int rc = consort_csv_import_ex(&s, DATA "participants.csv", DATA "ratings-wide.csv", 0, 10, &err);
	if (rc != 0)
		fail_msg("%s", err.message);
	assert_true(consort_session_scale_min(s) == 0 && consort_session_scale_max(s) == 10);
	assert_true(score(s, "a1", "f1") == 7);
	assert_true(score(s, "f1", "a1") == 0.5);
	consort_session_free(s);
	expect_file_error("participants.csv", "ratings-wide.csv", "ratings-wide.csv:2:3", "outside the scale 1..5");

	s = (consort_session *)1;
	rc = consort_csv_import_ex(&s, DATA "participants.csv", DATA "ratings-long.csv", 5, 1, &err);
	assert_int_equal(rc, CONSORT_EINVALID);
	assert_null(s);
}

static void test_bad_files(void **state)
{
	(void)state;
	static const struct {
		const char *p, *r, *place, *words;
	} cases[] = {
		{"p-bad-header.csv", "ratings-long.csv", "p-bad-header.csv:1:3", "unknown column \"sektor\""},
		{"p-missing-sector.csv", "ratings-long.csv", "p-missing-sector.csv:1:3", "missing column \"sector\""},
		{"p-order.csv", "ratings-long.csv", "p-order.csv:1:2", "\"sector\""},
		{"p-empty-header-cell.csv", "ratings-long.csv", "p-empty-header-cell.csv:1:5", "empty header cell"},
		{"p-width.csv", "ratings-long.csv", "p-width.csv:3:3", "2 cells"},
		{"p-empty-id.csv", "ratings-long.csv", "p-empty-id.csv:2:1", "empty id"},
		{"p-bad-id.csv", "ratings-long.csv", "p-bad-id.csv:3:1", "\"a/2\" is not a valid id"},
		{"p-dup-id.csv", "ratings-long.csv", "p-dup-id.csv:4:1", "first on line 2"},
		{"p-empty-sector.csv", "ratings-long.csv", "p-empty-sector.csv:2:3", "empty sector"},
		{"p-quote-in-cell.csv", "ratings-long.csv", "p-quote-in-cell.csv:2:2", "quote inside an unquoted cell"},
		{"p-after-quote.csv", "ratings-long.csv", "p-after-quote.csv:2:2", "after a closing quote"},
		{"p-unclosed.csv", "ratings-long.csv", "p-unclosed.csv:3:2", "never closed"},
		{"p-bad-utf8.csv", "ratings-long.csv", "p-bad-utf8.csv:2:6", "UTF-8"},
		{"p-nul.csv", "ratings-long.csv", "p-nul.csv:2:5", "NUL"},
		{"p-utf16.csv", "ratings-long.csv", "p-utf16.csv:1:1", "UTF-16"},
		{"p-empty.csv", "ratings-long.csv", "p-empty.csv:1:1", "empty"},
		{"p-blank.csv", "ratings-long.csv", "p-blank.csv:1:1", "empty"},
		{"p-only-header.csv", "ratings-long.csv", "p-only-header.csv:2:1", "no participants"},
		/* the multi-line quoted cell spans lines 2-4, so the bad row is line 5 */
		{"p-multiline.csv", "ratings-long.csv", "p-multiline.csv:5:3", "empty sector"},
		{"participants.csv", "bad-score.csv", "bad-score.csv:4:3 (score)", "\"x\" is not a number"},
		{"participants.csv", "r-unknown.csv", "r-unknown.csv:2:2", "unknown participant \"zz\""},
		{"participants.csv", "r-self.csv", "r-self.csv:2:2", "rates itself"},
		{"participants.csv", "r-dup.csv", "r-dup.csv:4:1", "first on line 2"},
		{"participants.csv", "r-scale.csv", "r-scale.csv:2:3", "7 is outside the scale 1..5"},
		{"participants.csv", "r-width.csv", "r-width.csv:2:3", "2 cells"},
		{"participants.csv", "r-bad-header.csv", "r-bad-header.csv:1:1", "from,to,score"},
		{"participants.csv", "r-long-header.csv", "r-long-header.csv:1:3", "\"points\""},
		{"participants.csv", "r-inf.csv", "r-inf.csv:2:3", "not a number"},
		{"participants.csv", "r-unquoted-comma.csv", "r-unquoted-comma.csv:2:4", "4 cells"},
		{"participants.csv", "m-unknown-col.csv", "m-unknown-col.csv:1:3", "unknown participant \"zz\""},
		{"participants.csv", "m-dup-col.csv", "m-dup-col.csv:1:4", "first in column 2"},
		{"participants.csv", "m-diagonal.csv", "m-diagonal.csv:3:3 (f1)", "diagonal"},
		{"participants.csv", "m-unknown-rater.csv", "m-unknown-rater.csv:3:1", "\"zz\""},
		{"participants.csv", "m-dup-rater.csv", "m-dup-rater.csv:4:1", "first on line 2"},
		{"participants.csv", "m-width.csv", "m-width.csv:2:4", "4 cells"},
		{"participants.csv", "m-bad-score.csv", "m-bad-score.csv:2:3 (f1)", "not a number"},
		{"participants.csv", "m-scale.csv", "m-scale.csv:2:3 (f1)", "5,5 is outside the scale"},
		{"participants.csv", "p-empty.csv", "p-empty.csv:1:1", "empty"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_file_error(cases[i].p, cases[i].r, cases[i].place, cases[i].words);
}

static void test_missing_file(void **state)
{
	(void)state;
	consort_session *s = (consort_session *)1;
	consort_error err;
	consort_error_clear(&err);
	assert_int_equal(consort_csv_import(&s, DATA "no-such-file.csv", DATA "ratings-long.csv", &err), CONSORT_EIO);
	assert_null(s);
	assert_non_null(strstr(err.message, "no-such-file.csv"));
	s = (consort_session *)1;
	assert_int_equal(consort_csv_import(&s, DATA "participants.csv", DATA "nope.csv", &err), CONSORT_EIO);
	assert_null(s);
	assert_non_null(strstr(err.message, "nope.csv"));
	/* and a NULL error record is allowed */
	assert_int_equal(consort_csv_import(&s, DATA "participants.csv", DATA "bad-score.csv", NULL), CONSORT_EINVALID);
	assert_null(s);
}

static const char people[] = "id,name,sector\na1,A,firm\nf1,F,firm\n";

/* Scores: what is a number, what is not, and where the decimal comma is allowed. */
static void test_numbers(void **state)
{
	(void)state;
	static const struct {
		const char *cell;
		double value;
	} good[] = {
		{"3", 3}, {"3.5", 3.5}, {"\"3,5\"", 3.5}, {"+2", 2}, {"  4  ", 4}, {"\" 4.25 \"", 4.25},
		{"5.", 5}, {"1.000", 1}, {"\"1,000\"", 1}, {"005", 5}, {"-0", -1}, {"\"+4,5\"", 4.5},
	};
	static const char *const bad[] = {
		"inf", "nan", "\"Infinity\"", "0x3", "1e0", "3.5.1", "\"3,5,1\"", "\"3,5.1\"", "3 5", "- 3", ".",
		"+", "-", "\"four\"", "3.5x", "\"1 000\"", "++3", ".5e0x", "3..5", "\"3,,5\"",
	};
	char r[256];
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(r, sizeof(r), "from,to,score\na1,f1,%s\n", good[i].cell);
		if (good[i].value < 0) { /* a number, outside the scale */
			expect_buffer_error(people, r, "r.csv:2:3", "outside the scale");
			continue;
		}
		consort_session *s = buffers_ok(people, r);
		if (score(s, "a1", "f1") != good[i].value)
			fail_msg("cell %s read as %g", good[i].cell, score(s, "a1", "f1"));
		consort_session_free(s);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(r, sizeof(r), "from,to,score\na1,f1,%s\n", bad[i]);
		expect_buffer_error(people, r, "r.csv:2:3", "not a number");
	}
	/* out of scale, and an empty (quoted or not) cell is unrated */
	expect_buffer_error(people, "from,to,score\na1,f1,0\n", "r.csv:2:3", "outside");
	expect_buffer_error(people, "from,to,score\na1,f1,-0.5\n", "r.csv:2:3", "outside");
	consort_session *s = buffers_ok(people, "from,to,score\na1,f1,\"\"\nf1,a1, \n");
	assert_int_equal(consort_session_rating_count(s), 0);
	consort_session_free(s);
}

/* Line endings, blank rows, case and quoting of headers, lines after multi-line cells. */
static void test_layout(void **state)
{
	(void)state;
	/* lone CR line ends, a quoted header cell, header case and spaces */
	consort_session *s = buffers_ok("\"ID\", NAME ,Sector\ra1,A,firm\rf1,F,firm\r",
		"id,a1,f1\r\n\r\n,,\r\na1,,2\r\n\r\nf1,3\t,\r\n");
	assert_int_equal(consort_session_count(s), 2);
	assert_int_equal(consort_session_rating_count(s), 2);
	assert_true(score(s, "f1", "a1") == 3);
	consort_session_free(s);
	/* no newline at the end, x- columns anywhere */
	s = buffers_ok("x-row,id,X-note,name,sector,offers\n1,a1,,A,firm, ;;x; \n2,f1,,F,firm,", "x-row,from,to,score,x-why\n1,a1,f1,5,because");
	assert_int_equal(consort_session_participant(s, 0)->noffers, 1);
	assert_string_equal(consort_session_participant(s, 0)->offers[0], "x");
	assert_int_equal(consort_session_participant(s, 1)->noffers, 0);
	assert_true(score(s, "a1", "f1") == 5);
	consort_session_free(s);
	/* CR-only files count lines too */
	expect_buffer_error("id,name,sector\ra1,A,firm\ra2,B,\r", "from,to,score\n", "p.csv:3:3", "empty sector");
	/* a multi-line quoted cell with CRLF inside it */
	expect_buffer_error("id,name,sector,x-n\r\na1,A,firm,\"1\r\n2\"\r\na2,B,firm,\"x\"y\r\n", "from,to,score\n",
		"p.csv:4:4", "closing quote");
	/* header only ratings, a matrix with no columns: no ratings, fine */
	s = buffers_ok(people, "from,to,score\r\n");
	assert_int_equal(consort_session_rating_count(s), 0);
	consort_session_free(s);
	s = buffers_ok(people, "id\na1\nf1\n");
	assert_int_equal(consort_session_rating_count(s), 0);
	consort_session_free(s);
	/* errors in both files: the participants come first */
	expect_buffer_error("id,name,sector\na1,A,\n", "bogus\n", "p.csv:2:3", NULL);
	expect_buffer_error(people, "", "r.csv:1:1", "empty");
	expect_buffer_error(people, "id,a1,\n", "r.csv:1:3", "empty participant id");
	expect_buffer_error(people, "id,a1,f1\n,1,2\n", "r.csv:2:1", "empty participant id");
	expect_buffer_error(people, "from,to,score\na1,,2\n", "r.csv:2:2", "empty participant id");
	expect_buffer_error("id,name,sector\nthis-id-is-far-too-long-for-consort-0123456789012345678901234567890123,A,firm\n",
		"from,to,score\n", "p.csv:2:1", "not a valid id");
	expect_buffer_error("id,name,sector\na1,\"A\",firm\n\"a2\n", "from,to,score\n", "p.csv:3:1", "never closed");
	/* an unclosed quote is reported where the cell opens, not at the end of the file */
	expect_buffer_error("id,name,sector\na1,A,firm\na2,\"B\nmore\nlines\n", "from,to,score\n", "p.csv:3:2",
		"never closed");
}

/* ---- the command line ---- */

typedef struct run_result {
	int status; /* exit code, or -1 when not a normal exit */
	char *out, *err;
} run_result;

static char *slurp_fd(int fd)
{
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	char *buf = malloc((size_t)st.st_size + 1);
	assert_non_null(buf);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	size_t n = 0;
	while (n < (size_t)st.st_size) {
		ssize_t got = read(fd, buf + n, (size_t)st.st_size - n);
		assert_true(got > 0);
		n += (size_t)got;
	}
	buf[n] = '\0';
	return buf;
}

static int temp_fd(void)
{
	char path[] = "/tmp/consort-test-csv-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	return fd;
}

/* Runs CONSORT_BIN with args (NULL-terminated, without the program name). */
static void run(run_result *res, const char *const *args)
{
	char *argv[32];
	size_t n = 0;
	argv[n++] = (char *)CONSORT_BIN;
	for (; *args && n < 31; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	int fo = temp_fd(), fe = temp_fd();
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
			_exit(126);
		execv(CONSORT_BIN, argv);
		_exit(127);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	res->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	res->out = slurp_fd(fo);
	res->err = slurp_fd(fe);
	close(fo);
	close(fe);
}

static void run_free(run_result *res)
{
	free(res->out);
	free(res->err);
}

static consort_session *parse_output(const char *json)
{
	consort_session *s = NULL;
	consort_error err;
	consort_error_clear(&err);
	if (consort_session_parse(&s, json, strlen(json), "stdout", &err) != 0)
		fail_msg("output does not parse: %s\n%s", err.message, json);
	return s;
}

static void assert_usage_failure(const run_result *res, const char *words)
{
	if (res->status != 2)
		fail_msg("exit %d, expected 2; stderr: %s", res->status, res->err);
	assert_string_equal(res->out, "");
	assert_true(strncmp(res->err, "consort: ", 9) == 0);
	char *nl = strchr(res->err, '\n');
	assert_non_null(nl);
	assert_string_equal(nl + 1, ""); /* exactly one line */
	if (words && !strstr(res->err, words))
		fail_msg("stderr lacks \"%s\": %s", words, res->err);
}

static void test_cli_import(void **state)
{
	(void)state;
	run_result res;
	run(&res, (const char *const[]){"import", DATA "participants.csv", DATA "ratings-long.csv", NULL});
	if (res.status != 0)
		fail_msg("exit %d: %s", res.status, res.err);
	assert_string_equal(res.err, "");
	consort_session *s = parse_output(res.out);
	assert_int_equal(consort_session_count(s), 5);
	assert_int_equal(consort_session_rating_count(s), 4);
	assert_true(score(s, "a2", "f2") == 2.5);
	assert_null(consort_session_title(s));
	consort_session_free(s);
	run_free(&res);

	run(&res, (const char *const[]){"import", "--title", "Syksy 2018", DATA "sheet-participants.csv",
		"--scale=1..5", DATA "sheet-ratings.csv", NULL});
	if (res.status != 0)
		fail_msg("exit %d: %s", res.status, res.err);
	s = parse_output(res.out);
	assert_int_equal(consort_session_count(s), 4);
	assert_int_equal(consort_session_rating_count(s), 8);
	assert_string_equal(consort_session_title(s), "Syksy 2018");
	assert_string_equal(consort_session_participant(s, idx(s, "f1"))->name, "Puhdas \"Clean\" Oy");
	assert_true(score(s, "a1", "f1") == 3.5);
	consort_session_free(s);
	run_free(&res);

	/* --scale lets a 0..10 sheet in; without it the 7 is refused */
	run(&res, (const char *const[]){"import", DATA "participants.csv", DATA "ratings-wide.csv", "--scale", "0..10", NULL});
	if (res.status != 0)
		fail_msg("exit %d: %s", res.status, res.err);
	s = parse_output(res.out);
	assert_true(consort_session_scale_max(s) == 10);
	assert_true(score(s, "a1", "f1") == 7);
	consort_session_free(s);
	run_free(&res);
	run(&res, (const char *const[]){"import", DATA "participants.csv", DATA "ratings-wide.csv", NULL});
	assert_usage_failure(&res, "ratings-wide.csv:2:3");
	run_free(&res);
}

static void test_cli_errors(void **state)
{
	(void)state;
	run_result res;
	run(&res, (const char *const[]){"import", DATA "participants.csv", DATA "bad-score.csv", NULL});
	assert_usage_failure(&res, "bad-score.csv:4:3");
	run_free(&res);
	run(&res, (const char *const[]){"import", DATA "missing.csv", DATA "ratings-long.csv", NULL});
	assert_usage_failure(&res, "missing.csv");
	run_free(&res);
	run(&res, (const char *const[]){"import", DATA "participants.csv", NULL});
	assert_usage_failure(&res, "RATINGS.csv");
	run_free(&res);
	run(&res, (const char *const[]){"import", "--bogus", DATA "participants.csv", DATA "ratings-long.csv", NULL});
	assert_usage_failure(&res, "--bogus");
	run_free(&res);
	run(&res, (const char *const[]){"import", DATA "participants.csv", DATA "ratings-long.csv", "--scale", "5..1", NULL});
	assert_usage_failure(&res, "--scale");
	run_free(&res);
	run(&res, (const char *const[]){"import", DATA "participants.csv", DATA "ratings-long.csv", "--scale", NULL});
	assert_usage_failure(&res, "--scale");
	run_free(&res);

	run(&res, (const char *const[]){"import", "--help", NULL});
	assert_int_equal(res.status, 0);
	assert_true(strncmp(res.out, "usage: consort import", 21) == 0);
	assert_string_equal(res.err, "");
	run_free(&res);
	run(&res, (const char *const[]){"help", "import", NULL});
	assert_int_equal(res.status, 0);
	assert_true(strncmp(res.out, "usage: consort import", 21) == 0);
	run_free(&res);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static char *read_text(const char *path)
{
	char *data;
	size_t len;
	consort_error err;
	if (consort__file_read(&data, &len, path, &err) != 0)
		fail_msg("%s", err.message);
	return data;
}

/* -o writes atomically and leaves an existing file alone when the input is bad. */
static void test_cli_output_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/consort-test-csv-dir-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char out[128], rules[128], badrules[128];
	snprintf(out, sizeof(out), "%s/session.json", dir);
	snprintf(rules, sizeof(rules), "%s/rules.json", dir);
	snprintf(badrules, sizeof(badrules), "%s/bad-rules.json", dir);
	write_text(out, "KEEP ME\n");
	write_text(rules, "{\"rules\": {\"consortia\": 2, \"together\": [[\"a1\", \"f1\"]]}}\n");
	write_text(badrules, "{\"rules\": {\"together\": [[\"a1\", \"nobody\"]]}}\n");

	run_result res;
	run(&res, (const char *const[]){"import", DATA "participants.csv", DATA "bad-score.csv", "-o", out, NULL});
	assert_usage_failure(&res, "bad-score.csv:4:3");
	run_free(&res);
	char *text = read_text(out);
	assert_string_equal(text, "KEEP ME\n");
	free(text);

	run(&res, (const char *const[]){"import", DATA "participants.csv", DATA "ratings-long.csv", "--rules", badrules,
		"-o", out, NULL});
	assert_usage_failure(&res, "bad-rules.json");
	run_free(&res);
	text = read_text(out);
	assert_string_equal(text, "KEEP ME\n");
	free(text);

	run(&res, (const char *const[]){"import", DATA "participants.csv", DATA "ratings-long.csv", "--rules", rules,
		"--output", out, NULL});
	if (res.status != 0)
		fail_msg("exit %d: %s", res.status, res.err);
	assert_string_equal(res.out, "");
	assert_string_equal(res.err, "");
	run_free(&res);
	text = read_text(out);
	consort_session *s = parse_output(text);
	free(text);
	assert_int_equal(consort_session_count(s), 5);
	const consort_rules *r = consort_session_rules(s);
	assert_true(r->has_consortia);
	assert_int_equal(r->consortia.min, 2);
	assert_int_equal(r->consortia.max, 2);
	assert_int_equal(r->ntogether, 1);
	consort_session_free(s);

	unlink(out);
	unlink(rules);
	unlink(badrules);
	assert_int_equal(rmdir(dir), 0); /* no temporary file was left behind */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_form),
		cmocka_unit_test(test_matrix_sheet),
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_cli_import),
		cmocka_unit_test(test_cli_errors),
		cmocka_unit_test(test_cli_output_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
