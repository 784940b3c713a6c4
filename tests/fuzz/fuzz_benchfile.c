/* libFuzzer target for the CP-Lib / MDGPLIB readers (AUTO detection). A failure
 * must leave *out NULL and one line naming the file; a success must give a session
 * whose both ratings of every pair are equal and that survives a JSON round trip.
 * Seed corpus: tests/data/benchfile. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "consort.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_session(const consort_session *s)
{
	size_t n = consort_session_count(s);
	if (n < 1 || consort_session_rating_count(s) != n * (n - 1))
		abort();
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			double a, b;
			if (consort_session_score(s, i, j, &a) != 0 || consort_session_score(s, j, i, &b) != 0 || a != b)
				abort();
		}
	consort_error err;
	char *json = NULL;
	if (consort_session_to_json(&json, s, &err) != 0)
		return;
	consort_session *back = NULL;
	if (consort_session_parse(&back, json, strlen(json), "bench.json", &err) != 0 ||
	    consort_session_count(back) != n ||
	    consort_session_rating_count(back) != consort_session_rating_count(s))
		abort();
	consort_session_free(back);
	free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	consort_session *s = (consort_session *)&s;
	consort_error err;
	consort_error_clear(&err);
	if (consort_bench_parse(&s, (const char *)data, size, "bench.txt", CONSORT_BENCH_AUTO, &err) != 0) {
		if (s || err.code == 0 || strncmp(err.message, "bench.txt:", 10) != 0 ||
		    strchr(err.message, '\n'))
			abort();
		return 0;
	}
	check_session(s);
	consort_session_free(s);
	return 0;
}
