/* QR codes as SVG images (libqrencode), for the participants' links: one path
 * of dark runs, scalable, with a white quiet zone so phones read it on paper. */
#include "qr.h"
#include "util.h"

#include <pthread.h>
#include <qrencode.h>
#include <stdlib.h>

/* libqrencode keeps no state between calls when built with pthreads (Debian's
 * is), but a lock costs nothing at this rate and spares us relying on it. */
static pthread_mutex_t qr_lock = PTHREAD_MUTEX_INITIALIZER;

#define QUIET 4

int consort__qr_svg(char **out, size_t *len, const char *text)
{
	*out = NULL;
	pthread_mutex_lock(&qr_lock);
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	pthread_mutex_unlock(&qr_lock);
	if (!qr)
		return -1;
	int w = qr->width, size = w + 2 * QUIET;
	consort__srv_buf b = {0};
	consort__srv_buf_printf(&b,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		"shape-rendering=\"crispEdges\">\n"
		"<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"",
		size, size, size, size);
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w;) {
			/* Bit 0 of each module is dark (1) or light (0). */
			if (!(qr->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (qr->data[y * w + x + run] & 1))
				run++;
			consort__srv_buf_printf(&b, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
			x += run;
		}
	}
	consort__srv_buf_puts(&b, "\"/>\n</svg>\n");
	QRcode_free(qr);
	*out = consort__srv_buf_take(&b, len);
	return *out ? 0 : -1;
}
