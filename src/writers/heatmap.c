/* The rating heatmap: the directed ratings as a matrix (rater rows, rated
 * columns), participants in consortium order, each consortium's block
 * outlined, unrated cells hatched, and a colour scale with its legend. */
#include "writers/report_view.h"

#include <math.h>
#include <stdio.h>

typedef struct rgb {
	double r, g, b;
} rgb;

/* ColorBrewer RdBu ends and its neutral middle: below neutral red, above blue. */
static const rgb LOW = {178, 24, 43}, MID = {247, 247, 247}, HIGH = {33, 102, 172};

static rgb mix(rgb a, rgb b, double t)
{
	rgb c = {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
	return c;
}

static void colour_of(char *buf, size_t len, double score, double lo, double hi, double neutral)
{
	rgb c;
	if (score <= neutral)
		c = neutral > lo ? mix(LOW, MID, (score - lo) / (neutral - lo)) : MID;
	else
		c = hi > neutral ? mix(MID, HIGH, (score - neutral) / (hi - neutral)) : MID;
	snprintf(buf, len, "#%02x%02x%02x", (unsigned)lround(c.r), (unsigned)lround(c.g),
		(unsigned)lround(c.b));
}

typedef struct geometry {
	double cell, left, top, label_chars, font;
} geometry;

static geometry measure(size_t n)
{
	geometry g;
	g.cell = n <= 20 ? 26 : fmax(11, floor(640.0 / (double)n));
	g.font = fmin(11, g.cell * 0.8);
	g.label_chars = n <= 30 ? 22 : 18;
	g.left = 14 + g.label_chars * g.font * 0.58;
	g.top = 10 + g.label_chars * g.font * 0.58 * 0.82; /* labels turned by 55 degrees */
	return g;
}

/* One name label: the name shortened, the full name as its tooltip. */
static void label(consort__xml *w, const consort_participant *pt, const char *cls, const geometry *g)
{
	consort__xml_attr(w, "class", cls);
	consort__xml_attr(w, "data-id", pt->id);
	consort__xml_raw(w, " dominant-baseline=\"central\"><title>");
	consort__xml_text(w, pt->name);
	consort__xml_raw(w, "</title>");
	consort__xml_text_trunc(w, pt->name, (size_t)g->label_chars);
	consort__xml_raw(w, "</text>\n");
}

static void labels(consort__xml *w, const consort__report_view *v, const geometry *g)
{
	for (size_t a = 0; a < v->n; a++) {
		const consort_participant *pt = consort_session_participant(v->s, v->order[a]);
		consort__xml_raw(w, "<text text-anchor=\"end\"");
		consort__xml_attr_num(w, "x", g->left - 8, 1);
		consort__xml_attr_num(w, "y", g->top + ((double)a + 0.5) * g->cell, 1);
		label(w, pt, "row", g);
		consort__xml_raw(w, "<text text-anchor=\"start\" transform=\"translate(");
		consort__xml_num(w, g->left + ((double)a + 0.5) * g->cell, 1);
		consort__xml_raw(w, ",");
		consort__xml_num(w, g->top - 6, 1);
		consort__xml_raw(w, ") rotate(-55)\"");
		label(w, pt, "col", g);
	}
}

static void cells(consort__xml *w, const consort__report_view *v, const geometry *g)
{
	double lo = consort_session_scale_min(v->s), hi = consort_session_scale_max(v->s);
	double neutral = consort_session_scoring(v->s).neutral;
	char colour[16];
	for (size_t a = 0; a < v->n; a++)
		for (size_t b = 0; b < v->n; b++) {
			size_t i = v->order[a], j = v->order[b];
			double score;
			int rated = i != j && consort_session_score(v->s, i, j, &score) == 0;
			consort__xml_open(w, "rect");
			consort__xml_attr(w, "class", i == j ? "cell self" : rated ? "cell" : "cell unrated");
			consort__xml_attr_num(w, "x", g->left + (double)b * g->cell, 1);
			consort__xml_attr_num(w, "y", g->top + (double)a * g->cell, 1);
			consort__xml_attr_num(w, "width", g->cell, 1);
			consort__xml_attr_num(w, "height", g->cell, 1);
			if (i == j) {
				consort__xml_raw(w, " fill=\"#555\"/>\n");
				continue;
			}
			if (rated) {
				colour_of(colour, sizeof(colour), score, lo, hi, neutral);
				consort__xml_attr(w, "fill", colour);
			} else {
				consort__xml_raw(w, " fill=\"url(#hm-hatch)\"");
			}
			consort__xml_raw(w, "><title>");
			consort__xml_text(w, consort_session_participant(v->s, i)->name);
			consort__xml_raw(w, " \xe2\x86\x92 ");
			consort__xml_text(w, consort_session_participant(v->s, j)->name);
			consort__xml_raw(w, ": ");
			if (rated)
				consort__xml_num(w, score, 2);
			else
				consort__xml_raw(w, "not rated");
			consort__xml_raw(w, "</title></rect>\n");
		}
}

/* Each consortium's block on the diagonal, and a band of its colour beside the labels. */
static void blocks(consort__xml *w, const consort__report_view *v, const geometry *g)
{
	for (size_t k = 0; k < v->ngroups; k++) {
		double at = (double)v->start[k] * g->cell, size = (double)(v->start[k + 1] - v->start[k]) * g->cell;
		if (size <= 0)
			continue;
		consort__xml_raw(w, "<rect class=\"block\" fill=\"none\" stroke=\"#111\" stroke-width=\"2\"");
		consort__xml_attr_num(w, "x", g->left + at, 1);
		consort__xml_attr_num(w, "y", g->top + at, 1);
		consort__xml_attr_num(w, "width", size, 1);
		consort__xml_attr_num(w, "height", size, 1);
		consort__xml_raw(w, "/>\n<rect");
		consort__xml_attr_num(w, "x", g->left - 5, 1);
		consort__xml_attr_num(w, "y", g->top + at, 1);
		consort__xml_attr_num(w, "width", 4, 1);
		consort__xml_attr_num(w, "height", size, 1);
		consort__xml_attr(w, "fill", consort__report_group_colour(k));
		consort__xml_raw(w, "/>\n<rect");
		consort__xml_attr_num(w, "x", g->left + at, 1);
		consort__xml_attr_num(w, "y", g->top - 5, 1);
		consort__xml_attr_num(w, "width", size, 1);
		consort__xml_attr_num(w, "height", 4, 1);
		consort__xml_attr(w, "fill", consort__report_group_colour(k));
		consort__xml_raw(w, "/>\n");
	}
}

/* A legend entry: a 14 px square drawn with `paint` (trusted attributes), then its text. */
static void swatch(consort__xml *w, const char *paint, double x, double y, const char *text)
{
	consort__xml_raw(w, "<rect width=\"14\" height=\"14\" ");
	consort__xml_raw(w, paint);
	consort__xml_attr_xy(w, "x", x, "y", y + 5);
	consort__xml_raw(w, "/>\n<text");
	consort__xml_attr_xy(w, "x", x + 20, "y", y + 16);
	consort__xml_close_tag(w);
	consort__xml_text(w, text);
	consort__xml_raw(w, "</text>\n");
}

static void legend(consort__xml *w, const consort__report_view *v, const geometry *g, double y)
{
	double lo = consort_session_scale_min(v->s), hi = consort_session_scale_max(v->s);
	double neutral = consort_session_scoring(v->s).neutral;
	double x = g->left, width = 220;
	char colour[16];
	consort__xml_raw(w, "<g class=\"legend\" font-size=\"11\">\n<defs><linearGradient id=\"hm-scale\">");
	double stops[3] = {lo, fmin(hi, fmax(lo, neutral)), hi};
	for (int k = 0; k < 3; k++) {
		colour_of(colour, sizeof(colour), stops[k], lo, hi, neutral);
		consort__xml_raw(w, "<stop");
		consort__xml_attr_num(w, "offset", (stops[k] - lo) / (hi - lo), 3);
		consort__xml_attr(w, "stop-color", colour);
		consort__xml_raw(w, "/>");
	}
	consort__xml_raw(w, "</linearGradient></defs>\n<text");
	consort__xml_attr_num(w, "x", x, 1);
	consort__xml_attr_num(w, "y", y, 1);
	consort__xml_raw(w, ">rating given (row rates column)</text>\n<rect fill=\"url(#hm-scale)\" stroke=\"#999\"");
	consort__xml_attr_num(w, "x", x, 1);
	consort__xml_attr_num(w, "y", y + 6, 1);
	consort__xml_attr_num(w, "width", width, 1);
	consort__xml_raw(w, " height=\"12\"/>\n");
	/* Ticks at whole scores (at most 11), else at five even steps. */
	int whole = hi - lo <= 10 && floor(lo) == lo && floor(hi) == hi;
	int nticks = whole ? (int)(hi - lo) + 1 : 5;
	for (int t = 0; t < nticks; t++) {
		double value = whole ? lo + t : lo + (hi - lo) * t / (nticks - 1);
		double tx = x + width * (value - lo) / (hi - lo);
		consort__xml_raw(w, "<text text-anchor=\"middle\"");
		consort__xml_attr_num(w, "x", tx, 1);
		consort__xml_attr_num(w, "y", y + 32, 1);
		consort__xml_close_tag(w);
		consort__xml_num(w, value, 2);
		consort__xml_raw(w, "</text>\n");
	}
	double sx = x + width + 30;
	swatch(w, "fill=\"url(#hm-hatch)\" stroke=\"#999\"", sx, y, "not rated");
	swatch(w, "fill=\"#555\"", sx + 100, y, "self");
	if (v->ngroups)
		swatch(w, "fill=\"none\" stroke=\"#111\" stroke-width=\"2\"", sx + 170, y, "a consortium");
	consort__xml_raw(w, "</g>\n");
}

void consort__report_heatmap(consort__xml *w, const consort__report_view *v, int standalone)
{
	geometry g = measure(v->n);
	double side = (double)v->n * g.cell;
	/* The last columns' names, turned by 55 degrees, reach right of the matrix. */
	double overhang = g.label_chars * g.font * 0.58 * 0.574 /* cos 55 degrees */;
	double width = fmax(g.left + side + overhang + 8, g.left + 560), height = g.top + side + 60;
	consort__xml_svg_open(w, "heatmap", width, height, "Ratings: rows rate columns, in consortium order",
		standalone);
	consort__xml_raw(w,
		"<defs><pattern id=\"hm-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
		"<rect width=\"6\" height=\"6\" fill=\"#eee\"/>"
		"<path d=\"M0 6L6 0\" stroke=\"#999\" stroke-width=\"1\"/></pattern></defs>\n");
	consort__xml_raw(w, "<g font-size=\"");
	consort__xml_num(w, g.font, 1);
	consort__xml_raw(w, "\" fill=\"#222\">\n");
	labels(w, v, &g);
	consort__xml_raw(w, "</g>\n<g class=\"cells\" stroke=\"#fff\" stroke-width=\"0.5\">\n");
	cells(w, v, &g);
	consort__xml_raw(w, "</g>\n");
	blocks(w, v, &g);
	legend(w, v, &g, g.top + side + 16);
	consort__xml_raw(w, "</svg>\n");
}
