// An in-memory stand-in for `consort serve` (the JSON API contract v1), for developing and testing the web
// pages without the C server: `node tests/e2e/mock-server.mjs [--port 8080] [--secret S] [--import SESSION.json]`.
// Solving shells out to `consort solve` when CONSORT_BIN names the binary, otherwise a naive split is returned.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WEB = path.resolve(HERE, '../../src/server/web');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
const ID_RE = /^[A-Za-z0-9_.-]{1,64}$/;

class HttpError extends Error {
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

function emptyWorkshop() {
	return {
		title: '', scale: { min: 1, max: 5 }, participants: [], ratings: new Map(), rules: {}, scoring: {},
		tokens: new Map(), settings: { tables: null, cross: null, minutes: 5, changeover: 1 }, round: null, started_at: null,
		proposal: null,
	};
}

// ------------------------------------------------------------------ session reading (a light version of the C checks)
function readSession(text, file) {
	let doc;
	try {
		doc = JSON.parse(text);
	} catch (e) {
		throw new HttpError(400, file + ': ' + e.message);
	}
	if (!doc || typeof doc !== 'object') throw new HttpError(400, file + ': not a JSON object');
	if (doc.format !== 'consort-session/1') throw new HttpError(400, file + ': format: expected "consort-session/1"');
	const w = emptyWorkshop();
	w.title = doc.title || '';
	w.scale = doc.scale || { min: 1, max: 5 };
	const seen = new Set();
	(doc.participants || []).forEach((p, i) => {
		if (!p || !ID_RE.test(p.id || '')) throw new HttpError(400, file + ': participants[' + i + '].id: invalid id');
		if (seen.has(p.id)) throw new HttpError(400, file + ': participants[' + i + '].id: duplicate id "' + p.id + '"');
		if (!p.sector) throw new HttpError(400, file + ': participants[' + i + '].sector: missing');
		seen.add(p.id);
		w.participants.push({ id: p.id, name: p.name || p.id, sector: p.sector, offers: p.offers || [] });
	});
	(doc.ratings || []).forEach((r, i) => {
		checkRating(w, r.from, r.to, r.score, file + ': ratings[' + i + ']');
		w.ratings.set(r.from + '\t' + r.to, { score: r.score, by: 'facilitator', at: new Date().toISOString() });
	});
	w.rules = doc.rules || {};
	w.scoring = doc.scoring || {};
	return w;
}

function checkRating(w, from, to, score, place) {
	const ids = new Set(w.participants.map((p) => p.id));
	if (!ids.has(from)) throw new HttpError(400, place + '.from: unknown participant "' + from + '"');
	if (!ids.has(to)) throw new HttpError(400, place + '.to: unknown participant "' + to + '"');
	if (from === to) throw new HttpError(400, place + ': a participant cannot rate itself');
	if (score === null) return;
	if (typeof score !== 'number' || !Number.isFinite(score)) throw new HttpError(400, place + '.score: not a number');
	if (score < w.scale.min || score > w.scale.max) {
		throw new HttpError(400, place + '.score: ' + score + ' is outside the scale ' + w.scale.min + '..' + w.scale.max);
	}
}

function parseCsv(text) {
	const rows = [];
	let row = [], cell = '', quoted = false, i = 0;
	text = text.replace(/^\uFEFF/, '');
	while (i < text.length) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
			if (c === '"') { quoted = false; i++; continue; }
			cell += c;
			i++;
			continue;
		}
		if (c === '"') { quoted = true; i++; continue; }
		if (c === ',') { row.push(cell); cell = ''; i++; continue; }
		if (c === '\r' || c === '\n') {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
			continue;
		}
		cell += c;
		i++;
	}
	if (cell || row.length) { row.push(cell); rows.push(row); }
	return rows.filter((r) => r.some((x) => x !== ''));
}

