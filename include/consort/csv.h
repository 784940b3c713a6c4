/* Spreadsheet import (formats.md section 4): participants and ratings as CSV,
 * ratings in long form (from,to,score) or matrix form (id,<id1>,<id2>,...). */
#ifndef CONSORT_CSV_H
#define CONSORT_CSV_H

#include "session.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Build a session from a participants CSV (id,name,sector,offers; offers
 * separated by ';') and a ratings CSV in long or matrix form, detected from
 * its header. The caller owns *out (consort_session_free). On failure *out is
 * NULL and err names the file and line:column (the column is the cell number;
 * for encoding errors, the character): CONSORT_EIO when a file cannot be read,
 * CONSORT_EINVALID for bad content. Blank rows are skipped; an empty score cell
 * means unrated; a quoted score may use a decimal comma ("3,5"). */
int consort_csv_import(consort_session **out, const char *participants_path,
	const char *ratings_path, consort_error *err);

/* Like consort_csv_import, on the rating scale scale_min..scale_max instead of
 * the default 1..5 (scores outside it are errors with their place). */
int consort_csv_import_ex(consort_session **out, const char *participants_path,
	const char *ratings_path, double scale_min, double scale_max, consort_error *err);

/* The same from memory; the names are used in messages. */
int consort_csv_import_buffers(consort_session **out,
	const char *participants, size_t participants_len, const char *participants_name,
	const char *ratings, size_t ratings_len, const char *ratings_name, consort_error *err);

#ifdef __cplusplus
}
#endif
#endif
