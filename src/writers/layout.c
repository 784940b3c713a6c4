/* The network picture's layout (layout.h): Fruchterman & Reingold (1991)
 * forces started from one disc per consortium, with a pull towards the own
 * consortium's centre so that the consortia stay readable as groups, then a
 * separation pass that enforces a minimum distance between all nodes. */
#include "writers/layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LAYOUT_ITERATIONS 300
#define GOLDEN_ANGLE 2.39996322972865332
#define PI 3.14159265358979323846

double consort__layout_min_distance(double radius)
{
	return 2.5 * radius;
}

/* Starting positions: group centres on a circle whose circumference fits the
 * groups' discs; members on a sunflower spiral around their centre. */
static int start_positions(double *xy, size_t n, const int *gid, size_t G, const size_t *size,
	double spacing, unsigned long seed)
{
	double *disc = malloc(G * sizeof(double));
	if (!disc)
		return -1;
	double around = 0;
	for (size_t g = 0; g < G; g++) {
		disc[g] = size[g] ? spacing * sqrt((double)size[g] + 1.0) : 0; /* an empty group takes no room */
		around += 2.6 * disc[g];
	}
	double ring = G > 1 ? around / (2 * PI) : 0;
	double turn = (double)(seed % 360) * PI / 180.0, at = 0;
	size_t *placed = calloc(G, sizeof(size_t));
	double *cx = malloc(G * sizeof(double)), *cy = malloc(G * sizeof(double));
	int rc = placed && cx && cy ? 0 : -1;
	if (rc == 0) {
		for (size_t g = 0; g < G; g++) {
			double a = turn + 2 * PI * (at + 1.3 * disc[g]) / (around > 0 ? around : 1);
			at += 2.6 * disc[g];
			cx[g] = ring * cos(a);
			cy[g] = ring * sin(a);
		}
		for (size_t i = 0; i < n; i++) {
			size_t g = (size_t)gid[i], j = placed[g]++;
			double rho = spacing * sqrt((double)j + 0.5), a = turn + (double)j * GOLDEN_ANGLE;
			xy[2 * i] = cx[g] + rho * cos(a);
			xy[2 * i + 1] = cy[g] + rho * sin(a);
		}
	}
	free(placed);
	free(cx);
	free(cy);
	free(disc);
	return rc;
}

static void forces(double *xy, size_t n, const double *w, const int *gid, size_t G, double k,
	double *disp, double *cx, double *cy, size_t *size)
{
	double wmax = 0;
	for (size_t i = 0; i < n * n; i++)
		if (w[i] > wmax)
			wmax = w[i];
	double t0 = 2.0 * k;
	for (int it = 0; it < LAYOUT_ITERATIONS; it++) {
		memset(disp, 0, 2 * n * sizeof(double));
		memset(cx, 0, G * sizeof(double));
		memset(cy, 0, G * sizeof(double));
		for (size_t i = 0; i < n; i++) {
			cx[gid[i]] += xy[2 * i] / (double)size[gid[i]];
			cy[gid[i]] += xy[2 * i + 1] / (double)size[gid[i]];
		}
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++) {
				double dx = xy[2 * i] - xy[2 * j], dy = xy[2 * i + 1] - xy[2 * j + 1];
				double d = sqrt(dx * dx + dy * dy);
				if (d < 1e-6) {
					/* Coincident: a fixed direction from the indexes, not a random one. */
					double a = (double)(i * 7 + j * 13);
					dx = cos(a) * 1e-3;
					dy = sin(a) * 1e-3;
					d = 1e-3;
				}
				/* Repulsion k^2/d, stronger between consortia; attraction d^2/k
				 * scaled by the pair's weight relative to the strongest. */
				double f = k * k / d * (gid[i] == gid[j] ? 1.0 : 2.0);
				double wij = w[i * n + j];
				if (wij > 0 && wmax > 0)
					f -= d * d / k * (wij / wmax) * (gid[i] == gid[j] ? 1.0 : 0.3);
				double fx = dx / d * f, fy = dy / d * f;
				disp[2 * i] += fx;
				disp[2 * i + 1] += fy;
				disp[2 * j] -= fx;
				disp[2 * j + 1] -= fy;
			}
		double t = t0 * (1.0 - (double)it / LAYOUT_ITERATIONS) + 0.01 * k;
		for (size_t i = 0; i < n; i++) {
			/* The pull to the own consortium's centre keeps each one together. */
			double dx = cx[gid[i]] - xy[2 * i], dy = cy[gid[i]] - xy[2 * i + 1];
			double d = sqrt(dx * dx + dy * dy);
			disp[2 * i] += dx * d / k * 0.6;
			disp[2 * i + 1] += dy * d / k * 0.6;
			double len = sqrt(disp[2 * i] * disp[2 * i] + disp[2 * i + 1] * disp[2 * i + 1]);
			if (len > t) {
				disp[2 * i] *= t / len;
				disp[2 * i + 1] *= t / len;
			}
			xy[2 * i] += disp[2 * i];
			xy[2 * i + 1] += disp[2 * i + 1];
		}
	}
}

