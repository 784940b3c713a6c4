/* Reading consort-proposal/1 files (formats.md section 3) back against their session:
 * for comparisons, reports and anything else that starts from a proposal made earlier. */
#include "proposal.h"
#include "problem.h"
#include "error.h"
#include "io/fileio.h"
#include "io/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
	const char *name;
	const consort_session *s;
	const consort__problem *pb;
	consort_error *err;
	int rescore;   /* consort_proposal_load_rescored: the file's numbers are not held against s */
} reader;

static int fail(const reader *rd, const char *path, const char *what)
{
	return consort__error(rd->err, CONSORT_EINVALID, "%s: %s: %s", rd->name, path, what);
}

static int status_of(consort_status *out, const char *name)
{
	for (int st = CONSORT_STATUS_OPTIMAL; st <= CONSORT_STATUS_STOPPED; st++)
		if (!strcmp(name, consort_status_name((consort_status)st))) {
			*out = (consort_status)st;
			return 0;
		}
	return -1;
}

/* Places the participant named by item (at path) in slot; -1 is outside. */
static int place(int *assign, const cJSON *item, int slot, const char *path, const reader *rd)
{
	const char *id;
	char show[80], msg[160];
	int rc = consort__json_want_string(&id, item, rd->name, path, rd->err);
	if (rc < 0)
		return rc;
	long i = consort_session_find(rd->s, id);
	if (i < 0) {
		snprintf(msg, sizeof(msg), "\"%s\" is not a participant of the session",
			consort__json_show(show, sizeof(show), id));
		return fail(rd, path, msg);
	}
	if (assign[i] != -2) {
		snprintf(msg, sizeof(msg), "\"%s\" is listed twice",
			consort__json_show(show, sizeof(show), id));
		return fail(rd, path, msg);
	}
	assign[i] = slot;
	return 0;
}

static int place_all(int *assign, const cJSON *arr, int slot, const char *path, int nonempty,
	const reader *rd)
{
	char p[CONSORT__JSON_PATH];
	int rc = consort__json_want_array(arr, rd->name, path, rd->err);
	if (rc < 0)
		return rc;
	if (nonempty && cJSON_GetArraySize(arr) == 0)
		return fail(rd, path, "a consortium needs at least one member");
	size_t j = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, arr) {
		consort__json_path_index(p, sizeof(p), path, j++);
		if ((rc = place(assign, it, slot, p, rd)) < 0)
			return rc;
	}
	return 0;
}

/* The slot of consortium c: its lot's index with lots, else c. */
static int slot_of(int *slot, const cJSON *con, int c, const char *path, unsigned char *lot_used,
	const reader *rd)
{
	char p[CONSORT__JSON_PATH], show[80], msg[200];
	const cJSON *lot;
	const char *name;
	int rc = consort__json_member(&lot, con, "lot", rd->name, path, rd->err);
	if (rc < 0)
		return rc;
	*slot = c;
	if (!rd->pb->nlots) {
		if (lot) {
			consort__json_path_key(p, sizeof(p), path, "lot");
			return fail(rd, p, "the session has no lots");
		}
		return 0;
	}
	consort__json_path_key(p, sizeof(p), path, "lot");
	if (!lot)
		return fail(rd, p, "missing (the session's consortia are lots)");
	if ((rc = consort__json_want_string(&name, lot, rd->name, p, rd->err)) < 0)
		return rc;
	for (int g = 0; g < rd->pb->nlots; g++)
		if (rd->pb->lot_name[g] && !strcmp(rd->pb->lot_name[g], name)) {
			if (lot_used[g])
				return fail(rd, p, "two consortia name this lot");
			lot_used[g] = 1;
			*slot = g;
			return 0;
		}
	snprintf(msg, sizeof(msg), "\"%s\" is not a lot of the session",
		consort__json_show(show, sizeof(show), name));
	return fail(rd, p, msg);
}

