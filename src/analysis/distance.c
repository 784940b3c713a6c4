/* The distance between two assignments up to relabelling of consortia: a maximum
 * overlap matching of consortia solved with the Hungarian algorithm (Kuhn 1955;
 * the O(k^3) shortest augmenting path form with potentials, Jonker & Volgenant). */
#include "analysis/distance.h"

#include <assert.h>
#include <limits.h>
#include <stdlib.h>

/* Minimum-cost perfect matching of the m x m matrix cost (row-major, 1-based
 * rows and columns in the potentials); col_of_row[r] receives the column of row r
 * (0-based). Returns 0, or -1 when out of memory. */
static int hungarian(const int *cost, int m, int *col_of_row)
{
	size_t sz = (size_t)m + 1;
	long *u = calloc(sz, sizeof *u), *v = calloc(sz, sizeof *v), *minv = malloc(sz * sizeof *minv);
	int *p = calloc(sz, sizeof *p), *way = calloc(sz, sizeof *way);
	unsigned char *used = malloc(sz);
	if (!u || !v || !minv || !p || !way || !used) {
		free(u); free(v); free(minv); free(p); free(way); free(used);
		return -1;
	}
	for (int i = 1; i <= m; i++) {
		int j0 = 0;
		p[0] = i;
		for (int j = 0; j <= m; j++) {
			minv[j] = LONG_MAX;
			used[j] = 0;
		}
		do {
			int i0 = p[j0], j1 = 0;
			long delta = LONG_MAX;
			used[j0] = 1;
			for (int j = 1; j <= m; j++) {
				if (used[j])
					continue;
				long cur = cost[(size_t)(i0 - 1) * (size_t)m + (size_t)(j - 1)] - u[i0] - v[j];
				if (cur < minv[j]) {
					minv[j] = cur;
					way[j] = j0;
				}
				if (minv[j] < delta) {
					delta = minv[j];
					j1 = j;
				}
			}
			for (int j = 0; j <= m; j++) {
				if (used[j]) {
					u[p[j]] += delta;
					v[j] -= delta;
				} else {
					minv[j] -= delta;
				}
			}
			j0 = j1;
		} while (p[j0] != 0);
		do {
			int j1 = way[j0];
			p[j0] = p[j1];
			j0 = j1;
		} while (j0 != 0);
	}
	for (int j = 1; j <= m; j++)
		col_of_row[p[j] - 1] = j - 1;
	free(u); free(v); free(minv); free(p); free(way); free(used);
	return 0;
}

int consort__moved(const int *a, int ka, const int *b, int kb, int n, int *moved)
{
	int m = ka > kb ? ka : kb;
	int *cost = NULL, *match = NULL;
	if (m > 0) {
		cost = calloc((size_t)m * (size_t)m, sizeof *cost);
		match = malloc((size_t)m * sizeof *match);
		if (!cost || !match) {
			free(cost);
			free(match);
			return -1;
		}
	}
	/* Overlaps as negative costs; padding rows/columns (m > ka or kb) cost 0. */
	for (int i = 0; i < n; i++) {
		assert(a[i] >= -1 && a[i] < ka && b[i] >= -1 && b[i] < kb);
		if (a[i] >= 0 && b[i] >= 0)
			cost[(size_t)a[i] * (size_t)m + (size_t)b[i]]--;
	}
	if (m > 0 && hungarian(cost, m, match) != 0) {
		free(cost);
		free(match);
		return -1;
	}
	int count = 0;
	for (int i = 0; i < n; i++) {
		int stays = a[i] < 0 ? b[i] < 0 : b[i] >= 0 && match[a[i]] == b[i];
		if (moved)
			moved[i] = !stays;
		count += !stays;
	}
	free(cost);
	free(match);
	return count;
}