function readCsv(ptext, rtext) {
	const w = emptyWorkshop();
	const prow = parseCsv(ptext || '');
	if (!prow.length || prow[0].join(',') !== 'id,name,sector,offers') throw new HttpError(400, 'participants.csv:1:1: expected the header id,name,sector,offers');
	for (let i = 1; i < prow.length; i++) {
		const [id, name, sector, offers] = prow[i];
		if (!ID_RE.test(id || '')) throw new HttpError(400, 'participants.csv:' + (i + 1) + ':1 (id): invalid id');
		if (w.participants.some((x) => x.id === id)) throw new HttpError(400, 'participants.csv:' + (i + 1) + ':1 (id): duplicate id "' + id + '"');
		w.participants.push({ id, name: name || id, sector, offers: (offers || '').split(';').map((s) => s.trim()).filter(Boolean) });
	}
	const rrow = parseCsv(rtext || '');
	if (rrow.length && rrow[0].join(',') === 'from,to,score') {
		for (let i = 1; i < rrow.length; i++) {
			const [from, to, s] = rrow[i];
			const score = Number(String(s).replace(',', '.'));
			checkRating(w, from, to, score, 'ratings.csv:' + (i + 1));
			w.ratings.set(from + '\t' + to, { score, by: 'facilitator', at: new Date().toISOString() });
		}
	} else if (rrow.length) {
		const cols = rrow[0].slice(1);
		for (let i = 1; i < rrow.length; i++) {
			for (let j = 1; j < rrow[i].length; j++) {
				if (rrow[i][j] === '') continue;
				const score = Number(rrow[i][j].replace(',', '.'));
				checkRating(w, rrow[i][0], cols[j - 1], score, 'ratings.csv:' + (i + 1) + ':' + (j + 1));
				w.ratings.set(rrow[i][0] + '\t' + cols[j - 1], { score, by: 'facilitator', at: new Date().toISOString() });
			}
		}
	}
	return w;
}

// ------------------------------------------------------------------ schedule (greedy; the C one is optimal)
function buildSchedule(w, s) {
	const ps = w.participants;
	let pairs = [];
	const notScheduled = [];
	for (let i = 0; i < ps.length; i++) {
		for (let j = i + 1; j < ps.length; j++) {
			const a = ps[i], b = ps[j];
			if (s.cross && !((a.sector === s.cross[0] && b.sector === s.cross[1]) || (a.sector === s.cross[1] && b.sector === s.cross[0]))) continue;
			pairs.push([a.id, b.id]);
		}
	}
	if (s.cross) for (const p of ps) if (!s.cross.includes(p.sector)) notScheduled.push(p.id);
	const total = pairs.length;
	const tables = s.tables || Math.floor(ps.length / 2);
	const rounds = [];
	while (pairs.length && rounds.length < 10000) {
		const deg = new Map();
		for (const [a, b] of pairs) {
			deg.set(a, (deg.get(a) || 0) + 1);
			deg.set(b, (deg.get(b) || 0) + 1);
		}
		const used = new Set();
		const chosen = [];
		const order = pairs.slice().sort((x, y) => (deg.get(y[0]) + deg.get(y[1])) - (deg.get(x[0]) + deg.get(x[1])));
		for (const p of order) {
			if (chosen.length >= tables) break;
			if (used.has(p[0]) || used.has(p[1])) continue;
			used.add(p[0]);
			used.add(p[1]);
			chosen.push(p);
		}
		pairs = pairs.filter((p) => !chosen.includes(p));
		const r = rounds.length + 1;
		const offset = (r - 1) * (s.minutes + s.changeover);
		let start;
		if (s.start) {
			const t = Number(s.start.slice(0, 2)) * 60 + Number(s.start.slice(3)) + offset;
			start = String(Math.floor(t / 60) % 24).padStart(2, '0') + ':' + String(t % 60).padStart(2, '0');
		}
		rounds.push({
			round: r, offset, start,
			tables: chosen.map((pair, i) => ({ table: i + 1, pair })),
			resting: ps.map((p) => p.id).filter((id) => !used.has(id) && !notScheduled.includes(id)),
		});
	}
	return {
		title: w.title, participants: ps.length, pairs: total, lower_bound: rounds.length, tables: s.tables, tables_used: tables,
		minutes: s.minutes, changeover: s.changeover, rests: {}, not_scheduled: notScheduled, rounds,
	};
}