static int read_consortia(int *assign, int *k, const cJSON *root, int solved, const reader *rd)
{
	const cJSON *cons, *out;
	int rc = consort__json_member(&cons, root, "consortia", rd->name, "", rd->err);
	if (rc < 0 || (rc = consort__json_member(&out, root, "outside", rd->name, "", rd->err)) < 0)
		return rc;
	if (!cons)
		return fail(rd, "consortia", "missing");
	if ((rc = consort__json_want_array(cons, rd->name, "consortia", rd->err)) < 0)
		return rc;
	int ncons = cJSON_GetArraySize(cons);
	if (!solved && ncons)
		return fail(rd, "consortia", "a proposal that is infeasible or stopped has no consortia");
	if (rd->pb->nlots && ncons > rd->pb->nlots)
		return fail(rd, "consortia", "more consortia than the session has lots");
	unsigned char *lot_used = calloc((size_t)rd->pb->nlots + 1, 1);
	if (!lot_used)
		return consort__error_nomem(rd->err);
	char path[CONSORT__JSON_PATH], p[CONSORT__JSON_PATH];
	int c = 0, slot;
	const cJSON *con;
	cJSON_ArrayForEach(con, cons) {
		const cJSON *members;
		consort__json_path_index(path, sizeof(path), "consortia", (size_t)c);
		consort__json_path_key(p, sizeof(p), path, "members");
		if ((rc = consort__json_want_object(con, rd->name, path, rd->err)) < 0 ||
		    (rc = slot_of(&slot, con, c, path, lot_used, rd)) < 0 ||
		    (rc = consort__json_member(&members, con, "members", rd->name, path, rd->err)) < 0)
			break;
		if (!members) {
			rc = fail(rd, p, "missing");
			break;
		}
		if ((rc = place_all(assign, members, slot, p, 1, rd)) < 0)
			break;
		c++;
	}
	free(lot_used);
	if (rc < 0)
		return rc;
	if (out && (rc = place_all(assign, out, -1, "outside", 0, rd)) < 0)
		return rc;
	/* Absent members (rules.absent) are in no consortium either. */
	if ((rc = consort__json_member(&out, root, "absent", rd->name, "", rd->err)) < 0 ||
	    (out && (rc = place_all(assign, out, -1, "absent", 0, rd)) < 0))
		return rc;
	*k = rd->pb->nlots ? rd->pb->nlots : ncons;
	return 0;
}

/* Everyone is somewhere, and outside only where the session allows it. */
static int check_everyone(const int *assign, int solved, const reader *rd)
{
	char show[80], msg[200];
	if (!solved)
		return 0;
	for (int i = 0; i < rd->pb->n; i++)
		if (assign[i] == -2) {
			snprintf(msg, sizeof(msg), "participant \"%s\" is in no consortium and not in \"outside\"",
				consort__json_show(show, sizeof(show), rd->pb->id[i]));
			return fail(rd, "consortia", msg);
		}
	return 0;
}

static int read_numbers(double *objective, double *bound, double *seconds, const cJSON *root,
	const reader *rd)
{
	const cJSON *it;
	int rc;
	*objective = NAN;
	*bound = INFINITY;
	*seconds = 0;
	if ((rc = consort__json_member(&it, root, "objective", rd->name, "", rd->err)) < 0)
		return rc;
	if (it && !cJSON_IsNull(it) && (rc = consort__json_want_number(objective, it, rd->name, "objective", rd->err)) < 0)
		return rc;
	if ((rc = consort__json_member(&it, root, "bound", rd->name, "", rd->err)) < 0)
		return rc;
	if (it && !cJSON_IsNull(it) && (rc = consort__json_want_number(bound, it, rd->name, "bound", rd->err)) < 0)
		return rc;
	if ((rc = consort__json_member(&it, root, "seconds", rd->name, "", rd->err)) < 0)
		return rc;
	if (it && (rc = consort__json_want_number(seconds, it, rd->name, "seconds", rd->err)) < 0)
		return rc;
	return 0;
}

static int read_head(consort_status *st, const char **engine, const cJSON *root, const reader *rd)
{
	const cJSON *it;
	const char *text;
	int rc = consort__json_want_object(root, rd->name, "(root)", rd->err);
	if (rc < 0 || (rc = consort__json_member(&it, root, "format", rd->name, "", rd->err)) < 0)
		return rc;
	if (!it)
		return fail(rd, "format", "missing (expected \"" CONSORT_PROPOSAL_FORMAT "\")");
	if ((rc = consort__json_want_string(&text, it, rd->name, "format", rd->err)) < 0)
		return rc;
	if (strcmp(text, CONSORT_PROPOSAL_FORMAT))
		return fail(rd, "format", "expected \"" CONSORT_PROPOSAL_FORMAT "\"");
	if ((rc = consort__json_member(&it, root, "status", rd->name, "", rd->err)) < 0)
		return rc;
	if (!it)
		return fail(rd, "status", "missing");
	if ((rc = consort__json_want_string(&text, it, rd->name, "status", rd->err)) < 0)
		return rc;
	if (status_of(st, text) < 0)
		return fail(rd, "status", "expected optimal, feasible, infeasible or stopped");
	*engine = "file";
	if ((rc = consort__json_member(&it, root, "engine", rd->name, "", rd->err)) < 0)
		return rc;
	if (it && (rc = consort__json_want_string(engine, it, rd->name, "engine", rd->err)) < 0)
		return rc;
	return 0;
}

