/* A deterministic force-directed layout of the participants for the network
 * picture: consortia start as separate discs, positive pair weights attract. */
#ifndef CONSORT_SRC_WRITERS_LAYOUT_H
#define CONSORT_SRC_WRITERS_LAYOUT_H

#include <stddef.h>

/* Places n nodes of the given radius. w is the n x n weight matrix (row-major,
 * symmetric); group[i] is participant i's consortium 0..ngroups-1, or -1 for
 * outside (laid out as one more group). The seed only turns the starting
 * discs; the same input gives the same coordinates. On return xy holds x0, y0,
 * x1, y1, ... with the smallest x and y at 0, and no two centres closer than
 * consort__layout_min_distance(radius). Returns 0, or -1 when out of memory. */
int consort__layout(double *xy, size_t n, const double *w, const int *group, size_t ngroups,
	double radius, unsigned long seed);

/* The least distance between two centres the layout keeps: the diameter plus
 * a margin for the outlines. */
double consort__layout_min_distance(double radius);

#endif
