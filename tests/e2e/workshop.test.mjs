// End-to-end: a 15-participant live workshop (examples/pirkanmaa-2018.json) run through `consort serve` in
// headless Chromium — import, schedule, keyboard rating grid, participants' phones, rules, proposal, locks.
// Needs CONSORT_BIN (the consort executable) and Chromium; skips cleanly without them.
// CONSORT_E2E_MOCK=1 runs the same script against tests/e2e/mock-server.mjs instead (for UI work).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const EXAMPLE = path.join(ROOT, 'examples/pirkanmaa-2018.json');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CONSORT_BIN = process.env.CONSORT_BIN || '';
const USE_MOCK = process.env.CONSORT_E2E_MOCK === '1';
const SECRET = 'e2e0123456789abcdef0123456789abc';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Screenshots go to tests/e2e/screenshots/ (committed, shown in the README) when CONSORT_E2E_SCREENSHOTS is
// set (to 1 or to a folder); otherwise to a temporary folder, so a test run leaves the work tree alone.
function screenshotDir(tmp) {
	const v = process.env.CONSORT_E2E_SCREENSHOTS;
	const dir = !v ? path.join(tmp, 'screenshots') : v === '1' ? path.join(HERE, 'screenshots') : path.resolve(v);
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

async function whyskip() {
	if (!USE_MOCK && !CONSORT_BIN) return 'CONSORT_BIN is not set (the path of the consort executable)';
	if (!USE_MOCK && !fs.existsSync(CONSORT_BIN)) return 'CONSORT_BIN does not exist: ' + CONSORT_BIN;
	if (!fs.existsSync(CHROMIUM)) return 'Chromium is not installed (' + CHROMIUM + '; Debian package chromium)';
	try {
		await import('playwright-core');
	} catch (e) {
		return 'playwright-core is not installed (npm ci --prefix tests/e2e)';
	}
	return null;
}

// ------------------------------------------------------------------ the server under test
async function startServer(dir) {
	if (USE_MOCK) {
		const { createMockServer } = await import('./mock-server.mjs');
		const bin = process.env.CONSORT_SOLVE_BIN || path.join(ROOT, 'build/consort');
		const mock = createMockServer({ secret: SECRET, consortBin: fs.existsSync(bin) ? bin : '' });
		const { url, facilitator } = await mock.listen(0);
		return { base: url.replace(/\/$/, ''), facilitator, stop: async () => { await mock.close(); return { code: 0, signal: null }; }, output: () => '' };
	}
	const db = path.join(dir, 'workshop.db');
	const proc = spawn(CONSORT_BIN, ['serve', '--db', db, '--port', '0', '--secret', SECRET], { stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	proc.stdout.on('data', (d) => { out += d; });
	proc.stderr.on('data', (d) => { out += d; });
	const facilitator = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('consort serve printed no facilitator URL in 20 s:\n' + out)), 20000);
		const check = () => {
			const m = /facilitator:\s*(https?:\/\/\S+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		};
		proc.stdout.on('data', check);
		proc.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error('consort serve exited with ' + code + ':\n' + out));
		});
	});
	return {
		base: new URL(facilitator).origin,
		facilitator,
		output: () => out,
		// SIGTERM: consort serve closes the database and exits 0 (a sanitizer build reports leaks then).
		stop: () => new Promise((resolve) => {
			if (proc.exitCode !== null || proc.signalCode !== null) return resolve({ code: proc.exitCode, signal: proc.signalCode });
			const kill = setTimeout(() => proc.kill('SIGKILL'), 10000);
			proc.on('exit', (code, signal) => {
				clearTimeout(kill);
				resolve({ code, signal });
			});
			proc.kill('SIGTERM');
		}),
	};
}

function apiClient(base, token) {
	return async (method, p, body) => {
		const init = { method, headers: { Authorization: 'Bearer ' + token } };
		if (body !== undefined) {
			init.headers['Content-Type'] = 'application/json';
			init.body = JSON.stringify(body);
		}
		const res = await fetch(base + p, init);
		const text = await res.text();
		let data = null;
		try {
			data = text ? JSON.parse(text) : null;
		} catch (e) {
			data = text;
		}
		return { status: res.status, data, type: res.headers.get('content-type') || '' };
	};
}

// Script errors and console errors (a Content-Security-Policy refusal, say) of a page go to `errors`;
// failed requests are not counted: some are expected (409 on a duplicate id, 404 before the first proposal).
function watch(page, errors, who) {
	page.on('pageerror', (e) => errors.push(who + ': ' + e.message));
	page.on('console', (m) => {
		if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(who + ': console: ' + m.text());
	});
}

// A screenshot for the README: at the top of the page, without the passing notice.
async function shoot(page, file, opts = {}) {
	await page.evaluate(() => {
		const n = document.querySelector('#notice');
		if (n) n.hidden = true;
		window.scrollTo(0, 0);
	});
	await page.screenshot({ path: file, ...opts });
}

const fmtSigned = (x) => {
	const r = Math.round(x * 10) / 10;
	return (r > 0 ? '+' : r < 0 ? '−' : '±') + Math.abs(r).toFixed(1);
};

// A server with its own database, and Chromium, both stopped when the test ends.
async function setup(t) {
	const { chromium } = await import('playwright-core');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consort-e2e-'));
	const server = await startServer(dir);
	let browser = null;
	t.after(async () => {
		if (browser) await browser.close().catch(() => {});
		await server.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	});
	const stopServer = async () => {
		const end = await server.stop();
		const out = server.output();
		assert.ok(!/Sanitizer|runtime error:/.test(out), 'consort serve reported:\n' + out);
		assert.deepEqual(end, { code: 0, signal: null }, 'consort serve did not stop cleanly on SIGTERM:\n' + out);
	};
	// playwright-core starts Chromium with a fresh, empty --user-data-dir of its own.
	browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
	return { dir, server, browser, stopServer, admin: apiClient(server.base, SECRET) };
}

// ------------------------------------------------------------------ the workshop
const skip = await whyskip();