/* Builds the proposal and holds its recomputed numbers against the file's. */
static int build(consort_proposal **out, const cJSON *root, const reader *rd)
{
	consort_status st = CONSORT_STATUS_STOPPED;
	const char *engine;
	double objective, bound, seconds;
	int k = 0, rc;
	if ((rc = read_head(&st, &engine, root, rd)) < 0 ||
	    (rc = read_numbers(&objective, &bound, &seconds, root, rd)) < 0)
		return rc;
	int solved = st == CONSORT_STATUS_OPTIMAL || st == CONSORT_STATUS_FEASIBLE;
	int *assign = malloc(((size_t)rd->pb->n + 1) * sizeof(int));
	if (!assign)
		return consort__error_nomem(rd->err);
	for (int i = 0; i < rd->pb->n; i++)
		assign[i] = -2; /* not yet seen */
	if ((rc = read_consortia(assign, &k, root, solved, rd)) < 0 ||
	    (rc = check_everyone(assign, solved, rd)) < 0)
		goto done;
	if (solved && isnan(objective)) {
		rc = fail(rd, "objective", "missing");
		goto done;
	}
	if (solved && (rc = consort__proposal_new(out, rd->pb, st, assign, k, bound, seconds, engine,
			       rd->err)) < 0)
		goto done;
	if (!solved) {
		rc = consort__proposal_new(out, rd->pb, st, NULL, 0, bound, seconds, engine, rd->err);
		goto done;
	}
	double mine = consort_proposal_objective(*out);
	char msg[200], a[32], b[32];
	if (rd->rescore && (fabs(mine - objective) > 1e-5 * fmax(1.0, fabs(mine)) ||
			   bound < mine - 1e-5 * fmax(1.0, fabs(mine)))) {
		/* Made under other ratings or scoring: its status and bound say nothing here. */
		consort_proposal_free(*out);
		*out = NULL;
		rc = consort__proposal_new(out, rd->pb, CONSORT_STATUS_FEASIBLE, assign, k, INFINITY, seconds, engine,
			rd->err);
		goto done;
	}
	if (fabs(mine - objective) > 1e-5 * fmax(1.0, fabs(mine))) {
		snprintf(msg, sizeof(msg),
			"%s does not match the session's weights (%s): was it made for other ratings or scoring?",
			consort__json_number_text(a, sizeof(a), objective),
			consort__json_number_text(b, sizeof(b), mine));
		rc = fail(rd, "objective", msg);
	} else if (bound < mine - 1e-5 * fmax(1.0, fabs(mine))) {
		rc = fail(rd, "bound", "below the objective: not a bound");
	}
	if (rc < 0) {
		consort_proposal_free(*out);
		*out = NULL;
	}
done:
	free(assign);
	return rc;
}

static int parse(consort_proposal **out, const char *data, size_t len, const char *name,
	const consort_session *s, int rescore, consort_error *err)
{
	if (!out || !data || !s)
		return consort__error(err, CONSORT_EUSAGE, "proposal: nothing to read");
	*out = NULL;
	if (!name)
		name = "proposal";
	consort__problem *pb = NULL;
	cJSON *root = NULL;
	int rc = consort__problem_build(&pb, s, err);
	if (rc < 0)
		return rc;
	if ((rc = consort__json_parse(&root, data, len, name, err)) == 0) {
		reader rd = {name, s, pb, err, rescore};
		rc = build(out, root, &rd);
	}
	cJSON_Delete(root);
	consort__problem_free(pb);
	return rc;
}

int consort_proposal_parse(consort_proposal **out, const char *data, size_t len, const char *name,
	const consort_session *s, consort_error *err)
{
	return parse(out, data, len, name, s, 0, err);
}

int consort_proposal_parse_rescored(consort_proposal **out, const char *data, size_t len, const char *name,
	const consort_session *s, consort_error *err)
{
	return parse(out, data, len, name, s, 1, err);
}

static int load(consort_proposal **out, const char *path, const consort_session *s, int rescore,
	consort_error *err)
{
	char *data = NULL;
	size_t len = 0;
	if (out)
		*out = NULL;
	int rc = consort__file_read(&data, &len, path, err);
	if (rc < 0)
		return rc;
	rc = parse(out, data, len, path, s, rescore, err);
	free(data);
	return rc;
}

int consort_proposal_load(consort_proposal **out, const char *path, const consort_session *s,
	consort_error *err)
{
	return load(out, path, s, 0, err);
}

int consort_proposal_load_rescored(consort_proposal **out, const char *path, const consort_session *s,
	consort_error *err)
{
	return load(out, path, s, 1, err);
}
