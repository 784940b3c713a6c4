/* `consort serve`: runs a live workshop from one laptop: a web server for the
 * facilitator's page and the participants' phones, on a crash-safe database. */
#include "cli.h"
#include "server.h"

#include <errno.h>
#include <stddef.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

void cli_serve_help(FILE *out)
{
	fputs("usage: consort serve --db FILE [options]\n"
		"\n"
		"Runs a live workshop: the facilitator's page (participants, ratings, rules,\n"
		"schedule, proposals) and a page for each participant's phone to rate the\n"
		"partners they met. Every rating is stored in FILE (SQLite) before it is\n"
		"acknowledged, so nothing acknowledged is lost if the process is killed;\n"
		"start again with the same --db to carry on.\n"
		"\n"
		"Options:\n"
		"  --db FILE            the workshop database, created when missing (required)\n"
		"  --listen ADDRESS     the address to listen on (default 127.0.0.1: this\n"
		"                       computer only); 0.0.0.0 lets phones on the local\n"
		"                       network connect\n"
		"  --port N             the port (default 8080; 0 picks a free one)\n"
		"  --import SESSION.json\n"
		"                       load this session into the database first; ignored\n"
		"                       (with a note) when the database already holds a\n"
		"                       workshop, unless --replace is given\n"
		"  --import-csv PARTICIPANTS.csv RATINGS.csv\n"
		"                       the same from spreadsheets (see 'consort help import')\n"
		"  --replace            let --import replace the workshop the database holds\n"
		"  --secret S           the facilitator's secret, 16-128 characters of\n"
		"                       A-Z a-z 0-9 . _ ~ - (default: the one stored in the\n"
		"                       database, or a new random one)\n"
		"  --threads N          connection threads (default 32); each serves many\n"
		"                       connections, solves run on a thread of their own\n"
		"  --max-connections N  open connections in all (default 1000)\n"
		"  --max-per-client N   open connections from one address (default 32); more\n"
		"                       are closed at once, so one device cannot crowd out\n"
		"                       the phones\n"
		"  --idle-timeout S     close a connection idle for S seconds (default 30)\n"
		"  -h, --help           show this help\n"
		"\n"
		"On start it prints the address it listens on and the facilitator's URL\n"
		"(with the secret after #secret=); open that URL in a browser. Participants'\n"
		"links and QR codes are on the facilitator's page. Stop with Ctrl-C.\n"
		"The JSON API is described in README.md (\"Live workshop\").\n", out);
}

typedef struct serve_opts {
	consort_server_options server;
	const char *import, *csv_participants, *csv_ratings;
	int replace;
} serve_opts;

/* --threads, --max-connections, --max-per-client, --idle-timeout N; 0, or -1
 * after a usage error. */
static int parse_limit(int argc, char **argv, int *i, consort_server_options *o)
{
	static const struct {
		const char *name;
		int max;
		size_t at;
	} limits[] = {{"--threads", 256, offsetof(consort_server_options, threads)},
		{"--max-connections", 1000000, offsetof(consort_server_options, max_connections)},
		{"--max-per-client", 1000000, offsetof(consort_server_options, per_client)},
		{"--idle-timeout", 86400, offsetof(consort_server_options, idle_timeout)}};
	for (size_t k = 0; k < sizeof(limits) / sizeof(limits[0]); k++) {
		if (!cli_is_option(argv[*i], limits[k].name))
			continue;
		const char *v = cli_option_value("serve", argc, argv, i, limits[k].name);
		if (!v)
			return -1;
		int *field = (int *)(void *)((char *)o + limits[k].at);
		if (cli_parse_count(v, 1, limits[k].max, field) < 0) {
			cli_error("serve: %s '%s': expected a whole number 1..%d", limits[k].name, v,
				limits[k].max);
			return -1;
		}
		return 0;
	}
	return -1;
}

