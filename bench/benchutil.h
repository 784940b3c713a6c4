/* Small helpers shared by the benchmark programs: wall clock and the memory
 * of this process from /proc (Linux). Header-only: each bench program is its own
 * executable. */
#ifndef CONSORT_BENCHUTIL_H
#define CONSORT_BENCHUTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

#endif
