/* Test helpers: run a child process with captured output, temporary files. */
#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct buf {
	char *data;
	size_t len, cap;
} buf;

static int buf_add(buf *b, const char *d, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *bigger = realloc(b->data, cap);
		if (!bigger)
			return -1;
		b->data = bigger;
		b->cap = cap;
	}
	memcpy(b->data + b->len, d, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int tu_run(tu_result *r, const char *const *argv)
{
	int po[2], pe[2];
	memset(r, 0, sizeof(*r));
	if (pipe(po) != 0)
		return -1;
	if (pipe(pe) != 0) {
		close(po[0]);
		close(po[1]);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		dup2(in, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	buf bo = {0}, be = {0};
	buf_add(&bo, "", 0);
	buf_add(&be, "", 0);
	struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
	int open_fds = 2;
	while (open_fds > 0) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int k = 0; k < 2; k++) {
			if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char tmp[4096];
			ssize_t got = read(fds[k].fd, tmp, sizeof(tmp));
			if (got <= 0) {
				close(fds[k].fd);
				fds[k].fd = -1;
				open_fds--;
			} else {
				buf_add(k == 0 ? &bo : &be, tmp, (size_t)got);
			}
		}
	}
	int st = 0;
	waitpid(pid, &st, 0);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r->out = bo.data;
	r->err = be.data;
	return 0;
}

void tu_result_free(tu_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

char *tu_tempdir(void)
{
	char tmpl[] = "/tmp/consort-test-XXXXXX";
	char *d = mkdtemp(tmpl);
	if (!d)
		return NULL;
	char *copy = malloc(strlen(d) + 1);
	if (copy)
		strcpy(copy, d);
	return copy;
}

void tu_rmdir(const char *dir)
{
	if (!dir)
		return;
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "warning: could not remove %s\n", dir);
}

int tu_write(const char *path, const char *data)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t n = strlen(data);
	int ok = fwrite(data, 1, n, f) == n;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

char *tu_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	buf b = {0};
	buf_add(&b, "", 0);
	char tmp[4096];
	size_t got;
	while ((got = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_add(&b, tmp, got);
	fclose(f);
	return b.data;
}

int tu_count_lines(const char *s)
{
	int n = 0;
	const char *c = s;
	for (; *c; c++)
		if (*c == '\n')
			n++;
	if (c != s && c[-1] != '\n')
		n++;
	return n;
}

int tu_connect_loopback(unsigned port)
{
	return tu_connect_loopback_from(port, NULL);
}

int tu_connect_loopback_from(unsigned port, const char *from)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	if (from) {
		/* Another loopback address (127.0.0.0/8 is all ours): the server
		 * sees another client. */
		if (inet_pton(AF_INET, from, &a.sin_addr) != 1 ||
		    bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
			close(fd);
			return -1;
		}
	}
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct timeval tv = {10, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}
