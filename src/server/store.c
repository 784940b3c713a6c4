/* The workshop's storage in SQLite: schema, the session builder on top of it,
 * and crash-safe writes (WAL, synchronous=FULL, group commit for ratings). */
#include "store.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SCHEMA_VERSION 1

/* One connection for the whole server, used under `lock`. A pool of
 * connections would let readers run beside a commit, but the workshop is small
 * (reads take microseconds) and a single connection keeps every transaction
 * strictly ordered; the cost of a commit (one fsync) is shared instead by
 * batching concurrent rating writes into one transaction (see put_rating). */
struct consort__store {
	sqlite3 *db;
	char *path;
	pthread_mutex_t lock;  /* the connection and the cached scale */
	pthread_mutex_t admin; /* see consort__store_admin_lock */
	double scale_min, scale_max;
	atomic_ulong generation;

	/* Prepared statements for the rating hot path. */
	sqlite3_stmt *st_exists, *st_upsert, *st_delete;

	/* Group commit: jobs wait here until a leader has committed them. */
	pthread_mutex_t qlock;
	pthread_cond_t qcond;
	struct rating_job *head, **tail;
	int committing;

	/* Checkpoints run on their own connection and thread, once a second, so
	 * that copying the WAL into the database never delays a rating's commit. */
	sqlite3 *ckpt_db;
	pthread_t ckpt_thread;
	int ckpt_running, ckpt_stop;
	pthread_mutex_t ckpt_lock;
	pthread_cond_t ckpt_cond;

	/* Tokens for authentication, reloaded when the generation changes. */
	pthread_mutex_t tlock;
	unsigned long token_gen;
	int token_valid;
	size_t ntokens, token_cap;
	char (*token_ids)[CONSORT_ID_MAX + 1];
	char (*tokens)[STORE_TOKEN_LEN + 1];
	char secret[129];
};

typedef struct rating_job {
	const char *from, *to;
	int has_score;
	double score;
	consort__store_by by;
	int status;
	consort_error *err;
	char at[32];
	int done;
	struct rating_job *next;
} rating_job;

static const char *const schema_sql =
	"CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS participants("
	"  pos INTEGER PRIMARY KEY,"   /* order in the session */
	"  id TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  sector TEXT NOT NULL,"
	"  offers TEXT NOT NULL,"      /* JSON array of strings */
	"  token TEXT NOT NULL UNIQUE);"
	"CREATE TABLE IF NOT EXISTS ratings("
	"  from_id TEXT NOT NULL,"
	"  to_id TEXT NOT NULL,"
	"  score REAL NOT NULL,"
	"  by TEXT NOT NULL,"          /* facilitator | participant */
	"  at TEXT NOT NULL,"          /* ISO 8601 UTC */
	"  PRIMARY KEY(from_id, to_id));";

/* ---- small SQLite helpers (called with st->lock held) ---- */

static int db_fail(consort__store *st, consort_error *err, const char *what)
{
	consort_error_clear(err);
	if (err) {
		err->code = CONSORT_EIO;
		snprintf(err->message, sizeof(err->message), "%s: %s: %s", st->path, what,
			sqlite3_errmsg(st->db));
	}
	return STORE_FAIL;
}

static int fail(consort_error *err, int status, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static int fail(consort_error *err, int status, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
		err->code = status == STORE_FAIL ? CONSORT_EIO : CONSORT_EINVALID;
	}
	return status;
}

static int exec(consort__store *st, const char *sql, consort_error *err)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(st, err, "cannot write the workshop");
	return 0;
}

static void rollback(consort__store *st)
{
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Commits, or rolls back and reports. */
static int commit(consort__store *st, consort_error *err)
{
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		int rc = db_fail(st, err, "cannot commit");
		rollback(st);
		return rc;
	}
	return 0;
}

static int prepare(consort__store *st, sqlite3_stmt **out, const char *sql, consort_error *err)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK)
		return db_fail(st, err, "cannot read the workshop");
	return 0;
}

static void bind_text(sqlite3_stmt *s, int col, const char *text)
{
	if (text)
		sqlite3_bind_text(s, col, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, col);
}

static const char *col_text(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	return t ? (const char *)t : "";
}

/* Reads settings[key] (malloc'ed) or STORE_NOTFOUND. */
static int get_locked(consort__store *st, const char *key, char **out, consort_error *err)
{
	sqlite3_stmt *s;
	*out = NULL;
	if (prepare(st, &s, "SELECT value FROM settings WHERE key = ?", err))
		return STORE_FAIL;
	bind_text(s, 1, key);
	int rc = sqlite3_step(s);
	int status = 0;
	if (rc == SQLITE_ROW) {
		const char *v = col_text(s, 0);
		size_t n = strlen(v);
		if (!(*out = malloc(n + 1)))
			status = fail(err, STORE_FAIL, "out of memory");
		else
			memcpy(*out, v, n + 1);
	} else if (rc == SQLITE_DONE) {
		status = fail(err, STORE_NOTFOUND, "no %s stored", key);
	} else {
		status = db_fail(st, err, "cannot read the settings");
	}
	sqlite3_finalize(s);
	return status;
}

