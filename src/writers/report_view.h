/* What the report's parts share: a proposal seen from the pictures' side
 * (participants in consortium order, groups, fits, sectors, weights). */
#ifndef CONSORT_SRC_WRITERS_REPORT_VIEW_H
#define CONSORT_SRC_WRITERS_REPORT_VIEW_H

#include "consort/report.h"
#include "consort/scoring.h"
#include "writers/xml.h"

typedef struct consort__report_view {
	const consort_session *s;
	const consort_proposal *p;
	size_t n;
	double *w;            /* n x n pair weights (consort_scoring_weights) */
	size_t *order;        /* participants: consortium 1's members, 2's, ..., then the rest */
	size_t ngroups;       /* consortia of the proposal (0 when infeasible or stopped) */
	size_t *start;        /* order[start[g] .. start[g + 1]) is group g; ngroups + 2 entries */
	int *group;           /* each participant's consortium, or -1 */
	double *fit;          /* each participant's sum of weights to the rest of its consortium */
	size_t nsectors;
	const char **sectors; /* in order of first appearance in the session */
	size_t *sector;       /* each participant's index into sectors */
	const consort_advice *advice; /* consort_report_options.advice, or NULL */
} consort__report_view;

/* Builds the view; CONSORT_EINVALID when p is not a proposal for s. */
int consort__report_view_build(consort__report_view *v, const consort_session *s,
	const consort_proposal *p, consort_error *err);
void consort__report_view_free(consort__report_view *v);

/* The label of group g ("1", "2", ... or the lot's name). */
void consort__report_group_label(consort__xml *w, const consort__report_view *v, size_t g);

/* The pictures. `standalone` adds the XML declaration and xmlns, for files;
 * inline in HTML the ids are the same (one of each picture per page). */
void consort__report_heatmap(consort__xml *w, const consort__report_view *v, int standalone);
int consort__report_network(consort__xml *w, const consort__report_view *v, int standalone,
	unsigned long seed, consort_error *err);

/* The consultant's parts (report_advice.c), each empty when its data is
 * missing: the proposal's alternatives; stability over all and the moves out
 * of consortium g; the confidence run in words, and one member's share of
 * samples that keep it with its consortium mates (NAN: none). */
void consort__report_alternatives(consort__xml *w, const consort__report_view *v);
void consort__report_stability(consort__xml *w, const consort__report_view *v);
void consort__report_moves(consort__xml *w, const consort__report_view *v, size_t g);
void consort__report_confidence(consort__xml *w, const consort__report_view *v);
double consort__report_sure(const consort__report_view *v, size_t i);

/* Colours shared by both pictures and the tables. */
const char *consort__report_group_colour(size_t g);
const char *consort__report_sector_colour(size_t k);
/* The report style sheet's class for the same colour: "gK", "sK". */
const char *consort__report_group_class(size_t g);
const char *consort__report_sector_class(size_t k);

#endif
