/* libFuzzer target that holds the two session readers to each other: the one that
 * reads the ratings straight from the text and the one that reads a whole cJSON tree. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "consort/session.h"
#include "session.h"

static char *write_json(const consort_session *s)
{
	char *text = NULL;
	consort_error err;
	if (consort_session_to_json(&text, s, &err) != 0)
		abort();
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	consort_session *a = NULL, *b = NULL;
	consort_error ea, eb;
	int ra = consort_session_parse(&a, (const char *)data, size, "fuzz.json", &ea);
	int rb = consort__session_parse_tree(&b, (const char *)data, size, "fuzz.json", &eb);
	if (ra != rb)
		abort();
	if (ra != 0) {
		if (a || b || strcmp(ea.message, eb.message) != 0)
			abort(); /* the same message, word for word */
		return 0;
	}
	char *ta = write_json(a), *tb = write_json(b);
	if (strcmp(ta, tb) != 0)
		abort();
	free(ta);
	free(tb);
	consort_session_free(a);
	consort_session_free(b);
	return 0;
}