static int set_locked(consort__store *st, const char *key, const char *value, consort_error *err)
{
	sqlite3_stmt *s;
	const char *sql = value
		? "INSERT INTO settings(key, value) VALUES(?, ?) "
		  "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
		: "DELETE FROM settings WHERE key = ?";
	if (prepare(st, &s, sql, err))
		return STORE_FAIL;
	bind_text(s, 1, key);
	if (value)
		bind_text(s, 2, value);
	int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : db_fail(st, err, "cannot write the settings");
	sqlite3_finalize(s);
	return rc;
}

/* Reads the cached scale from the settings ({"min": a, "max": b}); 1..5 when unset. */
static void load_scale(consort__store *st)
{
	char *text = NULL;
	st->scale_min = 1;
	st->scale_max = 5;
	if (get_locked(st, "scale", &text, NULL) == 0) {
		cJSON *j = cJSON_Parse(text);
		const cJSON *mn = cJSON_GetObjectItemCaseSensitive(j, "min");
		const cJSON *mx = cJSON_GetObjectItemCaseSensitive(j, "max");
		if (cJSON_IsNumber(mn) && cJSON_IsNumber(mx) && mn->valuedouble < mx->valuedouble) {
			st->scale_min = mn->valuedouble;
			st->scale_max = mx->valuedouble;
		}
		cJSON_Delete(j);
	}
	free(text);
}

/* ---- opening ---- */

static int check_schema(consort__store *st, consort_error *err)
{
	/* A file that is not SQLite fails here (SQLITE_NOTADB). */
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db,
		"SELECT count(*), sum(name = 'schema_version') FROM sqlite_master WHERE type = 'table'",
		-1, &s, NULL) != SQLITE_OK)
		return fail(err, STORE_INVALID, "%s: not a consort workshop database (%s)", st->path,
			sqlite3_errmsg(st->db));
	int ntables = 0, ours = 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		ntables = sqlite3_column_int(s, 0);
		ours = sqlite3_column_int(s, 1);
	}
	sqlite3_finalize(s);
	if (ntables > 0 && !ours)
		return fail(err, STORE_INVALID, "%s: an SQLite database, but not a consort workshop",
			st->path);
	return 0;
}

static int create_schema(consort__store *st, consort_error *err)
{
	int rc;
	if ((rc = exec(st, "BEGIN IMMEDIATE", err)))
		return rc;
	if ((rc = exec(st, schema_sql, err))) {
		rollback(st);
		return rc;
	}
	sqlite3_stmt *s;
	if ((rc = prepare(st, &s, "SELECT max(version) FROM schema_version", err))) {
		rollback(st);
		return rc;
	}
	int version = 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (version > SCHEMA_VERSION) {
		rollback(st);
		return fail(err, STORE_INVALID, "%s: written by a newer consort (schema %d, this one knows %d)",
			st->path, version, SCHEMA_VERSION);
	}
	if (version == 0 && (rc = exec(st, "INSERT INTO schema_version(version) VALUES(1)", err))) {
		rollback(st);
		return rc;
	}
	return commit(st, err);
}

/* The database holds the facilitator's secret and every participant's token:
 * only its owner may read it. SQLite gives the -wal and -shm files the mode of
 * the database file, so creating that one 0600 (and tightening an older one
 * and its companions) covers all three. */
