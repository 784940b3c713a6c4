/* Error records: one line, naming the file and the place. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void consort_error_clear(consort_error *err)
{
	if (!err)
		return;
	err->code = CONSORT_OK;
	err->message[0] = '\0';
}

const char *consort_strerror(int code)
{
	switch (code) {
	case CONSORT_OK: return "success";
	case CONSORT_EINVALID: return "invalid input";
	case CONSORT_ENOMEM: return "out of memory";
	case CONSORT_EIO: return "input/output error";
	case CONSORT_EINFEASIBLE: return "no proposal meets the rules";
	case CONSORT_ESOLVER: return "solver failure";
	case CONSORT_EUSAGE: return "invalid argument";
	case CONSORT_EINTERNAL: return "internal error";
	default: return "unknown error";
	}
}

int consort__error(consort_error *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
		/* Messages are one line: fold any newline a caller let through. */
		for (char *c = err->message; *c; c++)
			if (*c == '\n' || *c == '\r')
				*c = ' ';
		err->code = code;
	}
	return code;
}

int consort__error_nomem(consort_error *err)
{
	return consort__error(err, CONSORT_ENOMEM, "out of memory");
}