/* Returns -1 to go on, or an exit code. */
static int parse_args(int argc, char **argv, serve_opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cli_serve_help(stdout);
			return CLI_EXIT_OK;
		}
		if (strcmp(a, "--replace") == 0) {
			o->replace = 1;
		} else if (cli_is_option(a, "--import-csv")) {
			if (i + 2 >= argc || a[strlen("--import-csv")] == '=') {
				cli_error("serve: --import-csv needs PARTICIPANTS.csv and RATINGS.csv");
				return CLI_EXIT_USAGE;
			}
			o->csv_participants = argv[++i];
			o->csv_ratings = argv[++i];
		} else if (cli_is_option(a, "--db")) {
			if (!(v = cli_option_value("serve", argc, argv, &i, "--db")))
				return CLI_EXIT_USAGE;
			o->server.db_path = v;
		} else if (cli_is_option(a, "--listen")) {
			if (!(v = cli_option_value("serve", argc, argv, &i, "--listen")))
				return CLI_EXIT_USAGE;
			o->server.listen = v;
		} else if (cli_is_option(a, "--port")) {
			if (!(v = cli_option_value("serve", argc, argv, &i, "--port")))
				return CLI_EXIT_USAGE;
			if (cli_parse_count(v, 0, 65535, &o->server.port) < 0) {
				cli_error("serve: --port '%s': expected a port number 0..65535", v);
				return CLI_EXIT_USAGE;
			}
		} else if (cli_is_option(a, "--threads") || cli_is_option(a, "--max-connections") ||
			   cli_is_option(a, "--max-per-client") || cli_is_option(a, "--idle-timeout")) {
			if (parse_limit(argc, argv, &i, &o->server) < 0)
				return CLI_EXIT_USAGE;
		} else if (cli_is_option(a, "--import")) {
			if (!(v = cli_option_value("serve", argc, argv, &i, "--import")))
				return CLI_EXIT_USAGE;
			o->import = v;
		} else if (cli_is_option(a, "--secret")) {
			if (!(v = cli_option_value("serve", argc, argv, &i, "--secret")))
				return CLI_EXIT_USAGE;
			if (!consort_server_secret_valid(v)) {
				cli_error("serve: --secret: expected 16-128 characters of A-Z a-z 0-9 . _ ~ -");
				return CLI_EXIT_USAGE;
			}
			o->server.secret = v;
		} else {
			cli_error("serve: unexpected argument '%s' (see 'consort help serve')", a);
			return CLI_EXIT_USAGE;
		}
	}
	if (!o->server.db_path) {
		cli_error("serve: --db FILE is required (see 'consort help serve')");
		return CLI_EXIT_USAGE;
	}
	if (o->import && o->csv_participants) {
		cli_error("serve: give --import or --import-csv, not both");
		return CLI_EXIT_USAGE;
	}
	return -1;
}

/* Reads the session to import (before the database is touched), or NULL. */
static int read_import(const serve_opts *o, consort_session **s)
{
	*s = NULL;
	if (!o->import && !o->csv_participants)
		return -1;
	consort_error err;
	consort_error_clear(&err);
	int rc = o->import ? consort_session_load(s, o->import, &err)
		: consort_csv_import(s, o->csv_participants, o->csv_ratings, &err);
	return rc < 0 ? cli_fail(&err) : -1;
}

static int import_into(consort_server *srv, const serve_opts *o, const consort_session *s)
{
	const char *what = o->import ? o->import : o->csv_participants;
	size_t n = 0, m = 0;
	if (consort_server_counts(srv, &n, &m) == 0 && (n || m) && !o->replace) {
		fprintf(stderr, "consort: serve: %s already holds a workshop (%zu participants, %zu ratings); "
			"not importing %s (add --replace to overwrite it)\n", o->server.db_path, n, m, what);
		return -1;
	}
	consort_error err;
	consort_error_clear(&err);
	if (consort_server_import(srv, s, &err) < 0)
		return cli_fail(&err);
	printf("imported %s: %zu participants, %zu ratings\n", what, consort_session_count(s),
		consort_session_rating_count(s));
	return -1;
}

static void announce(const consort_server *srv, const char *listen)
{
	printf("serving on %s\n", consort_server_url(srv));
	if (consort_server_loopback(srv))
		printf("listening on loopback only (other devices cannot connect; --listen 0.0.0.0 lets phones in)\n");
	else
		printf("warning: listening on %s, not loopback: any device that reaches this computer can "
			"connect; only the secret and the participants' tokens protect the workshop\n",
			listen);
	consort_server_options l;
	consort_server_limits(srv, &l);
	printf("limits: %d threads, %d connections, %d per client address, %d s idle timeout\n",
		l.threads, l.max_connections, l.per_client, l.idle_timeout);
	printf("facilitator: %s\n", consort_server_facilitator_url(srv));
	fflush(stdout);
}

int cli_serve(int argc, char **argv)
{
	serve_opts o;
	memset(&o, 0, sizeof(o));
	consort_server_options_init(&o.server);
	int code = parse_args(argc, argv, &o);
	if (code >= 0)
		return code;
	consort_session *s = NULL;
	if ((code = read_import(&o, &s)) >= 0)
		return code;

	/* Signals are taken by sigwait below: block them before any thread starts
	 * so that every server thread inherits the mask. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	consort_error err;
	consort_error_clear(&err);
	consort_server *srv = NULL;
	if (consort_server_open(&srv, &o.server, &err) < 0) {
		consort_session_free(s);
		return cli_fail(&err);
	}
	if (s && (code = import_into(srv, &o, s)) >= 0) {
		consort_session_free(s);
		consort_server_close(srv);
		return code;
	}
	consort_session_free(s);
	if (consort_server_listen(srv, &err) < 0) {
		consort_server_close(srv);
		return cli_fail(&err);
	}
	announce(srv, o.server.listen ? o.server.listen : "127.0.0.1");

	int sig = 0;
	while (sigwait(&stop, &sig) != 0)
		;
	fprintf(stderr, "consort: serve: %s, stopping\n", sig == SIGINT ? "interrupted" : "terminated");
	consort_server_close(srv);
	return CLI_EXIT_OK;
}