test('live workshop: 15 participants from import to proposal in the browser', { skip: skip || false, timeout: 300000 }, async (t) => {
	const { dir, server, browser, admin, stopServer } = await setup(t);
	const shots = screenshotDir(dir);
	const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
	const truth = new Map(example.ratings.map((r) => [r.from + '>' + r.to, r.score]));
	const ids = example.participants.map((p) => p.id);
	const nameOf = new Map(example.participants.map((p) => [p.id, p.name]));
	const sessionFile = path.join(dir, 'pirkanmaa-workshop.json');
	fs.writeFileSync(sessionFile, JSON.stringify({ ...example, ratings: [] }, null, 2));
	const errors = [];

	const desk = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
	const page = await desk.newPage();
	watch(page, errors, 'facilitator');
	page.setDefaultTimeout(15000);
	const uiEntered = new Set();

	await t.test('the facilitator page signs in with the secret from the URL and hides it', async () => {
		await page.goto(server.facilitator);
		await page.waitForSelector('#app:not([hidden])');
		assert.ok(!page.url().includes(SECRET), 'the secret is still in the address bar: ' + page.url());
		assert.equal(await page.evaluate(() => localStorage.getItem('consort.secret')), SECRET);
		await page.reload();
		await page.waitForSelector('#app:not([hidden])');
		assert.equal(await page.isVisible('#login'), false, 'the secret was not kept after a reload');
	});

	await t.test('import the session through the file input', async () => {
		await page.click('[data-testid=tab-participants]');
		await page.setInputFiles('#import-session', sessionFile);
		await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="participant-row-"]').length === n, ids.length);
		assert.match(await page.textContent('#session-title'), /Pirkanmaa/);
		await page.waitForFunction(() => /Imported .*: 15 participants, 0 ratings/.test(document.querySelector('#notice').textContent));
		const list = (await admin('GET', '/api/participants')).data;
		assert.deepEqual(list.map((p) => p.id).sort(), ids.slice().sort());
		// Each row has the personal link and its QR image (fetched with the secret).
		const href = await page.getAttribute('[data-testid=link-a1]', 'href');
		assert.equal(href, server.base + list.find((p) => p.id === 'a1').link);
		await page.waitForFunction(() => (document.querySelector('[data-testid=qr-a1]').src || '').startsWith('blob:'));
		const qr = await admin('GET', '/api/participants/a1/qr.svg');
		assert.equal(qr.status, 200);
		assert.match(qr.type, /image\/svg\+xml/);
		await page.click('[data-testid=qr-a1]');
		await page.waitForSelector('#qr-overlay:not([hidden])');
		await page.keyboard.press('Escape');
		await page.waitForSelector('#qr-overlay', { state: 'hidden' });
	});

	await t.test('add and remove a participant; an API error is shown plainly', async () => {
		await page.fill('#add-id', 'a1');
		await page.fill('#add-name', 'Duplicate');
		await page.fill('#add-sector', 'association');
		await page.click('#add-submit');
		await page.waitForSelector('#error:not([hidden])');
		assert.ok((await page.textContent('#error-text')).length > 3, 'the error message is empty');
		assert.equal((await admin('GET', '/api/participants')).data.length, 15);
		await page.click('#error-close');
		await page.fill('#add-id', 'x1');
		await page.fill('#add-name', 'Extra Oy');
		await page.fill('#add-sector', 'firm');
		await page.fill('#add-offers', 'cleaning; catering');
		await page.click('#add-submit');
		await page.waitForSelector('[data-testid=participant-row-x1]');
		const x1 = (await admin('GET', '/api/participants')).data.find((p) => p.id === 'x1');
		assert.deepEqual(x1.offers, ['cleaning', 'catering']);
		await page.click('[data-testid=remove-x1]');
		await page.click('[data-testid=remove-x1]');	// the second click confirms
		await page.waitForSelector('[data-testid=participant-row-x1]', { state: 'detached' });
		assert.equal((await admin('GET', '/api/participants')).data.length, 15);
	});

	let schedule;
	await t.test('lay out the schedule on 5 tables and start round 1', async () => {
		await page.click('[data-testid=tab-schedule]');
		await page.fill('#sched-tables', '5');
		await page.fill('#sched-minutes', '7');
		await page.fill('#sched-changeover', '2');
		await page.click('#sched-save');
		schedule = (await admin('GET', '/api/schedule?tables=5&minutes=7&changeover=2')).data;
		assert.ok(schedule.rounds.length >= 21, 'at least 105 pairs / 5 tables rounds');
		await page.waitForFunction((n) => document.querySelectorAll('#rounds-table tbody tr').length === n, schedule.rounds.length);
		const settings = (await admin('GET', '/api/schedule/settings')).data;
		assert.equal(settings.tables, 5);
		assert.equal(settings.minutes, 7);
		assert.equal(settings.changeover, 2);
		for (const r of schedule.rounds) assert.ok(r.tables.length <= 5);

		await page.click('#round-next');
		await page.waitForFunction(() => document.querySelector('#current-round').textContent === '1');
		await page.waitForFunction(() => /^[67]:\d\d$/.test(document.querySelector('#timer').textContent));
		const cards = await page.$$('[data-testid^=pair-card-]');
		assert.equal(cards.length, schedule.rounds[0].tables.length);
		assert.match(await page.textContent('#top-round'), /Round 1 of/);
		await shoot(page, path.join(shots, 'facilitator-schedule.png'));
	});

	const typeDigits = async (cells) => {
		for (const [from, to] of cells) {
			await page.keyboard.press(String(truth.get(from + '>' + to)));
			uiEntered.add(from + '>' + to);
		}
	};
	const waitSaved = (testid) => page.waitForSelector('[data-testid="' + testid + '"][data-state="saved"]');

	await t.test('rate the current round first, from the keyboard', async () => {
		await page.click('[data-testid=tab-ratings]');
		const strip = await page.$$eval('#round-strip td.cell', (tds) => tds.map((td) => [td.dataset.from, td.dataset.to]));
		assert.equal(strip.length, 2 * schedule.rounds[0].tables.length);
		const firstPair = schedule.rounds[0].tables[0].pair;
		assert.deepEqual(strip[0], firstPair);
		await page.click('[data-testid="round-cell-' + strip[0][0] + '-' + strip[0][1] + '"]');
		await typeDigits(strip);
		for (const [from, to] of strip) await waitSaved('round-cell-' + from + '-' + to);
		// The grid shows the same ratings, highlighted as this round's.
		const [a, b] = firstPair;
		await page.waitForSelector('[data-testid="cell-' + a + '-' + b + '"].in-round[data-score="' + truth.get(a + '>' + b) + '"]');
	});

	await t.test('type two full rows in the grid: digits move on, arrows move, Backspace clears', async () => {
		// Row a1 then row a2: a digit saves and moves right, then on to the next row.
		const rows = ['a1', 'a2'];
		const cells = [];
		for (const r of rows) for (const c of ids) if (c !== r) cells.push([r, c]);
		await page.click('[data-testid=cell-a1-a2]');
		await typeDigits(cells);
		for (const [from, to] of cells) await waitSaved('cell-' + from + '-' + to);
		let stored = (await admin('GET', '/api/ratings')).data;
		for (const [from, to] of cells) {
			const r = stored.find((x) => x.from === from && x.to === to);
			assert.ok(r, 'rating ' + from + '→' + to + ' not stored');
			assert.equal(r.score, truth.get(from + '>' + to), from + '→' + to);
			assert.equal(r.by, 'facilitator');
		}

		// A correction: a wrong score, arrows away and back, the right score.
		await page.click('[data-testid=cell-a1-a3]');
		const wrong = truth.get('a1>a3') === 1 ? '2' : '1';
		await page.keyboard.press(wrong);
		await page.waitForSelector('[data-testid=cell-a1-a3][data-state=saved][data-score="' + wrong + '"]');
		const focused = () => page.evaluate(() => document.activeElement.dataset.testid);
		assert.equal(await focused(), 'cell-a1-a4', 'a digit moves to the next cell');
		const moves = [['ArrowLeft', 'cell-a1-a3'], ['ArrowDown', 'cell-a2-a3'], ['ArrowLeft', 'cell-a2-a1'],
			['ArrowRight', 'cell-a2-a3'], ['ArrowUp', 'cell-a1-a3']];
		for (const [k, want] of moves) {
			await page.keyboard.press(k);
			assert.equal(await focused(), want, k + ' (the diagonal is skipped)');
		}
		await page.keyboard.press(String(truth.get('a1>a3')));
		await page.waitForSelector('[data-testid=cell-a1-a3][data-state=saved][data-score="' + truth.get('a1>a3') + '"]');

		// Backspace clears the rating on the server (score null); typing puts it back.
		await page.click('[data-testid=cell-a2-a3]');
		await page.keyboard.press('Backspace');
		await page.waitForSelector('[data-testid=cell-a2-a3][data-state=saved][data-score=""]');
		stored = (await admin('GET', '/api/ratings')).data;
		assert.ok(!stored.some((x) => x.from === 'a2' && x.to === 'a3'), 'Backspace did not delete a2→a3');
		await page.keyboard.press(String(truth.get('a2>a3')));
		await page.waitForSelector('[data-testid=cell-a2-a3][data-state=saved][data-score="' + truth.get('a2>a3') + '"]');

		// A digit outside the scale is refused in the page and sends nothing.
		await page.click('[data-testid=cell-a1-f1]');
		await page.keyboard.press('9');
		assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'cell-a1-f1');
		assert.match(await page.textContent('#grid-status'), /1 to 5/);
	});

	await t.test('a rating the server refuses is marked not saved, and retyping saves it', async () => {
		await page.route('**/api/ratings', (route) => (route.request().method() === 'PUT'
			? route.fulfill({ status: 400, contentType: 'application/json', body: '{"error": "rating: refused by the test"}' })
			: route.continue()));
		await page.click('[data-testid=cell-a3-a4]');
		await page.keyboard.press('4');
		await page.waitForSelector('[data-testid=cell-a3-a4][data-state=failed]');
		assert.match(await page.textContent('#error-text'), /refused by the test/);
		await page.unroute('**/api/ratings');
		await page.click('[data-testid=cell-a3-a4]');
		await page.keyboard.press(String(truth.get('a3>a4')));
		await page.waitForSelector('[data-testid=cell-a3-a4][data-state=saved]');
		uiEntered.add('a3>a4');
		await page.click('#error-close');
	});

	await t.test('advance to round 3', async () => {
		await page.click('[data-testid=tab-schedule]');
		await page.click('#round-next');
		await page.waitForFunction(() => document.querySelector('#current-round').textContent === '2');
		await page.click('#round-next');
		await page.waitForFunction(() => document.querySelector('#current-round').textContent === '3');
		await page.waitForSelector('#round-row-3.current');
	});

	// Participants (not a1/a2, whose rows the facilitator typed) who met at least two people by round 3.
	const metBy = (id) => schedule.rounds.filter((r) => r.round <= 3).flatMap((r) => r.tables)
		.filter((x) => x.pair.includes(id)).map((x) => (x.pair[0] === id ? x.pair[1] : x.pair[0]));
	const phoneIds = ids.filter((id) => id !== 'a1' && id !== 'a2' && metBy(id).length >= 2).slice(0, 3);
	const phoneRated = [];

	await t.test('participants rate the people they met on their phones', async () => {
		assert.equal(phoneIds.length, 3, 'three participants who met two people by round 3');
		const list = (await admin('GET', '/api/participants')).data;
		let shot = false;
		const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
		try {
			for (const id of phoneIds) {
				const href = await page.getAttribute('[data-testid=link-' + id + ']', 'href');
				assert.equal(href, server.base + list.find((p) => p.id === id).link);
				const pp = await phone.newPage();
				watch(pp, errors, 'participant ' + id);
				await pp.goto(href);
				await pp.waitForFunction((name) => document.querySelector('#me-name').textContent === name, nameOf.get(id));
				assert.equal(await pp.textContent('#me-round'), '3');
				const token = href.split('/p/')[1];
				const me = await apiClient(server.base, token)('GET', '/api/me');
				assert.equal(me.status, 200);
				assert.deepEqual(me.data.met.slice().sort(), metBy(id).slice().sort(), 'met by ' + id + ' in round ' + me.data.round + ' (' + JSON.stringify(me.data.meetings.slice(0, 3)) + ')');
				// "Now" or "next": their table in round 3 or 4.
				const r3 = me.data.meetings.find((x) => x.round === 3);
				if (r3) assert.match(await pp.textContent('[data-testid=meet-now]'), new RegExp('Table ' + r3.table));
				await pp.waitForFunction((k) => document.querySelectorAll('#rate-list .rate-item').length === k, me.data.met.length);
				assert.ok(!(await pp.isVisible('[data-testid=rate-' + ids.find((x) => x !== id && !me.data.met.includes(x)) + ']')),
					'a participant not met yet is offered for rating');
				for (const [i, other] of me.data.met.entries()) {
					const score = truth.get(id + '>' + other);
					if (i === 0) {
						// Tap a wrong score first, then change it.
						const wrong = score === 5 ? 4 : score + 1;
						await pp.tap('[data-testid=rate-' + other + '-' + wrong + ']');
						await pp.waitForSelector('[data-testid="rate-' + other + '"][data-state=saved][data-score="' + wrong + '"]');
					}
					await pp.tap('[data-testid=rate-' + other + '-' + score + ']');
					await pp.waitForSelector('[data-testid="rate-' + other + '"][data-state=saved][data-score="' + score + '"]');
					assert.equal(await pp.getAttribute('[data-testid=rate-' + other + '-' + score + ']', 'aria-pressed'), 'true');
					assert.match(await pp.textContent('[data-testid=rate-status-' + other + ']'), /Saved/);
					phoneRated.push([id, other]);
				}
				// Only their own ratings come back, and only people they met can be rated.
				const mine = await pp.evaluate(async (tk) => (await fetch('/api/me/ratings', { headers: { Authorization: 'Bearer ' + tk } })).json(), token);
				for (const other of me.data.met) assert.ok(mine.some((r) => r.to === other), 'own rating of ' + other + ' missing');
				for (const r of mine) assert.equal(r.score, truth.get(id + '>' + r.to), 'own rating ' + id + '→' + r.to);
				assert.ok(mine.every((r) => Object.keys(r).every((k) => ['to', 'score', 'at'].includes(k))), 'only to, score and at');
				const notMet = ids.find((x) => x !== id && !me.data.met.includes(x));
				const refused = await pp.evaluate(async ([tk, to]) => (await fetch('/api/me/ratings', {
					method: 'PUT', headers: { Authorization: 'Bearer ' + tk, 'Content-Type': 'application/json' }, body: JSON.stringify({ to, score: 3 }),
				})).status, [token, notMet]);
				assert.equal(refused, 403, 'rating someone not met yet must be refused');
				const adminRefused = await pp.evaluate(async (tk) => (await fetch('/api/ratings', { headers: { Authorization: 'Bearer ' + tk } })).status, token);
				assert.equal(adminRefused, 403, 'a participant token must not read all ratings');
				// Reloading shows the saved scores.
				await pp.reload();
				await pp.waitForSelector('[data-testid="rate-' + me.data.met[0] + '"][data-state=saved][data-score="' + truth.get(id + '>' + me.data.met[0]) + '"]');
				if (r3 && !shot) {
					await shoot(pp, path.join(shots, 'participant-phone.png'));
					shot = true;
				}
				await pp.close();
			}
		} finally {
			await phone.close();
		}
	});

	await t.test('the facilitator grid shows the participants\' ratings live', async () => {
		await page.click('[data-testid=tab-ratings]');
		await page.evaluate(() => window.scrollTo(0, 0));
		for (const [from, to] of phoneRated) {
			await page.waitForSelector('[data-testid="cell-' + from + '-' + to + '"][data-by=participant][data-score="' + truth.get(from + '>' + to) + '"]', { timeout: 20000 });
		}
	});

	await t.test('the rest of the ratings arrive (API) and Progress shows them all', async () => {
		const stored = new Set((await admin('GET', '/api/ratings')).data.map((r) => r.from + '>' + r.to));
		let viaApi = 0;
		for (const [k, score] of truth) {
			if (stored.has(k)) continue;
			const [from, to] = k.split('>');
			const res = await admin('PUT', '/api/ratings', { from, to, score });
			assert.equal(res.status, 200, JSON.stringify(res.data));
			viaApi++;
		}
		const all = (await admin('GET', '/api/ratings')).data;
		assert.equal(all.length, truth.size);
		for (const r of all) assert.equal(r.score, truth.get(r.from + '>' + r.to), r.from + '→' + r.to);
		assert.ok(uiEntered.size + phoneRated.length >= 20, 'at least 20 ratings through the pages');
		assert.equal(truth.size - viaApi >= uiEntered.size, true);
		// The grid fills in by polling; the participants' entries stay marked.
		await page.waitForFunction((n) => document.querySelector('#count-ratings').textContent === String(n), truth.size, { timeout: 20000 });
		await page.waitForSelector('[data-testid="cell-' + phoneRated[0][0] + '-' + phoneRated[0][1] + '"][data-by=participant]');
		await shoot(page, path.join(shots, 'facilitator-grid.png'));

		await page.click('[data-testid=tab-progress]');
		const progress = (await admin('GET', '/api/progress')).data;
		assert.equal(progress.rated, progress.pairs);
		await page.waitForFunction((n) => document.querySelector('[data-testid=progress-rated]')?.textContent.startsWith(String(n)), progress.rated);
		assert.equal(await page.$$eval('#progress-table tbody tr', (rows) => rows.length), 15);
		assert.match(await page.textContent('#missing-list'), /Nothing missing/);
	});

	await t.test('the rules shown are the session\'s; a change is saved', async () => {
		await page.click('[data-testid=tab-rules]');
		assert.equal(await page.inputValue('#rules-consortia-mode'), 'exact');
		assert.equal(await page.inputValue('#rules-consortia-min'), '2');
		assert.equal(await page.inputValue('[data-testid=rules-sector-association-min]'), '1');
		assert.equal(await page.inputValue('[data-testid=rules-sector-firm-min]'), '1');
		await page.fill('#rules-size-max', '9');
		await page.click('#rules-save');
		await page.waitForFunction(() => document.querySelector('#rules-state').textContent.includes('Saved'));
		const doc = (await admin('GET', '/api/rules')).data;
		assert.equal(doc.rules.consortia, 2);
		assert.equal(doc.rules.size.max, 9);
		assert.deepEqual(doc.rules.sectors, example.rules.sectors);
		assert.equal(doc.scoring.combine ?? 'mean', 'mean');
		assert.equal(doc.scoring.neutral ?? 3, 3);
	});

	let members;
	await t.test('"Propose consortia": 2 consortia, optimal, everyone once, with each member\'s ratings and fit', async () => {
		await page.click('[data-testid=tab-proposal]');
		await page.click('#propose');
		await page.waitForSelector('[data-testid=proposal-status]');
		const cli = JSON.parse(execFileSync(process.env.CONSORT_SOLVE_BIN || CONSORT_BIN || path.join(ROOT, 'build/consort'),
			['solve', EXAMPLE, '--format', 'json', '-q', '--time-limit', '30']).toString());
		assert.equal(await page.getAttribute('[data-testid=proposal-status]', 'data-status'), 'optimal');
		assert.equal(await page.textContent('[data-testid=proposal-count]'), '2');
		assert.equal(Number(await page.textContent('[data-testid=proposal-objective]')), cli.objective);
		assert.equal((await page.$$('[data-testid^=consortium-]')).length, 2);
		members = await page.$$eval('[data-testid^=consortium-]', (cs) => cs.map((c) =>
			Array.from(c.querySelectorAll('tr[data-member]')).map((tr) => tr.dataset.member)));
		const flat = members.flat();
		assert.equal(flat.length, 15, 'every participant listed once');
		assert.deepEqual(flat.slice().sort(), ids.slice().sort());
		// Each member's ratings to and from its consortium, and its fit.
		for (const group of members) {
			for (const m of group) {
				let fit = 0;
				for (const o of group) {
					if (o === m) continue;
					fit += (truth.get(m + '>' + o) + truth.get(o + '>' + m)) / 2 - 3;
					assert.equal(await page.textContent('[data-testid=mini-' + m + '-' + o + ']'), String(truth.get(m + '>' + o)));
				}
				assert.equal(await page.textContent('[data-testid=fit-' + m + ']'), fmtSigned(fit), 'fit of ' + m);
			}
		}
	});

	await t.test('lock a member with a consortium mate and propose again', async () => {
		const m = members[1][0];
		await page.click('[data-testid=lock-' + m + ']');
		assert.equal(await page.getAttribute('[data-testid=lock-' + m + ']', 'aria-pressed'), 'true');
		const [req] = await Promise.all([
			page.waitForRequest((r) => r.url().endsWith('/api/solve') && r.method() === 'POST'),
			page.click('#propose'),
		]);
		const body = req.postDataJSON();
		assert.equal(body.locks.length, 1);
		assert.equal(body.locks[0].id, m);
		assert.ok(members[1].includes(body.locks[0].with), 'locked with a mate from its consortium');
		await page.waitForSelector('#propose:not([disabled])');
		assert.equal(await page.getAttribute('[data-testid=proposal-status]', 'data-status'), 'optimal');
		assert.equal(await page.getAttribute('[data-testid=lock-' + m + ']', 'aria-pressed'), 'true');
		const stored = (await admin('GET', '/api/proposal')).data;
		assert.ok(stored.consortia.some((c) => c.members.includes(m) && c.members.includes(body.locks[0].with)));
		await shoot(page, path.join(shots, 'facilitator-proposal.png'), { fullPage: true });
	});

	await t.test('export the proposal as CSV from the page', async () => {
		const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-proposal')]);
		assert.equal(download.suggestedFilename(), 'proposal.csv');
		const text = fs.readFileSync(await download.path(), 'utf8');
		assert.match(text, /^consortium,lot,id,name,sector,fit\r?\n/);
		assert.equal(text.trim().split(/\r?\n/).length, 16);
	});

	await t.test('"Report" opens the workshop report in a new tab: n × n heatmap cells, n nodes, the latest proposal', async () => {
		const n = ids.length;
		const [report] = await Promise.all([desk.waitForEvent('page'), page.click('[data-testid=report-open]')]);
		watch(report, errors, 'report');
		await report.waitForFunction(() => location.protocol === 'blob:' && document.querySelector('svg.network'));
		assert.equal(await report.title(), example.title);
		assert.equal(await report.$$eval('svg.heatmap rect.cell', (r) => r.length), n * n);
		assert.equal(await report.$$eval('svg.heatmap rect.cell.self', (r) => r.length), n);
		assert.equal(await report.$$eval('svg.network g.node', (g) => g.length), n);
		assert.equal(await report.$$eval('script', (s) => s.length), 0);
		// The report's style sheet applies (the page's CSP allows it by hash): consortium 1's colour.
		assert.equal(await report.$eval('.swatch.g0', (e) => getComputedStyle(e).backgroundColor), 'rgb(27, 158, 119)');
		// Its consortia are the latest proposal's (the one with the lock), members by id.
		const stored = (await admin('GET', '/api/proposal')).data;
		const shown = await report.$$eval('div.consortium table.members tbody', (bs) => bs.map((b) =>
			Array.from(b.querySelectorAll('tr')).map((tr) => tr.cells[0].textContent)));
		assert.deepEqual(shown.map((m) => m.slice().sort()), stored.consortia.map((c) => c.members.slice().sort()));
		assert.ok((await report.textContent('ul.rules')).includes('work in the same consortium'), 'the lock is a rule of the report');
		for (const id of ids.slice(0, 3)) assert.ok((await report.textContent('section.consortia')).includes(nameOf.get(id)));
		await report.locator('section.ratings figure').screenshot({ path: path.join(shots, 'report-heatmap.png') });
		await report.locator('section.network-section figure').screenshot({ path: path.join(shots, 'report-network.png') });
		await report.close();
	});

	await t.test('"Download report" saves consort-report.html', async () => {
		const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=report-download]')]);
		assert.equal(download.suggestedFilename(), 'consort-report.html');
		const html = fs.readFileSync(await download.path(), 'utf8');
		assert.match(html, /^<!DOCTYPE html>/);
		assert.equal(html.match(/<rect class="cell/g).length, ids.length * ids.length);
	});

	await t.test('import CSV files (participants and a ratings matrix) through the page', async () => {
		const csvq = (s) => (/[",;\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s);
		const pcsv = path.join(dir, 'participants.csv'), rcsv = path.join(dir, 'ratings.csv');
		fs.writeFileSync(pcsv, 'id,name,sector,offers\n' + example.participants.map((p) =>
			[p.id, csvq(p.name), p.sector, csvq(p.offers.join(';'))].join(',')).join('\n') + '\n');
		fs.writeFileSync(rcsv, 'id,' + ids.join(',') + '\n' + ids.map((r) =>
			[r, ...ids.map((c) => (truth.has(r + '>' + c) ? String(truth.get(r + '>' + c)) : ''))].join(',')).join('\n') + '\n');
		await page.click('[data-testid=tab-participants]');
		await page.setInputFiles('#import-participants-csv', pcsv);
		await page.setInputFiles('#import-ratings-csv', rcsv);
		await page.click('#import-csv');
		await page.waitForFunction(() => /from CSV/.test(document.querySelector('#notice').textContent));
		assert.match(await page.textContent('#notice'), /15 participants and 210 ratings/);
		const session = (await admin('GET', '/api/session')).data;
		assert.equal(session.participants.length, 15);
		assert.equal(session.ratings.length, 210);
		assert.deepEqual(session.participants.find((p) => p.id === 'a2').offers, ['job training', 'kitchen']);
		// A bad file is refused with the reader's one-line message, and the workshop is kept.
		fs.writeFileSync(pcsv, 'id,name,sector,offers\na1,A,firm,\na1,B,firm,\n');
		await page.setInputFiles('#import-participants-csv', pcsv);
		await page.click('#import-csv');
		await page.waitForSelector('#error:not([hidden])');
		assert.match(await page.textContent('#error-text'), /a1/);
		assert.equal((await admin('GET', '/api/participants')).data.length, 15);
	});

	await t.test('no script errors in any page', () => {
		assert.deepEqual(errors, []);
	});

	await t.test('consort serve stops cleanly on SIGTERM, with no sanitizer report', stopServer);
});

test('a 0–10 scale: multi-digit typing in the grid and eleven buttons on the phone; schedule across sectors', { skip: skip || false, timeout: 120000 }, async (t) => {
	const { dir, server, browser, admin, stopServer } = await setup(t);
	const session = {
		format: 'consort-session/1', title: 'Small 0–10', scale: { min: 0, max: 10 },
		participants: [
			{ id: 'a1', name: 'Alpha ry', sector: 'association', offers: ['coaching'] },
			{ id: 'a2', name: 'Beta ry', sector: 'association', offers: [] },
			{ id: 'f1', name: 'Gamma Oy', sector: 'firm', offers: ['cleaning'] },
			{ id: 'f2', name: 'Delta Oy', sector: 'firm', offers: [] },
		],
		ratings: [],
	};
	const file = path.join(dir, 'small.json');
	fs.writeFileSync(file, JSON.stringify(session));
	const errors = [];
	const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
	watch(page, errors, 'facilitator');
	page.setDefaultTimeout(15000);
	await page.goto(server.facilitator);
	await page.waitForSelector('#app:not([hidden])');
	await page.setInputFiles('#import-session', file);
	await page.waitForFunction(() => document.querySelectorAll('[data-testid^="participant-row-"]').length === 4);

	// Only association × firm pairs meet: 4 meetings in 2 rounds of 2 tables.
	await page.click('[data-testid=tab-schedule]');
	await page.selectOption('#sched-cross-a', 'association');
	await page.selectOption('#sched-cross-b', 'firm');
	await page.click('#sched-save');
	await page.waitForFunction(() => /4 meetings/.test(document.querySelector('#schedule-summary').textContent));
	assert.deepEqual((await admin('GET', '/api/schedule/settings')).data.cross, ['association', 'firm']);
	const rounds = await page.$$eval('#rounds-table tbody tr', (rows) => rows.length);
	assert.equal(rounds, 2);
	await page.click('#round-next');
	await page.waitForFunction(() => document.querySelector('#current-round').textContent === '1');

	// Two digits then Enter; a decimal comma; out of range is refused.
	await page.click('[data-testid=tab-ratings]');
	assert.match(await page.textContent('#scale-keys'), /0–10 then Enter/);
	await page.click('[data-testid=cell-a1-f1]');
	await page.keyboard.type('10');
	await page.keyboard.press('Enter');
	await page.waitForSelector('[data-testid=cell-a1-f1][data-state=saved][data-score="10"]');
	assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'cell-a1-f2');
	await page.keyboard.type('7,5');
	await page.keyboard.press('Enter');
	await page.waitForSelector('[data-testid=cell-a1-f2][data-state=saved][data-score="7.5"]');
	await page.keyboard.type('11');
	await page.keyboard.press('Enter');
	assert.match(await page.textContent('#grid-status'), /0 to 10/);
	await page.keyboard.press('0');
	await page.keyboard.press('ArrowRight');	// moving on commits the typed score
	await page.waitForSelector('[data-score="0"][data-state=saved][data-from=a2]');
	const stored = (await admin('GET', '/api/ratings')).data;
	assert.equal(stored.find((r) => r.from === 'a1' && r.to === 'f1').score, 10);
	assert.equal(stored.find((r) => r.from === 'a1' && r.to === 'f2').score, 7.5);

	// The phone: eleven buttons 0…10 for the partner of round 1 only.
	const f1link = await page.getAttribute('[data-testid=link-f1]', 'href');
	await page.click('[data-testid=tab-participants]');
	const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
	const pp = await phone.newPage();
	watch(pp, errors, 'participant');
	await pp.goto(f1link || (await page.getAttribute('[data-testid=link-f1]', 'href')));
	await pp.waitForSelector('#rate-list .rate-item');
	const items = await pp.$$('#rate-list .rate-item');
	assert.equal(items.length, 1, 'f1 has met one person in round 1');
	const partner = await items[0].getAttribute('data-testid');
	assert.equal(await pp.$$eval('#rate-list .score', (b) => b.length), 11);
	await pp.tap('[data-testid=' + partner + '-10]');
	await pp.waitForSelector('[data-testid=' + partner + '][data-state=saved][data-score="10"]');
	// No page ever shows another participant's scores: the phone has only its own.
	assert.ok(!(await pp.content()).includes('7.5'));
	await phone.close();
	assert.deepEqual(errors, []);
	await stopServer();
});

