/* The one HTML/SVG writer: a growable buffer in which every user-supplied
 * string goes through an escaping function, so that pages and pictures are
 * always well-formed XML (and HTML) whatever the names contain. */
#ifndef CONSORT_SRC_WRITERS_XML_H
#define CONSORT_SRC_WRITERS_XML_H

#include <stddef.h>
#include "consort/common.h"
#include "error.h"

/* A buffer; start it zeroed ({0}). After an allocation failure it stays
 * failed and ignores further writes; consort__xml_finish reports it. */
typedef struct consort__xml {
	char *p;
	size_t len, cap;
	int failed;
} consort__xml;

/* Written as is: in a page or picture only trusted markup (the program's own
 * literals, never user data); plain-text writers use these for everything. */
void consort__xml_raw(consort__xml *w, const char *markup);
void consort__xml_rawn(consort__xml *w, const char *markup, size_t n);
/* Trusted markup through printf; use it for integers only (%d, %zu), never
 * for user strings (%s) or floating point (locale). */
void consort__xml_rawf(consort__xml *w, const char *fmt, ...) CONSORT__PRINTF(2, 3);

/* User text, escaped for both text and attribute values: & < > " ' become
 * entities; valid UTF-8 passes through; each invalid byte becomes U+FFFD,
 * control characters (C0, DEL, C1) a space, and code points XML forbids
 * (U+FFFE, U+FFFF) U+FFFD. */
void consort__xml_text(consort__xml *w, const char *s);
/* The same, truncated to at most max_chars code points; an ellipsis ends a
 * shortened text. Returns whether it was shortened. */
int consort__xml_text_trunc(consort__xml *w, const char *s, size_t max_chars);

/* A number with at most `decimals` decimals (0..6), trailing zeros dropped,
 * '.' as the decimal point whatever the locale; non-finite values print 0. */
void consort__xml_num(consort__xml *w, double v, int decimals);

/* Elements: consort__xml_open(w, "rect") writes "<rect"; attributes follow;
 * then consort__xml_close_tag (">") or consort__xml_close_empty ("/>"), and
 * consort__xml_end(w, "rect") writes "</rect>". Tag and attribute names are
 * trusted literals. */
void consort__xml_open(consort__xml *w, const char *tag);
void consort__xml_attr(consort__xml *w, const char *name, const char *value);
void consort__xml_attr_num(consort__xml *w, const char *name, double v, int decimals);
/* Two coordinates at once, one decimal: ` x="1.5" y="2"` for names "x", "y". */
void consort__xml_attr_xy(consort__xml *w, const char *xname, double x, const char *yname, double y);
void consort__xml_attr_int(consort__xml *w, const char *name, long long v);
void consort__xml_close_tag(consort__xml *w);
void consort__xml_close_empty(consort__xml *w);
void consort__xml_end(consort__xml *w, const char *tag);
/* Opens an <svg> of the given class and size (viewBox 0 0 width height) with
 * its <title>; `standalone` starts a file (XML declaration). The xmlns is
 * always there, so the same picture works inline and on its own. */
void consort__xml_svg_open(consort__xml *w, const char *cls, double width, double height,
	const char *title, int standalone);
/* <tag>escaped text</tag> */
void consort__xml_element(consort__xml *w, const char *tag, const char *text);

/* Hands the text to *out (the caller frees it), or frees it and returns
 * CONSORT_ENOMEM after a failed allocation. */
int consort__xml_finish(char **out, consort__xml *w, consort_error *err);
/* Frees the buffer without handing it out. */
void consort__xml_discard(consort__xml *w);

#endif
