/* File input and output: bounded whole-file reads, atomic writes, UTF-8 checks. */
#include "io/fileio.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int consort__file_read(char **out, size_t *len, const char *path, consort_error *err)
{
	*out = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return consort__error(err, CONSORT_EIO, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		return consort__error(err, CONSORT_EIO, "%s: is a directory", path);
	}
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf) {
		fclose(f);
		return consort__error_nomem(err);
	}
	for (;;) {
		if (n == cap) {
			if (cap >= CONSORT__FILE_MAX) {
				free(buf);
				fclose(f);
				return consort__error(err, CONSORT_EINVALID, "%s: file is larger than %zu MiB",
					path, CONSORT__FILE_MAX >> 20);
			}
			cap *= 2;
			char *bigger = realloc(buf, cap + 1);
			if (!bigger) {
				free(buf);
				fclose(f);
				return consort__error_nomem(err);
			}
			buf = bigger;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				int e = errno;
				free(buf);
				fclose(f);
				return consort__error(err, CONSORT_EIO, "%s: %s", path, strerror(e));
			}
			break;
		}
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int consort__file_write_atomic(const char *path, const char *data, size_t len, consort_error *err)
{
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	if (!tmp)
		return consort__error_nomem(err);
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".tmp.XXXXXX", 12);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		int e = errno;
		free(tmp);
		return consort__error(err, CONSORT_EIO, "%s: cannot create a temporary file: %s", path, strerror(e));
	}
	size_t done = 0;
	while (done < len) {
		ssize_t w = write(fd, data + done, len - done);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		done += (size_t)w;
	}
	if (fsync(fd) != 0 || fchmod(fd, 0644) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	free(tmp);
	return 0;
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return consort__error(err, CONSORT_EIO, "%s: %s", path, strerror(e));
}

int consort_write_file(const char *path, const char *data, size_t len, consort_error *err)
{
	return consort__file_write_atomic(path, data, len, err);
}

/* Strict UTF-8 (RFC 3629): no overlongs, no surrogates, nothing above U+10FFFF. */
int consort__utf8_valid(const char *data, size_t len, size_t *line, size_t *col)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t ln = 1, cl = 1;
	for (size_t i = 0; i < len;) {
		unsigned c = s[i];
		size_t need;
		unsigned min;
		if (c < 0x80) {
			i++;
			if (c == '\n') {
				ln++;
				cl = 1;
			} else {
				cl++;
			}
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			min = 0x10000;
		} else {
			goto bad;
		}
		unsigned cp = c & (0x3Fu >> need);
		for (size_t k = 1; k <= need; k++) {
			if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
				goto bad;
			cp = (cp << 6) | (s[i + k] & 0x3Fu);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			goto bad;
		i += need + 1;
		cl++;
	}
	return 1;
bad:
	if (line)
		*line = ln;
	if (col)
		*col = cl;
	return 0;
}
