/* Small helpers shared by the benchmark programs: wall clock, the memory of
 * this process from /proc (Linux), and a run in a forked child. Header-only:
 * each bench program is its own executable. */
#ifndef CONSORT_BENCHUTIL_H
#define CONSORT_BENCHUTIL_H

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A field of /proc/self/status in MiB ("VmHWM", "VmRSS"); NAN when unreadable. */
static inline double bench_proc_mib(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return NAN;
	char line[256];
	size_t len = strlen(field);
	double v = NAN;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, field, len) == 0 && line[len] == ':') {
			v = strtod(line + len + 1, NULL) / 1024.0;
			break;
		}
	}
	fclose(f);
	return v;
}

/* Resets the peak RSS of this process to its current RSS (Linux >= 4.0), so a
 * forked child's VmHWM counts only what it touches itself. */
static inline void bench_reset_peak(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");
	if (f) {
		fputs("5", f);
		fclose(f);
	}
}

typedef enum { BENCH_RUN_OK, BENCH_RUN_CRASH, BENCH_RUN_KILLED } bench_run_kind;

/* Runs fn(arg, out) in a forked child and copies its `size`-byte result `out`
 * back through a pipe, so a crash costs one run, not the program. `out` must be
 * initialised by the caller: the child starts from a copy of it. The child is
 * killed after `kill_after` seconds. Reports the wall seconds since the fork,
 * the child's terminating signal (0 if none) and its peak RSS from wait4 in
 * MiB (for children that could not measure their own). */
static inline bench_run_kind bench_run_forked(void (*fn)(void *arg, void *out), void *arg, void *out,
	size_t size, double kill_after, double *seconds, int *signo, double *maxrss_mib)
{
	int fd[2];
	if (pipe(fd) < 0) {
		perror("pipe");
		exit(3);
	}
	fflush(NULL);
	double t0 = bench_now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(3);
	}
	if (pid == 0) {
		close(fd[0]);
		fn(arg, out);
		const char *at = out;
		size_t left = size;
		while (left > 0) {
			ssize_t k = write(fd[1], at, left);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				_exit(4);
			at += k;
			left -= (size_t)k;
		}
		_exit(0);
	}
	close(fd[1]);
	size_t got = 0;
	bench_run_kind kind = BENCH_RUN_OK;
	char *at = out;
	while (got < size) {
		double left = kill_after - (bench_now() - t0);
		if (left <= 0) {
			kill(pid, SIGKILL);
			kind = BENCH_RUN_KILLED;
			break;
		}
		struct pollfd pfd = {fd[0], POLLIN, 0};
		int pr = poll(&pfd, 1, (int)fmin(left * 1000 + 1, 1000));
		if (pr <= 0)
			continue;
		ssize_t k = read(fd[0], at + got, size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break; /* the child died before writing its result */
		got += (size_t)k;
	}
	close(fd[0]);
	int st = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof(ru));
	while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR)
		;
	*seconds = bench_now() - t0;
	*signo = 0;
	if (kind == BENCH_RUN_OK && got < size) {
		kind = BENCH_RUN_CRASH;
		*signo = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	}
	*maxrss_mib = (double)ru.ru_maxrss / 1024.0;
	return kind;
}

#endif
