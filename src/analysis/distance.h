/* The distance between two proposals for the same participants: how many members
 * are placed differently when relabelling consortia is not a difference. */
#ifndef CONSORT_SRC_ANALYSIS_DISTANCE_H
#define CONSORT_SRC_ANALYSIS_DISTANCE_H

/* a[i] in -1..ka-1 and b[i] in -1..kb-1 are the consortia of member i (-1: outside)
 * in two assignments of the same n members. Consortia of a are matched one to one
 * with consortia of b (a maximum-weight matching, weight = members in common;
 * Hungarian algorithm, O(k^3)); "outside" matches only "outside". Returns the
 * number of members placed differently under the best matching, i.e. the fewest
 * members that must move to turn a into b; when moved is not NULL, moved[i] is set
 * to 1 for each member that moves under that matching and 0 otherwise (n entries).
 * Returns -1 when out of memory. */
int consort__moved(const int *a, int ka, const int *b, int kb, int n, int *moved);

#endif
