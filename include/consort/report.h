/* The workshop report: one self-contained HTML page (inline SVG and style, no
 * script, prints on A4) with the rating heatmap, the network of pairs, and
 * each consortium's members, fit and services; and its two pictures as
 * standalone SVG files for slides. */
#ifndef CONSORT_REPORT_H
#define CONSORT_REPORT_H

#include "advice.h"
#include "proposal.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct consort_report_options {
	const char *date;      /* shown as the report's date; NULL: today (UTC, YYYY-MM-DD) */
	unsigned long seed;    /* turns the network layout's start (default 1) */
	/* NULL, or the advice (consort/advice.h) of the same proposal and session,
	 * borrowed: the report then says whether the proposal is stable and who
	 * would gain by moving, and, when a confidence run was made, how sure each
	 * member's place is. The proposal's alternatives are shown in any case. */
	const consort_advice *advice;
} consort_report_options;

void consort_report_options_init(consort_report_options *opts);

/* The report of proposal p for session s (p must have been made for s, e.g.
 * by consort_solve or consort_proposal_load), as a UTF-8 HTML document;
 * every name and text from the session is escaped. opts may be NULL for the
 * defaults. *out is malloc'ed; the caller frees it. Errors: CONSORT_EINVALID
 * when p does not belong to s, CONSORT_ENOMEM. */
int consort_report_html(char **out, const consort_session *s, const consort_proposal *p,
	const consort_report_options *opts, consort_error *err);

/* The pictures alone, as standalone SVG documents (with xmlns): the directed
 * rating matrix ordered by consortium, and the network of pairs rated above
 * neutral. */
int consort_report_heatmap_svg(char **out, const consort_session *s, const consort_proposal *p,
	const consort_report_options *opts, consort_error *err);
int consort_report_network_svg(char **out, const consort_session *s, const consort_proposal *p,
	const consort_report_options *opts, consort_error *err);

/* The report's style sheet: the exact text inside the page's one <style>
 * element (the page has no style attributes and no script). A server serving
 * the page can allow exactly this sheet in its Content-Security-Policy by its
 * hash ('sha256-...'). Static; never freed. */
const char *consort_report_style(void);

#ifdef __cplusplus
}
#endif
#endif