/* Pushes every pair closer than dmin apart along the line joining them until
 * none is; each sweep that fails to finish also spreads everything by 2 %, so
 * the loop ends whatever the start. */
static void separate(double *xy, size_t n, double dmin)
{
	for (int sweep = 0;; sweep++) {
		int moved = 0;
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++) {
				double dx = xy[2 * j] - xy[2 * i], dy = xy[2 * j + 1] - xy[2 * i + 1];
				double d = sqrt(dx * dx + dy * dy);
				if (d >= dmin)
					continue;
				double ux, uy;
				if (d < 1e-9) {
					/* Coincident: a fixed direction from the indexes. */
					double a = (double)(i * 7 + j * 13);
					ux = cos(a);
					uy = sin(a);
				} else {
					ux = dx / d;
					uy = dy / d;
				}
				double push = (dmin - d) / 2 + 1e-6 * dmin;
				xy[2 * i] -= ux * push;
				xy[2 * i + 1] -= uy * push;
				xy[2 * j] += ux * push;
				xy[2 * j + 1] += uy * push;
				moved = 1;
			}
		if (!moved)
			return;
		if (sweep >= 50)
			for (size_t i = 0; i < 2 * n; i++)
				xy[i] *= 1.02;
	}
}

int consort__layout(double *xy, size_t n, const double *w, const int *group, size_t ngroups,
	double radius, unsigned long seed)
{
	if (n == 0)
		return 0;
	size_t G = ngroups + 1;
	int *gid = malloc(n * sizeof(int));
	size_t *size = calloc(G, sizeof(size_t));
	double *disp = malloc(2 * n * sizeof(double));
	double *cx = malloc(G * sizeof(double)), *cy = malloc(G * sizeof(double));
	int rc = -1;
	if (gid && size && disp && cx && cy) {
		for (size_t i = 0; i < n; i++) {
			gid[i] = group[i] >= 0 && (size_t)group[i] < ngroups ? group[i] : (int)ngroups;
			size[gid[i]]++;
		}
		double k = 3.2 * radius;
		if (start_positions(xy, n, gid, G, size, k, seed) < 0)
			goto done;
		forces(xy, n, w, gid, G, k, disp, cx, cy, size);
		separate(xy, n, consort__layout_min_distance(radius));
		double minx = xy[0], miny = xy[1];
		for (size_t i = 1; i < n; i++) {
			minx = fmin(minx, xy[2 * i]);
			miny = fmin(miny, xy[2 * i + 1]);
		}
		for (size_t i = 0; i < n; i++) {
			xy[2 * i] -= minx;
			xy[2 * i + 1] -= miny;
		}
		rc = 0;
	}
done:
	free(gid);
	free(size);
	free(disp);
	free(cx);
	free(cy);
	return rc;
}
