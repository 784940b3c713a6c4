/* libFuzzer target for the consort-session/1 reader: arbitrary bytes as a session
 * (which, when accepted, must write out and read back the same), and as a rules file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "consort/session.h"

static const char fixed_session[] =
	"{\"format\": \"consort-session/1\", \"scale\": {\"min\": 1, \"max\": 5},"
	" \"participants\": [{\"id\": \"a1\", \"sector\": \"association\", \"offers\": [\"coaching\"]},"
	" {\"id\": \"f1\", \"sector\": \"firm\", \"offers\": [\"cleaning\"]},"
	" {\"id\": \"f2\", \"sector\": \"firm\"}, {\"id\": \"p1\", \"sector\": \"public\"}],"
	" \"ratings\": [{\"from\": \"a1\", \"to\": \"f1\", \"score\": 4}],"
	" \"rules\": {\"consortia\": 2, \"apart\": [[\"f1\", \"f2\"]]},"
	" \"scoring\": {\"combine\": \"min\"}}";

static char *write_json(const consort_session *s)
{
	char *text = NULL;
	consort_error err;
	if (consort_session_to_json(&text, s, &err) != 0)
		abort();
	return text;
}

/* A failure must come with a one-line message that starts with the name. */
static void check_message(const consort_error *err, const char *name)
{
	if (err->code == CONSORT_ENOMEM)
		return;
	if (strncmp(err->message, name, strlen(name)) != 0 || strchr(err->message, '\n'))
		abort();
}

static void fuzz_session(const char *data, size_t size)
{
	consort_session *s = NULL, *back = NULL;
	consort_error err;
	if (consort_session_parse(&s, data, size, "fuzz.json", &err) != 0) {
		if (s)
			abort();
		check_message(&err, "fuzz.json: ");
		return;
	}
	char *text = write_json(s);
	if (consort_session_parse(&back, text, strlen(text), "again.json", &err) != 0)
		abort(); /* what we write, we must read */
	char *again = write_json(back);
	if (strcmp(text, again) != 0)
		abort();
	free(again);
	free(text);
	consort_session_free(back);
	consort_session_free(s);
}

static void fuzz_rules(const char *data, size_t size)
{
	consort_session *s = NULL;
	consort_error err;
	if (consort_session_parse(&s, fixed_session, sizeof(fixed_session) - 1, "fixed", &err) != 0)
		abort();
	char *before = write_json(s);
	if (consort_session_parse_rules(s, data, size, "rules.json", &err) != 0) {
		check_message(&err, "rules.json: ");
		char *after = write_json(s);
		if (strcmp(before, after) != 0)
			abort(); /* a failed load leaves the session as it was */
		free(after);
	} else {
		char *after = write_json(s);
		consort_session *back = NULL;
		if (consort_session_parse(&back, after, strlen(after), "after", &err) != 0)
			abort();
		consort_session_free(back);
		free(after);
	}
	free(before);
	consort_session_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_session((const char *)data, size);
	fuzz_rules((const char *)data, size);
	return 0;
}
