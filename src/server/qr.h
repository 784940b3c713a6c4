/* QR codes as SVG images (libqrencode), for the participants' links. */
#ifndef CONSORT_SERVER_QR_H
#define CONSORT_SERVER_QR_H

#include <stddef.h>

/* An SVG image (malloc'ed, NUL-terminated, length in *len) of the QR code of
 * text, error correction level M, with the standard 4-module quiet zone.
 * Returns 0, or -1 when the text is too long for a QR code or memory ran out. */
int consort__qr_svg(char **out, size_t *len, const char *text);

#endif
