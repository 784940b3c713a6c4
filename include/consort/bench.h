/* Readers for the external benchmark formats (formats.md section 5): CP-Lib
 * clique partitioning and MDGPLIB maximally diverse grouping, as sessions. */
#ifndef CONSORT_BENCH_H
#define CONSORT_BENCH_H

#include "session.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	CONSORT_BENCH_AUTO = 0,  /* MDGPLIB when the first line reads `n m ss|ds ...`, else CP-Lib */
	CONSORT_BENCH_CPLIB = 1, /* `n` then the strict upper triangle of the weights, row by row */
	CONSORT_BENCH_MDGP = 2   /* `n m ss|ds a1 b1 ... am bm` then one `i j d` line per pair */
} consort_bench_format;

/* Largest number of vertices the readers accept. */
#define CONSORT_BENCH_MAX_N 100000

/* Reads a benchmark instance as a session whose weights w(i,j) are the file's
 * weights exactly: participants "1".."n" (CP-Lib) or "0".."n-1" (MDGPLIB),
 * sector "vertex", both directed ratings of each pair equal to the weight, the
 * scale spanning the weights and 0, scoring mean with neutral 0 and unmet 0.
 * Rules: CP-Lib — any number of consortia, singletons allowed, everyone placed;
 * MDGPLIB — lots "1".."m" in header order, lot g of a_g..b_g members, everyone
 * placed. The title names the format and the file.
 * On failure *out is NULL and err reads "file:LINE:COLUMN: message" (or
 * "file:LINE: message" where no single token is at fault). */
int consort_bench_load(consort_session **out, const char *path, consort_bench_format fmt,
	consort_error *err);

/* Same as consort_bench_load for data held in memory (need not be
 * NUL-terminated); `name` stands for the file in messages. */
int consort_bench_parse(consort_session **out, const char *data, size_t len, const char *name,
	consort_bench_format fmt, consort_error *err);

/* The format AUTO would pick for this data: CONSORT_BENCH_MDGP when the first
 * non-blank line has at least three tokens and the third is `ss` or `ds`,
 * otherwise CONSORT_BENCH_CPLIB. */
consort_bench_format consort_bench_detect(const char *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
