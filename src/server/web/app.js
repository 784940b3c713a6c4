// consort serve: the facilitator page. Plain JavaScript, no framework; talks to the JSON API of
// docs "consort serve — JSON API contract (v1)" with the secret from #secret=... (kept in localStorage).
'use strict';

(function () {
	const STORE = 'consort.';
	const POLL_MS = 3000;

	// ---------------------------------------------------------------- state
	const state = {
		secret: null,
		title: '',
		scale: { min: 1, max: 5 },
		participants: [],		// [{id, name, sector, offers, token, link}]
		byId: new Map(),
		ratings: new Map(),		// "from\u0000to" -> {score, by, at}
		pending: new Map(),		// key -> {want, inflight, failed, error}
		savedHere: new Set(),		// keys saved from this page (shown as saved)
		settings: { tables: null, cross: null, minutes: 5, changeover: 1, start: null },
		schedule: null,			// consort schedule JSON
		round: null,
		startedAt: null,
		rulesDoc: { rules: {}, scoring: {} },
		rulesDirty: false,
		pairs: { together: [], apart: [] },
		proposal: null,
		locked: new Set(),
		lockMate: new Map(),
		tab: 'participants',
		online: false,
		qrCache: new Map(),		// token -> object URL
		buffer: '',			// digits typed for a multi-digit scale
	};

	const $ = (sel, root) => (root || document).querySelector(sel);
	const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
	const key = (from, to) => from + '\u0000' + to;
	const unkey = (k) => k.split('\u0000');

	// Every string from the workshop (names, sectors, offers, titles, messages) reaches the page through
	// this: as text nodes, textContent or setAttribute, never as markup. Only the fixed icons below
	// (LOCK_ON, LOCK_OFF) go through innerHTML.
	function h(tag, props, ...kids) {
		const e = document.createElement(tag);
		if (props) {
			for (const [k, v] of Object.entries(props)) {
				if (v === null || v === undefined || v === false) continue;
				if (k === 'class') e.className = v;
				else if (k === 'text') e.textContent = v;
				else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
				else if (k === 'style') e.style.cssText = v;
				else e.setAttribute(k, v === true ? '' : String(v));
			}
		}
		for (const c of kids.flat(Infinity)) {
			if (c === null || c === undefined || c === false) continue;
			e.append(c instanceof Node ? c : String(c));
		}
		return e;
	}

	function fmt(x) {
		if (x === null || x === undefined || Number.isNaN(x)) return '–';
		return String(Math.round(x * 100) / 100);
	}
	function fmtSigned(x) {
		const r = Math.round(x * 10) / 10;
		return (r > 0 ? '+' : r < 0 ? '−' : '±') + Math.abs(r).toFixed(1);
	}
	function nameOf(id) {
		const p = state.byId.get(id);
		return p ? p.name || id : id;
	}
	function mmss(seconds) {
		const s = Math.max(0, Math.round(seconds));
		return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
	}
	function clock(minutes) {
		const m = Math.round(minutes);
		return Math.floor(m / 60) + ':' + String(m % 60).padStart(2, '0');
	}
	function scoreColor(s) {
		const span = state.scale.max - state.scale.min;
		const t = span > 0 ? Math.min(1, Math.max(0, (s - state.scale.min) / span)) : 0.5;
		return 'hsl(' + Math.round(t * 120) + ' 62% ' + (t > 0.35 && t < 0.65 ? 90 : 82) + '%)';
	}

	// ---------------------------------------------------------------- API
	class ApiError extends Error {
		constructor(status, message) {
			super(message);
			this.status = status;
		}
	}

	async function api(method, path, body, opts) {
		opts = opts || {};
		const headers = { Authorization: 'Bearer ' + state.secret };
		const init = { method, headers };
		if (body !== undefined) {
			headers['Content-Type'] = 'application/json';
			init.body = typeof body === 'string' ? body : JSON.stringify(body);
		}
		let res;
		try {
			res = await fetch(path, init);
		} catch (e) {
			setOnline(false);
			throw new ApiError(0, 'The server cannot be reached: ' + e.message);
		}
		setOnline(true);
		if (opts.raw && res.ok) return res;
		const text = await res.text();
		let data = null;
		if (text && (!opts.raw || !res.ok)) {
			try {
				data = JSON.parse(text);
			} catch (e) {
				data = null;
			}
		}
		if (!res.ok) {
			const msg = data && typeof data.error === 'string' ? data.error : 'HTTP ' + res.status + ' ' + (res.statusText || '') + ' on ' + method + ' ' + path;
			if (res.status === 401 || (res.status === 403 && !opts.allow403)) {
				showLogin(res.status === 401 ? 'Sign in with the facilitator secret.' : 'The secret was not accepted: ' + msg);
			}
			throw new ApiError(res.status, msg);
		}
		if (res.status === 204 || !text) return null;
		if (data === null) throw new ApiError(res.status, 'The server sent something that is not JSON on ' + method + ' ' + path);
		return data;
	}

	// ---------------------------------------------------------------- messages
	function showError(msg) {
		$('#error-text').textContent = msg;
		$('#error').hidden = false;
	}
	function clearError() {
		$('#error').hidden = true;
	}
	let noticeTimer = null;
	function notice(msg) {
		const n = $('#notice');
		n.textContent = msg;
		n.hidden = false;
		clearTimeout(noticeTimer);
		noticeTimer = setTimeout(() => { n.hidden = true; }, 5000);
	}
	async function attempt(fn) {
		try {
			clearError();
			return await fn();
		} catch (e) {
			showError(e.message || String(e));
			return undefined;
		}
	}
	function setOnline(on) {
		if (state.online === on) return;
		state.online = on;
		const s = $('#sync-state');
		s.textContent = on ? 'live' : 'offline';
		s.classList.toggle('pill-ok', on);
		s.classList.toggle('pill-bad', !on);
	}

	// ---------------------------------------------------------------- sign-in
	function readSecret() {
		const m = /(?:^#|&)secret=([^&]*)/.exec(location.hash);
		if (m) {
			const s = decodeURIComponent(m[1]);
			try { localStorage.setItem(STORE + 'secret', s); } catch (e) { /* private mode */ }
			history.replaceState(null, '', location.pathname + location.search);
			return s;
		}
		try { return localStorage.getItem(STORE + 'secret'); } catch (e) { return null; }
	}
	function showLogin(msg) {
		$('#login').hidden = false;
		$('#app').hidden = true;
		$('nav.tabs').hidden = true;
		if (msg) showError(msg);
		$('#login-secret').focus();
	}

	// ---------------------------------------------------------------- tabs
	function showTab(name) {
		state.tab = name;
		try { localStorage.setItem(STORE + 'tab', name); } catch (e) { /* ignore */ }
		for (const t of $$('.tab')) {
			const on = t.dataset.tab === name;
			t.classList.toggle('active', on);
			t.setAttribute('aria-selected', on ? 'true' : 'false');
		}
		for (const p of $$('main > .panel')) p.hidden = p.id !== 'panel-' + name;
		if (name === 'participants') loadQrs();
		if (name === 'progress') loadProgress();
		if (name === 'proposal') renderProposal();
		if (name === 'ratings') refreshGridMarks();
	}

	// ---------------------------------------------------------------- loading
	async function loadAll() {
		const [session, participants, ratings, rulesDoc, settings] = await Promise.all([
			api('GET', '/api/session'),
			api('GET', '/api/participants'),
			api('GET', '/api/ratings'),
			api('GET', '/api/rules'),
			api('GET', '/api/schedule/settings', undefined, { allow403: false }).catch((e) => {
				if (e.status === 404) return null;
				throw e;
			}),
		]);
		state.title = session && session.title ? session.title : '';
		state.scale = session && session.scale ? session.scale : { min: 1, max: 5 };
		setParticipants(participants || []);
		mergeRatings(ratings || [], true);
		setRules(rulesDoc);
		applySettings(settings);
		renderHeader();
		renderParticipants();
		buildGrid();
		renderSettingsForm();
		await loadSchedule();
		try {
			state.proposal = await api('GET', '/api/proposal');
		} catch (e) {
			if (e.status !== 404) throw e;
			state.proposal = null;
		}
		restoreLocks();
		renderProposal();
	}

	function setParticipants(list) {
		state.participants = list;
		state.byId = new Map(list.map((p) => [p.id, p]));
		$('#count-participants').textContent = list.length ? String(list.length) : '';
		const sectors = sectorsOf();
		const dl = $('#sector-list');
		dl.replaceChildren(...sectors.map((s) => h('option', { value: s })));
	}

	function sectorsOf() {
		return Array.from(new Set(state.participants.map((p) => p.sector))).sort();
	}
	function servicesOf() {
		const s = new Set();
		for (const p of state.participants) for (const o of p.offers || []) s.add(o);
		return Array.from(s).sort((a, b) => a.localeCompare(b));
	}

	function applySettings(s) {
		if (s && typeof s === 'object') {
			state.settings = {
				tables: s.tables ?? null,
				cross: Array.isArray(s.cross) && s.cross.length === 2 ? s.cross : null,
				minutes: Number.isFinite(s.minutes) ? s.minutes : 5,
				changeover: Number.isFinite(s.changeover) ? s.changeover : 1,
				start: typeof s.start === 'string' && s.start ? s.start : null,
			};
			// The round may come back with the settings; otherwise this laptop remembers it.
			if ('round' in s || 'current_round' in s) {
				state.round = s.round ?? s.current_round ?? null;
				state.startedAt = s.started_at ?? null;
				return;
			}
		}
		try {
			const saved = JSON.parse(localStorage.getItem(STORE + 'round') || 'null');
			if (saved && saved.token === tokenFingerprint()) {
				state.round = saved.round;
				state.startedAt = saved.started_at;
			}
		} catch (e) { /* ignore */ }
	}
	function tokenFingerprint() {
		return state.participants.map((p) => p.token).join('').slice(0, 96);
	}

	// ---------------------------------------------------------------- header
	function renderHeader() {
		$('#session-title').textContent = state.title;
		document.title = (state.title ? state.title + ' — ' : '') + 'consort';
		const total = state.schedule ? state.schedule.rounds.length : null;
		$('#top-round').textContent = state.round ? 'Round ' + state.round + (total ? ' of ' + total : '') : 'not started';
		$('#top-round').classList.toggle('pill-on', !!state.round);
		$('#count-ratings').textContent = state.ratings.size ? String(state.ratings.size) : '';
	}

	// ---------------------------------------------------------------- participants
	function absLink(p) {
		return location.origin + (p.link || '/p/' + p.token);
	}

	function shortLink(p) {
		const t = p.token || '';
		return location.host + '/p/' + (t.length > 10 ? t.slice(0, 8) + '…' : t);
	}

	function renderParticipants() {
		const tbody = $('#participants-table tbody');
		tbody.replaceChildren();
		for (const p of state.participants) {
			const link = absLink(p);
			const qr = h('img', { class: 'qr-thumb', alt: 'QR of ' + p.name, 'data-token': p.token, 'data-testid': 'qr-' + p.id, title: 'Show the QR code large' });
			qr.addEventListener('click', () => showQr(p));
			if (state.qrCache.has(p.token)) qr.src = state.qrCache.get(p.token);
			const remove = h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', 'data-testid': 'remove-' + p.id, text: 'Remove' });
			remove.addEventListener('click', () => removeParticipant(p, remove));
			const copy = h('button', { type: 'button', class: 'btn btn-small', title: 'Copy the link', text: 'Copy' });
			copy.addEventListener('click', async () => {
				try {
					await navigator.clipboard.writeText(link);
					copy.textContent = 'Copied';
				} catch (e) {
					copy.textContent = 'Select it';
				}
				setTimeout(() => { copy.textContent = 'Copy'; }, 1500);
			});
			tbody.append(h('tr', { 'data-testid': 'participant-row-' + p.id },
				h('td', { class: 'mono' }, p.id),
				h('td', { class: 'strong' }, p.name),
				h('td', null, h('span', { class: 'chip' }, p.sector)),
				h('td', { class: 'offers' }, (p.offers || []).join(', ')),
				h('td', { class: 'link-cell' }, h('a', { href: link, target: '_blank', rel: 'noopener', class: 'mono small', 'data-testid': 'link-' + p.id, title: link }, shortLink(p)), ' ', copy,
					h('span', { class: 'print-only mono small' }, link)),
				h('td', null, qr),
				h('td', null, remove)));
		}
		$('#participants-empty').hidden = state.participants.length > 0;
		const host = location.hostname;
		$('#loopback-hint').hidden = !(host === 'localhost' || host.startsWith('127.') || host === '[::1]' || host === '::1') || !state.participants.length;
		if (state.tab === 'participants') loadQrs();
		renderPairSelects();
	}

	async function loadQrs() {
		for (const img of $$('#participants-table img.qr-thumb')) {
			const token = img.dataset.token;
			if (state.qrCache.has(token)) {
				img.src = state.qrCache.get(token);
				continue;
			}
			const p = state.participants.find((x) => x.token === token);
			if (!p) continue;
			state.qrCache.set(token, '');
			try {
				const res = await api('GET', '/api/participants/' + encodeURIComponent(p.id) + '/qr.svg', undefined, { raw: true });
				const url = URL.createObjectURL(await res.blob());
				state.qrCache.set(token, url);
				for (const i of $$('img.qr-thumb')) if (i.dataset.token === token) i.src = url;
			} catch (e) {
				state.qrCache.delete(token);
				img.alt = 'QR not available: ' + e.message;
			}
		}
	}

	function showQr(p) {
		const url = state.qrCache.get(p.token);
		if (!url) return;
		$('#qr-big').src = url;
		$('#qr-name').textContent = p.name;
		$('#qr-link').textContent = absLink(p);
		$('#qr-overlay').hidden = false;
		$('#qr-close').focus();
	}

	async function removeParticipant(p, btn) {
		if (!btn.classList.contains('confirm')) {
			btn.classList.add('confirm');
			btn.textContent = 'Remove ' + p.id + '?';
			setTimeout(() => {
				btn.classList.remove('confirm');
				btn.textContent = 'Remove';
			}, 4000);
			return;
		}
		await attempt(async () => {
			await api('DELETE', '/api/participants/' + encodeURIComponent(p.id));
			notice('Removed ' + p.name + ' and their ratings.');
			await reloadWorkshop();
		});
	}

	async function reloadWorkshop() {
		for (const url of state.qrCache.values()) if (url) URL.revokeObjectURL(url);
		state.qrCache.clear();
		state.pending.clear();
		state.savedHere.clear();
		state.ratings.clear();
		state.locked.clear();
		state.lockMate.clear();
		saveLocks();
		state.rulesDirty = false;
		await loadAll();
	}

	async function importSessionFile(input) {
		const file = input.files && input.files[0];
		if (!file) return;
		await attempt(async () => {
			const text = await file.text();
			await api('PUT', '/api/session', text);
			await reloadWorkshop();
			notice('Imported ' + file.name + ': ' + state.participants.length + ' participants, ' + state.ratings.size + ' ratings.');
		});
		input.value = '';
	}

	async function importCsv() {
		const pf = $('#import-participants-csv').files[0];
		const rf = $('#import-ratings-csv').files[0];
		if (!pf) {
			showError('Choose a participants CSV file first.');
			return;
		}
		await attempt(async () => {
			const body = { participants: await pf.text(), ratings: rf ? await rf.text() : '' };
			await api('POST', '/api/import/csv', body);
			await reloadWorkshop();
			notice('Imported ' + state.participants.length + ' participants and ' + state.ratings.size + ' ratings from CSV.');
			$('#import-participants-csv').value = '';
			$('#import-ratings-csv').value = '';
		});
	}

	async function addParticipant(ev) {
		ev.preventDefault();
		const offers = $('#add-offers').value.split(/[;,]/).map((s) => s.trim()).filter(Boolean);
		const body = {
			id: $('#add-id').value.trim(),
			name: $('#add-name').value.trim() || $('#add-id').value.trim(),
			sector: $('#add-sector').value.trim(),
			offers,
		};
		await attempt(async () => {
			await api('POST', '/api/participants', body);
			notice('Added ' + body.name + '.');
			$('#add-participant').reset();
			const list = await api('GET', '/api/participants');
			setParticipants(list || []);
			renderParticipants();
			buildGrid();
			renderRulesForm();
			await loadSchedule();
			$('#add-id').focus();
		});
	}

	async function download(path, name) {
		await attempt(async () => {
			const res = await api('GET', path, undefined, { raw: true });
			const url = URL.createObjectURL(await res.blob());
			const a = h('a', { href: url, download: name });
			document.body.append(a);
			a.click();
			a.remove();
			setTimeout(() => URL.revokeObjectURL(url), 10000);
		});
	}

	// ---------------------------------------------------------------- report
	// The workshop report (GET /api/report.html) needs the secret in a header,
	// so the new tab cannot load it by URL: the tab is opened at once (still
	// inside the click, so no popup blocker stops it), then shown the page as
	// a blob: URL. The blob keeps this page's CSP, which allows the report's
	// style sheet by its hash and runs nothing of it.
	async function openReport() {
		const tab = window.open('', '_blank');
		if (tab) {
			tab.opener = null;
			tab.document.title = 'Workshop report';
			tab.document.body.textContent = 'Preparing the report…';
		}
		const ok = await attempt(async () => {
			const res = await api('GET', '/api/report.html', undefined, { raw: true });
			const url = URL.createObjectURL(new Blob([await res.blob()], { type: 'text/html' }));
			if (tab && !tab.closed) tab.location.replace(url);
			else window.location.assign(url); // no new tab allowed: here instead
			setTimeout(() => URL.revokeObjectURL(url), 60000);
			return true;
		});
		if (!ok && tab) tab.close();
	}

	// ---------------------------------------------------------------- schedule
	function renderSettingsForm() {
		const s = state.settings;
		$('#sched-tables').value = s.tables ?? '';
		$('#sched-minutes').value = s.minutes;
		$('#sched-changeover').value = s.changeover;
		$('#sched-start').value = s.start || '';
		const sectors = sectorsOf();
		const a = $('#sched-cross-a'), b = $('#sched-cross-b');
		a.replaceChildren(h('option', { value: '' }, 'everyone meets everyone'), ...sectors.map((x) => h('option', { value: x }, x)));
		b.replaceChildren(h('option', { value: '' }, '—'), ...sectors.map((x) => h('option', { value: x }, x)));
		a.value = s.cross ? s.cross[0] : '';
		b.value = s.cross ? s.cross[1] : '';
	}

	function scheduleQuery() {
		const s = state.settings;
		const q = [];
		if (s.tables) q.push('tables=' + encodeURIComponent(s.tables));
		if (s.cross) q.push('cross=' + encodeURIComponent(s.cross[0]) + ',' + encodeURIComponent(s.cross[1]));
		q.push('minutes=' + encodeURIComponent(s.minutes));
		q.push('changeover=' + encodeURIComponent(s.changeover));
		if (s.start) q.push('start=' + encodeURIComponent(s.start));
		return '?' + q.join('&');
	}

	async function loadSchedule() {
		if (state.participants.length < 2) {
			state.schedule = null;
		} else {
			try {
				state.schedule = await api('GET', '/api/schedule' + scheduleQuery());
			} catch (e) {
				state.schedule = null;
				$('#schedule-summary').textContent = 'No schedule: ' + e.message;
			}
		}
		renderSchedule();
		renderStrip();
		renderHeader();
		refreshGridMarks();
	}

	async function saveSettings(ev) {
		ev.preventDefault();
		const tables = $('#sched-tables').value.trim();
		const ca = $('#sched-cross-a').value, cb = $('#sched-cross-b').value;
		if ((ca && !cb) || (!ca && cb) || (ca && ca === cb)) {
			showError('Choose two different sectors to meet across, or none.');
			return;
		}
		const body = {
			tables: tables ? Number(tables) : null,
			cross: ca ? [ca, cb] : null,
			minutes: Number($('#sched-minutes').value),
			changeover: Number($('#sched-changeover').value),
			start: $('#sched-start').value || null,
		};
		await attempt(async () => {
			await api('PUT', '/api/schedule/settings', body);
			state.settings = body;
			await loadSchedule();
			notice('Schedule saved: ' + (state.schedule ? state.schedule.rounds.length + ' rounds.' : 'no rounds.'));
		});
	}

	function roundPairs(r) {
		if (!state.schedule || !r) return [];
		const round = state.schedule.rounds.find((x) => x.round === r);
		return round ? round.tables : [];
	}

	function renderSchedule() {
		const sch = state.schedule;
		const tbody = $('#rounds-table tbody');
		tbody.replaceChildren();
		if (sch) {
			const parts = [sch.rounds.length + ' rounds', (sch.tables_used || sch.tables || '?') + ' tables',
				sch.pairs + ' meetings', sch.minutes + ' min + ' + sch.changeover + ' min changeover'];
			if (sch.not_scheduled && sch.not_scheduled.length) parts.push('not scheduled: ' + sch.not_scheduled.map(nameOf).join(', '));
			$('#schedule-summary').textContent = parts.join(' · ');
			for (const r of sch.rounds) {
				const offset = r.offset ?? (r.round - 1) * (sch.minutes + sch.changeover);
				tbody.append(h('tr', { id: 'round-row-' + r.round, class: r.round === state.round ? 'current' : (state.round && r.round < state.round ? 'past' : null), 'data-testid': 'round-row-' + r.round },
					h('td', { class: 'strong' }, String(r.round)),
					h('td', { class: 'mono' }, r.start || clock(offset)),
					h('td', null, h('div', { class: 'tables-list' }, r.tables.map((t) => h('span', { class: 'table-pair' },
						h('b', null, 'T' + t.table), ' ', nameOf(t.pair[0]), ' & ', nameOf(t.pair[1]))))),
					h('td', { class: 'muted small' }, (r.resting || []).map(nameOf).join(', '))));
			}
		}
		const total = sch ? sch.rounds.length : null;
		$('#current-round').textContent = state.round ? String(state.round) : '–';
		$('#round-total').textContent = total ? ' / ' + total : '';
		const next = $('#round-next');
		next.textContent = state.round ? (total && state.round >= total ? 'Last round' : 'Next round ▶') : 'Start round 1';
		next.disabled = !!(state.round && total && state.round >= total) || state.participants.length < 2;
		$('#round-prev').disabled = !state.round;
		$('#round-restart').disabled = !state.round;

		const cur = $('#current-pairs');
		cur.replaceChildren();
		const pairs = roundPairs(state.round);
		if (pairs.length) {
			cur.append(h('h2', null, 'Round ' + state.round + ' — who meets whom'));
			cur.append(h('div', { class: 'pair-cards' }, pairs.map((t) => h('div', { class: 'pair-card', 'data-testid': 'pair-card-' + t.table },
				h('div', { class: 'pair-table' }, 'Table ' + t.table),
				h('div', { class: 'pair-names' }, h('div', null, nameOf(t.pair[0])), h('div', { class: 'amp' }, '&'), h('div', null, nameOf(t.pair[1])))))));
			const round = state.schedule.rounds.find((x) => x.round === state.round);
			if (round && round.resting && round.resting.length) cur.append(h('p', { class: 'muted' }, 'Resting: ' + round.resting.map(nameOf).join(', ')));
		}
	}

	async function setRound(r, restart) {
		const body = { round: r, started_at: r ? new Date().toISOString() : null };
		await attempt(async () => {
			const res = await api('POST', '/api/round', body);
			state.round = res && 'round' in res ? res.round : body.round;
			state.startedAt = res && 'started_at' in res ? res.started_at : body.started_at;
			try {
				localStorage.setItem(STORE + 'round', JSON.stringify({ token: tokenFingerprint(), round: state.round, started_at: state.startedAt }));
			} catch (e) { /* ignore */ }
			renderSchedule();
			renderStrip();
			renderHeader();
			refreshGridMarks();
			tick();
			if (!restart && r) notice('Round ' + r + ' started.');
		});
	}

	function tick() {
		const timer = $('#timer'), phase = $('#timer-phase'), top = $('#top-timer');
		if (!state.round || !state.startedAt) {
			timer.textContent = '--:--';
			phase.textContent = state.round ? '' : 'Not started';
			timer.className = 'timer';
			top.hidden = true;
			return;
		}
		const started = Date.parse(state.startedAt);
		const elapsed = (Date.now() - started) / 1000;
		const talk = state.settings.minutes * 60, change = state.settings.changeover * 60;
		let text, label, cls;
		if (elapsed < talk) {
			text = mmss(talk - elapsed);
			label = 'Talk';
			cls = talk - elapsed <= 30 ? 'timer warn' : 'timer';
		} else if (elapsed < talk + change) {
			text = mmss(talk + change - elapsed);
			label = 'Time! Rate, then change tables';
			cls = 'timer change';
		} else {
			text = '+' + mmss(elapsed - talk - change);
			label = 'Overtime: start the next round';
			cls = 'timer over';
		}
		timer.textContent = text;
		timer.className = cls;
		phase.textContent = label;
		top.hidden = false;
		top.textContent = text;
		top.className = 'pill pill-timer ' + cls.replace('timer', '').trim();
	}

	// ---------------------------------------------------------------- rating grid
	const cells = new Map();	// key -> [td, ...] (grid and round strip)

	function scaleIsDigits() {
		const { min, max } = state.scale;
		return Number.isInteger(min) && Number.isInteger(max) && min >= 0 && max <= 9;
	}

	function makeCell(from, to, testid) {
		const td = h('td', { class: 'cell', tabindex: '-1', role: 'gridcell', 'data-from': from, 'data-to': to, 'data-testid': testid,
			title: nameOf(from) + ' rates ' + nameOf(to) });
		const k = key(from, to);
		if (!cells.has(k)) cells.set(k, []);
		cells.get(k).push(td);
		return td;
	}

	function buildGrid() {
		const grid = $('#grid');
		for (const [k, list] of cells) cells.set(k, list.filter((td) => !grid.contains(td)));
		grid.replaceChildren();
		const ps = state.participants;
		const { min, max } = state.scale;
		$('#scale-keys').textContent = scaleIsDigits() ? min + '–' + max : min + '–' + max + ' then Enter';
		if (!ps.length) {
			$('#grid-status').textContent = 'No participants yet.';
			return;
		}
		const head = h('tr', null, h('th', { class: 'corner' }, h('span', null, 'rater ↓  rated →')),
			ps.map((p) => h('th', { class: 'col-head', scope: 'col', title: p.name + ' (' + p.sector + ')', 'data-sector': p.sector }, h('span', null, p.id))));
		const body = h('tbody');
		for (const r of ps) {
			const tr = h('tr', { 'data-row': r.id });
			tr.append(h('th', { class: 'row-head', scope: 'row', title: r.name + ' (' + r.sector + ')' },
				h('span', { class: 'mono' }, r.id), ' ', h('span', { class: 'row-name' }, r.name)));
			for (const c of ps) {
				if (c.id === r.id) tr.append(h('td', { class: 'self', 'aria-hidden': 'true' }));
				else tr.append(makeCell(r.id, c.id, 'cell-' + r.id + '-' + c.id));
			}
			body.append(tr);
		}
		grid.append(h('thead', null, head), body);
		for (const k of cells.keys()) paintCell(k);
		const first = $('#grid td.cell');
		if (first) first.tabIndex = 0;
		refreshGridMarks();
		renderStrip();
	}

	function renderStrip() {
		const strip = $('#round-strip');
		for (const [k, list] of cells) cells.set(k, list.filter((td) => !strip.contains(td)));
		strip.replaceChildren();
		const pairs = roundPairs(state.round);
		if (!pairs.length) {
			strip.append(h('p', { class: 'muted' }, state.round ? 'Round ' + state.round + ' has no meetings in the schedule.' :
				'No round is running: start one under Schedule to get its pairs here. The full grid is below.'));
			return;
		}
		strip.append(h('h2', null, 'Round ' + state.round + ' — rate these first'));
		const box = h('div', { class: 'strip', role: 'group', 'aria-label': 'Ratings of the current round' });
		for (const t of pairs) {
			const [a, b] = t.pair;
			const line = (x, y) => h('tr', null,
				h('th', { title: nameOf(x) + ' rates ' + nameOf(y) }, h('span', { class: 'strip-from' }, nameOf(x)), h('span', { class: 'strip-arrow' }, ' rates '), h('span', { class: 'strip-to' }, nameOf(y))),
				makeCell(x, y, 'round-cell-' + x + '-' + y));
			box.append(h('div', { class: 'strip-table', 'data-testid': 'strip-table-' + t.table },
				h('div', { class: 'strip-label' }, 'Table ' + t.table),
				h('table', { class: 'strip-pair' }, h('tbody', null, line(a, b), line(b, a)))));
		}
		strip.append(box);
		for (const td of $$('td.cell', strip)) paintCell(key(td.dataset.from, td.dataset.to));
		const first = $('td.cell', strip);
		if (first && !$('#grid td.cell[tabindex="0"]')) first.tabIndex = 0;
	}

	function metPairs() {
		// Pairs scheduled in rounds already started (for dimming pairs that have not met yet).
		if (!state.schedule || !state.round) return null;
		const met = new Set();
		for (const r of state.schedule.rounds) {
			if (r.round > state.round) continue;
			for (const t of r.tables) {
				met.add(key(t.pair[0], t.pair[1]));
				met.add(key(t.pair[1], t.pair[0]));
			}
		}
		return met;
	}

	function refreshGridMarks() {
		const inRound = new Set();
		for (const t of roundPairs(state.round)) {
			inRound.add(key(t.pair[0], t.pair[1]));
			inRound.add(key(t.pair[1], t.pair[0]));
		}
		const met = metPairs();
		for (const td of $$('#grid td.cell')) {
			const k = key(td.dataset.from, td.dataset.to);
			td.classList.toggle('in-round', inRound.has(k));
			td.classList.toggle('not-met', !!met && !met.has(k));
		}
	}

	function shownScore(k) {
		const p = state.pending.get(k);
		if (p) return p.want;
		const r = state.ratings.get(k);
		return r ? r.score : null;
	}

	function paintCell(k) {
		const list = cells.get(k);
		if (!list) return;
		const p = state.pending.get(k);
		const r = state.ratings.get(k);
		const score = shownScore(k);
		let st = '';
		if (p) st = p.failed ? 'failed' : 'saving';
		else if (state.savedHere.has(k)) st = 'saved';
		for (const td of list) {
			if (td === document.activeElement && state.buffer) continue;
			td.textContent = score === null || score === undefined ? '' : fmt(score);
			td.dataset.state = st;
			td.dataset.by = !p && r ? r.by || '' : '';
			td.dataset.score = score === null || score === undefined ? '' : String(score);
			td.style.background = score === null || score === undefined ? '' : scoreColor(score);
			td.classList.toggle('by-participant', !p && !!r && r.by === 'participant');
			td.title = nameOf(td.dataset.from) + ' rates ' + nameOf(td.dataset.to) +
				(score !== null && score !== undefined ? ': ' + fmt(score) : '') +
				(r && !p && r.by === 'participant' ? ' (entered by the participant)' : '') +
				(p && p.failed ? ' — not saved: ' + p.error : '');
		}
	}

	function mergeRatings(list, replace) {
		const fresh = new Map();
		for (const r of list) fresh.set(key(r.from, r.to), { score: r.score, by: r.by, at: r.at });
		const changed = [];
		for (const [k, v] of fresh) {
			const old = state.ratings.get(k);
			if (!old || old.score !== v.score || old.by !== v.by) changed.push(k);
		}
		for (const k of state.ratings.keys()) if (!fresh.has(k)) changed.push(k);
		if (replace || changed.length) {
			// A cell being saved keeps what was typed until the server has it.
			for (const k of state.pending.keys()) {
				if (state.ratings.has(k)) fresh.set(k, state.ratings.get(k));
				else fresh.delete(k);
			}
			state.ratings = fresh;
			for (const k of changed) {
				if (state.ratings.get(k) && state.ratings.get(k).by === 'participant') state.savedHere.delete(k);
				paintCell(k);
			}
		}
		$('#count-ratings').textContent = state.ratings.size ? String(state.ratings.size) : '';
		return changed.length;
	}

	function setScore(k, score) {
		let p = state.pending.get(k);
		if (!p) {
			p = { want: score, inflight: false, failed: false, error: '' };
			state.pending.set(k, p);
		}
		p.want = score;
		p.failed = false;
		state.savedHere.delete(k);
		paintCell(k);
		if (!p.inflight) flush(k);
	}

	async function flush(k) {
		const p = state.pending.get(k);
		const score = p.want;
		const [from, to] = unkey(k);
		p.inflight = true;
		try {
			await api('PUT', '/api/ratings', { from, to, score });
			if (score === null) state.ratings.delete(k);
			else state.ratings.set(k, { score, by: 'facilitator', at: new Date().toISOString() });
			if (p.want !== score) {
				flush(k);	// typed again while this one was on its way
				return;
			}
			state.pending.delete(k);
			state.savedHere.add(k);
			for (const td of cells.get(k) || []) {
				td.classList.add('just-saved');
				setTimeout(() => td.classList.remove('just-saved'), 900);
			}
			$('#grid-status').textContent = 'Saved: ' + nameOf(from) + ' → ' + nameOf(to) + (score === null ? ' cleared' : ' ' + fmt(score));
		} catch (e) {
			p.inflight = false;
			p.failed = true;
			p.error = e.message;
			$('#grid-status').textContent = 'Not saved: ' + nameOf(from) + ' → ' + nameOf(to) + ': ' + e.message + ' (type the score again to retry)';
			showError('Rating ' + from + ' → ' + to + ' not saved: ' + e.message);
		}
		paintCell(k);
		$('#count-ratings').textContent = state.ratings.size ? String(state.ratings.size) : '';
	}

	function focusCell(td) {
		if (!td) return;
		for (const c of $$('td.cell[tabindex="0"]')) c.tabIndex = -1;
		td.tabIndex = 0;
		td.focus();
	}

	function neighbour(td, dir) {
		const strip = td.closest('#round-strip');
		if (strip) {
			const list = $$('td.cell', strip);
			const i = list.indexOf(td);
			const step = dir === 'left' || dir === 'up' ? -1 : 1;
			return list[i + step] || null;
		}
		const tr = td.parentElement;
		if (dir === 'left' || dir === 'right' || dir === 'next') {
			let c = dir === 'left' ? td.previousElementSibling : td.nextElementSibling;
			while (c && !c.classList.contains('cell')) c = dir === 'left' ? c.previousElementSibling : c.nextElementSibling;
			if (c || dir !== 'next') return c;
			let row = tr.nextElementSibling;
			while (row) {
				const first = $('td.cell', row);
				if (first) return first;
				row = row.nextElementSibling;
			}
			return null;
		}
		const idx = Array.prototype.indexOf.call(tr.children, td);
		let row = dir === 'up' ? tr.previousElementSibling : tr.nextElementSibling;
		while (row) {
			const c = row.children[idx];
			if (c && c.classList.contains('cell')) return c;
			row = dir === 'up' ? row.previousElementSibling : row.nextElementSibling;
		}
		return null;
	}

	function onCellKey(ev) {
		const td = ev.target.closest && ev.target.closest('td.cell');
		if (!td || ev.altKey || ev.ctrlKey || ev.metaKey) return;
		const k = key(td.dataset.from, td.dataset.to);
		const { min, max } = state.scale;
		const moves = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };
		if (moves[ev.key]) {
			ev.preventDefault();
			commitBuffer(td, false);
			focusCell(neighbour(td, moves[ev.key]));
			return;
		}
		if (ev.key === 'Backspace' || ev.key === 'Delete') {
			ev.preventDefault();
			if (state.buffer) {
				state.buffer = state.buffer.slice(0, -1);
				td.textContent = state.buffer;
				if (!state.buffer) paintCell(k);
				return;
			}
			setScore(k, null);
			return;
		}
		if (ev.key === 'Escape') {
			state.buffer = '';
			paintCell(k);
			return;
		}
		if (ev.key === 'Enter') {
			ev.preventDefault();
			if (state.buffer) commitBuffer(td, true);
			else focusCell(neighbour(td, 'down'));
			return;
		}
		if (/^[0-9]$/.test(ev.key) || ((ev.key === '.' || ev.key === ',') && !scaleIsDigits())) {
			ev.preventDefault();
			if (scaleIsDigits()) {
				const s = Number(ev.key);
				if (s < min || s > max) {
					flashInvalid(td, 'Scores go from ' + min + ' to ' + max + '.');
					return;
				}
				setScore(k, s);
				focusCell(neighbour(td, 'next') || td);
				return;
			}
			state.buffer += ev.key === ',' ? '.' : ev.key;
			td.textContent = state.buffer;
			td.dataset.state = 'typing';
		}
	}

	function commitBuffer(td, move) {
		if (!state.buffer) return;
		const s = Number(state.buffer);
		state.buffer = '';
		const k = key(td.dataset.from, td.dataset.to);
		if (!Number.isFinite(s) || s < state.scale.min || s > state.scale.max) {
			paintCell(k);
			flashInvalid(td, 'Scores go from ' + state.scale.min + ' to ' + state.scale.max + '.');
			return;
		}
		setScore(k, s);
		if (move) focusCell(neighbour(td, 'next') || td);
	}

	function flashInvalid(td, msg) {
		td.classList.add('invalid');
		setTimeout(() => td.classList.remove('invalid'), 600);
		$('#grid-status').textContent = msg;
	}

	// ---------------------------------------------------------------- progress
	async function loadProgress() {
		let pr;
		try {
			pr = await api('GET', '/api/progress');
		} catch (e) {
			$('#progress-summary').textContent = 'Progress not available: ' + e.message;
			return;
		}
		const pct = pr.pairs ? Math.round((100 * pr.rated) / pr.pairs) : 0;
		$('#progress-summary').replaceChildren(
			h('div', { class: 'big-number', 'data-testid': 'progress-rated' }, String(pr.rated), h('span', { class: 'muted' }, ' of ' + pr.pairs + ' ratings')),
			h('div', { class: 'bar big' }, h('div', { class: 'bar-fill', style: 'width:' + pct + '%' })),
			h('div', { class: 'muted' }, pct + '% · ' + pr.participants + ' participants'));
		const tbody = $('#progress-table tbody');
		tbody.replaceChildren(...(pr.by_participant || []).map((b) => {
			const w = b.expected ? Math.min(100, Math.round((100 * b.given) / b.expected)) : 100;
			return h('tr', { 'data-testid': 'progress-' + b.id, class: b.given >= b.expected ? 'done' : null },
				h('td', null, h('span', { class: 'mono' }, b.id), ' ', nameOf(b.id)),
				h('td', { class: 'num' }, b.given + ' / ' + b.expected),
				h('td', { class: 'bar-col' }, h('div', { class: 'bar' }, h('div', { class: 'bar-fill', style: 'width:' + w + '%' }))));
		}));
		const missing = pr.missing || [];
		const more = pr.pairs - pr.rated - missing.length;
		$('#missing-count').textContent = '(' + (pr.pairs - pr.rated) + ')';
		const ul = $('#missing-list');
		ul.replaceChildren(...missing.map((m) => {
			const a = h('a', { href: '#', 'data-testid': 'missing-' + m.from + '-' + m.to }, nameOf(m.from), ' → ', nameOf(m.to));
			a.addEventListener('click', (ev) => {
				ev.preventDefault();
				showTab('ratings');
				focusCell($('#grid td.cell[data-from="' + CSS.escape(m.from) + '"][data-to="' + CSS.escape(m.to) + '"]'));
			});
			return h('li', null, a);
		}));
		if (!missing.length) ul.append(h('li', { class: 'done' }, 'Nothing missing.'));
		else if (more > 0) ul.append(h('li', { class: 'muted' }, '… and ' + more + ' more'));
	}

	// ---------------------------------------------------------------- rules
	function setRules(doc) {
		state.rulesDoc = { rules: (doc && doc.rules) || {}, scoring: (doc && doc.scoring) || {} };
		const r = state.rulesDoc.rules;
		state.pairs = {
			together: (r.together || []).map((p) => p.slice()),
			apart: (r.apart || []).map((p) => p.slice()),
		};
		state.rulesDirty = false;
		renderRulesForm();
	}

	function renderRulesForm() {
		const r = state.rulesDoc.rules, sc = state.rulesDoc.scoring;
		const mode = $('#rules-consortia-mode');
		if (r.consortia === undefined || r.consortia === null) {
			mode.value = 'free';
			$('#rules-consortia-min').value = '';
			$('#rules-consortia-max').value = '';
		} else if (typeof r.consortia === 'number') {
			mode.value = 'exact';
			$('#rules-consortia-min').value = r.consortia;
			$('#rules-consortia-max').value = '';
		} else {
			mode.value = 'range';
			$('#rules-consortia-min').value = r.consortia.min ?? '';
			$('#rules-consortia-max').value = r.consortia.max ?? '';
		}
		syncConsortiaMode();
		$('#rules-size-min').value = r.size && r.size.min !== undefined ? r.size.min : '';
		$('#rules-size-max').value = r.size && r.size.max !== undefined ? r.size.max : '';
		$('#rules-everyone').checked = r.everyone !== false;
		const lots = $('#rules-lots');
		lots.hidden = !(r.lots && r.lots.length);
		if (r.lots && r.lots.length) {
			lots.textContent = 'This session has ' + r.lots.length + ' lots (' + r.lots.map((l) => l.name).join(', ') +
				'): one consortium each. Edit lots in the session file; they are kept as they are.';
		}

		const sectors = Array.from(new Set([...sectorsOf(), ...Object.keys(r.sectors || {})])).sort();
		$('#rules-sectors tbody').replaceChildren(...sectors.map((s) => {
			const lim = (r.sectors || {})[s] || {};
			return h('tr', null, h('td', null, h('span', { class: 'chip' }, s)),
				h('td', null, h('input', { type: 'number', min: '0', class: 'num', 'data-sector': s, 'data-bound': 'min', 'data-testid': 'rules-sector-' + s + '-min', 'aria-label': s + ' at least', value: lim.min ?? '' })),
				h('td', null, h('input', { type: 'number', min: '0', class: 'num', 'data-sector': s, 'data-bound': 'max', 'data-testid': 'rules-sector-' + s + '-max', 'aria-label': s + ' at most', value: lim.max ?? '' })));
		}));

		const services = Array.from(new Set([...servicesOf(), ...(r.cover || [])])).sort((a, b) => a.localeCompare(b));
		const cover = new Set(r.cover || []);
		$('#rules-cover').replaceChildren(...services.map((s) => h('label', { class: 'check' },
			h('input', { type: 'checkbox', value: s, checked: cover.has(s), 'data-testid': 'rules-cover-' + s }), ' ', s)));
		if (!services.length) $('#rules-cover').append(h('p', { class: 'muted' }, 'No participant lists services yet.'));

		$('#scoring-combine').value = sc.combine || 'mean';
		$('#scoring-neutral').value = sc.neutral ?? '';
		$('#scoring-unmet').value = sc.unmet ?? '';
		$('#scoring-normalize').value = sc.normalize || 'none';
		renderPairs();
		rulesState();
	}

	function renderPairSelects() {
		const opts = () => state.participants.map((p) => h('option', { value: p.id }, p.id + ' — ' + p.name));
		const a = $('#pair-a'), b = $('#pair-b');
		const va = a.value, vb = b.value;
		a.replaceChildren(...opts());
		b.replaceChildren(...opts());
		if (va) a.value = va;
		if (vb) b.value = vb;
		else if (state.participants.length > 1) b.selectedIndex = 1;
	}

	function renderPairs() {
		const ul = $('#rules-pairs');
		ul.replaceChildren();
		for (const kind of ['together', 'apart']) {
			state.pairs[kind].forEach((pair, i) => {
				const x = h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', 'aria-label': 'remove', text: '✕' });
				x.addEventListener('click', () => {
					state.pairs[kind].splice(i, 1);
					markRulesDirty();
					renderPairs();
				});
				ul.append(h('li', { 'data-testid': 'rule-' + kind + '-' + pair[0] + '-' + pair[1] },
					h('span', { class: 'chip ' + (kind === 'together' ? 'chip-ok' : 'chip-bad') }, kind),
					' ', nameOf(pair[0]), ' & ', nameOf(pair[1]), ' ', x));
			});
		}
		if (!ul.children.length) ul.append(h('li', { class: 'muted' }, 'No pairs must be together or apart.'));
	}

	function addPair(kind) {
		const a = $('#pair-a').value, b = $('#pair-b').value;
		if (!a || !b || a === b) {
			showError('Choose two different participants.');
			return;
		}
		const other = kind === 'together' ? 'apart' : 'together';
		const same = (p) => (p[0] === a && p[1] === b) || (p[0] === b && p[1] === a);
		state.pairs[other] = state.pairs[other].filter((p) => !same(p));
		if (!state.pairs[kind].some(same)) state.pairs[kind].push([a, b]);
		markRulesDirty();
		renderPairs();
	}

	function syncConsortiaMode() {
		const mode = $('#rules-consortia-mode').value;
		$('#rules-consortia-min').hidden = mode === 'free';
		$('#rules-consortia-max').hidden = mode !== 'range';
		$('#rules-consortia-to').hidden = mode !== 'range';
	}

	function markRulesDirty() {
		state.rulesDirty = true;
		rulesState();
	}
	function rulesState() {
		$('#rules-state').textContent = state.rulesDirty ? 'Unsaved changes' : '';
		$('#rules-state').classList.toggle('warn', state.rulesDirty);
	}

	function intOrNull(sel) {
		const v = (typeof sel === 'string' ? $(sel) : sel).value.trim();
		return v === '' ? null : Number(v);
	}

	function rulesFromForm() {
		const rules = Object.assign({}, state.rulesDoc.rules);
		for (const k of ['consortia', 'size', 'sectors', 'cover', 'together', 'apart', 'everyone']) delete rules[k];
		const mode = $('#rules-consortia-mode').value;
		const cmin = intOrNull('#rules-consortia-min'), cmax = intOrNull('#rules-consortia-max');
		if (mode === 'exact' && cmin !== null) rules.consortia = cmin;
		if (mode === 'range' && (cmin !== null || cmax !== null)) {
			rules.consortia = {};
			if (cmin !== null) rules.consortia.min = cmin;
			if (cmax !== null) rules.consortia.max = cmax;
		}
		const smin = intOrNull('#rules-size-min'), smax = intOrNull('#rules-size-max');
		if (smin !== null || smax !== null) {
			rules.size = {};
			if (smin !== null) rules.size.min = smin;
			if (smax !== null) rules.size.max = smax;
		}
		const sectors = {};
		for (const inp of $$('#rules-sectors input')) {
			const v = intOrNull(inp);
			if (v === null) continue;
			sectors[inp.dataset.sector] = sectors[inp.dataset.sector] || {};
			sectors[inp.dataset.sector][inp.dataset.bound] = v;
		}
		if (Object.keys(sectors).length) rules.sectors = sectors;
		const cover = $$('#rules-cover input:checked').map((i) => i.value);
		if (cover.length) rules.cover = cover;
		if (state.pairs.together.length) rules.together = state.pairs.together;
		if (state.pairs.apart.length) rules.apart = state.pairs.apart;
		rules.everyone = $('#rules-everyone').checked;

		const scoring = Object.assign({}, state.rulesDoc.scoring);
		scoring.combine = $('#scoring-combine').value;
		scoring.normalize = $('#scoring-normalize').value;
		const neutral = intOrNull('#scoring-neutral'), unmet = intOrNull('#scoring-unmet');
		delete scoring.neutral;
		delete scoring.unmet;
		if (neutral !== null) scoring.neutral = neutral;
		if (unmet !== null) scoring.unmet = unmet;
		return { rules, scoring };
	}

	async function saveRules(ev) {
		ev.preventDefault();
		const doc = rulesFromForm();
		await attempt(async () => {
			await api('PUT', '/api/rules', doc);
			setRules(await api('GET', '/api/rules'));
			$('#rules-state').textContent = 'Saved ✓';
			notice('Rules saved.');
		});
	}

	// ---------------------------------------------------------------- scoring (for each member's fit)
	function weightFn() {
		const { min, max } = state.scale;
		const sc = state.rulesDoc.scoring || {};
		const neutral = Number.isFinite(sc.neutral) ? sc.neutral : (min + max) / 2;
		const unmet = Number.isFinite(sc.unmet) ? sc.unmet : neutral;
		let score = (from, to) => {
			const r = state.ratings.get(key(from, to));
			return r ? r.score : null;
		};
		if (sc.normalize === 'rater') {
			// s − (mean_r − mean_all) · k_r / (k_r + 1), clamped to the scale (formats: scoring.normalize).
			const sum = new Map(), cnt = new Map();
			let all = 0, n = 0;
			for (const [k, r] of state.ratings) {
				const from = unkey(k)[0];
				sum.set(from, (sum.get(from) || 0) + r.score);
				cnt.set(from, (cnt.get(from) || 0) + 1);
				all += r.score;
				n++;
			}
			const meanAll = n ? all / n : 0;
			const raw = score;
			score = (from, to) => {
				const s = raw(from, to);
				if (s === null) return null;
				const k = cnt.get(from), mr = sum.get(from) / k;
				return Math.min(max, Math.max(min, s - ((mr - meanAll) * k) / (k + 1)));
			};
		}
		return (i, j) => {
			const a = score(i, j), b = score(j, i);
			let p;
			if (a !== null && b !== null) p = sc.combine === 'min' ? Math.min(a, b) : (a + b) / 2;
			else if (a !== null) p = a;
			else if (b !== null) p = b;
			else p = unmet;
			return p - neutral;
		};
	}

	// ---------------------------------------------------------------- proposal and locks
	function consortiumOf(id) {
		const p = state.proposal;
		if (!p || !p.consortia) return -1;
		return p.consortia.findIndex((c) => c.members.includes(id));
	}

	function currentLocks() {
		// Each locked member is pinned with a mate: the first locked member of its consortium, or, when it is
		// the only one locked there, the mate it was pinned with before (or its best-rated mate).
		const p = state.proposal;
		const locks = [];
		if (!p || !p.consortia) return locks;
		const w = weightFn();
		for (const c of p.consortia) {
			const locked = c.members.filter((m) => state.locked.has(m));
			if (locked.length >= 2) {
				for (let i = 1; i < locked.length; i++) locks.push({ id: locked[i], with: locked[0] });
				state.lockMate.set(locked[0], locked[1]);
				for (let i = 1; i < locked.length; i++) state.lockMate.set(locked[i], locked[0]);
			} else if (locked.length === 1) {
				const id = locked[0];
				let mate = state.lockMate.get(id);
				if (!mate || !c.members.includes(mate) || mate === id) {
					let best = -Infinity;
					mate = null;
					for (const m of c.members) {
						if (m === id) continue;
						const x = w(id, m);
						if (x > best) {
							best = x;
							mate = m;
						}
					}
				}
				if (mate) {
					state.lockMate.set(id, mate);
					locks.push({ id, with: mate });
				}
			}
		}
		for (const id of Array.from(state.locked)) if (consortiumOf(id) < 0) state.locked.delete(id);
		return locks;
	}

	async function propose() {
		const btn = $('#propose');
		const locks = currentLocks();
		const limit = Number($('#time-limit').value);
		btn.disabled = true;
		btn.textContent = 'Solving…';
		$('#proposal-summary').classList.add('busy');
		await attempt(async () => {
			const body = { time_limit: Number.isFinite(limit) ? limit : 10, locks };
			if (window.consortAdvice) window.consortAdvice.extend(body); // advice.js: the consultant's options
			const p = await api('POST', '/api/solve', body);
			mergeRatings((await api('GET', '/api/ratings')) || [], false);
			state.proposal = p;
			renderProposal();
			saveLocks();
		});
		$('#proposal-summary').classList.remove('busy');
		btn.disabled = false;
		btn.textContent = state.proposal ? 'Propose again' : 'Propose consortia';
	}

	function fact(label, value, attrs) {
		return h('span', { class: 'fact' }, h('span', { class: 'fact-k' }, label), ' ', h('b', attrs || null, value));
	}

	function seconds(s) {
		if (typeof s !== 'number') return '–';
		return s < 0.01 ? '< 0.01 s' : s < 10 ? s.toFixed(2) + ' s' : Math.round(s) + ' s';
	}

	function statusText(s) {
		return {
			optimal: 'optimal — proved best under the rules',
			feasible: 'feasible — the best found in the time limit, not proved best',
			infeasible: 'infeasible — no proposal meets the rules',
			stopped: 'stopped — no proposal within the time limit',
		}[s] || s;
	}

	function renderProposal() {
		drawProposal();
		if (window.consortAdvice) window.consortAdvice.render(state.proposal, renderProposal); // advice.js: the consultant's panel
	}

	function drawProposal() {
		const p = state.proposal;
		const sum = $('#proposal-summary'), box = $('#consortia'), out = $('#outside'), conflict = $('#proposal-conflict');
		box.replaceChildren();
		out.replaceChildren();
		conflict.hidden = true;
		if (!p) {
			sum.replaceChildren(h('p', { class: 'muted' }, 'No proposal yet: set the rules, then press “Propose consortia”.'));
			$('#clear-locks').hidden = true;
			return;
		}
		const names = p.names || {};
		const nm = (id) => names[id] || nameOf(id);
		const placed = (p.consortia || []).reduce((n, c) => n + c.members.length, 0);
		sum.replaceChildren(
			h('span', { class: 'status status-' + p.status, id: 'proposal-status', 'data-testid': 'proposal-status', 'data-status': p.status }, p.status),
			h('span', { class: 'status-text' }, statusText(p.status)),
			h('div', { class: 'facts' },
				fact('objective', fmt(p.objective), { id: 'proposal-objective', 'data-testid': 'proposal-objective' }),
				fact('bound', p.bound === null || p.bound === undefined ? 'unproven' : fmt(p.bound), { 'data-testid': 'proposal-bound' }),
				fact('gap', p.gap === null || p.gap === undefined ? '–' : fmt(p.gap * 100) + '%'),
				fact('consortia', String((p.consortia || []).length), { 'data-testid': 'proposal-count' }),
				fact('placed', placed + ' of ' + (placed + (p.outside || []).length)),
				fact('time', seconds(p.seconds) + (p.engine ? ' · ' + p.engine : ''))));
		if (p.conflict && p.conflict.length) {
			conflict.hidden = false;
			conflict.replaceChildren(h('strong', null, 'These rules cannot all hold together: '),
				h('ul', null, p.conflict.map((c) => h('li', null, c))));
		}
		const w = weightFn();
		const locks = currentLocks();
		const lockWith = new Map(locks.map((l) => [l.id, l.with]));
		for (const [l, m] of lockWith) if (!lockWith.has(m) && state.locked.has(m)) lockWith.set(m, l);
		$('#clear-locks').hidden = state.locked.size === 0;
		(p.consortia || []).forEach((c, idx) => box.append(renderConsortium(c, idx, w, nm, lockWith)));
		if (p.outside && p.outside.length) {
			out.append(h('div', { class: 'card outside' }, h('h2', null, 'Outside every consortium (' + p.outside.length + ')'),
				h('ul', { class: 'inline-list' }, p.outside.map((id) => h('li', { 'data-testid': 'outside-' + id }, nm(id), ' ', h('span', { class: 'mono muted' }, id))))));
		}
	}

	function renderConsortium(c, idx, w, nm, lockWith) {
		const members = c.members;
		const sectors = new Map();
		const services = new Set();
		for (const m of members) {
			const p = state.byId.get(m);
			const s = p ? p.sector : '?';
			sectors.set(s, (sectors.get(s) || 0) + 1);
			if (p) for (const o of p.offers || []) services.add(o);
		}
		const head = h('tr', null, h('th', null, 'Lock'), h('th', null, 'Member'),
			h('th', { class: 'num', title: 'Sum of pair weights to the rest of the consortium' }, 'Fit'),
			h('th', { class: 'num', title: 'Mean of the ratings this member gave to the others' }, 'Gives'),
			h('th', { class: 'num', title: 'Mean of the ratings the others gave this member' }, 'Gets'),
			members.map((m) => h('th', { class: 'mini-head', title: 'rated by the row: ' + nm(m) }, h('span', null, m))));
		const rows = members.map((m) => {
			let fit = 0, gsum = 0, gn = 0, rsum = 0, rn = 0;
			for (const o of members) {
				if (o === m) continue;
				fit += w(m, o);
				const g = state.ratings.get(key(m, o)), r = state.ratings.get(key(o, m));
				if (g) { gsum += g.score; gn++; }
				if (r) { rsum += r.score; rn++; }
			}
			const locked = state.locked.has(m);
			const lockBtn = h('button', { type: 'button', class: 'lock' + (locked ? ' on' : ''), 'aria-pressed': locked ? 'true' : 'false',
				'data-testid': 'lock-' + m, title: locked ? 'Unlock' : 'Keep ' + nm(m) + ' in this consortium with a mate',
				'aria-label': (locked ? 'Unlock ' : 'Lock ') + nm(m) });
			lockBtn.innerHTML = locked ? LOCK_ON : LOCK_OFF;
			lockBtn.addEventListener('click', () => toggleLock(m));
			const p = state.byId.get(m);
			return h('tr', { 'data-testid': 'member-' + m, 'data-member': m, class: locked ? 'locked' : null },
				h('td', null, lockBtn),
				h('td', { class: 'member' }, h('div', { class: 'strong' }, nm(m)), h('div', { class: 'muted small' },
					h('span', { class: 'mono' }, m), ' · ', p ? p.sector : '?',
					locked && lockWith.get(m) ? h('span', { class: 'with' }, ' · with ' + nm(lockWith.get(m))) : null)),
				h('td', { class: 'num fit ' + (fit > 0 ? 'pos' : fit < 0 ? 'neg' : ''), 'data-testid': 'fit-' + m }, fmtSigned(fit)),
				h('td', { class: 'num' }, gn ? fmt(gsum / gn) : '–'),
				h('td', { class: 'num' }, rn ? fmt(rsum / rn) : '–'),
				members.map((o) => {
					if (o === m) return h('td', { class: 'mini self' });
					const r = state.ratings.get(key(m, o));
					return h('td', { class: 'mini', 'data-testid': 'mini-' + m + '-' + o, title: nm(m) + ' rates ' + nm(o),
						style: r ? 'background:' + scoreColor(r.score) : null }, r ? fmt(r.score) : '·');
				}));
		});
		return h('article', { class: 'card consortium', 'data-testid': 'consortium-' + (idx + 1) },
			h('header', { class: 'consortium-head' },
				h('h2', null, 'Consortium ' + (idx + 1), c.lot ? h('span', { class: 'chip chip-lot' }, 'lot ' + c.lot) : null),
				h('div', { class: 'consortium-facts' }, members.length + ' members · score ' + fmt(c.score))),
			h('div', { class: 'chips' }, Array.from(sectors).map(([s, n]) => h('span', { class: 'chip' }, n + ' ' + s))),
			services.size ? h('p', { class: 'muted small services' }, 'Offers: ' + Array.from(services).sort().join(', ')) : null,
			h('div', { class: 'table-wrap' }, h('table', { class: 'data members' }, h('thead', null, head), h('tbody', null, rows))),
			h('p', { class: 'muted small' }, 'Small grid: the row member’s rating of the column member.'));
	}

	const LOCK_ON = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M7 11V7a5 5 0 0 1 10 0v4" fill="none" stroke="currentColor" stroke-width="2.4"/>' +
		'<rect x="4" y="11" width="16" height="10" rx="2" fill="currentColor"/></svg>';
	const LOCK_OFF = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M7 11V7a5 5 0 0 1 9.6-1.9" fill="none" stroke="currentColor" stroke-width="2.4"/>' +
		'<rect x="4" y="11" width="16" height="10" rx="2" fill="none" stroke="currentColor" stroke-width="2.2"/></svg>';

	function toggleLock(id) {
		if (state.locked.has(id)) {
			state.locked.delete(id);
			state.lockMate.delete(id);
		} else {
			state.locked.add(id);
		}
		renderProposal();
		saveLocks();
	}

	// Locks live in this page until the next solve; kept in localStorage so a reload does not lose them.
	function saveLocks() {
		try {
			localStorage.setItem(STORE + 'locks', JSON.stringify({ locked: Array.from(state.locked), mates: Object.fromEntries(state.lockMate) }));
		} catch (e) { /* ignore */ }
	}
	function restoreLocks() {
		state.locked.clear();
		state.lockMate.clear();
		const p = state.proposal;
		if (!p || !p.consortia) return;
		let saved = null;
		try { saved = JSON.parse(localStorage.getItem(STORE + 'locks') || 'null'); } catch (e) { saved = null; }
		const known = (id) => consortiumOf(id) >= 0;
		if (saved && Array.isArray(saved.locked)) {
			for (const id of saved.locked) if (known(id)) state.locked.add(id);
			for (const [id, mate] of Object.entries(saved.mates || {})) if (state.locked.has(id) && known(mate)) state.lockMate.set(id, mate);
		}
		for (const l of p.locks || []) {
			if (!known(l.id) || !known(l.with)) continue;
			state.locked.add(l.id);
			if (!state.lockMate.has(l.id)) state.lockMate.set(l.id, l.with);
		}
	}

	// ---------------------------------------------------------------- polling
	let polling = false;
	async function poll() {
		if (polling || $('#app').hidden) return;
		polling = true;
		try {
			const list = await api('GET', '/api/ratings');
			const n = mergeRatings(list || [], false);
			if (n && state.tab === 'proposal') renderProposal();
			if (state.tab === 'progress') await loadProgress();
		} catch (e) {
			if (e.status === 401 || e.status === 403) return;
		} finally {
			polling = false;
		}
	}

	// ---------------------------------------------------------------- wiring
	function wire() {
		for (const t of $$('.tab')) t.addEventListener('click', () => showTab(t.dataset.tab));
		$('#error-close').addEventListener('click', clearError);
		$('#toggle-large').addEventListener('click', () => {
			const on = document.body.classList.toggle('large');
			$('#toggle-large').setAttribute('aria-pressed', on ? 'true' : 'false');
			try { localStorage.setItem(STORE + 'large', on ? '1' : ''); } catch (e) { /* ignore */ }
		});
		$('#login-form').addEventListener('submit', async (ev) => {
			ev.preventDefault();
			state.secret = $('#login-secret').value.trim();
			try { localStorage.setItem(STORE + 'secret', state.secret); } catch (e) { /* ignore */ }
			await start();
		});
		$('#import-session').addEventListener('change', (ev) => importSessionFile(ev.target));
		$('#import-csv').addEventListener('click', importCsv);
		$('#add-participant').addEventListener('submit', addParticipant);
		$('#print-links').addEventListener('click', () => window.print());
		$('#export-session').addEventListener('click', () => download('/api/export/session.json', 'session.json'));
		$('#export-ratings').addEventListener('click', () => download('/api/export/ratings.csv', 'ratings.csv'));
		$('#export-proposal').addEventListener('click', () => download('/api/export/proposal.csv', 'proposal.csv'));
		$('#report-open').addEventListener('click', openReport);
		$('#report-download').addEventListener('click', (ev) => {
			ev.preventDefault(); // the link's URL needs the secret in a header
			download('/api/export/report.html', 'consort-report.html');
		});
		$('#qr-close').addEventListener('click', () => { $('#qr-overlay').hidden = true; });
		$('#qr-overlay').addEventListener('click', (ev) => { if (ev.target === ev.currentTarget) ev.currentTarget.hidden = true; });
		document.addEventListener('keydown', (ev) => {
			if (ev.key === 'Escape' && !$('#qr-overlay').hidden) $('#qr-overlay').hidden = true;
		});

		$('#schedule-settings').addEventListener('submit', saveSettings);
		$('#round-next').addEventListener('click', () => setRound((state.round || 0) + 1, false));
		$('#round-prev').addEventListener('click', () => setRound(state.round > 1 ? state.round - 1 : null, false));
		$('#round-restart').addEventListener('click', () => setRound(state.round, true));

		$('#grid').addEventListener('keydown', onCellKey);
		$('#round-strip').addEventListener('keydown', onCellKey);
		const clickCell = (ev) => {
			const td = ev.target.closest('td.cell');
			if (td) {
				state.buffer = '';
				focusCell(td);
			}
		};
		$('#grid').addEventListener('click', clickCell);
		$('#round-strip').addEventListener('click', clickCell);
		$('#grid').addEventListener('focusout', (ev) => {
			const td = ev.target.closest && ev.target.closest('td.cell');
			if (td && state.buffer) commitBuffer(td, false);
		});

		const form = $('#rules-form');
		form.addEventListener('submit', saveRules);
		form.addEventListener('input', markRulesDirty);
		form.addEventListener('change', markRulesDirty);
		$('#rules-consortia-mode').addEventListener('change', syncConsortiaMode);
		$('#pair-together').addEventListener('click', () => addPair('together'));
		$('#pair-apart').addEventListener('click', () => addPair('apart'));
		$('#rules-reload').addEventListener('click', () => attempt(async () => setRules(await api('GET', '/api/rules'))));

		$('#propose').addEventListener('click', propose);
		$('#clear-locks').addEventListener('click', () => {
			state.locked.clear();
			state.lockMate.clear();
			renderProposal();
			saveLocks();
		});
	}

	async function start() {
		if (!state.secret) {
			showLogin();
			return;
		}
		try {
			await loadAll();
		} catch (e) {
			if (e.status !== 401 && e.status !== 403) showError(e.message);
			return;
		}
		clearError();
		$('#login').hidden = true;
		$('#app').hidden = false;
		$('nav.tabs').hidden = false;
		let tab = 'participants';
		try { tab = localStorage.getItem(STORE + 'tab') || tab; } catch (e) { /* ignore */ }
		if (!$('#panel-' + tab)) tab = 'participants';
		showTab(tab);
	}

	wire();
	try {
		if (localStorage.getItem(STORE + 'large')) {
			document.body.classList.add('large');
			$('#toggle-large').setAttribute('aria-pressed', 'true');
		}
	} catch (e) { /* ignore */ }
	state.secret = readSecret();
	start();
	setInterval(poll, POLL_MS);
	setInterval(tick, 250);
})();
