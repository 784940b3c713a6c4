/* libFuzzer target for the consort-proposal/1 reader: arbitrary bytes as a proposal of
 * a fixed session (with lots, so lot names are read too); an accepted proposal must
 * pass through the writer and read back the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "consort/session.h"
#include "consort/proposal.h"

static const char fixed_session[] =
	"{\"format\": \"consort-session/1\", \"scale\": {\"min\": 1, \"max\": 5},"
	" \"participants\": [{\"id\": \"a1\", \"sector\": \"association\"},"
	" {\"id\": \"f1\", \"sector\": \"firm\"}, {\"id\": \"f2\", \"sector\": \"firm\"},"
	" {\"id\": \"p1\", \"sector\": \"public\"}],"
	" \"ratings\": [{\"from\": \"a1\", \"to\": \"f1\", \"score\": 4},"
	" {\"from\": \"f2\", \"to\": \"p1\", \"score\": 1.5}],"
	" \"rules\": {\"lots\": [{\"name\": \"N\"}, {\"name\": \"S\"}], \"everyone\": false}}";

static consort_session *session(void)
{
	static consort_session *s;
	consort_error err;
	if (!s && consort_session_parse(&s, fixed_session, sizeof(fixed_session) - 1, "s.json", &err) != 0)
		abort();
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	consort_session *s = session();
	consort_proposal *p = NULL, *back = NULL;
	consort_error err;
	if (consort_proposal_parse(&p, (const char *)data, size, "p.json", s, &err) != 0) {
		if (err.code != CONSORT_ENOMEM &&
		    (strncmp(err.message, "p.json", 6) != 0 || strchr(err.message, '\n')))
			abort();
		return 0;
	}
	char *json = NULL;
	if (consort_proposal_to_json(&json, p, s, &err) != 0 ||
	    consort_proposal_parse(&back, json, strlen(json), "back.json", s, &err) != 0 ||
	    consort_proposal_count(back) != consort_proposal_count(p))
		abort();
	free(json);
	consort_proposal_free(back);
	consort_proposal_free(p);
	return 0;
}
