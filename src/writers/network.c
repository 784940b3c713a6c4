/* The network picture: participants as nodes (shape and colour by sector),
 * each consortium as a rounded hull behind its members, and a line for every
 * pair whose combined rating is above neutral, thicker the stronger. */
#include "writers/report_view.h"
#include "writers/layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HULL_PAD 9.0

/* A sector's shape around (0, 0) with radius r: circle, square, diamond,
 * triangle, hexagon, then again. */
static void shape(consort__xml *w, size_t sector, double r, const char *fill)
{
	switch (sector % 5) {
	case 0:
		consort__xml_raw(w, "<circle");
		consort__xml_attr_num(w, "r", r, 1);
		break;
	case 1:
		consort__xml_raw(w, "<rect");
		consort__xml_attr_num(w, "x", -r * 0.88, 2);
		consort__xml_attr_num(w, "y", -r * 0.88, 2);
		consort__xml_attr_num(w, "width", r * 1.76, 2);
		consort__xml_attr_num(w, "height", r * 1.76, 2);
		break;
	default: {
		static const int corners[5] = {0, 0, 4, 3, 6};
		int m = corners[sector % 5];
		double turn = m == 3 ? -3.14159265358979 / 2 : 0;
		consort__xml_raw(w, "<polygon points=\"");
		for (int k = 0; k < m; k++) {
			double a = turn + 2 * 3.14159265358979 * k / m, rr = m == 3 ? r * 1.15 : r * 1.05;
			consort__xml_num(w, rr * cos(a), 2);
			consort__xml_raw(w, ",");
			consort__xml_num(w, rr * sin(a), 2);
			consort__xml_raw(w, k + 1 < m ? " " : "\"");
		}
		break;
	}
	}
	consort__xml_attr(w, "fill", fill);
	consort__xml_raw(w, " stroke=\"#222\" stroke-width=\"1.2\"/>");
}