// ------------------------------------------------------------------ solving
function sessionJson(w, extraTogether) {
	const rules = JSON.parse(JSON.stringify(w.rules || {}));
	if (extraTogether && extraTogether.length) rules.together = (rules.together || []).concat(extraTogether);
	return {
		format: 'consort-session/1', title: w.title, scale: w.scale,
		participants: w.participants,
		ratings: Array.from(w.ratings, ([k, v]) => {
			const [from, to] = k.split('\t');
			return { from, to, score: v.score };
		}),
		rules, scoring: w.scoring,
	};
}

// The consultant's options of POST /api/solve as `consort solve` options (README "Consultant's session").
function adviceArgs(b, previousFile) {
	const args = [];
	for (const id of b.drop || []) args.push('--drop', String(id));
	if (b.alternatives) args.push('--alternatives', String(b.alternatives), '--differ', String(b.differ || 1));
	if (b.why === true) args.push('--why');
	else if (typeof b.why === 'string') args.push('--why=' + b.why);
	if (b.confidence) args.push('--confidence', String(b.confidence), '--confidence-seed', String(b.confidence_seed ?? 1));
	if (previousFile) args.push('--compare', previousFile);
	return args;
}

function solve(w, timeLimit, locks, consortBin, b = {}) {
	const together = (locks || []).map((l) => [l.id, l.with]);
	const names = Object.fromEntries(w.participants.map((p) => [p.id, p.name]));
	if (!consortBin || !fs.existsSync(consortBin)) {
		const k = typeof w.rules.consortia === 'number' ? w.rules.consortia : 2;
		const consortia = Array.from({ length: k }, () => ({ members: [], score: 0 }));
		w.participants.forEach((p, i) => consortia[i % k].members.push(p.id));
		return Promise.resolve({ format: 'consort-proposal/1', status: 'feasible', objective: 0, bound: null, gap: null, seconds: 0, consortia, outside: [], names });
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consort-mock-'));
	const file = path.join(dir, 'session.json');
	fs.writeFileSync(file, JSON.stringify(sessionJson(w, together)));
	let previous = null;
	if (w.proposal && b.compare !== false && ['optimal', 'feasible'].includes(w.proposal.status)) {
		previous = path.join(dir, 'previous.json');
		fs.writeFileSync(previous, JSON.stringify(w.proposal));
	}
	return new Promise((resolve, reject) => {
		execFile(consortBin, ['solve', file, '--format', 'json', '-q', '--time-limit', String(timeLimit), ...adviceArgs(b, previous)], { timeout: 120000 }, (err, stdout, stderr) => {
			fs.rmSync(dir, { recursive: true, force: true });
			if (!stdout.trim()) {
				reject(new HttpError(400, (stderr || String(err)).trim().split('\n').pop().replace(/^consort: /, '')));
				return;
			}
			const p = JSON.parse(stdout);
			p.names = names;
			p.locks = (locks || []).map((l) => ({ id: l.id, with: l.with }));
			p.drop = (b.drop || []).map(String);
			resolve(p);
		});
	});
}

// The workshop report, from `consort report` on the workshop (with the latest proposal's locks) and that proposal.
function report(w, consortBin) {
	if (!consortBin || !fs.existsSync(consortBin)) return Promise.reject(new HttpError(501, 'the mock needs CONSORT_BIN for the report'));
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consort-mock-'));
	const file = path.join(dir, 'session.json'), prop = path.join(dir, 'proposal.json');
	const args = ['report', file, '-o', '-'];
	fs.writeFileSync(file, JSON.stringify(sessionJson(w, w.proposal ? (w.proposal.locks || []).map((l) => [l.id, l.with]) : [])));
	if (w.proposal) {
		fs.writeFileSync(prop, JSON.stringify(w.proposal));
		args.push('--proposal', prop);
	}
	return new Promise((resolve, reject) => {
		execFile(consortBin, args, { timeout: 120000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
			fs.rmSync(dir, { recursive: true, force: true });
			if (!stdout.startsWith('<!DOCTYPE')) reject(new HttpError(409, (stderr || String(err)).trim().split('\n').pop().replace(/^consort: /, '')));
			else resolve(stdout);
		});
	});
}

// ------------------------------------------------------------------ the server
export function createMockServer(opts = {}) {
	const secret = opts.secret || crypto.randomBytes(16).toString('hex');
	const consortBin = opts.consortBin || process.env.CONSORT_BIN || '';
	let w = emptyWorkshop();
	const newToken = () => crypto.randomBytes(12).toString('hex');
	const retoken = () => {
		w.tokens = new Map(w.participants.map((p) => [p.id, newToken()]));
	};
	if (opts.importFile) {
		w = readSession(fs.readFileSync(opts.importFile, 'utf8'), opts.importFile);
		retoken();
	}

	const participantOf = (token) => {
		for (const [id, t] of w.tokens) if (t === token) return w.participants.find((p) => p.id === id);
		return null;
	};
	const pub = (p) => ({ id: p.id, name: p.name, sector: p.sector, offers: p.offers, token: w.tokens.get(p.id), link: '/p/' + w.tokens.get(p.id) });
	const scheduleStored = () => (w.participants.length > 1 ? buildSchedule(w, w.settings) : null);
	const meetingsOf = (id) => {
		const sch = scheduleStored();
		const out = [];
		if (!sch) return out;
		for (const r of sch.rounds) {
			for (const t of r.tables) {
				if (!t.pair.includes(id)) continue;
				const other = w.participants.find((p) => p.id === (t.pair[0] === id ? t.pair[1] : t.pair[0]));
				out.push({ round: r.round, table: t.table, with: { id: other.id, name: other.name, sector: other.sector } });
			}
		}
		return out;
	};
	const metOf = (id) => {
		const ms = meetingsOf(id);
		if (w.round === null) return ms.length ? ms.map((m) => m.with.id) : w.participants.filter((p) => p.id !== id).map((p) => p.id);
		return ms.filter((m) => m.round <= w.round).map((m) => m.with.id);
	};

	async function readBody(req, limit) {
		const chunks = [];
		let size = 0;
		for await (const c of req) {
			size += c.length;
			if (size > limit) throw new HttpError(413, 'request body too large');
			chunks.push(c);
		}
		return Buffer.concat(chunks).toString('utf8');
	}
	async function readJson(req) {
		const text = await readBody(req, 1 << 20);
		try {
			return JSON.parse(text);
		} catch (e) {
			throw new HttpError(400, 'request body: ' + e.message);
		}
	}

	async function route(req, res) {
		const url = new URL(req.url, 'http://x');
		const p = url.pathname;
		const send = (status, body, type) => {
			const isJson = type === undefined;
			const data = isJson ? JSON.stringify(body) : body;
			res.writeHead(status, { 'Content-Type': type || 'application/json', 'Cache-Control': 'no-store' });
			res.end(status === 204 ? undefined : data);
		};
		if (req.method === 'GET' && (p === '/' || /^\/p\/[^/]+$/.test(p) || p.startsWith('/static/'))) {
			const name = p === '/' ? 'index.html' : p.startsWith('/p/') ? 'participant.html' : p.slice(8);
			const file = path.join(WEB, path.basename(name));
			if (!fs.existsSync(file)) throw new HttpError(404, 'no such file: ' + name);
			send(200, fs.readFileSync(file), TYPES[path.extname(file)] || 'application/octet-stream');
			return;
		}
		if (!p.startsWith('/api/')) throw new HttpError(404, 'no such route: ' + p);
		const auth = /^Bearer (.+)$/.exec(req.headers.authorization || '');
		if (!auth) throw new HttpError(401, 'missing Authorization: Bearer');
		const admin = auth[1] === secret;
		const me = admin ? null : participantOf(auth[1]);
		if (!admin && !me) throw new HttpError(403, 'wrong credentials');

		if (p === '/api/me' || p === '/api/me/ratings') {
			if (!me) throw new HttpError(403, 'not a participant token');
			if (p === '/api/me' && req.method === 'GET') {
				const sch = scheduleStored();
				send(200, {
					id: me.id, name: me.name, sector: me.sector, offers: me.offers, scale: w.scale, round: w.round, started_at: w.started_at,
					rounds: sch ? sch.rounds.length : 0, minutes: w.settings.minutes, changeover: w.settings.changeover,
					meetings: meetingsOf(me.id), met: metOf(me.id),
				});
				return;
			}
			if (req.method === 'GET') {
				const out = [];
				for (const [k, v] of w.ratings) {
					const [from, to] = k.split('\t');
					if (from === me.id) out.push({ to, score: v.score, at: v.at });
				}
				send(200, out);
				return;
			}
			if (req.method === 'PUT') {
				const b = await readJson(req);
				if (b.to === me.id) throw new HttpError(400, 'to: you cannot rate yourself');
				if (!metOf(me.id).includes(b.to)) throw new HttpError(403, 'to: you have not met "' + b.to + '"');
				if (b.score === null || typeof b.score !== 'number') throw new HttpError(400, 'score: not a number');
				checkRating(w, me.id, b.to, b.score, 'rating');
				w.ratings.set(me.id + '\t' + b.to, { score: b.score, by: 'participant', at: new Date().toISOString() });
				send(200, { ok: true, to: b.to, score: b.score });
				return;
			}
			throw new HttpError(405, 'method not allowed');
		}
		if (!admin) throw new HttpError(403, 'facilitator only');

		const m = (method, re) => req.method === method && re.test(p);
		if (m('GET', /^\/api\/session$/)) return send(200, sessionJson(w));
		if (m('PUT', /^\/api\/session$/)) {
			const text = await readBody(req, 8 << 20);
			const nw = readSession(text, 'upload');
			w = nw;
			retoken();
			return send(200, { ok: true, participants: w.participants.length, ratings: w.ratings.size });
		}
		if (m('POST', /^\/api\/import\/csv$/)) {
			const b = await readJson(req);
			w = readCsv(b.participants, b.ratings);
			retoken();
			return send(200, { ok: true, participants: w.participants.length, ratings: w.ratings.size });
		}
		if (m('GET', /^\/api\/participants$/)) return send(200, w.participants.map(pub));
		if (m('POST', /^\/api\/participants$/)) {
			const b = await readJson(req);
			if (!ID_RE.test(b.id || '')) throw new HttpError(400, 'id: invalid id');
			if (!b.sector) throw new HttpError(400, 'sector: missing');
			if (w.participants.some((x) => x.id === b.id)) throw new HttpError(409, 'id: "' + b.id + '" is already a participant');
			const np = { id: b.id, name: b.name || b.id, sector: b.sector, offers: b.offers || [] };
			w.participants.push(np);
			w.tokens.set(np.id, newToken());
			return send(201, pub(np));
		}
		let mm = /^\/api\/participants\/([^/]+)(\/qr\.svg)?$/.exec(p);
		if (mm) {
			const id = decodeURIComponent(mm[1]);
			const part = w.participants.find((x) => x.id === id);
			if (!part) throw new HttpError(404, 'no participant "' + id + '"');
			if (mm[2] && req.method === 'GET') {
				const link = 'http://' + req.headers.host + '/p/' + w.tokens.get(id);
				const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29" shape-rendering="crispEdges"><rect width="29" height="29" fill="#fff"/>' +
					fakeQr(link) + '</svg>';
				return send(200, svg, 'image/svg+xml');
			}
			if (!mm[2] && req.method === 'DELETE') {
				w.participants = w.participants.filter((x) => x.id !== id);
				w.tokens.delete(id);
				for (const k of Array.from(w.ratings.keys())) if (k.split('\t').includes(id)) w.ratings.delete(k);
				return send(204, null);
			}
			throw new HttpError(405, 'method not allowed');
		}
		if (m('GET', /^\/api\/rules$/)) return send(200, { rules: w.rules, scoring: w.scoring });
		if (m('PUT', /^\/api\/rules$/)) {
			const b = await readJson(req);
			if (!b || typeof b.rules !== 'object') throw new HttpError(400, 'rules: missing');
			const size = b.rules.size || {};
			if (size.min !== undefined && size.max !== undefined && size.min > size.max) throw new HttpError(400, 'rules.size: min ' + size.min + ' > max ' + size.max);
			w.rules = b.rules;
			w.scoring = b.scoring || {};
			return send(200, { rules: w.rules, scoring: w.scoring });
		}
		if (m('GET', /^\/api\/ratings$/)) {
			return send(200, Array.from(w.ratings, ([k, v]) => {
				const [from, to] = k.split('\t');
				return { from, to, score: v.score, by: v.by, at: v.at };
			}));
		}
		if (m('PUT', /^\/api\/ratings$/)) {
			const b = await readJson(req);
			if (b.score !== null && typeof b.score !== 'number') throw new HttpError(400, 'score: not a number');
			checkRating(w, b.from, b.to, b.score, 'rating');
			if (b.score === null) w.ratings.delete(b.from + '\t' + b.to);
			else w.ratings.set(b.from + '\t' + b.to, { score: b.score, by: 'facilitator', at: new Date().toISOString() });
			if (opts.ratingDelayMs) await new Promise((r) => setTimeout(r, opts.ratingDelayMs));
			return send(200, { ok: true, from: b.from, to: b.to, score: b.score });
		}
		if (m('GET', /^\/api\/progress$/)) {
			const by = w.participants.map((x) => {
				const partners = w.settings && w.participants.length > 1 ? meetingsOf(x.id).map((y) => y.with.id) : w.participants.filter((y) => y.id !== x.id).map((y) => y.id);
				const given = partners.filter((to) => w.ratings.has(x.id + '\t' + to)).length;
				return { id: x.id, given, expected: partners.length, partners };
			});
			const missing = [];
			for (const b of by) for (const to of b.partners) if (!w.ratings.has(b.id + '\t' + to) && missing.length < 500) missing.push({ from: b.id, to });
			const pairs = by.reduce((n, b) => n + b.expected, 0), rated = by.reduce((n, b) => n + b.given, 0);
			return send(200, { participants: w.participants.length, pairs, rated, missing, by_participant: by.map(({ id, given, expected }) => ({ id, given, expected })) });
		}
		if (m('GET', /^\/api\/schedule$/)) {
			const q = url.searchParams;
			const s = {
				tables: q.get('tables') ? Number(q.get('tables')) : null,
				cross: q.get('cross') ? q.get('cross').split(',') : null,
				minutes: q.get('minutes') ? Number(q.get('minutes')) : 5,
				changeover: q.get('changeover') ? Number(q.get('changeover')) : 1,
				start: q.get('start') || null,
			};
			if (w.participants.length < 2) throw new HttpError(400, 'a schedule needs at least 2 participants');
			return send(200, buildSchedule(w, s));
		}
		if (m('GET', /^\/api\/schedule\/settings$/)) return send(200, { ...w.settings, round: w.round, started_at: w.started_at });
		if (m('PUT', /^\/api\/schedule\/settings$/)) {
			const b = await readJson(req);
			if (b.tables !== null && b.tables !== undefined && (!Number.isInteger(b.tables) || b.tables < 1)) throw new HttpError(400, 'tables: must be a positive integer');
			if (b.start !== null && b.start !== undefined && !/^\d\d:\d\d$/.test(b.start)) throw new HttpError(400, 'start: expected a clock time "HH:MM", or null');
			w.settings = { tables: b.tables ?? null, cross: b.cross ?? null, minutes: b.minutes ?? 5, changeover: b.changeover ?? 1, start: b.start ?? null };
			return send(200, w.settings);
		}
		if (m('POST', /^\/api\/round$/)) {
			const b = await readJson(req);
			w.round = b.round ?? null;
			w.started_at = b.started_at ?? null;
			return send(200, { round: w.round, started_at: w.started_at });
		}
		if (m('POST', /^\/api\/solve$/)) {
			const b = await readJson(req);
			w.proposal = await solve(w, b.time_limit ?? 10, b.locks || [], consortBin, b);
			return send(200, w.proposal);
		}
		if (m('GET', /^\/api\/proposal$/)) {
			if (!w.proposal) throw new HttpError(404, 'no proposal yet');
			return send(200, w.proposal);
		}
		if (m('GET', /^\/api\/export\/session\.json$/)) return send(200, JSON.stringify(sessionJson(w), null, 2), 'application/json');
		if (m('GET', /^\/api\/export\/ratings\.csv$/)) {
			const lines = ['from,to,score'];
			for (const [k, v] of w.ratings) lines.push(k.replace('\t', ',') + ',' + v.score);
			return send(200, lines.join('\n') + '\n', 'text/csv');
		}
		if (m('GET', /^\/api\/export\/proposal\.csv$/)) {
			if (!w.proposal) throw new HttpError(404, 'no proposal yet');
			const lines = ['consortium,lot,id,name,sector,fit'];
			w.proposal.consortia.forEach((c, i) => {
				for (const id of c.members) {
					const part = w.participants.find((x) => x.id === id) || { name: id, sector: '' };
					lines.push([i + 1, c.lot || '', id, '"' + part.name + '"', part.sector, ''].join(','));
				}
			});
			return send(200, lines.join('\n') + '\n', 'text/csv');
		}
		if (m('GET', /^\/api\/(export\/)?report\.html$/)) {
			const html = await report(w, consortBin);
			if (p.includes('/export/')) res.setHeader('Content-Disposition', 'attachment; filename="consort-report.html"');
			return send(200, html, 'text/html; charset=utf-8');
		}
		throw new HttpError(404, 'no such route: ' + req.method + ' ' + p);
	}

	const server = http.createServer((req, res) => {
		route(req, res).catch((e) => {
			const status = e instanceof HttpError ? e.status : 500;
			if (!res.headersSent) res.writeHead(status, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ error: e.message }));
		});
	});
	return {
		secret,
		server,
		listen(port = 0, host = '127.0.0.1') {
			return new Promise((resolve) => server.listen(port, host, () => {
				const url = 'http://' + host + ':' + server.address().port + '/';
				resolve({ url, facilitator: url + '#secret=' + secret });
			}));
		},
		close() {
			server.closeAllConnections?.();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

// Not a real QR code: a deterministic pattern from the link, enough for a placeholder image.
function fakeQr(text) {
	const h = crypto.createHash('sha256').update(text).digest();
	let out = '';
	for (let y = 0; y < 29; y++) {
		for (let x = 0; x < 29; x++) {
			const finder = (x < 7 && y < 7) || (x > 21 && y < 7) || (x < 7 && y > 21);
			const on = finder ? (x % 6 === 0 || y % 6 === 0 || (x % 22 > 1 && x % 22 < 5 && y % 22 > 1 && y % 22 < 5)) : (h[(x * 29 + y) % 32] >> ((x + y) % 8)) & 1;
			if (on) out += '<rect x="' + x + '" y="' + y + '" width="1" height="1"/>';
		}
	}
	return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const args = process.argv.slice(2);
	const opt = (name) => {
		const i = args.indexOf(name);
		return i >= 0 ? args[i + 1] : undefined;
	};
	const mock = createMockServer({ secret: opt('--secret'), importFile: opt('--import') });
	const { url, facilitator } = await mock.listen(Number(opt('--port') || 8080));
	console.log(url);
	console.log('listening on loopback only');
	console.log('facilitator: ' + facilitator);
}
