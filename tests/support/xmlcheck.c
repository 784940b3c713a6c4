/* XML well-formedness checks for the tests (xmlcheck.h), on libxml2. */
#include "xmlcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef CONSORT_HAVE_LIBXML2
#include <libxml/parser.h>
#include <libxml/tree.h>

int xc_available(void)
{
	return 1;
}

static xmlDocPtr parse(const char *doc, char *msg, size_t msglen)
{
	/* No DTD loading, no network: "<!DOCTYPE html>" is just a name. */
	xmlDocPtr d = xmlReadMemory(doc, (int)strlen(doc), "doc.xml", "UTF-8", XML_PARSE_NONET |
		XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!d && msg) {
		const xmlError *e = xmlGetLastError();
		snprintf(msg, msglen, "line %d: %s", e ? e->line : 0, e && e->message ? e->message : "?");
	}
	return d;
}

int xc_wellformed(const char *doc, const char *root, char *msg, size_t msglen)
{
	xmlDocPtr d = parse(doc, msg, msglen);
	if (!d)
		return -1;
	int rc = 0;
	xmlNodePtr r = xmlDocGetRootElement(d);
	if (root && (!r || strcmp((const char *)r->name, root) != 0)) {
		snprintf(msg, msglen, "root element is <%s>, not <%s>", r ? (const char *)r->name : "", root);
		rc = -1;
	}
	xmlFreeDoc(d);
	return rc;
}

static int matches(xmlNodePtr n, const char *name, const char *cls)
{
	if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name) != 0)
		return 0;
	if (!cls)
		return 1;
	xmlChar *c = xmlGetProp(n, (const xmlChar *)"class");
	int ok = c && strcmp((const char *)c, cls) == 0;
	xmlFree(c);
	return ok;
}

/* Depth-first: counts matches, and returns the n-th one in *hit. */
static long walk(xmlNodePtr n, const char *name, const char *cls, long want, xmlNodePtr *hit, long seen)
{
	for (; n; n = n->next) {
		if (matches(n, name, cls)) {
			if (seen == want && hit)
				*hit = n;
			seen++;
		}
		seen = walk(n->children, name, cls, want, hit, seen);
	}
	return seen;
}

long xc_count(const char *doc, const char *name, const char *cls)
{
	xmlDocPtr d = parse(doc, NULL, 0);
	if (!d)
		return -1;
	long c = walk(xmlDocGetRootElement(d), name, cls, -1, NULL, 0);
	xmlFreeDoc(d);
	return c;
}

/* The text content (attr NULL) or an attribute of the n-th match, malloc'ed. */
static char *nth(const char *doc, const char *name, const char *cls, long n, const char *attr)
{
	xmlDocPtr d = parse(doc, NULL, 0);
	if (!d)
		return NULL;
	xmlNodePtr hit = NULL;
	walk(xmlDocGetRootElement(d), name, cls, n, &hit, 0);
	char *out = NULL;
	if (hit) {
		xmlChar *t = attr ? xmlGetProp(hit, (const xmlChar *)attr) : xmlNodeGetContent(hit);
		if (t)
			out = strdup((const char *)t);
		xmlFree(t);
	}
	xmlFreeDoc(d);
	return out;
}

char *xc_text(const char *doc, const char *name, const char *cls, long n)
{
	return nth(doc, name, cls, n, NULL);
}

char *xc_attr(const char *doc, const char *name, const char *cls, long n, const char *attr)
{
	return nth(doc, name, cls, n, attr);
}

#else

int xc_available(void)
{
	return 0;
}

int xc_wellformed(const char *doc, const char *root, char *msg, size_t msglen)
{
	(void)doc;
	(void)root;
	snprintf(msg, msglen, "libxml2 not found at configure time");
	return -1;
}

long xc_count(const char *doc, const char *name, const char *cls)
{
	(void)doc;
	(void)name;
	(void)cls;
	return -1;
}

char *xc_text(const char *doc, const char *name, const char *cls, long n)
{
	(void)doc;
	(void)name;
	(void)cls;
	(void)n;
	return NULL;
}

char *xc_attr(const char *doc, const char *name, const char *cls, long n, const char *attr)
{
	(void)attr;
	return xc_text(doc, name, cls, n);
}

#endif
