/* The HTML/SVG writer (src/writers/xml.c): escaping of hostile and invalid
 * text, locale-independent numbers, and output that parses back as XML. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "consort.h"
#include "writers/xml.h"
#include "xmlcheck.h"

/* The escaped form of s (malloc'ed). */
static char *escaped(const char *s)
{
	consort__xml w = {0};
	consort__xml_text(&w, s);
	char *out = NULL;
	consort_error err;
	if (consort__xml_finish(&out, &w, &err) < 0)
		return NULL;
	return out;
}

static void expect_escape(const char *in, const char *want)
{
	char *got = escaped(in);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_markup_escaped(void **state)
{
	(void)state;
	expect_escape("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;");
	expect_escape("Tom & Jerry", "Tom &amp; Jerry");
	expect_escape("\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;");
	expect_escape("&amp;", "&amp;amp;");
	expect_escape("\"; DROP TABLE x; --", "&quot;; DROP TABLE x; --");
	expect_escape("", "");
}

static void test_utf8_passes(void **state)
{
	(void)state;
	/* Two-, three- and four-byte forms, at the edges of their ranges. */
	const char *ok = "Ty\xc3\xb6paja \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9d\x84\x9e "
		"\xc2\xa0\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbd\xf0\x90\x80\x80\xf4\x8f\xbf\xbf";
	expect_escape(ok, ok);
}

static void test_invalid_utf8_replaced(void **state)
{
	(void)state;
	const char *fffd = "\xef\xbf\xbd";
	char want[64];
	expect_escape("a\xff" "b", "a\xef\xbf\xbd" "b");               /* never valid */
	expect_escape("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");        /* overlong '/' */
	expect_escape("\xe0\x80\xaf", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	snprintf(want, sizeof(want), "%s%s%s", fffd, fffd, fffd);
	expect_escape("\xed\xa0\x80", want);                           /* a surrogate */
	snprintf(want, sizeof(want), "%s%s%s%s", fffd, fffd, fffd, fffd);
	expect_escape("\xf4\x90\x80\x80", want);                       /* above U+10FFFF */
	snprintf(want, sizeof(want), "x%s%s", fffd, fffd);
	expect_escape("x\xe2\x82", want);                              /* cut short at the end */
	snprintf(want, sizeof(want), "%s&lt;", fffd);
	expect_escape("\xe2<", want);                                  /* a lead byte before markup */
	expect_escape("\xef\xbf\xbe\xef\xbf\xbf", "\xef\xbf\xbd\xef\xbf\xbd"); /* U+FFFE, U+FFFF */
	/* Control characters (C0, DEL, C1) become spaces. */
	expect_escape("a\x01\x1b[31m\tb\nc\x7f" "d\xc2\x85" "e", "a  [31m b c d e");
}

static void test_truncation(void **state)
{
	(void)state;
	consort__xml w = {0};
	assert_int_equal(consort__xml_text_trunc(&w, "abcdef", 4), 1);
	assert_string_equal(w.p, "abc\xe2\x80\xa6");
	w.len = 0;
	assert_int_equal(consort__xml_text_trunc(&w, "abcd", 4), 0);
	assert_string_equal(w.p, "abcd");
	w.len = 0;
	/* Counted in characters, cut between them, escaped after the cut. */
	assert_int_equal(consort__xml_text_trunc(&w, "\xc3\xa4\xc3\xb6<\xc3\xa5x", 4), 1);
	assert_string_equal(w.p, "\xc3\xa4\xc3\xb6&lt;\xe2\x80\xa6");
	consort__xml_discard(&w);
}

static char *number(double v, int decimals)
{
	static char buf[64];
	consort__xml w = {0};
	consort__xml_num(&w, v, decimals);
	snprintf(buf, sizeof(buf), "%s", w.p ? w.p : "");
	consort__xml_discard(&w);
	return buf;
}

static void test_numbers(void **state)
{
	(void)state;
	assert_string_equal(number(1.5, 2), "1.5");
	assert_string_equal(number(-0.25, 2), "-0.25");
	assert_string_equal(number(3.0, 2), "3");
	assert_string_equal(number(-0.0001, 2), "0");
	assert_string_equal(number(12.3456, 2), "12.35");
	assert_string_equal(number(0.05, 1), "0.1");
	assert_string_equal(number(-7, 0), "-7");
	assert_string_equal(number(0.0 / 0.0, 2), "0");
	assert_string_equal(number(1e300, 1), "900000000000000");
	/* The decimal point stays '.' under a locale that writes ',' (when installed). */
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fi_FI.UTF-8")) {
		assert_string_equal(number(2.75, 2), "2.75");
		setlocale(LC_NUMERIC, "C");
	}
}

static void test_elements(void **state)
{
	(void)state;
	consort__xml w = {0};
	consort__xml_open(&w, "rect");
	consort__xml_attr(&w, "class", "a\"b<c>");
	consort__xml_attr_num(&w, "x", 1.25, 1);
	consort__xml_attr_int(&w, "y", -3);
	consort__xml_close_tag(&w);
	consort__xml_element(&w, "title", "x & y");
	consort__xml_end(&w, "rect");
	char *out;
	consort_error err;
	assert_int_equal(consort__xml_finish(&out, &w, &err), 0);
	assert_string_equal(out, "<rect class=\"a&quot;b&lt;c&gt;\" x=\"1.3\" y=\"-3\"><title>x &amp; y</title></rect>");
	free(out);
}

/* Random byte strings in text and attributes always give a document that
 * parses back, with the text intact where it was valid. */
static void test_random_bytes_wellformed(void **state)
{
	(void)state;
	if (!xc_available()) {
		print_message("libxml2 not available: skipped\n");
		skip();
	}
	uint32_t seed = 12345;
	for (int round = 0; round < 500; round++) {
		char junk[64];
		size_t len = 0;
		while (len < sizeof(junk) - 1) {
			seed = seed * 1103515245u + 12345u;
			unsigned char b = (unsigned char)(seed >> 16);
			if (round % 3 == 0)
				b = (unsigned char)("<>&\"'\x80\xc3\xa4\xed\x01 ]]>"[b % 14]);
			if (b == 0)
				break;
			junk[len++] = (char)b;
			if (b % 29 == 0)
				break;
		}
		junk[len] = '\0';
		consort__xml w = {0};
		consort__xml_raw(&w, "<svg xmlns=\"http://www.w3.org/2000/svg\">");
		consort__xml_open(&w, "text");
		consort__xml_attr(&w, "data-name", junk);
		consort__xml_close_tag(&w);
		consort__xml_text(&w, junk);
		consort__xml_end(&w, "text");
		consort__xml_raw(&w, "</svg>");
		char msg[256];
		if (xc_wellformed(w.p, "svg", msg, sizeof(msg)) != 0)
			fail_msg("round %d: %s\n%s", round, msg, w.p);
		assert_int_equal(xc_count(w.p, "text", NULL), 1);
		consort__xml_discard(&w);
	}
}

static void test_hostile_text_stays_text(void **state)
{
	(void)state;
	if (!xc_available())
		skip();
	const char *hostile = "<img src=x onerror=alert(1)> & \"'<script>x</script>";
	consort__xml w = {0};
	consort__xml_raw(&w, "<html><body>");
	consort__xml_element(&w, "p", hostile);
	consort__xml_raw(&w, "</body></html>");
	assert_int_equal(xc_count(w.p, "img", NULL), 0);
	assert_int_equal(xc_count(w.p, "script", NULL), 0);
	char *text = xc_text(w.p, "p", NULL, 0);
	assert_non_null(text);
	assert_string_equal(text, hostile);
	free(text);
	consort__xml_discard(&w);
}

/* consort schedule --format html goes through the same writer: hostile names
 * and titles stay text and the page parses back. */
static void test_schedule_page_wellformed(void **state)
{
	(void)state;
	static const char *const names[] = {"<img src=x onerror=alert(1)>", "Tom & 'Jerry'", "\"; DROP",
		"bad \xff byte", "\xe6\x97\xa5\xe6\x9c\xac"};
	consort_session *s = NULL;
	consort_error err;
	assert_int_equal(consort_session_new(&s, &err), 0);
	assert_int_equal(consort_session_set_title(s, "</title><script>x</script>", &err), 0);
	for (int i = 0; i < 5; i++) {
		char id[8];
		snprintf(id, sizeof(id), "p%d", i);
		assert_int_equal(consort_session_add_participant(s, id, names[i], "<sector>", NULL, 0, &err), 0);
	}
	consort_schedule_options o;
	consort_schedule_options_init(&o);
	consort_schedule *sch = NULL;
	char *html = NULL;
	assert_int_equal(consort_schedule_build(&sch, s, &o, &err), 0);
	assert_int_equal(consort_schedule_to_html(&html, sch, &err), 0);
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "<script"));
	if (xc_available()) {
		char msg[256];
		if (xc_wellformed(html, "html", msg, sizeof(msg)) != 0)
			fail_msg("%s", msg);
		char *t = xc_text(html, "h1", NULL, 0);
		assert_string_equal(t, "</title><script>x</script>");
		free(t);
	}
	free(html);
	consort_schedule_free(sch);
	consort_session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markup_escaped),
		cmocka_unit_test(test_utf8_passes),
		cmocka_unit_test(test_invalid_utf8_replaced),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_elements),
		cmocka_unit_test(test_random_bytes_wellformed),
		cmocka_unit_test(test_hostile_text_stays_text),
		cmocka_unit_test(test_schedule_page_wellformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