// Names that are markup, SQL, entities, quotes and non-ASCII text must show verbatim and never run.
test('hostile names and titles show verbatim as text on the facilitator page and the phone, and nothing runs', { skip: skip || false, timeout: 120000 }, async (t) => {
	const { server, browser, admin, stopServer } = await setup(t);
	const NAMES = {
		a1: '<img src=x onerror=alert(1)>',
		a2: '"; DROP TABLE participants; --',
		f1: 'Tom &amp; Jerry\'s "Café" — Ääkkönen 東京 🚀',
		f2: '</td><script>alert(2)</script><svg onload=alert(3)>',
	};
	const TITLE = '<b onmouseover=alert(4)>Workshop</b> &lt;&amp;&gt; "quoted" \'single\' ü';
	const OFFER = '<iframe src=javascript:alert(5)>';
	const session = {
		format: 'consort-session/1', title: TITLE, scale: { min: 1, max: 5 },
		participants: [
			{ id: 'a1', name: NAMES.a1, sector: 'association', offers: [OFFER] },
			{ id: 'a2', name: NAMES.a2, sector: 'association', offers: [] },
			{ id: 'f1', name: NAMES.f1, sector: 'firm', offers: ['cleaning & "care"'] },
			{ id: 'f2', name: NAMES.f2, sector: 'firm', offers: [] },
		],
		ratings: [{ from: 'a1', to: 'f1', score: 4 }, { from: 'f1', to: 'a1', score: 5 }],
		rules: { consortia: 2 },
	};
	assert.equal((await admin('PUT', '/api/session', session)).status, 200);
	assert.equal((await admin('PUT', '/api/schedule/settings', { tables: 2, minutes: 5, changeover: 1, start: null, cross: null })).status, 200);
	assert.equal((await admin('POST', '/api/round', { round: 1 })).status, 200);

	const errors = [];
	const dialogs = [];
	const listen = (page, who) => {
		watch(page, errors, who);
		page.on('dialog', (d) => {
			dialogs.push(who + ': ' + d.type() + ' ' + d.message());
			d.dismiss().catch(() => {});
		});
	};
	// Nothing the names hold became an element or an attribute of the page.
	const injected = (page) => page.evaluate(() => {
		const bad = [];
		for (const e of document.querySelectorAll('*')) {
			if (['SCRIPT', 'IFRAME'].includes(e.tagName) && !(e.tagName === 'SCRIPT' && /^\/static\//.test(e.getAttribute('src') || ''))) bad.push(e.outerHTML.slice(0, 80));
			if (e.tagName === 'IMG' && e.getAttribute('src') === 'x') bad.push(e.outerHTML.slice(0, 80));
			for (const a of e.attributes) if (/^on/i.test(a.name)) bad.push(e.tagName + ' ' + a.name);
		}
		return bad;
	});

	const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
	listen(page, 'facilitator');
	page.setDefaultTimeout(15000);
	await page.goto(server.facilitator);
	await page.waitForSelector('#app:not([hidden])');
	await page.click('[data-testid=tab-participants]');
	await page.waitForFunction(() => document.querySelectorAll('[data-testid^="participant-row-"]').length === 4);
	assert.equal(await page.textContent('#session-title'), TITLE);
	assert.equal(await page.title(), TITLE + ' — consort');
	for (const [id, name] of Object.entries(NAMES)) {
		assert.equal(await page.textContent('[data-testid=participant-row-' + id + '] td.strong'), name, 'participant row of ' + id);
	}
	assert.equal(await page.textContent('[data-testid=participant-row-a1] td.offers'), OFFER);
	// The rating grid (row names and tooltips), the schedule's pair cards and a proposal.
	await page.click('[data-testid=tab-ratings]');
	await page.waitForSelector('#grid tr[data-row=a1] .row-name');
	for (const [id, name] of Object.entries(NAMES)) {
		assert.equal(await page.textContent('#grid tr[data-row=' + id + '] .row-name'), name, 'grid row of ' + id);
		assert.equal(await page.getAttribute('#grid tr[data-row=' + id + '] th.row-head', 'title'), name + ' (' + session.participants.find((p) => p.id === id).sector + ')');
	}
	await page.click('[data-testid=tab-schedule]');
	await page.waitForSelector('[data-testid=pair-card-1]');
	const cards = await page.$$eval('#current-pairs .pair-names > div:not(.amp)', (ds) => ds.map((d) => d.textContent));
	assert.ok(cards.length >= 2 && cards.every((c) => Object.values(NAMES).includes(c)), 'pair cards: ' + JSON.stringify(cards));
	await page.click('[data-testid=tab-proposal]');
	await page.click('#propose');
	await page.waitForSelector('[data-testid=proposal-status]');
	const shown = await page.$$eval('tr[data-member]', (rows) => rows.map((tr) => [tr.dataset.member, tr.querySelector('td.member .strong').textContent]));
	assert.equal(shown.length, 4);
	for (const [id, name] of shown) assert.equal(name, NAMES[id], 'proposal member ' + id);
	assert.deepEqual(await injected(page), []);

	// Each participant's phone: their own name, their partner's, and the people to rate.
	const list = (await admin('GET', '/api/participants')).data;
	const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
	for (const p of list) {
		const pp = await phone.newPage();
		listen(pp, 'participant ' + p.id);
		await pp.goto(server.base + p.link);
		await pp.waitForFunction((name) => document.querySelector('#me-name').textContent === name, NAMES[p.id]);
		assert.equal(await pp.title(), NAMES[p.id] + ' — consort');
		const me = (await apiClient(server.base, p.token)('GET', '/api/me')).data;
		const now = me.meetings.find((x) => x.round === 1);
		if (now) {
			assert.equal(await pp.textContent('[data-testid=meet-now] .p-with'), NAMES[now.with.id]);
			await pp.waitForSelector('[data-testid=rate-' + now.with.id + '] .rate-name');
			assert.equal(await pp.textContent('[data-testid=rate-' + now.with.id + '] .rate-name'), NAMES[now.with.id]);
		}
		const itinerary = await pp.$$eval('#itinerary .it-with', (ds) => ds.map((d) => d.textContent));
		assert.deepEqual(itinerary, me.meetings.slice().sort((a, b) => a.round - b.round).map((x) => NAMES[x.with.id]));
		assert.deepEqual(await injected(pp), [], 'participant page of ' + p.id);
		await pp.close();
	}
	await phone.close();
	assert.deepEqual(dialogs, [], 'a dialog opened: a name ran as script');
	assert.deepEqual(errors, []);
	await stopServer();
});

test('the consultant\'s panel: alternatives side by side, a member\'s "why", a dropped participant and the comparison', { skip: skip || false, timeout: 180000 }, async (t) => {
	const { dir, browser, server, admin, stopServer } = await setup(t);
	const shots = screenshotDir(dir);
	const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
	const bin = process.env.CONSORT_SOLVE_BIN || CONSORT_BIN || path.join(ROOT, 'build/consort');
	const cli = (...args) => JSON.parse(execFileSync(bin, ['solve', EXAMPLE, '--format', 'json', '-q', '--time-limit', '30', ...args]).toString());
	const plain = (x) => String(Math.round(x * 100) / 100);
	assert.equal((await admin('PUT', '/api/session', example)).status, 200);
	const errors = [];
	const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
	watch(page, errors, 'facilitator');
	page.setDefaultTimeout(20000);
	await page.goto(server.facilitator);
	await page.waitForSelector('#app:not([hidden])');
	await page.click('[data-testid=tab-proposal]');
	const solve = () => Promise.all([
		page.waitForResponse((r) => r.url().endsWith('/api/solve') && r.request().method() === 'POST'),
		page.click('#propose'),
	]).then(async ([res]) => {
		assert.equal(res.status(), 200, await res.text());
		await page.waitForSelector('#propose:not([disabled])');
		return res.request().postDataJSON();
	});

	const best = cli('--alternatives', '2', '--differ', '2');
	await t.test('two alternatives differing by 2 members, side by side with their cost and who moves', async () => {
		await page.fill('#advice-alternatives', '2');
		await page.fill('#advice-differ', '2');
		const body = await solve();
		assert.equal(body.alternatives, 2);
		assert.equal(body.differ, 2);
		assert.equal(body.why, true);
		await page.waitForSelector('[data-testid=alternatives]');
		const cols = await page.$$eval('[data-testid=alternatives] .alt-col', (cs) => cs.map((c) => {
			const r = c.getBoundingClientRect();
			return { top: Math.round(r.top), left: r.left, right: r.right, id: c.dataset.testid };
		}));
		assert.deepEqual(cols.map((c) => c.id), ['alt-best', 'alt-1', 'alt-2']);
		for (let k = 1; k < cols.length; k++) {
			assert.equal(cols[k].top, cols[0].top, 'the columns are side by side');
			assert.ok(cols[k].left >= cols[k - 1].right, 'the columns do not overlap');
		}
		assert.equal(best.alternatives.length, 2);
		for (const [k, alt] of best.alternatives.entries()) {
			const n = k + 1;
			assert.equal(await page.textContent('[data-testid=alt-cost-' + n + ']'), plain(alt.gap_to_best));
			assert.equal(await page.textContent('[data-testid=alt-objective-' + n + ']'), plain(alt.objective));
			const moved = await page.textContent('[data-testid=alt-moved-' + n + ']');
			assert.ok(alt.moved.length >= 2);
			for (const id of alt.moved) {
				assert.ok(moved.includes(id), id + ' in the moves of alternative ' + n);
				assert.equal(await page.$$eval('[data-testid=alt-' + n + '] li.moved[data-member="' + id + '"]', (l) => l.length), 1, id + ' highlighted');
			}
			// Every participant once in each column; only those who move are highlighted.
			const listed = await page.$$eval('[data-testid=alt-' + n + '] li[data-member]', (l) => l.map((x) => x.dataset.member).sort());
			assert.deepEqual(listed, example.participants.map((p) => p.id).sort());
			assert.equal(await page.$$eval('[data-testid=alt-' + n + '] li.moved', (l) => l.length), alt.moved.length);
		}
		// Fairness and stability of the best, as the command line says.
		assert.equal(await page.textContent('[data-testid=fair-spread]'), plain(best.fairness.spread));
		assert.equal(await page.isVisible('[data-testid=stable]'), best.stability.stable);
		assert.equal(await page.textContent('#advice-dropped'), '', 'nobody dropped, nothing shown');
	});

	await t.test('a member\'s "why" on click: its fit here and elsewhere, what pulls and pushes, the verdict', async () => {
		const why = cli('--why', 'a4').why[0];
		await page.click('[data-testid=why-open-a4]');
		await page.waitForSelector('[data-testid=why-a4]');
		const text = await page.textContent('[data-testid=why-a4]');
		assert.match(text, /Why .* is here/);
		assert.ok(text.includes(fmtSigned(why.fit)), 'its fit');
		for (const r of why.pull) assert.ok(text.includes(r.id), 'pulled in by ' + r.id);
		for (const r of why.push) assert.ok(text.includes(r.id), 'pushed out by ' + r.id);
		for (const m of why.moves) {
			const row = await page.textContent('[data-testid=why-move-a4-' + (m.to === null ? 'outside' : m.to) + ']');
			assert.ok(row.includes(fmtSigned(m.fit)) && row.includes(fmtSigned(m.change)), row);
			assert.equal(/allowed/.test(row), m.feasible, row);
		}
		assert.match(await page.textContent('[data-testid=why-verdict-a4]'), why.verdict === 'best_home' ? /fits best where it is/ : /would fit better/);
		// A second click closes it.
		await page.click('[data-testid=why-open-a4]');
		await page.waitForSelector('[data-testid=why-a4]', { state: 'detached' });
		await page.click('[data-testid=why-open-a4]');
		await page.waitForSelector('[data-testid=why-a4]');
	});

	await t.test('drop a participant: gone from the proposal, and the comparison says who moved', async () => {
		const dropped = cli('--drop', 'f6');
		await page.click('[data-testid=drop-f6]');
		assert.equal(await page.getAttribute('[data-testid=drop-f6]', 'aria-pressed'), 'true');
		await page.waitForSelector('[data-testid=dropped-f6]');
		const body = await solve();
		assert.deepEqual(body.drop, ['f6']);
		await page.waitForSelector('[data-testid=advice-compare]');
		assert.equal(await page.$$eval('#consortia tr[data-member=f6]', (r) => r.length), 0, 'f6 is not in a consortium');
		assert.ok(!(await page.textContent('#outside')).includes('f6'), 'nor outside');
		assert.equal(Number(await page.textContent('[data-testid=proposal-objective]')), dropped.objective);
		const stored = (await admin('GET', '/api/proposal')).data;
		assert.deepEqual(stored.absent, ['f6']);
		assert.deepEqual(stored.compare.moved, ['f6']);
		assert.match(await page.textContent('[data-testid=compare-moved]'), /1 member placed differently: .*f6/);
		assert.equal(await page.textContent('[data-testid=compare-difference]'), fmtSigned(dropped.objective - best.objective));
		assert.ok(await page.isVisible('[data-testid=undrop-f6]'), 'it can be brought back');
		await page.waitForSelector('[data-testid=why-a4]');	// the open "why" stays open
		await shoot(page, path.join(shots, 'facilitator-consultant.png'), { fullPage: true });
	});

	await t.test('confidence marks per member when samples are asked', async () => {
		await page.click('[data-testid=undrop-f6]');
		await page.fill('#advice-alternatives', '0');
		await page.fill('#advice-confidence', '20');
		const body = await solve();
		assert.equal(body.confidence, 20);
		assert.deepEqual(body.drop, []);
		await page.waitForSelector('[data-testid=advice-confidence]');
		const stored = (await admin('GET', '/api/proposal')).data;
		for (const id of ['a1', 'f6']) {
			assert.equal(await page.textContent('[data-testid=sure-' + id + ']'), 'sure ' + Math.round(stored.confidence.members[id] * 100) + '%');
		}
		assert.match(await page.textContent('[data-testid=compare-moved]'), /f6/);
		assert.equal(await page.$$eval('[data-testid=alternatives]', (a) => a.length), 0);
	});

	await t.test('stability marks: the members who would gain by moving (three consortia of 4 to 6)', async () => {
		const three = cli('--consortia', '3', '--size', '4..6');
		assert.equal(three.stability.stable, false, 'the example with three consortia of 4..6 has movers');
		const rules = (await admin('GET', '/api/rules')).data;
		rules.rules.consortia = 3;
		rules.rules.size = { min: 4, max: 6 };
		assert.equal((await admin('PUT', '/api/rules', rules)).status, 200);
		await page.fill('#advice-confidence', '0');
		await solve();
		await page.waitForSelector('[data-testid=unstable]');
		const movers = new Map();
		for (const m of three.stability.movers) if (!movers.has(m.id)) movers.set(m.id, m);
		for (const [id, m] of movers) {
			assert.equal(await page.textContent('[data-testid=mark-move-' + id + ']'), 'would gain in consortium ' + m.to);
			assert.ok((await page.textContent('[data-testid=mover-' + id + ']')).includes(fmtSigned(m.fit_there)));
		}
		assert.equal(await page.$$eval('[data-testid^=mark-move-]', (l) => l.length), movers.size);
	});

	await t.test('no script errors', () => assert.deepEqual(errors, []));
	await t.test('consort serve stops cleanly', stopServer);
});