static double cross(const double *o, const double *a, const double *b)
{
	return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

static int by_xy(const void *a, const void *b)
{
	const double *p = a, *q = b;
	if (p[0] != q[0])
		return p[0] < q[0] ? -1 : 1;
	return p[1] < q[1] ? -1 : p[1] > q[1];
}

/* Andrew's monotone chain: the convex hull of pts (m points, sorted in
 * place) into hull; returns its size. hull has room for 2m points. */
static size_t convex_hull(double *pts, size_t m, double *hull)
{
	qsort(pts, m, 2 * sizeof(double), by_xy);
	size_t h = 0;
	for (int pass = 0; pass < 2; pass++) {
		size_t floor_h = h;
		for (size_t t = 0; t < m; t++) {
			const double *p = pass ? &pts[2 * (m - 1 - t)] : &pts[2 * t];
			while (h >= floor_h + 2 && cross(&hull[2 * (h - 2)], &hull[2 * (h - 1)], p) <= 0)
				h--;
			hull[2 * h] = p[0];
			hull[2 * h + 1] = p[1];
			h++;
		}
		h--; /* the last point is the first of the other chain */
	}
	return h ? h : 1;
}

static void hulls(consort__xml *w, const consort__report_view *v, const double *xy, double r, double *scratch)
{
	for (size_t g = 0; g < v->ngroups; g++) {
		size_t m = v->start[g + 1] - v->start[g];
		if (!m)
			continue;
		double *pts = scratch, *hull = scratch + 2 * v->n, top = INFINITY, cx = 0;
		for (size_t a = 0; a < m; a++) {
			size_t i = v->order[v->start[g] + a];
			pts[2 * a] = xy[2 * i];
			pts[2 * a + 1] = xy[2 * i + 1];
			cx += xy[2 * i] / (double)m;
			top = fmin(top, xy[2 * i + 1]);
		}
		size_t h = m == 1 ? 1 : convex_hull(pts, m, hull);
		if (m == 1)
			memcpy(hull, pts, 2 * sizeof(double));
		/* A thick round-joined outline of the hull in the fill colour rounds it
		 * out by r + pad; opacity on the element keeps the overlap even. */
		consort__xml_raw(w, "<polygon class=\"hull\" stroke-linejoin=\"round\" opacity=\"0.22\"");
		consort__xml_attr(w, "fill", consort__report_group_colour(g));
		consort__xml_attr(w, "stroke", consort__report_group_colour(g));
		consort__xml_attr_num(w, "stroke-width", 2 * (r + HULL_PAD), 1);
		consort__xml_raw(w, " points=\"");
		for (size_t k = 0; k < h; k++) {
			consort__xml_num(w, hull[2 * k], 1);
			consort__xml_raw(w, ",");
			consort__xml_num(w, hull[2 * k + 1], 1);
			consort__xml_raw(w, k + 1 < h ? " " : "\"");
		}
		if (h == 1) {
			/* One point draws nothing as a polygon: make it a zero-length line. */
			consort__xml_raw(w, "/>\n<polyline stroke-linecap=\"round\" opacity=\"0.22\"");
			consort__xml_attr(w, "stroke", consort__report_group_colour(g));
			consort__xml_attr_num(w, "stroke-width", 2 * (r + HULL_PAD), 1);
			consort__xml_raw(w, " points=\"");
			consort__xml_num(w, hull[0], 1);
			consort__xml_raw(w, ",");
			consort__xml_num(w, hull[1], 1);
			consort__xml_raw(w, " ");
			consort__xml_num(w, hull[0], 1);
			consort__xml_raw(w, ",");
			consort__xml_num(w, hull[1], 1);
			consort__xml_raw(w, "\"");
		}
		consort__xml_raw(w, "/>\n<text class=\"group-label\" text-anchor=\"middle\" font-weight=\"bold\" font-size=\"13\"");
		consort__xml_attr_num(w, "x", cx, 1);
		consort__xml_attr_num(w, "y", top - r - HULL_PAD - 4, 1);
		consort__xml_close_tag(w);
		consort__report_group_label(w, v, g);
		consort__xml_raw(w, "</text>\n");
	}
}

static void edges(consort__xml *w, const consort__report_view *v, const double *xy)
{
	double wmax = 0;
	for (size_t i = 0; i < v->n * v->n; i++)
		wmax = fmax(wmax, v->w[i]);
	/* Edges across consortia first, so those inside are drawn over them. */
	for (int inside = 0; inside < 2; inside++)
		for (size_t i = 0; i < v->n; i++)
			for (size_t j = i + 1; j < v->n; j++) {
				double wij = v->w[i * v->n + j];
				int same = v->group[i] >= 0 && v->group[i] == v->group[j];
				if (wij <= 0 || same != inside)
					continue;
				consort__xml_raw(w, "<line class=\"edge\"");
				consort__xml_attr_xy(w, "x1", xy[2 * i], "y1", xy[2 * i + 1]);
				consort__xml_attr_xy(w, "x2", xy[2 * j], "y2", xy[2 * j + 1]);
				consort__xml_attr_num(w, "stroke-width", 0.6 + 3.4 * wij / wmax, 2);
				consort__xml_raw(w, same ? " stroke=\"#333\" stroke-opacity=\"0.6\"><title>"
					: " stroke=\"#888\" stroke-opacity=\"0.35\"><title>");
				consort__xml_text(w, consort_session_participant(v->s, i)->name);
				consort__xml_raw(w, " \xe2\x80\x93 ");
				consort__xml_text(w, consort_session_participant(v->s, j)->name);
				consort__xml_raw(w, ": +");
				consort__xml_num(w, wij, 2);
				consort__xml_raw(w, "</title></line>\n");
			}
}

static void nodes(consort__xml *w, const consort__report_view *v, const double *xy, double r)
{
	for (size_t i = 0; i < v->n; i++) {
		const consort_participant *pt = consort_session_participant(v->s, i);
		consort__xml_raw(w, "<g class=\"node\"");
		consort__xml_attr(w, "data-id", pt->id);
		consort__xml_raw(w, " transform=\"translate(");
		consort__xml_num(w, xy[2 * i], 1);
		consort__xml_raw(w, ",");
		consort__xml_num(w, xy[2 * i + 1], 1);
		consort__xml_raw(w, ")\"><title>");
		consort__xml_text(w, pt->name);
		consort__xml_raw(w, " (");
		consort__xml_text(w, pt->id);
		consort__xml_raw(w, "), ");
		consort__xml_text(w, pt->sector);
		if (v->group[i] >= 0) {
			consort__xml_raw(w, ", fit ");
			consort__xml_num(w, v->fit[i], 2);
		}
		consort__xml_raw(w, "</title>");
		shape(w, v->sector[i], r, consort__report_sector_colour(v->sector[i]));
		/* A white halo keeps the label readable over the lines. */
		consort__xml_raw(w, "<text text-anchor=\"middle\" font-size=\"9\" paint-order=\"stroke\""
			" stroke=\"#fff\" stroke-width=\"2.5\" stroke-opacity=\"0.8\"");
		consort__xml_attr_num(w, "y", r + 10, 1);
		consort__xml_close_tag(w);
		consort__xml_text_trunc(w, pt->id, 10);
		consort__xml_raw(w, "</text></g>\n");
	}
}

static void legend(consort__xml *w, const consort__report_view *v, double x, double y)
{
	consort__xml_raw(w, "<g class=\"legend\" font-size=\"11\">\n");
	double at = x;
	for (size_t k = 0; k < v->nsectors; k++) {
		consort__xml_raw(w, "<g transform=\"translate(");
		consort__xml_num(w, at + 8, 1);
		consort__xml_raw(w, ",");
		consort__xml_num(w, y, 1);
		consort__xml_raw(w, ")\">");
		shape(w, k, 7, consort__report_sector_colour(k));
		consort__xml_raw(w, "<text x=\"14\" y=\"4\">");
		consort__xml_text_trunc(w, v->sectors[k], 24);
		consort__xml_raw(w, "</text></g>\n");
		at += 40 + 7.0 * (double)(strlen(v->sectors[k]) < 24 ? strlen(v->sectors[k]) : 24);
	}
	consort__xml_raw(w, "<line stroke=\"#333\" stroke-width=\"1\"");
	consort__xml_attr_xy(w, "x1", x, "y1", y + 24);
	consort__xml_attr_xy(w, "x2", x + 24, "y2", y + 24);
	consort__xml_raw(w, "/><line stroke=\"#333\" stroke-width=\"4\"");
	consort__xml_attr_xy(w, "x1", x + 30, "y1", y + 24);
	consort__xml_attr_xy(w, "x2", x + 54, "y2", y + 24);
	consort__xml_raw(w, "/><text");
	consort__xml_attr_num(w, "x", x + 62, 1);
	consort__xml_attr_num(w, "y", y + 28, 1);
	consort__xml_raw(w, ">a pair rated above neutral (thicker: higher); dark: inside a consortium</text>\n</g>\n");
}

int consort__report_network(consort__xml *w, const consort__report_view *v, int standalone,
	unsigned long seed, consort_error *err)
{
	double r = v->n <= 30 ? 11 : 9, margin = r + HULL_PAD + 22;
	double *xy = malloc((v->n ? v->n : 1) * 2 * sizeof(double));
	double *scratch = malloc((v->n ? v->n : 1) * 6 * sizeof(double));
	if (!xy || !scratch || consort__layout(xy, v->n, v->w, v->group, v->ngroups, r, seed) < 0) {
		free(xy);
		free(scratch);
		return consort__error_nomem(err);
	}
	double wide = 0, high = 0;
	for (size_t i = 0; i < v->n; i++) {
		wide = fmax(wide, xy[2 * i]);
		high = fmax(high, xy[2 * i + 1]);
	}
	/* Landscape, and spread to the page's width: scaling the positions (not
	 * the nodes) only lengthens distances, so the layout's minimum holds. */
	if (high > wide) {
		for (size_t i = 0; i < v->n; i++) {
			double t = xy[2 * i];
			xy[2 * i] = xy[2 * i + 1];
			xy[2 * i + 1] = t;
		}
		double t = wide;
		wide = high;
		high = t;
	}
	double grow = fmin(wide > 0 ? 760 / wide : 1, high > 0 ? 560 / high : 1);
	if (grow > 1) {
		for (size_t i = 0; i < 2 * v->n; i++)
			xy[i] *= grow;
		wide *= grow;
		high *= grow;
	}
	for (size_t i = 0; i < 2 * v->n; i++)
		xy[i] += margin;
	double width = fmax(wide + 2 * margin, 520), height = high + 2 * margin + 50;
	consort__xml_svg_open(w, "network", width, height,
		"Network: pairs rated above neutral, consortia as shaded groups", standalone);
	hulls(w, v, xy, r, scratch);
	edges(w, v, xy);
	nodes(w, v, xy, r);
	legend(w, v, 12, high + 2 * margin + 12);
	consort__xml_raw(w, "</svg>\n");
	free(xy);
	free(scratch);
	return 0;
}