static int make_private(consort__store *st, consort_error *err)
{
	int fd = open(st->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return fail(err, STORE_FAIL, "%s: cannot open: %s", st->path, strerror(errno));
	struct stat sb;
	if (fstat(fd, &sb) == 0 && (sb.st_mode & 077))
		fchmod(fd, sb.st_mode & 0700);
	close(fd);
	static const char *const companions[] = {"-wal", "-shm"};
	for (size_t i = 0; i < 2; i++) {
		char other[4096];
		if (snprintf(other, sizeof(other), "%s%s", st->path, companions[i]) >= (int)sizeof(other))
			continue;
		if (stat(other, &sb) == 0 && (sb.st_mode & 077))
			chmod(other, sb.st_mode & 0700);
	}
	return 0;
}

static int open_db(consort__store *st, consort_error *err)
{
	int rc = make_private(st, err);
	if (rc)
		return rc;
	rc = sqlite3_open_v2(st->path, &st->db,
		SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK)
		return fail(err, STORE_FAIL, "%s: cannot open: %s", st->path,
			st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
	sqlite3_busy_timeout(st->db, 5000);
	if ((rc = check_schema(st, err)))
		return rc;
	/* WAL: readers never block the writer; synchronous=FULL: the WAL is synced
	 * at every commit, so a committed rating survives even a power cut. */
	sqlite3_stmt *s;
	if ((rc = prepare(st, &s, "PRAGMA journal_mode=WAL", err)))
		return rc;
	int wal = sqlite3_step(s) == SQLITE_ROW && strcmp(col_text(s, 0), "wal") == 0;
	sqlite3_finalize(s);
	if (!wal)
		return fail(err, STORE_FAIL, "%s: cannot switch to write-ahead logging", st->path);
	if ((rc = exec(st, "PRAGMA synchronous=FULL", err)))
		return rc;
	if ((rc = create_schema(st, err)))
		return rc;
	if ((rc = prepare(st, &st->st_exists, "SELECT 1 FROM participants WHERE id = ?", err)) ||
	    (rc = prepare(st, &st->st_upsert,
		"INSERT INTO ratings(from_id, to_id, score, by, at) VALUES(?, ?, ?, ?, ?) "
		"ON CONFLICT(from_id, to_id) DO UPDATE SET score = excluded.score, by = excluded.by, "
		"at = excluded.at", err)) ||
	    (rc = prepare(st, &st->st_delete, "DELETE FROM ratings WHERE from_id = ? AND to_id = ?", err)))
		return rc;
	load_scale(st);
	return 0;
}

static void *checkpointer(void *arg)
{
	consort__store *st = arg;
	pthread_mutex_lock(&st->ckpt_lock);
	while (!st->ckpt_stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&st->ckpt_cond, &st->ckpt_lock, &until);
		if (st->ckpt_stop)
			break;
		pthread_mutex_unlock(&st->ckpt_lock);
		/* PASSIVE: copy what no reader needs, never wait for the writer. */
		sqlite3_wal_checkpoint_v2(st->ckpt_db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&st->ckpt_lock);
	}
	pthread_mutex_unlock(&st->ckpt_lock);
	return NULL;
}

/* Turns the writer's automatic checkpoints off and starts the checkpointer;
 * without it (no thread) the writer keeps checkpointing by itself. */
static void start_checkpointer(consort__store *st)
{
	if (sqlite3_open_v2(st->path, &st->ckpt_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
		NULL) != SQLITE_OK) {
		sqlite3_close(st->ckpt_db);
		st->ckpt_db = NULL;
		return;
	}
	sqlite3_busy_timeout(st->ckpt_db, 5000);
	sqlite3_exec(st->ckpt_db, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
	if (pthread_create(&st->ckpt_thread, NULL, checkpointer, st) != 0) {
		sqlite3_close(st->ckpt_db);
		st->ckpt_db = NULL;
		return;
	}
	st->ckpt_running = 1;
	sqlite3_exec(st->db, "PRAGMA wal_autocheckpoint=0", NULL, NULL, NULL);
}

static void stop_checkpointer(consort__store *st)
{
	if (st->ckpt_running) {
		pthread_mutex_lock(&st->ckpt_lock);
		st->ckpt_stop = 1;
		pthread_cond_signal(&st->ckpt_cond);
		pthread_mutex_unlock(&st->ckpt_lock);
		pthread_join(st->ckpt_thread, NULL);
		st->ckpt_running = 0;
	}
	sqlite3_close(st->ckpt_db);
	st->ckpt_db = NULL;
}

int consort__store_open(consort__store **out, const char *path, consort_error *err)
{
	*out = NULL;
	consort__store *st = calloc(1, sizeof(*st));
	size_t n = strlen(path);
	if (!st || !(st->path = malloc(n + 1))) {
		free(st);
		return fail(err, STORE_FAIL, "out of memory");
	}
	memcpy(st->path, path, n + 1);
	pthread_mutex_init(&st->lock, NULL);
	pthread_mutex_init(&st->admin, NULL);
	pthread_mutex_init(&st->qlock, NULL);
	pthread_mutex_init(&st->tlock, NULL);
	pthread_cond_init(&st->qcond, NULL);
	pthread_mutex_init(&st->ckpt_lock, NULL);
	pthread_cond_init(&st->ckpt_cond, NULL);
	st->tail = &st->head;
	atomic_init(&st->generation, 1);
	int rc = open_db(st, err);
	if (rc) {
		consort__store_close(st);
		return rc;
	}
	start_checkpointer(st);
	*out = st;
	return 0;
}

void consort__store_close(consort__store *st)
{
	if (!st)
		return;
	stop_checkpointer(st);
	sqlite3_finalize(st->st_exists);
	sqlite3_finalize(st->st_upsert);
	sqlite3_finalize(st->st_delete);
	/* Closing the last connection checkpoints the WAL into the main file. */
	sqlite3_close(st->db);
	pthread_mutex_destroy(&st->lock);
	pthread_mutex_destroy(&st->admin);
	pthread_mutex_destroy(&st->qlock);
	pthread_mutex_destroy(&st->tlock);
	pthread_cond_destroy(&st->qcond);
	pthread_mutex_destroy(&st->ckpt_lock);
	pthread_cond_destroy(&st->ckpt_cond);
	free(st->token_ids);
	free(st->tokens);
	free(st->path);
	free(st);
}

unsigned long consort__store_generation(consort__store *st)
{
	return atomic_load(&st->generation);
}

static void bump(consort__store *st)
{
	atomic_fetch_add(&st->generation, 1);
}

void consort__store_admin_lock(consort__store *st)
{
	pthread_mutex_lock(&st->admin);
}

void consort__store_admin_unlock(consort__store *st)
{
	pthread_mutex_unlock(&st->admin);
}

/* ---- secret and authentication ---- */

int consort__store_secret(consort__store *st, const char *given, char *out, size_t outsz,
	consort_error *err)
{
	char fresh[STORE_SECRET_LEN + 1];
	char *stored = NULL;
	int rc = 0;
	pthread_mutex_lock(&st->lock);
	if (given) {
		rc = set_locked(st, "secret", given, err);
	} else if ((rc = get_locked(st, "secret", &stored, err)) == STORE_NOTFOUND) {
		if (consort__srv_random_hex(fresh, STORE_SECRET_LEN / 2) < 0)
			rc = fail(err, STORE_FAIL, "cannot read /dev/urandom for the secret");
		else
			rc = set_locked(st, "secret", fresh, err);
		given = fresh;
	} else if (rc == 0) {
		given = stored;
	}
	if (rc == 0) {
		snprintf(st->secret, sizeof(st->secret), "%s", given);
		snprintf(out, outsz, "%s", given);
	}
	pthread_mutex_unlock(&st->lock);
	free(stored);
	return rc;
}

/* Reloads the token table when the workshop changed; called with tlock held. */
static void refresh_tokens(consort__store *st)
{
	unsigned long gen = consort__store_generation(st);
	if (st->token_valid && st->token_gen == gen)
		return;
	st->token_valid = 0;
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *s = NULL;
	size_t n = 0;
	if (prepare(st, &s, "SELECT id, token FROM participants", NULL) == 0) {
		int rc;
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			if (n == st->token_cap) {
				size_t bigger = st->token_cap ? st->token_cap * 2 : 64;
				void *a = realloc(st->token_ids, bigger * sizeof(*st->token_ids));
				if (a)
					st->token_ids = a;
				void *b = a ? realloc(st->tokens, bigger * sizeof(*st->tokens)) : NULL;
				if (b)
					st->tokens = b;
				if (!a || !b)
					break;
				st->token_cap = bigger; /* both arrays now hold this many */
			}
			snprintf(st->token_ids[n], sizeof(st->token_ids[n]), "%s", col_text(s, 0));
			snprintf(st->tokens[n], sizeof(st->tokens[n]), "%s", col_text(s, 1));
			n++;
		}
		if (rc == SQLITE_DONE) {
			st->token_valid = 1;
			st->token_gen = gen;
		}
	}
	sqlite3_finalize(s);
	pthread_mutex_unlock(&st->lock);
	st->ntokens = st->token_valid ? n : 0;
}

int consort__store_auth(consort__store *st, const char *bearer, char *id_out)
{
	if (!bearer || strlen(bearer) > 256)
		return 0;
	int who = 0;
	if (consort__srv_secret_equal(bearer, st->secret))
		who = 1;
	pthread_mutex_lock(&st->tlock);
	refresh_tokens(st);
	/* Compare against every token without stopping at a match. */
	size_t match = (size_t)-1;
	for (size_t i = 0; i < st->ntokens; i++)
		if (consort__srv_secret_equal(bearer, st->tokens[i]))
			match = i;
	if (!who && match != (size_t)-1) {
		who = 2;
		snprintf(id_out, CONSORT_ID_MAX + 1, "%s", st->token_ids[match]);
	}
	pthread_mutex_unlock(&st->tlock);
	return who;
}

/* ---- the workshop as a session ---- */

/* A library error on stored data: the database was changed behind our back. */
static int stored_fail(consort_error *err)
{
	if (!err)
		return STORE_FAIL;
	char msg[CONSORT_ERROR_MAX];
	snprintf(msg, sizeof(msg), "%s", err->message);
	return fail(err, STORE_FAIL, "stored workshop: %s", msg);
}

/* Offers stored as a JSON array, as a string list for the session builder. */
static int add_participant_row(consort_session *s, sqlite3_stmt *q, consort_error *err)
{
	cJSON *offers = cJSON_Parse(col_text(q, 3));
	int n = cJSON_IsArray(offers) ? cJSON_GetArraySize(offers) : 0;
	const char **list = n ? calloc((size_t)n, sizeof(*list)) : NULL;
	if (n && !list) {
		cJSON_Delete(offers);
		return fail(err, STORE_FAIL, "out of memory");
	}
	int k = 0;
	const cJSON *o;
	cJSON_ArrayForEach(o, offers)
		if (cJSON_IsString(o))
			list[k++] = o->valuestring;
	int rc = consort_session_add_participant(s, col_text(q, 0), col_text(q, 1), col_text(q, 2),
		list, (size_t)k, err);
	free(list);
	cJSON_Delete(offers);
	return rc < 0 ? stored_fail(err) : 0;
}

static int load_locked(consort__store *st, consort_session *s, int with_ratings, consort_error *err)
{
	char *text = NULL;
	int rc = get_locked(st, "title", &text, err);
	if (rc == 0 && consort_session_set_title(s, text, err) < 0)
		rc = STORE_FAIL;
	free(text);
	if (rc && rc != STORE_NOTFOUND)
		return rc;
	if (consort_session_set_scale(s, st->scale_min, st->scale_max, err) < 0)
		return STORE_FAIL;

	sqlite3_stmt *q;
	int step;
	if ((rc = prepare(st, &q, "SELECT id, name, sector, offers FROM participants ORDER BY pos", err)))
		return rc;
	while ((step = sqlite3_step(q)) == SQLITE_ROW && rc == 0)
		rc = add_participant_row(s, q, err);
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_fail(st, err, "cannot read the participants");
	sqlite3_finalize(q);
	if (rc)
		return rc;

	if (with_ratings) {
		if ((rc = prepare(st, &q, "SELECT from_id, to_id, score FROM ratings ORDER BY rowid", err)))
			return rc;
		while ((step = sqlite3_step(q)) == SQLITE_ROW && rc == 0)
			if (consort_session_add_rating(s, col_text(q, 0), col_text(q, 1),
				sqlite3_column_double(q, 2), err) < 0)
				rc = stored_fail(err);
		if (rc == 0 && step != SQLITE_DONE)
			rc = db_fail(st, err, "cannot read the ratings");
		sqlite3_finalize(q);
		if (rc)
			return rc;
	}

	if ((rc = get_locked(st, "rules", &text, err)) == 0 &&
	    consort_session_parse_rules(s, text, strlen(text), "rules", err) < 0)
		rc = stored_fail(err);
	free(text);
	return rc == STORE_NOTFOUND ? 0 : rc;
}

int consort__store_load(consort__store *st, consort_session **out, int with_ratings,
	consort_error *err)
{
	*out = NULL;
	consort_session *s = NULL;
	if (consort_session_new(&s, err) < 0)
		return STORE_FAIL;
	pthread_mutex_lock(&st->lock);
	int rc = load_locked(st, s, with_ratings, err);
	pthread_mutex_unlock(&st->lock);
	if (rc) {
		consort_session_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

static int count_rows(consort__store *st, const char *sql, size_t *out)
{
	sqlite3_stmt *q;
	*out = 0;
	if (prepare(st, &q, sql, NULL))
		return STORE_FAIL;
	int rc = sqlite3_step(q) == SQLITE_ROW ? 0 : STORE_FAIL;
	if (rc == 0)
		*out = (size_t)sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return rc;
}

int consort__store_counts(consort__store *st, size_t *participants, size_t *ratings)
{
	pthread_mutex_lock(&st->lock);
	int rc = count_rows(st, "SELECT count(*) FROM participants", participants);
	if (rc == 0)
		rc = count_rows(st, "SELECT count(*) FROM ratings", ratings);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int consort__store_rules_of(char **out, const consort_session *s, consort_error *err)
{
	char *json = NULL;
	*out = NULL;
	if (consort_session_to_json(&json, s, err) < 0)
		return STORE_FAIL;
	cJSON *doc = cJSON_Parse(json);
	free(json);
	cJSON *rules = cJSON_DetachItemFromObjectCaseSensitive(doc, "rules");
	cJSON *scoring = cJSON_DetachItemFromObjectCaseSensitive(doc, "scoring");
	cJSON_Delete(doc);
	cJSON *obj = cJSON_CreateObject();
	int ok = obj != NULL;
	if (ok)
		cJSON_AddItemToObject(obj, "rules", rules ? rules : cJSON_CreateObject());
	else
		cJSON_Delete(rules);
	if (ok)
		cJSON_AddItemToObject(obj, "scoring", scoring ? scoring : cJSON_CreateObject());
	else
		cJSON_Delete(scoring);
	*out = ok ? cJSON_PrintUnformatted(obj) : NULL;
	cJSON_Delete(obj);
	return *out ? 0 : fail(err, STORE_FAIL, "out of memory");
}

static char *offers_json(const consort_participant *p)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t k = 0; arr && k < p->noffers; k++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(p->offers[k]));
	char *text = arr ? cJSON_PrintUnformatted(arr) : NULL;
	cJSON_Delete(arr);
	return text;
}

static int insert_participants(consort__store *st, const consort_session *s, consort_error *err)
{
	sqlite3_stmt *q;
	int rc = prepare(st, &q,
		"INSERT INTO participants(pos, id, name, sector, offers, token) VALUES(?, ?, ?, ?, ?, "
		"coalesce((SELECT token FROM old_tokens WHERE id = ?2), ?6))", err);
	if (rc)
		return rc;
	size_t n = consort_session_count(s);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const consort_participant *p = consort_session_participant(s, i);
		char token[STORE_TOKEN_LEN + 1];
		char *offers = offers_json(p);
		if (!offers)
			rc = fail(err, STORE_FAIL, "out of memory");
		else if (consort__srv_random_hex(token, STORE_TOKEN_LEN / 2) < 0)
			rc = fail(err, STORE_FAIL, "cannot read /dev/urandom for a token");
		if (rc == 0) {
			sqlite3_reset(q);
			sqlite3_bind_int64(q, 1, (sqlite3_int64)i + 1);
			bind_text(q, 2, p->id);
			bind_text(q, 3, p->name);
			bind_text(q, 4, p->sector);
			bind_text(q, 5, offers);
			bind_text(q, 6, token);
			if (sqlite3_step(q) != SQLITE_DONE)
				rc = db_fail(st, err, "cannot store the participants");
		}
		free(offers);
	}
	sqlite3_finalize(q);
	return rc;
}

static int insert_ratings(consort__store *st, const consort_session *s, const char *at,
	consort_error *err)
{
	sqlite3_stmt *q;
	int rc = prepare(st, &q, "INSERT INTO ratings(from_id, to_id, score, by, at) "
		"VALUES(?, ?, ?, 'facilitator', ?)", err);
	if (rc)
		return rc;
	size_t m = consort_session_rating_count(s);
	for (size_t k = 0; k < m && rc == 0; k++) {
		const consort_rating *r = consort_session_rating(s, k);
		sqlite3_reset(q);
		bind_text(q, 1, consort_session_participant(s, r->from)->id);
		bind_text(q, 2, consort_session_participant(s, r->to)->id);
		sqlite3_bind_double(q, 3, r->score);
		bind_text(q, 4, at);
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = db_fail(st, err, "cannot store the ratings");
	}
	sqlite3_finalize(q);
	return rc;
}

static int replace_locked(consort__store *st, const consort_session *s, const char *rules,
	const char *scale, consort_error *err)
{
	char at[32];
	consort__srv_iso_now(at, sizeof(at));
	int rc;
	if ((rc = exec(st, "BEGIN IMMEDIATE", err)))
		return rc;
	if ((rc = exec(st, "CREATE TEMP TABLE IF NOT EXISTS old_tokens(id TEXT PRIMARY KEY, token TEXT);"
		"DELETE FROM old_tokens;"
		"INSERT INTO old_tokens SELECT id, token FROM participants;"
		"DELETE FROM participants; DELETE FROM ratings;", err)) == 0 &&
	    (rc = insert_participants(st, s, err)) == 0 &&
	    (rc = insert_ratings(st, s, at, err)) == 0 &&
	    (rc = set_locked(st, "title", consort_session_title(s), err)) == 0 &&
	    (rc = set_locked(st, "scale", scale, err)) == 0 &&
	    (rc = set_locked(st, "rules", rules, err)) == 0 &&
	    (rc = set_locked(st, "proposal", NULL, err)) == 0 &&
	    (rc = set_locked(st, "proposal_csv", NULL, err)) == 0 &&
	    (rc = exec(st, "DELETE FROM old_tokens", err)) == 0)
		rc = commit(st, err);
	else
		rollback(st);
	return rc;
}

int consort__store_replace(consort__store *st, const consort_session *s, consort_error *err)
{
	char *rules = NULL;
	int rc = consort__store_rules_of(&rules, s, err);
	if (rc)
		return rc;
	char smin[32], smax[32], scale[80];
	consort__srv_format_number(smin, sizeof(smin), consort_session_scale_min(s));
	consort__srv_format_number(smax, sizeof(smax), consort_session_scale_max(s));
	snprintf(scale, sizeof(scale), "{\"min\":%s,\"max\":%s}", smin, smax);
	pthread_mutex_lock(&st->lock);
	rc = replace_locked(st, s, rules, scale, err);
	load_scale(st);
	pthread_mutex_unlock(&st->lock);
	bump(st);
	free(rules);
	return rc;
}

int consort__store_set_rules(consort__store *st, const char *rules_json, consort_error *err)
{
	const char *key = "rules";
	return consort__store_set(st, &key, &rules_json, 1, err);
}

/* ---- participants ---- */

static cJSON *participant_json(sqlite3_stmt *q)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	const char *token = col_text(q, 4);
	char link[8 + STORE_TOKEN_LEN];
	snprintf(link, sizeof(link), "/p/%s", token);
	cJSON_AddStringToObject(o, "id", col_text(q, 0));
	cJSON_AddStringToObject(o, "name", col_text(q, 1));
	cJSON_AddStringToObject(o, "sector", col_text(q, 2));
	cJSON *offers = cJSON_Parse(col_text(q, 3));
	cJSON_AddItemToObject(o, "offers", offers ? offers : cJSON_CreateArray());
	cJSON_AddStringToObject(o, "token", token);
	cJSON_AddStringToObject(o, "link", link);
	return o;
}

