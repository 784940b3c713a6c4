/* consort: turn the ratings of a speed-dating networking session into proposed consortia. */
#ifndef CONSORT_H
#define CONSORT_H

#include "consort/common.h"
#include "consort/session.h"
#include "consort/scoring.h"
#include "consort/proposal.h"
#include "consort/solve.h"
#include "consort/csv.h"
#include "consort/schedule.h"
#include "consort/bench.h"
#include "consort/simulate.h"
#include "consort/report.h"
#include "consort/advice.h"

#endif
