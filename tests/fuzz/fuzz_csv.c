/* libFuzzer target for the spreadsheet import: the input splits at its first
 * NUL byte into a participants CSV and a ratings CSV. An imported session must
 * serialize, and the JSON must read back with the same counts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "consort.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t plen = nul ? (size_t)(nul - data) : size;
	const char *ratings = nul ? (const char *)nul + 1 : "";
	size_t rlen = nul ? size - plen - 1 : 0;

	consort_session *s = NULL;
	consort_error err;
	if (consort_csv_import_buffers(&s, (const char *)data, plen, "participants.csv",
		ratings, rlen, "ratings.csv", &err) != 0) {
		if (s || err.code == 0 || !err.message[0] || strchr(err.message, '\n'))
			abort(); /* a failure leaves *out NULL and one line of message */
		return 0;
	}
	char *json = NULL;
	if (consort_session_to_json(&json, s, &err) == 0) {
		consort_session *back = NULL;
		if (consort_session_parse(&back, json, strlen(json), "session.json", &err) != 0 ||
		    consort_session_count(back) != consort_session_count(s) ||
		    consort_session_rating_count(back) != consort_session_rating_count(s))
			abort();
		consort_session_free(back);
	}
	free(json);
	consort_session_free(s);
	return 0;
}
