/* The consort command: dispatches `consort <command> [options]` and holds the
 * helpers every command shares (messages, exit codes, output). */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int cli_help(int argc, char **argv);

static void cli_help_help(FILE *out)
{
	fprintf(out, "usage: consort help [COMMAND]\n\nShows the help of a command, or the list of commands.\n");
}

static const cli_command commands[] = {
	{"solve", "propose consortia from a session's ratings and rules", cli_solve, cli_solve_help},
	{"import", "build a session from participants and ratings spreadsheets (CSV)", cli_import, cli_import_help},
	{"simulate", "write a simulated session with planted consortia (test data)", cli_simulate, cli_simulate_help},
	{"schedule", "lay out the speed-dating rounds: who meets whom, where and when", cli_schedule, cli_schedule_help},
	{"report", "write the workshop report: heatmap, network and consortia (HTML, SVG)", cli_report, cli_report_help},
	{"serve", "run a live workshop: web pages for the facilitator and the phones", cli_serve, cli_serve_help},
	{"help", "show the help of a command", cli_help, cli_help_help},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const cli_command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: consort <command> [options] [arguments]\n"
		"\n"
		"consort turns the ratings of a speed-dating networking session into proposed\n"
		"consortia, proved optimal with an integer program (GLPK).\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\n"
		"Run 'consort help <command>' or 'consort <command> --help' for its options.\n"
		"\n"
		"Exit codes:\n"
		"  0  success (solve: a proposal was found)\n"
		"  1  solve: the rules cannot be met, or no proposal within the time limit\n"
		"  2  usage or input error (one line on stderr names the file and the place)\n"
		"  3  internal error (solver failure, out of memory)\n"
		"\n"
		"Formats: consort-session/1 and consort-proposal/1 JSON, CSV; see README.md.\n"
		"consort %s\n", CONSORT_VERSION);
}

static int cli_help(int argc, char **argv)
{
	if (argc < 2) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	const cli_command *c = find_command(argv[1]);
	if (!c) {
		cli_error("help: unknown command '%s' (see 'consort --help')", argv[1]);
		return CLI_EXIT_USAGE;
	}
	c->help(stdout);
	return CLI_EXIT_OK;
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("consort: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_fail(const consort_error *err)
{
	cli_error("%s", err->message[0] ? err->message : consort_strerror(err->code));
	switch (err->code) {
	case CONSORT_EINVALID:
	case CONSORT_EIO:
	case CONSORT_EUSAGE:
		return CLI_EXIT_USAGE;
	default:
		return CLI_EXIT_INTERNAL;
	}
}

int cli_output(const char *path, const char *data)
{
	size_t len = strlen(data);
	if (!path || strcmp(path, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
			cli_error("cannot write to standard output: %s", strerror(errno));
			return CLI_EXIT_USAGE;
		}
		return CLI_EXIT_OK;
	}
	consort_error err;
	consort_error_clear(&err);
	if (consort_write_file(path, data, len, &err) < 0)
		return cli_fail(&err);
	return CLI_EXIT_OK;
}

static int parse_int(const char *s, const char *end, int *out)
{
	if (s == end || end - s > 9)
		return -1;
	long v = 0;
	for (const char *c = s; c < end; c++) {
		if (*c < '0' || *c > '9')
			return -1;
		v = v * 10 + (*c - '0');
	}
	*out = (int)v;
	return 0;
}

int cli_parse_range(const char *text, int *min, int *max)
{
	const char *dots = strstr(text, "..");
	const char *end = text + strlen(text);
	if (!dots) {
		if (parse_int(text, end, min) < 0)
			return -1;
		*max = *min;
		return 0;
	}
	if (parse_int(text, dots, min) < 0)
		return -1;
	if (dots + 2 == end) {
		*max = CONSORT_NO_MAX;
		return 0;
	}
	if (parse_int(dots + 2, end, max) < 0 || *max < *min)
		return -1;
	return 0;
}

int cli_is_option(const char *arg, const char *name)
{
	size_t n = strlen(name);
	return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || (arg[n] == '=' && name[1] == '-'));
}

const char *cli_option_value(const char *cmd, int argc, char **argv, int *i, const char *name)
{
	const char *arg = argv[*i];
	size_t n = strlen(name);
	if (arg[n] == '=')
		return arg + n + 1;
	if (*i + 1 >= argc) {
		cli_error("%s: %s needs a value (see 'consort help %s')", cmd, name, cmd);
		return NULL;
	}
	return argv[++*i];
}

int cli_parse_count(const char *text, int lo, int hi, int *out)
{
	if (!*text || strlen(text) > 9)
		return -1;
	long v = 0;
	for (const char *c = text; *c; c++) {
		if (*c < '0' || *c > '9')
			return -1;
		v = v * 10 + (*c - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

int cli_parse_seconds(const char *text, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (end == text || *end || errno || !isfinite(v) || v < 0)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (strcmp(name, "--version") == 0) {
		printf("consort %s\n", CONSORT_VERSION);
		return CLI_EXIT_OK;
	}
	const cli_command *c = find_command(name);
	if (!c) {
		cli_error("unknown command '%s' (see 'consort --help')", name);
		return CLI_EXIT_USAGE;
	}
	return c->run(argc - 1, argv + 1);
}