int consort__store_participants(consort__store *st, cJSON **out, consort_error *err)
{
	*out = cJSON_CreateArray();
	if (!*out)
		return fail(err, STORE_FAIL, "out of memory");
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *q;
	int rc = prepare(st, &q, "SELECT id, name, sector, offers, token FROM participants ORDER BY pos",
		err);
	if (rc == 0) {
		while ((rc = sqlite3_step(q)) == SQLITE_ROW)
			cJSON_AddItemToArray(*out, participant_json(q));
		rc = rc == SQLITE_DONE ? 0 : db_fail(st, err, "cannot read the participants");
		sqlite3_finalize(q);
	}
	pthread_mutex_unlock(&st->lock);
	if (rc) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return rc;
}

int consort__store_token(consort__store *st, const char *id, char *token_out, size_t outsz,
	consort_error *err)
{
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *q;
	int rc = prepare(st, &q, "SELECT token FROM participants WHERE id = ?", err);
	if (rc == 0) {
		bind_text(q, 1, id);
		int step = sqlite3_step(q);
		if (step == SQLITE_ROW)
			snprintf(token_out, outsz, "%s", col_text(q, 0));
		else if (step == SQLITE_DONE)
			rc = fail(err, STORE_NOTFOUND, "no participant \"%s\"", id);
		else
			rc = db_fail(st, err, "cannot read the participants");
		sqlite3_finalize(q);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* 1 when participant id exists, 0 when not, -1 on failure (st->lock held). */
static int exists_locked(consort__store *st, const char *id)
{
	sqlite3_reset(st->st_exists);
	bind_text(st->st_exists, 1, id);
	int rc = sqlite3_step(st->st_exists);
	sqlite3_reset(st->st_exists);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int add_locked(consort__store *st, const char *id, const char *name, const char *sector,
	const char *offers, const char *token, consort_error *err)
{
	int rc = exists_locked(st, id);
	if (rc < 0)
		return db_fail(st, err, "cannot read the participants");
	if (rc > 0)
		return fail(err, STORE_CONFLICT, "duplicate id \"%s\"", id);
	sqlite3_stmt *q;
	if ((rc = prepare(st, &q, "INSERT INTO participants(pos, id, name, sector, offers, token) "
		"VALUES((SELECT coalesce(max(pos), 0) + 1 FROM participants), ?, ?, ?, ?, ?)", err)))
		return rc;
	bind_text(q, 1, id);
	bind_text(q, 2, name);
	bind_text(q, 3, sector);
	bind_text(q, 4, offers);
	bind_text(q, 5, token);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : db_fail(st, err, "cannot store the participant");
	sqlite3_finalize(q);
	return rc;
}

int consort__store_add_participant(consort__store *st, const char *id, const char *name,
	const char *sector, const char *offers_json, char *token_out, size_t outsz, consort_error *err)
{
	char token[STORE_TOKEN_LEN + 1];
	if (consort__srv_random_hex(token, STORE_TOKEN_LEN / 2) < 0)
		return fail(err, STORE_FAIL, "cannot read /dev/urandom for a token");
	pthread_mutex_lock(&st->lock);
	int rc = exec(st, "BEGIN IMMEDIATE", err);
	if (rc == 0) {
		rc = add_locked(st, id, name, sector, offers_json, token, err);
		if (rc == 0)
			rc = commit(st, err);
		else
			rollback(st);
	}
	pthread_mutex_unlock(&st->lock);
	if (rc == 0) {
		bump(st);
		snprintf(token_out, outsz, "%s", token);
	}
	return rc;
}

static int delete_locked(consort__store *st, const char *id, const char *rules, consort_error *err)
{
	sqlite3_stmt *q;
	int rc = prepare(st, &q, "DELETE FROM participants WHERE id = ?", err);
	if (rc)
		return rc;
	bind_text(q, 1, id);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : db_fail(st, err, "cannot delete the participant");
	sqlite3_finalize(q);
	if (rc)
		return rc;
	if (sqlite3_changes(st->db) == 0)
		return fail(err, STORE_NOTFOUND, "no participant \"%s\"", id);
	if ((rc = prepare(st, &q, "DELETE FROM ratings WHERE from_id = ?1 OR to_id = ?1", err)))
		return rc;
	bind_text(q, 1, id);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : db_fail(st, err, "cannot delete the ratings");
	sqlite3_finalize(q);
	if (rc == 0 && rules)
		rc = set_locked(st, "rules", rules, err);
	return rc;
}

int consort__store_delete_participant(consort__store *st, const char *id, const char *rules_json,
	consort_error *err)
{
	pthread_mutex_lock(&st->lock);
	int rc = exec(st, "BEGIN IMMEDIATE", err);
	if (rc == 0) {
		rc = delete_locked(st, id, rules_json, err);
		if (rc == 0)
			rc = commit(st, err);
		else
			rollback(st);
	}
	pthread_mutex_unlock(&st->lock);
	if (rc == 0)
		bump(st);
	return rc;
}

/* ---- ratings ---- */

static int check_and_apply(consort__store *st, rating_job *j, const char *at)
{
	if (strcmp(j->from, j->to) == 0)
		return fail(j->err, STORE_INVALID, "a participant cannot rate themselves (\"%s\")", j->from);
	int e;
	if ((e = exists_locked(st, j->from)) <= 0)
		return e < 0 ? db_fail(st, j->err, "cannot read the participants")
			: fail(j->err, STORE_INVALID, "from: unknown participant \"%s\"", j->from);
	if ((e = exists_locked(st, j->to)) <= 0)
		return e < 0 ? db_fail(st, j->err, "cannot read the participants")
			: fail(j->err, STORE_INVALID, "to: unknown participant \"%s\"", j->to);
	sqlite3_stmt *q = j->has_score ? st->st_upsert : st->st_delete;
	if (j->has_score) {
		char v[32], lo[32], hi[32];
		consort__srv_format_number(v, sizeof(v), j->score);
		consort__srv_format_number(lo, sizeof(lo), st->scale_min);
		consort__srv_format_number(hi, sizeof(hi), st->scale_max);
		if (!isfinite(j->score))
			return fail(j->err, STORE_INVALID, "score: not a finite number");
		if (j->score < st->scale_min || j->score > st->scale_max)
			return fail(j->err, STORE_INVALID, "score: %s is outside the scale %s..%s", v, lo, hi);
	}
	sqlite3_reset(q);
	bind_text(q, 1, j->from);
	bind_text(q, 2, j->to);
	if (j->has_score) {
		sqlite3_bind_double(q, 3, j->score);
		bind_text(q, 4, j->by == STORE_BY_PARTICIPANT ? "participant" : "facilitator");
		bind_text(q, 5, at);
	}
	int rc = sqlite3_step(q) == SQLITE_DONE ? 0 : db_fail(st, j->err, "cannot store the rating");
	sqlite3_reset(q);
	if (rc == 0)
		snprintf(j->at, sizeof(j->at), "%s", at);
	return rc;
}

/* Runs a batch of rating jobs as one transaction: each job is checked on its
 * own (a bad one fails alone), and all good ones are committed together. */
static void run_batch(consort__store *st, rating_job *batch)
{
	char at[32];
	consort__srv_iso_now(at, sizeof(at));
	pthread_mutex_lock(&st->lock);
	consort_error txerr;
	consort_error_clear(&txerr);
	int rc = exec(st, "BEGIN IMMEDIATE", &txerr);
	int failed = rc != 0;
	for (rating_job *j = batch; j && !failed; j = j->next) {
		j->status = check_and_apply(st, j, at);
		if (j->status == STORE_FAIL) {
			failed = 1;
			txerr = *j->err;
		}
	}
	if (!failed && commit(st, &txerr) != 0)
		failed = 1;
	if (failed) {
		rollback(st);
		for (rating_job *j = batch; j; j = j->next)
			if (j->status == 0 || j->status == STORE_FAIL) {
				j->status = STORE_FAIL;
				*j->err = txerr;
			}
	}
	pthread_mutex_unlock(&st->lock);
}

int consort__store_put_rating(consort__store *st, const char *from, const char *to, int has_score,
	double score, consort__store_by by, char *at_out, size_t atsz, consort_error *err)
{
	consort_error local;
	consort_error_clear(&local);
	rating_job job = {from, to, has_score, score, by, 0, &local, "", 0, NULL};
	pthread_mutex_lock(&st->qlock);
	*st->tail = &job;
	st->tail = &job.next;
	while (!job.done) {
		if (st->committing) {
			pthread_cond_wait(&st->qcond, &st->qlock);
			continue;
		}
		/* Become the leader: take every waiting job, commit them together. */
		st->committing = 1;
		rating_job *batch = st->head;
		st->head = NULL;
		st->tail = &st->head;
		pthread_mutex_unlock(&st->qlock);
		run_batch(st, batch);
		pthread_mutex_lock(&st->qlock);
		for (rating_job *j = batch, *next; j; j = next) {
			next = j->next;
			j->done = 1;
		}
		st->committing = 0;
		pthread_cond_broadcast(&st->qcond);
	}
	pthread_mutex_unlock(&st->qlock);
	if (job.status) {
		if (err)
			*err = local;
		return job.status;
	}
	snprintf(at_out, atsz, "%s", job.at);
	return 0;
}

int consort__store_ratings(consort__store *st, const char *from, cJSON **out, consort_error *err)
{
	*out = cJSON_CreateArray();
	if (!*out)
		return fail(err, STORE_FAIL, "out of memory");
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *q;
	int rc = prepare(st, &q, from
		? "SELECT from_id, to_id, score, by, at FROM ratings WHERE from_id = ? ORDER BY rowid"
		: "SELECT from_id, to_id, score, by, at FROM ratings ORDER BY rowid", err);
	if (rc == 0) {
		if (from)
			bind_text(q, 1, from);
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			cJSON *o = cJSON_CreateObject();
			if (!from)
				cJSON_AddStringToObject(o, "from", col_text(q, 0));
			cJSON_AddStringToObject(o, "to", col_text(q, 1));
			cJSON_AddNumberToObject(o, "score", sqlite3_column_double(q, 2));
			if (!from)
				cJSON_AddStringToObject(o, "by", col_text(q, 3));
			cJSON_AddStringToObject(o, "at", col_text(q, 4));
			cJSON_AddItemToArray(*out, o);
		}
		rc = rc == SQLITE_DONE ? 0 : db_fail(st, err, "cannot read the ratings");
		sqlite3_finalize(q);
	}
	pthread_mutex_unlock(&st->lock);
	if (rc) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return rc;
}

int consort__store_ratings_csv(consort__store *st, char **out, size_t *len, consort_error *err)
{
	consort__srv_buf b = {0};
	consort__srv_buf_puts(&b, "from,to,score\r\n");
	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *q;
	int rc = prepare(st, &q, "SELECT from_id, to_id, score FROM ratings ORDER BY rowid", err);
	if (rc == 0) {
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			char v[32];
			consort__srv_format_number(v, sizeof(v), sqlite3_column_double(q, 2));
			consort__srv_buf_csv(&b, col_text(q, 0));
			consort__srv_buf_add(&b, ",", 1);
			consort__srv_buf_csv(&b, col_text(q, 1));
			consort__srv_buf_printf(&b, ",%s\r\n", v);
		}
		rc = rc == SQLITE_DONE ? 0 : db_fail(st, err, "cannot read the ratings");
		sqlite3_finalize(q);
	}
	pthread_mutex_unlock(&st->lock);
	*out = rc == 0 ? consort__srv_buf_take(&b, len) : NULL;
	consort__srv_buf_free(&b);
	if (rc == 0 && !*out)
		rc = fail(err, STORE_FAIL, "out of memory");
	return rc;
}

/* ---- settings ---- */

int consort__store_get(consort__store *st, const char *key, char **out, consort_error *err)
{
	pthread_mutex_lock(&st->lock);
	int rc = get_locked(st, key, out, err);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int consort__store_set(consort__store *st, const char *const *keys, const char *const *values,
	size_t n, consort_error *err)
{
	pthread_mutex_lock(&st->lock);
	int rc = exec(st, "BEGIN IMMEDIATE", err);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = set_locked(st, keys[i], values[i], err);
	if (rc == 0)
		rc = commit(st, err);
	else
		rollback(st);
	pthread_mutex_unlock(&st->lock);
	if (rc == 0)
		bump(st);
	return rc;
}
